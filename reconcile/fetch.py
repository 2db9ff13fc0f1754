"""Web pages as inputs: fetch an http(s) URL within limits and extract its article (trafilatura).

``fetch_page`` returns the decoded page; ``read_page`` turns it into the text and metadata (title,
date, byline) that documents.py builds a Document from. Every failure is one InputError line that
names the URL and says what to do, as a bad file's is. httpx and trafilatura are imported only when
a URL is read: neither is needed for files.
"""

from __future__ import annotations

import codecs
import functools
import ipaddress
import logging
import re
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from .errors import InputError, UsageError

if TYPE_CHECKING:
    import httpx

# What the page must be: a web page or plain text. Anything else (a PDF, an image, a feed) is refused.
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = {"text/plain": "text", "text/markdown": "markdown", "text/x-markdown": "markdown"}
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SAVE_IT = "save the page from your browser and pass the file"
_QUIET = logging.NullHandler()  # added once: a logger keeps one copy of a handler object
MIN_TIMEOUT = 0.1
MAX_TIMEOUT = 3600.0  # an hour: longer is a mistake, and inf would overflow the socket's timeout
_SHOWN_CHARS = 80  # how much of an address an error message quotes


@dataclass(frozen=True)
class FetchLimits:
    """How long, how large and how many redirects a fetch may take (keyword-only everywhere)."""

    timeout: float = 20.0  # seconds for the whole fetch, from connecting to the last byte
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    # Whether loopback, link-local and private addresses may be fetched. A server that fetches for others
    # (serve) turns it off: a page they make it fetch must not be this machine's or its network's.
    private_addresses: bool = True

    def __post_init__(self) -> None:
        if not MIN_TIMEOUT <= self.timeout <= MAX_TIMEOUT:  # inf or 1e308 would overflow the socket's timeout
            raise UsageError(
                f"a timeout of {self.timeout:g} s is out of range; give between {MIN_TIMEOUT:g} and {MAX_TIMEOUT:g} s"
            )


@dataclass(frozen=True)
class Page:
    """A fetched page: the address asked for, the one it ended at (after redirects), its text."""

    url: str
    final_url: str
    media_type: str  # "text/html", "text/plain", ... (as the server said, or sniffed when it said nothing)
    text: str


@dataclass(frozen=True)
class PageText:
    """What a page reads as: the article's text (offsets refer to it), its format, and its metadata."""

    text: str
    format: str  # "text" or "markdown": extracted text is plain; "html" when trafilatura found no article
    url: str
    title: str | None = None
    published: str | None = None  # as the page gives it, usually ISO 8601 (YYYY-MM-DD)
    author: str | None = None


def is_url(value: str) -> bool:
    """Whether an input names a web address ("scheme://..."), not a file."""
    return bool(_SCHEME_RE.match(value.strip()))


def url_stem(url: str) -> str:
    """The name a page goes by when none is given: its last path segment's stem, else its host."""
    parts = urlsplit(url.strip())
    last = parts.path.rstrip("/").rpartition("/")[2]
    stem = last.rpartition(".")[0] if "." in last else last
    return stem or parts.hostname or url


def shown_url(url: str) -> str:
    """A URL as messages and reports show it: without a ``user:password@`` part, at most ~80 characters."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        if parts.username is not None or parts.password is not None:
            url = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    except ValueError:  # a malformed address: shown as it is, clipped
        pass
    return url if len(url) <= _SHOWN_CHARS else url[: _SHOWN_CHARS - 3] + "..."


def check_url(url: str) -> str:
    """The URL if it can be fetched (http or https, with a host and a valid port); UsageError with the fix if not."""
    shown = shown_url(url)
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 -- raises ValueError for a port out of range or not a number
    except ValueError:
        raise UsageError(
            f"{shown}: the address is malformed (a port out of 0-65535, or brackets); check the address"
        ) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UsageError(f"{shown}: only http:// and https:// addresses are read; download the file and pass its path")
    if not parts.hostname:
        raise UsageError(f"{shown}: no host name in the address; write it in full, e.g. https://example.com/story")
    return url.strip()


def fetch_page(url: str, *, limits: FetchLimits | None = None) -> Page:
    """GET ``url`` within ``limits`` (FetchLimits() when not given); raises InputError (one line: what
    failed, for which URL, the fix)."""
    import httpx

    limits = limits or FetchLimits()
    url = check_url(url)
    shown = shown_url(url)
    # One deadline for the whole fetch, headers included: httpx's timeouts are per read, and a server that
    # sends its status line a byte a second would otherwise hold the fetch for as long as it likes.
    deadline = time.monotonic() + limits.timeout
    try:
        # Proxies from the environment (HTTPS_PROXY ...) are used where private addresses may be fetched; a
        # server that fetches only public ones connects itself, so that the address it checks is the page's.
        with httpx.Client(
            trust_env=limits.private_addresses,
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            timeout=httpx.Timeout(limits.timeout),
            headers={"User-Agent": _user_agent(), "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9"},
            event_hooks={"request": [_check_port]},
        ) as client:
            # Every connection (redirects' and proxies' included) goes through the guarded backend: the
            # deadline on each read and write, and the check of the address connected to. httpx takes no
            # network backend of its own, so it is set on each transport's connection pool.
            backend = _guarded_backend_class()(deadline, private=limits.private_addresses)
            for transport in (client._transport, *client._mounts.values()):
                if transport is not None:
                    transport._pool._network_backend = backend  # type: ignore[attr-defined]
            with client.stream("GET", url) as response:
                _check_status(shown, response)
                media_type, charset = _content_type(response.headers.get("content-type", ""))
                _check_type(shown, media_type)
                data = _read_body(shown, response, limits, deadline)
                final_url = str(response.url)
    except _Refused as exc:
        raise InputError(f"{shown}: {exc}") from None
    except httpx.TooManyRedirects:
        raise InputError(
            f"{shown}: more than {limits.max_redirects} redirects (a redirect loop?); open it in a browser and "
            "pass the address it ends at"
        ) from None
    except httpx.TimeoutException:
        raise InputError(_timed_out(shown, limits)) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL):
        # A redirect to javascript:, data:, or to an address with a port out of range.
        raise InputError(
            f"{shown}: redirected to an address that is not http:// or https://, or a malformed one; open it in a "
            f"browser and {_SAVE_IT}"
        ) from None
    except httpx.HTTPError as exc:
        raise InputError(_network_error(url, shown, exc)) from None
    if not media_type:  # the server did not say: a PDF or an image is told by its first bytes
        media_type = _sniff(data)
        _check_type(shown, media_type)
    if data.startswith(b"%PDF-"):
        _check_type(shown, "application/pdf")  # a PDF sent as text/html is still a PDF
    return Page(
        url=no_credentials(url),
        final_url=no_credentials(final_url),
        media_type=media_type,
        text=_decode(shown, data, media_type, charset),
    )


def _check_port(request: httpx.Request) -> None:
    # httpx takes any number as a port, and the socket wraps one past 65535 round to another port.
    port = request.url.port
    if port is not None and not 0 < port <= 65535:
        import httpx

        raise httpx.InvalidURL(f"port {port} is out of range")


class _Refused(Exception):
    """A connection the fetch's limits do not allow (a private address from serve); its message says why."""


def _allowed(address: str) -> bool:
    """Whether an IP address is on the public internet: not loopback, link-local, private, multicast or reserved."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # "fe80::1%eth0": the zone is not part of the address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@functools.cache
def _guarded_backend_class() -> Any:
    """_GuardedBackend's class, built on httpcore's when first used (httpcore is imported with httpx)."""
    import httpcore

    class GuardedStream(httpcore.NetworkStream):
        """A connection whose every read and write ends by the fetch's deadline."""

        def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
            self._stream = stream
            self._deadline = deadline

        def _left(self, timeout: float | None, error: type[Exception]) -> float:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise error("the fetch's time is up")
            return left if timeout is None else min(timeout, left)

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return self._stream.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._stream.write(buffer, self._left(timeout, httpcore.WriteTimeout))

        def close(self) -> None:
            self._stream.close()

        def start_tls(
            self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
        ) -> httpcore.NetworkStream:
            tls = self._stream.start_tls(ssl_context, server_hostname, self._left(timeout, httpcore.ConnectTimeout))
            return GuardedStream(tls, self._deadline)

        def get_extra_info(self, info: str) -> Any:
            return self._stream.get_extra_info(info)

    class GuardedBackend(httpcore.SyncBackend):
        """Connects only by the deadline and, unless ``private``, only to public addresses."""

        def __init__(self, deadline: float, *, private: bool) -> None:
            self._deadline = deadline
            self._private = private

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Any = None,
        ) -> httpcore.NetworkStream:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise httpcore.ConnectTimeout("the fetch's time is up")
            timeout = left if timeout is None else min(timeout, left)
            if self._private:
                stream = super().connect_tcp(host, port, timeout, local_address, socket_options)
                return GuardedStream(stream, self._deadline)
            # Resolved here, and connected to the very address checked: a name that resolves to a public
            # address for the check and a private one for the connection (DNS rebinding) gets nowhere.
            try:
                found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError as exc:
                raise httpcore.ConnectError(str(exc)) from exc
            addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
            refused = [a for a in addresses if not _allowed(a)]
            if refused:
                raise _Refused(
                    f"{host} is a loopback, link-local or private address ({refused[0]}), and this server fetches "
                    "only public ones; paste the page's text, or start reconcile serve with --fetch-private"
                )
            error: Exception = httpcore.ConnectError(f"no address found for {host}")
            for address in addresses:
                try:
                    stream = super().connect_tcp(address, port, timeout, local_address, socket_options)
                except httpcore.ConnectError as exc:
                    error = exc
                    continue
                return GuardedStream(stream, self._deadline)
            raise error

    return GuardedBackend


def no_credentials(url: str) -> str:
    """``url`` without its ``user:password@`` part, whole (reports keep the address; they never keep a password)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.username is None and parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def read_page(page: Page) -> PageText:
    """The article of a page: trafilatura's main text, title, date and byline; plain text as it is."""
    if page.media_type not in _HTML_TYPES:
        return PageText(page.text, _TEXT_TYPES.get(page.media_type, "text"), page.final_url)
    import trafilatura

    # trafilatura logs what it discards; with no handler of the application's, Python would print it to
    # stderr, and only cli.py talks to the terminal. A NullHandler keeps it quiet and still propagates it.
    logging.getLogger("trafilatura").addHandler(_QUIET)
    found = trafilatura.bare_extraction(
        page.text,
        url=page.final_url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    text = getattr(found, "text", None) or ""
    if not text.strip():
        # No article found (a short page, an unusual layout): reconcile's own HTML reader takes the whole page.
        return PageText(page.text, "html", page.final_url, title=_meta(found, "title"), published=_meta(found, "date"))
    return PageText(
        text,
        "text",
        page.final_url,
        title=_meta(found, "title"),
        published=_meta(found, "date"),
        author=_meta(found, "author"),
    )


def _meta(found: object, field: str) -> str | None:
    value = getattr(found, field, None)
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _user_agent() -> str:
    from .version import __version__

    return f"reconcile/{__version__} (checks an article against its official sources)"


def _check_status(url: str, response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    said = f"the server answered {status} {response.reason_phrase}".rstrip()
    if status in (401, 403):
        fix = f"the page may need a login or block scripts: {_SAVE_IT}"
    elif status in (404, 410):
        fix = "check the address"
    elif status == 429:
        fix = f"the server is limiting requests: try again later, or {_SAVE_IT}"
    elif status >= 500:
        fix = f"the server failed: try again later, or {_SAVE_IT}"
    else:
        fix = f"check the address, or {_SAVE_IT}"
    raise InputError(f"{url}: {said}; {fix}")


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip("\"'"):
            charset = value.strip().strip("\"'")
    return media_type.strip().lower(), charset


def _check_type(url: str, media_type: str) -> None:
    if not media_type or media_type in _HTML_TYPES or media_type in _TEXT_TYPES:
        return
    if media_type == "application/pdf":
        raise InputError(
            f"{url}: is a PDF, and PDFs are not read yet; download it and convert it to text, "
            "e.g. pdftotext file.pdf file.txt, then pass file.txt"
        )
    raise InputError(
        f"{url}: is {media_type}, not a web page or text; reconcile reads HTML and plain text: "
        "save the article's text as .txt and pass the file"
    )


def _read_body(url: str, response: httpx.Response, limits: FetchLimits, deadline: float) -> bytes:
    too_big = (
        f"{url}: the page is over the {_mb(limits.max_bytes)} limit; save the article's text as .txt and pass "
        "the file (from Python, read_document(url, limits=FetchLimits(max_bytes=N)) reads larger pages)"
    )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise InputError(too_big)
    body = bytearray()
    # Streamed, and stopped as soon as it is past the limit: a page is never read whole to find it too large.
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limits.max_bytes:
            raise InputError(too_big)
        if time.monotonic() > deadline:  # httpx's timeout is per read: a server that trickles would go on
            raise InputError(_timed_out(url, limits))
    return bytes(body)


def _timed_out(url: str, limits: FetchLimits) -> str:
    return (
        f"{url}: no complete answer within {limits.timeout:g} s (timed out); try again later, "
        f"give a longer --timeout, or {_SAVE_IT}"
    )


def _network_error(url: str, shown: str, exc: Exception) -> str:
    import socket
    import ssl

    host = urlsplit(url).hostname or url
    port = urlsplit(url).port
    where = f"{host}:{port}" if port else host
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return f"{shown}: cannot find the server {host} (DNS lookup failed); check the address and the network"
        if isinstance(cause, ConnectionRefusedError):
            return f"{shown}: connection refused by {where}; check the address and port, or whether the server is up"
        if isinstance(cause, ssl.SSLError):
            return f"{shown}: the secure connection failed ({_reason(cause)}); check the address, or {_SAVE_IT}"
        cause = cause.__cause__ or cause.__context__
    return f"{shown}: cannot fetch the page ({_reason(exc)}); check the address and the network, or {_SAVE_IT}"


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return (text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "...") or type(exc).__name__


def _sniff(data: bytes) -> str:
    head = data[:512].lstrip()
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[:8] in (b"\x89PNG\r\n\x1a\n",) or head[:3] == b"\xff\xd8\xff" or head[:6] in (b"GIF87a", b"GIF89a"):
        return "image"
    if re.match(rb"<(!doctype html|html)[\s>]", head[:200], re.IGNORECASE):
        return "text/html"
    return "text/plain"


def _decode(url: str, data: bytes, media_type: str, charset: str | None) -> str:
    """The page as text, strictly: the charset the server or the page declares, else UTF-8."""
    from .decoding import decode_bytes

    if charset is None and media_type in _HTML_TYPES and (meta := _META_CHARSET_RE.search(data[:4096])):
        charset = meta.group(1).decode("ascii")
    # A byte-order mark overrides what the page declares, as in a browser.
    if charset is None or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data, url)
    named = repr(charset[:_SHOWN_CHARS])
    try:
        info = codecs.lookup(charset)
    except LookupError:
        info = None
    # "undefined" is a codec that refuses every byte; "rot13" or "base64" are not text encodings at all.
    if info is None or info.name == "undefined" or not getattr(info, "_is_text_encoding", True):
        raise InputError(f"{url}: the page declares an unknown charset {named}; {_SAVE_IT} as UTF-8") from None
    codec = info.name
    if codec == "utf-8":
        return decode_bytes(data, url)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{url}: not valid {named} (byte 0x{data[exc.start]:02x} at offset {exc.start}), the charset it "
            f"declares; {_SAVE_IT} as UTF-8"
        ) from None
    except (UnicodeError, LookupError, ValueError):
        raise InputError(f"{url}: cannot decode the page as {named}, the charset it declares; {_SAVE_IT}") from None
    if "\x00" in text:
        raise InputError(f"{url}: looks binary (NUL characters), not text; {_SAVE_IT}")
    return text


def _mb(n: int) -> str:
    return f"{n / 1_000_000:g} MB"
