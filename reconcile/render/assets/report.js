(()=>{
// Builds the panel with textContent only, so report text is never parsed as HTML.
const D=JSON.parse(document.getElementById('reconcile-data').textContent);
const $$=(s,r=document)=>Array.from(r.querySelectorAll(s));
const panel=document.getElementById('panel'),side=document.getElementById('side');
const hint=Array.from(panel.childNodes,n=>n.cloneNode(true));
const narrow=matchMedia('(max-width:900px)');
const el=(tag,cls,text)=>{
  const e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e;
};
const letter=n=>String.fromCharCode(97+n);
const plural=(n,one,many)=>n+' '+(n===1?one:many);
let cur=-1;
function mark(k,a,b,cls){
  const hit=$$('#src-'+k+' .p').filter(p=>+p.dataset.a<b&&+p.dataset.b>a);
  hit.forEach(p=>cls.split(' ').forEach(c=>p.classList.add(c)));return hit;
}
function clear(){
  ['ev','ev1','cv','dq','qs'].forEach(c=>$$('#sources .p.'+c).forEach(p=>p.classList.remove(c)));
  $$('#sources .evm').forEach(m=>m.remove());
  $$('.s.sel,.s.use,tr.sel').forEach(s=>{s.classList.remove('sel','use');if(s.matches('.s'))s.setAttribute('aria-pressed','false')});
  cur=-1;
}
// Instant scrolling: a smooth scroll still running would fight the next one.
function show(node){if(node)node.scrollIntoView({block:'nearest'})}
function home(){if(panel.parentNode!==side)side.prepend(panel)}
// Beside the sentence on a wide screen (the sticky side column), right below it on a narrow one.
function place(node){if(narrow.matches&&node)node.after(panel);else home()}
function list(title,items,fill){
  if(!items.length)return;panel.appendChild(el('h3',null,title));const ul=el('ul');
  items.forEach((x,n)=>{const li=el('li');fill(li,x,n);ul.appendChild(li)});panel.appendChild(ul);
}
function select(i,fromOutlet){
  const s=D.s[i];if(!s)return;clear();cur=i;
  const node=document.getElementById('s-'+(i+1));
  if(node){node.classList.add('sel');node.setAttribute('aria-pressed','true')}
  let first=null;
  s.ev.forEach((e,n)=>{
    const h=mark(e[0],e[1],e[2],n?'ev':'ev ev1');
    if(h.length){const m=el('span','evm',letter(n));m.setAttribute('aria-hidden','true');h[0].before(m)}
    if(!first&&h.length)first=h[0];
  });
  s.con.forEach(c=>{if(c.k>=0)mark(c.k,c.a,c.b,'cv')});
  s.dq.forEach(d=>{if(d[0]>=0)mark(d[0],d[1],d[2],'dq')});
  panel.replaceChildren();
  const h=el('h2',null,'Sentence '+s.n+' ');h.appendChild(el('span','badge b-'+s.v,s.v));panel.appendChild(h);
  panel.appendChild(el('p',null,s.bk+' \u00b7 '+s.r));
  list('Problems',s.pr,(li,p)=>{li.append(el('span','sev-'+p[0],p[0]),' ',el('b',null,p[1]),': '+p[2])});
  list('Added words (no evidence)',s.add,(li,t)=>{li.appendChild(el('mark','add',t))});
  list('Evidence',s.ev,(li,e,n)=>{
    const b=el('button','evbtn');b.type='button';
    b.append(el('span','evm',letter(n)),' '+e[7]+' \u00b7 '+e[8]);
    b.title='show evidence '+letter(n)+' in its source';
    b.addEventListener('click',()=>show(mark(e[0],e[1],e[2],'ev')[0]));
    li.append(b,' ',el('span','evtext',e[6]));
  });
  list('Qualifiers of the source it drops',s.dq,(li,d)=>{li.textContent=D.src[d[0]]+': \u201c'+d[3]+'\u201d'});
  list('Notes',s.notes,(li,t)=>{li.textContent=t});
  list('Quotes in this sentence',s.q,(li,qi)=>{const q=D.q[qi];
    li.append(el('span','badge q-'+q.st,q.st.replace('_',' ')),' \u201c'+q.t+'\u201d \u2014 '+q.why)});
  if(!s.ev.length&&!s.con.length)panel.appendChild(el('p','hint','No evidence found in the sources.'));
  place(node);
  if(!fromOutlet)show(node);
  if(!narrow.matches)show(first);
  if(history.replaceState)history.replaceState(null,'','#s-'+(i+1));
}
function reset(){
  clear();home();panel.replaceChildren(...hint.map(n=>n.cloneNode(true)));
  if(history.replaceState)history.replaceState(null,'',location.pathname+location.search);
}
function row(r){if(r)r.classList.add('sel')}
function selectQuote(i,r){
  const q=D.q[i];if(!q)return;
  if(q.s>=0)select(q.s,false);else clear();
  row(r);
  if(q.k>=0){const h=mark(q.k,q.a,q.b,'qs');if(q.s<0||!narrow.matches)show(h[0])}
}
function selectOmission(i,r){
  const o=D.o[i];if(!o)return;reset();row(r);show(mark(o[0],o[1],o[2],'qs')[0]);
}
// A source passage: which outlet sentences rest on it.
function usersOf(p){
  const k=+p.closest('.src').dataset.k,a=+p.dataset.a,b=+p.dataset.b;
  return D.s.map((s,i)=>s.ev.some(e=>e[0]===k&&e[1]<b&&e[2]>a)?i:-1).filter(i=>i>=0);
}
// Passages that are evidence can be reached with Tab too (Enter or Space shows their sentences).
$$('#sources .p').forEach(p=>{if(p.textContent.trim()&&usersOf(p).length){p.tabIndex=0;p.setAttribute('role','button')}});
function selectPassage(p){
  const k=+p.closest('.src').dataset.k,users=usersOf(p);
  clear();home();p.classList.add('qs');
  users.forEach(i=>{const n=document.getElementById('s-'+(i+1));if(n)n.classList.add('use')});
  panel.replaceChildren(el('h2',null,'Passage of '+D.src[k]));
  panel.appendChild(el('p',null,users.length?'Evidence for '+plural(users.length,'outlet sentence','outlet sentences')
    +' (outlined in the outlet):':'No outlet sentence uses this passage as evidence.'));
  const ul=el('ul');
  users.forEach(i=>{
    const li=el('li'),b=el('button','evbtn','Sentence '+D.s[i].n);b.type='button';
    b.addEventListener('click',()=>select(i,false));li.append(b,' ',el('span','badge b-'+D.s[i].v,D.s[i].v));ul.appendChild(li);
  });
  if(users.length)panel.appendChild(ul);
  show(panel);
}
// j/k (and the arrow keys on a sentence): the next or previous finding, a sentence that is not supported or
// has a problem; with "only problems" on, one with an error or a check.
const only=document.getElementById('only-problems');
const urgent=s=>s.pr.some(p=>p[0]!=='context');
function step(d,from){
  const start=from>=0?from:cur;let i=start<0?(d>0?-1:D.s.length):start;
  for(i+=d;i>=0&&i<D.s.length;i+=d){
    const s=D.s[i];
    if(only&&only.checked?urgent(s):s.v!=='supported'||s.pr.length){select(i,false);const n=document.getElementById('s-'+(i+1));if(n)n.focus({preventScroll:true});return}
  }
}
function act(t){
  const r=t.closest('[data-s],[data-q],[data-o],#sources .p');if(!r)return false;
  if(r.matches('.p'))selectPassage(r);
  else if(r.dataset.s!=null){select(+r.dataset.s,r.classList.contains('s'));if(r.matches('tr'))row(r)}
  else if(r.dataset.q!=null)selectQuote(+r.dataset.q,r);else selectOmission(+r.dataset.o,r);
  return true;
}
// A triage link selects its sentence here, instead of only jumping to it.
document.addEventListener('click',ev=>{
  if(!ev.target.closest('button')&&act(ev.target)&&ev.target.closest('a[data-s]'))ev.preventDefault();
});
document.addEventListener('keydown',ev=>{
  if(ev.altKey||ev.ctrlKey||ev.metaKey)return;
  const t=ev.target,onS=t.matches&&t.matches('.s'),from=onS?+t.dataset.s:-1;
  if(t.matches&&(t.matches('input:not([type=checkbox]),textarea,select')||t.matches('button,a:not([data-s])')&&(ev.key==='Enter'||ev.key===' ')))return;
  let done=true;
  if(ev.key==='Escape')reset();
  else if(ev.key==='j'||onS&&(ev.key==='ArrowDown'||ev.key==='ArrowRight'))step(1,from);
  else if(ev.key==='k'||onS&&(ev.key==='ArrowUp'||ev.key==='ArrowLeft'))step(-1,from);
  else if(ev.key==='Enter'||ev.key===' ')done=t.matches&&t.matches('[data-s],[data-q],[data-o],#sources .p')&&act(t);
  else done=false;
  if(done)ev.preventDefault();
});
if(only)only.addEventListener('change',()=>document.body.classList.toggle('only-problems',only.checked));
// The triage list links to its sentences (#s-N, numbered from 1 as the report shows them): following one, by mouse or keyboard, selects it.
addEventListener('hashchange',()=>{const h=/^#s-(\d+)$/.exec(location.hash);if(h)select(+h[1]-1,false)});
narrow.addEventListener('change',()=>place(cur>=0?document.getElementById('s-'+(cur+1)):null));
const m=/^#s-(\d+)$/.exec(location.hash);if(m)select(+m[1]-1,false);
})();
