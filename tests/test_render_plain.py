"""The text and Markdown reports (issue 14): triage first, plain figures, Markdown that pastes, the terminal's width."""

from __future__ import annotations

import json
import re

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reconcile.compare import compare
from reconcile.documents import document_from_text
from reconcile.render import render
from reconcile.render.plain import VERDICT_MARK, grouped
from reconcile.report import Report, Severity
from reconcile.resources import Resources
from tests.conftest import Cli, FakeEmbedder

# GitHub's flavour as far as these reports use it: CommonMark with tables and strikethrough.
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
OUTLET = "samples/xi-trump-call-2025-01-17/outlet-article.txt"
POST = "samples/xi-trump-call-2025-01-17/truth-social-post.txt"


def _section(tokens: list[Token], title: str) -> list[Token]:
    """The tokens under the level-2 heading `title`, up to the next one."""
    starts = [i for i, t in enumerate(tokens) if t.type == "inline" and t.content == title]
    assert starts, title
    end = next((i for i in range(starts[0] + 2, len(tokens)) if tokens[i].type == "heading_open"), len(tokens))
    return tokens[starts[0] + 2 : end]


def _items(section: list[Token]) -> list[list[Token]]:
    """The top-level list items of a section, each with its tokens."""
    items: list[list[Token]] = []
    depth = 0
    for token in section:
        if token.type == "bullet_list_open":
            depth += 1
        elif token.type == "bullet_list_close":
            depth -= 1
        elif token.type == "list_item_open" and depth == 1:
            items.append([])
        if items and depth >= 1:
            items[-1].append(token)
    return items


def test_markdown_nests_every_sentences_findings_past_item_nine(sample_report: Report) -> None:
    text = render(sample_report, "markdown")
    assert "==" not in text  # no ==mark==, which CommonMark does not have
    items = _items(_section(MARKDOWN.parse(text), "Sentences"))
    assert len(sample_report.sentences) > 9 and len(items) == len(sample_report.sentences)
    for sentence, item in zip(sample_report.sentences, items, strict=True):
        assert sum(t.type == "bullet_list_open" for t in item) == 1, sentence.index  # its why/evidence list
        head = next(t for t in item if t.type == "inline").content
        assert head.startswith(f"**Sentence {sentence.index + 1}: {VERDICT_MARK[sentence.verdict]}**")
    # An addition is bold in the rendered HTML, and the words around it are as written.
    first = sample_report.sentences[0]
    html = MARKDOWN.render(text)
    assert f"<strong>{first.unsupported_spans[0].text}</strong>" in html


def test_markdown_opens_with_what_to_check(sample_report: Report) -> None:
    tokens = MARKDOWN.parse(render(sample_report, "markdown"))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[1:4] == ["To check, worst first", "Context (nothing in the sources to check)", "Sentences"]
    urgent = [p for p in sample_report.problems if p.severity is not Severity.CONTEXT]
    listed = _items(_section(tokens, "To check, worst first"))
    # Those resting on one source not supplied are one item, with theirs nested under it.
    assert len(listed) == len(grouped(urgent)) < len(urgent)
    assert next(t for t in listed[0] if t.type == "inline").content.startswith("✖ error: **")


def test_markdown_shows_input_syntax_as_written(fake_embedder: FakeEmbedder, resources: Resources) -> None:
    hostile = "The *minister* said [this](http://x.test) <b>was</b> _fine_ ~~here~~ &amp; a | pipe `code` #1 in 2024."
    outlet = document_from_text(hostile, name="wire [x](y)")
    source = document_from_text("The minister said this was fine here.", name="readout | <i>")
    text = render(compare(outlet, [source], embedder=fake_embedder, resources=resources), "markdown")
    html = MARKDOWN.render(text)
    for tag in ("<em>", "<a ", "<b>", "<i>", "<del>", "<code>", "<s>"):
        assert tag not in html, tag
    shown = re.sub(r"</?strong>", "", html)
    as_written = "The *minister* said [this](http://x.test) &lt;b&gt;was&lt;/b&gt; _fine_ ~~here~~ &amp;amp; a | pipe"
    assert as_written in shown
    assert "wire [x](y)" in shown and "readout | &lt;i&gt;" in shown


def test_only_problems_keeps_the_sentences_with_an_error_or_a_check(sample_report: Report) -> None:
    wanted = {p.sentence for p in sample_report.problems if p.severity is not Severity.CONTEXT}
    assert 0 < len(wanted) < len(sample_report.sentences)
    md = render(sample_report, "markdown", only_problems=True)
    shown = {int(n) - 1 for n in re.findall(r"^- \*\*Sentence (\d+):", md, flags=re.MULTILINE)}
    assert shown == wanted
    text = render(sample_report, "text", only_problems=True)
    assert {int(n) - 1 for n in re.findall(r"^\[(\d+)\] ", text, flags=re.MULTILINE)} == wanted
    hidden = len(sample_report.sentences) - len(wanted)
    assert f"{hidden} sentences without one not shown" in text
    assert "verbatim" not in text.split("Quote ledger", 1)[1].split("\n\n", 1)[0]  # faithful quotes left out


@pytest.mark.parametrize("width", [48, 72, 130])
def test_text_wraps_to_the_width_it_is_given(sample_report: Report, width: int) -> None:
    lines = render(sample_report, "text", width=width).splitlines()
    assert max(len(line) for line in lines) <= width
    assert any(len(line) > width - 12 for line in lines)  # and uses it


def test_text_promises_underlining_only_with_colour(sample_report: Report) -> None:
    plain, coloured = render(sample_report, "text"), render(sample_report, "text", color=True)
    assert "underlined" not in plain and "\x1b[" not in plain
    assert "underlined" in coloured and "\x1b[4" in coloured  # the underline is really there


def test_text_says_figures_in_words(sample_report: Report) -> None:
    text = render(sample_report, "text")
    assert "score 0." not in text and " #" not in text and "similar," not in text.replace("(similar,", "")
    partial = next(s for s in sample_report.sentences if s.verdict.value == "partial")
    assert f"backs {partial.key_words_backed} of {partial.key_words} key words" in text
    assert "not_found" not in text  # status words in plain English


def test_counts_are_singular_for_one(fake_embedder: FakeEmbedder, resources: Resources) -> None:
    outlet = document_from_text("The minister said this was fine.", name="wire")
    source = document_from_text("The minister said this was fine.", name="readout")
    report = compare(outlet, [source], embedder=fake_embedder, resources=resources)
    for fmt in ("text", "markdown"):
        rendered = render(report, fmt)
        assert "1 outlet sentences" not in rendered and "1 checkable claims" not in rendered, fmt
    assert "1 outlet sentence rests on it" in render(report, "text")


def test_to_a_pipe_every_finding_is_one_line_and_no_colour(model_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    # Written to a file or a pipe the report wraps no line, whatever COLUMNS says: grep finds a finding whole.
    monkeypatch.setenv("COLUMNS", "64")
    monkeypatch.setenv("NO_COLOR", "1")
    result = model_cli("compare", OUTLET, POST, "--format", "json")
    problems = json.loads(result.stdout)["problems"]
    result = model_cli("compare", OUTLET, POST)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    for p in problems:
        assert any(f"sentence {p['sentence']}: {p['detail']}" in line for line in lines), p
    assert max(len(line) for line in lines) > 64
    assert "\x1b[" not in result.stdout
    # The first screen: what to check and the summary come before the sentences.
    assert result.stdout.index("Summary") < result.stdout.index("[1] ")
