from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from reconcile import documents
from reconcile.documents import (
    Document,
    document_from_text,
    html_to_text,
    markdown_to_text,
    parse_source_spec,
    read_document,
    sniff_format,
)
from reconcile.errors import InputError, UsageError


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def input_error(path: Path | str, **kwargs: object) -> str:
    with pytest.raises(InputError) as info:
        read_document(path, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    return message


# --- reading text ---------------------------------------------------------------------------


def test_plain_text_is_kept_as_is(tmp_path: Path) -> None:
    text = "Trump said “hello”  to Xi’s team.\n\nSecond  paragraph…"
    doc = read_document(write(tmp_path, "outlet.txt", text), speaker="Trump")
    assert doc == Document(name="outlet", path=str(tmp_path / "outlet.txt"), text=text, speaker="Trump")


def test_name_and_pathlike(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a.txt", "Hi there."), name="White House")
    assert doc.name == "White House"
    assert doc.path == os.fspath(tmp_path / "a.txt")


def test_crlf_and_cr_become_newlines(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a.txt", b"One.\r\nTwo.\rThree.\n"))
    assert doc.text == "One.\nTwo.\nThree.\n"


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "a.txt", b"\xef\xbb\xbfHello.")).text == "Hello."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    data = bom + "Café “quoted”.\r\nNext.".encode(encoding)
    assert read_document(write(tmp_path, "a.txt", data)).text == "Café “quoted”.\nNext."


def test_stdin() -> None:
    doc = read_document("-", stdin=io.BytesIO(b"From a pipe.\r\n"))
    assert (doc.name, doc.path, doc.text, doc.format) == ("stdin", "-", "From a pipe.\n", "text")


def test_stdin_html_is_sniffed() -> None:
    doc = read_document("-", name="page", stdin=io.BytesIO(b"<!DOCTYPE html><p>Hi there.</p>"))
    assert (doc.name, doc.format, doc.text) == ("page", "html", "Hi there.")


def test_stdin_too_large() -> None:
    message = input_error("-", stdin=io.BytesIO(b"x" * 50), max_bytes=10)
    assert message.startswith("stdin:") and "10 bytes limit" in message


# --- errors ---------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "outlet.txt"
    assert input_error(path) == f"{path}: file not found; check the path"


def test_directory(tmp_path: Path) -> None:
    assert input_error(tmp_path) == f"{tmp_path}: is a directory; give a file"


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n ", b"\xef\xbb\xbf"])
def test_empty_or_whitespace(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "x.txt", data)
    assert input_error(path) == f"{path}: file is empty; give a text with at least one sentence"


def test_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "x.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert input_error(path) == (f"{path}: looks binary (NUL bytes), not text; give a .txt, .md or .html file")


def test_latin1(tmp_path: Path) -> None:
    path = write(tmp_path, "x.txt", "Hello there Caf\u00e9.".encode("latin-1"))
    assert input_error(path) == (
        f"{path}: not valid UTF-8 (byte 0xe9 at offset 15); re-save it as UTF-8, e.g. iconv -f latin1 -t utf-8"
    )


def test_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", "x" * 31_200)
    assert input_error(path, max_bytes=20_000) == (
        f"{path}: 31.2 KB is over the 20 KB limit; split it into smaller files "
        "(from Python, read_document(path, max_bytes=N) reads larger ones)"
    )


def test_too_large_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.truncate(31_200_000)  # sparse: nothing is written or read
    assert input_error(path) == (
        f"{path}: 31.2 MB is over the 20 MB limit; split it into smaller files "
        "(from Python, read_document(path, max_bytes=N) reads larger ones)"
    )


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod 0 does not stop root (CI containers), so make open() refuse instead.
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    path = write(tmp_path, "secret.txt", "Hi.")
    monkeypatch.setattr(documents, "open", refuse, raising=False)
    assert input_error(path) == f"{path}: permission denied; check the file's permissions"


# --- HTML -----------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head><title>Page title</title><style>p { color: red }</style>
<script>var secret = "tracking code";</script></head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<header>Site header</header>
<div role="navigation">Menu</div>
<main>
<h1>Trump &amp; Xi talk</h1>
<p>Trump said&nbsp;the call was &ldquo;very good&rdquo;.<script>document.write("injected")</script>
He spoke to <b>Xi</b> <i>Jinping</i> on Friday.</p>
<p>Line one<br>line two</p>
<ul><li>First point.</li><li>Second point.</li></ul>
<aside>Related stories</aside><form><button>Subscribe</button></form>
<noscript>Enable JavaScript</noscript><svg><text>chart</text></svg>
<template><p>hidden template</p></template><iframe>frame</iframe>
</main>
<footer>Copyright</footer>
</body></html>"""


def test_html_keeps_readable_text_only(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "page.html", PAGE))
    assert doc.format == "html"
    assert doc.text == (
        "Trump & Xi talk\n"
        "Trump said the call was “very good”. He spoke to Xi Jinping on Friday.\n"
        "Line one\nline two\nFirst point.\nSecond point."
    )
    for gone in (
        "secret",
        "tracking",
        "injected",
        "Home",
        "Menu",
        "Site header",
        "Related",
        "Subscribe",
        "JavaScript",
        "chart",
        "hidden",
        "frame",
        "Copyright",
        "Page title",
        "color",
    ):
        assert gone not in doc.text


def test_html_prefers_article_over_page_chrome() -> None:
    html = "<body><div>Sidebar teaser text</div><article><p>Story text here.</p></article></body>"
    assert html_to_text(html) == "Story text here."


def test_html_without_main_uses_body_and_joins_inline_text() -> None:
    html = "<div><span>Hello</span>\n<span>world</span>. <em>It</em>&#39;s <a href='#'>fine</a>.</div>"
    assert html_to_text(html) == "Hello world. It's fine."


def test_txt_that_is_really_html_is_sniffed(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "saved.txt", "  <html><body><p>Saved page.</p></body></html>"))
    assert (doc.format, doc.text) == ("html", "Saved page.")


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        ("Plain words.", None, "text"),
        ("Plain words.", "notes.txt", "text"),
        ("# Title", "notes.md", "markdown"),
        ("Title", "NOTES.Markdown", "markdown"),
        ("<p>x</p>", "page.HTM", "html"),
        ("<p>x</p>", "page.xhtml", "html"),
        ("\n  <!DOCTYPE html><p>x</p>", None, "html"),
        ("<html lang=en><p>x</p>", "saved.txt", "html"),
        ("<html>", "-", "html"),  # stdin: no suffix
        ("<!doctype html>", "notes.md", "markdown"),  # a suffix that names a format wins
        ("<p>A fragment, not a page.</p>", None, "text"),
        ("Text that mentions <html> later.", None, "text"),
    ],
)
def test_sniff_format(text: str, filename: str | None, expected: str) -> None:
    assert sniff_format(text, filename) == expected


def test_html_with_no_readable_text(tmp_path: Path) -> None:
    path = write(tmp_path, "x.html", "<html><script>only()</script><nav>Home</nav></html>")
    assert input_error(path).startswith(f"{path}: no readable text in the HTML; ")


def test_deeply_nested_html() -> None:
    assert html_to_text("<div>" * 5000 + "Deep text." + "</div>" * 5000) == "Deep text."


# --- Markdown -------------------------------------------------------------------------------

MARKDOWN = """---
title: front matter
---
# The call #

Trump *said* the call was **very good** and [read the post](https://truthsocial.com/x "post").
This soft-wrapped line is the same paragraph, with `code` and snake_case and 2 * 3.

> “We will solve many problems,”
> he wrote.

- First item
- Second _item_
1. Numbered item
![chart](chart.png)

```python
print("fenced code is dropped")
```
<!-- an HTML comment
over two lines -->
Escaped \\*stars\\* stay.
"""


def test_markdown_conversion(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "post.md", MARKDOWN))
    assert doc.format == "markdown"
    assert doc.text == (
        "The call\n\n"
        "Trump said the call was very good and read the post. This soft-wrapped line is the same "
        "paragraph, with code and snake_case and 2 * 3.\n\n"
        "“We will solve many problems,” he wrote.\n\n"
        "First item\n\nSecond item\n\nNumbered item\n\n"
        "Escaped *stars* stay."
    )


def test_markdown_suffix_variants(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "a.markdown", "## Hi\n")).text == "Hi"


def test_markdown_with_only_code(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "```\ncode only\n```\n")
    assert input_error(path).startswith(f"{path}: no readable text in the Markdown; ")


def test_markdown_hard_break_and_setext() -> None:
    assert markdown_to_text("Title\n=====\n\nOne  \ntwo\\\nthree") == "Title\n\nOne\ntwo\nthree"


# --- in-memory text -------------------------------------------------------------------------


def test_document_from_text() -> None:
    doc = document_from_text("A.\r\nB.", name="quote", speaker="Xi")
    assert doc == Document(name="quote", path="<text>", text="A.\nB.", speaker="Xi")
    assert document_from_text("<p>x &amp; y.</p>", name="n", format="html").text == "x & y."


def test_document_from_text_errors() -> None:
    with pytest.raises(InputError, match=r"^quote: file is empty"):
        document_from_text("  ", name="quote")
    with pytest.raises(UsageError, match=r"unknown format 'pdf'"):
        document_from_text("x", name="quote", format="pdf")


# --- source specs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("post.txt", ("post", None, "post.txt")),
        ("dir/readout.html", ("readout", None, "dir/readout.html")),
        ("-", ("stdin", None, "-")),
        ("White House=readout.txt", ("White House", None, "readout.txt")),
        ("Trump: Truth Social=post.txt", ("Truth Social", "Trump", "post.txt")),
        ("  Xi Jinping :  MFA readout = a/b.txt ", ("MFA readout", "Xi Jinping", "a/b.txt")),
        ("Post=a=b.txt", ("Post", None, "a=b.txt")),
        ("dir/a=b.txt", ("a=b", None, "dir/a=b.txt")),
    ],
)
def test_parse_source_spec(spec: str, expected: tuple[str, str | None, str]) -> None:
    assert parse_source_spec(spec) == expected


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "empty source"),
        ("  ", "empty source"),
        ("=post.txt", "empty name"),
        ("Name=", "empty path"),
        (": Name=post.txt", "empty speaker"),
        ("Trump: =post.txt", "empty name"),
    ],
)
def test_parse_source_spec_errors(spec: str, problem: str) -> None:
    with pytest.raises(UsageError, match=problem) as info:
        parse_source_spec(spec)
    assert "NAME=PATH" in str(info.value)


# A "---" line is a thematic break unless it opens the file and closes a block of YAML keys (issue 27).
THEMATIC_BREAKS = [
    # (Markdown, its text, what is listed as skipped)
    ("---\nFirst paragraph.\n\nSecond paragraph.\n\n---\n\nThird.\n",
     "First paragraph.\n\nSecond paragraph.\n\nThird.", []),
    ("Intro.\n\n---\n\nAfter the break.\n\n---\n\nEnd.\n", "Intro.\n\nAfter the break.\n\nEnd.", []),
    ("---\n\nThe minister spoke.\n---\n", "The minister spoke.", []),
    ("---\ntitle: A post\ndate: 2024-01-01\n---\nBody text.\n", "Body text.",
     ["YAML front matter (metadata), not prose"]),
    ("---\ntitle: A post\n...\nBody text.\n", "Body text.", ["YAML front matter (metadata), not prose"]),
    ("Text first.\n---\ntitle: not front matter\n---\n", "Text first.\n\ntitle: not front matter", []),
]  # fmt: skip


@pytest.mark.parametrize(("markdown", "text", "skipped"), THEMATIC_BREAKS)
def test_thematic_breaks_are_not_front_matter(markdown: str, text: str, skipped: list[str]) -> None:
    doc = document_from_text(markdown, name="post", path="post.md", format="markdown")
    assert doc.text == text
    assert [d.reason for d in doc.dropped] == skipped
    if skipped:
        assert "title: A post" in doc.dropped[0].text and doc.dropped[0].at == 0
