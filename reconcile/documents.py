"""Read plain text, Markdown or HTML into a Document whose ``text`` all offsets refer to.

Decoding is strict: a file that is not UTF-8 (or UTF-16 with a BOM) is refused with the fix,
never guessed at, because a mis-decoded quote mark would later read as a misquotation.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from reconcile.errors import InputError, UsageError

if typing.TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

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
class Document:
    """A text to compare; every character offset in reconcile refers to ``text``."""

    name: str
    path: str
    text: str
    speaker: str | None = None
    format: str = "text"


def read_document(
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    speaker: str | None = None,
    stdin: typing.BinaryIO | None = None,
    max_bytes: int = 20_000_000,
) -> Document:
    """Read a .txt, .md or .html file ("-" for stdin) into a Document; raises InputError with the fix."""
    given = os.fspath(path)
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
    if format == "html":
        text = html_to_text(text)
        if not text.strip():
            raise InputError(f"{label}: no readable text in the HTML; save the article's text as .txt and pass that")
    elif format == "markdown":
        text = markdown_to_text(text)
        if not text.strip():
            raise InputError(f"{label}: no readable text in the Markdown; give a file with prose in it")
    return Document(name=name, path=path, text=text, speaker=speaker, format=format)


def parse_source_spec(spec: str) -> tuple[str, str | None, str]:
    """Parse a source argument into ``(name, speaker, path)``.

    ``PATH`` -> (file stem, None, PATH); ``NAME=PATH`` -> (NAME, None, PATH);
    ``SPEAKER: NAME=PATH`` -> (NAME, SPEAKER, PATH). The split is at the first "=", and only when
    the part before it contains no "/" or "\\", so ``dir/a=b.txt`` is read as a plain path; to pass
    a file whose own name has "=" in it, give it a name: ``Post=a=b.txt``.
    """
    fix = "write PATH, NAME=PATH or 'SPEAKER: NAME=PATH', e.g. 'Trump: Truth Social=post.txt'"
    text = spec.strip()
    if not text:
        raise UsageError(f"empty source; {fix}")
    left, sep, right = text.partition("=")
    if not sep or "/" in left or "\\" in left:
        return ("stdin" if text == "-" else Path(text).stem or text, None, text)
    speaker, colon, name = left.rpartition(":") if ":" in left else ("", "", left)
    speaker, name, path = speaker.strip(), name.strip(), right.strip()
    if colon and not speaker:
        raise UsageError(f"source {spec!r} has an empty speaker before ':'; {fix}")
    if not name:
        raise UsageError(f"source {spec!r} has an empty name before '='; {fix}")
    if not path:
        raise UsageError(f"source {spec!r} has an empty path after '='; {fix}")
    return (name, speaker or None, path)


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
        raise InputError(f"{path}: file not found; check the path") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; check the file's permissions") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; give a file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror or e}); check the path") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: over the {_size(max_bytes)} limit; {_TOO_LARGE_FIX}")
    return data


def decode_bytes(data: bytes, label: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(f"{label}: not valid UTF-16 ({e.reason}); re-save it as UTF-8") from None
    else:
        bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        if b"\x00" in data:
            raise InputError(f"{label}: looks binary (NUL bytes), not text; give a .txt, .md or .html file")
        try:
            text = data[bom:].decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError(
                f"{label}: not valid UTF-8 (byte 0x{data[bom + e.start]:02x} at offset {bom + e.start}); "
                "re-save it as UTF-8, e.g. iconv -f latin1 -t utf-8"
            ) from None
    if "\x00" in text:
        raise InputError(f"{label}: looks binary (NUL characters), not text; give a .txt, .md or .html file")
    return text


# --- HTML -------------------------------------------------------------------------------------

# Page furniture, not article text; <head> goes too, so the <title> is never included.
_HTML_DROP = frozenset(
    "head title script style noscript template nav header footer aside form iframe svg button "
    "select textarea object embed canvas".split()
)
_HTML_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li br tr blockquote article section pre ul ol dl dt dd table thead tbody "
    "tfoot caption figure figcaption hr address details summary main body html center fieldset legend".split()
)
_HTML_CELL = frozenset({"td", "th"})


def html_to_text(html: str) -> str:
    """Readable text of an HTML page: one line per block, inline text joined as a browser shows it."""
    # selectolax >= 1.0 ships only the lexbor engine (selectolax.parser now raises ImportError).
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root: LexborNode | None
    articles = [a for a in tree.css("article") if not _dropped_ancestor(a)]
    if articles:
        # Several <article>s usually mean teasers around the story; the story is the longest.
        root = max(articles, key=lambda a: len(a.text(deep=True)))
    else:
        root = tree.css_first("main") or tree.body or tree.root
    if root is None:
        return ""
    raw = "".join(_html_chunks(root))
    lines = (re.sub(r"[^\S\n]+", " ", line).strip() for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


def _is_dropped(node: LexborNode) -> bool:
    return node.tag in _HTML_DROP or (node.attributes.get("role") or "").lower() == "navigation"


def _dropped_ancestor(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if _is_dropped(parent):
            return True
        parent = parent.parent
    return False


def _html_chunks(root: LexborNode) -> Iterator[str]:
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
        if not node.is_element_node or _is_dropped(node):
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
    md = re.sub(r"\\([" + re.escape(_ESCAPABLE) + "])", lambda m: chr(_ESCAPE_BASE + ord(m[1])), markdown)
    md = re.sub(r"<!--.*?-->", "", md, flags=re.DOTALL)
    md = re.sub(r"\A---\n.*?\n(?:---|\.\.\.)\n", "", md, flags=re.DOTALL)  # YAML front matter
    blocks: list[list[str]] = []
    current: list[str] = []
    fence: str | None = None

    def close() -> None:
        nonlocal current
        if current:
            blocks.append(current)
            current = []

    for line in md.split("\n"):
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        if m := _FENCE_RE.match(line):
            close()
            fence = m.group(1)
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
    paragraphs = []
    for block in blocks:
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
    return "\n\n".join(paragraphs)
