// An expert's free times in the patient's own time zone, a week at a time, and booking one.
// The server decides a race for a slot: the loser is told and the week is read again.
import { useState } from 'preact/hooks';
import { useT, fmtDate, fmtDateTime, dayKey, timeZone } from '../../i18n/index.js';
import { Link } from '../../app/router.js';
import { Page, Field, Notice, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { getPractitioner, getHospital, freeSlots, book } from './data.js';
import { addDays } from '../../lib/zoned.js';

export default function Slots({ params }) {
  const t = useT();
  const id = Number(params.id);
  const [from, setFrom] = useState(dayKey());
  const [chosen, setChosen] = useState(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [taken, setTaken] = useState(false);
  const [booked, setBooked] = useState(null);
  const expert = useLoad(async () => {
    const p = await getPractitioner(id);
    return { p, h: await getHospital(p.hospital_id) };
  }, [id]);
  const week = useLoad(() => freeSlots(id, from, addDays(from, 6)), [id, from]);

  const days = new Map();
  for (const s of week.data?.items || []) {
    if (!days.has(s.local_date)) days.set(s.local_date, []);
    days.get(s.local_date).push(s);
  }

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true); setError(null); setTaken(false);
    try {
      setBooked(await book(id, chosen.start, reason.trim()));
      setChosen(null); setReason('');
      week.reload();
    } catch (err) {
      if (err.code === 'already_exists') { setTaken(true); setChosen(null); week.reload(); } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const name = expert.data?.p.name || '';
  return (
    <Page title={t('telehealth.slots.title', { name })}>
      <ErrorNotice error={expert.error || week.error || error} />
      {expert.data && <p>{expert.data.h.name}</p>}
      <p class="muted" data-testid="zone">{t('telehealth.slots.zone', { zone: timeZone.get() })}</p>
      {booked && (
        <Notice kind="ok">
          <p data-testid="booked">{t('telehealth.slots.booked', { when: fmtDateTime(booked.start, { dateStyle: 'full', timeStyle: 'short' }) })}</p>
          <p><Link href="/me/telehealth/bookings">{t('telehealth.slots.seeBookings')}</Link></p>
        </Notice>
      )}
      {taken && <Notice kind="error">{t('telehealth.slots.taken')}</Notice>}
      <div class="row">
        <button type="button" class="btn btn-quiet" disabled={from <= dayKey()} onClick={() => setFrom(addDays(from, -7))}>{t('telehealth.slots.previous')}</button>
        <button type="button" class="btn btn-quiet" onClick={() => setFrom(addDays(from, 7))}>{t('telehealth.slots.next')}</button>
      </div>
      {week.loading && !week.data && <Loading />}
      {week.data && days.size === 0 && <Notice>{t('telehealth.slots.none')}</Notice>}
      <div data-testid="slots">
        {[...days].map(([day, slots]) => (
          <section key={day} aria-labelledby={`day-${day}`}>
            <h2 id={`day-${day}`}>{fmtDate(slots[0].start)}</h2>
            <ul class="plain slot-list">
              {slots.map((s) => (
                <li key={s.start}>
                  <button type="button" class={`btn ${chosen?.start === s.start ? '' : 'btn-quiet'}`} aria-pressed={chosen?.start === s.start ? 'true' : 'false'}
                    onClick={() => { setChosen(s); setTaken(false); setBooked(null); }}>
                    {s.local_time}
                  </button>
                  <span class="muted"> {t('telehealth.slots.expertTime', { time: s.expert_local_time })}</span>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      {chosen && (
        <form class="card" onSubmit={submit} noValidate data-testid="confirm">
          <p>{t('telehealth.slots.chosen', { when: fmtDateTime(chosen.start, { dateStyle: 'full', timeStyle: 'short' }) })}</p>
          <Field id="th-reason" label={t('telehealth.slots.reason')} hint={t('telehealth.slots.reasonHint')}>
            {(aria) => <textarea {...aria} rows={3} maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
          </Field>
          <button class="btn btn-block" type="submit" disabled={busy}>{t('telehealth.slots.book')}</button>
        </form>
      )}
    </Page>
  );
}
