"""The HTML report: one self-contained page, the outlet beside its sources, every sentence numbered and marked
by verdict (a tint, an icon and an underline pattern).

Selecting an outlet sentence (click; Enter or Space on the focused sentence; j/k for the next or previous
finding: one not supported or with a problem) highlights its evidence in the sources, lettered as in the
panel, and shows the reason, what backs it and its problems beside it (below it on a narrow screen).
Nothing is loaded from elsewhere: the styles and the script (render/assets/) are written inline, allowed by a
Content-Security-Policy that names the script's hash, so even a mistake in escaping could not run an
injected script.

Escaping: every piece of input text goes through ``html.escape(..., quote=True)``; the data the script
reads sits in a ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` written as
``\\u003c`` etc., so no input can close that block. Source names never become ids or class names:
sources are numbered.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

from ..findings import FindingSeverity
from ..report import Problem, Report, SentenceResult, Verdict
from ..triage import plural
from .html_triage import esc, severity_badge, triage_html, worst_severity
from .plain import VERDICT_SYMBOL, backing

# What each verdict means, for the legend and the tooltips.
VERDICT_HELP = {
    "supported": "the sources say this",
    "partial": "some of it is in the sources; the rest (underlined) is added",
    "unsupported": "the sources do not say this",
    "contradicted": "the sources say otherwise: a number, date, name, title, roles or a negation differs",
}
# Each verdict's icon, so no verdict is told by colour alone (report.css draws the same ones on badges).
VERDICT_ICON = {v.value: sign for v, sign in VERDICT_SYMBOL.items()}
ERROR_ICON = "\u2716"  # the error severity's sign, as its badge shows it


def _json_for_script(data: Any) -> str:
    # In a <script> block only "</script" or "<!--" can end the data early; with every <, > and & escaped
    # (valid JSON string escapes) neither can occur, whatever the input says.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _class_word(value: object) -> str:
    # States from the report become class names; keep only what a class name can safely hold.
    return re.sub(r"[^a-z0-9_-]+", "-", str(value).lower()).strip("-") or "unknown"


# ------------------------------------------------------------------------------------------- assets


def _asset(name: str) -> str:
    # The styles and the script are package data (render/assets/), written into every page whole.
    return (resources.files(__package__) / "assets" / name).read_text(encoding="utf-8")


_CSS = "\n" + _asset("report.css")
# Vanilla JS; it builds the details panel with textContent only, so report text is never parsed as HTML.
_JS = "\n" + _asset("report.js")
_SCRIPT_HASH = _csp_hash(_JS)
_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    f"script-src {_SCRIPT_HASH}; form-action 'self'; base-uri 'none'"
)


# ------------------------------------------------------------------------------------------- pieces


def _marked(text: str, ranges: Sequence[tuple[int, int, str]]) -> str:
    """Text with <mark class=...> around the stretches the ranges cover; overlapping ranges combine."""
    cuts = sorted({0, len(text), *(max(0, min(len(text), x)) for a, b, _ in ranges for x in (a, b))})
    out: list[str] = []
    for x, y in zip(cuts, cuts[1:], strict=False):
        classes = sorted({c for a, b, c in ranges if a <= x and y <= b})
        piece = esc(text[x:y])
        out.append(f'<mark class="{" ".join(classes)}">{piece}</mark>' if classes else piece)
    return "".join(out)


def _source_pieces(
    text: str, base: int, ranges: Sequence[tuple[int, int]], classes: Sequence[tuple[int, int, str, str]]
) -> str:
    """A source text (starting at offset ``base``) cut at every range boundary.

    Each stretch some range covers becomes ``<span class="p" data-a data-b>`` with its document offsets,
    so the script can highlight any evidence window however the windows overlap.
    ``classes`` adds fixed classes (and a tooltip) to the stretches they cover.
    """
    end = base + len(text)
    clip = [(max(base, min(end, a)), max(base, min(end, b))) for a, b in ranges]
    styled = [(max(base, min(end, a)), max(base, min(end, b)), c, t) for a, b, c, t in classes]
    cuts = sorted({base, end, *(x for r in clip for x in r), *(x for a, b, _, _ in styled for x in (a, b))})
    # A sweep over the cut points, not a scan of every range per piece: a long source has thousands of each.
    at = {x: n for n, x in enumerate(cuts)}
    depth = [0] * len(cuts)
    extra: list[list[tuple[str, str]]] = [[] for _ in cuts]
    for a, b in clip:
        if a < b:
            depth[at[a]] += 1
            depth[at[b]] -= 1
    for a, b, c, t in styled:
        if a < b:
            depth[at[a]] += 1
            depth[at[b]] -= 1
            for n in range(at[a], at[b]):
                extra[n].append((c, t))
    out: list[str] = []
    covered = 0
    for n, (x, y) in enumerate(zip(cuts, cuts[1:], strict=False)):
        covered += depth[n]
        piece = esc(text[x - base : y - base])
        if not covered:
            out.append(piece)
            continue
        cls = " ".join(["p", *dict.fromkeys(c for c, _ in extra[n])])
        title = "; ".join(dict.fromkeys(t for _, t in extra[n] if t))
        tip = f' title="{esc(title)}"' if title else ""
        out.append(f'<span class="{cls}" data-a="{x}" data-b="{y}"{tip}>{piece}</span>')
    return "".join(out)


def _known_passages(items: Iterable[tuple[int, int, str]]) -> list[tuple[int, str]]:
    """Without a source's full text: the union of the passages the report quotes, as (start, text)."""
    merged: list[tuple[int, str]] = []
    for start, end, text in sorted(items):
        if len(text) != end - start:
            continue  # not a verbatim slice of the source: cannot be placed
        if merged and start <= merged[-1][0] + len(merged[-1][1]):
            m_start, m_text = merged[-1]
            m_end = m_start + len(m_text)
            if end > m_end:
                merged[-1] = (m_start, m_text + text[m_end - start :])
        else:
            merged.append((start, text))
    return merged


def _attr(item: object, name: str, default: Any = None) -> Any:
    return getattr(item, name, default)


def _value(item: object) -> str:
    value = getattr(item, "value", item)  # enums (str, Enum) and plain strings alike
    return str(value)


# ------------------------------------------------------------------------------------------- report


def render_html(report: Report, *, texts: Mapping[str, str] | None = None, home: str | None = None) -> str:
    """The report as one self-contained HTML page.

    ``texts`` maps document names to their full texts (what the offsets refer to); with them the outlet and
    sources are shown whole, without them only the sentences and the quoted passages. ``home`` adds a link
    back to the page that made the report.
    """
    texts = texts or {}
    outlet_name = report.outlet.name
    source_ids = {s.name: k for k, s in enumerate(report.sources)}
    omissions = tuple(getattr(report, "omissions", ()) or ())
    coverage = tuple(getattr(report, "coverage", ()) or ())

    outlet_text = texts.get(outlet_name)
    if outlet_text is not None and not all(outlet_text[s.start : s.end] == s.text for s in report.sentences):
        outlet_text = None  # not the text this report was made from: show the report alone

    quotes = list(report.quotes)
    sentence_quotes: dict[int, list[int]] = {s.index: [] for s in report.sentences}
    quote_sentence: list[int] = []
    for qi, q in enumerate(quotes):
        owner = -1
        for s in report.sentences:
            if q.start < s.end and q.end > s.start:
                sentence_quotes[s.index].append(qi)
                owner = s.index if owner < 0 else owner
        quote_sentence.append(owner)

    data = {
        "src": [s.name for s in report.sources],
        "s": [
            _sentence_data(s, source_ids, sentence_quotes.get(s.index, []), report.problems_in(s.index))
            for s in report.sentences
        ],
        "q": [
            {
                "t": q.text,
                "st": _value(q.status),
                "why": q.reason,
                "s": quote_sentence[qi],
                "k": source_ids.get(q.source, -1) if q.source else -1,
                "a": q.source_start if q.source_start is not None else -1,
                "b": q.source_end if q.source_end is not None else -1,
            }
            for qi, q in enumerate(quotes)
        ],
        "o": [[source_ids.get(_attr(o, "source"), -1), _attr(o, "start", 0), _attr(o, "end", 0)] for o in omissions],
    }
    # The JS addresses sentences by position in D.s; keep ids in step with that even if indices have gaps.
    position = {s.index: n for n, s in enumerate(report.sentences)}

    source_names = ", ".join(s.name for s in report.sources)
    title = f"reconcile: {outlet_name} against {source_names}"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_CSP)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<header>",
        f'<p class="nav"><a href="{esc(home)}">\u2190 New comparison</a></p>' if home else "",
        _header_html(report, title=title, omissions=omissions, coverage=coverage, position=position),
        "</header>",
        '<main><div class="cols">',
        '<section class="col" aria-labelledby="outlet-h">',
        f'<h2 id="outlet-h">Outlet: {esc(outlet_name)}</h2>',
        f'<div class="text" id="outlet">{_outlet_html(report, outlet_text, position)}</div>',
        "</section>",
        '<div id="side">',
        '<section class="col" id="panel" aria-live="polite" aria-label="Selected sentence"><p class="hint">'
        "Select a sentence of the outlet (click it, or Tab to it and press Enter) to see its evidence, reason "
        "and findings; click a passage of a source to see the sentences that rest on it.</p></section>",
        '<section class="col" id="sources" aria-label="Sources">',
        *(
            _source_html(k, info.name, info.speaker, texts.get(info.name), report, omissions, coverage)
            for k, info in enumerate(report.sources)
        ),
        "</section></div></div>",
        '<section class="tables" aria-label="Tables">',
        _sentences_table(report, position),
        _quotes_table(quotes),
        _omissions_table(omissions),
        _skipped_table(report),
        "</section>",
        _evidence_for_print(report),
        "</main>",
        f"<footer><p>Model {esc(report.model)}, judge {esc(str(report.settings.get('judge', '')))}. "
        "The judge's chance is its calibrated probability that a sentence is supported; key words are the"
        " content words the evidence must back; closeness is the cosine similarity of sentence embeddings."
        " Offsets refer to the readable text of each document.</p></footer>",
        f'<script type="application/json" id="reconcile-data">{_json_for_script(data)}</script>',
        f"<script>{_JS}</script>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _sentence_data(
    s: SentenceResult, source_ids: Mapping[str, int], quotes: list[int], problems: Sequence[Problem]
) -> dict[str, Any]:
    return {
        "n": s.index + 1,
        "v": s.verdict.value,
        "sc": round(s.score, 4),
        "bk": backing(s),
        "r": s.reason,
        # [severity, what, detail] of each problem, worst first (triage.py)
        "pr": [[p.severity.value, p.title, p.detail] for p in problems],
        "add": [sp.text for sp in s.unsupported_spans],
        # [source number, start, end, first sentence, last sentence, score, text, label, match]: the page
        # names evidence by Evidence.label and its closeness by Evidence.match, as every renderer does.
        "ev": [
            [source_ids[e.source], e.start, e.end, e.index, e.last_index, round(e.score, 4), e.text, e.label, e.match]
            for e in s.evidence
            if e.source in source_ids
        ],
        "con": [
            {
                "t": c.type,
                "o": c.outlet_text,
                "st": c.source_text,
                "src": c.source,
                "k": source_ids.get(c.source, -1),
                "a": c.source_start,
                "b": c.source_end,
            }
            for c in s.contradictions
        ],
        "q": quotes,
        # Findings added to the report later are read defensively, so older reports still render.
        "dq": [
            [source_ids.get(_attr(d, "source"), -1), _attr(d, "start", 0), _attr(d, "end", 0), _attr(d, "text", "")]
            for d in getattr(s, "dropped_qualifiers", ())
        ],
        "notes": [str(n) for n in getattr(s, "notes", ())],
    }


def _header_html(
    report: Report,
    *,
    title: str,
    omissions: Sequence[object],
    coverage: Sequence[object],
    position: Mapping[int, int],
) -> str:
    """What the page opens with: the title, the warnings, the summary, the legend and the keys."""
    return "".join(
        [
            f"<h1>{esc(title)}</h1>",
            "".join(f'<p class="meta" role="note"><strong>Warning:</strong> {esc(w)}</p>' for w in report.warnings),
            triage_html(report, position),
            _summary_html(report, omissions, coverage),
            # The legend and the keys fold into a "?" panel, so the first screen is the report's own text.
            '<details class="help"><summary><span aria-hidden="true">?</span> What the marks and colours mean'
            "</summary>",
            _legend_html(
                report,
                with_omissions=bool(omissions or coverage),
                with_qualifiers=any(getattr(s, "dropped_qualifiers", ()) for s in report.sentences),
            ),
            '<p class="keys noprint"><kbd>j</kbd> / <kbd>k</kbd> (or the arrow keys on a sentence): next / previous '
            "finding (a sentence not supported, or with a problem); <kbd>Space</kbd> or <kbd>Enter</kbd> selects; "
            "<kbd>Esc</kbd> clears.</p></details>",
        ]
    )


def _summary_html(report: Report, omissions: Sequence[object], coverage: Sequence[object]) -> str:
    summary = report.summary()
    counts: dict[str, int] = summary["counts"]
    chips = [
        f'<span class="chip"><span class="badge b-{v.value}">{v.value}</span> <b>{counts[v.value]}</b></span>'
        for v in Verdict
    ]
    claims = summary["claims"]
    chips.append(
        f'<span class="chip">claims supported <b>{summary["share_claims_supported"]:.0%}</b> '
        f"of {claims['checkable']} checkable</span>"
    )
    if claims["opinion"] + claims["background"]:
        chips.append(
            f'<span class="chip">opinion or background <b>{claims["opinion"] + claims["background"]}</b></span>'
        )
    chips.append(f'<span class="chip">sentences <b>{summary["sentences"]}</b></span>')
    quotes = summary.get("quotes") or {}
    if quotes:
        chips.append(
            '<span class="chip">'
            # in words: "5 quotes not found", not the status's name
            + ", ".join(
                f"<b>{n}</b> {'quote' if n == 1 else 'quotes'} {esc(k.replace('_', ' '))}"
                for k, n in sorted(quotes.items())
                if n
            )
            + "</span>"
        )
    if omissions:
        chips.append(f'<span class="chip">omissions <b>{len(omissions)}</b></span>')
    if coverage:
        states: dict[str, int] = {}
        for c in coverage:
            states[_value(_attr(c, "state", "?"))] = states.get(_value(_attr(c, "state", "?")), 0) + 1
        chips.append(
            '<span class="chip">source sentences '
            + ", ".join(f"<b>{n}</b> {esc(k)}" for k, n in sorted(states.items()))
            + "</span>"
        )
    if summary["skipped"]:
        chips.append(f'<span class="chip">lines skipped <b>{summary["skipped"]}</b></span>')
    # A bar of the verdict shares: spans sized by flex-grow (the CSP allows inline styles, not scripts).
    bar = "".join(
        f'<span class="bar-{v.value}" style="flex:{counts[v.value]}" title="{v.value}: {counts[v.value]}"></span>'
        for v in Verdict
        if counts[v.value]
    )
    speakers = ", ".join(f"{esc(s.name)}" + (f" ({esc(s.speaker)})" if s.speaker else "") for s in report.sources)
    # A web page's title, byline, date and address, one line each.
    pages = "".join(
        f'<p class="meta page">{esc(d.name)}: {esc(line)}</p>'
        for d in (report.outlet, *report.sources)
        if (line := d.header_line())
    )
    return (
        f'<p class="meta">{plural(summary["sentences"], "outlet sentence")} checked against {speakers}.</p>{pages}'
        f'<div class="summary">{"".join(chips)}</div><div class="bar" aria-hidden="true">{bar}</div>'
    )


def _examples(report: Report) -> dict[str, str]:
    """The legend's examples, from the report itself: its first addition, contradiction and name to check."""
    found: dict[str, str] = {}
    for sentence in report.sentences:
        for span in sentence.unsupported_spans:
            found.setdefault("add", span.text)
        for c in sentence.contradictions:
            kind = "con" if c.severity is FindingSeverity.CONTRADICTION else "chk"
            if c.outlet_text and c.outlet_text in sentence.text:
                found.setdefault(kind, c.outlet_text)
    return {k: v if len(v) <= 30 else v[:29] + "\u2026" for k, v in found.items()}


def _legend_html(report: Report, *, with_omissions: bool, with_qualifiers: bool) -> str:
    items = [
        f'<li><span class="sw v-{v}"><span class="sn" aria-hidden="true">{VERDICT_ICON[v]}</span>{v}</span> '
        f"{esc(help_)}</li>"
        for v, help_ in VERDICT_HELP.items()
    ]
    items.append('<li><span class="sn">3</span> the sentence\'s number, as in the tables</li>')
    said = {
        "add": "no evidence backs them",
        "con": "what the sources say otherwise (an error)",
        "chk": "a name or wording to check (in no source, or doubtful)",
    }
    examples = {"add": "added words", **_examples(report)}
    items.extend(f'<li><mark class="{k}">{esc(examples[k])}</mark> {said[k]}</li>' for k in said if k in examples)
    items.append(
        f"<li>{severity_badge('error')} {severity_badge('check')} {severity_badge('context')} "
        "how much a problem weighs: wrong, to look up, or commentary</li>"
    )
    # What selecting does means nothing on paper.
    items.append(
        '<li class="noprint"><span class="p ev1"><span class="evm">a</span>evidence</span> <span class="p ev">'
        '<span class="evm">b</span>more</span> of the selected sentence, lettered as in its panel</li>'
    )
    items.append('<li class="noprint"><span class="p qs">passage</span> of the selected quote or omission</li>')
    if with_omissions:
        items.append('<li><span class="p om">omitted</span> source text the outlet leaves out</li>')
        items.append(
            '<li><span class="p cov-partial">partly reported</span> source text the outlet reports in part</li>'
        )
    if with_qualifiers:
        items.append('<li><span class="p dq">qualifier</span> a condition of the source the sentence drops</li>')
    return f'<ul class="legend" aria-label="Legend">{"".join(items)}</ul>'


def _sentence_span(s: SentenceResult, n: int, severity: str) -> str:
    ranges = [(sp.start - s.start, sp.end - s.start, "add") for sp in s.unsupported_spans]
    for c in s.contradictions:
        a, b = c.outlet_start - s.start, c.outlet_end - s.start
        # A negation found only in the source is reported against the whole sentence: nothing to mark.
        if 0 <= a < b <= len(s.text) and s.text[a:b] == c.outlet_text:
            # Only a contradiction is marked as one; a name in no source is a thing to check.
            ranges.append((a, b, "con" if c.severity is FindingSeverity.CONTRADICTION else "chk"))
    tip = f"{s.verdict.value}, {backing(s)}: {s.reason}"
    # The number and the icon lead the sentence; the verdict in words is there for screen readers.
    # An error is never hidden behind a verdict's mark: a supported sentence with a misquote shows both.
    icon, said = VERDICT_ICON[s.verdict.value], s.verdict.value
    if severity == "error":
        icon, said = icon + ERROR_ICON, f"{said}, with an error"
    number = (
        f'<span class="sn"><span aria-hidden="true">{icon}</span>{s.index + 1}<span class="vh"> ({said})</span></span>'
    )
    return (
        f'<span class="s v-{s.verdict.value}" id="s-{n + 1}" data-s="{n}" data-verdict="{s.verdict.value}" '
        f'data-sev="{severity}" '
        f'tabindex="0" role="button" aria-pressed="false" title="{esc(tip)}">{number}{_marked(s.text, ranges)}</span>'
    )


def _outlet_html(report: Report, text: str | None, position: Mapping[int, int]) -> str:
    sentences = sorted(report.sentences, key=lambda s: s.start)
    if text is None:
        # Without the full text, the sentences alone in order; lines that were skipped are not shown.
        return " ".join(
            _sentence_span(s, position[s.index], worst_severity(report.problems_in(s.index))) for s in sentences
        )
    items: list[tuple[int, int, str]] = [
        (s.start, s.end, _sentence_span(s, position[s.index], worst_severity(report.problems_in(s.index))))
        for s in sentences
    ]
    for k in report.skipped:
        if k.document == report.outlet.name and text[k.start : k.end] == k.text:
            items.append(
                (k.start, k.end, f'<span class="skip" title="not checked: {esc(k.reason)}">{esc(k.text)}</span>')
            )
    out: list[str] = []
    pos = 0
    for start, end, html in sorted(items, key=lambda item: item[0]):
        if start < pos:
            continue  # overlapping items cannot both be drawn; offsets from one segmentation never overlap
        out.append(esc(text[pos:start]))
        out.append(html)
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def _source_html(
    k: int,
    name: str,
    speaker: str | None,
    text: str | None,
    report: Report,
    omissions: Sequence[object],
    coverage: Sequence[object],
) -> str:
    evidence = [e for s in report.sentences for e in s.evidence if e.source == name]
    ranges: list[tuple[int, int]] = [(e.start, e.end) for e in evidence]
    ranges += [(c.source_start, c.source_end) for s in report.sentences for c in s.contradictions if c.source == name]
    ranges += [
        (_attr(d, "start", 0), _attr(d, "end", 0))
        for s in report.sentences
        for d in getattr(s, "dropped_qualifiers", ())
        if _attr(d, "source") == name
    ]
    ranges += [
        (q.source_start, q.source_end)
        for q in report.quotes
        if q.source == name and q.source_start is not None and q.source_end is not None
    ]
    classes: list[tuple[int, int, str, str]] = []
    for o in omissions:
        if _attr(o, "source") == name:
            reason = _attr(o, "rank_reason") or _value(_attr(o, "state", "omitted"))
            classes.append((_attr(o, "start", 0), _attr(o, "end", 0), "om", f"omitted: {reason}"))
    for c in coverage:
        if _attr(c, "source") == name:
            state = _value(_attr(c, "state", ""))
            classes.append((_attr(c, "start", 0), _attr(c, "end", 0), f"cov-{_class_word(state)}", ""))

    if text is not None and not all(text[e.start : e.end] == e.text for e in evidence):
        text = None  # not the text this report was made from
    if text is not None:
        body = _source_pieces(text, 0, ranges, classes)
    else:
        known = [(e.start, e.end, e.text) for e in evidence]
        known += [
            (_attr(o, "start", 0), _attr(o, "end", 0), str(_attr(o, "text", "")))
            for o in (*omissions, *coverage)
            if _attr(o, "source") == name
        ]
        passages = _known_passages(known)
        if passages:
            body = '<span class="gap"> \u2026 </span>'.join(
                _source_pieces(t, start, ranges, classes) for start, t in passages
            )
        else:
            body = '<span class="gap">(no passage of this source is used as evidence)</span>'
    who = f' <span class="speaker">\u2014 {esc(speaker)}</span>' if speaker else ""
    return (
        f'<article class="col src" id="src-{k}" data-k="{k}"><h2>{esc(name)}{who}</h2>'
        f'<div class="text">{body}</div></article>'
    )


Cell = tuple[str, str]  # (class, HTML): one cell of a table


def table_html(columns: Sequence[str], rows: Iterable[tuple[str, Sequence[Cell]]]) -> str:
    """A table; each row is (its attributes, its cells). Every cell is labelled with its column, so on a narrow
    screen, where rows are drawn as cards, each value says what it is (report.css)."""

    def cell(column: str, cls: str, html: str) -> str:
        attrs = f' class="{cls}"' if cls else ""
        return f'<td{attrs} data-label="{esc(column)}">{html}</td>'

    body = "".join(
        f"<tr{attrs}>{''.join(cell(col, cls, html) for col, (cls, html) in zip(columns, cells, strict=True))}</tr>"
        for attrs, cells in rows
    )
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _badge(verdict: str) -> str:
    return f'<span class="badge b-{verdict}">{verdict}</span>'


def _sentences_table(report: Report, position: Mapping[int, int]) -> str:
    rows = [
        (
            f' data-s="{position[s.index]}" data-sev="{worst_severity(report.problems_in(s.index))}" tabindex="0"',
            [
                ("n", str(s.index + 1)),
                ("", _badge(s.verdict.value)),
                ("", esc(backing(s))),
                (
                    "",
                    " ".join(severity_badge(p.severity.value, p.title) for p in report.problems_in(s.index)),
                ),
                ("", esc(s.reason)),
                ("", esc(", ".join(sp.text for sp in s.unsupported_spans))),
            ],
        )
        for s in report.sentences
    ]
    return "<h2>Sentences</h2>" + table_html(["#", "verdict", "backing", "problems", "why", "added words"], rows)


def _quotes_table(quotes: Sequence[Any]) -> str:
    if not quotes:
        return ""
    rows = [
        (
            f' data-q="{qi}" tabindex="0"',
            [
                (
                    "",
                    f'<span class="badge q-{_class_word(_value(q.status))}">'
                    f"{esc(_value(q.status).replace('_', ' '))}</span>",
                ),
                ("", f"\u201c{esc(q.text)}\u201d"),
                ("", esc(q.attributed_to or "")),
                ("", esc(q.source or "")),
                ("", esc(q.reason)),
            ],
        )
        for qi, q in enumerate(quotes)
    ]
    return "<h2>Quote ledger</h2>" + table_html(["status", "quote", "attributed to", "source", "why"], rows)


def _omissions_table(omissions: Sequence[object]) -> str:
    if not omissions:
        return ""
    rows = [
        (
            f' data-o="{n}" tabindex="0"',
            [
                ("", esc(_attr(o, "source", ""))),
                ("", esc(_value(_attr(o, "state", "")))),
                ("", esc(_attr(o, "text", ""))),
                ("", esc(_attr(o, "rank_reason", "") or "")),
            ],
        )
        for n, o in enumerate(omissions)
    ]
    return "<h2>Omissions: what the sources say and the outlet does not</h2>" + table_html(
        ["source", "state", "text", "why it matters"], rows
    )


def _skipped_table(report: Report) -> str:
    if not report.skipped:
        return ""
    rows = [("", [("", esc(k.document)), ("", esc(k.text)), ("", esc(k.reason))]) for k in report.skipped]
    return "<h2>Lines not checked</h2>" + table_html(["document", "line", "why"], rows)


def _evidence_for_print(report: Report) -> str:
    """Every sentence's evidence, shown only on paper, where no sentence can be selected."""
    items = []
    for s in report.sentences:
        evidence = "".join(
            f'<li><span class="evm">{chr(97 + n)}</span> {esc(e.label)} ({esc(e.match)}): '
            f'<span class="evtext">{esc(e.text)}</span></li>'
            for n, e in enumerate(s.evidence)
        )
        items.append(
            f"<li><b>Sentence {s.index + 1}</b> {_badge(s.verdict.value)} {esc(s.reason)}"
            + (f"<ul>{evidence}</ul>" if evidence else "<br>No evidence found in the sources.")
            + "</li>"
        )
    return (
        '<section class="print-only" aria-label="Evidence"><h2>Evidence for each sentence</h2>'
        f'<ul class="evall">{"".join(items)}</ul></section>'
    )
