"""The Judge protocol: today's judge behind it, and another kind of judge as one module chosen in Settings."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pydantic
import pytest

import reconcile.errors
import reconcile.judges
from reconcile.judge import Judge as SupportModel
from reconcile.judging import Judge, judge_kinds, load_judge
from reconcile.report import Verdict
from reconcile.resources import Resources, load_opposites
from reconcile.settings import Settings
from tests.conftest import FakeEmbedder, compare_texts

ARTICLE = "The ministry said 20 people were injured in the blast on Monday."
READOUT = "The ministry said on Monday that 20 people were injured in the blast."

# A judge of another kind: one module with a load() and (here, instead of weights) a constant per window.
THREE_WAY = """
from dataclasses import dataclass
from reconcile.judging import ClaimJudgement, Classes

@dataclass(frozen=True)
class Doubter:
    name: str = "doubter"
    id: str = "doubter-0123456789abcdef"

    def judge(self, cases, context):
        out = []
        for case in cases:
            per_window = tuple(Classes(0.1, 0.7, 0.2) for _ in case.windows)
            out.append(ClaimJudgement(max(per_window, key=lambda c: c.supported), per_window))
        return out

def load():
    return Doubter()
"""


def test_the_packaged_judge_is_a_judge_of_kind_support() -> None:
    judge = load_judge()
    assert isinstance(judge, Judge)
    assert judge.name == "support" and judge.id == SupportModel.load().id
    assert "support" in judge_kinds()


def test_an_unknown_kind_is_refused_with_the_kinds_there_are() -> None:
    with pytest.raises(pydantic.ValidationError, match="no judge of kind 'crystal'; the kinds are .*support"):
        Settings(judge="crystal")


def test_another_kind_of_judge_is_one_module_chosen_in_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_embedder: FakeEmbedder
) -> None:
    (tmp_path / "doubter.py").write_text(textwrap.dedent(THREE_WAY), encoding="utf-8")
    monkeypatch.setattr(reconcile.judges, "__path__", [*reconcile.judges.__path__, str(tmp_path)])
    settings = Settings(judge="doubter")
    resources = Resources(None, load_opposites(), load_judge(settings.judge))
    report = compare_texts(
        ARTICLE, ("ministry", READOUT), embedder=fake_embedder, settings=settings, resources=resources
    )
    # The packaged judge finds this restatement supported (test_judge.py); this one gives it 0.1.
    assert report.sentences[0].verdict is not Verdict.SUPPORTED
    assert report.sentences[0].score == pytest.approx(0.1)
    assert report.settings["judge"] == "doubter-0123456789abcdef"


def test_resources_holding_another_kind_than_the_settings_ask_for_are_refused(fake_embedder: FakeEmbedder) -> None:
    resources = Resources(None, load_opposites(), load_judge())
    with pytest.raises(reconcile.errors.ModelError, match="Resources.load\\(judge_kind='other'\\)"):
        resources.the_judge("other")
