"""The HTML report and the batch index: escaping, self-containment, full texts or the report alone."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

import pytest

from reconcile.compare import compare
from reconcile.documents import document_from_text, read_document
from reconcile.render import EXTENSIONS, RENDERERS, render
from reconcile.render.batch_index import render_batch_index
from reconcile.render.html import _JS, render_html
from reconcile.report import Report

from .conftest import SAMPLE, FakeEmbedder

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</script>")
EVIL_NAME = 'Ministry </script><script>alert(1)</script> "><img src=x onerror=alert(1)>'
OUTLET = (
    "Officials met in Geneva on Monday to discuss trade. <script>alert(1)</script>\n"
    'The minister said "we agreed on </script> tariffs" after the talks. "><img src=x onerror=alert(1)>\n'
    "Markets rose sharply after the announcement."
)
SOURCE = (
    "Officials met in Geneva on Monday to discuss trade and tariffs. </script>\n"
    'We agreed on </script> tariffs. "><img src=x onerror=alert(1)> <script>alert(1)</script>'
)


@pytest.fixture(scope="module")
def evil() -> tuple[Report, dict[str, str]]:
    """A report whose texts, names and speaker all carry mark-up, with the texts it was made from."""
    outlet = document_from_text(OUTLET, name="outlet <b>")
    source = document_from_text(SOURCE, name=EVIL_NAME, speaker='<script>alert("x")</script>')
    report = compare(outlet, [source], embedder=FakeEmbedder())
    return report, {outlet.name: outlet.text, source.name: source.text}


def _scripts(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.DOTALL)


@pytest.mark.parametrize("with_texts", [True, False])
def test_no_input_mark_up_survives(evil: tuple[Report, dict[str, str]], with_texts: bool) -> None:
    report, texts = evil
    page = render_html(report, texts=texts if with_texts else None)
    # Our own two scripts, taken out whole: the data block holds no "<" at all, so nothing in it closed it.
    rest, n = re.subn(r'<script type="application/json" id="reconcile-data">[^<]*</script>', "", page)
    assert n == 1
    rest = rest.replace(f"<script>{_JS}</script>", "")
    for payload in PAYLOADS:
        assert payload not in rest
    assert "<script" not in rest and "<img" not in rest
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, not dropped


def test_json_block_round_trips_names_and_text(evil: tuple[Report, dict[str, str]]) -> None:
    report, texts = evil
    page = render_html(report, texts=texts)
    block = re.search(r'<script type="application/json" id="reconcile-data">(.*?)</script>', page, re.DOTALL)
    assert block is not None
    raw = block.group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw.replace("\\u0026", "")
    data = json.loads(raw)
    assert data["src"] == [EVIL_NAME]
    assert len(data["s"]) == len(report.sentences)
    assert {s["v"] for s in data["s"]} <= {"supported", "partial", "unsupported", "contradicted"}


def test_self_contained_and_script_allowed_by_its_hash(evil: tuple[Report, dict[str, str]]) -> None:
    report, texts = evil
    page = render_html(report, texts=texts)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert found is not None
    csp = found.group(1)
    code = [s for s in _scripts(page) if "JSON.parse" in s][0]
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    assert f"sha256-{digest}" in csp and "default-src &#x27;none&#x27;" in csp


def test_full_texts_shown_with_offsets(evil: tuple[Report, dict[str, str]]) -> None:
    report, texts = evil
    page = render_html(report, texts=texts)
    # Every sentence is a focusable element carrying its verdict; evidence pieces carry source offsets.
    spans = re.findall(r'<span class="s v-(\w+)" id="s-(\d+)" data-s="\2" data-verdict="\1" tabindex="0"', page)
    assert [int(n) for _, n in spans] == list(range(len(report.sentences)))
    for a, b in re.findall(r'class="p[^"]*" data-a="(\d+)" data-b="(\d+)"', page):
        assert 0 <= int(a) < int(b) <= len(texts[EVIL_NAME])
    assert "Markets rose sharply" in page and "@media print" in page and "print-color-adjust" in page
    assert re.search(r'id="s-1".*?</span>\n<span class="s', page)  # the outlet's own line breaks: its full text


def test_sample_with_and_without_texts(fake_embedder: FakeEmbedder) -> None:
    outlet = read_document(SAMPLE / "outlet-article.txt")
    post = read_document(SAMPLE / "truth-social-post.txt", name="Truth Social", speaker="Donald Trump")
    report = compare(outlet, [post], embedder=fake_embedder)
    texts = {outlet.name: outlet.text, post.name: post.text}
    whole = render(report, "html", texts=texts)
    assert 'class="skip"' in whole  # the skipped "Recommended" line is drawn from the full text
    assert "Quote ledger" in whole and "Truth Social" in whole
    alone = render(report, "html")
    assert 'class="skip"' not in alone and len(alone.split('class="s ')) == len(report.sentences) + 1
    # Texts that are not the ones the report was made from are not trusted: the report alone is shown.
    wrong = render_html(report, texts={outlet.name: "x" * len(outlet.text), post.name: "y" * 400})
    assert 'class="skip"' not in wrong and "xxxx" not in wrong and "yyyy" not in wrong
    if report.omissions:
        assert "Omissions" in whole and 'data-o="0"' in whole


def test_registered_for_cli_and_batch() -> None:
    from reconcile.cli import OutputFormat

    assert RENDERERS["html"] is render_html and EXTENSIONS["html"] == "html"
    assert OutputFormat("html").value == "html"


def test_batch_index_links_and_escapes() -> None:
    rows: list[dict[str, Any]] = [
        {
            "name": "xi-trump",
            "status": "ok",
            "error": None,
            "sentences": 20,
            "supported": 3,
            "partial": 2,
            "unsupported": 15,
            "contradicted": 0,
            "share_supported": 0.15,
            "files": ["out/xi-trump.html", "out/xi-trump.json"],
        },
        {"name": "<img src=x onerror=alert(1)>", "status": "failed", "error": "<script>alert(1)</script>", "files": []},
        {"name": "a b&c", "status": "ok", "share_supported": 1.0, "files": ["a b&c.html"]},
    ]
    page = render_batch_index(rows, title="Batch </script>")
    assert '<a href="xi-trump.html">xi-trump</a>' in page and '<a href="xi-trump.json">json</a>' in page
    assert 'href="a%20b%26c.html"' in page and "15%" in page and "100%" in page
    assert "<img" not in page and "<script>alert" not in page and "</script>" not in page
    assert "3 comparisons, 2 compared, 1 failed" in page and "None" not in page


def test_form_page_script_allowed_by_its_hash() -> None:
    from reconcile.serve import MAX_REQUEST_BYTES, form_page

    page = form_page()
    code = _scripts(page)[0]
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    assert f"sha256-{digest}" in page and str(MAX_REQUEST_BYTES) in code
    assert 'enctype="multipart/form-data"' in page and 'name="src-0-speaker"' in page
