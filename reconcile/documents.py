"""Read plain text, Markdown or HTML into a Document whose ``text`` all offsets refer to.

Decoding is strict: a file that is not UTF-8 (or UTF-16 with a BOM) is refused with the fix,
never guessed at, because a mis-decoded quote mark would later read as a misquotation.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

from reconcile.decoding import decode_bytes
from reconcile.errors import InputError, UsageError
from reconcile.fetch import is_url

if typing.TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

    from reconcile.fetch import FetchLimits

FORMATS = ("text", "markdown", "html")
_SUFFIX_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
_HTML_START = re.compile(r"\s*<(!doctype html|html)[\s>]", re.IGNORECASE)


@dataclass(frozen=True)
class Dropped:
    """Readable text the reader left out of ``Document.text`` (page furniture, a teaser, a code block),
    and why; ``at`` is where in ``text`` it stood. Reports list it under ``skipped``, so nothing is lost
    unseen."""

    text: str
    at: int
    reason: str


@dataclass(frozen=True)
class Document:
    """A text to compare; every character offset in reconcile refers to ``text``."""

    name: str
    path: str
    text: str
    speaker: str | None = None
    format: str = "text"
    dropped: tuple[Dropped, ...] = ()  # what reading the HTML or Markdown left out of text
    # A web page's (fetch.py): the address it was read from after redirects, and what the page says of itself.
    url: str | None = None
    title: str | None = None
    published: str | None = None
    author: str | None = None


def read_document(
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    speaker: str | None = None,
    stdin: typing.BinaryIO | None = None,
    max_bytes: int = 20_000_000,
    limits: FetchLimits | None = None,
) -> Document:
    """Read a .txt, .md or .html file ("-" for stdin, an http(s) URL for a web page) into a Document;
    raises InputError with the fix. ``limits`` bound a URL's fetch (reconcile.fetch.FetchLimits)."""
    given = os.fspath(path)
    if isinstance(path, str) and is_url(given):
        return _read_url(given.strip(), name=name, speaker=speaker, limits=limits)
    if given == "-":
        label = "stdin"
        data = (stdin if stdin is not None else sys.stdin.buffer).read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"stdin: input is over the {_size(max_bytes)} limit; {_TOO_LARGE_FIX}")
    else:
        label = given
        data = _read_file(given, max_bytes)
    text = decode_bytes(data, label)
    fmt = sniff_format(text, None if given == "-" else given)
    default_name = "stdin" if given == "-" else (Path(given).stem or given)
    return document_from_text(text, name=name or default_name, path=given, speaker=speaker, format=fmt)


def _read_url(url: str, *, name: str | None, speaker: str | None, limits: FetchLimits | None) -> Document:
    """A web page's article (fetch.py extracts it) as a Document that records the page's address and metadata."""
    from reconcile.fetch import fetch_page, no_credentials, read_page, url_stem

    page = read_page(fetch_page(url, limits=limits))
    # A report keeps the address, never a password in it (https://user:secret@host/...).
    path = no_credentials(url)
    doc = document_from_text(page.text, name=name or url_stem(url), path=path, speaker=speaker, format=page.format)
    return replace(doc, url=page.url, title=page.title, published=page.published, author=page.author)


def sniff_format(text: str, filename: str | None = None) -> str:
    """The format of a text: its file name's suffix (.md, .html, ...) says, else a text that begins like
    a web page is "html", else "text". Files, stdin and the web page's uploads are all read this way."""
    fmt = _SUFFIX_FORMATS.get(PurePath(filename).suffix.lower(), "text") if filename else "text"
    return "html" if fmt == "text" and _HTML_START.match(text[:200]) else fmt


def document_from_text(
    text: str, *, name: str, path: str = "<text>", speaker: str | None = None, format: str = "text"
) -> Document:
    """Build a Document from text in memory, converting Markdown or HTML to readable text."""
    label = name if path == "<text>" else ("stdin" if path == "-" else path)
    if format not in FORMATS:
        raise UsageError(f"{label}: unknown format {format!r}; use one of {', '.join(FORMATS)}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{label}: file is empty; give a text with at least one sentence")
    dropped: list[Dropped] = []
    if format == "html":
        text, dropped = _html_extract(text)
        if not text.strip():
            raise InputError(f"{label}: no readable text in the HTML; save the article's text as .txt and pass that")
    elif format == "markdown":
        text, dropped = _markdown_extract(text)
        if not text.strip():
            raise InputError(f"{label}: no readable text in the Markdown; give a file with prose in it")
    return Document(name=name, path=path, text=text, speaker=speaker, format=format, dropped=tuple(dropped))


def parse_source_spec(spec: str) -> tuple[str, str | None, str]:
    """Parse a source argument into ``(name, speaker, path)``.

    ``PATH`` -> (file stem, None, PATH); ``NAME=PATH`` -> (NAME, None, PATH);
    ``SPEAKER: NAME=PATH`` -> (NAME, SPEAKER, PATH). The split is at the first "=", and only when
    the part before it contains no "/" or "\\", so ``dir/a=b.txt`` is read as a plain path; to pass
    a file whose own name has "=" in it, give it a name: ``Post=a=b.txt``. A spec whose parts stand in
    another order ("post.txt=Truth Social", "Truth Social=Donald Trump: post.txt") and whose path is no
    file is refused with the right form, in its own values.
    """
    fix = "write PATH, NAME=PATH or 'SPEAKER: NAME=PATH', e.g. 'Trump: Truth Social=post.txt'"
    text = spec.strip()
    if not text:
        raise UsageError(f"empty source; {fix}")
    left, sep, right = text.partition("=")
    if not sep or "/" in left or "\\" in left:
        if is_url(text):  # "?id=3" is part of the address
            from reconcile.fetch import url_stem

            return (url_stem(text), None, text)
        if sep and not _exists(text) and _looks_like_path(left.strip()) and not _looks_like_path(right.strip()):
            raise UsageError(_misordered(spec, "gives the path before the '='", right.strip(), None, left.strip()))
        return ("stdin" if text == "-" else Path(text).stem or text, None, text)
    speaker, colon, name = left.rpartition(":") if ":" in left else ("", "", left)
    speaker, name, path = speaker.strip(), name.strip(), right.strip()
    if colon and not speaker:
        raise UsageError(f"source {spec!r} has an empty speaker before ':'; {fix}")
    if not name:
        raise UsageError(f"source {spec!r} has an empty name before '='; {fix}")
    if not path:
        raise UsageError(f"source {spec!r} has an empty path after '='; {fix}")
    if not _exists(path) and not is_url(path):
        _check_order(spec, name, speaker or None, path)
    return (name, speaker or None, path)


_PATH_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf"})


def _exists(path: str) -> bool:
    return path == "-" or os.path.exists(path)


def _looks_like_path(text: str) -> bool:
    return bool(text) and (os.path.isfile(text) or is_url(text) or PurePath(text).suffix.lower() in _PATH_SUFFIXES)


def _check_order(spec: str, name: str, speaker: str | None, path: str) -> None:
    """UsageError with the right form when a NAME=PATH spec's path, which is no file, is its parts misplaced."""
    if _looks_like_path(name) and not _looks_like_path(path):  # "post.txt=Truth Social"
        if ":" in path:  # "post.txt=Donald Trump: Truth Social"
            who, _, called = path.rpartition(":")
            raise UsageError(_misordered(spec, "gives the path before the '='", called.strip(), who.strip(), name))
        raise UsageError(_misordered(spec, "gives the path before the '='", path, speaker, name))
    if ": " in path or (":" in path and not re.match(r"[A-Za-z]:[\\/]", path)):  # "Truth Social=Donald Trump: post.txt"
        first, _, second = (part.strip() for part in path.partition(":"))
        actual, who = (second, first) if _looks_like_path(second) or not _looks_like_path(first) else (first, second)
        if who and actual and not speaker:
            raise UsageError(_misordered(spec, "has the speaker after the '='", name, who, actual))
    if "=" in path:  # "Donald Trump=Truth Social=post.txt": the speaker ended with "=", not ":"
        called, _, actual = (part.strip() for part in path.partition("="))
        # Only when that file is there: "Post=a=b.txt" names a file "a=b.txt" (see the docstring).
        if called and os.path.isfile(actual) and not speaker:
            raise UsageError(_misordered(spec, "has two '='", called, name, actual))


def _misordered(spec: str, what: str, name: str, speaker: str | None, path: str) -> str:
    right = f"{speaker}: {name}={path}" if speaker else f"{name}={path}"
    form = "SPEAKER: NAME=PATH" if speaker else "NAME=PATH"
    return f'source {spec!r} {what} (the form is {form}); write --source "{right}"'


# --- reading and decoding ---------------------------------------------------------------------

# The command line has no option to raise the limit; the library's read_document has max_bytes.
_TOO_LARGE_FIX = "split it into smaller files (from Python, read_document(path, max_bytes=N) reads larger ones)"


def _size(n: int) -> str:
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def _read_file(path: str, max_bytes: int) -> bytes:
    try:
        if os.path.isdir(path):
            raise InputError(f"{path}: is a directory; give a file")
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            # A pipe with no writer would wait for ever, a device read for ever: only stdin is read as a stream.
            raise InputError(f"{path}: not a regular file (a pipe or a device); save it to a file, or pass - for stdin")
        size = info.st_size
        if size > max_bytes:
            raise InputError(f"{path}: {_size(size)} is over the {_size(max_bytes)} limit; {_TOO_LARGE_FIX}")
        with open(path, "rb") as f:
            # Read one byte past the limit: st_size is 0 for pipes and /proc files.
            data = f.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(_not_found(path)) from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; check the file's permissions") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; give a file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror or e}); check the path") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: over the {_size(max_bytes)} limit; {_TOO_LARGE_FIX}")
    return data


def close_names(path: str) -> list[str]:
    """Paths in ``path``'s folder whose names are close to its own (at most three), written as ``path`` is."""
    folder, name = os.path.split(path)
    try:
        with os.scandir(folder or ".") as entries:
            names = [entry.name for _, entry in zip(range(_MAX_LISTED), entries, strict=False)]
    except OSError:
        return []
    # Case apart, as on a case-insensitive disk: "Outlet-Article.TXT" is close to "outlet-article.txt".
    by_case = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(name.casefold(), list(by_case), n=3, cutoff=0.6)
    return [os.path.join(folder, by_case[c]) for c in close]


def _not_found(path: str) -> str:
    """ "file not found", with the names in its folder that are close to it ("did you mean ...?")."""
    folder = os.path.dirname(path)
    if folder and not os.path.isdir(folder):
        there = "is a file, not a folder" if os.path.exists(folder) else "does not exist"
        return f"{path}: file not found (the folder {folder} {there}); check the path"
    close = close_names(path)
    if not close:
        return f"{path}: file not found; check the path"
    return f"{path}: file not found; did you mean {' or '.join(close)}?"


_MAX_LISTED = 10_000  # names of a folder looked at for "did you mean": a huge folder is not read whole


# --- HTML -------------------------------------------------------------------------------------

# Page furniture, not article text; <head> goes too, so the <title> is never included. A <header> is the
# page's only outside <main> and <article>: inside them it holds the headline and the lede. A <form> is
# no furniture either (ASP.NET pages wrap the whole page in one); its controls are.
_HTML_DROP = frozenset(
    "head title script style noscript template nav header footer aside iframe svg button "
    "select textarea object embed canvas".split()
)
# Of the dropped elements, these hold no readable text (code, markup, media): left out unlisted.
_HTML_NOT_TEXT = frozenset("head title script style noscript template iframe svg object embed canvas".split())
_HTML_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li br tr blockquote article section pre ul ol dl dt dd table thead tbody "
    "tfoot caption figure figcaption hr address details summary main body html center fieldset legend".split()
)
_HTML_CELL = frozenset({"td", "th"})
_DROPPED_MARK = "\ue0ff"  # stands where a dropped element was, until its offset in the text is known
# The longest <article> is the story only if it holds this share of the page's readable text; less (the
# page has twice as much text besides), and it is a teaser or an empty shell beside the story: the whole
# <main> or <body> is read instead. What is not read is listed either way.
_ARTICLE_SHARE = 1 / 3
_SHOWN = 300  # characters of a dropped passage shown under skipped


def html_to_text(html: str) -> str:
    """Readable text of an HTML page: one line per block, inline text joined as a browser shows it."""
    return _html_extract(html)[0]


def _html_extract(html: str) -> tuple[str, list[Dropped]]:
    """The readable text of a page and the readable text it leaves out (furniture, teasers), with where."""
    # selectolax >= 1.0 ships only the lexbor engine (selectolax.parser now raises ImportError).
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    top = tree.body or tree.root
    page = tree.css_first("main") or top
    if page is None or top is None:
        return "", []
    root: LexborNode = page
    articles = [a for a in tree.css("article") if not _dropped_ancestor(a)]
    if articles:
        # Several <article>s usually mean teasers around the story; the story is the longest.
        longest = max(articles, key=_readable_length)
        if _readable_length(longest) >= _ARTICLE_SHARE * _readable_length(page):
            root = longest
    dropped: list[Dropped] = []
    text, marks = _clean_lines("".join(_html_chunks(root, dropped)))
    placed = [replace(d, at=at) for d, at in zip(dropped, marks, strict=True)]
    where = "the story's <article> (the longest on the page)" if root.tag == "article" else f"<{root.tag}>"
    before, after = _outside(root, top, f"outside {where}")
    return text, [*before, *placed, *(replace(d, at=len(text)) for d in after)]


def _clean_lines(raw: str) -> tuple[str, list[int]]:
    """Lines with their whitespace collapsed, blank ones gone; and the offset of each dropped mark (the
    start of the next line of text, or the end)."""
    lines: list[str] = []
    marks: list[int] = []
    waiting = 0
    length = 0
    for line in raw.split("\n"):
        waiting += line.count(_DROPPED_MARK)
        line = re.sub(r"[^\S\n]+", " ", line.replace(_DROPPED_MARK, "")).strip()
        if line:
            start = length + 1 if lines else 0
            marks.extend([start] * waiting)
            waiting = 0
            lines.append(line)
            length = start + len(line)
    marks.extend([length] * waiting)
    return "\n".join(lines), marks


def _readable(node: LexborNode) -> str:
    return " ".join((node.text(deep=True, separator=" ") or "").split())


def _readable_length(node: LexborNode) -> int:
    """How much readable text a node holds, furniture left out (as _html_chunks reads it)."""
    return sum(len(chunk.strip()) for chunk in _html_chunks(node, []))


def _clip(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _outside(root: LexborNode, top: LexborNode, reason: str) -> tuple[list[Dropped], list[Dropped]]:
    """The readable text of the page before and after ``root``: the siblings of it and of each ancestor."""
    before: list[Dropped] = []
    after: list[Dropped] = []
    node = root
    while node != top and node.parent is not None:
        seen = False
        for sibling in node.parent.iter(include_text=False):
            if sibling == node:
                seen = True
                continue
            if sibling.tag in _HTML_NOT_TEXT or not (text := _readable(sibling)):
                continue
            why = f"page furniture (<{sibling.tag}>), not the story" if _is_dropped(sibling) else reason
            (after if seen else before).append(Dropped(_clip(text), 0, why))
        node = node.parent
    return before, after


def _is_dropped(node: LexborNode) -> bool:
    if node.tag == "header" and _inside(node, ("main", "article")):
        return False  # the story's own header: its headline and lede
    return node.tag in _HTML_DROP or (node.attributes.get("role") or "").lower() == "navigation"


def _inside(node: LexborNode, tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def _dropped_ancestor(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if _is_dropped(parent):
            return True
        parent = parent.parent
    return False


def _html_chunks(root: LexborNode, dropped: list[Dropped]) -> Iterator[str]:
    """The text of ``root`` in pieces; each dropped element with readable text is added to ``dropped``
    and marked where it stood."""
    # An explicit stack rather than recursion: pages nest thousands of <div>s deep.
    stack: list[tuple[LexborNode | str, bool]] = [(root, False)]
    while stack:
        node, in_pre = stack.pop()
        if isinstance(node, str):
            yield node
            continue
        tag = node.tag
        if tag == "-text":
            text = node.text_content or ""
            yield text if in_pre else re.sub(r"\s+", " ", text)
            continue
        if not node.is_element_node:
            continue
        if _is_dropped(node):
            if tag not in _HTML_NOT_TEXT and (text := _readable(node)):
                dropped.append(Dropped(_clip(text), 0, f"page furniture (<{tag}>), not the story"))
                yield f"\n{_DROPPED_MARK}\n"
            continue
        in_pre = in_pre or tag == "pre"
        sep = "\n" if tag in _HTML_BLOCK else (" " if tag in _HTML_CELL else "")
        yield sep
        stack.append((sep, in_pre))
        stack.extend((child, in_pre) for child in reversed(list(node.iter(include_text=True))))


# --- Markdown ---------------------------------------------------------------------------------

_ESCAPABLE = "\\`*_{}[]()#+-.!>~|"
# Backslash escapes are parked in the private-use area while the markup is removed.
_ESCAPE_BASE = 0xE000
_PARKED_RE = re.compile("[" + "".join(chr(_ESCAPE_BASE + ord(c)) for c in _ESCAPABLE) + "]")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RULE_RE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+) *$")
_HEADING_RE = re.compile(r"^ {0,3}#{1,6}(?:\s+|$)")
_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")
_LINK_DEF_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_HARD_BREAK_RE = re.compile(r"(?: {2,}|\\)$")
_TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_INLINE_SUBS = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url "title")
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>"), ""),  # inline HTML tags
    (re.compile(r"(`+)\s?(.+?)\s?\1"), r"\2"),  # inline code
    (re.compile(r"(?<![\w*])(\*\*\*|___)(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),
    (re.compile(r"(?<![\w*])(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),
    # Single * or _ only at word edges, so snake_case and "2 * 3" survive.
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
)


def markdown_to_text(markdown: str) -> str:
    """Readable text of Markdown: markup removed, one paragraph per line, a blank line between."""
    return _markdown_extract(markdown)[0]


def _fence_runs(lines: list[str]) -> dict[str, list[int]]:
    """For each fence character, the longest run of it that opens a line at or after each line: a fence
    is closed only if a line after it starts with at least as long a run (found in one pass, not by
    looking ahead from every fence)."""
    runs = {"`": [0] * (len(lines) + 1), "~": [0] * (len(lines) + 1)}
    for k in range(len(lines) - 1, -1, -1):
        stripped = lines[k].strip()
        for char, longest in runs.items():
            longest[k] = max(longest[k + 1], len(stripped) - len(stripped.lstrip(char)))
    return runs


_FRONT_MATTER_CHARS = 20_000
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def _front_matter(md: str) -> tuple[str, str]:
    """(the Markdown without its YAML front matter, the front matter): a ``---`` line opens front matter only
    at the very start, and only if what it closes reads as YAML keys; otherwise it is a thematic break and
    the paragraphs after it are prose."""
    m = _FRONT_MATTER_RE.match(md)
    if m is None or len(m.group(1)) > _FRONT_MATTER_CHARS:  # metadata is short; pages of it are prose
        return md, ""
    import yaml

    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return md, ""
    if not isinstance(data, dict):
        return md, ""
    return md[m.end() :], m.group(1)


def _markdown_extract(markdown: str) -> tuple[str, list[Dropped]]:
    """Readable text of Markdown, and the code blocks it leaves out (with where they stood)."""
    md = re.sub(r"\\([" + re.escape(_ESCAPABLE) + "])", lambda m: chr(_ESCAPE_BASE + ord(m[1])), markdown)
    md = re.sub(r"<!--.*?-->", "", md, flags=re.DOTALL)
    blocks: list[list[str] | Dropped] = []
    md, front = _front_matter(md)
    if front:
        blocks.append(
            Dropped(
                _clip(" ".join(_PARKED_RE.sub(lambda m: chr(ord(m[0]) - _ESCAPE_BASE), front).split())),
                0,
                "YAML front matter (metadata), not prose",
            )
        )
    current: list[str] = []
    fence: str | None = None
    code: list[str] = []

    def close() -> None:
        nonlocal current
        if current:
            blocks.append(current)
            current = []

    all_lines = md.split("\n")
    runs = _fence_runs(all_lines)
    for k, line in enumerate(all_lines):
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
                if shown := " ".join(" ".join(code).split()):
                    blocks.append(Dropped(_clip(shown), 0, "code block, not prose"))
                code = []
            else:
                code.append(line)
            continue
        if m := _FENCE_RE.match(line):
            close()
            if runs[m.group(1)[0]][k + 1] >= len(m.group(1)):
                fence = m.group(1)
            else:  # never closed: the author's prose goes on after it, so it is read as prose
                blocks.append(Dropped(line.strip(), 0, "a code fence that is never closed; the text after it is read"))
            continue
        line = re.sub(r"^\s*(?:>\s?)+", "", line)  # blockquote markers
        if not line.strip() or _RULE_RE.match(line) or _LINK_DEF_RE.match(line) or _TABLE_SEP_RE.match(line):
            close()
            continue
        if _SETEXT_RE.match(line) and current:
            close()  # the underline of a heading written on the line above
            continue
        if _HEADING_RE.match(line):
            close()
            blocks.append([re.sub(r"\s+#+\s*$", "", _HEADING_RE.sub("", line))])
            continue
        if _ITEM_RE.match(line):
            close()
            line = _ITEM_RE.sub("", line)
        elif line.lstrip().startswith("|"):
            close()
            line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        current.append(line)
    close()
    paragraphs: list[str] = []
    dropped: list[Dropped] = []
    length = 0  # of the text so far, paragraphs joined by a blank line
    for block in blocks:
        if isinstance(block, Dropped):
            dropped.append(replace(block, at=length + 2 if paragraphs else 0))
            continue
        # Soft-wrapped lines are one paragraph; a hard break (two spaces or "\\") keeps its newline.
        joined = "".join(
            _HARD_BREAK_RE.sub("", line).strip() + "\n" if _HARD_BREAK_RE.search(line) else line.strip() + " "
            for line in block
        )
        for pattern, repl in _INLINE_SUBS:
            joined = pattern.sub(repl, joined)
        text = "\n".join(re.sub(r"[ \t]+", " ", part).strip() for part in joined.split("\n"))
        text = _PARKED_RE.sub(lambda m: chr(ord(m[0]) - _ESCAPE_BASE), text.strip())
        if text:
            paragraphs.append(re.sub(r"\n+", "\n", text))
            length += len(paragraphs[-1]) + (2 if len(paragraphs) > 1 else 0)
    text = "\n\n".join(paragraphs)
    # A block dropped after the last paragraph stands at the end.
    return text, [replace(d, at=min(d.at, len(text))) for d in dropped]


def distinct_names(sources: typing.Sequence[Document]) -> None:
    """Refuse no source, or two sources of one name (a report names each source, a finding its source)."""
    if not sources:
        raise UsageError("no source given; pass at least one source file after the outlet")
    names = [s.name for s in sources]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise UsageError(f'two sources are named {sorted(duplicates)[0]!r}; name them apart with --source "NAME=PATH"')
