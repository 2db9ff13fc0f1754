"""Hostile and odd inputs (issue 16): generated here, never stored.

The unit tests pin what the linear rewrites of former quadratic traps must still find; how their time
grows as the inputs double is shown by benchmarks/adversarial.py, not timed here. The table at the end
runs whole commands: each input gives its exit code, at most one line on stderr, and every character
of every text accounted for in the report.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import Result

from reconcile.checks.quantities import quantities
from reconcile.checks.quotes import QuoteSource, QuoteStatus, _words, check_quotes, extract_quotes, sentence_quotes
from reconcile.compare import compare
from reconcile.documents import document_from_text, read_document
from reconcile.embed import SentenceTransformerEmbedder, chunk_pieces
from reconcile.errors import InputError
from reconcile.memo import memo_scope
from reconcile.render import render
from reconcile.render.printable import printable, printable_copy
from reconcile.resources import Resources
from reconcile.segment import LONG_RUN, SHORT_LINE, segment

from .conftest import SAMPLE_OUTLET, SAMPLE_POST, Cli, FakeEmbedder

# --------------------------------------------------------------------------- the former quadratic traps


def test_a_run_of_brackets_in_a_quotation_is_one_quote_of_its_words() -> None:
    text = 'Xi said "we will ' + "[" * 5000 + ' talk [on] Friday."'
    (quote,) = extract_quotes(text)
    assert text[quote.start : quote.end] == quote.text and quote.attributed_to == "Xi"
    words = _words(quote.text)
    assert [w.key for w in words] == ["we", "will", "talk", "on", "friday"]
    assert [w.edited for w in words] == [False, False, False, True, False]  # only the closed [on] is an edit
    (check,) = check_quotes(text, [QuoteSource("Xi", "Xi said we will talk on Friday.", "Xi")])
    assert check.status is QuoteStatus.TRIMMED


def test_a_bracket_inside_brackets_is_not_a_word_of_its_own() -> None:
    # The innermost [problem] is an edit; the stray "[" before it is no word of its own.
    assert [(w.key, w.edited) for w in _words("solv[ing] the [[problem]")] == [
        ("solving", True),
        ("the", False),
        ("problem", True),
    ]


def test_each_he_is_the_last_name_that_spoke_before_it() -> None:
    speakers = ["Xi", "Trump", "Wang Yi", "Rubio"]
    text = " ".join(f'{name} said "we met {i}." He said "we agreed {i}."' for i, name in enumerate(speakers * 50))
    quotes = extract_quotes(text)
    assert len(quotes) == 400
    assert [q.attributed_to for q in quotes] == [name for name in speakers * 50 for _ in (0, 1)]
    assert {q.cue for q in quotes[1::2]} == {"He"}


def test_every_quote_of_one_long_sentence_is_credited() -> None:
    text = "Xi said " + ", and ".join(f'"we keep item {i}"' for i in range(300)) + ", according to the readout."
    quotes = extract_quotes(text)
    assert len(quotes) == 300 and {q.attributed_to for q in quotes} == {"Xi"}
    mixed = '"We will win," Trump wrote, and "we agree," said Xi, and "so do we," according to Rubio.'
    # The words before a quote credit it before an "according to" does.
    assert [q.attributed_to for q in extract_quotes(mixed)] == ["Trump", "Xi", "Trump"]


def test_a_quote_of_its_own_is_credited_by_its_neighbour() -> None:
    text = 'Trump wrote: "We will win." "It was a call." Then Xi spoke.'
    assert [q.attributed_to for q in extract_quotes(text)] == ["Trump", "Trump"]


def test_sentence_quotes_finds_the_quote_of_each_of_many_sentences() -> None:
    text = " ".join(f'Xi said "we met on day {i}."' for i in range(200))
    source = QuoteSource("Xi", "We met.", "Xi")
    with memo_scope():
        ledger = check_quotes(text, [source])
        found = [sentence_quotes(s, ledger, text, [source], lambda a, b: 0.0) for s in segment(text).sentences]
    assert len(ledger) == 200 and found == [[check] for check in ledger]


def test_every_number_of_a_long_list_is_read_once_with_its_unit() -> None:
    figures = [str(1000 + 7 * i) for i in range(3000)]
    text = "The figures were " + ", ".join(figures) + ", and 40 percent, five million dollars and twenty-two."
    found = quantities(text)
    assert [q.text for q in found[:3000]] == figures
    assert [(q.text, q.unit) for q in found[3000:]] == [
        ("40 percent", "%"),
        ("five million", "money:USD"),
        ("twenty-two", None),
    ]


# ------------------------------------------------------------------------ one line and exit 2, never a traceback

POST = str(SAMPLE_POST)
OUTLET = str(SAMPLE_OUTLET)


def _one_line_exit_2(result: Result, *needles: str) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1, result.stderr
    assert all(needle in lines[0] for needle in needles), lines[0]
    return lines[0]


@pytest.mark.parametrize(("spec", "needle"), [("=x", "empty name"), ("", "empty source"), ("Post=", "empty path")])
def test_a_bad_source_spec_with_a_stdin_outlet_is_one_line(cli: Cli, spec: str, needle: str) -> None:
    _one_line_exit_2(cli("compare", "-", "--source", spec, input=b"Talks went well."), needle)


def test_a_fifo_is_refused_not_waited_on(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # no writer: opening it would wait for ever
    _one_line_exit_2(cli("compare", str(fifo), POST), "pipe.txt", "not a regular file")
    _one_line_exit_2(cli("compare", OUTLET, str(fifo)), "pipe.txt", "not a regular file")
    with pytest.raises(InputError, match="not a regular file"):
        read_document("/dev/zero")  # a device that never ends


def test_a_symlink_loop_is_one_line(cli: Cli, tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    _one_line_exit_2(cli("compare", str(loop), POST), "loop.txt")
    config = tmp_path / "batch.yaml"
    config.write_text(
        f"output_dir: out\ncomparisons:\n  - {{name: a, outlet: loop.txt, sources: [{{path: {POST}}}]}}\n"
    )
    result = cli("batch", str(config))
    assert result.exit_code == 2 and "comparisons.0.outlet" in result.stderr and "loop.txt" in result.stderr


def test_an_unknown_users_home_is_a_config_problem(cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "batch.yaml"
    config.write_text(
        f"output_dir: out\ncomparisons:\n  - {{name: a, outlet: ~nosuchuser16/x.txt, sources: [{{path: {POST}}}]}}\n"
    )
    result = cli("batch", str(config))
    assert result.exit_code == 2 and "comparisons.0.outlet" in result.stderr and "~nosuchuser16" in result.stderr


def test_yaml_nested_too_deep_is_one_line(cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "deep.yaml"
    config.write_text("a: " + "[" * 3000 + "]" * 3000 + "\n")
    _one_line_exit_2(cli("batch", str(config)), "deep.yaml", "nested too deeply")


def test_an_output_folder_fails_before_comparing(cli: Cli, tmp_path: Path) -> None:
    # The cli fixture fails the test if the model loads: the error comes before any comparison.
    _one_line_exit_2(cli("compare", OUTLET, POST, "-o", str(tmp_path)), "is a directory", "report.txt")
    (tmp_path / "file").write_text("x")
    _one_line_exit_2(cli("compare", OUTLET, POST, "-o", str(tmp_path / "file" / "r.txt")), "not a folder")


def test_the_size_limit_names_what_can_raise_it(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 30)
    with pytest.raises(InputError, match=r"max_bytes=N") as error:
        read_document(big, max_bytes=20)
    assert "read_document(path, max_bytes=N)" in str(error.value)


# --------------------------------------------------------------------------------- no terminal injection

_ESCAPES = "\x1b[2K\x1b[1A\x07\x9b"


def test_control_sequences_reach_no_text_report(fake_embedder: FakeEmbedder, resources: Resources) -> None:
    outlet = document_from_text(
        f"President Xi{_ESCAPES} spoke to Trump on Friday.\nRecommended{_ESCAPES}\n", name=f"wire{_ESCAPES}"
    )
    source = document_from_text("President Xi spoke to Trump on Friday.", name="readout", speaker=f"Xi{_ESCAPES}")
    report = compare(outlet, [source], embedder=fake_embedder, resources=resources)
    shown = printable(_ESCAPES)
    assert shown == "\u241b[2K\u241b[1A\u2407\ufffd" and len(shown) == len(_ESCAPES)
    for fmt, color in (("text", False), ("text", True), ("markdown", False)):
        rendered = render(report, fmt, color=color)
        assert not any(code in rendered for code in ("\x1b[2K", "\x1b[1A", "\x07", "\x9b")), fmt
        assert "\u241b" in rendered and "\u2407" in rendered, fmt
    # JSON escapes them itself and keeps the texts as they are; offsets still round-trip.
    data = json.loads(render(report, "json"))
    assert _ESCAPES in data["sentences"][0]["text"] and report.sentences[0].text == data["sentences"][0]["text"]
    assert printable_copy(report).sentences[0].verdict is report.sentences[0].verdict


def test_a_file_name_with_an_escape_is_shown_printable(cli: Cli, tmp_path: Path) -> None:
    line = _one_line_exit_2(cli("compare", str(tmp_path / "no\x1b[2Kfile.txt"), POST), "not found")
    assert "\x1b" not in line and "no\u241b[2Kfile.txt" in line


# ------------------------------------------------------------------------------------------ non-Latin text

_CHINESE = "习近平主席同特朗普总统通电话。双方同意保持联系！“我们会赢。”他说。你们准备好了吗？（完）\n中美元首通电话\n"


def test_chinese_full_stops_end_sentences_and_a_paragraph_is_no_heading() -> None:
    seg = segment(_CHINESE)
    assert [s.text for s in seg.sentences] == [
        "习近平主席同特朗普总统通电话。",
        "双方同意保持联系！",
        "“我们会赢。”他说。",  # the words after a quote stay with it, as '"We will win," he said.' does
        "你们准备好了吗？",
        "（完）",
    ]
    assert [(k.text, k.reason) for k in seg.skipped] == [("中美元首通电话", SHORT_LINE)]  # a short heading still is
    assert all(_CHINESE[s.start : s.end] == s.text for s in seg.sentences)


def test_a_chinese_source_is_read_and_the_report_says_the_model_is_english_only(
    fake_embedder: FakeEmbedder, resources: Resources
) -> None:
    outlet = document_from_text("Xi and Trump spoke by phone and agreed to stay in touch.", name="wire")
    report = compare(outlet, [document_from_text(_CHINESE, name="MFA")], embedder=fake_embedder, resources=resources)
    (warning,) = report.warnings
    assert warning.startswith("MFA is mostly in Chinese (Han) script") and "English only" in warning
    assert report.to_dict()["warnings"] == [warning] and report.coverage  # its sentences are compared
    for fmt in ("text", "markdown", "html"):
        assert "English only" in render(report, fmt), fmt
    english = compare(outlet, [document_from_text("Xi spoke to Trump.", name="s")], embedder=fake_embedder)
    assert english.warnings == () and "warnings" not in english.to_dict()  # an ordinary report is unchanged


# ------------------------------------------------------------------------ embeddings read every token

_LONG = {
    "numbers": ", ".join(str(1000 + 7 * i) for i in range(400)) + ".",
    "cjk": "习近平主席同特朗普总统通电话，双方同意保持联系。" * 40,
    "arabic": " ".join(["تحدث الرئيسان هاتفيا واتفقا على مواصلة الاتصال بينهما"] * 60),
    "english": " ".join(["The two presidents spoke by phone and agreed to keep in touch,"] * 40),
}


@pytest.mark.parametrize("kind", sorted(_LONG))
def test_long_texts_are_cut_by_the_tokenizer_into_pieces_the_model_reads_whole(
    embedder: SentenceTransformerEmbedder, kind: str
) -> None:
    model = embedder._load()
    tokenizer, most = model.tokenizer, int(model.max_seq_length or 256)
    text = _LONG[kind]

    def tokens(piece: str) -> list[int]:
        ids: list[int] = tokenizer(piece, add_special_tokens=False, verbose=False)["input_ids"]
        return ids

    pieces, owners = chunk_pieces([text, "A short sentence."], tokenizer, most)
    assert pieces[-1] == "A short sentence." and owners == [0] * (len(pieces) - 1) + [1]
    mine = pieces[:-1]
    assert len(tokens(text)) > most
    # Every piece fits, [CLS] and [SEP] included, and together they are every token of the text, in order.
    assert all(len(tokens(p)) + 2 <= most for p in mine)
    assert [t for p in mine for t in tokens(p)] == tokens(text)
    # The text is judged whole: its vector is the mean of its pieces', and its tokens are all of theirs.
    vector = embedder.encode([text])[0]
    mean = embedder.encode(mine).sum(axis=0)
    assert np.allclose(vector, mean / np.linalg.norm(mean), atol=1e-4)
    assert len(embedder.token_embeddings([text])[0]) == len(tokens(text))


def test_a_comparison_asked_to_stop_stops_with_nothing_kept(fake_embedder: FakeEmbedder, resources: Resources) -> None:
    import threading

    from reconcile import memo
    from reconcile.errors import StoppedError
    from reconcile.stopping import checkpoint, stoppable

    flag = threading.Event()
    outlet, source = document_from_text("Xi spoke.", name="o"), document_from_text("Xi spoke to Trump.", name="s")
    with stoppable(flag):
        assert compare(outlet, [source], embedder=fake_embedder, resources=resources).sentences  # not set: runs
        flag.set()
        with pytest.raises(StoppedError):
            compare(outlet, [source], embedder=fake_embedder, resources=resources)
    assert not memo.active()
    checkpoint()  # outside stoppable, a checkpoint never stops anything


# ---------------------------------------------------------------------- nothing lost before the accounting

_STORY = "The long story starts here. It has many sentences about the talks. The two sides agreed on trade."
_PAGES = {
    "teaser article": (
        f"<body><nav>Home News</nav><article><p>A short teaser.</p></article><div><p>{_STORY}</p>"
        f"<p>{_STORY}</p></div><footer>Copyright 2026</footer></body>",
        ["Home News", "Copyright 2026"],
    ),
    "lede in main's header": (
        f"<body><header>Site name</header><main><header><h1>Talks</h1><p>The lede says they went well.</p>"
        f"</header><p>{_STORY}</p></main></body>",
        ["Site name"],
    ),
    "page in a form": (f"<body><form id='aspnetForm'><div><p>{_STORY}</p></div><input name='q'></form></body>", []),
    "empty article first": (f"<body><article></article><div><p>{_STORY}</p></div></body>", []),
    "teasers around the story": (
        f"<body><article><p>Teaser one.</p></article><article><h1>Talks</h1><p>{_STORY}</p>"
        "<aside>Related: other news</aside><p>The end.</p></article></body>",
        ["Teaser one.", "Related: other news"],
    ),
}


@pytest.mark.parametrize("case", sorted(_PAGES))
def test_html_reads_the_story_and_lists_what_it_leaves_out(case: str) -> None:
    html, left_out = _PAGES[case]
    doc = document_from_text(html, name="page", format="html")
    assert _STORY in doc.text
    assert [d.text for d in doc.dropped] == left_out
    assert all(0 <= d.at <= len(doc.text) and d.reason for d in doc.dropped)
    if case == "lede in main's header":
        assert doc.text.startswith("Talks\nThe lede says they went well.")


def test_markdown_lists_code_blocks_and_reads_past_a_fence_never_closed(
    fake_embedder: FakeEmbedder, resources: Resources
) -> None:
    doc = document_from_text(
        f"{_STORY}\n\n```python\nprint('code')\n```\n\nAfter the code.\n\n~~~\n{_STORY} Never closed.\n",
        name="notes",
        format="markdown",
    )
    assert doc.text == f"{_STORY}\n\nAfter the code.\n\n{_STORY} Never closed."
    assert [(d.text, doc.text[d.at : d.at + 5]) for d in doc.dropped] == [("print('code')", "After"), ("~~~", "The l")]
    assert "never closed" in doc.dropped[1].reason
    report = compare(doc, [document_from_text(_STORY, name="s")], embedder=fake_embedder, resources=resources)
    listed = [(k.text, k.start, k.end) for k in report.skipped if k.document == "notes"]
    assert listed == [(d.text, d.at, d.at) for d in doc.dropped]  # in the report, where they stood


# ------------------------------------------------------------------------------- the adversarial table

_READOUT = "President Xi Jinping spoke with President Trump by phone on Friday. The two sides agreed to keep in touch."


def _files(folder: Path, outlet: str | bytes, suffix: str = ".txt") -> tuple[Path, Path]:
    path = folder / f"outlet{suffix}"
    if isinstance(outlet, bytes):
        path.write_bytes(outlet)
    else:
        path.write_text(outlet, encoding="utf-8")
    source = folder / "readout.txt"
    source.write_text(_READOUT, encoding="utf-8")
    return path, source


def _numbers_source(folder: Path) -> tuple[Path, Path]:
    outlet, source = _files(folder, "The ministry listed 1007 and 1014 among the figures.")
    source.write_text("The ministry listed the figures " + ", ".join(str(1000 + 7 * i) for i in range(3000)) + ".")
    return outlet, source


# name: (make the inputs in a folder -> (outlet, source), extra arguments, exit code, stderr needle or None)
_TABLE: dict[str, tuple[Any, tuple[str, ...], int, str | None]] = {
    "a run of [ in a quote": (lambda d: _files(d, f'Xi said "we will {"[" * 5_000} talk" on Friday.'), (), 0, None),
    "many 'He said' quotes": (
        lambda d: _files(d, " ".join(f'He said "we will keep in touch about item {i}."' for i in range(150))),
        (),
        0,
        None,
    ),
    "a source of 3,000 numbers": (_numbers_source, (), 0, None),
    "Chinese": (lambda d: _files(d, _CHINESE * 20), (), 0, None),
    "Arabic": (lambda d: _files(d, _LONG["arabic"].replace("بينهما ", "بينهما. ") + "."), (), 0, None),
    "escape sequences": (lambda d: _files(d, f"President Xi{_ESCAPES} spoke to Trump.\nMenu{_ESCAPES}\n"), (), 0, None),
    "a Markdown fence never closed": (lambda d: _files(d, f"{_STORY}\n\n```\n{_STORY}\n", ".md"), (), 0, None),
    "an HTML teaser": (lambda d: _files(d, _PAGES["teaser article"][0], ".html"), (), 0, None),
    "a line of words without punctuation": (lambda d: _files(d, f"{_STORY}\n{' '.join(['talks'] * 5_000)}\n"), (), 0,
                                            None),
    "only a line without punctuation": (lambda d: _files(d, " ".join(["talks"] * 5_000)), (), 2,
                                        "sentence punctuation"),
    "control characters only": (lambda d: _files(d, "\x1b\x1b\x07\n\x0b"), (), 2, "no sentences"),
    "empty": (lambda d: _files(d, b""), (), 2, "empty"),
    "binary": (lambda d: _files(d, b"\x00\x01\x02abc"), (), 2, "binary"),
    "latin-1": (lambda d: _files(d, "Caf\u00e9 talks.".encode("latin-1")), (), 2, "UTF-8"),
    "an empty HTML page": (lambda d: _files(d, "<html><body><article></article></body></html>", ".html"), (), 2,
                           "no readable text"),
}  # fmt: skip


def _accounted(report: dict[str, Any], name: str, text: str, spans: list[tuple[int, int]]) -> None:
    """Every character of ``text`` that is not whitespace lies in a sentence or a skipped line of it."""
    spans = spans + [(k["start"], k["end"]) for k in report["skipped"] if k["document"] == name]
    spans.sort()
    pos = 0
    for start, end in spans:
        assert not text[pos:start].strip(), f"{name}: {text[pos:start]!r} is in no sentence and not skipped"
        pos = max(pos, end)
    assert not text[pos:].strip(), f"{name}: {text[pos:]!r} is in no sentence and not skipped"
    for k in report["skipped"]:
        if k["document"] == name:  # a line set aside is in the text; a passage the reader left out is not
            assert text[k["start"] : k["end"]] == k["text"] or k["start"] == k["end"]


@pytest.mark.parametrize("case", list(_TABLE))
def test_adversarial_inputs(model_cli: Cli, tmp_path: Path, case: str) -> None:
    make, extra, code, needle = _TABLE[case]
    outlet, source = make(tmp_path)
    result = model_cli("compare", str(outlet), str(source), "-f", "json", *extra)  # raises on a traceback
    if code:
        _one_line_exit_2(result, needle or "", outlet.name)
        assert result.stdout == ""
        return
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    report = json.loads(result.stdout)
    outlet_doc, source_doc = read_document(outlet), read_document(source)
    _accounted(report, outlet_doc.name, outlet_doc.text, [(s["start"], s["end"]) for s in report["sentences"]])
    _accounted(report, source_doc.name, source_doc.text, [(c["start"], c["end"]) for c in report["coverage"]])
    assert all(outlet_doc.text[s["start"] : s["end"]] == s["text"] for s in report["sentences"])
    if case == "a line of words without punctuation":  # set aside, said once at the top, not judged as one claim
        assert [k["reason"] for k in report["skipped"]] == [LONG_RUN]
        assert any("characters not read" in w and outlet_doc.name in w for w in report["warnings"])
    if case == "escape sequences":  # the terminal's report (the one JSON is checked above)
        shown = model_cli("compare", str(outlet), str(source), "-f", "text").stdout
        assert "\x1b" not in shown and "\x07" not in shown and "\u241b" in shown


def test_best_token_matches_are_the_same_in_one_product_or_in_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    from reconcile import score

    rng = np.random.default_rng(16)
    texts = {name: rng.standard_normal((n, 8)).astype(np.float32) for name, n in (("a", 5), ("b", 300), ("c", 7))}
    claims, reads = ["a", "b", "a"], [["b", "c"], ["b"], []]

    def reference(claim: str, read: list[str]) -> np.ndarray:
        if not read:
            return np.zeros(0, dtype=np.float32)
        best: np.ndarray = (texts[claim] @ np.concatenate([texts[t] for t in read]).T).max(axis=1)
        return best

    whole = score._best_matches(claims, reads, texts)
    monkeypatch.setattr(score, "PRODUCT_CELLS", 50)  # forces the slices, a few claim tokens at a time
    sliced = score._best_matches(claims, reads, texts)
    for got, again, claim, read in zip(whole, sliced, claims, reads, strict=True):
        assert np.allclose(got, reference(claim, read)) and np.allclose(again, reference(claim, read))
    evidence: Any = [_Evidence(c) for c in "abcab"]  # stands in for ClaimEvidence
    assert [len(g) for g in score._groups(evidence, texts)] == [5]
    monkeypatch.setattr(score, "GROUP_TOKENS", 300)
    assert score._groups(evidence, texts) == [[0], [1], [2, 3], [4]]


class _Evidence:
    """The one field of ClaimEvidence that the grouping reads."""

    def __init__(self, sentence: str) -> None:
        self.sentence = sentence


def test_a_text_with_more_tokens_than_the_budget_is_encoded_once(
    embedder: SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reconcile import embed

    monkeypatch.setattr(embed, "TOKEN_ROWS", 40)
    mine = SentenceTransformerEmbedder()
    mine._model = embedder._load()  # the session's model; this embedder's caches are its own
    mine.clear()
    long = _LONG["english"]  # hundreds of tokens, far over the budget of 40
    texts = [long, "The two sides talked.", "They agreed.", "Xi spoke to Trump by phone on Friday."]
    mine.encode(texts)
    encoded = mine.texts_encoded
    for _ in range(3):
        tokens = mine.token_embeddings(texts)
    assert mine.texts_encoded == encoded  # read from the pass that encoded them, never encoded again
    assert len(tokens[0]) > 40


def test_more_texts_at_once_than_the_token_budget_holds_are_encoded_once(
    embedder: SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The judge asks for every sentence of a comparison in one call: 16,000 outlet sentences hold more
    # tokens than the budget, and each pushed out was encoded again alone (the 16k-sentence cliff).
    from reconcile import embed

    monkeypatch.setattr(embed, "TOKEN_ROWS", 40)
    mine = SentenceTransformerEmbedder()
    mine._model = embedder._load()
    mine.clear()
    texts = [f"Officials said the talks on item {n} went well." for n in range(30)]  # ~12 tokens each
    tokens = mine.token_embeddings(texts)
    assert mine.texts_encoded == len(texts)  # one pass for all, none again
    assert len(tokens) == len(texts) and all(len(t) >= 10 for t in tokens)


@pytest.mark.parametrize(("one_call", "kept"), [(10_000, 30), (100, 10)])
def test_the_tokens_of_one_encode_call_are_kept_for_the_judge_up_to_a_cap(
    embedder: SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch, one_call: int, kept: int
) -> None:
    # The alignment encodes a comparison's sentences in one call and the judge then asks for their tokens:
    # 16,000 outlet sentences held more than the budget, and 9,500 of them were encoded a second time.
    from reconcile import embed

    monkeypatch.setattr(embed, "TOKEN_ROWS", 40)
    monkeypatch.setattr(embed, "TOKEN_ROWS_ONE_CALL", one_call)
    mine = SentenceTransformerEmbedder()
    mine._model = embedder._load()
    mine.clear()
    texts = [f"Officials said the talks on item {n} went well." for n in range(30)]  # 10 tokens each
    mine.encode(texts)
    assert len(mine._tokens) == kept  # all of them; or, past the cap, the last that fit
    mine.token_embeddings(texts)
    assert mine.texts_encoded == len(texts) + (len(texts) - kept)
