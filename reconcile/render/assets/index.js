(()=>{
// Sorts a table of the batch index (the summary, the coverage matrix) by the column whose header button
// is pressed; a second press reverses it. Empty cells (a comparison that failed has no figures) stay last.
document.querySelectorAll('table.index, table.sortable').forEach(table=>{
const body=table.tBodies[0];
const heads=Array.from(table.tHead.rows[0].cells);
heads.forEach((th,col)=>{
  const b=th.querySelector('button');if(!b)return;
  b.addEventListener('click',()=>{
    const up=th.getAttribute('aria-sort')!=='ascending';
    heads.forEach(h=>h.removeAttribute('aria-sort'));th.setAttribute('aria-sort',up?'ascending':'descending');
    const num=th.dataset.type==='num',key=r=>r.cells[col].dataset.v;
    const rows=Array.from(body.rows),full=rows.filter(r=>key(r)!==''),empty=rows.filter(r=>key(r)==='');
    full.sort((x,y)=>{const a=key(x),c=key(y);const d=num?a-c:a.localeCompare(c);return up?d:-d});
    body.append(...full,...empty);
  });
});
});
})();
