// One consultation record as the server lets my hospital read it: the appointment (my time and
// the patient's), the parts another hospital holds that the patient has not shared with mine
// (named, never shown), the description, the expert's notes and diagnoses (written here when
// my hospital is the expert's: the server decides and says so), the patient's consents to my
// hospital and who read the patient's records. Every read here is in the patient's access log.
import { useState } from 'preact/hooks';
import { useT, fmtDateTime, fmtDateTimeIn, fmtNumber } from '../../i18n/index.js';
import { Page, Field, Notice, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { getConsultation, getAppointment, getHospital, writeNotes, addDiagnosis, setConsultationStatus, consents, whoRead, fieldError } from './desk.js';
import { Documents } from '../documents/Documents.jsx';
import '../../styles/staff.css';

const ENCOUNTER = ['planned', 'in-progress', 'finished', 'cancelled'];
const KINDS = ['description', 'notes', 'diagnoses', 'prescriptions', 'messages'];
const WHEN = { dateStyle: 'medium', timeStyle: 'short' };
const key = (s) => s.replace(/-/g, '_');

export default function Consultation({ params }) {
  const t = useT();
  const id = Number(params.id);
  const rec = useLoad(async () => {
    const c = await getConsultation(id);
    const [a, h] = await Promise.all([c.appointment_id ? getAppointment(c.appointment_id) : null, getHospital(c.expert_hospital_id)]);
    return { c, a, h };
  }, [id]);
  const c = rec.data?.c;
  const pid = c?.patient_id;
  const given = useLoad(() => (pid ? consents(pid) : Promise.resolve(null)), [pid]);
  const reads = useLoad(() => (pid ? whoRead(pid) : Promise.resolve(null)), [pid]);

  const [notes, setNotes] = useState(null);
  const [icd, setIcd] = useState('');
  const [dxText, setDxText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(null);

  const act = (fn, done) => async (e) => {
    e?.preventDefault();
    setBusy(true); setError(null); setSaved(null);
    try {
      await fn();
      done?.();
      rec.reload();
      reads.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const saveNotes = act(() => writeNotes(id, notes ?? c.expert_notes ?? ''), () => setSaved(() => () => t('telehealth.record.notesSaved')));
  const saveDx = act(() => addDiagnosis(id, icd.trim(), dxText.trim()), () => { setIcd(''); setDxText(''); setSaved(() => () => t('telehealth.record.dxSaved')); });
  const move = (status) => act(() => setConsultationStatus(id, status));

  const zone = rec.data?.h.zone;
  const a = rec.data?.a;
  return (
    <Page title={t('telehealth.record.title', { id: fmtNumber(id, { useGrouping: false }) })} wide>
      {rec.loading && !rec.data && <Loading />}
      <ErrorNotice error={rec.error} />
      {c && (
        <>
          <dl class="facts card" data-testid="record-facts">
            <div><dt>{t('telehealth.desk.patient')}</dt><dd>{t('telehealth.desk.patientN', { id: fmtNumber(c.patient_id, { useGrouping: false }) })}</dd></div>
            <div><dt>{t('telehealth.desk.status')}</dt><dd data-testid="record-status">{ENCOUNTER.includes(c.status) ? t(`telehealth.encounter.${key(c.status)}`) : c.status}</dd></div>
            {a && <div><dt>{t('telehealth.record.expertTime', { zone })}</dt><dd>{fmtDateTimeIn(a.start, zone, WHEN)}</dd></div>}
            {a && <div><dt>{t('telehealth.record.patientTime', { zone: a.patient_zone })}</dt><dd>{fmtDateTimeIn(a.start, a.patient_zone, WHEN)}</dd></div>}
            {a?.reason && <div><dt>{t('telehealth.desk.reason')}</dt><dd>{a.reason}</dd></div>}
            {c.video_url && <div><dt>{t('telehealth.record.video')}</dt><dd><a href={c.video_url} rel="noopener noreferrer" target="_blank">{t('telehealth.record.join')}</a></dd></div>}
          </dl>
          <div class="row">
            {c.status === 'planned' && <button type="button" class="btn btn-secondary" disabled={busy} onClick={move('in-progress')}>{t('telehealth.record.start')}</button>}
            {c.status === 'in-progress' && <button type="button" class="btn btn-secondary" disabled={busy} onClick={move('finished')}>{t('telehealth.record.finish')}</button>}
          </div>

          {c.withheld.length > 0 && (
            <Notice kind="warn"><p data-testid="withheld">{t('telehealth.record.withheld', { parts: c.withheld.map((k) => t(`telehealth.kind.${k}`)).join(', ') })}</p></Notice>
          )}
          <ErrorNotice error={error} />
          {saved && <Notice kind="ok">{saved()}</Notice>}

          <h2>{t('telehealth.kind.description')}</h2>
          {c.description && (c.description.history || c.description.findings || c.description.vitals.length > 0) ? (
            <div class="card" data-testid="description">
              {c.description.history && <p><strong>{t('telehealth.record.history')}</strong> {c.description.history}</p>}
              {c.description.findings && <p><strong>{t('telehealth.record.findings')}</strong> {c.description.findings}</p>}
              {c.description.vitals.length > 0 && (
                <ul>{c.description.vitals.map((v) => <li key={v.loinc + v.observed_at}><span class="mono">{v.loinc}</span> {v.value} {v.unit} · {fmtDateTime(v.observed_at, WHEN)}</li>)}</ul>
              )}
            </div>
          ) : (
            <p class="muted" data-testid="no-description">{c.withheld.includes('description') ? t('telehealth.record.notShared') : t('telehealth.record.noDescription')}</p>
          )}
          {!c.withheld.includes('description') && <Documents subject="consultation" id={c.id} canAttach level={3} />}

          <h2>{t('telehealth.kind.notes')}</h2>
          {!c.withheld.includes('notes') && (
            <form onSubmit={saveNotes} noValidate data-testid="notes-form">
              <Field id="rec-notes" label={t('telehealth.record.notes')} error={fieldError(error, 'notes')}>
                {(aria) => <textarea {...aria} rows={5} maxLength={20000} value={notes ?? c.expert_notes ?? ''} onInput={(e) => setNotes(e.currentTarget.value)} />}
              </Field>
              <button class="btn" type="submit" disabled={busy}>{t('telehealth.record.saveNotes')}</button>
            </form>
          )}

          <h2>{t('telehealth.kind.diagnoses')}</h2>
          {c.diagnoses && c.diagnoses.length > 0 && (
            <ul data-testid="diagnoses">{c.diagnoses.map((d) => <li key={d.icd10 + d.at}><span class="mono">{d.icd10}</span> {d.text} · <span class="muted">{fmtDateTime(d.at, WHEN)}</span></li>)}</ul>
          )}
          {c.diagnoses && c.diagnoses.length === 0 && <p class="muted">{t('telehealth.record.noDiagnoses')}</p>}
          {!c.withheld.includes('diagnoses') && (
          <form class="card" onSubmit={saveDx} noValidate data-testid="dx-form">
            <Field id="rec-icd" label={t('telehealth.record.icd')} hint={t('telehealth.record.icdHint')} error={fieldError(error, 'icd10')}>
              {(aria) => <input {...aria} class="mono" value={icd} maxLength={8} autocomplete="off" onInput={(e) => setIcd(e.currentTarget.value)} />}
            </Field>
            <Field id="rec-dx" label={t('telehealth.record.dxText')} error={fieldError(error, 'text')}>
              {(aria) => <input {...aria} value={dxText} maxLength={500} onInput={(e) => setDxText(e.currentTarget.value)} />}
            </Field>
            <button class="btn" type="submit" disabled={busy}>{t('telehealth.record.addDx')}</button>
          </form>
          )}

          {c.prescriptions && c.prescriptions.length > 0 && (
            <>
              <h2>{t('telehealth.kind.prescriptions')}</h2>
              <ul>{c.prescriptions.map((p) => <li key={p.medication + p.at}>{p.medication} · {p.dose} · {p.route} · {p.frequency}</li>)}</ul>
            </>
          )}

          <h2>{t('telehealth.record.consents')}</h2>
          <ErrorNotice error={given.error} />
          {given.data && given.data.items.length === 0 && <p class="muted">{t('telehealth.record.noConsents')}</p>}
          {given.data && given.data.items.length > 0 && (
            <ul data-testid="consents">
              {given.data.items.map((g) => (
                <li key={g.id}>
                  {t('telehealth.record.consent', { kinds: g.kinds.map((k) => (KINDS.includes(k) ? t(`telehealth.kind.${k}`) : k)).join(', '), until: fmtDateTime(g.until, WHEN) })}
                  {g.consultation_id && ` · ${t('telehealth.record.thisOnly', { id: fmtNumber(g.consultation_id, { useGrouping: false }) })}`}
                  {g.revoked_at && ` · ${t('telehealth.record.revoked', { when: fmtDateTime(g.revoked_at, WHEN) })}`}
                </li>
              ))}
            </ul>
          )}

          <h2>{t('telehealth.record.whoRead')}</h2>
          {reads.error && (reads.error.code === 'permission_denied' || reads.error.code === 'not_found')
            ? <p class="muted" data-testid="reads-denied">{t('telehealth.record.readsDenied')}</p>
            : <ErrorNotice error={reads.error} />}
          {reads.data && (
            <table data-testid="reads">
              <caption class="visually-hidden">{t('telehealth.record.whoRead')}</caption>
              <thead><tr><th scope="col">{t('telehealth.record.readAt')}</th><th scope="col">{t('telehealth.record.reader')}</th><th scope="col">{t('telehealth.record.action')}</th></tr></thead>
              <tbody>{reads.data.items.map((r, i) => <tr key={i}><td>{fmtDateTime(r.at, WHEN)}</td><td class="who-name">{r.reader}</td><td lang="en">{r.action}</td></tr>)}</tbody>
            </table>
          )}
        </>
      )}
    </Page>
  );
}
