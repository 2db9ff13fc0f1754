"""Web pages as inputs (reconcile/fetch.py through read_document), against a real server on loopback."""

from __future__ import annotations

import html
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from reconcile.batch import Status, load_batch_config, run_batch
from reconcile.cli import Runtime, app
from reconcile.compare import compare
from reconcile.documents import parse_source_spec, read_document
from reconcile.errors import ConfigError, ReconcileError, UsageError
from reconcile.fetch import FetchLimits, is_url, url_stem
from reconcile.provenance import text_sha256
from reconcile.report import SCHEMA_VERSION
from reconcile.resources import Resources
from reconcile.serve import create_app

from .conftest import SAMPLE, SAMPLE_OUTLET, SAMPLE_POST, TOKEN, Cli, FakeEmbedder
from .web_pages import ARTICLE_SENTENCES, FURNITURE, POST, serving


@pytest.fixture(scope="module")
def web() -> Iterator[str]:
    with serving() as base:
        yield base


def test_article_page_text_and_metadata(web: str) -> None:
    url = f"{web}/news/2025/01/trump-xi-call.html"
    doc = read_document(url)
    assert doc.name == "trump-xi-call" and doc.path == url and doc.url == url
    assert doc.title == "Trump and Xi discuss trade and TikTok in phone call"
    assert doc.author == "Jane Reporter"
    assert doc.published == "2025-01-17"
    for sentence in ARTICLE_SENTENCES:
        assert sentence in doc.text
    for furniture in FURNITURE:  # navigation, masthead, byline, related links and footer are left out
        assert furniture not in doc.text, furniture
    assert doc.format == "text"


def test_redirect_chain_records_where_it_ended(web: str) -> None:
    doc = read_document(f"{web}/r1", name="Daily Planet", speaker="Jane Reporter")
    assert doc.path == f"{web}/r1" and doc.url == f"{web}/article.html"
    assert doc.name == "Daily Planet" and doc.speaker == "Jane Reporter"
    assert ARTICLE_SENTENCES[0] in doc.text


def test_plain_text_and_unlabelled_text_are_read_as_they_are(web: str) -> None:
    for path in ("/post.txt", "/no-type"):
        doc = read_document(web + path)
        assert doc.text == POST.decode() and doc.format == "text"
        assert doc.title is None and doc.author is None and doc.url == web + path


def test_declared_charset_is_used(web: str) -> None:
    assert "Le café était très bon" in read_document(f"{web}/latin1.html").text


def _error(url: str, **limits: Any) -> str:
    with pytest.raises(ReconcileError) as caught:
        read_document(url, limits=FetchLimits(**limits))
    message = str(caught.value)
    assert "\n" not in message and message.startswith(url), message
    return message


FAILURES: dict[str, tuple[dict[str, Any], str]] = {
    "/loop": ({}, "more than 5 redirects"),
    "/missing": ({}, "the server answered 404 Not Found; check the address"),
    "/error": ({}, "the server answered 500 Internal Server Error; the server failed: try again later"),
    "/doc.pdf": ({}, "is a PDF, and PDFs are not read yet; download it and convert it to text, e.g. pdftotext"),
    "/pdf-as-html": ({}, "PDFs are not read yet"),
    "/photo.png": ({}, "is image/png, not a web page or text"),
    "/big-declared": ({"max_bytes": 100_000}, "the page is over the 0.1 MB limit"),
    "/big-streamed": ({"max_bytes": 100_000}, "the page is over the 0.1 MB limit"),
    "/slow": ({"timeout": 0.5}, "no complete answer within 0.5 s (timed out)"),
    "/trickle": ({"timeout": 1.0}, "no complete answer within 1 s (timed out)"),
    "/to-ftp": ({}, "redirected to an address that is not http:// or https://"),
    "/to-javascript": ({}, "redirected to an address that is not http:// or https://"),
    "/to-bad-port": ({}, "redirected to an address that is not http:// or https://, or a malformed one"),
    "/drip": ({"timeout": 1.0}, "no complete answer within 1 s (timed out)"),
    "/charset-undefined": ({}, "declares an unknown charset 'undefined'"),
    "/charset-unknown": ({}, "declares an unknown charset 'x-no-such-charset'"),
    "/charset-rot13": ({}, "declares an unknown charset 'rot13'"),
    "/meta-undefined": ({}, "declares an unknown charset 'undefined'"),
}


@pytest.mark.parametrize("path", sorted(FAILURES))
def test_each_failure_is_one_line_naming_the_url_and_the_fix(web: str, path: str) -> None:
    limits, needle = FAILURES[path]
    message = _error(web + path, **limits)
    assert needle in message, message


def test_redirects_are_bounded_by_the_limit(web: str) -> None:
    assert "more than 1 redirects" in _error(f"{web}/r1", max_redirects=1)
    assert read_document(f"{web}/r1", limits=FetchLimits(max_redirects=2)).url == f"{web}/article.html"


def test_connection_refused() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, and that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    message = _error(f"http://127.0.0.1:{port}/story", timeout=5)
    assert f"connection refused by 127.0.0.1:{port}" in message


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    # The resolver is replaced, so that no lookup leaves the machine; the error comes up through httpx as it would.
    def no_such_host(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    message = _error("https://news.invalid/story")
    assert "cannot find the server news.invalid (DNS lookup failed)" in message


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/story.txt", "file:///etc/passwd", "http:///no-host"])
def test_only_http_and_https_with_a_host(url: str) -> None:
    with pytest.raises(UsageError) as caught:
        read_document(url)
    assert str(caught.value).startswith(url) and ("http://" in str(caught.value) or "host" in str(caught.value))


def test_reading_a_file_imports_neither_httpx_nor_trafilatura(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<p>A sentence.</p>", encoding="utf-8")
    code = (
        "import sys\n"
        "from reconcile.documents import read_document, parse_source_spec\n"
        f"read_document({str(tmp_path / 'a.html')!r}); parse_source_spec('MFA=https://example.com/r')\n"
        "assert not {'httpx', 'trafilatura'} & set(sys.modules), sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_nothing_is_fetched_for_a_file(tmp_path: Path) -> None:
    path = tmp_path / "https:"  # a folder whose name merely looks like a scheme is still a path
    path.mkdir()
    (path / "a.txt").write_text("A sentence.", encoding="utf-8")
    assert read_document(path / "a.txt").text == "A sentence."


@pytest.mark.parametrize(
    ("value", "url", "stem"),
    [
        ("https://example.com/news/2025/call.html", True, "call"),
        ("http://example.com/", True, "example.com"),
        ("HTTPS://Example.com/a/b/", True, "b"),
        ("notes/a.txt", False, None),
        ("C:\\notes\\a.txt", False, None),
        ("-", False, None),
    ],
)
def test_is_url_and_url_stem(value: str, url: bool, stem: str | None) -> None:
    assert is_url(value) is url
    if stem is not None:
        assert url_stem(value) == stem


def test_source_specs_with_urls() -> None:
    assert parse_source_spec("https://example.com/readout.html?id=3") == (
        "readout",
        None,
        "https://example.com/readout.html?id=3",
    )
    assert parse_source_spec("Xi Jinping: MFA=https://example.com/r?id=3") == (
        "MFA",
        "Xi Jinping",
        "https://example.com/r?id=3",
    )


# --- the command line ---------------------------------------------------------------------------


def _fake_cli(*args: str) -> Result:
    """reconcile in-process with the instant bag-of-words embedder: these tests are about reading, not judging."""
    fake = FakeEmbedder()
    runtime = Runtime(make_embedder=lambda model, *, cache_dir, precision: fake)
    return CliRunner().invoke(app, list(args), obj=runtime)


def test_compare_urls_records_the_pages_and_verify_refetches_them(web: str, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    outlet_url, post_url = f"{web}/r1", f"{web}/post.txt"
    result = _fake_cli(
        "compare", outlet_url, "--source", f"Donald Trump: Truth Social={post_url}", "-f", "json", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION == "2.1"
    outlet = data["outlet"]
    assert outlet["path"] == outlet_url and outlet["url"] == f"{web}/article.html"
    assert (outlet["title"], outlet["author"], outlet["published"]) == (
        "Trump and Xi discuss trade and TikTok in phone call",
        "Jane Reporter",
        "2025-01-17",
    )
    source = data["sources"][0]
    assert source["url"] == post_url and "title" not in source and source["speaker"] == "Donald Trump"
    # Offsets and the hash are of the extracted text, which reading the URL again gives back.
    text = read_document(outlet_url).text
    assert outlet["sha256"] == text_sha256(text)
    assert all(text[s["start"] : s["end"]] == s["text"] for s in data["sentences"]) and data["sentences"]
    verified = _fake_cli("verify", str(out))
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.splitlines()[0].startswith(f"matches    outlet 'r1': {outlet_url}")


def test_files_keep_their_json_without_page_fields(fake_embedder: FakeEmbedder) -> None:
    report = compare(
        read_document(SAMPLE_OUTLET),
        [read_document(SAMPLE_POST)],
        embedder=fake_embedder,
    )
    for info in report.to_dict()["outlet"], *report.to_dict()["sources"]:
        assert not {"url", "title", "published", "author"} & set(info)
    assert report.outlet.header_line() == ""


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_report_headers_show_the_page(web: str, fmt: str) -> None:
    result = _fake_cli("compare", f"{web}/article.html", f"{web}/post.txt", "-f", fmt)
    assert result.exit_code == 0, result.output
    title = "\u201cTrump and Xi discuss trade and TikTok in phone call\u201d"
    line = f"article: {title}, by Jane Reporter, published 2025-01-17, {web}/article.html"
    shown = " ".join(result.stdout.split())  # the text report wraps long lines
    assert (html.escape(line) if fmt == "html" else line) in shown, shown[:2000]


def test_cli_fetch_error_is_one_line_exit_2(web: str) -> None:
    result = _fake_cli("compare", f"{web}/slow", f"{web}/post.txt", "--timeout", "0.3")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"reconcile: error: {web}/slow: no complete answer within 0.3 s (timed out); try again later, "
        "give a longer --timeout, or save the page from your browser and pass the file"
    )
    result = _fake_cli("compare", f"{web}/article.html", f"{web}/missing.html")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert f"{web}/missing.html: the server answered 404 Not Found" in result.stderr


# --- batch configs ------------------------------------------------------------------------------


def test_batch_config_with_urls(web: str, tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    (tmp_path / "post.txt").write_text(POST.decode(), encoding="utf-8")
    config = tmp_path / "batch.yaml"
    config.write_text(
        f"output_dir: out\n"
        f"sources:\n"
        f"  post: {{path: post.txt, name: Truth Social, speaker: Donald Trump}}\n"
        f"  page: {{path: '{web}/post.txt', name: Post page}}\n"
        f"comparisons:\n"
        f"  - {{name: web, outlet: '{web}/r1', sources: [post, page]}}\n"
        f"  - {{name: gone, outlet: '{web}/missing.html', sources: [{{path: '{web}/post.txt'}}]}}\n",
        encoding="utf-8",
    )
    loaded = load_batch_config(config)
    first = loaded.comparisons[0]
    assert first.outlet == f"{web}/r1" and first.sources[1].path == f"{web}/post.txt"
    assert loaded.comparisons[1].sources[0].name == "post"  # named after the URL's last segment
    result = run_batch(loaded, embedder=fake_embedder)
    ok, gone = result.comparisons
    assert ok.status is Status.OK and ok.outlet == f"{web}/r1"
    report = json.loads((tmp_path / "out" / "web.json").read_text(encoding="utf-8"))
    assert report["outlet"]["url"] == f"{web}/article.html" and report["outlet"]["author"] == "Jane Reporter"
    assert [s.get("url") for s in report["sources"]] == [None, f"{web}/post.txt"]
    assert gone.status is Status.FAILED
    assert gone.error == f"{web}/missing.html: the server answered 404 Not Found; check the address"


def test_batch_config_url_problems_name_the_field(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A sentence.", encoding="utf-8")
    config = tmp_path / "batch.yaml"
    config.write_text(
        "sources:\n"
        "  post: {path: 'ftp://example.com/post.txt'}\n"
        "comparisons:\n"
        "  - {name: one, outlet: 'https:///story', sources: [post, {path: a.txt}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_batch_config(config)
    lines = str(caught.value).splitlines()
    assert lines[0].endswith("2 problems in the batch config; fix them and run again")
    assert lines[1:] == [
        "  sources.post.path: ftp://example.com/post.txt: only http:// and https:// addresses are read; "
        "download the file and pass its path",
        "  comparisons.0.outlet: https:///story: no host name in the address; write it in full, "
        "e.g. https://example.com/story",
    ]


# --- serve's web address fields -----------------------------------------------------------------


class _ClearableFake(FakeEmbedder):
    def clear(self) -> None:  # serve drops what a request left in the embedder
        self.calls.clear()


def _form(fields: dict[str, str]) -> dict[str, tuple[None, str]]:
    # multipart, as the page sends it, with the form's token
    return {key: (None, value) for key, value in {"token": TOKEN, **fields}.items()}


def test_serve_fetches_web_address_fields(web: str, resources: Resources) -> None:
    client = TestClient(
        create_app(_ClearableFake(), resources=resources, token=TOKEN, fetch_private=True)  # type: ignore[arg-type]
    )
    assert 'name="outlet-url"' in client.get("/").text and 'name="src-0-url"' in client.get("/").text
    fields = {"outlet-url": f"{web}/r1", "src-0-name": "", "src-0-url": f"{web}/post.txt"}
    page = client.post("/compare", files=_form(fields))
    assert page.status_code == 200, page.text
    assert "Jane Reporter" in page.text and f"{web}/article.html" in page.text
    page = client.post("/compare", files=_form({**fields, "src-0-url": f"{web}/doc.pdf"}))
    assert page.status_code == 400 and "source 1: " in page.text and "PDFs are not read yet" in page.text
    page = client.post("/compare", files=_form({**fields, "outlet-text": "Pasted too."}))
    assert "the outlet: pasted text and a web address were given; keep one of them" in page.text


def test_serve_off_loopback_fetches_nothing(web: str, resources: Resources) -> None:
    client = TestClient(
        create_app(_ClearableFake(), resources=resources, fetch_urls=False, token=TOKEN)  # type: ignore[arg-type]
    )
    assert 'name="outlet-url"' not in client.get("/").text
    page = client.post("/compare", files=_form({"outlet-url": f"{web}/r1", "src-0-name": "a", "src-0-text": "A."}))
    assert page.status_code == 400 and "this server does not fetch web addresses" in page.text


def test_results_db_key_of_a_page_is_its_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reconcile.documents import Document
    from reconcile.results_db import inputs_key

    page = Document(name="story", path="https://example.com/a/story", text="A sentence.")
    post = Document(name="post", path="https://example.com/post", text="A sentence.")
    local = Document(name="post", path="post.txt", text="A sentence.")
    before = inputs_key(page, [post]), inputs_key(page, [local])
    monkeypatch.chdir(tmp_path)
    # A relative file is resolved against the current folder; a URL is no path, and keys the same anywhere.
    assert inputs_key(page, [post]) == before[0] and inputs_key(page, [local]) != before[1]
    assert (
        inputs_key(Document(name="story", path="https://example.com/b/story", text="A sentence."), [post]) != before[0]
    )


# --- hostile pages and addresses (issue 27) -------------------------------------------------------


def test_a_dripping_status_line_is_cut_at_the_timeout(web: str) -> None:
    # /drip sends one byte every 0.2 s: no single read waits long, so only a deadline on the whole fetch ends it.
    started = time.monotonic()
    message = _error(f"{web}/drip", timeout=1.0)
    assert "no complete answer within 1 s (timed out)" in message
    assert time.monotonic() - started < 10  # the whole answer would take 35 s


def test_private_addresses_are_refused_when_the_limits_say_so(web: str) -> None:
    limits = FetchLimits(private_addresses=False)
    for path in ("/post.txt", "/r1"):
        with pytest.raises(ReconcileError) as caught:
            read_document(web + path, limits=limits)
        assert "is a loopback, link-local or private address (127.0.0.1)" in str(caught.value)
        assert "--fetch-private" in str(caught.value)
    assert read_document(f"{web}/post.txt", limits=FetchLimits()).text == POST.decode()


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "fc00::1",
     "::ffff:127.0.0.1", "0.0.0.0", "100.64.0.1", "224.0.0.1"],
)  # fmt: skip
def test_what_counts_as_private(address: str) -> None:
    from reconcile.fetch import _allowed

    assert not _allowed(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    from reconcile.fetch import _allowed

    assert _allowed(address)


def test_a_name_that_resolves_to_loopback_is_refused(web: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A public-looking name whose DNS answer is this machine (rebinding): the address connected to is checked.
    port = int(web.rsplit(":", 1)[1])
    real = socket.getaddrinfo

    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host == "news.example" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(ReconcileError) as caught:
        read_document(f"http://news.example:{port}/post.txt", limits=FetchLimits(private_addresses=False))
    assert "news.example is a loopback, link-local or private address" in str(caught.value)


@pytest.mark.parametrize("timeout", [float("inf"), 1e308, 0.0, -1.0, float("nan")])
def test_timeouts_out_of_range_are_usage_errors(timeout: float) -> None:
    with pytest.raises(UsageError, match="out of range; give between 0.1 and 3600 s"):
        FetchLimits(timeout=timeout)


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/story", "http://127.0.0.1:port/story", "http://[::1/story"])
def test_malformed_addresses_are_one_line(url: str) -> None:
    with pytest.raises(UsageError, match="the address is malformed"):
        read_document(url)


def test_credentials_in_an_address_are_never_recorded(web: str, fake_embedder: FakeEmbedder) -> None:
    secret_url = web.replace("http://", "http://reader:hunter2@") + "/post.txt"
    doc = read_document(secret_url)
    assert "hunter2" not in doc.path and "hunter2" not in (doc.url or "") and doc.path == f"{web}/post.txt"
    outlet = read_document(f"{web}/article.html")
    report = compare(outlet, [doc], embedder=fake_embedder)
    from reconcile.render import render

    for fmt in ("json", "text", "markdown", "html"):
        assert "hunter2" not in render(report, fmt, texts={d.name: d.text for d in (outlet, doc)}), fmt
    with pytest.raises(ReconcileError) as caught:
        read_document(web.replace("http://", "http://reader:hunter2@") + "/missing")
    assert "hunter2" not in str(caught.value)


def test_cli_timeout_out_of_range_is_one_line(cli: Cli) -> None:
    for value in ("inf", "1e308", "-1", "nan"):
        result = cli("compare", str(SAMPLE / "outlet-article.txt"), str(SAMPLE / "truth-social-post.txt"),
                     "--timeout", value)  # fmt: skip
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("reconcile: error: ") and "--timeout" in result.stderr
