"""Shared fixtures: the real packaged model loaded once per session, one cache folder with the WordNet
index built once, and reconcile's commands run in-process.

Tests that use the real model (the ``embedder`` fixture, directly or through another fixture) are
marked ``model``, so ``pytest -m "not model"`` runs the plumbing alone; a test without the mark that
loads the model fails.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner, Result

from reconcile.cli import Runtime, app
from reconcile.compare import compare
from reconcile.documents import document_from_text, read_document
from reconcile.embed import Embedder, SentenceTransformerEmbedder
from reconcile.report import Report
from reconcile.resources import Resources
from reconcile.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "xi-trump-call-2025-01-17"
# The bundled sample's two inputs, which many tests compare: named once, here.
SAMPLE_OUTLET = SAMPLE / "outlet-article.txt"
SAMPLE_POST = SAMPLE / "truth-social-post.txt"
# The browser suites drive Debian's chromium through Playwright (never `playwright install`); what they
# see is saved here for a person to look at.
CHROMIUM = os.environ.get("RECONCILE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
TWO = ROOT / "tests" / "fixtures" / "two-readouts"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current code instead of comparing with it",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # fixturenames is the whole closure: a test whose module fixture uses the model is a model test too.
    for item in items:
        if "embedder" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.model)


def compare_texts(
    outlet: str,
    *sources: tuple[str, str] | tuple[str, str, str | None],
    embedder: Embedder,
    resources: Resources | None = None,
    settings: Settings | None = None,
    outlet_name: str = "article",
) -> Report:
    """compare() of texts written for a test: the outlet's, then each source as (name, text[, speaker])."""
    docs = [document_from_text(s[1], name=s[0], speaker=s[2] if len(s) > 2 else None) for s in sources]
    return compare(
        document_from_text(outlet, name=outlet_name), docs, embedder=embedder, resources=resources, settings=settings
    )


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The session's cache folder (embeddings, the WordNet index), never the user's.

    RECONCILE_CACHE_DIR points at it for the whole session, so the default paths, the transitional
    WordNet singleton and every subprocess (serve, the smoke tests) find the one index built here.
    """
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RECONCILE_CACHE_DIR", str(folder))
        yield folder


# 2026-01-02T03:04:05Z: the time every report of the session records (see provenance.now).
FIXED_EPOCH = "1767323045"


@pytest.fixture(scope="session", autouse=True)
def fixed_clock() -> Iterator[str]:
    """SOURCE_DATE_EPOCH for the whole session, subprocesses included: reports record the time they
    were made, and the golden files, the in-process vs process test and others compare reports byte
    for byte. tests/test_provenance.py unsets it where the real clock is what is tested."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        yield FIXED_EPOCH


@pytest.fixture(scope="session")
def resources(cache_dir: Path) -> Resources:
    """WordNet, the opposites and the calibration, loaded once; the WordNet index is built into cache_dir."""
    return Resources.load(cache_dir=cache_dir)


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The packaged all-MiniLM-L6-v2, loaded once (no disk cache: tests must see the model itself)."""
    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def sample_report(embedder: SentenceTransformerEmbedder) -> Report:
    """The bundled sample compared with the session's model, as `make demo` does (the post spoken by Trump)."""
    return compare(
        read_document(SAMPLE_OUTLET),
        [read_document(SAMPLE_POST, speaker="Donald Trump")],
        embedder=embedder,
    )


@pytest.fixture(autouse=True)
def _model_only_where_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # -m "not model" promises the plumbing alone: a test that would load the real model must say so.
    if request.node.get_closest_marker("model") is not None:
        return
    load = SentenceTransformerEmbedder._load

    def refuse(self: SentenceTransformerEmbedder) -> object:
        if self._model is None:
            pytest.fail("this test loads the real model: use the embedder fixture (it marks the test model)")
        return load(self)

    monkeypatch.setattr(SentenceTransformerEmbedder, "_load", refuse)


class FakeEmbedder:
    """Bag-of-words hashing vectors: deterministic and instant, for tests of the plumbing only."""

    model_id = "fake"
    precision = "fp32"  # as batch reads it from an embedder that does not say

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.md5(word.strip(".,!?\"'").encode()).hexdigest(), 16) % 64] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        vectors: np.ndarray = out / np.maximum(norms, 1e-12)
        return vectors


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


class Cli:
    """reconcile's commands in-process (typer's CliRunner), as ``python -m reconcile`` runs them.

    Each run makes its embedder as the command does (``--model``, ``--cache-dir``, ``--precision``),
    through ``Runtime.make_embedder``; with ``shared`` it reuses that model once loaded instead of
    loading it again. ``made`` lists the embedders the commands made.
    """

    def __init__(self, shared: SentenceTransformerEmbedder | None = None) -> None:
        self.shared = shared
        self.made: list[SentenceTransformerEmbedder] = []

    def _make(self, model: str | None, *, cache_dir: Path | None, precision: str) -> Embedder:
        made = SentenceTransformerEmbedder(model, cache_dir=cache_dir, precision=precision)
        if self.shared is not None and made.path == self.shared.path:
            made._model = self.shared._load()  # the session's model; the run's text caches stay its own
        self.made.append(made)
        return made

    def __call__(self, *args: str, input: bytes | str | None = None) -> Result:
        result: Result = CliRunner().invoke(app, list(args), input=input, obj=Runtime(make_embedder=self._make))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a traceback, where the command should have printed one line
        return result

    @property
    def loaded_model(self) -> bool:
        """Whether any run loaded (or was handed) the model."""
        return any(e._model is not None for e in self.made)


@pytest.fixture
def cli() -> Cli:
    """The commands in-process, for tests that never need the model (loading it fails the test)."""
    return Cli()


@pytest.fixture
def model_cli(embedder: SentenceTransformerEmbedder) -> Cli:
    """The commands in-process with the session's model (the test is marked model)."""
    return Cli(shared=embedder)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium for the session's browser tests."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (make test does)")
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
        pytest.skip(f"{CHROMIUM} not found; install Debian's chromium: apt-get install -y chromium (make test does)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# The form's token of the apps the tests make themselves (create_app(..., token=TOKEN)).
TOKEN = "token-of-the-tests"


def served_token(base_url: str) -> str:
    """The form's token of a running server, read from its page as a browser would."""
    import re
    import urllib.request

    with urllib.request.urlopen(base_url + "/", timeout=30) as r:
        found = re.search(r'name="token" value="([^"]+)"', r.read().decode("utf-8"))
    assert found, "the form has no token"
    return found.group(1)


def with_token(body: bytes, content_type: str, token: str) -> bytes:
    """A multipart body with the form's token as its first field (as the page sends it)."""
    boundary = content_type.partition("boundary=")[2].strip('"')
    part = f'--{boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\n{token}\r\n'.encode()
    return part + body
