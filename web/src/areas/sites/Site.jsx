// One test site (admin, command officer): what it offers and where, a local day of the site
// (its unit's zone, whatever the desk's clock says), that day's slots as a table (the local
// start and end, capacity, free, booked and cancelled places, the slot's state in words) from
// GET /test-sites/{id}/slots?date=&tz=<the site's zone>, and a form to add slots for a day
// (POST /test-sites/{id}/slots: from start to end, every `minutes`, `capacity` places each;
// slots already there are kept). The server's refusal is said at the field it names.
import { useEffect, useState } from 'preact/hooks';
import { Link } from '../../app/router.js';
import { useT, fmtDateTime, fmtDay, fmtNumber } from '../../i18n/index.js';
import { Page, Field, Notice, ErrorNotice, Loading, useLoad, useInterval } from '../../ui/ui.jsx';
import { useUnitNames } from '../command/desk.js';
import { dayIn, addDays } from '../../lib/zoned.js';
import { SHORT, getSite, listSlots, addSlots, booked, slotState, kindsText, fieldMessage, say } from './data.js';
import '../../styles/staff.css';
import './sites.css';

const FIELDS = ['date', 'start', 'end', 'minutes', 'capacity'];
const DAY = { dateStyle: 'full' };
const TIME = { timeStyle: 'short' };

function AddSlots({ site, day, onAdded }) {
  const t = useT();
  const [f, setF] = useState({ date: day, start: '08:00', end: '12:00', minutes: '15', capacity: '10' });
  const [errs, setErrs] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(null);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  // The form's day follows the day shown above, until it is changed here.
  useEffect(() => setF((x) => ({ ...x, date: day })), [day]);

  const submit = async (e) => {
    e.preventDefault();
    setErrs({}); setError(null); setDone(null);
    // Empty boxes are said here; everything else (a time that is no time, the end before the
    // start, too many slots, numbers out of range) is the server's to say.
    const bad = {};
    for (const k of FIELDS) if (!String(f[k]).trim()) bad[k] = () => t('sites.err.required');
    for (const k of ['minutes', 'capacity']) if (!bad[k] && !/^\d+$/.test(f[k].trim())) bad[k] = () => t('sites.err.integer');
    if (Object.keys(bad).length) {
      setErrs(bad);
      document.getElementById(`as-${FIELDS.find((k) => bad[k])}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const r = await addSlots(site.id, { date: f.date, start: f.start, end: f.end, minutes: Number(f.minutes), capacity: Number(f.capacity) });
      const date = f.date;
      setDone(() => () => [t('sites.add.done', { n: fmtNumber(r.created), kept: fmtNumber(r.kept), day: fmtDay(date, DAY) }),
        r.past ? t('sites.add.past', { past: fmtNumber(r.past) }) : ''].filter(Boolean).join(' '));
      onAdded(date);
    } catch (x) {
      setError(x);
      if (FIELDS.includes(x.field)) {
        setErrs({ [x.field]: fieldMessage(t, x) });
        setTimeout(() => document.getElementById(`as-${x.field}`)?.focus(), 0);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card slot-form" onSubmit={submit} noValidate aria-labelledby="as-h" data-testid="add-slots">
      <h2 id="as-h">{t('sites.add.title')}</h2>
      <p class="hint" id="as-zone">{t('sites.add.hint', { zone: site.time_zone })}</p>
      <div class="filters">
        <Field id="as-date" label={t('sites.add.date')} error={say(errs.date)}>
          {(a) => <input {...a} type="date" aria-required="true" value={f.date} onInput={set('date')} />}
        </Field>
        <Field id="as-start" label={t('sites.add.start')} error={say(errs.start)}>
          {(a) => <input {...a} type="time" aria-required="true" aria-describedby={[a['aria-describedby'], 'as-zone'].filter(Boolean).join(' ')} value={f.start} onInput={set('start')} />}
        </Field>
        <Field id="as-end" label={t('sites.add.end')} error={say(errs.end)}>
          {(a) => <input {...a} type="time" aria-required="true" aria-describedby={[a['aria-describedby'], 'as-zone'].filter(Boolean).join(' ')} value={f.end} onInput={set('end')} />}
        </Field>
        <Field id="as-minutes" label={t('sites.add.minutes')} hint={t('sites.add.minutesHint')} error={say(errs.minutes)}>
          {(a) => <input {...a} type="number" inputMode="numeric" min={5} max={1440} step={1} aria-required="true" value={f.minutes} onInput={set('minutes')} />}
        </Field>
        <Field id="as-capacity" label={t('sites.add.capacity')} hint={t('sites.add.capacityHint')} error={say(errs.capacity)}>
          {(a) => <input {...a} type="number" inputMode="numeric" min={1} max={1000} step={1} aria-required="true" value={f.capacity} onInput={set('capacity')} />}
        </Field>
      </div>
      <p class="muted">{t('sites.add.kept')}</p>
      <ErrorNotice error={error}>
        {FIELDS.includes(error?.field) && <p>{t('sites.fieldNamed', { field: t(`sites.add.${error.field}`) })}</p>}
      </ErrorNotice>
      {done && <Notice kind="ok"><p data-testid="added">{done()}</p></Notice>}
      <button type="submit" class="btn" disabled={busy}>{t('sites.add.submit')}</button>
    </form>
  );
}

function SlotTable({ slots, zone, day, now }) {
  const t = useT();
  const items = slots.items;
  const sum = (k) => items.reduce((n, s) => n + k(s), 0);
  const at = (v) => fmtDateTime(v, { ...TIME, timeZone: zone });
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="slots-caption">
      <table data-testid="slots" data-day={day} data-zone={slots.time_zone}>
        <caption id="slots-caption">{t('sites.slots.caption', { day: fmtDay(day, DAY), zone })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('sites.slots.time')}</th><th scope="col" class="num">{t('sites.slots.capacity')}</th>
            <th scope="col" class="num">{t('sites.slots.free')}</th><th scope="col" class="num">{t('sites.slots.booked')}</th>
            <th scope="col" class="num">{t('sites.slots.cancelled')}</th>
            <th scope="col">{t('sites.slots.state')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => {
            const state = slotState(s, now);
            return (
              <tr key={s.id} data-slot-id={s.id} data-state={state}>
                <th scope="row" data-testid="time">{`${at(s.starts_at)}–${at(s.ends_at)}`}</th>
                <td class="num" data-testid="capacity">{fmtNumber(s.capacity)}</td>
                <td class="num" data-testid="free">{fmtNumber(s.free)}</td>
                <td class="num" data-testid="booked">{fmtNumber(booked(s))}</td>
                <td class="num" data-testid="cancelled">{fmtNumber(s.cancelled)}</td>
                <td><span class={`badge slot-${state}`} data-testid="state">{t(`sites.state.${state}`)}</span></td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr data-testid="totals">
            <th scope="row">{t('sites.slots.total', { n: fmtNumber(items.length) })}</th>
            <td class="num">{fmtNumber(sum((s) => s.capacity))}</td>
            <td class="num">{fmtNumber(sum((s) => s.free))}</td>
            <td class="num">{fmtNumber(sum(booked))}</td>
            <td class="num">{fmtNumber(sum((s) => s.cancelled))}</td>
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

export default function Site({ params }) {
  const t = useT();
  const one = useLoad(() => getSite(params.id), [params.id]);
  const site = one.data;
  const missing = one.error?.status === 404;
  const zone = site?.time_zone;
  const [picked, setPicked] = useState(null);
  const day = picked || (zone ? dayIn(zone) : '');
  const slots = useLoad(() => (site && day ? listSlots(site.id, day, zone) : Promise.resolve(null)), [site?.id, day]);
  const [now, setNow] = useState(Date.now());
  useInterval(() => { setNow(Date.now()); slots.reload(); }, 60000);
  const names = useUnitNames(site ? [site.org_unit_id] : []);
  const items = slots.data?.items || [];

  return (
    <Page title={site ? site.name : t('sites.site')} wide>
      <p><Link href="/outbreak/sites">{t('sites.back')}</Link></p>
      {!missing && <ErrorNotice error={one.error} />}
      {one.loading && !one.data && <Loading />}
      {missing && <Notice kind="error"><p data-testid="not-found">{t('sites.notFound')}</p></Notice>}
      {site && (
        <>
          <dl class="facts" data-testid="site-facts">
            <div><dt>{t('sites.col.address')}</dt><dd data-testid="address">{site.address || '—'}</dd></div>
            <div><dt>{t('sites.col.kinds')}</dt><dd data-testid="kinds">{kindsText(t, site.kinds)}</dd></div>
            <div><dt>{t('sites.col.unit')}</dt><dd data-testid="unit">{names.get(site.org_unit_id) || t('sites.unitN', { id: fmtNumber(site.org_unit_id, { useGrouping: false }) })}</dd></div>
            <div><dt>{t('sites.col.zone')}</dt><dd class="mono" data-testid="zone">{site.time_zone}</dd></div>
            <div><dt>{t('sites.col.opened')}</dt><dd>{fmtDateTime(site.created_at, { ...SHORT, timeZone: zone })}</dd></div>
          </dl>

          <section aria-labelledby="slots-h">
            <h2 id="slots-h">{t('sites.slots.title')}</h2>
            <div class="row day-pick">
              <Field id="site-day" label={t('sites.slots.day')} hint={t('sites.slots.dayHint', { zone })}>
                {(a) => <input {...a} type="date" value={day} onChange={(e) => e.currentTarget.value && setPicked(e.currentTarget.value)} />}
              </Field>
              <button type="button" class="btn btn-secondary" onClick={() => setPicked(addDays(day, -1))}>{t('sites.slots.prev')}</button>
              <button type="button" class="btn btn-secondary" onClick={() => setPicked(addDays(day, 1))}>{t('sites.slots.next')}</button>
            </div>
            <ErrorNotice error={slots.error} />
            {slots.loading && !slots.data && <Loading />}
            {slots.data && !items.length && <Notice><p data-testid="no-slots">{t('sites.slots.none', { day: fmtDay(day, DAY) })}</p></Notice>}
            {items.length > 0 && <SlotTable slots={slots.data} zone={zone} day={day} now={now} />}
          </section>

          <AddSlots key={site.id} site={site} day={day} onAdded={(d) => { setPicked(d); slots.reload(); }} />
        </>
      )}
    </Page>
  );
}
