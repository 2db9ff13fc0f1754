"""`reconcile diff`: two readouts of one invented call (tests/fixtures/one-call/) compared both ways.

They share three lines (the call, the river crossing, the barges), disagree on one number (40 barges
against 25), and each has lines of its own. `pytest tests/test_diff.py --update-golden` rewrites the
committed diff schema.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reconcile.diff import DIFF_SCHEMA_FILE, DiffReport, Side, diff, diff_schema, topics
from reconcile.documents import document_from_text, read_document
from reconcile.embed import SentenceTransformerEmbedder
from reconcile.render.diff import FORMATS, render_diff
from reconcile.resources import Resources

from .conftest import ROOT, Cli, FakeEmbedder

CALL = ROOT / "tests" / "fixtures" / "one-call"
A_SPEC = f"Veldoria presidency: Veldoria={CALL / 'veldoria.txt'}"
B_SPEC = f"Ostmark chancellery: Ostmark={CALL / 'ostmark.txt'}"


@pytest.fixture(scope="module")
def call(embedder: SentenceTransformerEmbedder, resources: Resources) -> DiffReport:
    a = read_document(CALL / "veldoria.txt", name="Veldoria", speaker="Veldoria presidency")
    b = read_document(CALL / "ostmark.txt", name="Ostmark", speaker="Ostmark chancellery")
    return diff(a, b, embedder=embedder, resources=resources)


def test_what_both_say_is_paired_line_by_line(call: DiffReport) -> None:
    pairs = [(p.a.first, p.b.first) for p in call.both]
    assert pairs == [(0, 0), (1, 1), (2, 2)]
    crossing = call.both[1]
    assert crossing.a_to_b and crossing.a_to_b.value == "supported"
    assert crossing.b_to_a and crossing.b_to_a.value == "supported"
    # How the wording differs: the one word only A has ("two leaders"), none only B has.
    assert crossing.only_in_a == ("two",) and crossing.only_in_b == ()


def test_what_only_one_side_says(call: DiffReport) -> None:
    assert [x.index for x in call.only_a] == [3, 4]
    assert "Piet Savard" in call.only_a[0].text and "Lindau" in call.only_a[1].text
    assert [x.index for x in call.only_b] == [3, 4]
    assert all(x.side is Side.B for x in call.only_b)


def test_the_number_they_disagree_on_both_ways(call: DiffReport) -> None:
    found = [(d.side, d.index, d.kind) for d in call.disagreements]
    assert found == [(Side.A, 2, "wrong number"), (Side.B, 2, "wrong number")]
    a_way, b_way = call.disagreements
    assert '"40"' in a_way.detail and '"25"' in a_way.detail and "25 new grain barges" in a_way.evidence
    assert '"25"' in b_way.detail and "40 new grain barges" in b_way.evidence
    assert call.both[2].a_to_b and call.both[2].a_to_b.value == "contradicted"


def test_topics_line_names_what_only_one_side_mentions(call: DiffReport) -> None:
    assert {"Piet Savard", "Lindau", "trade forum"} <= set(call.topics.only_a)
    assert {"sovereignty", "northern gulf"} <= set(call.topics.only_b)
    shared = {"Kessel", "Ostmark", "Veldoria", "Marren", "barges", "March"}
    assert not shared & {*call.topics.only_a, *call.topics.only_b}


@pytest.mark.parametrize(
    ("a", "b", "only_a", "only_b"),
    [
        # The seed's shape: each side's subjects, names first, the shared ones on neither side.
        (
            "Xi stressed that Taiwan touches on China's core interests.",
            "We discussed Trade, Fentanyl and TikTok with Xi.",
            ("Taiwan", "China", "core interests"),
            ("Trade", "Fentanyl", "TikTok"),
        ),
        # Titles are no topic; a name the other side spells with a title is shared.
        ("President Marren called Chancellor Brell.", "Brell spoke with Marren.", (), ()),
        # A name of several words, a capitalised function word inside it ("United States").
        (
            "The United States will host the talks.",
            "The talks will be held in Geneva.",
            ("United States",),
            ("Geneva",),
        ),
        ("The call was long.", "The call was long.", (), ()),
    ],
)
def test_topics_table(a: str, b: str, only_a: tuple[str, ...], only_b: tuple[str, ...]) -> None:
    found = topics(a, b)
    assert (found.only_a, found.only_b) == (only_a, only_b)


def test_json_is_valid_under_the_committed_schema(call: DiffReport, request: pytest.FixtureRequest) -> None:
    generated = json.dumps(diff_schema(), indent=2, ensure_ascii=False) + "\n"
    path = ROOT / DIFF_SCHEMA_FILE
    if request.config.getoption("--update-golden"):
        path.write_text(generated, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == generated, f"run pytest {__file__} --update-golden"
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(render_diff(call, "json"))
    jsonschema.validate(data, diff_schema())
    assert list(data)[:6] == ["schema_version", "reconcile_version", "created", "model", "a", "b"]
    assert data["a"]["speaker"] == "Veldoria presidency" and data["summary"]["disagreements"] == 2
    assert "a_to_b" not in data  # the one-way reports go to --db, not into the JSON


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_leads_with_the_topics(call: DiffReport, fmt: str) -> None:
    shown = render_diff(call, fmt)
    assert "Piet Savard" in shown and "sovereignty" in shown
    if fmt != "json":
        assert shown.index("Topics") < shown.index("Where they disagree")


def test_html_links_each_pair_both_ways(call: DiffReport) -> None:
    page = render_diff(call, "html")
    assert 'id="a1"' in page and 'href="#b1"' in page and 'href="#a1"' in page
    assert "<script" not in page  # links only: nothing for the CSP to allow


def test_input_mark_up_stays_text(resources: Resources, fake_embedder: FakeEmbedder) -> None:
    evil = "<script>alert(1)</script> said the <b>minister</b> | *x* \x1b[31m."
    a = document_from_text(f"The minister spoke. {evil}\n", name="<i>A</i>", speaker="A")
    b = document_from_text("The minister spoke.\n", name="B", speaker="B")
    report = diff(a, b, embedder=fake_embedder, resources=resources)
    html = render_diff(report, "html")
    assert "<script>alert" not in html and "<i>A</i>" not in html and "&lt;script&gt;" in html
    assert "\x1b" not in render_diff(report, "text") and "\x1b" not in render_diff(report, "markdown")
    assert "\\<script\\>" in render_diff(report, "markdown")


# ------------------------------------------------------------------------------------------------- CLI


def test_cli_diff_json_db_and_fail_on(model_cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite"
    result = model_cli("diff", A_SPEC, B_SPEC, "--format", "json", "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["both"] == 3
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT name, kind FROM comparisons ORDER BY name").fetchall()
        cells = conn.execute("SELECT count(*) FROM coverage_cells").fetchone()[0]
    assert rows == [("Ostmark vs Veldoria", "diff"), ("Veldoria vs Ostmark", "diff")]
    assert cells == 10  # each side's five lines, as the other side's coverage
    out = tmp_path / "diff.html"
    assert model_cli("diff", A_SPEC, B_SPEC, "-f", "html", "-o", str(out), "--fail-on", "contradicted").exit_code == 1
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt", "b.txt"], "missing.txt"),
        (["A=a.txt", "A=b.txt"], "both texts are named 'A'"),
        (["-", "-"], "only one input can be read from stdin"),
        (["=a.txt", "b.txt"], "empty name"),
        (["a.txt", "b.txt", "--db", "."], "is a folder"),  # found out before the model loads
    ],
)
def test_cli_errors_are_one_line_exit_2(
    cli: Cli, args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("The call was held.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The call took place.\n", encoding="utf-8")
    result = cli("diff", *args)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("reconcile: error: ") and message in line
