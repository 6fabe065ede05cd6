// The contact list as a virtualised table: a real <table> (caption, column headers, sortable
// columns with aria-sort, aria-rowcount/aria-rowindex so screen readers know the full size) of
// which only the rows in view, plus a few either side, are in the DOM. Rows have one fixed
// height, so the scroll position says which rows to draw; 5,000 rows scroll as cheaply as 50.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Link } from '../../app/router.js';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';

export const ROW_PX = 44;
const OVERSCAN = 8;
const SHORT = { dateStyle: 'medium', timeStyle: 'short' };

const COLUMNS = [
  { key: 'name', label: 'tracer.col.name', sort: 'name' },
  { key: 'hop', label: 'tracer.col.hop', sort: 'hop' },
  { key: 'via', label: 'tracer.col.via' },
  { key: 'places', label: 'tracer.col.places' },
  { key: 'first', label: 'tracer.col.first', sort: 'first' },
  { key: 'last', label: 'tracer.col.last', sort: 'last' },
  { key: 'minutes', label: 'tracer.col.minutes', sort: 'minutes' },
];

export function ContactTable({ rows, nameOf, venueOf, rootId, sort, dir, onSort, captionId }) {
  const t = useT();
  const box = useRef(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(ROW_PX * 12);
  const frame = useRef(0);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || ROW_PX * 12);
    measure();
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(measure) : null;
    ro?.observe(el);
    return () => ro?.disconnect();
  }, []);
  // A shorter list (a filter) must not leave the view scrolled past its end.
  useEffect(() => { if (box.current && box.current.scrollTop > rows.length * ROW_PX) box.current.scrollTop = 0; }, [rows.length]);

  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      setTop(box.current?.scrollTop || 0);
    });
  };
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const first = Math.max(0, Math.floor(top / ROW_PX) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((top + height) / ROW_PX) + OVERSCAN);
  const slice = rows.slice(first, last);
  const cols = COLUMNS.length;

  const header = (c) => {
    const active = c.sort && sort === c.sort;
    const ariaSort = active ? (dir > 0 ? 'ascending' : 'descending') : c.sort ? 'none' : undefined;
    return (
      <th scope="col" key={c.key} class={`col-${c.key}`} aria-sort={ariaSort}>
        {c.sort ? (
          <button type="button" class="sort" onClick={() => onSort(c.sort)}>
            {t(c.label)}<span aria-hidden="true">{active ? (dir > 0 ? ' ▲' : ' ▼') : ''}</span>
          </button>
        ) : t(c.label)}
      </th>
    );
  };

  return (
    <div class="vt" ref={box} onScroll={onScroll} tabIndex={0} role="region" aria-labelledby={captionId} data-testid="contact-table">
      <table class="vt-table" aria-rowcount={rows.length + 1}>
        <caption id={captionId} class="visually-hidden">{t('tracer.table.caption', { n: fmtNumber(rows.length) })}</caption>
        <thead><tr aria-rowindex={1}>{COLUMNS.map(header)}</tr></thead>
        <tbody>
          {first > 0 && <tr class="vt-pad" aria-hidden="true" style={{ height: `${first * ROW_PX}px` }}><td colSpan={cols} /></tr>}
          {slice.map((r, i) => (
            <tr key={r.id} aria-rowindex={first + i + 2} data-person-id={r.id}>
              <td class="col-name"><Link href={`/people/${r.id}/contacts`} title={nameOf(r) || ''}>{nameOf(r) || t('tracer.person', { id: r.id })}</Link></td>
              <td class="col-hop"><span class={`hop hop-${r.hop}`}>{fmtNumber(r.hop)}</span></td>
              <td class="col-via">{r.via == null ? '' : r.via === rootId ? t('tracer.theCase') : nameOf({ id: r.via }) || t('tracer.person', { id: r.via })}</td>
              <td class="col-places">{r.venueIds.map(venueOf).join(', ')}</td>
              <td class="col-first">{r.first ? fmtDateTime(r.first, SHORT) : ''}</td>
              <td class="col-last">{r.last ? fmtDateTime(r.last, SHORT) : ''}</td>
              <td class="col-minutes">{fmtNumber(r.minutes)}</td>
            </tr>
          ))}
          {last < rows.length && <tr class="vt-pad" aria-hidden="true" style={{ height: `${(rows.length - last) * ROW_PX}px` }}><td colSpan={cols} /></tr>}
        </tbody>
      </table>
    </div>
  );
}
