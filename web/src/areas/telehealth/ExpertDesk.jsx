// The expert's desk: my consultations of a day or a week, in my hospital's time zone (an expert
// in Nanning sees Asia/Shanghai wherever the browser is), the patient's own local time beside
// each; one opens the consultation record. Only the signed-in expert's calendar is read.
import { useState } from 'preact/hooks';
import { Link } from '../../app/router.js';
import { useT, fmtDateTimeIn, fmtNumber } from '../../i18n/index.js';
import { Page, Notice, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { myExpert, calendar, dayStart } from './desk.js';
import { dayIn, addDays } from '../../lib/zoned.js';
import '../../styles/staff.css';

const KNOWN = ['booked', 'arrived', 'checked-in', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error'];
const TIME = { timeStyle: 'short' };
const WHEN = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };

export default function ExpertDesk() {
  const t = useT();
  const expert = useLoad(myExpert);
  const zone = expert.data?.hospital.zone;
  const [day, setDay] = useState(null);
  const [span, setSpan] = useState('week');
  const from = day || (zone && dayIn(zone));
  const days = span === 'week' ? 7 : 1;
  const cal = useLoad(() => (zone ? calendar(expert.data.practitioner.id, dayStart(from, zone), dayStart(addDays(from, days), zone)) : Promise.resolve(null)), [zone, from, days]);
  const items = (cal.data?.items || []).filter((a) => a.status !== 'cancelled' || a.cancel_reason !== 'rescheduled');
  const status = (s) => (KNOWN.includes(s) ? t(`telehealth.apptStatus.${s.replace(/-/g, '_')}`) : s);

  return (
    <Page title={t('telehealth.desk.title')} wide>
      <ErrorNotice error={expert.error || cal.error} />
      {expert.loading && <Loading />}
      {expert.data === null && !expert.loading && <Notice>{t('telehealth.desk.notExpert')}</Notice>}
      {expert.data && (
        <>
          <p data-testid="desk-zone">{t('telehealth.desk.zone', { name: expert.data.practitioner.name, hospital: expert.data.hospital.name, zone })}</p>
          <div class="row" role="group" aria-label={t('telehealth.desk.range')}>
            <button type="button" class="btn btn-quiet" aria-pressed={span === 'day' ? 'true' : 'false'} onClick={() => setSpan('day')}>{t('telehealth.desk.day')}</button>
            <button type="button" class="btn btn-quiet" aria-pressed={span === 'week' ? 'true' : 'false'} onClick={() => setSpan('week')}>{t('telehealth.desk.week')}</button>
            <button type="button" class="btn btn-secondary" onClick={() => setDay(addDays(from, -days))}>{t('telehealth.desk.earlier')}</button>
            <button type="button" class="btn btn-secondary" onClick={() => setDay(dayIn(zone))}>{t('telehealth.desk.today')}</button>
            <button type="button" class="btn btn-secondary" onClick={() => setDay(addDays(from, days))}>{t('telehealth.desk.later')}</button>
          </div>
          <h2 data-testid="desk-range">
            {days === 1
              ? fmtDateTimeIn(dayStart(from, zone), zone, { dateStyle: 'full' })
              : t('telehealth.desk.from', { from: fmtDateTimeIn(dayStart(from, zone), zone, { dateStyle: 'medium' }), to: fmtDateTimeIn(dayStart(addDays(from, 6), zone), zone, { dateStyle: 'medium' }) })}
          </h2>
          {cal.loading && !cal.data && <Loading />}
          {cal.data && items.length === 0 && <Notice>{t('telehealth.desk.none')}</Notice>}
          {items.length > 0 && (
            <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="desk-caption">
              <table data-testid="desk">
                <caption id="desk-caption" class="visually-hidden">{t('telehealth.desk.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('telehealth.desk.myTime')}</th><th scope="col">{t('telehealth.desk.patientTime')}</th>
                    <th scope="col">{t('telehealth.desk.patient')}</th><th scope="col">{t('telehealth.desk.reason')}</th>
                    <th scope="col">{t('telehealth.desk.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((a) => (
                    <tr key={a.id} data-appointment-id={a.id} data-status={a.status}>
                      <td data-testid="my-time">{fmtDateTimeIn(a.start, zone, WHEN)} – {fmtDateTimeIn(a.end, zone, TIME)}</td>
                      <td data-testid="patient-time">{fmtDateTimeIn(a.start, a.patient_zone, WHEN)} <span class="muted">({a.patient_zone})</span></td>
                      <td><Link href={`/telehealth/consultations/${a.consultation_id}`}>{t('telehealth.desk.patientN', { id: fmtNumber(a.patient_id, { useGrouping: false }) })}</Link></td>
                      <td>{a.reason}</td>
                      <td>{status(a.status)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p class="muted">{t('telehealth.desk.hint')}</p>
        </>
      )}
    </Page>
  );
}
