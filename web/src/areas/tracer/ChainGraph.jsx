// The chain of transmission as an SVG drawn here (no library): the case on the left, each hop
// a column to the right, an edge from the person through whom each contact was exposed. Nodes
// are laid out as a tidy tree (a parent midway along its children) so edges run mostly level. Where and when are on each edge's
// tooltip, beside the edge in small graphs, and in the details of the chosen person.
// Keyboard: one tab stop; arrows move (up/down in a column, left to the parent, right to the
// first child), and the chosen person's details are announced politely.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';

export const GRAPH_CAP = 300;
const COL = 300, ROWH = 30, PAD = 24, R = 8, LABEL_W = 190;
const LABELS_UP_TO = 30;

export function layout(all, shownIds, rootId, cap = GRAPH_CAP) {
  const byId = new Map(all.map((r) => [r.id, r]));
  // The shown rows and every ancestor on their chains, capped (by hop, then earliest).
  const pick = new Set();
  const wanted = all.filter((r) => shownIds.has(r.id)).sort((a, b) => a.hop - b.hop || a.firstMs - b.firstMs);
  for (const r of wanted) {
    if (pick.size >= cap) break;
    let x = r;
    const chain = [];
    while (x && !pick.has(x.id)) { chain.push(x.id); x = x.via != null && x.via !== rootId ? byId.get(x.via) : null; }
    if (pick.size + chain.length > cap) continue;
    chain.forEach((id) => pick.add(id));
  }
  const maxHop = Math.max(0, ...[...pick].map((id) => byId.get(id).hop));
  // A tidy tree: leaves take the next row in turn, a parent sits midway along its children.
  const parentOf = (id) => { const v = byId.get(id).via; return v != null && pick.has(v) ? v : rootId; };
  const kids = new Map();
  for (const id of [...pick].sort((a, b) => byId.get(a).firstMs - byId.get(b).firstMs || a - b)) {
    const p = parentOf(id);
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p).push(id);
  }
  const pos = new Map();
  let next = 0;
  const place = (id, col) => {
    const ks = kids.get(id) || [];
    ks.forEach((k) => place(k, byId.get(k).hop));
    const y = ks.length ? (pos.get(ks[0]).yRow + pos.get(ks[ks.length - 1]).yRow) / 2 : next++;
    pos.set(id, { x: PAD + R + col * COL, y: PAD + R + y * ROWH, yRow: y, col });
  };
  place(rootId, 0);
  const columns = Array.from({ length: maxHop + 1 }, () => []);
  for (const [id, p] of pos) columns[p.col].push(id);
  columns.forEach((c) => c.sort((a, b) => pos.get(a).yRow - pos.get(b).yRow));
  columns.forEach((c) => c.forEach((id, i) => { pos.get(id).row = i; }));
  const edges = [...pick].map((id) => {
    const from = parentOf(id);
    return { from, to: id, a: pos.get(from), b: pos.get(id) };
  });
  const rows = Math.max(1, next);
  return { columns, pos, edges, width: PAD * 2 + maxHop * COL + LABEL_W + 20, height: PAD * 2 + rows * ROWH, count: pick.size, byId, parentOf };
}
const trim = (s, n = 24) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

export function ChainGraph({ all, shown, rootId, rootName, nameOf, venueOf }) {
  const t = useT();
  const svg = useRef(null);
  const shownIds = useMemo(() => new Set(shown.map((r) => r.id)), [shown]);
  const g = useMemo(() => layout(all, shownIds, rootId), [all, shownIds, rootId]);
  const [sel, setSel] = useState(rootId);
  const selected = g.pos.has(sel) ? sel : rootId;
  const box = useRef(null);
  // The case sits midway down its tree: bring it into view when the graph opens.
  useEffect(() => {
    const p = g.pos.get(rootId);
    if (box.current && p) box.current.scrollTop = Math.max(0, p.y - box.current.clientHeight / 2);
  }, [g]);

  const label = (id) => (id === rootId ? rootName || t('tracer.theCase') : nameOf({ id }) || t('tracer.person', { id }));
  const where = (r) => r.exposures.map((e) => t('tracer.graph.exposure', { place: venueOf(e.venue_id), when: fmtDateTime(e.start, { dateStyle: 'medium', timeStyle: 'short' }), n: fmtNumber(e.minutes) })).join('; ');

  const move = (e) => {
    const id = Number(e.target.closest?.('[data-id]')?.dataset.id);
    if (!id && id !== 0) return;
    const p = g.pos.get(id);
    if (!p) return;
    let to = null;
    if (e.key === 'ArrowDown') to = g.columns[p.col][p.row + 1];
    else if (e.key === 'ArrowUp') to = g.columns[p.col][p.row - 1];
    else if (e.key === 'ArrowLeft') to = id === rootId ? null : g.parentOf(id);
    else if (e.key === 'ArrowRight') to = g.edges.filter((x) => x.from === id).sort((a, b) => a.b.y - b.b.y)[0]?.to;
    else if (e.key === 'Home') to = g.columns[p.col][0];
    else if (e.key === 'End') to = g.columns[p.col][g.columns[p.col].length - 1];
    else return;
    e.preventDefault();
    if (to == null) return;
    setSel(to);
    requestAnimationFrame(() => svg.current?.querySelector(`[data-id="${to}"]`)?.focus());
  };

  const r = selected === rootId ? null : g.byId.get(selected);
  return (
    <div class="graph">
      {g.count < shown.length && <p class="muted">{t('tracer.graph.capped', { n: fmtNumber(g.count), total: fmtNumber(shown.length) })}</p>}
      <p class="hint" id="graph-help">{t('tracer.graph.help')}</p>
      <div class="graph-scroll" ref={box} data-testid="chain-graph" tabIndex={0} role="region" aria-label={t('tracer.tab.graph')}>
        <svg ref={svg} width={g.width} height={g.height} viewBox={`0 0 ${g.width} ${g.height}`} role="group"
          aria-label={t('tracer.graph.label', { n: fmtNumber(g.count) })} aria-describedby="graph-help" onKeyDown={move}>
          <g class="edges" aria-hidden="true">
            {g.edges.map((e) => {
              const mx = (e.a.x + e.b.x) / 2;
              const lx = (e.a.x + LABEL_W + e.b.x) / 2;
              const c = g.byId.get(e.to);
              return (
                <g key={`${e.from}-${e.to}`}>
                  <path d={`M${e.a.x + LABEL_W},${e.a.y} C${mx + LABEL_W / 2},${e.a.y} ${mx + LABEL_W / 2},${e.b.y} ${e.b.x - R},${e.b.y}`} class={`edge hop-${c.hop}`}>
                    <title>{`${label(e.from)} → ${label(e.to)}: ${where(c)}`}</title>
                  </path>
                  {g.count <= LABELS_UP_TO && c.exposures[0] && (
                    <text x={lx} y={e.b.y - 6} class="edge-label" text-anchor="middle">
                      {trim(`${venueOf(c.exposures[0].venue_id)}, ${fmtDateTime(c.exposures[0].start, { dateStyle: 'short' })}`, 30)}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
          {[...g.pos.entries()].map(([id, p]) => {
            const c = g.byId.get(id);
            const hop = id === rootId ? 0 : c.hop;
            const name = label(id);
            return (
              <g key={id} data-id={id} transform={`translate(${p.x},${p.y})`} tabIndex={id === selected ? 0 : -1} role="button"
                aria-pressed={id === selected ? 'true' : 'false'} class={`node hop-${hop} ${id === selected ? 'selected' : ''}`}
                aria-label={id === rootId ? t('tracer.graph.caseNode', { name }) : t('tracer.graph.node', { name, hop: fmtNumber(hop), via: label(c.via ?? rootId) })}
                onClick={() => setSel(id)} onFocus={() => setSel(id)}>
                <circle r={id === rootId ? R + 3 : R} />
                <text x={R + 6} y={4}>{trim(name)}</text>
              </g>
            );
          })}
        </svg>
      </div>
      <div class="card graph-details" aria-live="polite" data-testid="graph-details">
        {r ? (
          <>
            <h3>{label(r.id)}</h3>
            <p>{t('tracer.graph.detail', { hop: fmtNumber(r.hop), via: label(r.via ?? rootId) })}</p>
            <ul>{r.exposures.map((e, i) => (
              <li key={i}>{t('tracer.graph.exposure', { place: venueOf(e.venue_id), when: `${fmtDateTime(e.start, { dateStyle: 'medium', timeStyle: 'short' })}–${fmtDateTime(e.end, { timeStyle: 'short' })}`, n: fmtNumber(e.minutes) })}</li>
            ))}</ul>
          </>
        ) : (
          <><h3>{label(rootId)}</h3><p>{t('tracer.graph.rootDetail', { n: fmtNumber(all.length) })}</p></>
        )}
      </div>
    </div>
  );
}
