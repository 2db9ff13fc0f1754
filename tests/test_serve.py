"""serve in-process (no subprocess, no browser): which hosts are loopback, and the Host-header check."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reconcile import serve as serve_module
from reconcile.serve import create_app, is_loopback, loopback_hosts

from .conftest import TOKEN, FakeEmbedder
from .web_pages import serving


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("LocalHost", True),
        ("::1", True),
        ("[::1]", True),
        ("0:0:0:0:0:0:0:1", True),
        ("::ffff:127.0.0.1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("[::]", False),
        ("192.168.1.10", False),
        ("example.com", False),
        ("localhost.example.com", False),
        ("", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    assert (loopback_hosts(host) is not None) is loopback


class _NoModel:
    model_id = "none"

    def clear(self) -> None:
        pass


def _served(monkeypatch: pytest.MonkeyPatch, host: str) -> tuple[Any, dict[str, Any]]:
    """The app serve() would run on ``host``, and what it passed uvicorn, without loading a model."""
    import uvicorn

    ran: dict[str, Any] = {}
    monkeypatch.setattr(serve_module, "load_embedder", lambda model=None: _NoModel())
    from reconcile.resources import Resources, load_opposites

    light = Resources(None, load_opposites())  # no WordNet index to open: the test is about hosts
    monkeypatch.setattr(Resources, "load", classmethod(lambda cls, **options: light))
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: ran.update(app=app, **options))
    serve_module.serve(host=host, port=8123)
    return ran.pop("app"), ran


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"])
def test_serve_on_loopback_checks_the_host_header(monkeypatch: pytest.MonkeyPatch, host: str) -> None:
    app, options = _served(monkeypatch, host)
    assert options == {"host": host.strip("[]"), "port": 8123}  # the socket takes ::1 without brackets
    client = TestClient(app)
    local = ["127.0.0.1:8123", "localhost:8123", "[::1]:8123", "localhost"]
    if host == "127.0.0.2":
        local.append("127.0.0.2:8123")
    for name in local:
        assert client.get("/healthz", headers={"host": name}).status_code == 200, name
    # A page on another site that rebinds its DNS name to this machine is refused.
    for name in ["evil.example:8123", "evil.example", "[::2]:8123", "127.0.0.1.evil.example"]:
        response = client.get("/healthz", headers={"host": name})
        assert (response.status_code, response.text) == (400, "Invalid host header"), name


def test_serve_elsewhere_has_no_host_check(monkeypatch: pytest.MonkeyPatch) -> None:
    app, _ = _served(monkeypatch, "0.0.0.0")
    assert TestClient(app).get("/healthz", headers={"host": "reconcile.example:8123"}).status_code == 200


def test_create_app_without_allowed_hosts_answers_any_host() -> None:
    client = TestClient(create_app(_NoModel()))  # type: ignore[arg-type]
    assert client.get("/healthz", headers={"host": "anything"}).json() == {"status": "ok", "model": "none"}


@pytest.mark.parametrize(
    ("host", "warned"), [("::1", False), ("[::1]", False), ("127.0.0.5", False), ("0.0.0.0", True)]
)
def test_cli_warns_only_off_loopback(monkeypatch: pytest.MonkeyPatch, host: str, warned: bool) -> None:
    from typer.testing import CliRunner

    from reconcile.cli import app

    served: list[str] = []
    monkeypatch.setattr(serve_module, "serve", lambda *, host, port, model, **options: served.append(host))
    result = CliRunner().invoke(app, ["serve", "--host", host])
    assert result.exit_code == 0 and served == [host]
    assert ("anyone who can reach this machine" in result.output) is warned


# ------------------------------------------------------------------------------------ nothing kept of a request

# Words no other test uses, so a cache that holds them holds this request's texts and nobody else's.
_MARKERS = ("vostrel", "quilla")
_SOURCE = (
    "Mayor Quilla Brandt opened the Vostrel bridge on Monday. The bridge cost 40 million dollars. "
    "“We built it for the children of Vostrel,” she said."
)
_OUTLET = (
    "Mayor Quilla Brandt opened the Vostrel bridge on Tuesday, saying “we built it for the children of Vostrel.” "
    "The bridge cost 45 million dollars, officials said. Critics in Vostrel called it a waste."
)


def _lru_caches() -> dict[str, Any]:
    """Every functools.lru_cache of the loaded reconcile modules, functions and methods alike, by name."""
    import functools
    import sys

    wrapper = functools._lru_cache_wrapper
    found: list[Any] = []
    for name, module in list(sys.modules.items()):
        if name == "reconcile" or name.startswith("reconcile."):
            for value in vars(module).values():
                found.append(value)
                if isinstance(value, type) and value.__module__ == name:
                    found.extend(vars(value).values())
    # A cache imported into other modules is one cache: named where it is defined.
    return {f"{c.__module__}.{c.__qualname__}": c for c in found if isinstance(c, wrapper)}


def _strings(obj: Any, seen: set[int]) -> Any:
    """The strings in a cache's keys and results: through containers, dataclasses and closures."""
    import dataclasses

    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _strings(key, seen)
            yield from _strings(value, seen)
    elif isinstance(obj, tuple | list | set | frozenset):
        for item in obj:
            yield from _strings(item, seen)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _strings(getattr(obj, f.name), seen)
    elif callable(obj) and getattr(obj, "__closure__", None):
        for cell in obj.__closure__:
            yield from _strings(cell.cell_contents, seen)


def _holding(cache: Any) -> tuple[bool, bool]:
    """(holds a phrase of the request's texts, holds one of its words) for one lru_cache."""
    import gc

    # An lru_cache's referents are its keys and results (its linked list), its function and a few types.
    contents = [r for r in gc.get_referents(cache) if not isinstance(r, type) and r is not cache.__wrapped__]
    strings = {s.lower() for s in _strings(contents, set()) if any(m in s.lower() for m in _MARKERS)}
    return any(len(s.split()) > 1 for s in strings), bool(strings)


@pytest.mark.model
def test_serve_keeps_nothing_of_a_request(embedder: Any) -> None:
    """After it answers, no memo scope is open, the embedder remembers no text, and no cache holds the texts."""
    from reconcile import memo
    from reconcile.resources import Resources

    resources = Resources.load()
    client = TestClient(create_app(embedder, resources=resources, token=TOKEN))
    form = {
        "token": TOKEN,
        "outlet-name": "Vostrel Gazette",
        "outlet-text": _OUTLET,
        "src-0-name": "City Hall",
        "src-0-speaker": "Quilla Brandt",
        "src-0-text": _SOURCE,
    }
    # A file field makes the client send multipart/form-data, as the page does.
    response = client.post("/compare", data=form, files={"outlet-file": ("", b"")})
    assert response.status_code == 200, response.text
    assert "Critics" in response.text and '"v":"contradicted"' in response.text  # 45 million, not 40

    assert not memo.active()
    assert embedder._cache == {}  # SentenceTransformerEmbedder's memory cache: serve clears it
    caches = _lru_caches()
    # (test_the_cache_walk_sees_text_in_keys_results_and_closures shows the walk finds what a cache holds.)
    phrases = {name for name, cache in caches.items() if _holding(cache)[0]}
    # Text-keyed caches are memo scopes (reconcile.memo), closed with the comparison: none may hold a phrase.
    assert phrases == set(), f"caches keep the request's text: {sorted(phrases)}"
    assert not any(name.startswith("reconcile.checks.quotes.") for name in caches)
    assert resources.wordnet is not None and resources.wordnet.cached_words() == []  # WordNet forgot the words


def test_the_cache_walk_sees_text_in_keys_results_and_closures() -> None:
    import functools

    @functools.lru_cache(maxsize=4)
    def keyed(text: str) -> int:
        return len(text)

    @functools.lru_cache(maxsize=4)
    def closing(n: int) -> Any:
        text = "the Vostrel bridge"
        return lambda: text

    @functools.lru_cache(maxsize=4)
    def worded(word: str) -> str:
        return word.upper()

    assert _holding(keyed) == (False, False)
    keyed("Quilla Brandt opened it")
    closing(1)
    worded("vostrel")
    assert _holding(keyed) == _holding(closing) == (True, True)
    assert _holding(worded) == (False, True)


# ------------------------------------------------------------------------------ form fields (issue 16)


def _multipart(parts: list[tuple[str, bytes, str | None]]) -> tuple[bytes, str]:
    """A multipart body by hand (name, raw bytes, file name or None), so a field can hold any bytes."""
    boundary = "----reconcile-16"
    out = bytearray()
    for name, data, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    ("parts", "needle"),
    [
        ([("outlet-text", b"Caf\xe9 talks.", None), ("src-0-name", b"a", None), ("src-0-text", b"Talks.", None)],
         "not valid UTF-8 (byte 0xe9 at offset 3)"),
        ([("outlet-name", b"Gazette", "name.txt"), ("outlet-text", b"Talks.", None), ("src-0-name", b"a", None)],
         "field &#x27;outlet-name&#x27; is a file"),
        ([("outlet-text", b"Talks.", None), ("src-0-name", b"a", "a.txt"), ("src-0-text", b"Talks.", None)],
         "field &#x27;src-0-name&#x27; is a file"),
    ],
)  # fmt: skip
def test_text_fields_are_utf8_text_or_refused(parts: list[tuple[str, bytes, str | None]], needle: str) -> None:
    client = TestClient(create_app(_NoModel(), token=TOKEN))  # type: ignore[arg-type]
    body, content_type = _multipart([("token", TOKEN.encode(), None), *parts])
    response = client.post("/compare", content=body, headers={"content-type": content_type})
    assert response.status_code == 400 and needle in response.text, response.text
    assert "UploadFile(" not in response.text and "Caf\u00e9" not in response.text


# --- cross-site posts, private addresses, dripping pages, host and port (issue 27) ----------------------


class _ClearableFake(FakeEmbedder):
    def clear(self) -> None:  # serve drops what a request left in the embedder
        pass


@contextlib.contextmanager
def _running(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a thread, as `reconcile serve` serves it; its URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _send(url: str, fields: dict[str, str], **headers: str) -> tuple[int, str]:
    boundary = "----reconcile-test"
    body = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        )
        + f"--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url + "/compare",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


@pytest.fixture(scope="module")
def pages() -> Iterator[str]:
    with serving() as base:
        yield base


def test_cross_site_posts_are_refused_before_anything_runs(pages: str) -> None:
    fake = _ClearableFake()
    app = create_app(fake, resources=_light(), token=TOKEN, fetch_private=True)  # type: ignore[arg-type]
    fields = {"token": TOKEN, "outlet-url": f"{pages}/post.txt", "src-0-name": "a", "src-0-text": "Xi spoke."}
    with _running(app) as url:
        own = url.removeprefix("http://")
        refused = [
            _send(url, fields, Origin="https://evil.example"),
            _send(url, fields, Origin="null"),
            _send(url, fields, Origin=f"http://{own}.evil.example"),
            _send(url, fields, Origin=f"http://{own}", **{"Sec-Fetch-Site": "cross-site"}),
            _send(url, {k: v for k, v in fields.items() if k != "token"}, Origin=f"http://{own}"),
            _send(url, {**fields, "token": "guessed"}, Origin=f"http://{own}"),
        ]
        for status, text in refused:
            assert status == 403 and "Refused" in text, text
        assert fake.calls == []  # nothing compared, nothing fetched: the outlet would have been encoded
        status, text = _send(url, fields, Origin=f"http://{own}", **{"Sec-Fetch-Site": "same-origin"})
        assert status == 200 and "data-verdict" in text, text
        assert fake.calls


def test_the_form_carries_the_token() -> None:
    client = TestClient(create_app(_NoModel(), token=TOKEN))  # type: ignore[arg-type]
    page = client.get("/")
    assert f'<input type="hidden" name="token" value="{TOKEN}">' in page.text
    # no-referrer would make browsers send "Origin: null" with the form's own post, which is refused
    assert page.headers["Referrer-Policy"] == "same-origin"
    other = TestClient(create_app(_NoModel()))  # type: ignore[arg-type]
    assert TOKEN not in other.get("/").text and 'name="token" value="' in other.get("/").text


def test_serve_fetches_no_private_address_unless_allowed(pages: str) -> None:
    fields = {"token": TOKEN, "outlet-url": f"{pages}/post.txt", "src-0-name": "a", "src-0-text": "Xi spoke."}
    client = TestClient(create_app(_ClearableFake(), resources=_light(), token=TOKEN))  # type: ignore[arg-type]
    for outlet in (f"{pages}/post.txt", f"{pages}/to-self"):
        page = client.post("/compare", files={k: (None, v) for k, v in {**fields, "outlet-url": outlet}.items()})
        assert page.status_code == 400 and "loopback, link-local or private address" in page.text, page.text
        assert "--fetch-private" in page.text


def test_dripping_pages_neither_hold_a_request_past_the_limit_nor_block_healthz(pages: str) -> None:
    app = create_app(
        _ClearableFake(),  # type: ignore[arg-type]
        resources=_light(),
        token=TOKEN,
        fetch_private=True,
        time_limit=2.0,
    )
    fields = {"token": TOKEN, "outlet-url": f"{pages}/drip", "src-0-name": "a", "src-0-text": "Xi spoke."}
    with _running(app) as url:
        answers: list[tuple[int, str, float]] = []

        def one() -> None:
            started = time.monotonic()
            status, text = _send(url, fields)
            answers.append((status, text, time.monotonic() - started))

        # More dripping requests than the server has worker threads for fetches.
        workers = [threading.Thread(target=one) for _ in range(45)]
        for worker in workers:
            worker.start()
        time.sleep(0.5)
        for _ in range(3):
            started = time.monotonic()
            with urllib.request.urlopen(url + "/healthz", timeout=10) as r:
                assert r.status == 200
            # (generous for a loaded machine: before, 45 such requests held healthz for minutes)
            assert time.monotonic() - started < 5, "healthz waited for the dripping requests"
            time.sleep(0.3)
        for worker in workers:
            worker.join(timeout=60)
    assert len(answers) == 45
    for status, text, took in answers:
        assert status == 400 and "(timed out)" in text, text
        assert took < 20, took  # 2 s each, queued behind 40 worker threads; the page alone takes 35 s


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        (["--port", "99999"], "--port 99999 is out of range"),
        (["--port", "-1"], "--port -1 is out of range"),
        (["--host", "no such host.invalid"], "is not an address or a known host name"),
        (["--host", "192.0.2.1"], "is not an address of this machine"),
    ],
)
def test_serve_checks_host_and_port_before_the_model_loads(
    monkeypatch: pytest.MonkeyPatch, options: list[str], needle: str
) -> None:
    from typer.testing import CliRunner

    from reconcile.cli import app

    def no_model(model: str | None = None) -> Any:
        raise AssertionError("the model was loaded before the host and port were checked")

    monkeypatch.setattr(serve_module, "load_embedder", no_model)
    result = CliRunner().invoke(app, ["serve", *options])
    errors = [line for line in result.stderr.splitlines() if line.startswith("reconcile: error:")]
    assert result.exit_code == 2 and len(errors) == 1 and needle in errors[0], result.stderr


def test_serve_on_a_port_in_use_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from reconcile.cli import app

    monkeypatch.setattr(serve_module, "load_embedder", lambda model=None: pytest.fail("the model was loaded"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2 and f"port {port} on '127.0.0.1' is in use" in result.stderr, result.stderr
    assert result.stderr.splitlines()[-1].startswith("reconcile: error:")


def _light() -> Any:
    from reconcile.resources import Resources, load_opposites

    return Resources(None, load_opposites())  # no WordNet index to open


class _Broken(_ClearableFake):
    def encode(self, texts: Any) -> Any:
        raise ValueError("a bug in the embedder")


def test_a_bug_is_a_page_not_a_bare_500() -> None:
    client = TestClient(
        create_app(_Broken(), resources=_light(), token=TOKEN),  # type: ignore[arg-type]
        raise_server_exceptions=False,
    )
    fields = {"token": TOKEN, "outlet-text": "Xi spoke.", "src-0-name": "a", "src-0-text": "Xi spoke."}
    page = client.post("/compare", files={k: (None, v) for k, v in fields.items()})
    assert page.status_code == 500 and "this is a bug" in page.text and "Back to the form" in page.text
