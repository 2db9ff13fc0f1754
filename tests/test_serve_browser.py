"""End to end in a real browser: `reconcile serve` with the packaged model, and an HTML report from the CLI.

The browser is Debian's chromium (``make test`` installs it), driven by Playwright's Python package; its
own browser download (``playwright install``) is never used. The pages are checked with axe-core (fetched
by ``make test``'s set-up, injected by Playwright). Screenshots are left in test-artifacts/ for a person to
look at: the served report, the report at desktop width (also as a deuteranope sees it), at 390 px and
printed (also as a PDF).
"""

from __future__ import annotations

import contextlib
import json
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

from .conftest import ARTIFACTS, ROOT, SAMPLE_OUTLET, SAMPLE_POST, Cli, FakeEmbedder, served_token, with_token

# axe-core, the accessibility checker injected into the pages; `make test` fetches it first (`make axe`).
AXE_VERSION = "4.14.1"
AXE = ROOT / ".venv" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
OUTLET = SAMPLE_OUTLET
POST = SAMPLE_POST
CLICKED = "I just spoke to Chairman Xi Jinping of China"

pytestmark = pytest.mark.model


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
    # The form's token, read from the server's page as a browser would: without it the post is refused.
    body = with_token(body, content_type, served_token(url.rsplit("/", 1)[0]))
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
    # An empty outlet is caught in the page, before anything is sent; the server checks again (below).
    page.click("#go")
    assert page.inner_text("#msg").startswith("The outlet is empty") and page.url.rstrip("/") == server
    body, content_type = _multipart({"outlet-text": "", "src-0-name": "Truth Social", "src-0-text": "It was."})
    status, html = _post(server + "/compare", body, content_type)
    assert status == 400 and "the outlet is empty" in html
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
    for n in range(1, page.locator("#outlet .s").count() + 1):
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


# ------------------------------------------------------------------------------------------- the report page


@pytest.fixture(scope="module")
def report_files(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> dict[str, Path]:
    """The sample (quotes, an omission) and the two-readouts case (sentences with several evidence windows),
    as HTML files made with the real model and the full texts."""
    from reconcile.compare import compare
    from reconcile.documents import read_document
    from reconcile.render.html import render_html

    from .conftest import TWO

    cases = {
        "sample": (OUTLET, [(POST, "Truth Social", "Donald Trump")]),
        "two": (
            TWO / "article.txt",
            [(TWO / "white-house.txt", "White House", "Joe Biden"), (TWO / "mfa.txt", "MFA", "Xi Jinping")],
        ),
    }
    folder = tmp_path_factory.mktemp("reports")
    files = {}
    for case, (outlet_path, sources) in cases.items():
        outlet = read_document(outlet_path)
        docs = [read_document(path, name=name, speaker=speaker) for path, name, speaker in sources]
        report = compare(outlet, docs, embedder=embedder)
        texts = {d.name: d.text for d in (outlet, *docs)}
        files[case] = folder / f"{case}.html"
        files[case].write_text(render_html(report, texts=texts), encoding="utf-8")
    return files


def _axe(pg: Any) -> list[str]:
    """The serious and critical accessibility violations axe-core finds on the page as it is now."""
    assert AXE.is_file(), f"{AXE} is missing: run `make axe` (part of `make test`'s set-up) to fetch axe-core"
    if not pg.evaluate("typeof axe !== 'undefined'"):
        pg.add_script_tag(path=str(AXE))
    assert pg.evaluate("axe.version") == AXE_VERSION
    result = pg.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def axe_page(browser: Any) -> Iterator[Any]:
    """A page for axe: its own script is injected, so this context alone bypasses the page's CSP."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
    pg = context.new_page()
    pg.problems = []
    pg.on("pageerror", lambda exc: pg.problems.append(f"page error: {exc}"))
    yield pg
    context.close()


def _fits(pg: Any) -> None:
    width = pg.evaluate("document.documentElement.clientWidth")
    assert pg.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"


def test_report_has_no_serious_accessibility_violations(report_files: dict[str, Path], axe_page: Any) -> None:
    for case, path in report_files.items():
        for width in (1400, 390):
            axe_page.set_viewport_size({"width": width, "height": 900})
            axe_page.goto(path.as_uri())
            assert _axe(axe_page) == [], (case, width)
            # With a sentence selected: its panel, the evidence marked and lettered in the sources.
            axe_page.locator("#s-1").click()
            axe_page.locator("#sources .p").first.click()
            axe_page.locator("#s-1").click()
            assert _axe(axe_page) == [], (case, width, "selected")
    assert axe_page.problems == []


def test_serve_form_has_no_serious_accessibility_violations(axe_page: Any) -> None:
    from reconcile.serve import form_page

    for width in (1400, 390):
        axe_page.set_viewport_size({"width": width, "height": 900})
        axe_page.set_content(form_page())
        assert _axe(axe_page) == [], width


def test_report_at_390_px_panel_below_the_sentence(report_files: dict[str, Path], browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True)
    pg = context.new_page()
    pg.goto(report_files["sample"].as_uri())
    _fits(pg)
    sentence = pg.locator("#outlet .s", has_text=CLICKED)
    sentence.click()
    # The panel is drawn right below the sentence it explains, inside the article text.
    assert pg.evaluate("document.getElementById('panel').previousElementSibling.id") == sentence.get_attribute("id")
    panel, box = pg.locator("#panel").bounding_box(), sentence.bounding_box()
    assert panel["y"] >= box["y"] + box["height"] - 1 and panel["x"] + panel["width"] <= 390
    assert CLICKED in pg.inner_text("#panel")
    _fits(pg)
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "report-390.png"), full_page=True)
    pg.keyboard.press("Escape")
    assert pg.evaluate("document.getElementById('panel').parentElement.id") == "side"
    context.close()


def test_report_desktop_panel_beside_and_evidence_lettered(report_files: dict[str, Path], page: Any) -> None:
    page.goto(report_files["two"].as_uri())
    _fits(page)
    # A sentence with evidence in two sources: its windows are lettered a, b in the panel and in the sources.
    n = page.evaluate("JSON.parse(document.getElementById('reconcile-data').textContent).s.findIndex(s=>s.ev.length>1)")
    assert n >= 0
    page.locator(f"#s-{n + 1}").click()  # anchors number the sentences from 1
    panel, box = page.locator("#panel").bounding_box(), page.locator(f"#s-{n + 1}").bounding_box()
    assert panel["x"] >= box["x"] + box["width"]  # beside it
    assert page.locator("#panel .evbtn .evm").all_inner_texts()[:2] == ["a", "b"]
    assert sorted(page.locator("#sources .evm").all_inner_texts())[:2] == ["a", "b"]  # in the sources' order
    first = page.locator("#sources .evm", has_text="a").first.evaluate("m => m.nextElementSibling.className")
    assert "ev1" in first  # the passage after "a" is the first window's
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-desktop.png"), full_page=True)
    # The same as a deuteranope sees it (Machado et al. 2009, severity 1), for a person to look at.
    page.evaluate(DEUTERANOPIA_JS)
    page.screenshot(path=str(ARTIFACTS / "report-deuteranopia.png"), full_page=True)
    page.evaluate("document.documentElement.style.filter = ''")
    # Clicking a source passage shows the outlet sentences that rest on it.
    page.locator("#sources .p.ev1").first.click()
    used = page.locator("#outlet .s.use")
    assert f"s-{n + 1}" in [used.nth(i).get_attribute("id") for i in range(used.count())]
    assert "Evidence for" in page.inner_text("#panel") and f"Sentence {n + 1}" in page.inner_text("#panel")
    page.locator("#panel button", has_text=f"Sentence {n + 1}").click()
    assert "sel" in (page.locator(f"#s-{n + 1}").get_attribute("class") or "")
    # By keyboard: a passage that is evidence takes the focus, and Enter shows its sentences.
    page.keyboard.press("Escape")
    passage = page.locator('#sources .p[role="button"]').first
    passage.focus()
    page.keyboard.press("Enter")
    assert page.locator("#outlet .s.use").count() >= 1 and "Evidence for" in page.inner_text("#panel")
    assert page.problems == []


DEUTERANOPIA_JS = """() => {
  const ns = 'http://www.w3.org/2000/svg', svg = document.createElementNS(ns, 'svg');
  const f = document.createElementNS(ns, 'filter'), m = document.createElementNS(ns, 'feColorMatrix');
  f.id = 'deuteranopia'; m.setAttribute('type', 'matrix');
  m.setAttribute('values', '0.367322 0.860646 -0.227968 0 0  0.280085 0.672501 0.047413 0 0 '
    + '-0.01182 0.04294 0.968881 0 0  0 0 0 1 0');
  svg.setAttribute('width', '0'); svg.setAttribute('height', '0'); svg.style.position = 'absolute';
  f.appendChild(m); svg.appendChild(f); document.body.appendChild(svg);
  document.documentElement.style.filter = 'url(#deuteranopia)';
}"""


def _selected(pg: Any) -> list[str]:
    return [
        str(pg.locator("#outlet .s.sel").nth(i).get_attribute("id"))
        for i in range(pg.locator("#outlet .s.sel").count())
    ]


def _in_view(pg: Any, selector: str) -> bool:
    return bool(
        pg.evaluate(
            f"(() => {{const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return r.bottom > 0 && r.top < innerHeight})()"
        )
    )


def test_report_keyboard_and_ledger_rows(report_files: dict[str, Path], page: Any) -> None:
    page.goto(report_files["sample"].as_uri())
    verdicts = page.evaluate("JSON.parse(document.getElementById('reconcile-data').textContent).s.map(s=>s.v)")
    problems = page.evaluate("JSON.parse(document.getElementById('reconcile-data').textContent).s.map(s=>s.pr.length)")
    # A finding: a sentence not supported, or one with a problem (a supported sentence in a spliced quote).
    findings = [f"s-{i + 1}" for i, (v, n) in enumerate(zip(verdicts, problems, strict=True)) if v != "supported" or n]
    assert len(findings) >= 3 and len(findings) < len(verdicts)
    page.keyboard.press("j")
    assert _selected(page) == findings[:1]
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert _selected(page) == [findings[2]]
    page.keyboard.press("k")
    assert _selected(page) == [findings[1]]
    # The arrow keys on a focused sentence; they skip supported sentences.
    page.keyboard.press("ArrowDown")
    assert _selected(page) == [findings[2]] and page.evaluate("document.activeElement.id") == findings[2]
    page.keyboard.press("ArrowUp")
    assert _selected(page) == [findings[1]]
    page.keyboard.press("Escape")
    assert _selected(page) == [] and "Select a sentence" in page.inner_text("#panel")
    supported = f"s-{next(i + 1 for i, (v, n) in enumerate(zip(verdicts, problems, strict=True)) if v == 'supported')}"
    page.locator(f"#{supported}").focus()
    page.keyboard.press(" ")
    assert _selected(page) == [supported]
    page.keyboard.press("Escape")
    # A quote-ledger row selects its sentence and scrolls it into view, with the quoted passage marked.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    row = page.locator("tr[data-q]", has_text="spliced")
    row.click()
    (selected,) = _selected(page)
    assert _in_view(page, f"#{selected}") and "sel" in (row.get_attribute("class") or "")
    assert page.locator("#sources .p.qs").count() >= 1
    # An omission row: its passage in the source is marked and scrolled to.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.locator("tr[data-o]").first.click()
    assert _selected(page) == [] and _in_view(page, "#sources .p.qs")
    assert page.problems == []


def test_report_printed_keeps_the_evidence(report_files: dict[str, Path], page: Any) -> None:
    page.goto(report_files["sample"].as_uri())
    page.locator("#outlet .s", has_text=CLICKED).click()
    page.emulate_media(media="print")
    assert not page.locator("#panel").is_visible() and not page.locator(".keys").is_visible()
    assert page.locator(".legend li.noprint").count() >= 2 and not page.locator(".legend li.noprint").first.is_visible()
    printed = page.locator("section.print-only")
    assert printed.is_visible()
    data = page.evaluate("JSON.parse(document.getElementById('reconcile-data').textContent).s")
    assert printed.locator("ul.evall > li").count() == len(data)
    text = printed.inner_text()
    for s in data:
        for e in s["ev"]:
            assert e[6].split("\n")[0] in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-print.png"), full_page=True)
    page.pdf(path=str(ARTIFACTS / "report.pdf"), format="A4", print_background=True)
    assert (ARTIFACTS / "report.pdf").read_bytes().startswith(b"%PDF")
    assert page.problems == []


def test_batch_index_sorts_by_column(tmp_path: Path, page: Any) -> None:
    from reconcile.render.batch_index import render_batch_index

    rows: list[dict[str, Any]] = [
        {"name": "b", "status": "ok", "sentences": 5, "contradicted": 2, "share_supported": 0.2, "files": ["b.html"]},
        {"name": "a", "status": "ok", "sentences": 12, "contradicted": 0, "share_supported": 0.9, "files": []},
        {"name": "c", "status": "failed", "error": "no such file", "files": []},
    ]
    path = tmp_path / "index.html"
    path.write_text(render_batch_index(rows, title="batch"), encoding="utf-8")
    page.goto(path.as_uri())

    def names() -> list[str]:
        return [t.split()[-1] for t in page.locator("tbody tr td:first-child").all_inner_texts()]

    assert names() == ["b", "a", "c"]
    header = page.locator("th", has_text="sentences")
    header.locator("button").click()
    assert names() == ["b", "a", "c"] and header.get_attribute("aria-sort") == "ascending"  # the failed one last
    header.locator("button").click()
    assert names() == ["a", "b", "c"] and header.get_attribute("aria-sort") == "descending"
    # By keyboard: Tab to a header's button, Enter sorts.
    comparison = page.locator("th", has_text="name")
    comparison.locator("button").focus()
    page.keyboard.press("Enter")
    assert names() == ["a", "b", "c"] and comparison.get_attribute("aria-sort") == "ascending"
    assert header.get_attribute("aria-sort") is None
    assert page.locator("tr.r-contradicted").count() == 1 and page.locator("tr.r-failed").count() == 1
    assert page.problems == []


def test_batch_closing_line_names_the_index_and_it_passes_axe(model_cli: Cli, tmp_path: Path, axe_page: Any) -> None:
    config = tmp_path / "batch.yaml"
    example = (ROOT / "configs" / "example.yaml").read_text(encoding="utf-8")
    config.write_text(
        example.replace("formats: [json, markdown]", "formats: [json, html]")
        .replace("../", f"{ROOT}/")
        .replace("example/wire-brief.txt", f"{ROOT}/configs/example/wire-brief.txt"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    db = tmp_path / "results.sqlite"
    result = model_cli("batch", str(config), "--output-dir", str(out), "--no-cache", "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert f"index: {out / 'index.html'}; database: {db}" in result.stderr.splitlines()[-1]
    for width in (1400, 390):
        axe_page.set_viewport_size({"width": width, "height": 900})
        axe_page.goto((out / "index.html").as_uri())
        _fits(axe_page)
        assert _axe(axe_page) == [], width
        axe_page.locator("th button", has_text="unsupported").click()
        assert axe_page.locator("th[aria-sort=ascending]").inner_text() == "unsupported"
        assert _axe(axe_page) == [], (width, "sorted")
    assert axe_page.problems == []


def test_report_opens_with_what_to_check_and_can_show_problems_only(report_files: dict[str, Path], page: Any) -> None:
    page.goto(report_files["sample"].as_uri())
    data = page.evaluate("JSON.parse(document.getElementById('reconcile-data').textContent).s")
    urgent = [i for i, s in enumerate(data) if any(p[0] != "context" for p in s["pr"])]
    heading = page.inner_text("#triage-h")
    # One item a problem; those resting on one source not supplied nest under an item that names it.
    assert heading.startswith(f"{page.locator('.triage ol.todo li:not(.rests-on)').count()} to check: ")
    # The worst comes first, and following its link (mouse or keyboard) selects its sentence.
    first = page.locator(".triage ol.todo > li").first
    assert first.locator(".sev-error").count() == 1
    target = str(first.locator("a").get_attribute("data-s"))
    first.locator("a").click()
    assert _selected(page) == [f"s-{int(target) + 1}"] and _in_view(page, f"#s-{int(target) + 1}")
    assert first.locator("a").get_attribute("href") == f"#s-{int(target) + 1}"  # numbered from 1, as shown
    assert "Problems" in page.inner_text("#panel") and page.locator("#panel .sev-error").count() >= 1
    page.keyboard.press("Escape")
    second = page.locator(".triage ol.todo > li a").nth(1)
    second.focus()
    page.keyboard.press("Enter")
    assert _selected(page) == [f"s-{int(str(second.get_attribute('data-s'))) + 1}"]
    # A name in no source is marked as a thing to check, never as a contradiction; the one contradiction
    # is the claim of silence the post answers (its marks split around the addition inside it).
    assert page.locator("#outlet mark.chk", has_text="Huawei").count() == 1
    assert "".join(page.locator("#outlet mark.con").all_inner_texts()) == "did not reveal details about the call"
    # Problems only: the other sentences (and their rows) are hidden; j/k step through what is left.
    page.check("#only-problems")
    visible = [i for i in range(len(data)) if page.locator(f"#s-{i + 1}").is_visible()]
    assert visible == urgent
    assert page.locator("tr[data-s]:visible").count() == len(urgent)
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert _selected(page) == [f"s-{urgent[1] + 1}"]
    page.uncheck("#only-problems")
    assert page.locator("#outlet .s:visible").count() == len(data)
    page.screenshot(path=str(ARTIFACTS / "report-triage.png"))
    assert page.problems == []


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_report_first_screen_is_text(report_files: dict[str, Path], page: Any, width: int, height: int) -> None:
    # The first screen is the report's own words: what to check, worst first; the legend folds into "?".
    page.set_viewport_size({"width": width, "height": height})
    page.goto(report_files["sample"].as_uri())
    _fits(page)
    assert _in_view(page, "#triage-h") and _in_view(page, ".triage ol.todo > li")
    assert not page.locator(".legend").is_visible()
    page.locator("details.help > summary").click()
    assert page.locator(".legend").is_visible()
    # Its examples are the report's own words, and the chips say their counts in words.
    assert page.locator(".legend mark.chk").inner_text() in page.inner_text("#outlet")
    assert "quotes not found" in page.inner_text(".summary") and "not_found" not in page.inner_text(".summary")
    page.locator("details.help > summary").click()
    page.evaluate("window.scrollTo(0, 0)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report-first-screen-{width}.png"))
    assert page.problems == []
