"""The HTML report: one self-contained page, the outlet beside its sources, every sentence coloured by verdict.

Selecting an outlet sentence (click, or Enter on the focused sentence) highlights its evidence in the
sources and shows the reason, the score and the typed findings. Nothing is loaded from elsewhere: the
styles and the script are inline, allowed by a Content-Security-Policy that names the script's hash, so
even a mistake in escaping could not run an injected script.

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
from html import escape
from typing import Any
from urllib.parse import quote as url_quote

from ..report import Report, SentenceResult, Verdict

# What each verdict means, for the legend and the tooltips.
VERDICT_HELP = {
    "supported": "the sources say this",
    "partial": "some of it is in the sources; the rest (underlined) is added",
    "unsupported": "the sources do not say this",
    "contradicted": "a number or a negation differs from the sources",
}


def esc(value: object) -> str:
    """Input text as HTML, safe in element content and in quoted attributes."""
    return escape(str(value), quote=True)


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


# ------------------------------------------------------------------------------------------- styles

_CSS = """
:root{--sup:#2e8b57;--sup-bg:#dff3e6;--par:#c98a00;--par-bg:#fdf0cc;--uns:#9a7b7b;--uns-bg:#efe7e7;
--con:#c62828;--con-bg:#ffd4cf;--ev:#ffe27a;--ev-line:#d4a800;--sel:#1f4fd1;--ink:#1d232b;--muted:#5d6670;
--line:#d9dde3;--qs:#d6e2ff;--om:#7a4cc2}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f6f7f9}
header,main,footer,.wide{max-width:1500px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:1.35rem;margin:0 0 6px}h2{font-size:1.05rem;margin:0 0 8px}h3{font-size:.95rem;margin:0 0 4px}
.meta{color:var(--muted);font-size:.85rem}
.nav{margin:0 0 8px}.nav a{color:var(--sel)}
.summary{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:10px 0}
.chip{display:inline-block;border-radius:999px;padding:2px 10px;font-size:.85rem;border:1px solid var(--line);
background:#fff}
.chip b{font-variant-numeric:tabular-nums}
.bar{display:flex;height:8px;border-radius:4px;overflow:hidden;background:var(--line);margin:4px 0 10px;max-width:640px}
.bar span{display:block}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:.82rem;color:var(--muted);margin:0 0 12px;padding:0;
list-style:none}
.legend li{display:flex;gap:6px;align-items:center}
.sw{display:inline-block;padding:0 6px;border-radius:3px;color:var(--ink)}
.cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:20px;align-items:start}
.col{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px}
#side{position:sticky;top:8px;max-height:calc(100vh - 16px);overflow:auto;padding:0;border:0;background:none}
#side>.col+.col{margin-top:12px}
.text{white-space:pre-wrap;font:16px/1.7 Georgia,"Times New Roman",serif;overflow-wrap:anywhere}
.s{border-radius:3px;padding:1px 0;cursor:pointer;border-bottom:2px solid transparent}
.s:focus{outline:2px dashed var(--sel);outline-offset:1px}
.s.sel{outline:2px solid var(--sel);outline-offset:1px}
.v-supported{background:var(--sup-bg);border-bottom-color:var(--sup)}
.v-partial{background:var(--par-bg);border-bottom-color:var(--par)}
.v-unsupported{background:var(--uns-bg);border-bottom-color:var(--uns)}
.v-contradicted{background:var(--con-bg);border-bottom-color:var(--con)}
mark{background:none;color:inherit}
mark.add{text-decoration:underline wavy var(--con) 1px;text-underline-offset:4px}
.v-unsupported mark.add{text-decoration-color:#c9a3a0}
mark.con{background:var(--con);color:#fff;border-radius:2px;padding:0 2px}
.skip{color:var(--muted);text-decoration:line-through dotted}
.speaker{font-weight:normal;color:var(--muted)}
.p.ev{background:var(--ev)}.p.ev1{background:#ffd23f}
.p.cv{background:var(--con);color:#fff}.p.dq{text-decoration:underline solid var(--par) 3px}
.p.qs{background:var(--qs)}
.p.om,.p.cov-omitted{text-decoration:underline dashed var(--om) 2px;text-underline-offset:4px}
.p.cov-partial{text-decoration:underline dotted var(--om) 2px;text-underline-offset:4px}
.gap{color:var(--muted);font-family:system-ui,sans-serif}
#panel .hint{color:var(--muted);margin:0}
#panel ul{margin:4px 0 8px;padding-left:18px}#panel li{margin:2px 0}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:.8rem;font-weight:600;color:#fff;
vertical-align:1px}
.b-supported{background:var(--sup)}.b-partial{background:var(--par)}.b-unsupported{background:var(--uns)}
.b-contradicted{background:var(--con)}
.q-verbatim,.q-trimmed{background:var(--sup)}.q-altered,.q-paraphrase{background:var(--par)}
.q-spliced,.q-misattributed{background:var(--con)}.q-not_found{background:var(--uns)}
.evbtn{font:inherit;font-size:.85rem;border:1px solid var(--line);background:#fff;border-radius:4px;cursor:pointer;
padding:0 6px}
.evtext{font-family:Georgia,serif}
section.tables{margin-top:20px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.88rem;margin:0 0 18px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef0f3;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr[data-s],tr[data-q],tr[data-o]{cursor:pointer}tr[data-s]:hover,tr[data-q]:hover,tr[data-o]:hover{background:#f3f6ff}
footer{color:var(--muted);font-size:.8rem;padding-bottom:24px}
@media (max-width:900px){.cols{grid-template-columns:1fr}#side{position:static;max-height:none}}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{background:#fff;font-size:11pt}.cols{display:block}.col{border:0;padding:0;margin:0 0 14px}
#side{position:static;max-height:none;overflow:visible}#panel,.nav,.noprint{display:none}
.text{font-size:11pt}table{page-break-inside:auto}tr{page-break-inside:avoid}
}
"""

# ------------------------------------------------------------------------------------------- script

# Vanilla JS; it builds the details panel with textContent only, so report text is never parsed as HTML.
_JS = r"""
(()=>{
const D=JSON.parse(document.getElementById('reconcile-data').textContent);
const $$=(s,r=document)=>Array.from(r.querySelectorAll(s));
const panel=document.getElementById('panel');
const el=(tag,cls,text)=>{
  const e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e;
};
const pct=x=>Math.round(x*100)+'%';
function mark(k,a,b,cls){
  const hit=$$('#src-'+k+' .p').filter(p=>+p.dataset.a<b&&+p.dataset.b>a);
  hit.forEach(p=>cls.split(' ').forEach(c=>p.classList.add(c)));return hit;
}
function clear(){
  ['ev','ev1','cv','dq','qs'].forEach(c=>$$('#sources .p.'+c).forEach(p=>p.classList.remove(c)));
  $$('.s.sel').forEach(s=>{s.classList.remove('sel');s.setAttribute('aria-pressed','false')});
}
function show(node){if(node)node.scrollIntoView({block:'nearest',behavior:'smooth'})}
function where(e){return e[7]}
function list(title,items,fill){
  if(!items.length)return;panel.appendChild(el('h3',null,title));const ul=el('ul');
  items.forEach(x=>{const li=el('li');fill(li,x);ul.appendChild(li)});panel.appendChild(ul);
}
function select(i,fromOutlet){
  const s=D.s[i];if(!s)return;clear();
  const node=document.getElementById('s-'+i);
  if(node){node.classList.add('sel');node.setAttribute('aria-pressed','true');if(!fromOutlet)show(node)}
  let first=null;
  s.ev.forEach((e,n)=>{const h=mark(e[0],e[1],e[2],n?'ev':'ev ev1');if(!first&&h.length)first=h[0]});
  s.con.forEach(c=>{if(c.k>=0)mark(c.k,c.a,c.b,'cv')});
  s.dq.forEach(d=>{if(d[0]>=0)mark(d[0],d[1],d[2],'dq')});
  show(first);
  panel.replaceChildren();
  const h=el('h2',null,'Sentence '+(i+1)+' ');h.appendChild(el('span','badge b-'+s.v,s.v));panel.appendChild(h);
  panel.appendChild(el('p',null,'Score '+s.sc.toFixed(2)+' (chance the sources support it) \u00b7 '+s.r));
  list('Added words (no evidence)',s.add,(li,t)=>{li.appendChild(el('mark','add',t))});
  list('Evidence',s.ev,(li,e)=>{
    const b=el('button','evbtn',where(e)+' \u00b7 '+e[5].toFixed(2));
    b.addEventListener('click',()=>show(mark(e[0],e[1],e[2],'ev')[0]));
    li.append(b,' ',el('span','evtext',e[6]));
  });
  list('Contradictions',s.con,(li,c)=>{
    li.append(el('b',null,c.t+': '),'outlet \u201c'+c.o+'\u201d, '+c.src+' \u201c'+c.st+'\u201d');
  });
  list('Qualifiers of the source it drops',s.dq,(li,d)=>{li.textContent=D.src[d[0]]+': \u201c'+d[3]+'\u201d'});
  list('Notes',s.notes,(li,t)=>{li.textContent=t});
  list('Quotes in this sentence',s.q,(li,qi)=>{const q=D.q[qi];
    li.append(el('span','badge q-'+q.st,q.st),' \u201c'+q.t+'\u201d \u2014 '+q.why)});
  if(!s.ev.length&&!s.con.length)panel.appendChild(el('p','hint','No evidence found in the sources.'));
  if(history.replaceState)history.replaceState(null,'','#s-'+i);
}
function selectQuote(i){
  const q=D.q[i];if(!q)return;if(q.s>=0)select(q.s,false);
  if(q.k>=0)show(mark(q.k,q.a,q.b,'qs')[0]);
}
function selectOmission(i){const o=D.o[i];if(!o)return;clear();show(mark(o[0],o[1],o[2],'qs')[0])}
function act(t){
  const r=t.closest('[data-s],[data-q],[data-o]');if(!r)return false;
  if(r.dataset.s!=null)select(+r.dataset.s,r.classList.contains('s'));
  else if(r.dataset.q!=null)selectQuote(+r.dataset.q);else selectOmission(+r.dataset.o);
  return true;
}
document.addEventListener('click',ev=>{if(!ev.target.closest('button'))act(ev.target)});
document.addEventListener('keydown',ev=>{
  const keys=ev.key==='Enter'||ev.key===' ';
  if(keys&&ev.target.matches('[data-s],[data-q],[data-o]')&&act(ev.target))ev.preventDefault();
});
const m=/^#s-(\d+)$/.exec(location.hash);if(m)select(+m[1],false);
})();
"""

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
        "s": [_sentence_data(s, source_ids, sentence_quotes.get(s.index, [])) for s in report.sentences],
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
        f"<h1>{esc(title)}</h1>",
        "".join(f'<p class="meta" role="note"><strong>Warning:</strong> {esc(w)}</p>' for w in report.warnings),
        _summary_html(report, omissions, coverage),
        _legend_html(
            with_omissions=bool(omissions or coverage),
            with_qualifiers=any(getattr(s, "dropped_qualifiers", ()) for s in report.sentences),
        ),
        "</header>",
        '<main class="cols">',
        '<section class="col" aria-labelledby="outlet-h">',
        f'<h2 id="outlet-h">Outlet: {esc(outlet_name)}</h2>',
        f'<div class="text" id="outlet">{_outlet_html(report, outlet_text, position)}</div>',
        "</section>",
        '<div id="side">',
        '<section class="col" id="panel" aria-live="polite"><p class="hint">Select a sentence of the outlet '
        "(click it, or Tab to it and press Enter) to see its evidence, reason and findings.</p></section>",
        '<section class="col" id="sources" aria-label="Sources">',
        *(
            _source_html(k, info.name, info.speaker, texts.get(info.name), report, omissions, coverage)
            for k, info in enumerate(report.sources)
        ),
        "</section></div></main>",
        '<section class="wide tables">',
        _sentences_table(report, position),
        _quotes_table(quotes),
        _omissions_table(omissions),
        _skipped_table(report),
        "</section>",
        f"<footer><p>Model {esc(report.model)}, judge {esc(str(report.settings.get('judge', '')))}. "
        "Scores are the support judge's probability that a sentence is supported."
        " Offsets refer to the readable text of each document.</p></footer>",
        f'<script type="application/json" id="reconcile-data">{_json_for_script(data)}</script>',
        f"<script>{_JS}</script>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _sentence_data(s: SentenceResult, source_ids: Mapping[str, int], quotes: list[int]) -> dict[str, Any]:
    return {
        "v": s.verdict.value,
        "sc": round(s.score, 4),
        "r": s.reason,
        "add": [sp.text for sp in s.unsupported_spans],
        # [source number, start, end, first sentence, last sentence, score, text, label]: the page names
        # evidence by Evidence.label, as every renderer does.
        "ev": [
            [source_ids[e.source], e.start, e.end, e.index, e.last_index, round(e.score, 4), e.text, e.label]
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


def _summary_html(report: Report, omissions: Sequence[object], coverage: Sequence[object]) -> str:
    summary = report.summary()
    counts: dict[str, int] = summary["counts"]
    chips = [
        f'<span class="chip"><span class="badge b-{v.value}">{v.value}</span> <b>{counts[v.value]}</b></span>'
        for v in Verdict
    ]
    chips.append(f'<span class="chip">share supported <b>{summary["share_supported"]:.0%}</b></span>')
    chips.append(f'<span class="chip">sentences <b>{summary["sentences"]}</b></span>')
    quotes = summary.get("quotes") or {}
    if quotes:
        chips.append(
            '<span class="chip">quotes '
            + ", ".join(f"{esc(k)} <b>{n}</b>" for k, n in sorted(quotes.items()))
            + "</span>"
        )
    if omissions:
        chips.append(f'<span class="chip">omissions <b>{len(omissions)}</b></span>')
    if coverage:
        states: dict[str, int] = {}
        for c in coverage:
            states[_value(_attr(c, "state", "?"))] = states.get(_value(_attr(c, "state", "?")), 0) + 1
        chips.append(
            '<span class="chip">source coverage '
            + ", ".join(f"{esc(k)} <b>{n}</b>" for k, n in sorted(states.items()))
            + "</span>"
        )
    if summary["skipped"]:
        chips.append(f'<span class="chip">lines skipped <b>{summary["skipped"]}</b></span>')
    # A bar of the verdict shares: spans sized by flex-grow (the CSP allows inline styles, not scripts).
    bar = "".join(
        f'<span class="b-{v.value}" style="flex:{counts[v.value]}" title="{v.value}: {counts[v.value]}"></span>'
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
        f'<p class="meta">{summary["sentences"]} outlet sentences checked against {speakers}.</p>{pages}'
        f'<div class="summary">{"".join(chips)}</div><div class="bar" aria-hidden="true">{bar}</div>'
    )


def _legend_html(*, with_omissions: bool, with_qualifiers: bool) -> str:
    items = [f'<li><span class="sw v-{v}">{v}</span> {esc(help_)}</li>' for v, help_ in VERDICT_HELP.items()]
    items.append('<li><mark class="add">added words</mark> no evidence backs them</li>')
    items.append('<li><mark class="con">50</mark> the contradicting number or negation</li>')
    # What selecting does means nothing on paper.
    items.append('<li class="noprint"><span class="p ev">evidence</span> of the selected sentence</li>')
    items.append('<li class="noprint"><span class="p qs">passage</span> of the selected quote or omission</li>')
    if with_omissions:
        items.append('<li><span class="p om">omitted</span> source text the outlet leaves out</li>')
        items.append(
            '<li><span class="p cov-partial">partly reported</span> source text the outlet reports in part</li>'
        )
    if with_qualifiers:
        items.append('<li><span class="p dq">qualifier</span> a condition of the source the sentence drops</li>')
    return f'<ul class="legend" aria-label="Legend">{"".join(items)}</ul>'


def _sentence_span(s: SentenceResult, n: int) -> str:
    ranges = [(sp.start - s.start, sp.end - s.start, "add") for sp in s.unsupported_spans]
    for c in s.contradictions:
        a, b = c.outlet_start - s.start, c.outlet_end - s.start
        # A negation found only in the source is reported against the whole sentence: nothing to mark.
        if 0 <= a < b <= len(s.text) and s.text[a:b] == c.outlet_text:
            ranges.append((a, b, "con"))
    tip = f"{s.verdict.value} ({s.score:.2f}): {s.reason}"
    return (
        f'<span class="s v-{s.verdict.value}" id="s-{n}" data-s="{n}" data-verdict="{s.verdict.value}" '
        f'tabindex="0" role="button" aria-pressed="false" title="{esc(tip)}">{_marked(s.text, ranges)}</span>'
    )


def _outlet_html(report: Report, text: str | None, position: Mapping[int, int]) -> str:
    sentences = sorted(report.sentences, key=lambda s: s.start)
    if text is None:
        # Without the full text, the sentences alone in order; lines that were skipped are not shown.
        return " ".join(_sentence_span(s, position[s.index]) for s in sentences)
    items: list[tuple[int, int, str]] = [(s.start, s.end, _sentence_span(s, position[s.index])) for s in sentences]
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
    return f'<article class="col src" id="src-{k}"><h2>{esc(name)}{who}</h2><div class="text">{body}</div></article>'


def _sentences_table(report: Report, position: Mapping[int, int]) -> str:
    rows = [
        f'<tr data-s="{position[s.index]}" tabindex="0"><td class="n">{s.index + 1}</td>'
        f'<td><span class="badge b-{s.verdict.value}">{s.verdict.value}</span></td>'
        f'<td class="n">{s.score:.2f}</td><td>{esc(s.reason)}</td>'
        f"<td>{esc(', '.join(sp.text for sp in s.unsupported_spans))}</td></tr>"
        for s in report.sentences
    ]
    return (
        "<h2>Sentences</h2><table><thead><tr><th>#</th><th>verdict</th><th>score</th><th>why</th>"
        f"<th>added words</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _quotes_table(quotes: Sequence[Any]) -> str:
    if not quotes:
        return ""
    rows = [
        f'<tr data-q="{qi}" tabindex="0"><td><span class="badge q-{_class_word(_value(q.status))}">'
        f"{esc(_value(q.status))}</span></td><td>\u201c{esc(q.text)}\u201d</td>"
        f"<td>{esc(q.attributed_to or '')}</td><td>{esc(q.source or '')}</td><td>{esc(q.reason)}</td></tr>"
        for qi, q in enumerate(quotes)
    ]
    return (
        "<h2>Quote ledger</h2><table><thead><tr><th>status</th><th>quote</th><th>attributed to</th>"
        f"<th>source</th><th>why</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _omissions_table(omissions: Sequence[object]) -> str:
    if not omissions:
        return ""
    rows = [
        f'<tr data-o="{n}" tabindex="0"><td>{esc(_attr(o, "source", ""))}</td>'
        f"<td>{esc(_value(_attr(o, 'state', '')))}</td><td>{esc(_attr(o, 'text', ''))}</td>"
        f"<td>{esc(_attr(o, 'rank_reason', '') or '')}</td></tr>"
        for n, o in enumerate(omissions)
    ]
    return (
        "<h2>Omissions: what the sources say and the outlet does not</h2><table><thead><tr><th>source</th>"
        f"<th>state</th><th>text</th><th>why it matters</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _skipped_table(report: Report) -> str:
    if not report.skipped:
        return ""
    rows = [
        f"<tr><td>{esc(k.document)}</td><td>{esc(k.text)}</td><td>{esc(k.reason)}</td></tr>" for k in report.skipped
    ]
    return (
        "<h2>Lines not checked</h2><table><thead><tr><th>document</th><th>line</th><th>why</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


# ------------------------------------------------------------------------------------------- batch


def _blank(value: object) -> str:
    return "" if value is None else esc(value)  # a failed comparison has no figures: empty cells, not "None"


_STATUS_BADGE = {"ok": "b-supported", "failed": "b-contradicted"}  # pending: the colour of "partial"


def render_batch_index(rows: list[dict[str, Any]], *, title: str) -> str:
    """An index page for a batch: the summary table, each comparison linked to its report files.

    ``rows`` are the batch summary rows (name, status, error, one count per verdict, share_supported, ...)
    with ``files``: the report file names (or paths; only the name is linked, relative to the index).
    """
    verdicts = [v.value for v in Verdict]
    counted = [*verdicts, *(["omissions"] if any("omissions" in r for r in rows) else [])]
    body: list[str] = []
    for row in rows:
        files = [str(f).replace("\\", "/").rsplit("/", 1)[-1] for f in row.get("files") or ()]
        html_files = [f for f in files if f.endswith(".html")]
        name = esc(row.get("name", ""))
        main = f'<a href="{esc(url_quote(html_files[0]))}">{name}</a>' if html_files else name
        links = " ".join(f'<a href="{esc(url_quote(f))}">{esc(f.rsplit(".", 1)[-1])}</a>' for f in files)
        status = str(row.get("status", ""))
        share = row.get("share_supported")
        cells = [
            f"<td>{main}</td>",
            f'<td><span class="badge {_STATUS_BADGE.get(status, "b-partial")}">{esc(status)}</span>'
            + (f" {esc(row['error'])}" if row.get("error") else "")
            + "</td>",
            *(f'<td class="n">{_blank(row.get(v))}</td>' for v in ("sentences", *counted)),
            f'<td class="n">{f"{share:.0%}" if isinstance(share, int | float) else ""}</td>',
            f"<td>{links}</td>",
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(
        f"<th>{v}</th>" for v in ["comparison", "status", "sentences", *counted, "share supported", "reports"]
    )
    ok = sum(1 for r in rows if r.get("status") == "ok")
    failed = sum(1 for r in rows if r.get("status") == "failed")
    pending = len(rows) - ok - failed  # a batch still running (or stopped): not compared yet
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
        f'<header><h1>{esc(title)}</h1><p class="meta">{len(rows)} comparisons, {ok} compared, '
        f"{failed} failed{f', {pending} not yet compared' if pending else ''}.</p></header>"
        f"<main><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></main>"
        "</body></html>\n"
    )
