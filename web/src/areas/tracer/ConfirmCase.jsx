// Confirm a case: find the person by name (GET /people?name=), enter onset, sample and
// isolation as local times in the tracer's zone, and send them as RFC 3339 UTC
// (POST /cases). The server traces the contacts and turns them red; the case page follows.
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { navigate } from '../../app/router.js';
import { useStore } from '../../app/store.js';
import { useT, fmtDate, timeZone } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Notice, errorText } from '../../ui/ui.jsx';
import { fromZonedLocal, rfc3339 } from '../../lib/zoned.js';
import { rememberName } from './data.js';
import '../../styles/staff.css';

const DATES = ['onset_at', 'sample_at', 'isolated_at'];
/** Messages are kept as functions so they follow a language switch. */
const say = (m) => (typeof m === 'function' ? m() : m);

export default function ConfirmCase() {
  const t = useT();
  const tz = useStore(timeZone);
  const [q, setQ] = useState('');
  const [found, setFound] = useState(null);
  const [searchError, setSearchError] = useState(null);
  const [person, setPerson] = useState(null);
  const [dates, setDates] = useState({ onset_at: '', sample_at: '', isolated_at: '' });
  const [fieldErrors, setFieldErrors] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const search = async (e) => {
    e.preventDefault();
    setSearchError(null);
    if (!q.trim()) return;
    try {
      const r = await api('/people', { query: { name: q.trim(), limit: 20 } });
      setFound(r.items);
      if (r.items.length === 1) setPerson(r.items[0]);
    } catch (x) {
      setSearchError(x);
    }
  };

  const submit = async (e) => {
    e.preventDefault();
    const errs = {};
    if (!person) errs.person = () => t('tracer.confirm.pickPerson');
    const body = { person_id: person?.id };
    for (const k of DATES) {
      if (!dates[k]) continue;
      const d = fromZonedLocal(dates[k], tz);
      if (!d) errs[k] = () => t('tracer.confirm.badTime');
      else body[k] = rfc3339(d);
    }
    setFieldErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    setError(null);
    try {
      const c = await api('/cases', { method: 'POST', body });
      rememberName(person.id, person.full_name);
      navigate(`/cases/${c.id}`);
    } catch (x) {
      if (x.field && (DATES.includes(x.field) || x.field === 'person_id')) setFieldErrors({ [x.field === 'person_id' ? 'person' : x.field]: () => errorText(t, x) });
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('tracer.confirm.title')}>
      <form onSubmit={search} class="card" role="search" aria-label={t('tracer.confirm.find')}>
        <Field id="person-q" label={t('tracer.confirm.name')} hint={t('tracer.confirm.nameHint')}>
          <input id="person-q" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} autocomplete="off" aria-describedby="person-q-hint" />
        </Field>
        <button type="submit" class="btn btn-secondary">{t('tracer.confirm.search')}</button>
        <ErrorNotice error={searchError} />
        {found && found.length === 0 && <Notice>{t('tracer.confirm.noneFound')}</Notice>}
      </form>

      <form onSubmit={submit} noValidate>
        {found && found.length > 0 && (
          <fieldset class={fieldErrors.person ? 'field-error' : ''} aria-describedby={fieldErrors.person ? 'person-error' : undefined}>
            <legend>{t('tracer.confirm.who')}</legend>
            <ul class="plain people-found">
              {found.map((p) => (
                <li key={p.id}>
                  <label class="check">
                    <input type="radio" name="person" value={p.id} checked={person?.id === p.id} onChange={() => setPerson(p)} />
                    <span><strong>{p.full_name}</strong> <span class="muted">{t('tracer.confirm.personLine', { born: p.birth_date ? fmtDate(`${p.birth_date}T12:00:00Z`) : '—', doc: p.document_number })}</span></span>
                  </label>
                </li>
              ))}
            </ul>
            {fieldErrors.person && <p class="error-text" id="person-error">{say(fieldErrors.person)}</p>}
          </fieldset>
        )}
        {!found && fieldErrors.person && <p class="error-text">{say(fieldErrors.person)}</p>}
        <p class="hint" id="tz-hint">{t('tracer.confirm.zone', { zone: tz })}</p>
        {DATES.map((k) => (
          <Field id={`case-${k}`} key={k} label={t(`tracer.confirm.${k}`)} hint={t(`tracer.confirm.${k}Hint`)} error={say(fieldErrors[k])}>
            {(a) => <input type="datetime-local" {...a} aria-describedby={[a['aria-describedby'], 'tz-hint'].filter(Boolean).join(' ')} value={dates[k]} onInput={(e) => setDates({ ...dates, [k]: e.currentTarget.value })} />}
          </Field>
        ))}
        <ErrorNotice error={error} />
        <button type="submit" class="btn" disabled={busy}>{t('tracer.confirm.submit')}</button>
      </form>
    </Page>
  );
}
