// The follow-up board of a commune's tracers (GET /line-lists/contacts): contacts under
// follow-up with today's check, filtered by status, risk, case and "assigned to me"; a daily
// check recorded for one (POST /contacts/{id}/checks, its earlier checks listed); each contact's
// tracer by name (GET /tracers: the unit's tracers, whom contacts can go to); and one action
// (completed, lost, resume, assign to a tracer) on the ticked contacts or on every contact the
// filter selects (POST /contacts/bulk).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { Link } from '../../app/router.js';
import { useT, fmtDateTime, fmtDate, fmtNumber } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, Notice, useLoad, Pager } from '../../ui/ui.jsx';
import { CONTACT_STATUSES, RISKS, useUnitZones, clean, say } from './data.js';
import '../../styles/staff.css';

const PAGE = 50;
const DAY = { dateStyle: 'medium' };
const EMPTY = { status: 'under_follow_up', risk: '', case_id: '', mine: false };
const CHECK_LABELS = { temperature_celsius: 'outbreak.check.temperature', symptoms: 'outbreak.check.symptoms' };

function Today({ value }) {
  const t = useT();
  if (value === 'answered') return <span class="check-answered">✓ {t('outbreak.today.answered')}</span>;
  if (value === 'missed') return <span class="check-missed">✗ {t('outbreak.today.missed')}</span>;
  return <span class="check-due">○ {t('outbreak.today.due')}</span>;
}

function CheckForm({ contact, tz, onDone, onClose }) {
  const t = useT();
  const [symptoms, setSymptoms] = useState('');
  const [temp, setTemp] = useState('');
  const [errs, setErrs] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const checks = useLoad(() => api(`/contacts/${contact.id}/checks`), [contact.id]);
  const heading = useRef(null);
  useEffect(() => heading.current?.focus(), [contact.id]); // once, when the form opens

  const submit = async (e) => {
    e.preventDefault();
    const body = {};
    if (symptoms.trim()) body.symptoms = symptoms.trim();
    if (temp.trim()) {
      const n = Number(temp.replace(',', '.'));
      if (!Number.isFinite(n)) return setErrs({ temperature_celsius: () => t('outbreak.check.badTemp') });
      body.temperature_celsius = n;
    }
    setErrs({});
    setBusy(true);
    setError(null);
    try {
      await api(`/contacts/${contact.id}/checks`, { method: 'POST', body });
      onDone();
    } catch (x) {
      if (x.field === 'temperature_celsius' || x.field === 'symptoms') setErrs({ [x.field]: () => t('outbreak.refused') });
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="check-h" data-testid="check-form">
      <h2 id="check-h" tabIndex={-1} ref={heading}>{t('outbreak.check.title', { name: contact.full_name || t('outbreak.personN', { id: contact.person_id }) })}</h2>
      <form onSubmit={submit} noValidate>
        <Field id="chk-symptoms" label={t('outbreak.check.symptoms')} hint={t('outbreak.check.symptomsHint')} error={say(errs.symptoms)}>
          {(a) => <input {...a} type="text" maxLength={500} value={symptoms} onInput={(e) => setSymptoms(e.currentTarget.value)} />}
        </Field>
        <Field id="chk-temp" label={t('outbreak.check.temperature')} hint={t('outbreak.check.temperatureHint')} error={say(errs.temperature_celsius)}>
          {(a) => <input {...a} type="text" inputMode="decimal" value={temp} onInput={(e) => setTemp(e.currentTarget.value)} />}
        </Field>
        <ErrorNotice error={error}>
          {CHECK_LABELS[error?.field] && <p data-testid="refused-field">{t('outbreak.fieldNamed', { field: t(CHECK_LABELS[error.field]) })}</p>}
        </ErrorNotice>
        <div class="row">
          <button type="submit" class="btn" disabled={busy}>{t('outbreak.check.save')}</button>
          <button type="button" class="btn btn-secondary" onClick={onClose}>{t('outbreak.check.close')}</button>
        </div>
      </form>
      <h3>{t('outbreak.check.earlier')}</h3>
      <ErrorNotice error={checks.error} />
      {checks.data && checks.data.items.length === 0 && <p class="muted">{t('outbreak.check.none')}</p>}
      {checks.data && checks.data.items.length > 0 && (
        <ul class="plain" data-testid="checks">
          {checks.data.items.map((c) => (
            <li key={c.id}>
              {fmtDate(`${c.day}T12:00:00Z`)}: <Today value={c.status} />
              {c.temperature_celsius != null && ` · ${fmtNumber(c.temperature_celsius)} °C`}
              {c.symptoms && ` · ${c.symptoms}`}
              {c.answered_at && <span class="muted"> · {c.by_citizen ? t('outbreak.check.byCitizen') : t('outbreak.check.byTracer')}, {fmtDateTime(c.answered_at, { timeStyle: 'short', timeZone: tz })}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default function FollowUp({ user }) {
  const t = useT();
  const [form, setForm] = useState(EMPTY);
  const [filter, setFilter] = useState(EMPTY);
  const [offset, setOffset] = useState(0);
  const [picked, setPicked] = useState(new Set());
  const [open, setOpen] = useState(null);
  const [bulk, setBulk] = useState({ action: 'completed', scope: 'picked', tracer: '' });
  const [bulkDone, setBulkDone] = useState(null);
  const [bulkError, setBulkError] = useState(null);
  const [n, setN] = useState(0);
  const query = clean({ status: filter.status, risk: filter.risk, case_id: filter.case_id, assigned_to: filter.mine ? user.user_id : '' });
  const key = JSON.stringify(query);
  const { data, error, loading } = useLoad(() => api('/line-lists/contacts', { query: { ...query, limit: PAGE, offset } }), [key, offset, n]);
  const items = data?.items || [];
  // A reader who may not assign (no manage_contacts) sees ids only and no assign action.
  const tracers = useLoad(() => api('/tracers').catch(() => ({ items: [] })), []);
  const tracerList = tracers.data?.items || [];
  const tracerName = new Map(tracerList.map((u) => [u.user_id, u.username]));
  const zones = useUnitZones(items.map((c) => c.org_unit_id));
  const zoneOf = (c) => zones[c.org_unit_id];
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });
  const apply = (e) => {
    e.preventDefault();
    setOffset(0);
    setPicked(new Set());
    setBulkDone(null);
    setFilter(form);
  };
  const toggle = (id) => {
    const s = new Set(picked);
    s.has(id) ? s.delete(id) : s.add(id);
    setPicked(s);
  };
  const runBulk = async (e) => {
    e.preventDefault();
    setBulkDone(null);
    setBulkError(null);
    const body = { action: bulk.action };
    if (bulk.action === 'assign') body.assign_to = Number(bulk.tracer);
    if (bulk.scope === 'picked') body.ids = [...picked];
    else body.filter = query;
    try {
      const r = await api('/contacts/bulk', { method: 'POST', body });
      setBulkDone(r.changed);
      setPicked(new Set());
      setN((x) => x + 1);
    } catch (x) {
      setBulkError(x);
    }
  };
  const opened = items.find((c) => c.id === open);

  return (
    <Page title={t('outbreak.follow.title')} wide>
      <form class="card filters" onSubmit={apply} aria-label={t('outbreak.follow.filters')}>
        <Field id="fu-status" label={t('outbreak.follow.status')}>
          <select id="fu-status" value={form.status} onChange={set('status')}>
            <option value="">{t('outbreak.filter.any')}</option>
            {CONTACT_STATUSES.map((s) => <option key={s} value={s}>{t(`outbreak.status.${s}`)}</option>)}
          </select>
        </Field>
        <Field id="fu-risk" label={t('outbreak.follow.risk')}>
          <select id="fu-risk" value={form.risk} onChange={set('risk')}>
            <option value="">{t('outbreak.filter.any')}</option>
            {RISKS.map((s) => <option key={s} value={s}>{t(`outbreak.risk.${s}`)}</option>)}
          </select>
        </Field>
        <Field id="fu-case" label={t('outbreak.follow.caseId')}>
          <input id="fu-case" type="text" inputMode="numeric" value={form.case_id} onInput={set('case_id')} />
        </Field>
        <label class="check"><input type="checkbox" checked={form.mine} onChange={set('mine')} /> {t('outbreak.follow.mine')}</label>
        <div class="filters-actions"><button type="submit" class="btn">{t('outbreak.filter.apply')}</button></div>
      </form>
      <ErrorNotice error={error} />
      {loading && !data && <Loading />}
      {bulkDone != null && <Notice kind="ok"><span data-testid="bulk-done">{t('outbreak.bulk.done', { n: fmtNumber(bulkDone) })}</span></Notice>}
      {data && <p data-testid="contacts-total">{t('outbreak.follow.total', { n: fmtNumber(data.total), day: fmtDate(`${data.day}T12:00:00Z`) })}</p>}
      {data && items.length === 0 && <Notice>{t('outbreak.follow.none')}</Notice>}
      {opened && <CheckForm key={opened.id} contact={opened} tz={zoneOf(opened)} onClose={() => setOpen(null)} onDone={() => { setOpen(null); setN((x) => x + 1); }} />}
      {items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="fu-caption">
          <table data-testid="follow-up">
            <caption id="fu-caption" class="visually-hidden">{t('outbreak.follow.title')}</caption>
            <thead>
              <tr>
                <th scope="col"><span class="visually-hidden">{t('outbreak.follow.pick')}</span></th>
                <th scope="col">{t('outbreak.follow.contact')}</th><th scope="col">{t('outbreak.follow.case')}</th>
                <th scope="col">{t('outbreak.follow.risk')}</th><th scope="col">{t('outbreak.follow.lastExposure')}</th>
                <th scope="col">{t('outbreak.follow.until')}</th><th scope="col">{t('outbreak.follow.status')}</th>
                <th scope="col">{t('outbreak.follow.tracer')}</th>
                <th scope="col">{t('outbreak.follow.today')}</th><th scope="col"><span class="visually-hidden">{t('outbreak.follow.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => {
                const who = c.full_name || t('outbreak.personN', { id: c.person_id });
                return (
                  <tr key={c.id} data-contact-id={c.id} data-today={c.today || 'due'} data-status={c.status}>
                    <td><input type="checkbox" class="pick" checked={picked.has(c.id)} onChange={() => toggle(c.id)} aria-label={t('outbreak.follow.pickOne', { name: who })} /></td>
                    <td>{who}{c.phone && <span class="muted"> · {c.phone}</span>}</td>
                    <td><Link href={`/outbreak/cases/${c.case_id}`}>{t('outbreak.cases.caseN', { id: fmtNumber(c.case_id, { useGrouping: false }) })}</Link></td>
                    <td>{t(`outbreak.risk.${c.risk}`)}</td>
                    <td>{fmtDateTime(c.last_exposure, { dateStyle: 'medium', timeStyle: 'short', timeZone: zoneOf(c) })}</td>
                    <td>{fmtDateTime(c.follow_up_until, { ...DAY, timeZone: zoneOf(c) })}</td>
                    <td>
                      {t(`outbreak.status.${c.status}`)}
                      {c.converted_case_id && <> · <Link href={`/outbreak/cases/${c.converted_case_id}`}>{t('outbreak.cases.caseN', { id: fmtNumber(c.converted_case_id, { useGrouping: false }) })}</Link></>}
                    </td>
                    <td data-testid="tracer" class={tracerName.has(c.assigned_to) ? 'who-name' : undefined}>
                      {c.assigned_to == null ? t('outbreak.follow.unassigned') : tracerName.get(c.assigned_to) || t('outbreak.history.user', { id: c.assigned_to })}
                    </td>
                    <td><Today value={c.today} /></td>
                    <td>
                      {c.status === 'under_follow_up' && c.today !== 'answered' && (
                        <button type="button" class="btn btn-secondary" onClick={() => setOpen(c.id)} aria-label={t('outbreak.follow.recordFor', { name: who })}>{t('outbreak.follow.record')}</button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager offset={offset} page={PAGE} more={!!data && offset + PAGE < data.total} onOffset={setOffset} />
      {data && data.total > 0 && (
        <form class="card" onSubmit={runBulk} aria-labelledby="bulk-h" data-testid="bulk">
          <h2 id="bulk-h">{t('outbreak.bulk.title')}</h2>
          <div class="filters">
            <Field id="bulk-action" label={t('outbreak.bulk.action')}>
              <select id="bulk-action" value={bulk.action} onChange={(e) => setBulk({ ...bulk, action: e.currentTarget.value })}>
                {['completed', 'lost', 'resume', ...(tracerList.length ? ['assign'] : [])].map((a) => <option key={a} value={a}>{t(`outbreak.bulk.${a}`)}</option>)}
              </select>
            </Field>
            {bulk.action === 'assign' && (
              <Field id="bulk-tracer" label={t('outbreak.bulk.tracer')}>
                <select id="bulk-tracer" value={bulk.tracer} onChange={(e) => setBulk({ ...bulk, tracer: e.currentTarget.value })} required>
                  <option value="">{t('outbreak.bulk.pickTracer')}</option>
                  {tracerList.map((u) => <option key={u.user_id} value={u.user_id} class="who-name">{u.username}</option>)}
                </select>
              </Field>
            )}
            <fieldset class="inline-choice">
              <legend>{t('outbreak.bulk.on')}</legend>
              <label class="check"><input type="radio" name="bulk-scope" checked={bulk.scope === 'picked'} onChange={() => setBulk({ ...bulk, scope: 'picked' })} /> {t('outbreak.bulk.picked', { n: fmtNumber(picked.size) })}</label>
              <label class="check"><input type="radio" name="bulk-scope" checked={bulk.scope === 'filter'} onChange={() => setBulk({ ...bulk, scope: 'filter' })} /> {t('outbreak.bulk.filtered', { n: fmtNumber(data.total) })}</label>
            </fieldset>
          </div>
          <ErrorNotice error={bulkError} />
          <button type="submit" class="btn" disabled={(bulk.scope === 'picked' && picked.size === 0) || (bulk.action === 'assign' && !bulk.tracer)}>{t('outbreak.bulk.apply')}</button>
        </form>
      )}
    </Page>
  );
}
