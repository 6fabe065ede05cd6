// Report my symptoms. The API takes one text (≤ 500 characters); we send stable English
// symptom codes plus the person's own words, so staff can read it in any language.
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useT } from '../../i18n/index.js';
import { Page, Field, Notice, ErrorNotice } from '../../ui/ui.jsx';
import { Link } from '../../app/router.js';

const SYMPTOMS = ['fever', 'cough', 'sore_throat', 'breathless', 'taste_smell', 'tired', 'aches', 'headache', 'diarrhoea'];

export default function Symptoms() {
  const t = useT();
  const [picked, setPicked] = useState([]);
  const [note, setNote] = useState('');
  const [error, setError] = useState(null);
  const [formError, setFormError] = useState(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);

  const toggle = (s) => setPicked((p) => (p.includes(s) ? p.filter((x) => x !== s) : [...p, s]));

  const submit = async (e) => {
    e.preventDefault();
    if (!picked.length && !note.trim()) return setFormError(t('citizen.symptoms.pickOne'));
    setBusy(true); setError(null); setFormError(null);
    const text = [picked.join(', '), note.trim() && `note: ${note.trim()}`].filter(Boolean).join('; ').slice(0, 500);
    try {
      await api('/me/symptoms', { method: 'POST', body: { symptoms: text } });
      setSent(true);
      setPicked([]);
      setNote('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('citizen.symptoms.title')}>
      <p>{t('citizen.symptoms.intro')}</p>
      {sent && (
        <Notice kind="ok">
          <p>{t('citizen.symptoms.sent')}</p>
          <p><Link href="/me/code">{t('citizen.exposure.seeCode')}</Link></p>
        </Notice>
      )}
      <ErrorNotice error={error} />
      <form class="card" onSubmit={submit} noValidate>
        <fieldset aria-describedby={formError ? 'symptoms-error' : undefined}>
          <legend>{t('citizen.symptoms.which')}</legend>
          {SYMPTOMS.map((s) => (
            <label class="check" key={s}>
              <input type="checkbox" checked={picked.includes(s)} onChange={() => toggle(s)} />
              {t(`citizen.symptom.${s}`)}
            </label>
          ))}
        </fieldset>
        {formError && <p class="error-text" id="symptoms-error" role="alert">{formError}</p>}
        <Field id="symptom-note" label={t('citizen.symptoms.note')} hint={t('citizen.symptoms.noteHint')}>
          {(aria) => <textarea {...aria} rows={3} maxLength={400} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
        </Field>
        <button class="btn btn-block" type="submit" disabled={busy}>{t('citizen.symptoms.submit')}</button>
      </form>
    </Page>
  );
}
