"""A real HTTP server on loopback that serves pages written for the tests: nothing leaves the machine.

``serving()`` starts it in a thread (http.server) and yields its base URL; the routes cover what a
fetch must handle: an article page with a title, a date, a byline and page furniture; plain text; a
redirect chain and a redirect loop; 404 and 500; a PDF (declared, and sent as text/html); an image;
a body larger than a small limit (declared, and streamed without a length); a server that answers
too late, one that trickles its body; a Latin-1 page that says so.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

WEB = Path(__file__).resolve().parent / "fixtures" / "web"
ARTICLE = (WEB / "article.html").read_bytes()
# What trafilatura should keep of ARTICLE (its headline and paragraphs), and what must not end up in the text.
ARTICLE_SENTENCES = (
    "President-elect Donald Trump said on Friday that he had a very good phone call with Chinese leader Xi Jinping.",
    "The two leaders discussed balancing trade, fentanyl and TikTok, Trump wrote on Truth Social.",
)
FURNITURE = ("Subscribe", "Newsletter", "Most read", "recipes", "Copyright", "Cookie", "By Jane Reporter")
POST = b"I just spoke to Chairman Xi Jinping of China. The call was a very good one for both China and the U.S.A."
BIG = 300_000  # bytes of the oversized bodies; the tests set a smaller limit
SLOW = 3.0  # seconds /slow waits before it answers; the tests set a shorter timeout
DRIP = 0.5  # seconds between the bytes of /drip's answer (about 35 s in all, far past any limit the tests set)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # the test output is no place for an access log

    def _send(self, status: int, body: bytes, content_type: str | None, **headers: str) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.partition("?")[0]
        if path in ("/article.html", "/news/2025/01/trump-xi-call.html"):
            self._send(200, ARTICLE, "text/html; charset=utf-8")
        elif path == "/post.txt":
            self._send(200, POST, "text/plain; charset=utf-8")
        elif path == "/no-type":
            self._send(200, POST, None)
        elif path == "/latin1.html":
            body = "<html><body><p>Le café était très bon, a dit le président.</p></body></html>"
            self._send(200, body.encode("latin-1"), "text/html; charset=ISO-8859-1")
        elif path == "/r1":
            self._send(302, b"", "text/plain", Location="/r2")
        elif path == "/r2":
            self._send(301, b"", "text/plain", Location="/article.html")
        elif path == "/loop":
            self._send(302, b"", "text/plain", Location="/loop")
        elif path == "/to-ftp":
            self._send(302, b"", "text/plain", Location="ftp://127.0.0.1/file.txt")
        elif path == "/error":
            self._send(500, b"<p>Internal Server Error</p>", "text/html")
        elif path == "/doc.pdf":
            self._send(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf")
        elif path == "/pdf-as-html":
            self._send(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "text/html")
        elif path == "/photo.png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(32), "image/png")
        elif path == "/big-declared":
            self._send(200, b"<p>" + b"word " * (BIG // 5) + b"</p>", "text/html")
        elif path == "/big-streamed":
            # No Content-Length: the body ends when the connection closes, so only counting can find it too large.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(BIG // 10_000):
                    self.wfile.write(b"word " * 2_000)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading past its limit, as it should
            self.close_connection = True
        elif path == "/slow":
            time.sleep(SLOW)
            self._send(200, ARTICLE, "text/html")
        elif path == "/trickle":
            # Each piece comes well within a read timeout, the whole body not within the total one.
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(40 * 5))
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"word ")
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/drip":
            # The status line itself, a byte at a time: no read waits long, the whole answer never comes in time.
            try:
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello":
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(DRIP)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif path == "/to-javascript":
            self._send(302, b"", "text/plain", Location="javascript:alert(1)")
        elif path == "/to-bad-port":
            self._send(302, b"", "text/plain", Location="http://127.0.0.1:99999/x")
        elif path == "/charset-undefined":
            self._send(200, b"<p>A page.</p>", "text/html; charset=undefined")
        elif path == "/charset-unknown":
            self._send(200, b"<p>A page.</p>", "text/html; charset=x-no-such-charset")
        elif path == "/charset-rot13":
            self._send(200, b"<p>A page.</p>", "text/plain; charset=rot13")
        elif path == "/meta-undefined":
            self._send(
                200, b'<html><head><meta charset="undefined"></head><body><p>A page.</p></body></html>', "text/html"
            )
        elif path == "/to-self":
            # A public-looking page that sends the fetch to this machine (the server itself, on loopback).
            port = self.server.server_address[1]  # type: ignore[index]
            self._send(302, b"", "text/plain", Location=f"http://127.0.0.1:{port}/post.txt")
        else:
            self._send(404, b"<p>Not Found</p>", "text/html")


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler still sleeping (/slow) does not hold up the end of the test
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)
        # else: the client hung up, as a fetch past its limit or its timeout does: expected here


@contextmanager
def serving() -> Iterator[str]:
    """The test pages on 127.0.0.1 at a free port; yields the base URL ("http://127.0.0.1:PORT")."""
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, name="test-pages", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
