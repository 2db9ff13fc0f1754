"""serve's form in a real browser: Back keeps the paste, empty inputs are caught before sending, the page
shows that it is working, the sample button, removing a source, and web address fields.

The server runs in this process (uvicorn in a thread) with the instant bag-of-words embedder: these tests
are about the page, not the verdicts (tests/test_serve_browser.py runs the real model). The browser is
Debian's chromium, as there. A screenshot of the form is left in test-artifacts/serve-form.png.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reconcile.resources import Resources
from reconcile.serve import create_app
from reconcile.serve_form import bundled_sample

from .conftest import ARTIFACTS, SAMPLE_OUTLET, SAMPLE_POST, FakeEmbedder, served_token, with_token
from .web_pages import serving

OUTLET = SAMPLE_OUTLET.read_text(encoding="utf-8")
POST = SAMPLE_POST.read_text(encoding="utf-8")


class _PageEmbedder(FakeEmbedder):
    """The fake embedder, as serve uses one (``clear`` after each request), optionally slow."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__()
        self.delay = delay

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(self.delay)  # a comparison that takes a while, so that the page's busy state can be seen
        return super().encode(texts)

    def clear(self) -> None:
        self.calls.clear()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records script errors, CSP violations and dialogs (none may happen), and the
    requests it sends to /compare."""
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    pg = context.new_page()
    pg.problems = []
    pg.posts = []
    pg.on("pageerror", lambda exc: pg.problems.append(f"page error: {exc}"))
    pg.on("console", lambda msg: msg.type == "error" and pg.problems.append(f"console: {msg.text}"))
    pg.on("dialog", lambda dialog: (pg.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    pg.on("request", lambda request: request.url.endswith("/compare") and pg.posts.append(request.url))
    yield pg
    context.close()


class _Served:
    def __init__(self, app: Any) -> None:
        import uvicorn

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                pytest.fail("the in-process server did not start")
            time.sleep(0.05)
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(resources: Resources) -> Iterator[str]:
    # fetch_private: the web address tests fetch pages of a server on loopback
    app = create_app(_PageEmbedder(), resources=resources, fetch_private=True)  # type: ignore[arg-type]
    with _Served(app) as url:
        yield url


def _values(page: Any, *ids: str) -> list[str]:
    return [page.input_value(f"#{i}") for i in ids]


def test_sample_button_then_back_keeps_the_paste(server: str, page: Any) -> None:
    assert bundled_sample() is not None  # the repository's sample: this checkout has it
    page.goto(server + "/")
    page.click("#sample")
    assert _values(page, "outlet-name", "outlet-text", "src-0-name", "src-0-speaker", "src-0-text") == [
        "outlet-article",
        OUTLET,
        "Truth Social",
        "Donald Trump",
        POST,
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-form.png"), full_page=True)
    page.fill("#outlet-name", "Daily Planet")  # an edit after the sample is kept too
    with page.expect_navigation():
        page.click("#go")
    page.locator("#outlet .s").first.wait_for()
    page.go_back()
    page.wait_for_selector("#outlet-text")
    assert _values(page, "outlet-name", "outlet-text", "src-0-name", "src-0-text") == [
        "Daily Planet",
        OUTLET,
        "Truth Social",
        POST,
    ]
    assert not page.is_disabled("#go") and page.inner_text("#go") == "Compare"
    # The report's own link back to the form finds the texts too.
    with page.expect_navigation():
        page.click("#go")
    with page.expect_navigation():
        page.click("text=New comparison")
    assert _values(page, "outlet-text", "src-0-speaker") == [OUTLET, "Donald Trump"]
    # Clear empties the form and what the tab kept.
    page.click("#clear")
    page.reload()
    assert _values(page, "outlet-name", "outlet-text", "src-0-name") == ["outlet", "", ""]
    assert page.problems == []


def test_an_error_page_back_keeps_the_paste_and_says_which_file_to_choose_again(
    server: str, page: Any, tmp_path: Path
) -> None:
    upload = tmp_path / "article.txt"
    upload.write_text(OUTLET, encoding="utf-8")
    page.goto(server + "/")
    page.set_input_files("#outlet-file", str(upload))
    page.fill("#src-0-name", "Truth Social")
    page.fill("#src-0-url", "http://127.0.0.1:9/nothing-listens-here")
    with page.expect_navigation():
        page.click("#go")
    assert "source 'Truth Social': http://127.0.0.1:9/nothing-listens-here: connection refused" in page.inner_text(
        ".err"
    )
    with page.expect_navigation():
        page.click("text=Back to the form")
    assert page.input_value("#src-0-url") == "http://127.0.0.1:9/nothing-listens-here"
    assert "choose the file again: article.txt" in page.inner_text("#busy")
    assert [p for p in page.problems if "status of 400" not in p] == []  # the error page's own status


CAUGHT = [
    # (what to fill, the message, the field that gets the focus)
    ({}, "The outlet is empty: paste the article\u2019s text, choose its file or give its web address.", "outlet-text"),
    ({"outlet-text": OUTLET}, "Add at least one source: paste the official text it rests on", "src-0-text"),
    (
        {"outlet-text": OUTLET, "src-0-name": "Truth Social"},
        "Source 1 has a name but no text: paste its text, choose its file or give its web address, or remove it.",
        "src-0-text",
    ),
    (
        {"outlet-text": OUTLET, "src-0-url": "www.example.com/post"},
        "Source 1: \u201cwww.example.com/post\u201d is not a full web address; write it as https://\u2026",
        "src-0-url",
    ),
    (
        {"outlet-text": OUTLET, "outlet-url": "https://example.com/story", "src-0-text": POST},
        "The outlet: pasted text and a web address were given; keep one of them and clear the other.",
        "outlet-text",
    ),
]


@pytest.mark.parametrize(("fields", "message", "focused"), CAUGHT)
def test_incomplete_forms_are_caught_before_sending(
    server: str, page: Any, fields: dict[str, str], message: str, focused: str
) -> None:
    page.goto(server + "/")
    for key, value in fields.items():
        page.fill(f"#{key}", value)
    page.click("#go")
    assert page.inner_text("#msg").startswith(message)
    assert page.evaluate("document.activeElement.id") == focused
    assert page.get_attribute(f"#{focused}", "aria-invalid") == "true"
    assert page.posts == [] and page.url.rstrip("/") == server  # nothing was sent
    page.fill(f"#{focused}", "x")  # typing in the field takes its mark away
    assert page.get_attribute(f"#{focused}", "aria-invalid") is None
    assert page.problems == []


def test_over_the_limit_is_said_first(server: str, page: Any) -> None:
    page.goto(server + "/")
    page.evaluate("document.getElementById('outlet-text').value = 'a'.repeat(2100000)")  # and no source
    page.click("#go")
    assert page.inner_text("#msg").startswith("These texts come to 2.1 MB; the limit is 2.0 MB per comparison.")
    assert page.posts == [] and page.problems == []


def test_the_server_still_refuses_what_the_page_would_catch(server: str) -> None:
    import urllib.request

    body = b'--b\r\nContent-Disposition: form-data; name="src-0-name"\r\n\r\nPost\r\n--b--\r\n'
    request = urllib.request.Request(
        server + "/compare",
        data=with_token(body, "multipart/form-data; boundary=b", served_token(server)),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 400 and "the outlet is empty" in caught.value.read().decode()


def test_the_page_shows_it_is_working(server: str, page: Any) -> None:
    page.goto(server + "/")
    page.fill("#outlet-text", OUTLET)
    page.fill("#src-0-text", POST)
    # A listener after the page's own keeps the form from leaving, so that the page can be watched while it
    # waits (Playwright waits for a navigation before it looks again).
    page.evaluate("document.getElementById('f').addEventListener('submit', e => e.preventDefault())")
    page.click("#go")
    assert page.is_disabled("#go") and page.inner_text("#go") == "Comparing\u2026"
    assert re.fullmatch(r"Comparing\u2026 \d+ s \(this takes a few seconds\)", page.inner_text("#busy"))
    page.wait_for_function("() => /^Comparing\u2026 [1-9]\\d* s /.test(busy.textContent)")  # the seconds are counted
    assert page.posts == []
    # With a web address the page says the pages are fetched first.
    page.reload()
    page.evaluate("document.getElementById('f').addEventListener('submit', e => e.preventDefault())")
    page.fill("#outlet-text", "")
    page.fill("#outlet-url", "https://example.com/story")
    page.click("#go")
    assert "the web pages are fetched first" in page.inner_text("#busy")
    assert page.problems == []


def test_add_and_remove_sources(server: str, page: Any) -> None:
    page.goto(server + "/")
    assert page.is_hidden("#sources fieldset .remove")  # the one source cannot be removed
    page.fill("#outlet-text", OUTLET)
    page.click("#add")
    page.click("#add")
    for n, name in enumerate(["Alpha", "Beta", "Gamma"]):
        page.fill(f"#src-{n}-name", name)
        page.fill(f"#src-{n}-text", POST if n != 1 else "Beta says something else entirely.")
    page.click('button[aria-label="Remove source 2"]')
    legends = page.locator("#sources legend .title").all_inner_texts()
    assert legends == ["Source 1", "Source 2"]
    assert page.locator("#src-1-name").count() == 0 and page.input_value("#src-2-name") == "Gamma"
    page.click("#add")  # a new slot after a removal gets a number of its own
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)) and page.locator("#src-3-name").count() == 1
    page.click('button[aria-label="Remove source 3"]')
    with page.expect_navigation():
        page.click("#go")
    shown = page.inner_text("body")
    assert "Alpha" in shown and "Gamma" in shown and "Beta" not in shown
    page.go_back()
    page.wait_for_selector("#outlet-text")
    assert page.locator("#sources legend .title").all_inner_texts() == ["Source 1", "Source 2"]
    assert [page.input_value(f"#sources fieldset:nth-child({k}) input[type=text]") for k in (1, 2)] == [
        "Alpha",
        "Gamma",
    ]
    assert page.problems == []


def test_web_address_fields(server: str, page: Any) -> None:
    with serving() as web:
        page.goto(server + "/")
        page.fill("#outlet-url", f"{web}/r1")
        page.fill("#src-0-name", "Truth Social")
        page.fill("#src-0-url", f"{web}/post.txt")
        with page.expect_navigation():
            page.click("#go")
        shown = page.inner_text("body")
        assert "Jane Reporter" in shown and f"{web}/article.html" in shown
    assert page.problems == []


def test_no_sample_button_without_the_sample(resources: Resources, page: Any) -> None:
    app = create_app(_PageEmbedder(), resources=resources, with_sample=False)  # type: ignore[arg-type]
    with _Served(app) as url:
        page.goto(url + "/")
        assert page.locator("#sample").count() == 0 and page.locator("#go").count() == 1
    assert page.problems == []
