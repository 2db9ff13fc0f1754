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
