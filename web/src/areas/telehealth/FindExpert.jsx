// Find a specialist: experts of the partner network by specialty and language spoken, each
// with their hospital and a way to their free times.
import { useState } from 'preact/hooks';
import { useT, lang, LANGUAGES, regionDisplayName } from '../../i18n/index.js';
import { Link } from '../../app/router.js';
import { Page, Field, Notice, ErrorNotice, Loading } from '../../ui/ui.jsx';
import { findExperts, SPECIALTIES } from './data.js';

const languageName = (code) => LANGUAGES.find((l) => l.code === code)?.name || code;

export default function FindExpert() {
  const t = useT();
  const [specialty, setSpecialty] = useState('hematology');
  const [language, setLanguage] = useState(lang.get());
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const search = async (e) => {
    e?.preventDefault();
    setBusy(true); setError(null);
    try { setResult(await findExperts({ specialty, language })); } catch (err) { setError(err); setResult(null); } finally { setBusy(false); }
  };

  return (
    <Page title={t('telehealth.find.title')}>
      <p class="muted">{t('telehealth.find.intro')}</p>
      <form class="card" onSubmit={search} noValidate>
        <Field id="th-specialty" label={t('telehealth.find.specialty')}>
          {(aria) => (
            <select {...aria} value={specialty} onChange={(e) => setSpecialty(e.currentTarget.value)}>
              <option value="">{t('telehealth.find.anySpecialty')}</option>
              {SPECIALTIES.map((s) => <option key={s} value={s}>{t(`telehealth.specialty.${s}`)}</option>)}
            </select>
          )}
        </Field>
        <Field id="th-language" label={t('telehealth.find.language')}>
          {(aria) => (
            <select {...aria} value={language} onChange={(e) => setLanguage(e.currentTarget.value)}>
              <option value="">{t('telehealth.find.anyLanguage')}</option>
              {LANGUAGES.map((l) => <option key={l.code} value={l.code} lang={l.code}>{l.name}</option>)}
            </select>
          )}
        </Field>
        <button class="btn btn-block" type="submit" disabled={busy}>{t('telehealth.find.search')}</button>
      </form>
      <ErrorNotice error={error} />
      {busy && <Loading />}
      {result && result.items.length === 0 && <Notice>{t('telehealth.find.none')}</Notice>}
      {result && result.items.length > 0 && (
        <ul class="plain" data-testid="experts">
          {result.items.map(({ practitioner: p, hospital: h }) => (
            <li class="card" key={p.id}>
              <h2>{p.name}</h2>
              <p>{p.specialties.map((s) => (SPECIALTIES.includes(s) ? t(`telehealth.specialty.${s}`) : s)).join(', ')}</p>
              <p>{h.name} · {regionDisplayName(h.country)}</p>
              <p class="muted">{t('telehealth.find.speaks', { languages: p.languages.map(languageName).join(', ') })}</p>
              <p><Link href={`/me/telehealth/experts/${p.id}`} class="btn btn-quiet">{t('telehealth.find.slots')}</Link></p>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
