// One case's file: classification, dates in the case's unit's zone, place of isolation,
// outcome; the change form (POST /cases/{id}/update, times typed in that zone) and every change
// (GET /cases/{id}/history). Contacts and the chain are the tracer's case page (/cases/{id}).
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { Link } from '../../app/router.js';
import { useStore } from '../../app/store.js';
import { useT, fmtDateTime, fmtNumber, timeZone } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, Notice, useLoad } from '../../ui/ui.jsx';
import { fromZonedLocal, toZonedLocal, rfc3339 } from '../../lib/zoned.js';
import { CLASSES, OUTCOMES, useUnitZones, say } from './data.js';
import { ClassBadge } from './Cases.jsx';
import { Documents } from '../documents/Documents.jsx';
import '../../styles/staff.css';

const SHORT = { dateStyle: 'medium', timeStyle: 'short' };
const TIMES = ['onset_at', 'sample_at', 'isolated_at', 'outcome_at'];
const FIELDS = ['classification', ...TIMES, 'isolation_place', 'outcome', 'note'];

function formOf(c, tz) {
  const f = { classification: c.classification, isolation_place: c.isolation_place || '', outcome: c.outcome || '', note: '' };
  for (const k of TIMES) f[k] = c[k] ? toZonedLocal(c[k], tz) : '';
  return f;
}

function ChangeForm({ c, tz, onDone }) {
  const t = useT();
  const [f, setF] = useState(() => formOf(c, tz));
  const [errs, setErrs] = useState({});
  const [error, setError] = useState(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const before = formOf(c, tz);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });

  const submit = async (e) => {
    e.preventDefault();
    const body = {};
    const bad = {};
    for (const k of FIELDS) {
      if (f[k] === before[k]) continue;
      if (TIMES.includes(k)) {
        if (!f[k]) continue; // the API keeps a time once set
        const d = fromZonedLocal(f[k], tz);
        if (!d) bad[k] = () => t('outbreak.case.badTime');
        else body[k] = rfc3339(d);
      } else if (f[k] !== '') body[k] = f[k];
    }
    setErrs(bad);
    setDone(false);
    if (Object.keys(bad).length) return;
    if (!Object.keys(body).length || (Object.keys(body).length === 1 && body.note)) {
      setErrs({ form: () => t('outbreak.case.nothing') });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await api(`/cases/${c.id}/update`, { method: 'POST', body });
      setDone(true);
      setF(formOf(updated, tz));
      onDone(updated);
    } catch (x) {
      if (x.field && FIELDS.includes(x.field)) setErrs({ [x.field]: () => t('outbreak.refused') });
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="change-h" data-testid="case-change">
      <h2 id="change-h">{t('outbreak.case.change')}</h2>
      <p class="hint" id="zone-hint">{t('outbreak.case.zone', { zone: tz })}</p>
      <div class="filters">
        <Field id="c-classification" label={t('outbreak.case.classification')} error={say(errs.classification)}>
          {(a) => (
            <select {...a} value={f.classification} onChange={set('classification')}>
              {CLASSES.map((k) => <option key={k} value={k}>{t(`outbreak.class.${k}`)}</option>)}
            </select>
          )}
        </Field>
        <Field id="c-isolation_place" label={t('outbreak.case.isolation_place')} error={say(errs.isolation_place)}>
          {(a) => <input {...a} type="text" maxLength={200} value={f.isolation_place} onInput={set('isolation_place')} />}
        </Field>
        <Field id="c-outcome" label={t('outbreak.case.outcome')} error={say(errs.outcome)}>
          {(a) => (
            <select {...a} value={f.outcome} onChange={set('outcome')}>
              <option value="">{t('outbreak.outcome.none')}</option>
              {OUTCOMES.map((k) => <option key={k} value={k}>{t(`outbreak.outcome.${k}`)}</option>)}
            </select>
          )}
        </Field>
        {TIMES.map((k) => (
          <Field id={`c-${k}`} key={k} label={t(`outbreak.case.${k}`)} error={say(errs[k])}>
            {(a) => <input {...a} type="datetime-local" aria-describedby={[a['aria-describedby'], 'zone-hint'].filter(Boolean).join(' ')} value={f[k]} onInput={set(k)} />}
          </Field>
        ))}
      </div>
      <Field id="c-note" label={t('outbreak.case.note')} hint={t('outbreak.case.noteHint')} error={say(errs.note)}>
        {(a) => <textarea {...a} rows={2} maxLength={500} value={f.note} onInput={set('note')} />}
      </Field>
      {errs.form && <p class="error-text">{say(errs.form)}</p>}
      <ErrorNotice error={error}>
        {FIELDS.includes(error?.field) && <p data-testid="refused-field">{t('outbreak.fieldNamed', { field: t(`outbreak.case.${error.field}`) })}</p>}
      </ErrorNotice>
      {done && <Notice kind="ok">{t('outbreak.case.saved')}</Notice>}
      <button type="submit" class="btn" disabled={busy}>{t('outbreak.case.save')}</button>
    </form>
  );
}

/** One value of a history change, in the reader's words and the unit's zone. */
function Value({ field, v, tz }) {
  const t = useT();
  if (v == null || v === '') return <span class="muted">—</span>;
  if (field === 'classification' && CLASSES.includes(v)) return <>{t(`outbreak.class.${v}`)}</>;
  if (field === 'outcome' && OUTCOMES.includes(v)) return <>{t(`outbreak.outcome.${v}`)}</>;
  if (field.endsWith('_at') && (typeof v === 'number' || !Number.isNaN(Date.parse(v)))) return <>{fmtDateTime(v, { ...SHORT, timeZone: tz })}</>;
  return <>{String(v)}</>;
}

const ACTIONS = ['reported', 'updated', 'traced', 'untraced', 'released'];
const LABELLED = [...FIELDS, 'released_at'];

function History({ items, tz }) {
  const t = useT();
  if (!items.length) return <Notice>{t('outbreak.history.none')}</Notice>;
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="history-h">
      <table data-testid="case-history">
        <thead>
          <tr><th scope="col">{t('outbreak.history.when')}</th><th scope="col">{t('outbreak.history.who')}</th><th scope="col">{t('outbreak.history.what')}</th><th scope="col">{t('outbreak.history.changes')}</th></tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td>{fmtDateTime(e.at, { ...SHORT, timeZone: tz })}</td>
              <td data-testid="by" class={e.by_username ? 'who-name' : undefined}>{e.by_username || (e.by != null ? t('outbreak.history.user', { id: e.by }) : t('outbreak.history.system'))}</td>
              <td>{ACTIONS.includes(e.action) ? t(`outbreak.action.${e.action}`) : <span class="mono">{e.action}</span>}</td>
              <td>
                <ul class="plain">
                  {Object.entries(e.changes || {}).filter(([, pair]) => !(Array.isArray(pair) && pair[0] === pair[1])).map(([k, pair]) => (
                    <li key={k} data-field={k}>
                      {LABELLED.includes(k) ? t(`outbreak.case.${k}`) : <span class="mono">{k}</span>}:{' '}
                      {Array.isArray(pair) ? <><Value field={k} v={pair[0]} tz={tz} /> → <Value field={k} v={pair[1]} tz={tz} /></> : <Value field={k} v={pair} tz={tz} />}
                    </li>
                  ))}
                </ul>
                {e.note && <p class="muted">{t('outbreak.history.note', { note: e.note })}</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function Case({ params }) {
  const t = useT();
  const myZone = useStore(timeZone);
  const id = params.id;
  const kase = useLoad(() => api(`/cases/${id}`), [id]);
  const [updated, setUpdated] = useState(null);
  const c = updated?.id === Number(id) ? updated : kase.data;
  const person = useLoad(() => (c ? api(`/people/${c.person_id}`) : Promise.resolve(null)), [c?.person_id]);
  const history = useLoad(() => api(`/cases/${id}/history`), [id, updated]);
  const zones = useUnitZones(c ? [c.org_unit_id] : []);
  const tz = (c && zones[c.org_unit_id]) || null;
  const at = (v, none = '—') => (v ? fmtDateTime(v, { ...SHORT, timeZone: tz || myZone }) : none);
  const name = person.data?.full_name;
  const title = c ? t('outbreak.case.title', { id: fmtNumber(c.id, { useGrouping: false }), name: name || t('outbreak.personN', { id: c.person_id }) }) : t('outbreak.case.titleShort');

  return (
    <Page title={title} wide>
      <p class="row">
        <Link href="/outbreak/cases">{t('outbreak.case.back')}</Link>
        {c && <Link href={`/cases/${c.id}`} data-testid="tracer-link">{t('outbreak.case.contactsLink')}</Link>}
      </p>
      <ErrorNotice error={kase.error} />
      {kase.loading && !c && <Loading />}
      {c && (
        <dl class="facts card" data-testid="case-facts">
          <div><dt>{t('outbreak.case.classification')}</dt><dd data-testid="case-class"><ClassBadge value={c.classification} /></dd></div>
          <div><dt>{t('outbreak.case.traced')}</dt><dd>{c.traced ? t('outbreak.case.tracedYes') : t('outbreak.case.tracedNo')}</dd></div>
          <div><dt>{t('outbreak.case.reported')}</dt><dd>{at(c.reported_at)}</dd></div>
          <div><dt>{t('outbreak.case.onset_at')}</dt><dd data-testid="case-onset">{at(c.onset_at, t('outbreak.case.noOnset'))}</dd></div>
          <div><dt>{t('outbreak.case.sample_at')}</dt><dd>{at(c.sample_at)}</dd></div>
          <div><dt>{t('outbreak.case.isolated_at')}</dt><dd data-testid="case-isolated">{at(c.isolated_at, t('outbreak.case.notIsolated'))}</dd></div>
          <div><dt>{t('outbreak.case.isolation_place')}</dt><dd data-testid="case-place">{c.isolation_place || '—'}</dd></div>
          <div><dt>{t('outbreak.case.outcome')}</dt><dd>{c.outcome ? t('outbreak.case.outcomeAt', { outcome: t(`outbreak.outcome.${c.outcome}`), when: at(c.outcome_at) }) : t('outbreak.outcome.none')}</dd></div>
          <div><dt>{t('outbreak.case.contacts')}</dt><dd>{fmtNumber(c.contact_count)}</dd></div>
          <div><dt>{t('outbreak.case.zoneLabel')}</dt><dd data-testid="case-zone">{tz || '…'}</dd></div>
        </dl>
      )}
      {c && tz && <ChangeForm key={`${c.id}|${tz}`} c={c} tz={tz} onDone={setUpdated} />}
      {c && <div class="card"><Documents subject="case" id={c.id} canAttach level={2} /></div>}
      {c && (
        <section aria-labelledby="history-h">
          <h2 id="history-h">{t('outbreak.history.title')}</h2>
          <ErrorNotice error={history.error} />
          {history.loading && !history.data && <Loading />}
          {history.data && <History items={history.data.items} tz={tz || myZone} />}
        </section>
      )}
    </Page>
  );
}
