// The tile map: one tile per district where it lies (tiles.js), each with its red, yellow and
// active-case counts in words and numbers, its communes as small squares inside (a square's
// shade is its active cases; its title and the tree below give the figures). A tile is a
// toggle button: it selects the district for the details beside the map.
import { useT, fmtNumber } from '../../i18n/index.js';
import { place } from './tiles.js';

export function level(n) {
  return !n ? 0 : n < 2 ? 1 : n < 5 ? 2 : 3;
}

export function TileMap({ tree, counts, selected, onSelect, mine }) {
  const t = useT();
  const grid = place(tree.districts);
  const codes = (id) => counts?.codes?.get(id);
  const cases = (id) => counts?.cases?.get(id) || 0;
  return (
    <div class="tilemap" style={{ gridTemplateColumns: `repeat(${grid.cols}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${grid.rows}, auto)` }} data-testid="tilemap">
      {grid.cells.map(({ unit: d, col, row }) => {
        const c = codes(d.id);
        const words = [
          c ? t('command.redN', { n: fmtNumber(c.red) }) : null,
          c ? t('command.yellowN', { n: fmtNumber(c.yellow) }) : null,
          t('command.casesN', { n: fmtNumber(cases(d.id)) }),
        ].filter(Boolean);
        return (
          <button type="button" key={d.id} class={`tile level-${level(cases(d.id))} ${selected === d.id ? 'selected' : ''} ${mine === d.id ? 'mine' : ''}`}
            style={{ gridColumn: col, gridRow: row }} aria-pressed={selected === d.id ? 'true' : 'false'} onClick={() => onSelect(selected === d.id ? null : d.id)}
            data-unit-id={d.id}>
            <span class="tile-name">{d.name}</span>
            <span class="tile-counts">
              {c && <span class="count-red"><span aria-hidden="true">■ </span>{t('command.redN', { n: fmtNumber(c.red) })}</span>}
              {c && <span class="count-yellow"><span aria-hidden="true">▲ </span>{t('command.yellowN', { n: fmtNumber(c.yellow) })}</span>}
              <span class="count-cases">{t('command.casesN', { n: fmtNumber(cases(d.id)) })}</span>
            </span>
            <span class="communes" aria-hidden="true">
              {(d.communes || []).map((cm) => <span key={cm.id} class={`commune level-${level(cases(cm.id))}`} title={`${cm.name}: ${t('command.casesN', { n: fmtNumber(cases(cm.id)) })}`} />)}
            </span>
            <span class="visually-hidden">{t('command.communesN', { n: fmtNumber((d.communes || []).length) })}</span>
          </button>
        );
      })}
    </div>
  );
}

/** The same figures as a tree: the province, its districts, each with its communes. */
export function UnitTree({ tree, counts, open, onToggle }) {
  const t = useT();
  const line = (u) => {
    const c = counts?.codes?.get(u.id);
    return [c && t('command.redN', { n: fmtNumber(c.red) }), c && t('command.yellowN', { n: fmtNumber(c.yellow) }), t('command.casesN', { n: fmtNumber(counts?.cases?.get(u.id) || 0) })].filter(Boolean).join(' · ');
  };
  return (
    <ul class="unit-tree" data-testid="unit-tree">
      <li>
        <strong>{tree.root?.name}</strong> <span class="muted">{line(tree.root || {})}</span>
        <ul>
          {tree.districts.map((d) => (
            <li key={d.id}>
              <details open={open === d.id} onToggle={(e) => { if (e.currentTarget.open !== (open === d.id)) onToggle(e.currentTarget.open ? d.id : null); }}>
                <summary><span class="tree-name">{d.name}</span> <span class="muted">{line(d)}</span></summary>
                <ul>{(d.communes || []).map((c) => <li key={c.id}>{c.name} <span class="muted">{line(c)}</span></li>)}</ul>
              </details>
            </li>
          ))}
        </ul>
      </li>
    </ul>
  );
}
