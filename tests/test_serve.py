"""serve in-process (no subprocess, no browser): which hosts are loopback, and the Host-header check."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from reconcile import serve as serve_module
from reconcile.serve import create_app, is_loopback, loopback_hosts


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
    monkeypatch.setattr(serve_module, "wordnet", lambda: None)
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
    monkeypatch.setattr(serve_module, "serve", lambda *, host, port, model: served.append(host))
    result = CliRunner().invoke(app, ["serve", "--host", host])
    assert result.exit_code == 0 and served == [host]
    assert ("anyone who can reach this machine" in result.output) is warned
