"""The page of ``reconcile serve`` that takes the texts: HTML, its style and its one script.

What the script does, all in the browser (the server validates everything again):

- keeps what was typed or pasted in the tab's sessionStorage, so that coming back to the page (the
  browser's Back button, the report's "New comparison" link, an error page's "Back to the form") finds it
  again; a chosen file cannot be kept by a page (browsers forbid it), so the page names it to choose again.
  "Clear" empties the form and what the tab kept. Nothing of it reaches the server before Compare.
- refuses to send an empty outlet, no source, a named source without text or a web address that is not
  one, with a message that says what to do, next to a focused field;
- shows that the comparison is running (the button disabled, the seconds counted) until the report comes;
- adds and removes source slots, and fills in the bundled sample when there is one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path

MAX_REQUEST_BYTES = 2_000_000  # all texts and files of one request together
MAX_SOURCES = 20

# The demo's sample lives in the repository, not in the package: a checkout or an editable install (make demo)
# has it, a wheel does not, and the page then shows no sample button rather than a copy that could drift.
_SAMPLE_DIR = Path(__file__).resolve().parent.parent / "samples" / "xi-trump-call-2025-01-17"


@dataclass(frozen=True)
class Sample:
    """An outlet and one source to fill the form with (the bundled sample)."""

    outlet_name: str
    outlet_text: str
    source_name: str
    source_speaker: str
    source_text: str

    def to_json(self) -> str:
        return json.dumps(
            {  # the shape the page's script keeps a form in
                "outlet": {"name": self.outlet_name, "text": self.outlet_text, "url": ""},
                "sources": [{"name": self.source_name, "speaker": self.source_speaker, "text": self.source_text}],
            },
            ensure_ascii=False,
        )


def bundled_sample(folder: Path = _SAMPLE_DIR) -> Sample | None:
    """The sample of ``make demo`` (samples/xi-trump-call-2025-01-17), or None where it is not installed."""
    try:
        outlet = (folder / "outlet-article.txt").read_text(encoding="utf-8")
        post = (folder / "truth-social-post.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return Sample("outlet-article", outlet, "Truth Social", "Donald Trump", post)


def size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


_FORM_CSS = """
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:#1d232b;background:#f6f7f9}.box{max-width:1100px;margin:0 auto;padding:18px 20px}
h1{font-size:1.35rem;margin:0 0 4px}h2{font-size:1.05rem;margin:0 0 8px}.meta{color:#5d6670;margin:0 0 14px}
fieldset{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:12px 16px;margin:0 0 14px}
legend{font-weight:600;padding:0 4px;display:flex;gap:10px;align-items:center}
label{display:block;font-size:.85rem;color:#5d6670;margin:6px 0 2px}
input[type=text],input[type=url]{width:100%;max-width:420px;padding:6px 8px;border:1px solid #c4cad2;border-radius:4px;
font:inherit}
textarea{width:100%;min-height:9em;padding:8px;border:1px solid #c4cad2;border-radius:4px;
font:15px/1.5 Georgia,"Times New Roman",serif;resize:vertical}
[aria-invalid=true]{border-color:#b3261e;outline:2px solid #b3261e}
.row{display:flex;gap:14px;flex-wrap:wrap}.row>div{flex:1;min-width:220px}
button{font:inherit;padding:7px 16px;border-radius:6px;border:1px solid #1f4fd1;background:#1f4fd1;color:#fff;
cursor:pointer}button:disabled{opacity:.6;cursor:progress}
button.light{background:#fff;color:#1f4fd1}button.small{padding:1px 10px;font-size:.85rem;font-weight:normal}
.actions{display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.err{color:#b3261e;font-weight:600}#busy{color:#3d4650}
"""

_FORM_JS = r"""
(()=>{
const LIMIT=%LIMIT%,MAX=%MAX%,KEY='reconcile-form';
const $=id=>document.getElementById(id);
const form=$('f'),list=$('sources'),msg=$('msg'),busy=$('busy'),go=$('go'),add=$('add');
form.noValidate=true;  // the page's own messages below, not the browser's bubbles
const slots=()=>[...list.querySelectorAll('fieldset.src')];
const prefix=f=>'src-'+f.dataset.slot;
let next=Math.max(...slots().map(f=>+f.dataset.slot))+1;
function renumber(){
  const all=slots();
  all.forEach((f,i)=>{
    f.querySelector('.title').textContent='Source '+(i+1);
    const r=f.querySelector('.remove');r.hidden=all.length<2;r.setAttribute('aria-label','Remove source '+(i+1));
  });
  add.disabled=all.length>=MAX;
}
function addSource(){
  const all=slots();if(all.length>=MAX)return null;
  const copy=all[all.length-1].cloneNode(true),n=next++;
  copy.dataset.slot=n;
  copy.querySelectorAll('[name],[for],[id]').forEach(e=>{
    for(const a of ['name','for','id'])
      if(e.hasAttribute(a))e.setAttribute(a,e.getAttribute(a).replace(/src-\d+-/,'src-'+n+'-'));
    if(e.name)e.value='';
    e.removeAttribute('aria-invalid');
  });
  list.appendChild(copy);renumber();return copy;
}
const field=(p,k)=>$(p+'-'+k);
const val=(p,k)=>{const e=field(p,k);return e?e.value:''};
function save(){
  const data={outlet:{name:val('outlet','name'),text:val('outlet','text'),url:val('outlet','url')},
    files:[...form.querySelectorAll('input[type=file]')].filter(e=>e.files.length).map(e=>e.files[0].name),
    sources:slots().map(f=>{const p=prefix(f);
      return {name:val(p,'name'),speaker:val(p,'speaker'),text:val(p,'text'),url:val(p,'url')}})};
  try{sessionStorage.setItem(KEY,JSON.stringify(data))}catch(e){}  // full or forbidden: the form still works
}
function put(p,k,v){const e=field(p,k);if(e&&v!==undefined)e.value=v}
function fill(data){
  put('outlet','name',data.outlet.name);put('outlet','text',data.outlet.text);put('outlet','url',data.outlet.url);
  while(slots().length>1)slots()[slots().length-1].remove();
  (data.sources.length?data.sources:[{}]).forEach((s,i)=>{
    const f=i?addSource():slots()[0];if(!f)return;const p=prefix(f);
    for(const k of ['name','speaker','text','url'])put(p,k,s[k]||'');
  });
  renumber();
}
function restore(){
  let data=null;try{data=JSON.parse(sessionStorage.getItem(KEY)||'null')}catch(e){}
  if(!data||!data.outlet)return;
  fill(data);
  if(data.files&&data.files.length)
    busy.textContent='Kept what you typed; choose the file'+(data.files.length>1?'s':'')+' again: '+
      data.files.join(', ')+' (a page cannot keep a chosen file).';
}
function idle(){go.disabled=false;go.textContent='Compare';clearInterval(window.reconcileTimer)}
function given(p){
  const t=field(p,'text'),f=field(p,'file'),u=field(p,'url');
  return [t&&t.value.trim()&&'pasted text',f&&f.files.length&&'a file',u&&u.value.trim()&&'a web address'].filter(x=>x);
}
function problem(){
  let bytes=0;  // first: however the form is filled in, this much would not be taken
  form.querySelectorAll('textarea,input[type=text],input[type=url]').forEach(e=>bytes+=new Blob([e.value]).size);
  form.querySelectorAll('input[type=file]').forEach(e=>{for(const f of e.files)bytes+=f.size});
  if(bytes>LIMIT)return ['These texts come to '+(bytes/1e6).toFixed(1)+' MB; the limit is '+(LIMIT/1e6).toFixed(1)+
    ' MB per comparison. Send shorter texts, or use reconcile compare.','outlet-text'];
  const labels=new Map([['outlet','The outlet']]);
  slots().forEach((f,i)=>labels.set(prefix(f),'Source '+(i+1)));
  if(!given('outlet').length)
    return ['The outlet is empty: paste the article\u2019s text, choose its file or give its web address.',
      'outlet-text'];
  let sources=0;
  for(const [p,label] of labels){
    const g=given(p);
    if(g.length>1)return [label+': '+g.join(' and ')+' were given; keep one of them and clear the other.',p+'-text'];
    if(p!=='outlet'){
      if(g.length)sources++;
      else if(val(p,'name').trim()||val(p,'speaker').trim())
        return [label+' has a name but no text: paste its text, choose its file or give its web address, '+
          'or remove it.',p+'-text'];
    }
    const u=val(p,'url').trim();
    if(u){let ok=false;try{ok=/^https?:$/.test(new URL(u).protocol)}catch(e){}
      if(!ok)return [label+': \u201c'+u+'\u201d is not a full web address; write it as https://\u2026',p+'-url'];}
  }
  if(!sources){const p=prefix(slots()[0]);
    return ['Add at least one source: paste the official text it rests on (a readout, a statement, a post) '+
      'under Source 1, choose its file or give its web address.',p+'-text'];}
  return null;
}
add.addEventListener('click',()=>{const c=addSource();if(c){c.querySelector('input').focus();save()}});
list.addEventListener('click',ev=>{
  const b=ev.target.closest('.remove');if(!b||slots().length<2)return;
  const f=b.closest('fieldset'),i=slots().indexOf(f);f.remove();renumber();save();
  const rest=slots();rest[Math.min(i,rest.length-1)].querySelector('input').focus();
});
const sample=$('sample');
if(sample)sample.addEventListener('click',()=>{
  fill(JSON.parse(sample.dataset.sample));save();msg.textContent='';
  busy.textContent='The sample is filled in: an article about the Xi\u2013Trump call and the Truth Social '+
    'post it reports. Press Compare.';
  go.focus();
});
$('clear').addEventListener('click',()=>{
  form.reset();fill({outlet:{name:'outlet',text:'',url:''},sources:[]});
  try{sessionStorage.removeItem(KEY)}catch(e){}
  msg.textContent='';busy.textContent='';$('outlet-text').focus();
});
form.addEventListener('input',ev=>{ev.target.removeAttribute('aria-invalid');save()});
form.addEventListener('change',save);
form.addEventListener('submit',ev=>{
  const p=problem();
  if(p){
    ev.preventDefault();msg.textContent=p[0];
    const e=$(p[1]);if(e){e.setAttribute('aria-invalid','true');e.focus()}
    return;
  }
  save();msg.textContent='';go.disabled=true;go.textContent='Comparing\u2026';
  const fetching=[...form.querySelectorAll('input[type=url]')].some(e=>e.value.trim());
  const start=Date.now(),say=()=>{busy.textContent='Comparing\u2026 '+Math.round((Date.now()-start)/1000)+
    ' s (this takes a few seconds'+(fetching?'; the web pages are fetched first':'')+')'};
  say();window.reconcileTimer=setInterval(say,1000);
});
// Back to a page the browser kept as it was left: not busy any more.
window.addEventListener('pageshow',()=>{idle();if(busy.textContent.startsWith('Comparing'))busy.textContent=''});
restore();renumber();
})();
"""


def page(title: str, body: str, script: str = "") -> str:
    """A page of the server, its one script (if any) allowed by its hash."""
    from .render.html import _csp_hash

    scripts = f"script-src {_csp_hash(script)}; " if script else ""
    csp = f"default-src 'none'; style-src 'unsafe-inline'; {scripts}form-action 'self'; base-uri 'none'"
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(csp, quote=True)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} \u2014 reconcile</title><style>{_FORM_CSS}</style></head><body>{body}"
        + (f"<script>{script}</script>" if script else "")
        + "</body></html>\n"
    )


def _text_or_file(field: str, what: str, *, urls: bool) -> str:
    url = (
        f'<label for="{field}-url">\u2026or give its web address (the page is fetched and its article read)</label>'
        f'<input type="url" id="{field}-url" name="{field}-url" placeholder="https://" maxlength="2000">'
    )
    return (
        f'<label for="{field}-text">{what}: paste the text</label>'
        f'<textarea id="{field}-text" name="{field}-text"></textarea>'
        f'<label for="{field}-file">\u2026or choose a file (.txt, .md, .html)</label>'
        f'<input type="file" id="{field}-file" name="{field}-file" accept=".txt,.md,.markdown,.html,.htm,text/*">'
        + (url if urls else "")
    )


def form_page(*, urls: bool = True, sample: Sample | None = None, token: str = "") -> str:
    """The page that takes the texts: the outlet, then one or more named sources (``urls``: with web address
    fields; ``sample``: with a button that fills it in; ``token``: the server's secret, sent back with the form)."""
    sample_button = (
        f'<button type="button" class="light" id="sample" data-sample="{escape(sample.to_json(), quote=True)}">'
        "Load the sample</button>"
        if sample
        else ""
    )
    body = (
        '<main class="box"><h1>reconcile</h1>'
        '<p class="meta">What does a news story say that the official record does not? Paste the article and the '
        "official texts it rests on; every sentence of the article is checked against them. Nothing is stored on "
        f"the server: the texts live only as long as this request (up to {size(MAX_REQUEST_BYTES)} in all); this "
        "browser tab keeps what you type until you clear it or close the tab.</p>"
        '<form id="f" method="post" action="/compare" enctype="multipart/form-data">'
        f'<input type="hidden" name="token" value="{escape(token, quote=True)}">'
        "<fieldset><legend>The outlet (the news article)</legend>"
        '<label for="outlet-name">Name</label>'
        '<input type="text" id="outlet-name" name="outlet-name" value="outlet" maxlength="200">'
        f"{_text_or_file('outlet', 'The article', urls=urls)}</fieldset>"
        '<div id="sources"><fieldset class="src" data-slot="0"><legend><span class="title">Source 1</span>'
        '<button type="button" class="light small remove" aria-label="Remove source 1" hidden>Remove</button>'
        '</legend><div class="row">'
        '<div><label for="src-0-name">Name (e.g. White House readout)</label>'
        '<input type="text" id="src-0-name" name="src-0-name" maxlength="200"></div>'
        '<div><label for="src-0-speaker">Speaker (optional: who speaks in it, for quotes)</label>'
        '<input type="text" id="src-0-speaker" name="src-0-speaker" maxlength="200"></div></div>'
        f"{_text_or_file('src-0', 'The source', urls=urls)}</fieldset></div>"
        '<p class="err" id="msg" role="alert"></p>'
        '<div class="actions"><button type="button" class="light" id="add">+ Add a source</button>'
        f'{sample_button}<button type="button" class="light" id="clear">Clear</button>'
        '<button type="submit" id="go">Compare</button><span id="busy" aria-live="polite"></span></div>'
        "</form></main>"
    )
    script = _FORM_JS.replace("%LIMIT%", str(MAX_REQUEST_BYTES)).replace("%MAX%", str(MAX_SOURCES))
    return page("Compare an article with its sources", body, script)
