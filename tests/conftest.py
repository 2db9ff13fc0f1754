"""Shared fixtures: the real packaged model, loaded once per test session."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "xi-trump-call-2025-01-17"


@pytest.fixture(scope="session")
def embedder():
    """The packaged all-MiniLM-L6-v2, loaded once (no disk cache: tests must see the model itself)."""
    from reconcile.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


class FakeEmbedder:
    """Bag-of-words hashing vectors: deterministic and instant, for tests of the plumbing only."""

    model_id = "fake"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.md5(word.strip(".,!?\"'").encode()).hexdigest(), 16) % 64] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    # The CLI caches embeddings in the user's cache folder; tests keep theirs apart.
    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "embedding-cache"))
