// A contact list three ways: a virtualised table, the chain as a graph, and (for a case) the
// co-travellers; filters by name and hop shared by all, and export of the shown list as CSV.
import { useMemo, useState } from 'preact/hooks';
import { Link } from '../../app/router.js';
import { useT, fmtNumber, timeZone } from '../../i18n/index.js';
import { useStore } from '../../app/store.js';
import { Field, Notice } from '../../ui/ui.jsx';
import { download } from '../../lib/csv.js';
import { ContactTable } from './ContactTable.jsx';
import { ChainGraph } from './ChainGraph.jsx';
import { Tabs } from './Tabs.jsx';
import { view, contactsCsv, usePeopleNames, useVenueNames } from './data.js';

export function ContactsView({ rows, rootId, rootName, coTravellers, fileName }) {
  const t = useT();
  const tz = useStore(timeZone);
  const [tab, setTab] = useState('table');
  const [q, setQ] = useState('');
  const [hop, setHop] = useState('all');
  const [sort, setSort] = useState({ key: 'hop', dir: 1 });

  // Look up only the people the answer left unnamed (the traced-now endpoint names nobody yet).
  const ids = useMemo(() => {
    const named = new Set(rows.filter((r) => r.name).map((r) => r.id));
    named.add(rootId);
    return [...new Set(rows.map((r) => r.id).concat(rows.map((r) => r.via)))].filter((id) => id != null && !named.has(id));
  }, [rows, rootId]);
  const names = usePeopleNames(ids);
  const venueIds = useMemo(() => [...new Set(rows.flatMap((r) => r.venueIds))], [rows]);
  const venues = useVenueNames(venueIds);
  const byId = useMemo(() => new Map(rows.map((r) => [r.id, r])), [rows]);
  const nameOf = (r) => (r.id === rootId ? rootName : null) || byId.get(r.id)?.name || names.get(r.id) || null;
  const venueOf = (id) => venues.get(id) || t('tracer.place', { id });

  const shown = useMemo(() => view(rows, { q, hop, sort: sort.key, dir: sort.dir }, nameOf), [rows, q, hop, sort, names.size, rootName]);
  const hops = [...new Set(rows.map((r) => r.hop))].sort();
  const onSort = (key) => setSort((s) => ({ key, dir: s.key === key ? -s.dir : 1 }));

  const exportCsv = () => download(fileName, contactsCsv(shown, { t, tz, nameOf, venueOf }));

  const tabs = [
    { key: 'table', label: t('tracer.tab.table') },
    { key: 'graph', label: t('tracer.tab.graph') },
    ...(coTravellers ? [{ key: 'travel', label: t('tracer.tab.travel', { n: fmtNumber(coTravellers.length) }) }] : []),
  ];

  return (
    <div class="contacts">
      <div class="filters">
        <Field id="contact-q" label={t('tracer.filter.name')}>
          <input id="contact-q" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} autocomplete="off" />
        </Field>
        <Field id="contact-hop" label={t('tracer.filter.hop')}>
          <select id="contact-hop" value={hop} onChange={(e) => setHop(e.currentTarget.value)}>
            <option value="all">{t('tracer.filter.allHops')}</option>
            {hops.map((h) => <option value={h} key={h}>{t('tracer.filter.hopN', { n: fmtNumber(h) })}</option>)}
          </select>
        </Field>
        <div class="filters-actions">
          <p class="count" role="status" data-testid="contact-count">{t('tracer.shown', { n: fmtNumber(shown.length), total: fmtNumber(rows.length) })}</p>
          <button type="button" class="btn btn-secondary" onClick={exportCsv} disabled={!shown.length} data-testid="export-csv">{t('tracer.export')}</button>
        </div>
      </div>
      <Tabs id="contacts" label={t('tracer.tab.label')} tabs={tabs} current={tab} onChange={setTab}>
        {tab === 'table' && (shown.length
          ? <ContactTable rows={shown} nameOf={nameOf} venueOf={venueOf} rootId={rootId} sort={sort.key} dir={sort.dir} onSort={onSort} captionId="contacts-caption" />
          : <Notice>{t('tracer.noContacts')}</Notice>)}
        {tab === 'graph' && <ChainGraph all={rows} shown={shown} rootId={rootId} rootName={rootName} nameOf={nameOf} venueOf={venueOf} />}
        {tab === 'travel' && <CoTravellers items={coTravellers} />}
      </Tabs>
    </div>
  );
}

function CoTravellers({ items }) {
  const t = useT();
  if (!items.length) return <Notice>{t('tracer.travel.none')}</Notice>;
  const reason = (r) => (['same_carriage', 'within_rows', 'seat_unknown'].includes(r) ? t(`tracer.travel.reason.${r}`) : r);
  return (
    <table>
      <caption class="visually-hidden">{t('tracer.tab.travel', { n: fmtNumber(items.length) })}</caption>
      <thead><tr><th scope="col">{t('tracer.col.name')}</th><th scope="col">{t('tracer.travel.trip')}</th><th scope="col">{t('tracer.travel.seat')}</th><th scope="col">{t('tracer.travel.caseSeat')}</th><th scope="col">{t('tracer.travel.why')}</th></tr></thead>
      <tbody>
        {items.map((c) => (
          <tr key={`${c.person_id}-${c.trip_id}`}>
            <td><Link href={`/people/${c.person_id}/contacts`}>{c.full_name || t('tracer.person', { id: c.person_id })}</Link></td>
            <td>{t('tracer.travel.tripN', { id: c.trip_id ?? c.trip?.id })}</td>
            <td>{typeof c.seat === 'object' ? c.seat?.text : c.seat}</td>
            <td>{typeof c.case_seat === 'object' ? c.case_seat?.text : c.case_seat}</td>
            <td>{reason(c.reason)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
