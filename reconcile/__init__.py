"""reconcile: compare an outlet's account of an event with the official texts it rests on.

    from reconcile import compare, read_document
    report = compare(read_document("article.txt"), [read_document("readout.txt")])
    report.to_dict()

Heavy modules (torch, sentence-transformers) load only when a model is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

__all__ = [
    "Report",
    "Settings",
    "Verdict",
    "compare",
    "document_from_text",
    "load_batch_config",
    "read_document",
    "run_batch",
    "__version__",
]

if TYPE_CHECKING:
    from .batch import load_batch_config, run_batch
    from .compare import compare
    from .documents import document_from_text, read_document
    from .report import Report, Verdict
    from .settings import Settings

_LAZY = {
    "compare": "compare",
    "read_document": "documents",
    "document_from_text": "documents",
    "Report": "report",
    "Verdict": "report",
    "Settings": "settings",
    "load_batch_config": "batch",
    "run_batch": "batch",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
