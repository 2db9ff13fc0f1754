"""A check declares itself: a toy check in a module of its own shows in every format, no other file touched."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
from pathlib import Path

import pytest

from reconcile.checks import slots
from reconcile.findings import FindingSeverity, FindingType, ProblemKind, Severity
from reconcile.render import render
from reconcile.report import Verdict
from reconcile.resources import Resources, load_opposites
from tests.conftest import FakeEmbedder, compare_texts

# What a new check's module holds: its finding type, the problem it is, its wording, and the check itself.
TOY_CHECK = """
from reconcile.checks.slots import SlotInput, register_check
from reconcile.findings import (
    Finding, FindingKind, FindingSeverity, FindingType, ProblemKind, Severity, declare_finding,
)

TOY = FindingType.declare("toy")
TOY_WORD = ProblemKind.declare("toy word", Severity.CHECK, "toy words")
declare_finding(
    FindingKind(
        TOY, slot="word choice", difference=TOY_WORD, difference_wording='"{outlet}" where{where} says "{source}" (toy)'
    )
)


def toy_findings(given: SlotInput) -> list[Finding]:
    start, theirs = given.claim.find("ceasefire"), given.evidence[given.best]
    if start < 0 or "truce" not in theirs:
        return []
    at = theirs.index("truce")
    return [Finding(TOY, FindingSeverity.DIFFERENCE, "ceasefire", start, start + 9, given.best, "truce", at, at + 5)]


register_check("toy", toy_findings)
"""


@pytest.fixture
def toy_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "toy_check.py").write_text(textwrap.dedent(TOY_CHECK), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(slots, "_REGISTERED", {})  # the registration lasts this test only
    monkeypatch.delitem(sys.modules, "toy_check", raising=False)
    importlib.import_module("toy_check")


def test_a_check_in_a_module_of_its_own_shows_in_every_format(toy_check: None, fake_embedder: FakeEmbedder) -> None:
    report = compare_texts(
        "The ministry said the ceasefire began on Monday in the north.",
        ("ministry", "The ministry said the truce began on Monday in the north."),
        embedder=fake_embedder,
        resources=Resources(None, load_opposites()),
    )
    (finding,) = [f for f in report.sentences[0].contradictions if f.type == "toy"]
    assert finding.type is FindingType("toy") and finding.severity is FindingSeverity.DIFFERENCE
    assert report.sentences[0].verdict is not Verdict.SUPPORTED  # a difference keeps it at most partial
    assert report.sentences[0].reason.startswith('word choice: says "ceasefire" where ministry says "truce"')
    (problem,) = [p for p in report.problems if p.kind == "toy word"]
    assert problem.kind is ProblemKind("toy word") and problem.severity is Severity.CHECK
    detail = '"ceasefire" where ministry says "truce" (toy)'
    assert problem.detail == detail
    data = json.loads(render(report, "json"))
    assert {"kind": "toy word", "severity": "check", "detail": detail}.items() <= data["problems"][0].items()
    assert data["sentences"][0]["contradictions"][0]["type"] == "toy"
    for fmt in ("text", "markdown"):
        rendered = render(report, fmt)
        assert "1 to check: 1 toy word" in rendered and "ceasefire" in rendered, fmt
    html = render(report, "html")
    assert "toy word" in html and "1 to check: 1 toy word" in html


def test_without_the_toy_module_no_such_finding(fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slots, "_REGISTERED", {})
    report = compare_texts(
        "The ministry said the ceasefire began on Monday in the north.",
        ("ministry", "The ministry said the truce began on Monday in the north."),
        embedder=fake_embedder,
        resources=Resources(None, load_opposites()),
    )
    assert not [p for p in report.problems if p.kind == "toy word"]
