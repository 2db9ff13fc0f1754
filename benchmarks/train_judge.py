"""Train a light support judge on frozen MiniLM token embeddings (the caches benchmarks/judge_data.py writes).

The head (decomposable attention / ESIM style): claim and evidence tokens are projected 384 -> 128,
each claim token is soft-aligned to the evidence tokens and each evidence token to the claim's,
every token is compared with what it aligns to ([a; b; a - b; a * b] -> 128), and the comparisons
are pooled (claim side max + mean, evidence side max). The pooled vectors, the claim-vs-evidence
cosine, the worst-matched claim token's 1 - best token cosine and today's nine features (plus the
count of inserted words) go through a small MLP to one logit per claim sentence. A case is
supported when all its sentences are, so its logit is the least of its sentences' (trained on case
labels: which sentence of a multi-sentence unsupported claim is wrong is not annotated).

Each train file weighs the same in the loss, and within a file both labels weigh the same (a file
with one label only, WiCE's, weighs half). The epoch with the best pooled dev AUC is kept.

    PYTHONPATH=. .venv/bin/python benchmarks/train_judge.py [--cache-dir DIR] [--limit 150] [--out judge.safetensors] \\
        [--eval-cache ~/.cache/reconcile/judge-eval] [--no-tokens]

--no-tokens trains the extras alone (no interaction head), the ablation to beat. Deterministic on
one thread: the same caches and settings give the same weights and the same judge hash.

Prints dev ROC-AUC and balanced accuracy (at 0.5) per train file and pooled, next to today's score
on the same cases; writes the weights as safetensors with a hash of the data and the settings.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import cast

import numpy as np
import torch  # noqa: TID253 - a training script: it needs torch from the first line on
from sklearn.metrics import roc_auc_score

from reconcile.embed import default_cache_dir

sys.path.insert(0, str(Path(__file__).resolve().parent))
from judge_data import cache_name  # noqa: E402 - the sibling script, importable once its folder is on the path


@dataclass(frozen=True)
class TrainSettings:
    """Everything that shapes the weights besides the data (hashed with it)."""

    hidden: int = 128
    dropout: float = 0.1
    epochs: int = 8
    batch_cases: int = 32
    lr: float = 1e-3
    weight_decay: float = 1e-4
    seed: int = 12
    max_claim_tokens: int = 96
    max_evidence_tokens: int = 320
    tokens: bool = True  # False: the extras-only ablation (no interaction head)


@dataclass
class Split:
    """The units (claim sentences) of some cases, ready to batch."""

    files: list[str]
    case_file: np.ndarray  # [C] index into files
    case_label: np.ndarray  # [C]
    case_units: list[np.ndarray]  # per case, unit indices into the arrays below
    today: np.ndarray  # [C] today's score of the case (least of its sentences')
    claim_index: list[np.ndarray]  # per unit, rows of tokens
    evidence_index: list[np.ndarray]
    extras: np.ndarray  # [U, E]
    tokens: np.ndarray  # [T, 384] float16, all files' tokens stacked


EXTRA_NAMES = ("claim_evidence_cosine", "worst_token_gap", "inserted")
# One case as load() collects it: file, label, its unit indices, today's score, and its file's per-unit
# claim token rows, evidence token rows and extras.
Row = tuple[int, int, np.ndarray, float, list[np.ndarray], list[np.ndarray], list[list[float]]]


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


def load(paths: list[Path]) -> tuple[Split, Split, list[str], str]:
    """The train and dev splits of these cache files, the feature names, and a hash of the files."""
    digest = hashlib.sha256()
    parts: dict[str, list[Row]] = {"train": [], "dev": []}
    token_blocks: list[np.ndarray] = []
    token_base = 0
    feature_names: list[str] = []
    for f, path in enumerate(paths):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
        data = np.load(path, allow_pickle=False)
        feature_names = [str(n) for n in data["feature_names"]]
        tokens = data["tokens"]
        offsets = data["sentence_tokens"]
        vectors = data["sentence_vector"]
        unit_claim, unit_ev = data["unit_claim"], data["unit_evidence"]
        ev_sentence = data["ev_sentence"]
        features = data["unit_features"]
        inserted = np.minimum(data["unit_inserted"].astype(np.float32), 3.0)
        claim_index, evidence_index, extras = [], [], []
        for u, c in enumerate(unit_claim):
            rows = np.arange(offsets[c], offsets[c + 1])
            ev = ev_sentence[unit_ev[u] : unit_ev[u + 1]]
            ev_rows = np.concatenate([np.arange(offsets[s], offsets[s + 1]) for s in ev]) if len(ev) else rows[:0]
            claim_index.append(rows + token_base)
            evidence_index.append(ev_rows + token_base)
            if len(ev):
                mean = vectors[ev].mean(axis=0)
                cosine = float(vectors[c] @ mean / max(np.linalg.norm(mean), 1e-12))
            else:
                cosine = 0.0
            gap = _worst_token_gap(tokens[rows], tokens[ev_rows])
            extras.append([cosine, gap, inserted[u], *features[u]])
        token_blocks.append(tokens)
        token_base += len(tokens)
        # Each access of an npz member reads it from the file again: read each once.
        case_units, case_split, case_label = data["case_units"], data["case_split"], data["case_label"]
        score = data["unit_score"]
        for k in range(len(case_split)):
            split = "dev" if case_split[k] else "train"
            units = np.arange(case_units[k], case_units[k + 1])
            parts[split].append(
                (f, int(case_label[k]), units, float(score[units].min()), claim_index, evidence_index, extras)
            )
    stacked = np.concatenate(token_blocks)
    files = [p.name.split("-limit")[0].removesuffix(".npz") for p in paths]
    return (
        _split(parts["train"], files, stacked),
        _split(parts["dev"], files, stacked),
        feature_names,
        digest.hexdigest(),
    )


def _split(rows: list[Row], files: list[str], tokens: np.ndarray) -> Split:
    claim_index: list[np.ndarray] = []
    evidence_index: list[np.ndarray] = []
    extras: list[list[float]] = []
    case_units: list[np.ndarray] = []
    for _f, _label, units, _today, c_index, e_index, ex in rows:
        base = len(claim_index)
        claim_index.extend(c_index[u] for u in units)
        evidence_index.extend(e_index[u] for u in units)
        extras.extend(ex[u] for u in units)
        case_units.append(np.arange(base, base + len(units)))
    return Split(
        files=files,
        case_file=np.asarray([r[0] for r in rows], dtype=np.int64),
        case_label=np.asarray([r[1] for r in rows], dtype=np.float32),
        case_units=case_units,
        today=np.asarray([r[3] for r in rows], dtype=np.float32),
        claim_index=claim_index,
        evidence_index=evidence_index,
        extras=np.asarray(extras, dtype=np.float32) if extras else np.zeros((0, 0), dtype=np.float32),
        tokens=tokens,
    )


def _worst_token_gap(claim: np.ndarray, evidence: np.ndarray) -> float:
    """1 - the best cosine of the claim token that is matched worst in the evidence (raw MiniLM tokens)."""
    if not len(claim) or not len(evidence):
        return 1.0
    # torch, not numpy: on these small matrices OpenBLAS's call overhead is ten times torch's.
    a = torch.nn.functional.normalize(torch.from_numpy(claim).float(), dim=1)
    b = torch.nn.functional.normalize(torch.from_numpy(evidence).float(), dim=1)
    return float(1.0 - (a @ b.T).amax(dim=1).min())


class Head(torch.nn.Module):
    """The interaction head; see the module docstring."""

    extras_mean: torch.Tensor  # buffers, registered in __init__
    extras_std: torch.Tensor

    def __init__(self, n_extras: int, settings: TrainSettings, mean: np.ndarray, std: np.ndarray) -> None:
        super().__init__()
        h = settings.hidden
        self.use_tokens = settings.tokens
        self.register_buffer("extras_mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("extras_std", torch.tensor(std, dtype=torch.float32))
        self.project = torch.nn.Sequential(torch.nn.Dropout(settings.dropout), torch.nn.Linear(384, h), torch.nn.ReLU())
        self.compare = torch.nn.Sequential(torch.nn.Linear(4 * h, h), torch.nn.ReLU())
        pooled = 3 * h if settings.tokens else 0
        self.out = torch.nn.Sequential(
            torch.nn.Dropout(settings.dropout),
            torch.nn.Linear(pooled + n_extras, h),
            torch.nn.ReLU(),
            torch.nn.Linear(h, 1),
        )

    def forward(
        self, a: torch.Tensor, a_mask: torch.Tensor, b: torch.Tensor, b_mask: torch.Tensor, extras: torch.Tensor
    ) -> torch.Tensor:
        extras = (extras - self.extras_mean) / self.extras_std
        if not self.use_tokens:
            return cast(torch.Tensor, self.out(extras)).squeeze(-1)
        pa, pb = self.project(a), self.project(b)
        scores = pa @ pb.transpose(1, 2) / pa.shape[-1] ** 0.5  # [B, La, Lb]
        neg = torch.finfo(scores.dtype).min
        to_b = torch.softmax(scores.masked_fill(~b_mask[:, None, :], neg), dim=2)
        to_a = torch.softmax(scores.masked_fill(~a_mask[:, :, None], neg), dim=1)
        beta = to_b @ pb  # what each claim token aligns to in the evidence
        alpha = to_a.transpose(1, 2) @ pa  # what each evidence token aligns to in the claim
        va = self.compare(torch.cat([pa, beta, pa - beta, pa * beta], dim=-1))
        vb = self.compare(torch.cat([pb, alpha, pb - alpha, pb * alpha], dim=-1))
        am, bm = a_mask[..., None], b_mask[..., None]
        a_max = va.masked_fill(~am, neg).amax(dim=1)
        a_mean = (va * am).sum(dim=1) / am.sum(dim=1).clamp(min=1)
        b_max = vb.masked_fill(~bm, neg).amax(dim=1)
        # A unit with no evidence tokens pools to the floor value; zero it instead.
        b_max = torch.where(bm.any(dim=1), b_max, torch.zeros_like(b_max))
        return cast(torch.Tensor, self.out(torch.cat([a_max, a_mean, b_max, extras], dim=-1))).squeeze(-1)


def _pad(tokens: np.ndarray, indices: list[np.ndarray], cap: int) -> tuple[torch.Tensor, torch.Tensor]:
    length = max(1, min(cap, max(len(i) for i in indices)))
    out = np.zeros((len(indices), length, tokens.shape[1]), dtype=np.float32)
    mask = np.zeros((len(indices), length), dtype=bool)
    for n, rows in enumerate(indices):
        rows = rows[:cap]
        out[n, : len(rows)] = tokens[rows]
        mask[n, : len(rows)] = True
    return torch.from_numpy(out), torch.from_numpy(mask)


def case_logits(model: Head, split: Split, cases: np.ndarray, settings: TrainSettings) -> torch.Tensor:
    """The logit of each case: the least of its sentences'."""
    units = [split.case_units[c] for c in cases]
    flat = np.concatenate(units)
    a, a_mask = _pad(split.tokens, [split.claim_index[u] for u in flat], settings.max_claim_tokens)
    b, b_mask = _pad(split.tokens, [split.evidence_index[u] for u in flat], settings.max_evidence_tokens)
    logits = model(a, a_mask, b, b_mask, torch.from_numpy(split.extras[flat]))
    owner = torch.from_numpy(np.repeat(np.arange(len(cases)), [len(u) for u in units]))
    least = torch.full((len(cases),), float("inf"))
    return least.scatter_reduce(0, owner, logits, reduce="amin")


def case_weights(split: Split) -> np.ndarray:
    """Each file weighs the same, and within it each label; mean weight 1."""
    weights = np.zeros(len(split.case_label), dtype=np.float64)
    for f in range(len(split.files)):
        in_file = split.case_file == f
        labels = [lab for lab in (0.0, 1.0) if (in_file & (split.case_label == lab)).any()]
        for lab in labels:
            chosen = in_file & (split.case_label == lab)
            # A one-label file (WiCE's) weighs half a file: it has only the one side to teach.
            weights[chosen] = 0.5 / chosen.sum()
    return cast(np.ndarray, weights * len(weights) / weights.sum())


def predict(model: Head, split: Split, settings: TrainSettings) -> np.ndarray:
    model.eval()
    scores = np.zeros(len(split.case_label), dtype=np.float32)
    with torch.no_grad():
        for cases in batches(split, np.arange(len(split.case_label)), 128, None):
            scores[cases] = torch.sigmoid(case_logits(model, split, cases, settings)).numpy()
    return scores


def batches(split: Split, order: np.ndarray, size: int, rng: np.random.Generator | None) -> list[np.ndarray]:
    """Batches of cases of similar evidence length (each batch is padded to its longest), in random order.

    Cases are sorted by length within runs of 50 batches of the given order, so batches stay mixed
    across files and labels while padding (most of the head's work) shrinks.
    """
    length = np.asarray([max(len(split.evidence_index[u]) for u in split.case_units[c]) for c in order])
    out: list[np.ndarray] = []
    run = 50 * size
    for lo in range(0, len(order), run):
        chunk = order[lo : lo + run][np.argsort(length[lo : lo + run], kind="stable")]
        out.extend(chunk[k : k + size] for k in range(0, len(chunk), size))
    if rng is not None:
        out = [out[i] for i in rng.permutation(len(out))]
    return out


def metrics(labels: np.ndarray, scores: np.ndarray, threshold: float = 0.5) -> tuple[float, float]:
    """ROC-AUC (nan with one label) and balanced accuracy at threshold (the one label's recall alone)."""
    y = labels.astype(bool)
    auc = float(roc_auc_score(y, scores)) if 0 < y.sum() < len(y) else float("nan")
    predicted = scores >= threshold
    recalls = [float((predicted[y == v] == v).mean()) for v in (True, False) if (y == v).any()]
    return auc, float(np.mean(recalls))


def report(split: Split, scores: np.ndarray) -> dict[str, dict[str, float]]:
    rows: dict[str, dict[str, float]] = {}
    for f, name in enumerate(split.files):
        in_file = split.case_file == f
        if not in_file.any():
            continue
        auc, ba = metrics(split.case_label[in_file], scores[in_file])
        t_auc, t_ba = metrics(split.case_label[in_file], split.today[in_file])
        rows[name] = {"cases": int(in_file.sum()), "auc": auc, "ba": ba, "today_auc": t_auc, "today_ba": t_ba}
    auc, ba = metrics(split.case_label, scores)
    t_auc, t_ba = metrics(split.case_label, split.today)
    rows["pooled"] = {"cases": len(scores), "auc": auc, "ba": ba, "today_auc": t_auc, "today_ba": t_ba}
    return rows


def train(
    train_split: Split, dev: Split, settings: TrainSettings, quiet: bool
) -> tuple[Head, dict[str, dict[str, float]], list[dict[str, float]]]:
    torch.manual_seed(settings.seed)
    rng = np.random.default_rng(settings.seed)
    mean = train_split.extras.mean(axis=0)
    std = np.maximum(train_split.extras.std(axis=0), 1e-3)
    model = Head(train_split.extras.shape[1], settings, mean, std)
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.lr, weight_decay=settings.weight_decay)
    weights = torch.from_numpy(case_weights(train_split)).float()
    labels = torch.from_numpy(train_split.case_label)
    best: tuple[float, dict[str, torch.Tensor], dict[str, dict[str, float]]] | None = None
    history: list[dict[str, float]] = []
    for epoch in range(settings.epochs):
        model.train()
        started = time.perf_counter()
        total = 0.0
        order = rng.permutation(len(train_split.case_label))
        for cases in batches(train_split, order, settings.batch_cases, rng):
            logits = case_logits(model, train_split, cases, settings)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, labels[cases], weight=weights[cases], reduction="sum"
            ) / len(cases)
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]  # torch's stub leaves backward unannotated
            optimiser.step()
            total += loss.item() * len(cases)
        rows = report(dev, predict(model, dev, settings))
        pooled = rows["pooled"]["auc"]
        history.append(
            {
                "epoch": epoch + 1,
                "loss": total / len(order),
                "dev_auc": pooled,
                "seconds": time.perf_counter() - started,
            }
        )
        if not quiet:
            print(
                f"epoch {epoch + 1}: loss {total / len(order):.4f}  dev pooled AUC {pooled:.3f}  "
                f"({time.perf_counter() - started:.1f}s)",
                file=sys.stderr,
            )
        if best is None or pooled > best[0]:
            best = (pooled, {k: v.clone() for k, v in model.state_dict().items()}, rows)
    assert best is not None  # epochs >= 1
    model.load_state_dict(best[1])
    return model, best[2], history


def print_table(title: str, rows: dict[str, dict[str, float]]) -> None:
    print(f"{title:<18} {'cases':>5} {'AUC':>6} {'BA':>6} {'today AUC':>10} {'today BA':>9}")
    for name, r in rows.items():
        print(
            f"{name:<18} {r['cases']:>5} {r['auc']:>6.3f} {r['ba']:>6.3f} {r['today_auc']:>10.3f} {r['today_ba']:>9.3f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, help="judge_data.py's folder (default: user cache/reconcile/judge)")
    parser.add_argument("--limit", type=int, help="use the caches built with this --limit")
    parser.add_argument("--files", nargs="*", help="only these train files (stems)")
    parser.add_argument(
        "--out", type=Path, help="weights file (default: the cache folder's judge-head[-limitN].safetensors)"
    )
    parser.add_argument("--eval-cache", type=Path, help="also score the evaluation caches in this folder")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--quiet", action="store_true")
    for name, f in TrainSettings.__dataclass_fields__.items():
        default = f.default
        if isinstance(default, bool):
            parser.add_argument(f"--no-{name}", dest=name, action="store_false", default=default)
        else:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, type=type(default), default=default)
    args = parser.parse_args()
    from threadpoolctl import threadpool_limits

    # The machine is shared: one thread for torch, and for numpy's BLAS (align's matrix products) too.
    torch.set_num_threads(args.threads)
    threadpool_limits(args.threads)
    settings = TrainSettings(**{k: getattr(args, k) for k in TrainSettings.__dataclass_fields__})
    cache = args.cache_dir or default_cache_dir() / "judge"
    started = time.perf_counter()
    train_split, dev, feature_names, data_hash = load(cached(cache, args.limit, args.files))
    loaded = time.perf_counter() - started
    print(
        f"train {len(train_split.case_label)} cases / {len(train_split.extras)} sentences, "
        f"dev {len(dev.case_label)} / {len(dev.extras)}; loaded in {loaded:.1f}s",
        file=sys.stderr,
    )
    started = time.perf_counter()
    model, rows, history = train(train_split, dev, settings, args.quiet)
    seconds = time.perf_counter() - started
    settings_json = json.dumps(asdict(settings), sort_keys=True)
    digest = hashlib.sha256(f"{data_hash}\0{settings_json}".encode()).hexdigest()[:16]
    print_table("dev set", rows)
    best = max(history, key=lambda h: h["dev_auc"])
    if args.eval_cache:
        # Evaluation sets: all their cases are "dev"; the extras are standardised with the train statistics.
        _unused, evaluation, _names, _hash = load(cached(args.eval_cache, None, None))
        print_table("eval set", report(evaluation, predict(model, evaluation, settings)))
    print(f"best epoch {best['epoch']} of {settings.epochs}; trained in {seconds:.0f}s; judge {digest}")

    from safetensors.torch import save_file

    out = args.out or cache / (f"judge-head-limit{args.limit}.safetensors" if args.limit else "judge-head.safetensors")
    out.parent.mkdir(parents=True, exist_ok=True)
    metadata = {
        "judge": digest,
        "data_sha256": data_hash,
        "settings": settings_json,
        "inputs": json.dumps([*EXTRA_NAMES, *feature_names]),
        "files": json.dumps(train_split.files),
        "dev": json.dumps(rows),
        "history": json.dumps(history),
    }
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(out), metadata=metadata)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
