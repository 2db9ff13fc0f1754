"""Train the support judge on the inputs benchmarks/judge_data.py cached, and write reconcile/data/judge.safetensors.

Two models, both trained on ../shared/train's train split only (its dev split chooses the epochs):

- the judge: an MLP (17 inputs -> 64 -> 64 -> 1, ReLU) per seed, the seeds' logits averaged;
- the copy model: a logistic over the nine features, each weight held to its feature's sign.

The product's score is the sigmoid of the mean of the two logits (reconcile/judge.py). A case is
supported when all its sentences are, so a case's logit is the least of its sentences' (trained on
case labels: which sentence of an unsupported multi-sentence claim is wrong is not annotated). Each
train file weighs the same in the loss, and within it both labels (WiCE's, one label only, weighs
half a file). The epoch with the best weighted pooled dev ROC-AUC is kept.

    PYTHONPATH=. .venv/bin/python benchmarks/train_judge.py [--cache-dir DIR] [--limit 150] \\
        [--eval-cache ~/.cache/reconcile/judge-eval] [--out reconcile/data/judge.safetensors]

Deterministic on one thread: the same caches and settings give the same weights and the same judge id.
Prints dev ROC-AUC per train file and pooled (judge, copy model, score) and the score's balanced
accuracy at 0.5; with --eval-cache the same on the evaluation sets (measuring only: never trained on).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch  # noqa: TID253 - a training script: it needs torch from the first line on
from sklearn.metrics import roc_auc_score

from reconcile.embed import default_cache_dir
from reconcile.judge import FEATURE_NAMES, INPUT_NAMES, JUDGE_FILE, judge_id

sys.path.insert(0, str(Path(__file__).resolve().parent))
from judge_data import cache_name  # noqa: E402 - the sibling script, importable once its folder is on the path

OUT = Path(__file__).resolve().parents[1] / "reconcile" / JUDGE_FILE
# The sign each feature's copy-model weight keeps: more backing never lowers the score.
COPY_SIGNS = {"missing_names": -1.0, "novelty": -1.0}


@dataclass(frozen=True)
class TrainSettings:
    """Everything that shapes the weights besides the data (hashed with it)."""

    hidden: int = 64
    epochs: int = 25
    batch_cases: int = 256
    lr: float = 3e-3
    weight_decay: float = 1e-4
    seeds: int = 4
    seed: int = 0
    copy_epochs: int = 25
    # The copy model learns from the news summaries (FRANK, XSumFaith) and SummEdits' summaries, where
    # copying is the norm and one changed word the error; NLI pairs and dialogue teach it little.
    copy_files: str = "frank,summedits,xsumfaith"


@dataclass(frozen=True)
class Split:
    """The claim sentences (units) of some cases."""

    files: list[str]
    case_file: np.ndarray  # [C] index into files
    case_label: np.ndarray  # [C] 1 supported
    offsets: np.ndarray  # [C+1] into inputs
    inputs: np.ndarray  # [U, 17]

    def weights(self) -> np.ndarray:
        """Each file weighs the same, and within it each label; mean weight 1."""
        weights = np.zeros(len(self.case_label), dtype=np.float64)
        for f in range(len(self.files)):
            for label in (0, 1):
                chosen = (self.case_file == f) & (self.case_label == label)
                if chosen.any():
                    weights[chosen] = 0.5 / chosen.sum()
        scaled: np.ndarray = weights * len(weights) / weights.sum()
        return scaled


def cached(cache: Path, limit: int | None, names: list[str] | None) -> list[Path]:
    """The cache files judge_data.py wrote into a folder with this --limit (only the named sets, if any)."""
    paths = sorted(p for p in cache.glob(cache_name("*", limit)) if ".partial" not in p.name)
    if limit is None:
        paths = [p for p in paths if "-limit" not in p.name]
    if names:
        paths = [p for p in paths if p.name.split("-limit")[0].removesuffix(".npz") in names]
    if not paths:
        raise SystemExit(f"no caches in {cache} for limit {limit}; run benchmarks/judge_data.py first")
    return paths


def load(paths: list[Path]) -> tuple[Split, Split, str, dict[str, str]]:
    """The train and dev splits of these cache files, a hash of their contents, and each data file's hash."""
    digest = hashlib.sha256()
    parts: dict[bool, list[tuple[int, int, np.ndarray]]] = {False: [], True: []}
    data_files: dict[str, str] = {}
    files = [p.name.split("-limit")[0].removesuffix(".npz") for p in paths]
    for f, path in enumerate(paths):
        data = np.load(path, allow_pickle=False)
        if [str(n) for n in data["input_names"]] != list(INPUT_NAMES):
            raise SystemExit(f"{path}: cached with other inputs; rebuild it with judge_data.py --force")
        meta = json.loads(str(data["meta"]))
        data_files[meta["data"]] = meta["data_sha256"]
        inputs, units = data["unit_inputs"], data["case_units"]
        labels, splits = data["case_label"], data["case_split"]
        for array in (labels, splits, units, inputs):
            digest.update(np.ascontiguousarray(array).tobytes())
        for k in range(len(labels)):
            parts[bool(splits[k])].append((f, int(labels[k]), inputs[units[k] : units[k + 1]]))
    return _split(parts[False], files), _split(parts[True], files), digest.hexdigest(), data_files


def _split(rows: list[tuple[int, int, np.ndarray]], files: list[str]) -> Split:
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(r[2]) for r in rows])
    inputs = np.concatenate([r[2] for r in rows]) if rows else np.zeros((0, len(INPUT_NAMES)), np.float32)
    return Split(
        files=files,
        case_file=np.asarray([r[0] for r in rows], dtype=np.int64),
        case_label=np.asarray([r[1] for r in rows], dtype=np.float32),
        offsets=offsets,
        inputs=inputs.astype(np.float32),
    )


def case_min(unit_logits: torch.Tensor, offsets: np.ndarray) -> torch.Tensor:
    """Each case's logit: the least of its sentences'."""
    owner = torch.from_numpy(np.repeat(np.arange(len(offsets) - 1), np.diff(offsets)))
    least = torch.full((len(offsets) - 1,), float("inf"))
    return least.scatter_reduce(0, owner, unit_logits, reduce="amin")


def fit(
    model: torch.nn.Module,
    columns: list[int],
    train: Split,
    dev: Split,
    settings: TrainSettings,
    epochs: int,
    seed: int,
    after_step: Callable[[], None] | None = None,
) -> tuple[float, int, list[float]]:
    """Train model on train (standardised inputs of these columns); keep the epoch with the best dev AUC."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    mean, std = standardisation(train.inputs[:, columns])
    x_train = torch.from_numpy((train.inputs[:, columns] - mean) / std)
    x_dev = torch.from_numpy((dev.inputs[:, columns] - mean) / std)
    weights = torch.from_numpy(train.weights()).float()
    dev_weights = dev.weights()
    labels = torch.from_numpy(train.case_label)
    lengths = np.diff(train.offsets)
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.lr, weight_decay=settings.weight_decay)
    best: tuple[float, int, dict[str, torch.Tensor]] | None = None
    history: list[float] = []
    for epoch in range(epochs):
        model.train()
        order = rng.permutation(len(train.case_label))
        for lo in range(0, len(order), settings.batch_cases):
            cases = order[lo : lo + settings.batch_cases]
            units = np.concatenate([np.arange(train.offsets[c], train.offsets[c + 1]) for c in cases])
            offsets = np.concatenate([[0], np.cumsum(lengths[cases])])
            logits = case_min(model(x_train[units]).squeeze(-1), offsets)
            loss = (
                torch.nn.functional.binary_cross_entropy_with_logits(logits, labels[cases], reduction="none")
                * weights[cases]
            ).mean()
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]  # torch's stub leaves backward unannotated
            optimiser.step()
            if after_step is not None:
                after_step()
        model.eval()
        with torch.no_grad():
            dev_logits = case_min(model(x_dev).squeeze(-1), dev.offsets).numpy()
        auc = float(roc_auc_score(dev.case_label, dev_logits, sample_weight=dev_weights))
        history.append(round(auc, 4))
        if best is None or auc > best[0]:
            best = (auc, epoch + 1, {k: v.clone() for k, v in model.state_dict().items()})
    assert best is not None  # epochs >= 1
    model.load_state_dict(best[2])
    return best[0], best[1], history


def only(split: Split, names: str) -> Split:
    """The cases of the named files (comma-separated stems); all of them if names is empty."""
    wanted = [f for f, n in enumerate(split.files) if n in names.split(",")] if names else range(len(split.files))
    keep = np.isin(split.case_file, list(wanted))
    cases = np.flatnonzero(keep)
    units = [np.arange(split.offsets[c], split.offsets[c + 1]) for c in cases]
    offsets = np.zeros(len(cases) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(u) for u in units])
    inputs = np.concatenate(units) if units else np.zeros(0, dtype=np.int64)
    return Split(split.files, split.case_file[keep], split.case_label[keep], offsets, split.inputs[inputs])


def standardisation(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return x.mean(axis=0).astype(np.float32), np.maximum(x.std(axis=0), 1e-3).astype(np.float32)


def mlp(inputs: int, hidden: int) -> torch.nn.Sequential:
    return torch.nn.Sequential(
        torch.nn.Linear(inputs, hidden),
        torch.nn.ReLU(),
        torch.nn.Linear(hidden, hidden),
        torch.nn.ReLU(),
        torch.nn.Linear(hidden, 1),
    )


def train(
    train_split: Split, dev: Split, settings: TrainSettings, quiet: bool
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The judge's tensors (as reconcile.judge.Judge reads them) and a record of the training."""
    every = list(range(len(INPUT_NAMES)))
    mean, std = standardisation(train_split.inputs)
    tensors: dict[str, np.ndarray] = {"mean": mean, "std": std}
    members: list[dict[str, Any]] = []
    record: dict[str, Any] = {"members": members}
    for k in range(settings.seeds):
        started = time.perf_counter()
        torch.manual_seed(settings.seed + k)
        model = mlp(len(every), settings.hidden)
        auc, epoch, history = fit(model, every, train_split, dev, settings, settings.epochs, settings.seed + k)
        linears = [m for m in model if isinstance(m, torch.nn.Linear)]
        for n, layer in enumerate(linears):
            tensors[f"member{k}.{n}.weight"] = layer.weight.detach().numpy().copy()
            tensors[f"member{k}.{n}.bias"] = layer.bias.detach().numpy().copy()
        members.append({"seed": settings.seed + k, "dev_auc": auc, "epoch": epoch, "history": history})
        if not quiet:
            print(
                f"judge seed {settings.seed + k}: dev AUC {auc:.3f} at epoch {epoch} "
                f"({time.perf_counter() - started:.0f}s)",
                file=sys.stderr,
            )
    # The copy model: one linear layer whose weights keep their feature's sign.
    columns = list(range(len(FEATURE_NAMES)))
    signs = torch.tensor([COPY_SIGNS.get(n, 1.0) for n in FEATURE_NAMES])
    torch.manual_seed(settings.seed)
    copy = torch.nn.Linear(len(columns), 1)

    def keep_signs() -> None:
        with torch.no_grad():
            copy.weight.copy_((copy.weight * signs).clamp(min=0) * signs)

    keep_signs()
    model = torch.nn.Sequential(copy)
    copy_train, copy_dev = only(train_split, settings.copy_files), only(dev, settings.copy_files)
    auc, epoch, history = fit(
        model, columns, copy_train, copy_dev, settings, settings.copy_epochs, settings.seed, keep_signs
    )
    copy_mean, copy_std = standardisation(copy_train.inputs[:, columns])
    weight = copy.weight.detach().numpy()[0] / copy_std  # back to raw feature units
    tensors["copy.weight"] = weight.astype(np.float32)
    tensors["copy.bias"] = np.asarray([copy.bias.item() - float(weight @ copy_mean)], dtype=np.float32)
    record["copy"] = {"dev_auc": auc, "epoch": epoch, "history": history}
    if not quiet:
        print(f"copy model: dev AUC {auc:.3f} at epoch {epoch}", file=sys.stderr)
    return tensors, record


def report(split: Split, tensors: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    """Per file and pooled: cases, ROC-AUC of the judge, the copy model and the score; the score's BA at 0.5."""
    from reconcile.judge import Judge

    judge = Judge(
        id="",
        mean=tensors["mean"],
        std=tensors["std"],
        members=tuple(
            tuple((tensors[f"member{k}.{n}.weight"], tensors[f"member{k}.{n}.bias"]) for n in range(3))
            for k in range(len({key.split(".")[0] for key in tensors if key.startswith("member")}))
        ),
        copy_weights=tensors["copy.weight"],
        copy_bias=float(tensors["copy.bias"][0]),
        metadata={},
    )
    judge_logit = case_min(torch.from_numpy(judge.judge_logit(split.inputs)), split.offsets).numpy()
    copy_logit = case_min(torch.from_numpy(judge.copy_logit(split.inputs)), split.offsets).numpy()
    score = case_min(torch.from_numpy(judge.probability(split.inputs)), split.offsets).numpy()
    rows: dict[str, dict[str, float]] = {}
    for name, chosen in [*((n, split.case_file == f) for f, n in enumerate(split.files)), ("pooled", None)]:
        mask = np.ones(len(score), dtype=bool) if chosen is None else chosen
        if not mask.any():
            continue
        y = split.case_label[mask].astype(bool)
        two = 0 < y.sum() < len(y)

        def auc(values: np.ndarray, y: np.ndarray = y, mask: np.ndarray = mask, two: bool = two) -> float:
            return float(roc_auc_score(y, values[mask])) if two else float("nan")

        predicted = score[mask] >= 0.5
        recalls = [float((predicted[y == v] == v).mean()) for v in (True, False) if (y == v).any()]
        rows[name] = {
            "cases": int(mask.sum()),
            "judge_auc": auc(judge_logit),
            "copy_auc": auc(copy_logit),
            "auc": auc(score),
            "ba": float(np.mean(recalls)),
        }
    return rows


def print_table(title: str, rows: dict[str, dict[str, float]]) -> None:
    print(f"{title:<20} {'cases':>5} {'judge AUC':>9} {'copy AUC':>8} {'score AUC':>9} {'BA@0.5':>7}")
    for name, r in rows.items():
        print(
            f"{name:<20} {r['cases']:>5} {r['judge_auc']:>9.3f} {r['copy_auc']:>8.3f} {r['auc']:>9.3f} {r['ba']:>7.3f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, help="judge_data.py's folder (default: user cache/reconcile/judge)")
    parser.add_argument("--limit", type=int, help="use the caches built with this --limit")
    parser.add_argument("--files", nargs="*", help="only these train files (stems)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"weights file (default: reconcile/{JUDGE_FILE})")
    parser.add_argument("--eval-cache", type=Path, help="also measure on the evaluation caches in this folder")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--quiet", action="store_true")
    for name, f in TrainSettings.__dataclass_fields__.items():
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, type=type(f.default), default=f.default)
    args = parser.parse_args()
    # One thread: deterministic, and the machine is shared.
    torch.set_num_threads(args.threads)
    settings = TrainSettings(**{k: getattr(args, k) for k in TrainSettings.__dataclass_fields__})
    cache = args.cache_dir or default_cache_dir() / "judge"
    train_split, dev, data_hash, data_files = load(cached(cache, args.limit, args.files))
    print(
        f"train {len(train_split.case_label)} cases / {len(train_split.inputs)} sentences, "
        f"dev {len(dev.case_label)} / {len(dev.inputs)}",
        file=sys.stderr,
    )
    started = time.perf_counter()
    tensors, record = train(train_split, dev, settings, args.quiet)
    seconds = time.perf_counter() - started
    settings_json = json.dumps(asdict(settings), sort_keys=True)
    name = judge_id(data_hash, settings_json)
    dev_rows = report(dev, tensors)
    print_table("train-dev", dev_rows)
    if args.eval_cache:
        # Evaluation sets: all their cases are "dev"; measured, never trained or tuned on.
        _unused, evaluation, _hash, _files = load(cached(args.eval_cache, None, None))
        print_table("eval", report(evaluation, tensors))
    print(f"trained in {seconds:.0f}s; {name}")

    from safetensors.numpy import save_file

    metadata = {
        "judge": name,
        "data_sha256": data_hash,
        "data_files": json.dumps(data_files, sort_keys=True),
        "settings": settings_json,
        "inputs": json.dumps(list(INPUT_NAMES)),
        "files": json.dumps(train_split.files),
        "dev": json.dumps(dev_rows),
        "training": json.dumps(record),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, str(args.out), metadata=metadata)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
