"""Cache the support judge's training inputs: the product's evidence, features and MiniLM token embeddings.

For each case of ../shared/train/*.jsonl.gz (never copied into the repository) this does what
`reconcile.compare` does up to the score: segment the sources and the claim, align each claim
sentence with every source window, choose its evidence, measure today's nine features and score.
Then it keeps, per claim sentence, the frozen MiniLM token embeddings of the sentence and of its
evidence: the sentences the chosen windows span, then the next best-ranked windows' until there
are --windows windows. Token embeddings come out of the same forward pass that gives the sentence
embeddings the alignment uses (sentence-transformers `output_value=None`), one pass per text.

One .npz per train file (no pickle; `np.load(..., allow_pickle=False)` reads it) under the cache
folder, default the user cache folder's judge/ subfolder:

    PYTHONPATH=. .venv/bin/python benchmarks/judge_data.py --limit 150 [--files frank begin] [--cache-dir DIR]

The evaluation sets go through the same path, all their cases as dev, into a folder of their own:

    PYTHONPATH=. .venv/bin/python benchmarks/judge_data.py --train-dir ../shared/eval \\
        --cache-dir ~/.cache/reconcile/judge-eval

--limit N takes at most N cases per split (train, dev) of each file, whole documents at a time in
a seeded random order, so a small run still spans documents (and SummEdits' domains).

Arrays of one file (C cases, U claim sentences, S distinct sentences, T tokens):
  case_id[C], case_label[C] (1 supported), case_split[C] (1 dev), case_units[C+1] (offsets into units)
  unit_claim[U] (sentence id), unit_features[U, 9], unit_score[U] (today's score), unit_inserted[U]
  unit_evidence[U+1] (offsets into ev_sentence), ev_sentence[E] (sentence id), ev_chosen[E] (1: a chosen window's)
  sentence_tokens[S+1] (offsets into tokens), tokens[T, 384] float16, sentence_vector[S, 384] float32
  feature_names[9], meta (JSON: data file hash, settings, model, limit, seed, timings)
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from reconcile.align import Candidate, SourceText, align
from reconcile.embed import DEFAULT_MODEL, SentenceTransformerEmbedder, chunk_pieces, default_cache_dir
from reconcile.evidence import choose_evidence, spanned
from reconcile.features import Features, measure
from reconcile.memo import memo_scope
from reconcile.resources import Resources
from reconcile.score import score
from reconcile.segment import segment
from reconcile.settings import Settings

if TYPE_CHECKING:
    import torch  # for annotations only; main() imports it at run time

TRAIN = Path(__file__).resolve().parents[1].parent / "shared" / "train"
FEATURES = tuple(Features.__dataclass_fields__)
# At most this many evidence sentences per claim sentence: 3 windows of 2 sentences.
MAX_EVIDENCE_SENTENCES = 6


class TokenEncoder:
    """An Embedder (sentence vectors as the product computes them) that also keeps each text's token embeddings.

    Long texts are encoded in pieces (embed.chunk_pieces), as SentenceTransformerEmbedder does:
    the vector is the normalised sum of the pieces', the tokens are the pieces' tokens in order.
    [CLS], [SEP] and padding are dropped. Token embeddings are kept until `forget_tokens`.
    """

    def __init__(self, *, batch_size: int = 16) -> None:
        self.model_id = DEFAULT_MODEL
        self.batch_size = batch_size
        self._loader = SentenceTransformerEmbedder()  # the packaged model, loaded offline
        self._vectors: dict[str, np.ndarray] = {}
        self._tokens: dict[str, np.ndarray] = {}
        self.seconds = 0.0
        self.texts = 0
        self.pieces = 0
        self.token_count = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            self._encode(missing)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def tokens(self, text: str) -> np.ndarray:
        """The token embeddings of an encoded text (encoding it now if it was not)."""
        if text not in self._tokens:
            self._vectors.pop(text, None)
            self._encode([text])
        return self._tokens[text]

    def forget_tokens(self) -> None:
        self._tokens.clear()

    def forget(self) -> None:
        self._tokens.clear()
        self._vectors.clear()

    def _encode(self, texts: list[str]) -> None:
        model = self._loader._load()
        started = time.perf_counter()
        ordered = sorted(texts, key=len, reverse=True)  # longest first keeps padding small
        pieces, owners = chunk_pieces(ordered)  # the product's own cut of long texts
        piece_vectors: list[np.ndarray] = []
        piece_tokens: list[np.ndarray] = []
        for lo in range(0, len(pieces), self.batch_size):
            # output_value=None gives one dict of tensors per text; the stub's overloads do not say so.
            outputs = cast(
                "list[dict[str, torch.Tensor]]",
                model.encode(
                    pieces[lo : lo + self.batch_size],
                    batch_size=self.batch_size,
                    output_value=None,
                    normalize_embeddings=True,
                    show_progress_bar=False,
                ),
            )
            for out in outputs:
                mask = out["attention_mask"].bool()
                piece_tokens.append(out["token_embeddings"][mask][1:-1].numpy().astype(np.float16))
                piece_vectors.append(out["sentence_embedding"].numpy().astype(np.float32))
        summed = np.zeros((len(ordered), 384), dtype=np.float32)
        np.add.at(summed, np.asarray(owners), np.stack(piece_vectors))
        vectors = summed / np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12)
        grouped: list[list[np.ndarray]] = [[] for _ in ordered]
        for owner, toks in zip(owners, piece_tokens, strict=True):
            grouped[owner].append(toks)
        for n, text in enumerate(ordered):
            self._vectors[text] = vectors[n]
            self._tokens[text] = np.concatenate(grouped[n]) if grouped[n] else np.zeros((0, 384), np.float16)
        self.seconds += time.perf_counter() - started
        self.texts += len(ordered)
        self.pieces += len(pieces)
        self.token_count += sum(len(t) for t in piece_tokens)


@dataclass
class Table:
    """The arrays of one train file, filled case by case."""

    sentence_ids: dict[str, int] = field(default_factory=dict)
    sentence_tokens: list[np.ndarray] = field(default_factory=list)
    sentence_vectors: list[np.ndarray] = field(default_factory=list)
    case_id: list[str] = field(default_factory=list)
    case_label: list[int] = field(default_factory=list)
    case_split: list[int] = field(default_factory=list)
    case_units: list[int] = field(default_factory=lambda: [0])
    unit_claim: list[int] = field(default_factory=list)
    unit_features: list[list[float]] = field(default_factory=list)
    unit_score: list[float] = field(default_factory=list)
    unit_inserted: list[int] = field(default_factory=list)
    unit_evidence: list[int] = field(default_factory=lambda: [0])
    ev_sentence: list[int] = field(default_factory=list)
    ev_chosen: list[int] = field(default_factory=list)

    def sentence(self, text: str, encoder: TokenEncoder) -> int:
        if text not in self.sentence_ids:
            self.sentence_ids[text] = len(self.sentence_ids)
            self.sentence_tokens.append(encoder.tokens(text))
            self.sentence_vectors.append(encoder.encode([text])[0])
        return self.sentence_ids[text]

    def arrays(self) -> dict[str, np.ndarray]:
        offsets = np.zeros(len(self.sentence_tokens) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(t) for t in self.sentence_tokens])
        return {
            "case_id": np.asarray(self.case_id, dtype=str),
            "case_label": np.asarray(self.case_label, dtype=np.int8),
            "case_split": np.asarray(self.case_split, dtype=np.int8),
            "case_units": np.asarray(self.case_units, dtype=np.int32),
            "unit_claim": np.asarray(self.unit_claim, dtype=np.int32),
            "unit_features": np.asarray(self.unit_features, dtype=np.float32).reshape(-1, len(FEATURES)),
            "unit_score": np.asarray(self.unit_score, dtype=np.float32),
            "unit_inserted": np.asarray(self.unit_inserted, dtype=np.int16),
            "unit_evidence": np.asarray(self.unit_evidence, dtype=np.int32),
            "ev_sentence": np.asarray(self.ev_sentence, dtype=np.int32),
            "ev_chosen": np.asarray(self.ev_chosen, dtype=np.int8),
            "sentence_tokens": offsets,
            "tokens": (np.concatenate(self.sentence_tokens) if self.sentence_tokens else np.zeros((0, 384))).astype(
                np.float16
            ),
            "sentence_vector": np.asarray(self.sentence_vectors, dtype=np.float32).reshape(-1, 384),
            "feature_names": np.asarray(FEATURES, dtype=str),
        }


def data_stem(path: Path) -> str:
    return path.name.removesuffix(".gz").removesuffix(".jsonl")


def read_cases(path: Path) -> list[dict[str, Any]]:
    """The cases of a .jsonl.gz or .jsonl file; a case without a split (an evaluation set's) counts as dev."""
    opened = gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")
    with opened as f:
        cases = [json.loads(line) for line in f if line.strip()]
    for case in cases:
        case.setdefault("split", "dev")
    return cases


def pick_cases(cases: list[dict[str, Any]], limit: int | None, seed: int) -> list[list[dict[str, Any]]]:
    """The cases to cache, grouped by their sources: whole documents, in a seeded order, up to limit per split."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for case in cases:
        groups.setdefault(tuple(s["text"] for s in case["sources"]), []).append(case)
    ordered = list(groups.values())
    if limit is None:
        return ordered
    random.Random(seed).shuffle(ordered)
    taken: dict[str, int] = {"train": 0, "dev": 0}
    picked: list[list[dict[str, Any]]] = []
    for group in ordered:
        split = group[0]["split"]
        if taken[split] >= limit:
            continue
        keep = group[: limit - taken[split]]
        taken[split] += len(keep)
        picked.append(keep)
    return picked


def evidence_sentences(
    ranked: Sequence[Candidate], chosen: Sequence[Candidate], windows: int
) -> list[tuple[int, int, bool]]:
    """(source, sentence, chosen) for the chosen windows' sentences, then the next best-ranked windows' ones."""
    picked = list(chosen)
    for c in ranked:
        if len(picked) >= windows:
            break
        if c not in picked:
            picked.append(c)
    chosen_sentences = set(spanned(chosen))
    return [(s, k, (s, k) in chosen_sentences) for s, k in spanned(picked)][:MAX_EVIDENCE_SENTENCES]


def add_group(
    table: Table,
    group: list[dict[str, Any]],
    encoder: TokenEncoder,
    settings: Settings,
    resources: Resources,
    windows: int,
) -> int:
    """Add the cases of one document to the table; the number of claims with no sentence segment() finds."""
    sources: list[SourceText] = []
    for source in group[0]["sources"]:
        seg = segment(source["text"])
        sentences = seg.sentences
        sources.append(SourceText(source.get("name", "source"), source["text"], sentences))
    sources = [s for s in sources if s.sentences]
    unsplit = 0
    claims: list[list[str]] = []
    for case in group:
        found = [s.text for s in segment(case["claim"]).sentences]
        if not found:
            # The product would refuse such an outlet (a short line without final punctuation); the
            # judge still learns from it as one sentence.
            unsplit += 1
            found = [case["claim"].strip()]
        claims.append(found)
    flat = [c for found in claims for c in found]
    candidates = align(flat, sources, encoder, top_k=settings.top_k, window=settings.window)
    evidence = [
        choose_evidence(c, cands, sources, settings, resources) for c, cands in zip(flat, candidates, strict=True)
    ]
    features = measure(evidence, sources, encoder)
    k = 0
    for case, found in zip(group, claims, strict=True):
        table.case_id.append(case["id"])
        table.case_label.append(int(case["label"] == "supported"))
        table.case_split.append(int(case["split"] == "dev"))
        for _ in found:
            claim, measured = evidence[k], features[k]
            k += 1
            table.unit_claim.append(table.sentence(claim.sentence, encoder))
            table.unit_features.append([getattr(measured, n) for n in FEATURES])
            table.unit_score.append(score(measured, claim.inserted, settings, resources.calibration))
            table.unit_inserted.append(claim.inserted)
            for s, i, chosen in evidence_sentences(claim.ranked, claim.chosen, windows):
                table.ev_sentence.append(table.sentence(sources[s].sentences[i].text, encoder))
                table.ev_chosen.append(int(chosen))
            table.unit_evidence.append(len(table.ev_sentence))
        table.case_units.append(len(table.unit_claim))
    return unsplit


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(
    path: Path, out: Path, encoder: TokenEncoder, resources: Resources, args: argparse.Namespace
) -> dict[str, Any]:
    settings = Settings()
    cases = read_cases(path)
    groups = pick_cases(cases, args.limit, args.seed)
    table = Table()
    started = time.perf_counter()
    encode_before, texts_before, tokens_before = encoder.seconds, encoder.texts, encoder.token_count
    unsplit = 0
    for n, group in enumerate(groups):
        # One scope per document, as the product opens one per comparison.
        with memo_scope():
            unsplit += add_group(table, group, encoder, settings, resources, args.windows)
        # Only the claims' and evidence's tokens are kept (in the table): the rest of a document's go.
        encoder.forget()
        if not args.quiet and (n + 1) % 50 == 0:
            print(f"  {path.name}: {n + 1}/{len(groups)} documents, {len(table.case_id)} cases", file=sys.stderr)
    seconds = time.perf_counter() - started
    arrays = table.arrays()
    stats = {
        "file": path.name,
        "cases": len(table.case_id),
        "dev": int(arrays["case_split"].sum()),
        "supported": int(arrays["case_label"].sum()),
        "units": len(table.unit_claim),
        "unsplit_claims": unsplit,
        "documents": len(groups),
        "sentences_kept": len(table.sentence_ids),
        "tokens_kept": int(arrays["tokens"].shape[0]),
        "texts_encoded": encoder.texts - texts_before,
        "tokens_encoded": encoder.token_count - tokens_before,
        "encode_seconds": round(encoder.seconds - encode_before, 1),
        "seconds": round(seconds, 1),
    }
    meta = {
        "data": path.name,
        "data_sha256": file_hash(path),
        "limit": args.limit,
        "seed": args.seed,
        "windows": args.windows,
        "max_evidence_sentences": MAX_EVIDENCE_SENTENCES,
        "model": encoder.model_id,
        "settings": settings.model_dump(),
        "calibration": resources.calibration,
        "stats": stats,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial.npz")
    # numpy's stub lets **kwargs fill the allow_pickle: bool keyword; these are all arrays.
    np.savez(partial, meta=np.asarray(json.dumps(meta, sort_keys=True)), **arrays)  # type: ignore[arg-type]
    os.replace(partial, out)
    return stats


def cache_name(stem: str, limit: int | None) -> str:
    return f"{stem}.npz" if limit is None else f"{stem}-limit{limit}.npz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-dir", type=Path, default=TRAIN, help="folder of .jsonl.gz / .jsonl case files")
    parser.add_argument("--cache-dir", type=Path, help="where the .npz files go (default: user cache/reconcile/judge)")
    parser.add_argument("--files", nargs="*", help="only these files (names or stems)")
    parser.add_argument("--limit", type=int, help="at most N cases per split (train, dev) of each file")
    parser.add_argument("--seed", type=int, default=12, help="order in which documents are taken under --limit")
    parser.add_argument("--windows", type=int, default=3, help="evidence windows kept per claim sentence")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (the machine is shared)")
    parser.add_argument("--batch-size", type=int, default=16, help="texts per forward pass (16 measured fastest here)")
    parser.add_argument("--force", action="store_true", help="rebuild files already cached")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()

    import torch
    from threadpoolctl import threadpool_limits

    # The machine is shared: one thread for torch, and for numpy's BLAS (align's matrix products) too.
    torch.set_num_threads(args.threads)
    threadpool_limits(args.threads)
    files = sorted([*args.train_dir.glob("*.jsonl.gz"), *args.train_dir.glob("*.jsonl")])
    if args.files:
        files = [f for f in files if f.name in args.files or data_stem(f) in args.files]
    if not files:
        print(f"no .jsonl.gz files in {args.train_dir}; pass --train-dir", file=sys.stderr)
        return 2
    cache = args.cache_dir or default_cache_dir() / "judge"
    resources = Resources.load()
    encoder = TokenEncoder(batch_size=args.batch_size)
    for path in files:
        out = cache / cache_name(data_stem(path), args.limit)
        if out.exists() and not args.force:
            print(f"{out}: cached (pass --force to rebuild)")
            continue
        stats = build(path, out, encoder, resources, args)
        rate = stats["texts_encoded"] / max(stats["encode_seconds"], 1e-9)
        print(f"{out}: {json.dumps(stats)}; encode {rate:.1f} texts/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
