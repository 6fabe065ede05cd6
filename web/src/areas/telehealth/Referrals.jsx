// The local doctor's desk: refer a patient to another partner hospital, and the referrals my
// hospital sent or received with their status. The receiving hospital accepts, starts,
// completes or declines (with a reason); the sending one may cancel while it is open. The
// server checks every step; this screen only offers the ones that make sense for the side.
import { useState } from 'preact/hooks';
import { Link } from '../../app/router.js';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';
import { Page, Field, Notice, ErrorNotice, Loading, useLoad, useAction } from '../../ui/ui.jsx';
import { myHospitals, referrals, refer, setReferralStatus, fieldError } from './desk.js';
import '../../styles/staff.css';

const TASK = ['requested', 'accepted', 'in-progress', 'completed', 'rejected', 'cancelled'];
const WHEN = { dateStyle: 'medium', timeStyle: 'short' };
const NEXT = { requested: 'accepted', accepted: 'in-progress', 'in-progress': 'completed' };
const key = (s) => s.replace(/-/g, '_');

export default function Referrals() {
  const t = useT();
  const net = useLoad(myHospitals);
  const mine = net.data?.mine[0];
  const list = useLoad(() => (mine ? referrals(mine.id) : Promise.resolve(null)), [mine?.id]);
  const names = new Map((net.data?.all || []).map((h) => [h.id, h.name]));
  const others = (net.data?.all || []).filter((h) => h.id !== mine?.id);

  const [patient, setPatient] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [consultation, setConsultation] = useState('');
  const [declineReason, setDeclineReason] = useState('');
  const { busy, error, done, run } = useAction(() => list.reload());
  const submit = async (e) => {
    e.preventDefault();
    const body = { patient_id: Number(patient) || 0, to_hospital_id: Number(to || others[0]?.id) || 0, reason: reason.trim() };
    if (consultation.trim()) body.consultation_id = Number(consultation) || 0;
    if (await run(() => refer(body), (r) => t('telehealth.ref.sent', { id: fmtNumber(r.id, { useGrouping: false }) }))) { setReason(''); setConsultation(''); }
  };
  const step = (r, status) => run(() => setReferralStatus(r.id, status, status === 'rejected' ? declineReason.trim() : ''), () => t('telehealth.ref.updated', { id: fmtNumber(r.id, { useGrouping: false }) }));

  const items = (list.data?.items || []).slice().reverse();
  return (
    <Page title={t('telehealth.ref.title')} wide>
      <ErrorNotice error={net.error || list.error} />
      {net.loading && <Loading />}
      {net.data && !mine && <Notice>{t('telehealth.ref.noHospital')}</Notice>}
      {mine && (
        <>
          <p data-testid="my-hospital">{t('telehealth.ref.mine', { hospital: mine.name })}</p>
          <p><Link href="/telehealth/transports">{t('telehealth.ref.transportLink')}</Link></p>
          <form class="card" onSubmit={submit} noValidate data-testid="refer-form">
            <h2>{t('telehealth.ref.new')}</h2>
            <Field id="ref-patient" label={t('telehealth.ref.patient')} hint={t('telehealth.ref.patientHint')} error={fieldError(error, 'patient_id')}>
              {(aria) => <input {...aria} inputMode="numeric" value={patient} onInput={(e) => setPatient(e.currentTarget.value)} />}
            </Field>
            <Field id="ref-to" label={t('telehealth.ref.to')} error={fieldError(error, 'to_hospital_id')}>
              {(aria) => (
                <select {...aria} value={to || others[0]?.id} onChange={(e) => setTo(e.currentTarget.value)}>
                  {others.map((h) => <option key={h.id} value={h.id}>{h.name}</option>)}
                </select>
              )}
            </Field>
            <Field id="ref-reason" label={t('telehealth.ref.reason')} error={fieldError(error, 'reason')}>
              {(aria) => <textarea {...aria} rows={3} maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
            </Field>
            <Field id="ref-consultation" label={t('telehealth.ref.consultation')} hint={t('telehealth.ref.consultationHint')} error={fieldError(error, 'consultation_id')}>
              {(aria) => <input {...aria} inputMode="numeric" value={consultation} onInput={(e) => setConsultation(e.currentTarget.value)} />}
            </Field>
            <button class="btn" type="submit" disabled={busy}>{t('telehealth.ref.send')}</button>
          </form>
          <ErrorNotice error={error} />
          {done && <Notice kind="ok"><p data-testid="ref-done">{done()}</p></Notice>}

          <h2>{t('telehealth.ref.list')}</h2>
          {list.data && items.length === 0 && <p class="muted">{t('telehealth.ref.none')}</p>}
          {items.length > 0 && (
            <>
              <Field id="ref-decline" label={t('telehealth.ref.declineReason')} hint={t('telehealth.ref.declineHint')}>
                {(aria) => <input {...aria} value={declineReason} maxLength={2000} onInput={(e) => setDeclineReason(e.currentTarget.value)} />}
              </Field>
              <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="ref-caption">
                <table data-testid="referrals">
                  <caption id="ref-caption" class="visually-hidden">{t('telehealth.ref.list')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('telehealth.ref.number')}</th><th scope="col">{t('telehealth.desk.patient')}</th>
                      <th scope="col">{t('telehealth.ref.route')}</th><th scope="col">{t('telehealth.ref.reason')}</th>
                      <th scope="col">{t('telehealth.desk.status')}</th><th scope="col">{t('telehealth.ref.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((r) => {
                      const receiving = r.to_hospital_id === mine.id;
                      const open = r.status === 'requested' || r.status === 'accepted';
                      return (
                        <tr key={r.id} data-referral-id={r.id} data-status={r.status}>
                          <td>{fmtNumber(r.id, { useGrouping: false })}</td>
                          <td>{t('telehealth.desk.patientN', { id: fmtNumber(r.patient_id, { useGrouping: false }) })}</td>
                          <td>{`${names.get(r.from_hospital_id) || r.from_hospital_id} → ${names.get(r.to_hospital_id) || r.to_hospital_id}`}</td>
                          <td>{r.reason}</td>
                          <td>
                            {TASK.includes(r.status) ? t(`telehealth.task.${key(r.status)}`) : r.status}
                            <br /><span class="muted">{fmtDateTime(r.updated_at, WHEN)}</span>
                            {r.status_reason && <><br /><span>{r.status_reason}</span></>}
                          </td>
                          <td>
                            <div class="row">
                              {receiving && NEXT[r.status] && <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => step(r, NEXT[r.status])}>{t(`telehealth.ref.do.${key(NEXT[r.status])}`)}</button>}
                              {receiving && open && <button type="button" class="btn btn-quiet" disabled={busy} onClick={() => step(r, 'rejected')}>{t('telehealth.ref.do.rejected')}</button>}
                              {!receiving && open && <button type="button" class="btn btn-quiet" disabled={busy} onClick={() => step(r, 'cancelled')}>{t('telehealth.ref.do.cancelled')}</button>}
                            </div>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
    </Page>
  );
}
