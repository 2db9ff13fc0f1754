"""A local web page: paste or upload an outlet text and its sources, get the HTML report back.

The model is loaded once, before the server accepts requests, and shared by all of them; comparisons run
one at a time (each already uses every core, and the embedder's memory cache is not made for threads), in a
worker thread, so that the event loop goes on answering (``/healthz``, the form, other requests' errors).
A comparison still running at the time limit gets a "took too long" page and is stopped at its next
checkpoint (stopping.py): no report of it is sent or kept.
Nothing is stored: the embedder has no disk cache, uploads are parsed in memory, the vectors of a
request are dropped when it is done, and pages are sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import re
import secrets
import socket
import threading
import time
from collections.abc import AsyncGenerator
from html import escape
from pathlib import PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.middleware.trustedhost import TrustedHostMiddleware

# Uploads are decoded and their formats read as files' are (UTF-8, or UTF-16 with a BOM).
from .decoding import decode_bytes
from .documents import document_from_text, read_document, sniff_format
from .errors import InputError, ReconcileError, UsageError
from .fetch import FetchLimits, is_url, url_stem
from .resources import Resources

# The form's page and its limits live in serve_form.py; they are this module's public names too.
from .serve_form import MAX_REQUEST_BYTES as MAX_REQUEST_BYTES
from .serve_form import MAX_SOURCES as MAX_SOURCES
from .serve_form import bundled_sample, page
from .serve_form import form_page as form_page
from .serve_form import size as _size
from .stopping import checkpoint, stoppable

if TYPE_CHECKING:
    from .documents import Document
    from .embed import SentenceTransformerEmbedder

# Beyond the limit the body is still read (and dropped) up to here, so that the browser gets the 413 page
# rather than a connection reset half-way through its upload.
_DRAIN_BYTES = 64_000_000
TIME_LIMIT = 120.0  # seconds a comparison (with its wait for the one before it) may take

# Referrer-Policy same-origin, not no-referrer: nothing is sent to other sites, and the form's own post
# carries its Origin (under no-referrer browsers send "Origin: null", which cross-site checks must refuse).
_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


class _InMemoryParser(MultiPartParser):
    # Starlette spools uploads over 1 MB to a temporary file; the whole request is below this, so uploads
    # stay in memory and nothing a user sends touches the disk.
    spool_max_size = MAX_REQUEST_BYTES + 1

    def on_part_end(self) -> None:
        part = self._current_part
        if part.file is None:
            # Starlette reads a text field that is not UTF-8 as latin-1, silently; refused as an upload is.
            try:
                bytes(part.data).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"the form's field {part.field_name!r}: not valid UTF-8 (byte 0x{part.data[exc.start]:02x} at "
                    f"offset {exc.start}); send the form as UTF-8, as the page at / does"
                ) from None
        super().on_part_end()


def create_app(
    embedder: SentenceTransformerEmbedder,
    *,
    allowed_hosts: list[str] | None = None,
    resources: Resources | None = None,
    time_limit: float = TIME_LIMIT,
    fetch_urls: bool = True,
    fetch_private: bool = False,
    with_sample: bool = True,
    token: str | None = None,
) -> FastAPI:
    """The web app around one loaded embedder. ``allowed_hosts`` limits the Host header (DNS rebinding).

    ``fetch_urls``: whether the form's web address fields are fetched. serve() turns it off off loopback: a
    server that fetches any address for anyone who reaches it would fetch this machine's network for them.
    ``fetch_private``: whether those fields may name loopback, link-local or private addresses (off by
    default: any page the user visits could otherwise make the server fetch this machine's or its network's).
    ``with_sample``: a "Load the sample" button, where the bundled sample is installed (serve_form.py).
    ``token``: the form's secret, sent back with every post (a new random one when not given): a page on
    another site cannot read it, so it cannot post the form.

    ``resources`` (WordNet, opposites, weights; loaded here when not given) serve every request, read-only.
    ``time_limit``: seconds after which a request gets the "took too long" page and its comparison stops.
    """
    shared = resources or Resources.load()
    app = FastAPI(title="reconcile", docs_url=None, redoc_url=None, openapi_url=None)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    lock = threading.Lock()
    token = token or secrets.token_urlsafe(32)
    form = form_page(urls=fetch_urls, sample=bundled_sample() if with_sample else None, token=token)
    # A fetched page may be as large as a whole request, and take no longer than a comparison may.
    web = (
        FetchLimits(
            timeout=min(FetchLimits().timeout, time_limit),
            max_bytes=MAX_REQUEST_BYTES,
            private_addresses=fetch_private,
        )
        if fetch_urls
        else None
    )

    def run_compare(outlet: Document, sources: list[Document], stop: threading.Event) -> str:
        from .compare import compare
        from .render.html import render_html

        with lock, stoppable(stop):
            try:
                checkpoint()  # the time ran out while the comparison before this one held the lock
                report = compare(outlet, sources, embedder=embedder, resources=shared)
                texts = {outlet.name: outlet.text, **{d.name: d.text for d in sources}}
                return render_html(report, texts=texts, home="/")
            finally:
                # The embedder keeps every text it has seen in memory, WordNet the words it looked up;
                # a server must not keep users' texts.
                embedder.clear()
                if shared.wordnet is not None:
                    shared.wordnet.forget_words()

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> HTMLResponse:
        # A bug, not the user's input: a page that says so, not a bare "Internal Server Error"; uvicorn
        # still logs the traceback for whoever runs the server.
        return _error_page(
            f"reconcile failed on this input ({type(exc).__name__}); this is a bug: please report it with the "
            "texts, or run `reconcile compare` on the command line",
            status=500,
            title="Failed",
        )

    # async: answered on the event loop, never waiting for a worker thread that fetches or compares.
    @app.get("/", response_class=HTMLResponse)
    async def index() -> HTMLResponse:
        return HTMLResponse(form, headers=_HEADERS)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "model": embedder.model_id}, headers=_HEADERS)

    @app.post("/compare", response_class=HTMLResponse)
    async def compare_page(request: Request) -> HTMLResponse:
        started = time.monotonic()
        if (refused := _cross_site(request)) is not None:
            return _error_page(refused, status=403, title="Refused")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > _DRAIN_BYTES:
            return _too_large(int(declared))
        body = bytearray()
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size <= MAX_REQUEST_BYTES:
                body += chunk
            elif size > _DRAIN_BYTES:
                break
        if size > MAX_REQUEST_BYTES:
            return _too_large(size)
        try:
            form = await _parse_form(request, bytes(body))
            sent = form.get("token")
            if not isinstance(sent, str) or not secrets.compare_digest(sent.encode(), token.encode()):
                return _error_page(
                    "the form was not sent from this server's page (or the server was restarted since it was "
                    "opened); reload the page at / and send it again",
                    status=403,
                    title="Refused",
                )
            outlet, sources = await _documents(form, fetch=web)
        except MultiPartException as exc:
            return _error_page(f"the form could not be read ({exc.message}); reload the page and try again")
        except ReconcileError as exc:
            return _error_page(str(exc))
        stop = threading.Event()
        work = asyncio.ensure_future(run_in_threadpool(run_compare, outlet, sources, stop))
        try:
            # The time limit counts from the request's start: fetching its web pages took some of it.
            left = max(0.0, time_limit - (time.monotonic() - started))
            page = await asyncio.wait_for(asyncio.shield(work), timeout=left)
        except TimeoutError:
            stop.set()  # the thread stops at its next checkpoint; what it raises then is expected
            work.add_done_callback(lambda done: done.cancelled() or done.exception())
            return _too_long(time_limit)
        except ReconcileError as exc:
            return _error_page(str(exc))
        return HTMLResponse(page, headers=_HEADERS)

    return app


def _cross_site(request: Request) -> str | None:
    """Why a post comes from another site's page, None when it does not: the browser says where a request
    comes from (Sec-Fetch-Site, Origin), and a page elsewhere must not run comparisons or fetches here."""
    site = request.headers.get("sec-fetch-site", "").strip().lower()
    if site in ("cross-site", "same-site"):
        return f"a request from another site's page (Sec-Fetch-Site: {site}); open the page at / and send it from there"
    origin = request.headers.get("origin")
    if origin is None:
        return None  # not a browser's cross-site post (browsers send Origin with every POST); the token still holds
    host = request.headers.get("host", "").strip().lower()
    parts = urlsplit(origin.strip().lower())
    if origin.strip().lower() == "null" or parts.scheme not in ("http", "https") or parts.netloc != host:
        return (
            f"a request from another site's page (Origin: {origin[:80]!r}, this server: {host[:80]!r}); open the "
            "page at / and send it from there"
        )
    return None


async def _parse_form(request: Request, body: bytes) -> FormData:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise InputError("send the form as multipart/form-data, as the page at / does")

    async def stream() -> AsyncGenerator[bytes, None]:
        yield body

    parser = _InMemoryParser(
        request.headers,
        stream(),
        max_files=MAX_SOURCES + 1,
        max_fields=8 * (MAX_SOURCES + 1),
        max_part_size=MAX_REQUEST_BYTES,
    )
    return await parser.parse()


def _text_field(form: FormData, field: str) -> str:
    """A one-line field of the form (a name, a speaker); a file sent in its place is refused."""
    value = form.get(field)
    if value is not None and not isinstance(value, str):
        raise InputError(f"the form's field {field!r} is a file; it takes a name typed as text")
    return (value or "").strip()


async def _field_text(form: FormData, field: str, label: str) -> tuple[str, str | None, str, str]:
    """(text, file name, format, URL) from a text area, the file input or the web address next to it; one of
    them may be used. The page at a URL is fetched later (``_read_url``); its text here is ""."""
    pasted = form.get(f"{field}-text")
    pasted = pasted if isinstance(pasted, str) else ""
    url = _text_field(form, f"{field}-url")
    upload = form.get(f"{field}-file")
    given = [what for what, there in (("pasted text", pasted.strip()), ("a web address", url)) if there]
    if isinstance(upload, UploadFile) and upload.filename:
        given.append("a file")
    if len(given) > 1:
        raise InputError(f"{label}: {' and '.join(given)} were given; keep one of them and clear the other")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read()
        filename = PurePath(upload.filename).name
        text = decode_bytes(data, f"{label} ({filename})")
    else:
        text, filename = pasted, None
    return text, filename, sniff_format(text, filename), url


async def _read_url(url: str, label: str, *, name: str, speaker: str | None, fetch: FetchLimits | None) -> Document:
    """The page at a web address field, fetched in a worker thread (the event loop goes on answering);
    ``fetch``: the limits of the fetch, None where this server fetches nothing."""
    if fetch is None:
        raise InputError(
            f"{label}: this server does not fetch web addresses (it serves other machines, and would fetch for "
            "them); paste the page's text, or run reconcile serve on 127.0.0.1"
        )
    if not is_url(url):
        raise InputError(f"{label}: {url!r} is not a web address; write it in full, e.g. https://example.com/story")
    try:
        return await run_in_threadpool(read_document, url, name=name, speaker=speaker, limits=fetch)
    except ReconcileError as exc:
        raise InputError(f"{label}: {exc}") from None


async def _documents(form: FormData, *, fetch: FetchLimits | None) -> tuple[Document, list[Document]]:
    """The outlet and the sources the form names; empty source slots are ignored. ``fetch``: the limits of
    fetching web address fields, None for none (off loopback; see create_app)."""
    outlet_name = _text_field(form, "outlet-name") or "outlet"
    text, filename, fmt, url = await _field_text(form, "outlet", "the outlet")
    if url:
        outlet = await _read_url(url, "the outlet", name=outlet_name, speaker=None, fetch=fetch)
    elif not text.strip():
        raise InputError("the outlet is empty; paste the article's text, choose its file or give its web address")
    else:
        outlet = document_from_text(text, name=outlet_name, path=filename or "<text>", format=fmt)

    slots = sorted({int(m.group(1)) for key in form for m in [re.fullmatch(r"src-(\d{1,3})-name", key)] if m})
    sources: list[Document] = []
    for n in slots:
        name = _text_field(form, f"src-{n}-name")
        speaker = _text_field(form, f"src-{n}-speaker") or None
        label = f"source {name!r}" if name else f"source {len(sources) + 1}"
        text, filename, fmt, url = await _field_text(form, f"src-{n}", label)
        if not text.strip() and not url:
            if name or speaker:
                raise InputError(
                    f"{label} has no text; paste its text, choose its file or give its web address, or clear its name"
                )
            continue
        stem = url_stem(url) if url and is_url(url) else PurePath(filename).stem if filename else ""
        name = name or stem or f"source {len(sources) + 1}"
        if any(d.name == name for d in sources) or name == outlet_name:
            raise InputError(f"two documents are named {name!r}; give each source its own name")
        if url:
            sources.append(await _read_url(url, label, name=name, speaker=speaker, fetch=fetch))
        else:
            sources.append(document_from_text(text, name=name, path=filename or "<text>", speaker=speaker, format=fmt))
    if not sources:
        raise InputError("no source given; paste at least one official text (or choose its file) with a name")
    if len(sources) > MAX_SOURCES:
        raise InputError(f"{len(sources)} sources given; at most {MAX_SOURCES} per comparison")
    return outlet, sources


def _too_large(size: int) -> HTMLResponse:
    return _error_page(
        f"the request is {_size(size)}, over the {_size(MAX_REQUEST_BYTES)} limit; send shorter texts, "
        "or run `reconcile compare` on the command line, which has no such limit",
        status=413,
        title="Too large",
    )


def _too_long(limit: float) -> HTMLResponse:
    return _error_page(
        f"the comparison took longer than this server's {limit:g} s limit and was stopped; nothing of it is kept. "
        "Send shorter texts, start the server with a longer --time-limit, or run `reconcile compare` on the "
        "command line, which has no time limit",
        status=503,
        title="Took too long",
    )


def _error_page(message: str, *, status: int = 400, title: str = "Cannot compare") -> HTMLResponse:
    # One line, as the CLI prints it, on a page with the way back.
    body = (
        f'<main class="box"><h1>{escape(title)}</h1><p class="err">{escape(message, quote=True)}</p>'
        '<p><a href="/">\u2190 Back to the form</a> (your browser\'s Back button keeps what you entered)</p></main>'
    )
    return HTMLResponse(page(title, body), status_code=status, headers=_HEADERS)


def load_embedder(model: str | None = None) -> SentenceTransformerEmbedder:
    """The embedder, with its model loaded now (a bad model fails before the server starts); no disk cache."""
    from .embed import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder(model, cache_dir=None)
    embedder.encode(["The model is loaded once, at start-up."])
    embedder.clear()
    return embedder


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    model: str | None = None,
    time_limit: float = TIME_LIMIT,
    fetch_private: bool = False,
    **uvicorn_options: Any,
) -> None:
    """Listen, load the model, then serve the page until interrupted; raises UsageError if ``host`` and
    ``port`` cannot be listened on (found before the model loads), ModelError if the model will not load.

    ``fetch_private``: web address fields may name loopback, link-local and private addresses."""
    import uvicorn

    # "[::1]" is how a URL writes the address; the socket wants it bare.
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    # Tried now, before the model loads (seconds), so that a bad --host or a port in use fails at once;
    # uvicorn binds again when it starts.
    listen(bare, port).close()
    embedder = load_embedder(model)
    # Opened (on the first run on this machine, built) before the first request, not during it.
    resources = Resources.load()
    # On loopback, answer only to local host names, so a web page cannot reach the server by DNS rebinding.
    app = create_app(
        embedder,
        allowed_hosts=loopback_hosts(host),
        resources=resources,
        time_limit=time_limit,
        fetch_urls=is_loopback(host),
        fetch_private=fetch_private,
    )
    uvicorn.run(app, host=bare, port=port, **uvicorn_options)


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port``, made before anything slow starts; UsageError (one line, with the
    fix) for a port out of range, a host that is not this machine's, or a port already in use."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is out of range; give a port between 1024 and 65535, e.g. --port 8000")
    shown = repr(host[:80])
    try:
        found = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError, ValueError):
        raise UsageError(
            f"--host {shown} is not an address or a known host name; give one of this machine's, e.g. 127.0.0.1"
        ) from None
    family, kind, proto, _, address = found[0]
    listening = socket.socket(family, kind, proto)
    try:
        if hasattr(socket, "SO_REUSEADDR"):  # as uvicorn does: a restart need not wait for TIME_WAIT
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
    except OSError as exc:
        listening.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {shown} is in use (another server?); stop it or give another --port"
            ) from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise UsageError(
                f"--host {shown} is not an address of this machine; give one of its own, e.g. 127.0.0.1"
            ) from None
        if exc.errno == errno.EACCES:
            raise UsageError(
                f"port {port} needs special rights here; give a port above 1023, e.g. --port 8000"
            ) from None
        raise UsageError(
            f"cannot listen on {shown} port {port} ({exc.strerror or exc}); check --host and --port"
        ) from None
    return listening


def is_loopback(host: str) -> bool:
    """Whether ``host`` serves this machine only: localhost, 127.x.x.x, ::1 (bracketed or not)."""
    name = host.strip().lower().rstrip(".")
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name[1:-1] if name.startswith("[") and name.endswith("]") else name)
    except ValueError:
        return False
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None  # ::ffff:127.0.0.1
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def loopback_hosts(host: str) -> list[str] | None:
    """The Host headers a server on loopback ``host`` answers to (a browser on this machine may name it any
    of these ways); None, for no check, when ``host`` is not loopback."""
    if not is_loopback(host):
        return None
    name = host.strip().lower()
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"  # the Host header brackets an IPv6 address: "[::1]:8000"
    return list(dict.fromkeys(["127.0.0.1", "localhost", "[::1]", name]))
