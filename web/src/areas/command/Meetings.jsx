// Meetings (docs/command.md, "Meetings"): convene a teleconference of my unit with units below
// it (POST /meetings), the meetings coming up that my unit convenes or takes part in, each with
// its time in my zone, its join link and its documents; the organising unit cancels with a
// reason. Each unit taking part gets an alert shortly before the start (the server's sweep).
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useStore } from '../../app/store.js';
import { useT, fmtDateTime, fmtNumber, timeZone } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, Notice, errorText, useLoad } from '../../ui/ui.jsx';
import { fromZonedLocal, toZonedLocal, rfc3339 } from '../../lib/zoned.js';
import { useUser, useMyUnit, useUnitNames, say, SHORT } from './desk.js';
import { UnitsField, useUnitChoice } from './UnitsField.jsx';
import { Documents } from '../documents/Documents.jsx';
import '../../styles/staff.css';

const LENGTHS = [15, 30, 45, 60, 90, 120, 180, 240];
const MANAGERS = ['admin', 'command_officer'];

function ScheduleForm({ units, onDone }) {
  const t = useT();
  const tz = useStore(timeZone);
  const [title, setTitle] = useState('');
  const [agenda, setAgenda] = useState('');
  const [start, setStart] = useState(() => toZonedLocal(Date.now() + 86400000, tz).slice(0, 11) + '09:00');
  const [minutes, setMinutes] = useState(60);
  const choice = useUnitChoice();
  const [errs, setErrs] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    const local = {};
    const out = { title: title.trim(), agenda, minutes: Number(minutes) };
    const at = fromZonedLocal(start, tz);
    if (!at) local.starts_at = () => t('command.badTime');
    else out.starts_at = rfc3339(at);
    choice.fill(t, out, local, 'units');
    setErrs(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setError(null);
    try {
      const m = await api('/meetings', { method: 'POST', body: out });
      setTitle('');
      setAgenda('');
      choice.clear();
      onDone(m);
    } catch (x) {
      if (x.field) setErrs({ [x.field === 'to_all' ? 'units' : x.field]: () => errorText(t, x) });
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} noValidate data-testid="meeting-form" aria-labelledby="meet-form-h">
      <h2 id="meet-form-h">{t('command.meet.schedule')}</h2>
      <Field id="meet-title" label={t('command.meet.titleField')} error={say(errs.title)}>
        {(a) => <input {...a} type="text" maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />}
      </Field>
      <Field id="meet-agenda" label={t('command.meet.agenda')} error={say(errs.agenda)}>
        {(a) => <textarea {...a} rows={3} value={agenda} onInput={(e) => setAgenda(e.currentTarget.value)} />}
      </Field>
      <div class="filters">
        <Field id="meet-start" label={t('command.meet.start')} hint={t('command.zone', { zone: tz })} error={say(errs.starts_at)}>
          {(a) => <input {...a} type="datetime-local" value={start} onInput={(e) => setStart(e.currentTarget.value)} />}
        </Field>
        <Field id="meet-minutes" label={t('command.meet.length')} error={say(errs.minutes)}>
          {(a) => (
            <select {...a} value={minutes} onChange={(e) => setMinutes(e.currentTarget.value)}>
              {LENGTHS.map((n) => <option key={n} value={n}>{t('command.meet.minutesN', { n: fmtNumber(n) })}</option>)}
            </select>
          )}
        </Field>
      </div>
      <UnitsField name="meet-to" units={units} choice={choice} error={say(errs.units)} />
      <p class="hint">{t('command.meet.remindHint')}</p>
      <ErrorNotice error={error} />
      <button type="submit" class="btn" disabled={busy}>{t('command.meet.send')}</button>
    </form>
  );
}

function CancelForm({ m, onDone }) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [err, setErr] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    if (!reason.trim()) return setErr(() => () => t('command.meet.reasonNeeded'));
    setErr(null);
    setBusy(true);
    try {
      onDone(await api(`/meetings/${m.id}/cancel`, { method: 'POST', body: { reason: reason.trim() } }));
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Field id={`meet-reason-${m.id}`} label={t('command.meet.reason')} error={err ? err() : null}>
        {(a) => <input {...a} type="text" maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
      </Field>
      <ErrorNotice error={error} />
      <button type="submit" class="btn btn-secondary" disabled={busy}>{t('command.meet.cancel')}</button>
    </form>
  );
}

function Item({ m, unitId, organiser, manager, onChanged }) {
  const t = useT();
  const mine = m.organiser_org_unit_id === unitId;
  const others = m.participants.filter((p) => !p.organiser && p.org_unit_id !== unitId).map((p) => p.name);
  const cancelled = m.status === 'cancelled';
  return (
    <li class="card" data-meeting-id={m.id} data-status={m.status}>
      <h3>{m.title}</h3>
      <p data-testid="meeting-when">{t('command.meet.when', { when: fmtDateTime(m.starts_at, { dateStyle: 'full', timeStyle: 'short' }), minutes: t('command.meet.minutesN', { n: fmtNumber(m.minutes) }) })}</p>
      <p class="muted">{t('command.meet.by', { unit: organiser || '' })}</p>
      {others.length > 0 && <p class="muted">{t('command.meet.units', { names: others.join(', ') })}</p>}
      {m.agenda && <p class="pre">{m.agenda}</p>}
      {cancelled ? (
        <Notice kind="warn"><p data-testid="meeting-cancelled">{t('command.meet.cancelled', { reason: m.cancel_reason })}</p></Notice>
      ) : (
        <p><a class="btn" href={m.join_url} target="_blank" rel="noopener noreferrer" data-testid="join">{t('command.meet.join')}</a></p>
      )}
      <Documents subject="meeting" id={m.id} canAttach={manager && !cancelled} />
      {mine && manager && !cancelled && <CancelForm m={m} onDone={onChanged} />}
    </li>
  );
}

export default function Meetings() {
  const t = useT();
  const tz = useStore(timeZone);
  const user = useUser();
  const mine = useMyUnit(user);
  const list = useLoad(() => api('/meetings', { query: { limit: 200 } }));
  const [made, setMade] = useState(null);
  const items = list.data?.items || [];
  const names = useUnitNames(items.map((m) => m.organiser_org_unit_id));
  const manager = MANAGERS.includes(user?.role);
  const reload = (m) => {
    setMade(m && m.status === 'scheduled' ? m : null);
    list.reload();
  };

  return (
    <Page title={t('command.meet.title')} wide>
      <ErrorNotice error={mine.error || list.error} />
      {mine.data?.unit && <p class="muted">{t('command.myUnitZone', { name: mine.data.unit.name, zone: tz })}</p>}
      {manager && mine.data && (mine.data.children.length ? <ScheduleForm units={mine.data.children} onDone={reload} /> : <Notice><p>{t('command.meet.noneBelow')}</p></Notice>)}
      {made && <Notice kind="ok"><p data-testid="meeting-made">{t('command.meet.scheduled')}</p></Notice>}
      <section aria-labelledby="meet-list-h" data-testid="meetings">
        <h2 id="meet-list-h">{t('command.meet.upcoming')}</h2>
        {list.loading && !list.data && <Loading />}
        {list.data && !items.length && <p class="muted">{t('command.meet.none')}</p>}
        <ul class="plain">
          {items.map((m) => (
            <Item key={m.id} m={m} unitId={user?.org_unit_id} organiser={names.get(m.organiser_org_unit_id)} manager={manager} onChanged={reload} />
          ))}
        </ul>
      </section>
    </Page>
  );
}
