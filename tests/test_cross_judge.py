"""The cross-encoder judge's plumbing: the shipped overlay's loading and naming, the judge kind, resumable training.

The trained weights are not shipped yet (the README's model card says why), so these tests make an
overlay from the packaged model itself, with a head set by hand, and train for a few steps.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from reconcile.cross_judge import LABELS, CrossJudge, cross_judge_id, export_overlay, packaged_model_dir
from reconcile.errors import ModelError
from reconcile.judges.cross import CrossEncoderJudge
from reconcile.judging import ClaimCase, Judge, JudgeContext

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.model


def overlay_bytes(*, bias: tuple[float, float, float] = (0.0, 0.0, 0.0), name: str = "cross-test") -> bytes:
    """An overlay over the packaged MiniLM: its own top layer and pooler, a zero head with the given bias."""
    import torch
    from safetensors.torch import load_file

    state = load_file(str(packaged_model_dir() / "model.safetensors"))
    layer = {f"bert.{k}": v for k, v in state.items() if k.startswith(("encoder.layer.5.", "pooler."))}
    if not layer:  # the packaged file names its tensors without the "bert." prefix or with it
        layer = {k: v for k, v in state.items() if k.startswith(("bert.encoder.layer.5.", "bert.pooler."))}
    layer["classifier.weight"] = torch.zeros(3, 384)
    layer["classifier.bias"] = torch.tensor(bias)
    return export_overlay(layer, ["bert.", "classifier."], {"judge": name, "labels": json.dumps(list(LABELS))})


@pytest.fixture(scope="module")
def leaning_supported() -> CrossJudge:
    return CrossJudge.load(overlay_bytes(bias=(2.0, 0.0, 0.0)))


def test_the_overlay_sets_the_head_and_the_judge_is_named_by_its_metadata(leaning_supported: CrossJudge) -> None:
    probabilities = leaning_supported.probabilities([("Exports rose in May.", "Exports rose sharply in May.")] * 2)
    assert probabilities.shape == (2, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    expected = np.exp([2.0, 0.0, 0.0]) / np.exp([2.0, 0.0, 0.0]).sum()  # the head is zero: the bias alone speaks
    np.testing.assert_allclose(probabilities[0], expected, rtol=1e-4)
    assert leaning_supported.id == "cross-test"
    assert leaning_supported.probabilities([]).shape == (0, 3)


def test_a_long_evidence_window_is_cut_not_the_claim(leaning_supported: CrossJudge) -> None:
    claim = "The minister said the talks were frank."
    encoded = leaning_supported.tokenizer(
        claim, "word " * 2000, truncation="only_second", max_length=256, return_tensors="pt"
    )
    assert encoded["input_ids"].shape[1] == 256
    assert leaning_supported.probabilities([(claim, "word " * 2000)]).shape == (1, 3)


def test_a_damaged_or_foreign_overlay_is_one_clear_error() -> None:
    with pytest.raises(ModelError, match="cannot read the cross-encoder"):
        CrossJudge.load(b"\x08\x00\x00\x00\x00\x00\x00\x00{broken}")
    import torch

    foreign = export_overlay({"decoder.weight": torch.zeros(2, 2)}, ["decoder."], {"judge": "cross-x"})
    with pytest.raises(ModelError, match="weights for another model"):
        CrossJudge.load(foreign)


def test_the_name_is_a_hash_of_data_and_settings() -> None:
    a = cross_judge_id("abc", '{"lr": 1e-4}')
    assert a.startswith("cross-") and len(a) == len("cross-") + 16
    assert a == cross_judge_id("abc", '{"lr": 1e-4}')
    assert a != cross_judge_id("abd", '{"lr": 1e-4}') and a != cross_judge_id("abc", '{"lr": 2e-4}')


def test_the_kind_reads_the_best_three_windows_and_keeps_the_most_decisive(leaning_supported: CrossJudge) -> None:
    judge = CrossEncoderJudge(leaning_supported)
    assert isinstance(judge, Judge)
    cases = [
        ClaimCase("Exports rose in May.", ("Exports rose in May.", "Imports fell.", "Rain.", "A fourth."), None, None),
        ClaimCase("Nothing backs this.", (), None, None),
    ]
    first, empty = judge.judge(cases, JudgeContext((), None))
    assert len(first.windows) == 3  # at most three windows a claim
    assert judge.decisive_window(first) is not None
    assert first.claim == max(first.windows, key=lambda c: max(c.supported, c.contradicted))
    assert (empty.claim.supported, empty.claim.neither) == (0.0, 1.0) and judge.decisive_window(empty) is None


def test_training_checkpoints_and_resumes_where_it_stopped(tmp_path: Path) -> None:
    cache, out = tmp_path / "pairs", tmp_path / "run"
    cache.mkdir()
    rows = [
        {"split": "train", "train": True, "claim": f"The port handled {n} ships.", "label": n % 3, "evidence": [e]}
        for n, e in enumerate(["The port handled 12 ships.", "The port was closed.", "Rain fell on the town."] * 6)
    ]
    rows += [{**r, "split": "dev"} for r in rows[:6]]
    with gzip.open(cache / "toy.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"meta": {"data": "toy", "data_sha256": "0" * 64}}) + "\n")
        f.writelines(json.dumps(r) + "\n" for r in rows)
    command = [sys.executable, str(ROOT / "benchmarks" / "train_cross.py"), "--cache-dir", str(cache)]
    command += ["--out", str(out)]
    command += ["--batch-size", "4", "--save-steps", "2", "--eval-steps", "2", "--threads", "1", "--trainable", "1"]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    first = subprocess.run([*command, "--max-steps", "2"], capture_output=True, text=True, env=env, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    assert (out / "checkpoint-2" / "optimizer.pt").is_file()
    second = subprocess.run([*command, "--max-steps", "4"], capture_output=True, text=True, env=env, timeout=600)
    assert second.returncode == 0, second.stderr[-2000:]
    assert "resuming from" in second.stderr and "checkpoint-2" in second.stderr
    state = json.loads((out / "checkpoint-4" / "trainer_state.json").read_text(encoding="utf-8"))
    assert state["global_step"] == 4
    curve = [json.loads(line) for line in (out / "curve.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [c["step"] for c in curve] == [2, 4] and "acc3" in curve[-1]["dev"]["toy"]
    shipped = tmp_path / "cross.safetensors"
    exported = subprocess.run(
        [*command, "--export", str(out / "checkpoint-4"), "--export-to", str(shipped)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert exported.returncode == 0, exported.stderr[-2000:]
    judge = CrossJudge.load(shipped.read_bytes())
    assert judge.id.startswith("cross-") and shipped.stat().st_size < 30_000_000
