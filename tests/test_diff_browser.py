"""In the browser (Debian's chromium through Playwright): the diff page's linked pairs and the batch index's
coverage matrix, sorted by outlet and by line. Screenshots are left in test-artifacts/ for a person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reconcile.batch import load_batch_config, run_batch
from reconcile.documents import read_document
from reconcile.embed import SentenceTransformerEmbedder
from reconcile.render.diff import render_diff
from reconcile.resources import Resources

from .conftest import ARTIFACTS
from .test_coverage_matrix import CALL, config_text
from .test_serve_browser import _axe, _fits, axe_page, page  # noqa: F401 - the fixtures, shared

pytestmark = pytest.mark.model


def test_diff_page_side_by_side_with_pairs_linked(
    embedder: SentenceTransformerEmbedder,
    resources: Resources,
    tmp_path: Path,
    page: Any,  # noqa: F811
    axe_page: Any,  # noqa: F811
) -> None:
    from reconcile.diff import diff

    a = read_document(CALL / "veldoria.txt", name="Veldoria", speaker="Veldoria presidency")
    b = read_document(CALL / "ostmark.txt", name="Ostmark", speaker="Ostmark chancellery")
    path = tmp_path / "diff.html"
    path.write_text(render_diff(diff(a, b, embedder=embedder, resources=resources), "html"), encoding="utf-8")
    page.goto(path.as_uri())
    assert page.locator("p.topics").inner_text().startswith("Topics: only Veldoria: Piet Savard")
    left, right = page.locator("#a0").bounding_box(), page.locator("#b0").bounding_box()
    assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 40  # side by side
    page.locator("#a2 a", has_text="Ostmark 3").click()
    assert page.evaluate("location.hash") == "#b2"
    assert page.locator("#b2").evaluate("e => getComputedStyle(e).outlineStyle") == "solid"  # :target marked
    assert "wrong number" in page.locator("#b2 .tag").inner_text()  # in words, not by the border alone
    assert page.locator("li.only").count() == 4
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "diff.png"), full_page=True)
    assert page.problems == []
    for width in (1400, 390):
        axe_page.set_viewport_size({"width": width, "height": 900})
        axe_page.goto(path.as_uri())
        _fits(axe_page)
        assert _axe(axe_page) == [], width


def test_coverage_matrix_sorts_by_outlet_and_by_line(
    embedder: SentenceTransformerEmbedder,
    resources: Resources,
    tmp_path: Path,
    page: Any,  # noqa: F811
) -> None:
    (tmp_path / "batch.yaml").write_text(config_text(tmp_path / "out", "[html]"), encoding="utf-8")
    run_batch(load_batch_config(tmp_path / "batch.yaml"), embedder=embedder, resources=resources)
    page.goto((tmp_path / "out" / "index.html").as_uri())
    matrix = page.locator("table.matrix")

    def lines() -> list[str]:
        found: list[str] = matrix.locator("tbody tr td:first-child").all_inner_texts()
        return found

    def column(outlet: str) -> list[str]:
        index = matrix.locator("thead th").all_inner_texts().index(outlet)
        return [row.locator("td").nth(index).inner_text() for row in matrix.locator("tbody tr").all()]

    assert lines() == [f"Veldoria {n}" for n in range(1, 6)]
    header = matrix.locator("th", has_text="courier")
    header.locator("button").click()
    header.locator("button").click()  # descending: the worst cells first
    assert column("courier")[0] == "problem: wrong number" and header.get_attribute("aria-sort") == "descending"
    assert column("courier")[-2:] == ["reported", "reported"]
    matrix.locator("th", has_text="line").locator("button").click()
    assert lines() == [f"Veldoria {n}" for n in range(1, 6)]
    # The summary table above still sorts on its own.
    page.locator("table.index th", has_text="name").locator("button").click()
    assert page.locator("table.index th[aria-sort]").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "coverage-matrix.png"), full_page=True)
    assert page.problems == []
