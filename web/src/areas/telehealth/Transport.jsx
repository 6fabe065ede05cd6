// Cross-border medical transport: apply for a patient from my hospital to a partner hospital in
// another country, then the application: the documents the destination country requires,
// those still missing (attach a file reference for each), and its status. The API has no list
// of applications (web/API-NEEDS.md, item 16), so one is opened by its number.
import { useState } from 'preact/hooks';
import { Link, navigate } from '../../app/router.js';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';
import { Page, Field, Notice, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { myHospitals, applyForTransport, getTransport, attachDocument, ESCORTS, MODES, fieldError } from './desk.js';
import '../../styles/staff.css';

const STATUS = ['submitted', 'in-review', 'approved', 'refused', 'scheduled', 'completed', 'cancelled'];
const DOCS = ['passport', 'medical_summary', 'acceptance_letter', 'visa', 'health_declaration', 'medical_visa_letter', 'guarantee_of_payment', 'border_medical_permit', 'escort_passport', 'fitness_to_fly', 'insurance'];
const WHEN = { dateStyle: 'medium', timeStyle: 'short' };
const key = (s) => s.replace(/-/g, '_');

export default function Transport({ params }) {
  return params?.id ? <Application id={Number(params.id)} /> : <Apply />;
}

function Apply() {
  const t = useT();
  const net = useLoad(myHospitals);
  const mine = net.data?.mine[0];
  const others = (net.data?.all || []).filter((h) => h.id !== mine?.id && h.country !== mine?.country);
  const [f, setF] = useState({ patient: '', destination: '', need: '', escort: 'nurse', mode: 'ground_ambulance' });
  const [open, setOpen] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true); setError(null);
    try {
      const r = await applyForTransport({ patient_id: Number(f.patient) || 0, origin_id: mine.id, destination_id: Number(f.destination || others[0]?.id) || 0, medical_need: f.need.trim(), escort: f.escort, mode: f.mode });
      navigate(`/telehealth/transports/${r.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('telehealth.tr.title')} wide>
      <ErrorNotice error={net.error} />
      {net.loading && <Loading />}
      {net.data && !mine && <Notice>{t('telehealth.ref.noHospital')}</Notice>}
      {mine && (
        <>
          <form class="row" onSubmit={(e) => { e.preventDefault(); if (Number(open) > 0) navigate(`/telehealth/transports/${Number(open)}`); }}>
            <Field id="tr-open" label={t('telehealth.tr.open')}>
              {(aria) => <input {...aria} inputMode="numeric" value={open} onInput={(e) => setOpen(e.currentTarget.value)} />}
            </Field>
            <button class="btn btn-secondary" type="submit">{t('telehealth.tr.show')}</button>
          </form>
          <form class="card" onSubmit={submit} noValidate data-testid="transport-form">
            <h2>{t('telehealth.tr.apply')}</h2>
            <p>{t('telehealth.tr.from', { hospital: mine.name })}</p>
            <Field id="tr-patient" label={t('telehealth.ref.patient')} hint={t('telehealth.ref.patientHint')} error={fieldError(error, 'patient_id')}>
              {(aria) => <input {...aria} inputMode="numeric" value={f.patient} onInput={set('patient')} />}
            </Field>
            <Field id="tr-dest" label={t('telehealth.tr.destination')} error={fieldError(error, 'destination_id')}>
              {(aria) => <select {...aria} value={f.destination || others[0]?.id} onChange={set('destination')}>{others.map((h) => <option key={h.id} value={h.id}>{h.name}</option>)}</select>}
            </Field>
            <Field id="tr-need" label={t('telehealth.tr.need')} error={fieldError(error, 'medical_need')}>
              {(aria) => <textarea {...aria} rows={3} maxLength={4000} value={f.need} onInput={set('need')} />}
            </Field>
            <Field id="tr-escort" label={t('telehealth.tr.escort')} error={fieldError(error, 'escort')}>
              {(aria) => <select {...aria} value={f.escort} onChange={set('escort')}>{ESCORTS.map((x) => <option key={x} value={x}>{t(`telehealth.escort.${x}`)}</option>)}</select>}
            </Field>
            <Field id="tr-mode" label={t('telehealth.tr.mode')} error={fieldError(error, 'mode')}>
              {(aria) => <select {...aria} value={f.mode} onChange={set('mode')}>{MODES.map((x) => <option key={x} value={x}>{t(`telehealth.mode.${x}`)}</option>)}</select>}
            </Field>
            <ErrorNotice error={error} />
            <button class="btn" type="submit" disabled={busy}>{t('telehealth.tr.submit')}</button>
          </form>
        </>
      )}
    </Page>
  );
}

function Application({ id }) {
  const t = useT();
  const tr = useLoad(() => getTransport(id), [id]);
  const net = useLoad(myHospitals);
  const [kind, setKind] = useState('');
  const [ref, setRef] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const names = new Map((net.data?.all || []).map((h) => [h.id, h.name]));
  const doc = (k) => (DOCS.includes(k) ? t(`telehealth.doc.${k}`) : k);
  const x = tr.data;
  const missing = x?.missing_documents || [];
  const attach = async (e) => {
    e.preventDefault();
    setBusy(true); setError(null);
    try {
      await attachDocument(id, kind || missing[0], ref.trim());
      setRef(''); setKind('');
      tr.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title={t('telehealth.tr.one', { id: fmtNumber(id, { useGrouping: false }) })} wide>
      <p><Link href="/telehealth/transports">{t('telehealth.tr.back')}</Link></p>
      <ErrorNotice error={tr.error} />
      {tr.loading && !x && <Loading />}
      {x && (
        <>
          <dl class="facts card" data-testid="transport-facts">
            <div><dt>{t('telehealth.desk.patient')}</dt><dd>{t('telehealth.desk.patientN', { id: fmtNumber(x.patient_id, { useGrouping: false }) })}</dd></div>
            <div><dt>{t('telehealth.ref.route')}</dt><dd>{`${names.get(x.origin_id) || x.origin_id} → ${names.get(x.destination_id) || x.destination_id}`}</dd></div>
            <div><dt>{t('telehealth.tr.need')}</dt><dd>{x.medical_need}</dd></div>
            <div><dt>{t('telehealth.tr.escort')}</dt><dd>{t(`telehealth.escort.${x.escort}`)}</dd></div>
            <div><dt>{t('telehealth.tr.mode')}</dt><dd>{t(`telehealth.mode.${x.mode}`)}</dd></div>
            <div><dt>{t('telehealth.desk.status')}</dt><dd data-testid="transport-status">{STATUS.includes(x.status) ? t(`telehealth.trStatus.${key(x.status)}`) : x.status}{x.status_reason && ` · ${x.status_reason}`}</dd></div>
            {x.scheduled_at && <div><dt>{t('telehealth.tr.scheduled')}</dt><dd>{fmtDateTime(x.scheduled_at, WHEN)}</dd></div>}
          </dl>
          <h2>{t('telehealth.tr.documents')}</h2>
          <ul data-testid="documents">
            {x.documents.map((d) => <li key={d.kind} data-kind={d.kind}>✓ {doc(d.kind)}: <span class="mono">{d.reference}</span> · <span class="muted">{fmtDateTime(d.attached_at, WHEN)}</span></li>)}
            {missing.map((k) => <li key={k} data-kind={k} data-missing="true">✗ {doc(k)} · <strong>{t('telehealth.tr.missing')}</strong></li>)}
          </ul>
          {missing.length === 0 && <p data-testid="all-documents">{t('telehealth.tr.complete')}</p>}
          {missing.length > 0 && (
            <form class="card" onSubmit={attach} noValidate data-testid="attach-form">
              <Field id="tr-kind" label={t('telehealth.tr.kind')}>
                {(aria) => <select {...aria} value={kind || missing[0]} onChange={(e) => setKind(e.currentTarget.value)}>{missing.map((k) => <option key={k} value={k}>{doc(k)}</option>)}</select>}
              </Field>
              <Field id="tr-ref" label={t('telehealth.tr.reference')} hint={t('telehealth.tr.referenceHint')} error={fieldError(error, 'reference', 'kind')}>
                {(aria) => <input {...aria} value={ref} maxLength={500} onInput={(e) => setRef(e.currentTarget.value)} />}
              </Field>
              <ErrorNotice error={error} />
              <button class="btn" type="submit" disabled={busy}>{t('telehealth.tr.attach')}</button>
            </form>
          )}
        </>
      )}
    </Page>
  );
}
