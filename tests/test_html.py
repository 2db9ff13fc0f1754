"""The HTML report and the batch index: escaping, self-containment, full texts or the report alone."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from importlib import resources
from typing import Any

import pytest

from reconcile.compare import compare
from reconcile.documents import document_from_text, read_document
from reconcile.render import EXTENSIONS, RENDERERS, render
from reconcile.render.batch_index import _JS as INDEX_JS
from reconcile.render.batch_index import render_batch_index
from reconcile.render.html import _JS, VERDICT_HELP, render_html
from reconcile.render.html_triage import SEVERITIES, esc, severity_badge
from reconcile.report import Report, Verdict
from reconcile.triage import plural

from .conftest import ROOT, SAMPLE_OUTLET, SAMPLE_POST, FakeEmbedder, compare_texts

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
    spans = re.findall(
        r'<span class="s v-(\w+)" id="s-(\d+)" data-s="(\d+)" data-verdict="\1" data-sev="(?:error|check|context)?" '
        r'tabindex="0"',
        page,
    )
    # Anchors number the sentences from 1, as the report shows them; data-s is the script's position.
    assert [int(n) for _, n, _ in spans] == list(range(1, len(report.sentences) + 1))
    assert [int(n) for _, _, n in spans] == list(range(len(report.sentences)))
    for a, b in re.findall(r'class="p[^"]*" data-a="(\d+)" data-b="(\d+)"', page):
        assert 0 <= int(a) < int(b) <= len(texts[EVIL_NAME])
    assert "Markets rose sharply" in page and "@media print" in page and "print-color-adjust" in page
    assert re.search(r'id="s-1".*?</span>\n<span class="s', page)  # the outlet's own line breaks: its full text


def test_sample_with_and_without_texts(fake_embedder: FakeEmbedder) -> None:
    outlet = read_document(SAMPLE_OUTLET)
    post = read_document(SAMPLE_POST, name="Truth Social", speaker="Donald Trump")
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
    # The page's own sorting script, taken out whole: no other script, and no input mark-up, is left.
    rest = page.replace(f"<script>{INDEX_JS}</script>", "")
    assert "<img" not in rest and "<script" not in rest and "</script>" not in rest
    assert "3 comparisons, 2 compared, 1 failed" in page and "None" not in page
    # Sortable headers; the failed row and the one with contradictions are marked (an icon, words for readers).
    assert page.count('<th data-type="num"><button type="button">') == 6 and "<th aria-sort" not in page
    assert '<tr class="r-failed"><td data-label="name" data-v="&lt;img' in page
    assert '<span class="vh">failed: </span>' in page and 'data-v="0.15"' in page
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    digest = base64.b64encode(hashlib.sha256(INDEX_JS.encode("utf-8")).digest()).decode()
    assert found is not None and f"sha256-{digest}" in found.group(1)
    contradicted = render_batch_index([{**rows[0], "contradicted": 2}], title="t")
    assert '<tr class="r-contradicted">' in contradicted and "1 comparison," in contradicted


def test_form_page_script_allowed_by_its_hash() -> None:
    from reconcile.serve import MAX_REQUEST_BYTES, form_page

    page = form_page()
    code = _scripts(page)[0]
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    assert f"sha256-{digest}" in page and str(MAX_REQUEST_BYTES) in code
    assert 'enctype="multipart/form-data"' in page and 'name="src-0-speaker"' in page


# ------------------------------------------------------------------------------------------- styles

CSS = (resources.files("reconcile.render") / "assets" / "report.css").read_text(encoding="utf-8")
# The surfaces text without a background of its own is drawn on: the page, a card, a table's head, a hovered row.
SURFACES = ("--page", "--paper", "--th", "--hover")


def _rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) of every innermost rule; @media blocks are read through."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decls = dict((k.strip(), v.strip()) for k, _, v in (d.partition(":") for d in body.split(";") if ":" in d))
        rules.append((selector.strip(), decls))
    return rules


def _variables(css: str) -> dict[str, str]:
    return next(d for sel, d in _rules(css) if sel == ":root")


def _resolve(value: str, variables: dict[str, str]) -> str | None:
    """A colour value as #rrggbb, or None for what is not one plain colour (none, inherit, a gradient)."""
    value = re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m.group(1)], value).strip()
    if re.fullmatch(r"#[0-9a-fA-F]{3}", value):
        value = "#" + "".join(c * 2 for c in value[1:])
    return value.lower() if re.fullmatch(r"#[0-9a-fA-F]{6}", value) else None


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2's contrast ratio of two #rrggbb colours."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_on_known_pairs() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-too-light grey
    assert contrast("#ffffff", "#2e8b57") == pytest.approx(4.24, abs=0.01)  # the old "supported" badge (axe: 4.24)


def test_every_text_colour_has_contrast_on_its_background() -> None:
    variables = _variables(CSS)
    checked: list[tuple[str, str, str, float]] = []
    for selector, decls in _rules(CSS):
        bg_value = decls.get("background", decls.get("background-color"))
        colour = _resolve(decls["color"], variables) if "color" in decls else None
        background = _resolve(bg_value, variables) if bg_value else None
        if background and selector.split(" ")[0] in (".bar", *(f".bar-{v}" for v in VERDICT_HELP)):
            continue  # the verdict bar's segments hold no text
        if background:
            assert colour, f"{selector}: sets a background but not the text colour drawn on it"
            checked.append((selector, colour, background, contrast(colour, background)))
        elif colour:
            for surface in SURFACES:
                under = _resolve(f"var({surface})", variables)
                assert under
                checked.append((selector, colour, under, contrast(colour, under)))
    low = [c for c in checked if c[3] < 4.5]
    assert not low, low
    # The badges and the highlighted passages are among them.
    seen = {sel for sel, *_ in checked}
    for selector in (".b-partial", ".b-unsupported", "mark.con", ".p.ev1", ".p.cv", ".evm", ".sev-check"):
        assert selector in seen, selector


def _before(selector: str) -> str:
    return next(d["content"] for sel, d in _rules(CSS) if selector in sel.split(",") and "content" in d)


def test_verdicts_and_severities_never_by_colour_alone() -> None:
    from reconcile.render.html import VERDICT_ICON

    rules = dict(_rules(CSS))
    patterns = {v: rules[f".v-{v}"]["border-bottom"].split()[1] for v in VERDICT_ICON}
    assert len(set(patterns.values())) == len(patterns), patterns  # solid, dashed, dotted, double
    icons = {v: _before(f".b-{v}::before") for v in VERDICT_ICON}
    assert len(set(icons.values())) == len(icons)
    for v, icon in VERDICT_ICON.items():  # the badges' icons are the ones the sentences carry
        assert icons[v].startswith(f'"\\{ord(icon):X}'), (v, icons[v])
    assert len({_before(f".sev-{s}::before") for s in SEVERITIES}) == len(SEVERITIES)
    assert len({rules[f".sev-{s}"]["border"].split()[1] for s in SEVERITIES}) == len(SEVERITIES)
    assert severity_badge("check", "<b>name in no source</b>") == (
        '<span class="sev-check">&lt;b&gt;name in no source&lt;/b&gt;</span>'
    )
    with pytest.raises(ValueError, match="unknown severity"):
        severity_badge("fatal")


# Viénot, Brettel & Mollon (1999): what a deuteranope sees, on linear RGB.
_DEUTERANOPIA = ((0.29275, 0.70725, 0.0), (0.29275, 0.70725, 0.0), (-0.02234, 0.02234, 1.0))


def _deuteranope(colour: str) -> str:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    def encoded(c: float) -> int:
        c = min(1.0, max(0.0, c))
        return round(255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055))

    rgb = [linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5)]
    return "#" + "".join(f"{encoded(sum(m * c for m, c in zip(row, rgb, strict=True))):02x}" for row in _DEUTERANOPIA)


def test_badges_keep_their_contrast_under_deuteranopia() -> None:
    variables = _variables(CSS)
    white = "#ffffff"
    for name in ("--sup", "--par", "--uns", "--con", "--err", "--ev-line"):
        seen = _deuteranope(_resolve(f"var({name})", variables) or "")
        assert contrast(white, seen) >= 4.5, (name, seen)
    # Green and red still look alike to a deuteranope: the icons and underline patterns tell them apart.


# ------------------------------------------------------------------------------------------- the page


def test_counts_are_pluralised_and_sentences_numbered(fake_embedder: FakeEmbedder) -> None:
    one = compare_texts(
        "Officials met in Geneva.",
        ("readout", "Officials met in Geneva on Monday."),
        embedder=fake_embedder,
        outlet_name="outlet",
    )
    page = render_html(one)
    assert "1 outlet sentence checked" in page and "1 outlet sentences" not in page
    assert re.search(r'id="s-1"[^>]*><span class="sn"><span aria-hidden="true">.</span>1<', page)
    assert plural(2, "outlet sentence") == "2 outlet sentences" and plural(1, "comparison") == "1 comparison"


def test_print_keeps_every_sentences_evidence(fake_embedder: FakeEmbedder) -> None:
    outlet = read_document(SAMPLE_OUTLET)
    post = read_document(SAMPLE_POST, name="Truth Social", speaker="Donald Trump")
    report = compare(outlet, [post], embedder=fake_embedder)
    page = render_html(report)
    section = page.split('<section class="print-only"', 1)[1].split("</section>", 1)[0]
    items = section.split("<li><b>Sentence ")[1:]
    assert len(items) == len(report.sentences)
    for s, item in zip(report.sentences, items, strict=True):
        assert item.startswith(f"{s.index + 1}</b>")
        for n, e in enumerate(s.evidence):
            assert f'<span class="evm">{chr(97 + n)}</span> {esc(e.label)}' in item and esc(e.text) in item
    rules = _rules(CSS)
    assert (".print-only", {"display": "none"}) in rules and (".print-only", {"display": "block"}) in rules


def test_makefile_fetches_the_pinned_axe_core() -> None:
    from .test_serve_browser import AXE, AXE_VERSION

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"AXE_VERSION := {AXE_VERSION}" in makefile
    assert "AXE := $(VENV)/axe-core-$(AXE_VERSION)/axe.min.js" in makefile and re.search(
        r"^test: .*\$\(AXE\)", makefile, re.M
    )
    assert AXE == ROOT / ".venv" / f"axe-core-{AXE_VERSION}" / "axe.min.js"


def test_one_sign_per_meaning_in_every_format() -> None:
    """The stylesheet draws the signs that text and Markdown print: each verdict and severity has one sign, and no
    two meanings share one; a quote's status takes the sign of the verdict it amounts to."""
    from reconcile.render.plain import SEVERITY_SYMBOL, VERDICT_SYMBOL

    css = (ROOT / "reconcile" / "render" / "assets" / "report.css").read_text(encoding="utf-8")

    def drawn(selector: str) -> str:
        found = re.search(re.escape(selector) + r'::before\{content:"([^"\\]|\\[0-9A-Fa-f]+)', css)
        assert found is not None, selector
        sign = found.group(1)
        return chr(int(sign[1:], 16)) if sign.startswith("\\") else sign

    for verdict, sign in VERDICT_SYMBOL.items():
        assert drawn(f".b-{verdict.value}") == sign
    for severity, sign in SEVERITY_SYMBOL.items():
        assert drawn(f".sev-{severity.value}") == sign
    signs = [*VERDICT_SYMBOL.values(), *SEVERITY_SYMBOL.values()]
    assert len(set(signs)) == len(signs)
    amounts_to = {
        "trimmed": Verdict.SUPPORTED,
        "paraphrase": Verdict.PARTIAL,
        "misattributed": Verdict.CONTRADICTED,
        "not_found": Verdict.UNSUPPORTED,
    }
    for status, verdict in amounts_to.items():
        assert drawn(f".q-{status}") == VERDICT_SYMBOL[verdict]
    assert drawn("tr.r-contradicted td:first-child") == VERDICT_SYMBOL[Verdict.CONTRADICTED]
