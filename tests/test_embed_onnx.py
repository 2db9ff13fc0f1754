"""The ONNX Runtime backend: sentence-transformers' own vectors and tokens, from an export made once and kept."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from reconcile import embed_onnx
from reconcile.embed import SentenceTransformerEmbedder, default_cache_dir, packaged_model_path
from reconcile.errors import ModelError

TEXTS = [
    "The ministry said 20 people were injured in the blast on Monday.",
    "Yes.",
    "تحدث الرئيسان هاتفيا واتفقا على مواصلة الاتصال بينهما",
    "两国元首通电话，同意保持联系。",
    "…",
    # past the 256 tokens the model reads: encoded in pieces, their vectors averaged
    " ".join(["The two presidents spoke by phone and agreed to keep in touch,"] * 30),
]


@pytest.fixture(scope="module")
def torch_embedder() -> SentenceTransformerEmbedder:
    """sentence-transformers on torch: what the ONNX backend must reproduce."""
    return SentenceTransformerEmbedder(backend="torch")


@pytest.mark.model
def test_onnx_gives_sentence_transformers_own_vectors_and_tokens(
    embedder: SentenceTransformerEmbedder, torch_embedder: SentenceTransformerEmbedder
) -> None:
    vectors = embedder.encode(TEXTS)
    assert embedder.backend == "onnx"  # the packaged model, fp32, onnxruntime installed
    expected = torch_embedder.encode(TEXTS)
    assert torch_embedder.backend == "torch"
    assert np.abs(vectors - expected).max() < 1e-5
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    mine, theirs = embedder.token_embeddings(TEXTS), torch_embedder.token_embeddings(TEXTS)
    assert [t.shape for t in mine] == [t.shape for t in theirs]  # [CLS] and [SEP] dropped alike, every piece's
    # float16 rows: the two differ by a rounding step at most
    for a, b in zip(mine, theirs, strict=True):
        assert np.abs(a.astype(np.float32) - b.astype(np.float32)).max() < 2e-3


@pytest.mark.model
def test_the_export_is_made_once_kept_and_made_again_when_damaged(
    embedder: SentenceTransformerEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedder.encode(["load the model"])
    path = packaged_model_path()
    name = f"{embed_onnx._export_key(path)}.onnx"
    assert (default_cache_dir() / "onnx" / name).is_file()  # the session's, in its cache folder
    (tmp_path / name).write_bytes(b"not a model")  # a partial or damaged file
    made = embed_onnx.OnnxModel(path, tmp_path)
    assert (tmp_path / name).stat().st_size > 1_000_000 and list(tmp_path.iterdir()) == [tmp_path / name]
    assert np.allclose(made.encode(["Yes."], 8)[0], embedder.encode(["Yes."]), atol=1e-6)

    def no_export(*_: object) -> None:
        raise AssertionError("exported again")

    monkeypatch.setattr(embed_onnx, "_export", no_export)
    embed_onnx.OnnxModel(path, tmp_path)  # the kept file is read


def _other_pooling(tmp_path: Path, mode: str) -> Path:
    """The packaged model's files, with another pooling mode: a model ONNX Runtime does not run here."""
    folder = tmp_path / "model"
    source = packaged_model_path()
    for file in source.rglob("*"):
        target = folder / file.relative_to(source)
        if file.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(file)
    pooling = folder / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    pooling.unlink()
    pooling.write_text(json.dumps({**config, "pooling_mode_mean_tokens": False, mode: True}))
    return folder


@pytest.mark.model
def test_a_model_onnx_does_not_run_stays_with_torch(tmp_path: Path) -> None:
    folder = _other_pooling(tmp_path, "pooling_mode_cls_token")
    assert not embed_onnx.runnable(folder) and embed_onnx.runnable(packaged_model_path())
    auto = SentenceTransformerEmbedder(folder)
    auto.encode(["The two sides discussed trade."])
    assert auto.backend == "torch"
    with pytest.raises(ModelError, match="ONNX Runtime cannot run this model.*use torch"):
        SentenceTransformerEmbedder(folder, backend="onnx").encode(["The two sides discussed trade."])


@pytest.mark.model
def test_bf16_is_torch_autocast(embedder: SentenceTransformerEmbedder) -> None:
    bf16 = SentenceTransformerEmbedder(precision="bf16")
    vector = bf16.encode([TEXTS[0]])[0]
    assert bf16.backend == "torch" and float(vector @ embedder.encode([TEXTS[0]])[0]) > 0.999


def test_a_backend_not_known_is_refused() -> None:
    with pytest.raises(ModelError, match="backend 'jax' is not one of auto, onnx, torch"):
        SentenceTransformerEmbedder(backend="jax")
    with pytest.raises(ModelError, match="the onnx backend runs fp32, not bf16; use the torch backend for bf16"):
        SentenceTransformerEmbedder(backend="onnx", precision="bf16")


def test_runnable_needs_onnxruntime(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "onnxruntime" else real(name))
    assert not embed_onnx.runnable(packaged_model_path())


@pytest.mark.model
def test_word_pieces_are_transformers_own() -> None:
    from transformers import AutoTokenizer

    theirs = AutoTokenizer.from_pretrained(str(packaged_model_path()))
    mine = embed_onnx.WordPieces(packaged_model_path() / "tokenizer.json", 256)
    for text in TEXTS:
        a = mine(text, add_special_tokens=False)
        b = theirs(text, add_special_tokens=False, return_offsets_mapping=True)
        assert a["input_ids"] == b["input_ids"] and a["offset_mapping"] == b["offset_mapping"]
        assert a.word_ids() == b.word_ids()
    assert mine.num_special_tokens_to_add(pair=False) == theirs.num_special_tokens_to_add(pair=False) == 2
    batch = mine.batch(TEXTS)
    expected = theirs(TEXTS, padding=True, truncation=True, max_length=256, return_tensors="np")
    assert batch["input_ids"].shape[1] == 256  # the long text, cut where the model stops reading
    for name in ("input_ids", "token_type_ids", "attention_mask"):
        assert np.array_equal(batch[name], expected[name])


@pytest.mark.model
def test_a_cache_folder_that_cannot_be_written_leaves_torch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("RECONCILE_CACHE_DIR", str(blocked))
    loaded: list[str] = []
    monkeypatch.setattr(embed_onnx, "_export_to", lambda *_: loaded.append("model"))
    auto = SentenceTransformerEmbedder()
    assert auto.encode(["The two sides discussed trade."]).shape == (1, 384)
    assert auto.backend == "torch" and not loaded  # failed before loading a model to export
    with pytest.raises(ModelError, match="could not run the model with ONNX Runtime.*use torch"):
        SentenceTransformerEmbedder(backend="onnx").encode(["The two sides discussed trade."])
