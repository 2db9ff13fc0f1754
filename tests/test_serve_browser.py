"""End to end in a real browser: `reconcile serve` with the packaged model, and an HTML report from the CLI.

The browser is Debian's chromium (``make test`` installs it), driven by Playwright's Python package; its
own browser download (``playwright install``) is never used. A screenshot of the served report is left in
test-artifacts/serve-report.png for a person to look at.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reconcile.resources import Resources

from .conftest import ROOT, SAMPLE, Cli, FakeEmbedder

CHROMIUM = os.environ.get("RECONCILE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
OUTLET = SAMPLE / "outlet-article.txt"
POST = SAMPLE / "truth-social-post.txt"
CLICKED = "I just spoke to Chairman Xi Jinping of China"

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (make test does)")
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
        pytest.skip(f"{CHROMIUM} not found; install Debian's chromium: apt-get install -y chromium (make test does)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records script errors, CSP violations and dialogs (none may happen)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.problems = []
    pg.on("pageerror", lambda exc: pg.problems.append(f"page error: {exc}"))
    pg.on("console", lambda msg: msg.type == "error" and pg.problems.append(f"console: {msg.text}"))
    pg.on("dialog", lambda dialog: (pg.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield pg
    context.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _serving(log_path: Path, *options: str) -> Iterator[str]:
    """`reconcile serve` on a free loopback port, with the real packaged model, until the block ends; its URL."""
    port = _free_port()
    log = log_path.open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "reconcile", "serve", "--port", str(port), *options],
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as r:
                    assert json.load(r)["status"] == "ok"
                break
            except (OSError, urllib.error.URLError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"reconcile serve did not come up:\n{log.read()}")
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, resources: Resources) -> Iterator[str]:
    """`reconcile serve` for the module's tests; its base URL.

    It opens the WordNet index the session built (RECONCILE_CACHE_DIR is the session's cache folder).
    """
    with _serving(tmp_path_factory.mktemp("serve") / "serve.log") as url:
        yield url


def _post(url: str, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": content_type, **(headers or {})}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def _multipart(fields: dict[str, str | tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "----reconcile-test-boundary"
    out = bytearray()
    for name, value in fields.items():
        out += f"--{boundary}\r\n".encode()
        if isinstance(value, tuple):
            filename, data = value
            out += f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'.encode()
            out += b"Content-Type: text/plain\r\n\r\n" + data + b"\r\n"
        else:
            out += f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value.encode() + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def _assert_evidence_after_click(pg: Any) -> None:
    sentence = pg.locator("#outlet .s", has_text=CLICKED)
    sentence.click()
    assert "sel" in (sentence.get_attribute("class") or "")
    evidence = pg.locator("#sources .p.ev")
    evidence.first.wait_for()
    assert CLICKED in " ".join(evidence.all_inner_texts())
    assert "ev1" in (evidence.first.get_attribute("class") or "")
    panel = pg.inner_text("#panel")
    assert "Evidence" in panel and (sentence.get_attribute("data-verdict") or "?") in panel


def test_paste_sample_see_verdicts_and_evidence(server: str, page: Any) -> None:
    page.goto(server + "/")
    page.fill("#outlet-text", OUTLET.read_text(encoding="utf-8"))
    page.fill("#src-0-name", "Truth Social")
    page.fill("#src-0-speaker", "Donald Trump")
    page.fill("#src-0-text", POST.read_text(encoding="utf-8"))
    page.click("#add")  # a second, empty source slot is ignored
    assert page.locator("#src-1-name").count() == 1
    with page.expect_navigation(timeout=120_000):
        page.click("#go")
    page.locator("#outlet .s").first.wait_for()
    assert page.locator('#outlet .s[data-verdict="supported"].v-supported').count() >= 1
    assert page.locator('#outlet .s[data-verdict="unsupported"].v-unsupported').count() >= 1
    assert "Truth Social" in page.inner_text("#src-0 h2") and "Donald Trump" in page.inner_text("#src-0 h2")
    _assert_evidence_after_click(page)
    # The keyboard does the same: Tab to a sentence, Enter selects it.
    other = page.locator("#outlet .s", has_text="President Xi and I will do everything possible")
    other.focus()
    page.keyboard.press("Enter")
    assert "sel" in (other.get_attribute("class") or "")
    assert "everything possible" in " ".join(page.locator("#sources .p.ev").all_inner_texts())
    _assert_evidence_after_click(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-report.png"), full_page=True)
    assert page.problems == []


def test_form_errors_are_pages_with_the_message(server: str, page: Any) -> None:
    page.goto(server + "/")
    page.fill("#src-0-name", "Truth Social")
    page.fill("#src-0-text", POST.read_text(encoding="utf-8"))
    with page.expect_navigation():
        page.click("#go")
    assert "the outlet is empty" in page.inner_text(".err")
    # Over the limit, the page says so before sending anything.
    page.goto(server + "/")
    page.evaluate("document.getElementById('outlet-text').value = 'a'.repeat(2100000)")
    page.click("#go")
    assert "limit" in page.inner_text("#msg") and page.url.rstrip("/") == server


def test_server_limits_errors_and_uploads(server: str) -> None:
    with urllib.request.urlopen(server + "/healthz", timeout=10) as r:
        assert r.headers["Cache-Control"] == "no-store"
    status, body = _post(server + "/compare", *_multipart({"outlet-text": "x" * 2_100_000, "src-0-name": "a"}))
    assert status == 413 and "over the 2.0 MB limit" in body
    status, body = _post(server + "/compare", *_multipart({"outlet-text": OUTLET.read_text(encoding="utf-8")}))
    assert status == 400 and "no source given" in body
    status, body = _post(
        server + "/compare",
        *_multipart({"outlet-text": "Talks went well.", "src-0-name": "a", "src-0-file": ("a.txt", b"\xff\xfe\x00x")}),
    )
    assert status == 400 and "a.txt" in body
    # An uploaded file with its speaker, read in memory; the report is the same HTML as the CLI's.
    status, body = _post(
        server + "/compare",
        *_multipart(
            {
                "outlet-name": "article",
                "outlet-text": OUTLET.read_text(encoding="utf-8"),
                "src-0-name": "Truth Social",
                "src-0-speaker": "Donald Trump",
                "src-0-text": "",
                "src-0-file": ("truth-social-post.txt", POST.read_bytes()),
            }
        ),
    )
    assert status == 200 and 'data-verdict="supported"' in body and "Donald Trump" in body
    # On loopback, only local host names are answered (no DNS rebinding).
    request = urllib.request.Request(server + "/healthz", headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400


def test_cli_html_file_in_the_browser(model_cli: Cli, tmp_path: Path, page: Any) -> None:
    out = tmp_path / "report.html"
    result = model_cli(
        "compare",
        str(OUTLET),
        "--source",
        f"Donald Trump: Truth Social={POST}",
        "--format",
        "html",
        "--output",
        str(out),
        "--no-cache",
    )
    assert result.exit_code == 0, result.stderr
    page.goto(out.as_uri())
    assert page.locator("#outlet .s").count() == 20
    assert page.locator("#outlet .skip").inner_text() == "Recommended"
    _assert_evidence_after_click(page)
    # A quote in the ledger selects its sentence and marks the quoted passage in the source.
    page.locator("tr[data-q]", has_text="spliced").click()
    assert page.locator("#sources .p.qs").count() >= 1
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.cols')).display") == "block"
    assert page.problems == []


def test_mark_up_in_inputs_stays_text_in_the_browser(tmp_path: Path, page: Any, fake_embedder: FakeEmbedder) -> None:
    from reconcile.compare import compare
    from reconcile.documents import document_from_text
    from reconcile.render.html import render_html

    from .test_html import EVIL_NAME
    from .test_html import OUTLET as EVIL_OUTLET
    from .test_html import SOURCE as EVIL_SOURCE

    outlet = document_from_text(EVIL_OUTLET, name="outlet")
    source = document_from_text(EVIL_SOURCE, name=EVIL_NAME, speaker="<script>alert(2)</script>")
    report = compare(outlet, [source], embedder=fake_embedder)
    path = tmp_path / "evil.html"
    path.write_text(render_html(report, texts={"outlet": outlet.text, EVIL_NAME: source.text}), encoding="utf-8")
    page.goto(path.as_uri())
    for n in range(page.locator("#outlet .s").count()):
        page.locator(f"#s-{n}").click()
    assert page.locator("img").count() == 0 and page.locator("script").count() == 2
    assert EVIL_NAME in page.inner_text("#src-0 h2")
    assert page.problems == []


def test_a_heavy_request_never_blocks_healthz_and_stops_at_the_time_limit(tmp_path: Path) -> None:
    """A real server on loopback with a short --time-limit: /healthz answers while a heavy comparison runs,
    the heavy one gets the "took too long" page, and the next request is compared as usual."""
    import threading

    with _serving(tmp_path / "serve.log", "--time-limit", "5") as url:
        # Thousands of distinct sentences: far more than five seconds of encoding on any machine.
        heavy = " ".join(
            f"Official number {i} said the ministry would review case {i * 7} in region {i}." for i in range(6000)
        )
        answers: list[tuple[int, str]] = []
        worker = threading.Thread(
            target=lambda: answers.append(
                _post(url + "/compare", *_multipart({"outlet-text": heavy, "src-0-name": "a", "src-0-text": heavy}))
            )
        )
        worker.start()
        time.sleep(1.0)  # the heavy request is in
        healthy: list[tuple[int, bool]] = []
        while worker.is_alive() and not healthy:
            with urllib.request.urlopen(f"{url}/healthz", timeout=30) as r:
                healthy.append((r.status, worker.is_alive()))
        worker.join(timeout=120)
        assert healthy == [(200, True)], "healthz did not answer while the heavy request ran"
        ((status, body),) = answers
        assert status == 503 and "took longer than this server" in body and "5 s limit" in body
        # The stopped comparison releases the server: once it has stopped (at its next checkpoint, which on
        # a busy machine may come after this request's own limit), the next one is compared in full.
        small = _multipart(
            {
                "outlet-text": "Xi and Trump spoke by phone.",
                "src-0-name": "a",
                "src-0-text": "Xi spoke to Trump by phone.",
            }
        )
        statuses: list[tuple[int, str]] = []
        while len(statuses) < 10 and (not statuses or statuses[-1][0] == 503):
            statuses.append(_post(url + "/compare", *small))
        status, body = statuses[-1]
        assert status == 200 and "data-verdict" in body, [s for s, _ in statuses]
