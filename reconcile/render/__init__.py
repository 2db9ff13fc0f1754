"""Renderers: a Report to text (rich), JSON or Markdown. Each is one function returning a string."""

from __future__ import annotations

from collections.abc import Callable

from ..report import Report
from .json import render_json
from .markdown import render_markdown
from .text import render_text

RENDERERS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
EXTENSIONS = {"text": "txt", "json": "json", "markdown": "md"}


def render(report: Report, fmt: str, *, color: bool = False, width: int = 100) -> str:
    if fmt == "text":
        return render_text(report, color=color, width=width)
    return RENDERERS[fmt](report)
