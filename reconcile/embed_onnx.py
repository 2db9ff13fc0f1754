"""The embedding model run by ONNX Runtime: the same weights as sentence-transformers reads, exported once.

On these CPUs the model's forward passes are most of a long comparison's time, and ONNX Runtime runs the
same fp32 arithmetic 1.2-1.4x as fast as torch (benchmarks/embed_backends.py); the vectors agree with
sentence-transformers' to 2e-7. Without torch or transformers to import, a run also starts 6 s sooner in 380 MB less.

The export (torch.onnx, which needs the onnx package) is made the first time a model folder is used, checked
against the model it came from, and kept in the cache folder under a name that says which files and versions
made it; a file that will not load is made again. Only a model that sentence-transformers reads as a
transformer, mean pooling and (optionally) normalisation is run here: anything else stays with torch.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import json
import os
import tempfile
import warnings
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import ModelError

if TYPE_CHECKING:
    import onnxruntime

EXPORT_VERSION = 1  # bump when the export below changes what it writes
OPSET = 17
_PIPELINE = ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling"]
_NORMALIZE = "sentence_transformers.models.Normalize"
_CHECK_TEXTS = ["The two sides discussed trade.", "Yes.", "A longer sentence about farm goods, energy and chips."]


def runnable(model_path: Path) -> bool:
    """Whether ONNX Runtime can stand in for torch on this model: installed, and a mean-pooled transformer."""
    if importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("onnx") is None:
        return False
    if not (model_path / "tokenizer.json").is_file():  # a fast tokenizer's file: what WordPieces reads
        return False
    try:
        modules = json.loads((model_path / "modules.json").read_text(encoding="utf-8"))
        types = [m["type"] for m in modules]
        pooling = json.loads((model_path / modules[1]["path"] / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return False
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode_") and v}
    return types in (_PIPELINE, [*_PIPELINE, _NORMALIZE]) and modes == {"pooling_mode_mean_tokens"}


def quiet_transformers() -> None:
    """Before transformers reads a model (torch's backend, or the export here): never reach for a hub (the
    model is a local folder, and nothing may download at run time), and no loading bars or warnings from
    below, as only the CLI talks to the terminal. Not on ONNX Runtime's own path: importing transformers
    to quiet it would cost half a second a run."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from transformers.utils import logging as hf_logging
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelError("sentence-transformers is not installed; run the README's set-up command") from exc
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]


def _threads() -> int:
    """As torch counts them: OMP_NUM_THREADS where set (Ray sets it per worker), else the CPUs this process has."""
    try:
        return max(1, int(os.environ["OMP_NUM_THREADS"]))
    except (KeyError, ValueError):
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class OnnxModel:
    """A mean-pooled transformer run by ONNX Runtime, read as sentence-transformers reads it."""

    def __init__(self, model_path: Path, folder: Path) -> None:
        try:
            config = json.loads((model_path / "sentence_bert_config.json").read_text(encoding="utf-8"))
            self.max_seq_length = int(config["max_seq_length"])
        except (OSError, ValueError, KeyError, TypeError):
            config = json.loads((model_path / "tokenizer_config.json").read_text(encoding="utf-8"))
            self.max_seq_length = int(config.get("model_max_length", 512))
        self.tokenizer = WordPieces(model_path / "tokenizer.json", self.max_seq_length)
        file = folder / f"{_export_key(model_path)}.onnx"
        try:
            self._session = _session(file)
        except Exception:  # noqa: BLE001 - no file yet, or a partial or damaged one: make it (again)
            _export(model_path, file, self.tokenizer)
            self._session = _session(file)
        self._inputs = [i.name for i in self._session.get_inputs()]
        self.dimension = int(self._session.get_outputs()[0].shape[-1])

    def encode(self, texts: list[str], batch_size: int) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each text's normalised mean-pooled vector, and its token embeddings ([CLS] and [SEP] dropped)."""
        encodings = self.tokenizer.cut(texts)
        # Batches of texts of one length in tokens: sorted by characters, a batch was 11 % padding.
        order = sorted(range(len(texts)), key=lambda k: len(encodings[k].ids), reverse=True)
        pooled = np.zeros((len(texts), self.dimension), dtype=np.float32)
        tokens: list[np.ndarray] = [np.zeros((0, self.dimension), dtype=np.float16)] * len(texts)
        for first in range(0, len(order), batch_size):
            chosen = order[first : first + batch_size]
            batch = self.tokenizer.padded([encodings[k] for k in chosen])
            hidden: np.ndarray = self._session.run(None, {name: batch[name] for name in self._inputs})[0]
            mask = batch["attention_mask"].astype(bool)
            counts = np.maximum(mask.sum(axis=1, keepdims=True), 1)
            pooled[chosen] = (hidden * mask[..., None]).sum(axis=1) / counts
            for k, rows, keep in zip(chosen, hidden, mask, strict=True):
                tokens[k] = rows[keep][1:-1].astype(np.float16)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12), tokens


class _Encoded(dict[str, Any]):
    """One text's tokens as transformers' tokenizers give them: input_ids, offset_mapping, and word_ids()."""

    def __init__(self, encoding: Any) -> None:
        super().__init__(input_ids=encoding.ids, offset_mapping=encoding.offsets)
        self._words: list[int | None] = encoding.word_ids

    def word_ids(self) -> list[int | None]:
        return self._words


class WordPieces:
    """The model's fast tokenizer read from its tokenizer.json by the tokenizers library (the one under
    transformers' own), without transformers: importing that imports torch, two and a half seconds a run.

    It answers what embed.chunk_pieces asks of a transformers tokenizer, and tokenizes a batch as
    sentence-transformers does: padded to its longest text, cut at the model's max_seq_length.
    """

    def __init__(self, file: Path, max_seq_length: int) -> None:
        from tokenizers import Tokenizer

        # tokenizer.json may carry its own padding and truncation (all-MiniLM-L6-v2's: 128 tokens, padded);
        # transformers' tokenizer sets them per call, and so do these two.
        self._one = Tokenizer.from_file(str(file))
        self._one.no_padding()
        self._one.no_truncation()
        self._cut = Tokenizer.from_file(str(file))
        self._pad_id = int((self._cut.padding or {}).get("pad_id", 0))
        self._cut.no_padding()
        self._cut.enable_truncation(max_seq_length)

    def num_special_tokens_to_add(self, pair: bool = False) -> int:
        return int(self._one.post_processor.num_special_tokens_to_add(pair))

    def __call__(self, text: str, *, add_special_tokens: bool = True, **_: Any) -> _Encoded:
        return _Encoded(self._one.encode(text, add_special_tokens=add_special_tokens))

    def cut(self, texts: list[str]) -> list[Any]:
        """Each text's tokens, special tokens added, cut at the model's max_seq_length (not padded)."""
        return list(self._cut.encode_batch(texts))

    def padded(self, encodings: list[Any]) -> dict[str, np.ndarray]:
        """The model's inputs for a batch: token ids, token types and attention mask, [batch, longest] int64."""
        width = max((len(e.ids) for e in encodings), default=0)
        inputs = {
            "input_ids": np.full((len(encodings), width), self._pad_id, dtype=np.int64),
            "token_type_ids": np.zeros((len(encodings), width), dtype=np.int64),
            "attention_mask": np.zeros((len(encodings), width), dtype=np.int64),
        }
        for row, e in enumerate(encodings):
            inputs["input_ids"][row, : len(e.ids)] = e.ids
            inputs["token_type_ids"][row, : len(e.ids)] = e.type_ids
            inputs["attention_mask"][row, : len(e.ids)] = e.attention_mask
        return inputs

    def batch(self, texts: list[str]) -> dict[str, np.ndarray]:
        """The model's inputs for texts, as transformers' tokenizer pads and cuts them."""
        return self.padded(self.cut(texts))


def _session(file: Path) -> onnxruntime.InferenceSession:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = _threads()
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: only the CLI talks to the terminal
    return onnxruntime.InferenceSession(str(file), options, providers=["CPUExecutionProvider"])


def _export_key(model_path: Path) -> str:
    """Names the export by the model's files (name, size, time) and the versions that write and read it."""
    # Versions from the installed metadata: importing torch to ask would cost a second and a half.
    versions = "|".join(metadata.version(name) for name in ("torch", "transformers", "onnx", "onnxruntime"))
    digest = hashlib.sha256(f"{EXPORT_VERSION}|{OPSET}|{versions}|{model_path.resolve()}".encode())
    for file in sorted(p for p in model_path.rglob("*") if p.is_file()):
        stat = file.stat()
        digest.update(f"|{file.relative_to(model_path)}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return f"{model_path.name}-{digest.hexdigest()[:16]}"


def _export(model_path: Path, file: Path, tokenizer: WordPieces) -> None:
    """Export the transformer's last hidden state to ONNX, check it against torch, then move it into place."""
    # The folder first: where it cannot be written, fail before the model is loaded (torch stands in).
    file.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=file.parent) as scratch:
        partial = Path(scratch) / file.name
        _export_to(model_path, partial, tokenizer)
        os.replace(partial, file)


def _export_to(model_path: Path, partial: Path, tokenizer: WordPieces) -> None:
    quiet_transformers()
    import onnxruntime
    import torch
    from transformers import AutoModel

    # eager attention: its padding mask exports as arithmetic on the mask, for any batch and length
    model = AutoModel.from_pretrained(str(model_path), attn_implementation="eager").eval()
    accepted = inspect.signature(model.forward).parameters  # not every model reads token types
    example = {name: ids for name, ids in tokenizer.batch(_CHECK_TEXTS).items() if name in accepted}
    inputs = list(example)

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *args: torch.Tensor) -> torch.Tensor:
            return self.model(**dict(zip(inputs, args, strict=True))).last_hidden_state  # type: ignore[no-any-return]

    # eval(): a module is made in training mode, and export puts back the mode it found, dropout included
    wrapped = LastHiddenState().eval()
    args = tuple(torch.from_numpy(example[name]) for name in inputs)
    with warnings.catch_warnings(), torch.no_grad():
        expected = wrapped(*args).numpy()
        warnings.simplefilter("ignore")  # the exporter's notes on tracing are not the user's business
        torch.onnx.export(
            wrapped,
            args,
            str(partial),
            input_names=inputs,
            output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*inputs, "last_hidden_state"]},
            opset_version=OPSET,
            dynamo=False,
        )
    got = onnxruntime.InferenceSession(str(partial), providers=["CPUExecutionProvider"]).run(None, example)[0]
    mask = example["attention_mask"].astype(bool)
    if not np.allclose(got[mask], expected[mask], atol=1e-4):
        raise RuntimeError(f"{model_path}: the ONNX export does not reproduce the model")
