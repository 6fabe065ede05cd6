// The case line list (GET /line-lists/cases): cases under the reader's unit or one inside it,
// by classification and by report or onset period (local days of the reader's zone), paged;
// the server's CSV of the same filter (GET /line-lists/cases.csv). Each case opens its file.
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { Link } from '../../app/router.js';
import { useStore } from '../../app/store.js';
import { useT, fmtDateTime, fmtNumber, timeZone } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, Notice, useLoad, Pager } from '../../ui/ui.jsx';
import { CLASSES, OUTCOMES, useUnitZones, useUnitChoices, dayBound, downloadCsv, clean } from './data.js';
import '../../styles/staff.css';

const PAGE = 50;
const SHORT = { dateStyle: 'medium', timeStyle: 'short' };
const EMPTY = { org_unit_id: '', classification: '', outcome: '', period: 'reported', from: '', to: '' };

export function ClassBadge({ value }) {
  const t = useT();
  return <span class={`badge class-${value}`}>{t(`outbreak.class.${value}`)}</span>;
}

export default function Cases({ user }) {
  const t = useT();
  const tz = useStore(timeZone);
  const units = useUnitChoices(user);
  const [form, setForm] = useState(EMPTY);
  const [filter, setFilter] = useState(EMPTY);
  const [offset, setOffset] = useState(0);
  const [csvError, setCsvError] = useState(null);
  const query = clean({
    org_unit_id: filter.org_unit_id,
    classification: filter.classification,
    outcome: filter.outcome,
    [`${filter.period}_from`]: dayBound(filter.from, tz),
    [`${filter.period}_to`]: dayBound(filter.to, tz, true),
  });
  const key = JSON.stringify(query);
  const { data, error, loading } = useLoad(() => api('/line-lists/cases', { query: { ...query, limit: PAGE, offset } }), [key, offset]);
  const items = data?.items || [];
  const zones = useUnitZones(items.map((c) => c.org_unit_id));
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });
  const apply = (e) => {
    e.preventDefault();
    setOffset(0);
    setFilter(form);
  };
  const exportCsv = async () => {
    setCsvError(null);
    try {
      await downloadCsv('/line-lists/cases.csv', query, 'cases.csv');
    } catch (x) {
      setCsvError(x);
    }
  };
  const at = (v, c) => (v ? fmtDateTime(v, { ...SHORT, timeZone: zones[c.org_unit_id] || tz }) : '—');

  return (
    <Page title={t('outbreak.cases.title')} wide>
      <form class="card filters" onSubmit={apply} aria-label={t('outbreak.cases.filters')}>
        <Field id="f-unit" label={t('outbreak.filter.unit')}>
          <select id="f-unit" value={form.org_unit_id} onChange={set('org_unit_id')}>
            <option value="">{t('outbreak.filter.myArea')}</option>
            {units.slice(1).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
        </Field>
        <Field id="f-class" label={t('outbreak.case.classification')}>
          <select id="f-class" value={form.classification} onChange={set('classification')}>
            <option value="">{t('outbreak.filter.any')}</option>
            {CLASSES.map((c) => <option key={c} value={c}>{t(`outbreak.class.${c}`)}</option>)}
          </select>
        </Field>
        <Field id="f-outcome" label={t('outbreak.case.outcome')}>
          <select id="f-outcome" value={form.outcome} onChange={set('outcome')}>
            <option value="">{t('outbreak.filter.any')}</option>
            <option value="none">{t('outbreak.outcome.none')}</option>
            {OUTCOMES.map((c) => <option key={c} value={c}>{t(`outbreak.outcome.${c}`)}</option>)}
          </select>
        </Field>
        <Field id="f-period" label={t('outbreak.filter.period')}>
          <select id="f-period" value={form.period} onChange={set('period')}>
            <option value="reported">{t('outbreak.filter.byReport')}</option>
            <option value="onset">{t('outbreak.filter.byOnset')}</option>
          </select>
        </Field>
        <Field id="f-from" label={t('outbreak.filter.from')}>
          <input id="f-from" type="date" value={form.from} onInput={set('from')} />
        </Field>
        <Field id="f-to" label={t('outbreak.filter.to')}>
          <input id="f-to" type="date" value={form.to} onInput={set('to')} />
        </Field>
        <div class="filters-actions">
          <button type="submit" class="btn">{t('outbreak.filter.apply')}</button>
          <button type="button" class="btn btn-secondary" data-testid="cases-csv" onClick={exportCsv}>{t('outbreak.cases.csv')}</button>
        </div>
      </form>
      <ErrorNotice error={csvError} />
      <ErrorNotice error={error} />
      {loading && !data && <Loading />}
      {data && <p data-testid="cases-total">{t('outbreak.cases.total', { n: fmtNumber(data.total) })}</p>}
      {data && items.length === 0 && <Notice>{t('outbreak.cases.none')}</Notice>}
      {items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="ob-cases-caption">
          <table data-testid="ob-cases">
            <caption id="ob-cases-caption" class="visually-hidden">{t('outbreak.cases.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('outbreak.cases.case')}</th><th scope="col">{t('outbreak.cases.person')}</th>
                <th scope="col">{t('outbreak.case.classification')}</th><th scope="col">{t('outbreak.case.reported')}</th>
                <th scope="col">{t('outbreak.case.onset_at')}</th><th scope="col">{t('outbreak.case.isolation_place')}</th>
                <th scope="col">{t('outbreak.case.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} data-case-id={c.id} data-unit-id={c.org_unit_id}>
                  <td><Link href={`/outbreak/cases/${c.id}`}>{t('outbreak.cases.caseN', { id: fmtNumber(c.id, { useGrouping: false }) })}</Link></td>
                  <td>{c.full_name}</td>
                  <td><ClassBadge value={c.classification} /></td>
                  <td>{at(c.reported_at, c)}</td>
                  <td>{at(c.onset_at, c)}</td>
                  <td>{c.isolation_place || '—'}</td>
                  <td>{c.outcome ? t(`outbreak.outcome.${c.outcome}`) : t('outbreak.outcome.none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager offset={offset} page={PAGE} more={!!data && offset + PAGE < data.total} onOffset={setOffset} />
    </Page>
  );
}
