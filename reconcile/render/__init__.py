"""Renderers: a Report to text (rich), JSON, Markdown or HTML. Each is one function returning a string."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..report import Report
from .html import render_html
from .json import render_json
from .markdown import render_markdown
from .text import render_text

RENDERERS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "html": render_html,
}
EXTENSIONS = {"text": "txt", "json": "json", "markdown": "md", "html": "html"}


def render(
    report: Report,
    fmt: str,
    *,
    color: bool = False,
    width: int | None = None,
    texts: Mapping[str, str] | None = None,
    only_problems: bool = False,
) -> str:
    """The report in one format; ``texts`` (document name -> full text) lets HTML show the documents whole.

    only_problems: text and Markdown keep only the sentences with an error or a check (HTML has a toggle).
    width: text wraps to it (a terminal's width); None, for a file or a pipe, wraps no line.
    """
    if fmt == "text":
        return render_text(report, color=color, width=width, only_problems=only_problems)
    if fmt == "markdown":
        return render_markdown(report, only_problems=only_problems)
    if fmt == "html":
        return render_html(report, texts=texts)
    return RENDERERS[fmt](report)
