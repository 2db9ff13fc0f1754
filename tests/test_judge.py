"""The support judge: the packaged weights, its inputs, the token seam, the verdict gate and the training script."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from reconcile.checks.typed import SentenceChecks
from reconcile.embed import SentenceTransformerEmbedder
from reconcile.evidence import ClaimEvidence
from reconcile.features import Features
from reconcile.findings import Finding, FindingSeverity, FindingType
from reconcile.judge import FEATURE_NAMES, INPUT_NAMES, Judge, match_statistics
from reconcile.report import Verdict
from reconcile.resources import Resources
from reconcile.score import judge_inputs
from reconcile.settings import Settings
from reconcile.verdict import judge as verdict_of

from .conftest import FakeEmbedder, compare_texts

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import train_judge  # noqa: E402 - a benchmark script, importable once its folder is on the path

READOUT = (
    "The ministry said 20 people were injured in the blast on Monday. "
    "Officials did not confirm the cause. "
    "The rescue teams worked through the night."
)
FEATURES = Features(**{name: 0.5 for name in FEATURE_NAMES})


# --- the packaged weights -----------------------------------------------------------------------


def test_the_packaged_judge_names_itself_and_its_training() -> None:
    judge = Judge.load()
    assert re.fullmatch(r"judge-[0-9a-f]{16}", judge.id)
    assert json.loads(judge.metadata["inputs"]) == list(INPUT_NAMES)
    assert len(judge.metadata["data_sha256"]) == 64
    assert set(json.loads(judge.metadata["data_files"])) >= {"frank.jsonl.gz", "docnli-mnli.jsonl.gz"}
    assert len(judge.members) >= 2  # an ensemble of seeds


def test_the_score_is_a_probability_and_rises_with_backing() -> None:
    judge = Judge.load()
    backed = judge_inputs(
        dataclasses.replace(FEATURES, semantic=0.95, coverage=1.0, best_window_coverage=1.0, novelty=0.0),
        0,
        np.ones(4, dtype=np.float32) / 2,
        np.ones((1, 4), dtype=np.float32) / 2,
        np.ones(8, dtype=np.float32),  # every claim token found
    )
    unbacked = judge_inputs(
        dataclasses.replace(FEATURES, semantic=0.2, coverage=0.1, best_window_coverage=0.1, novelty=0.9),
        3,
        np.asarray([1, 0, 0, 0], dtype=np.float32),
        np.asarray([[0, 1, 0, 0]], dtype=np.float32),
        np.full(8, 0.1, dtype=np.float32),  # none found
    )
    p = judge.probability(np.stack([backed, unbacked]))
    assert 0 < p[1] < 0.5 < p[0] < 1
    assert np.array_equal(judge.probability(np.stack([backed, unbacked])), p)  # deterministic


def test_a_damaged_judge_file_is_one_clear_error() -> None:
    from reconcile.errors import ModelError

    with pytest.raises(ModelError, match="cannot read the judge"):
        Judge.load(b"not a safetensors file")


# --- inputs -------------------------------------------------------------------------------------


def test_match_statistics_of_a_copy_and_of_nothing() -> None:
    assert match_statistics(np.ones(5)) == pytest.approx([0.0] * 6)  # every claim token found
    assert match_statistics(np.zeros(0)) == [1.0] * 6  # no evidence
    # one claim token matched nowhere: the worst gap is 1, a fifth of the tokens are under 0.6
    stats = match_statistics(np.asarray([1.0, 1.0, 1.0, 1.0, 0.0]))
    assert stats[0] == pytest.approx(1.0) and stats[1] == pytest.approx(0.0) and stats[3] == pytest.approx(0.2)


def test_the_judge_names_the_features_as_features_py_defines_them() -> None:
    assert FEATURE_NAMES == tuple(Features.__dataclass_fields__)


def test_inputs_are_in_the_documented_order() -> None:
    unit = np.ones(3) / np.sqrt(3)
    row = judge_inputs(FEATURES, 7, unit, np.stack([unit, unit]), np.ones(3))
    assert row.shape == (len(INPUT_NAMES),) and row.dtype == np.float32
    named = dict(zip(INPUT_NAMES, row.tolist(), strict=True))
    assert named["inserted"] == 3  # capped
    assert named["claim_evidence_cosine"] == pytest.approx(1.0)
    assert named["worst_token_gap"] == pytest.approx(0.0)


def test_an_embedder_without_token_outputs_lends_its_word_vectors(fake_embedder: FakeEmbedder) -> None:
    report = compare_texts(
        "The ministry said 20 people were injured in the blast on Monday.",
        ("ministry", READOUT),
        embedder=fake_embedder,
    )
    assert report.sentences[0].verdict is Verdict.SUPPORTED
    assert report.settings["judge"] == Judge.load().id


# --- the verdict gate ---------------------------------------------------------------------------


def _gate(finding: Finding, score: float, resources: Resources) -> Verdict:
    evidence = ClaimEvidence("x", (), frozenset(), (), (), (), (), frozenset(), (), 0)
    checks = SentenceChecks((finding,), None, None)
    return verdict_of(evidence, FEATURES, checks, score, [], 0, [], Settings()).verdict


def test_a_contradiction_from_the_opposites_lexicon_needs_the_judge(resources: Resources) -> None:
    opposite = Finding(FindingType.NEGATION, FindingSeverity.CONTRADICTION, "rose", 0, 4, 0, "fell", 0, 4, "opposite")
    assert _gate(opposite, 0.2, resources) is Verdict.CONTRADICTED  # the judge agrees
    assert _gate(opposite, 0.9, resources) is Verdict.PARTIAL  # the judge does not: a difference to verify
    value = Finding(FindingType.NUMBER, FindingSeverity.CONTRADICTION, "50", 0, 2, 0, "20", 0, 2)
    assert _gate(value, 0.9, resources) is Verdict.CONTRADICTED  # a value for another in the slot stands


# --- the token seam, with the real model --------------------------------------------------------


@pytest.mark.model
def test_token_embeddings_come_from_the_same_pass(embedder: SentenceTransformerEmbedder, tmp_path: Path) -> None:
    fresh = SentenceTransformerEmbedder(cache_dir=tmp_path)
    fresh._model = embedder._load()  # the session's model, loaded once
    texts = ["The ministry said 20 people were injured.", "Officials did not confirm the cause."]
    vectors = fresh.encode(texts)
    encoded = fresh.texts_encoded
    tokens = fresh.token_embeddings(texts)
    assert fresh.texts_encoded == encoded  # no second pass
    assert [t.shape[1] for t in tokens] == [384, 384] and all(6 <= len(t) <= 12 for t in tokens)
    # the vectors are the model's own normalised sentence embeddings, as sentence-transformers makes them
    plain = fresh._load_torch().encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert np.allclose(vectors, plain, atol=1e-5)
    # a later run on the same cache reads vectors and tokens from disk: nothing is encoded
    again = SentenceTransformerEmbedder(cache_dir=tmp_path)
    again._model = fresh._model
    again.encode(texts)
    assert all(np.array_equal(a, b) for a, b in zip(again.token_embeddings(texts), tokens, strict=True))
    assert again.texts_encoded == 0


@pytest.mark.model
@pytest.mark.parametrize(
    ("claim", "verdicts"),
    [
        # faithful rewordings: other words, same facts
        ("The ministry said 20 people were hurt in the explosion on Monday.", {Verdict.SUPPORTED}),
        ("Officials have not confirmed what caused it.", {Verdict.SUPPORTED, Verdict.PARTIAL}),
        # a changed number: contradicted whatever the judge says
        ("The ministry said 50 people were injured in the blast on Monday.", {Verdict.CONTRADICTED}),
        ("The president resigned after the vote.", {Verdict.UNSUPPORTED}),
    ],
)
def test_verdicts_on_rewordings_and_distortions(
    claim: str, verdicts: set[Verdict], embedder: SentenceTransformerEmbedder, resources: Resources
) -> None:
    report = compare_texts(claim, ("ministry", READOUT), embedder=embedder, resources=resources)
    s = report.sentences[0]
    assert s.verdict in verdicts, (s.score, s.reason)


@pytest.mark.model
@pytest.mark.xfail(strict=True, reason="known limit: a short clause appended to a close copy scores about 0.53")
def test_a_short_appended_claim_is_not_supported(embedder: SentenceTransformerEmbedder, resources: Resources) -> None:
    claim = "The ministry said 20 people were injured in the blast on Monday, and praised the rescue teams."
    readout = "The ministry said 20 people were injured in the blast on Monday. Officials did not confirm the cause."
    report = compare_texts(claim, ("ministry", readout), embedder=embedder, resources=resources)
    assert report.sentences[0].verdict is not Verdict.SUPPORTED, report.sentences[0].reason


@pytest.mark.model
def test_the_judge_ranks_a_rewording_above_a_distortion_of_it(
    embedder: SentenceTransformerEmbedder, resources: Resources
) -> None:
    def score(claim: str) -> float:
        report = compare_texts(claim, ("ministry", READOUT), embedder=embedder, resources=resources)
        return report.sentences[0].score

    faithful = score("The ministry said 20 people were hurt in the explosion on Monday.")
    assert faithful > score("The ministry said 20 people were hurt in the explosion on Monday, and praised the police.")
    assert faithful > score("The ministry said 20 people were killed in the explosion on Monday.")


# --- training -----------------------------------------------------------------------------------


def _cache(folder: Path, name: str, seed: int) -> None:
    """A small cache in judge_data.py's format: supported cases have high backing, unsupported low."""
    rng = np.random.default_rng(seed)
    labels = np.arange(60) % 2
    inputs = rng.normal(0.5, 0.1, (60, len(INPUT_NAMES))).astype(np.float32)
    inputs[:, : len(FEATURE_NAMES)] += (labels[:, None] - 0.5) * 0.4
    meta = {"data": f"{name}.jsonl.gz", "data_sha256": "0" * 64}
    np.savez(
        folder / f"{name}.npz",
        meta=np.asarray(json.dumps(meta)),
        case_id=np.asarray([f"{name}-{k}" for k in range(60)]),
        case_label=labels.astype(np.int8),
        case_split=(np.arange(60) % 5 == 0).astype(np.int8),
        case_units=np.arange(61, dtype=np.int32),
        unit_inputs=inputs,
        input_names=np.asarray(INPUT_NAMES),
    )


def test_training_is_deterministic_and_writes_a_loadable_judge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _cache(tmp_path, "frank", 1)
    _cache(tmp_path, "docnli-mnli", 2)
    written = []
    for run in range(2):
        out = tmp_path / f"judge-{run}.safetensors"
        args = ["train_judge.py", "--cache-dir", str(tmp_path), "--out", str(out), "--epochs", "3"]
        monkeypatch.setattr(sys, "argv", [*args, "--copy-epochs", "3", "--seeds", "2", "--quiet"])
        assert train_judge.main() == 0
        written.append(out.read_bytes())
    from safetensors.numpy import load

    from reconcile.judge import header_metadata

    # The same data and settings, the same tensors and metadata (safetensors may order its header either way).
    first, second = load(written[0]), load(written[1])
    assert first.keys() == second.keys() and all(np.array_equal(first[k], second[k]) for k in first)
    assert header_metadata(written[0]) == header_metadata(written[1])
    judge = Judge.load(written[0])
    assert judge.id in capsys.readouterr().out
    assert len(judge.members) == 2 and judge.copy_weights.shape == (len(FEATURE_NAMES),)
    # the copy model's weights keep their signs: more backing never lowers it
    signs = np.asarray([train_judge.COPY_SIGNS.get(n, 1.0) for n in FEATURE_NAMES])
    assert (judge.copy_weights * signs >= 0).all()
