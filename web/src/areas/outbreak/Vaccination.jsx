// A vaccination dose recorded by staff (POST /vaccination-doses): the person found by name
// (GET /people?name=), resident or foreigner alike — only their unit matters — then product,
// lot, dose number, when (typed in the person's zone), site and the country it was given in.
// The doses the chosen person already has are listed first (GET /people/{id}/vaccination-doses).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useStore } from '../../app/store.js';
import { useT, fmtDate, fmtDateTime, timeZone, regionDisplayName } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Notice } from '../../ui/ui.jsx';
import { fromZonedLocal, rfc3339 } from '../../lib/zoned.js';
import { say } from './data.js';
import '../../styles/staff.css';

const FIELDS = ['product', 'lot', 'dose', 'given_at', 'site', 'country'];
const EMPTY = { product: '', lot: '', dose: '1', given_at: '', site: '', country: 'VN' };

function country(code) {
  try {
    return /^[A-Z]{2}$/.test(code) ? regionDisplayName(code) : '';
  } catch {
    return '';
  }
}

export default function Vaccination() {
  const t = useT();
  const myZone = useStore(timeZone);
  const [q, setQ] = useState('');
  const [found, setFound] = useState(null);
  const [searchError, setSearchError] = useState(null);
  const [person, setPerson] = useState(null);
  const [f, setF] = useState(EMPTY);
  const [errs, setErrs] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [recorded, setRecorded] = useState([]);
  const [had, setHad] = useState(null); // the chosen person's doses on the server
  const [hadError, setHadError] = useState(null);
  const tz = person?.time_zone || myZone;
  useEffect(() => {
    setHad(null);
    setHadError(null);
    if (!person) return undefined;
    let live = true;
    api(`/people/${person.id}/vaccination-doses`)
      .then((r) => live && setHad(r.items))
      .catch((x) => live && setHadError(x));
    return () => { live = false; };
  }, [person?.id, recorded.length]);
  const line = (d, name) => t('outbreak.vacc.doseLine', { name, n: d.dose, product: d.product, when: fmtDateTime(d.given_at, { dateStyle: 'medium', timeStyle: 'short', timeZone: tz }), country: country(d.country) || d.country });
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });

  const search = async (e) => {
    e.preventDefault();
    setSearchError(null);
    if (!q.trim()) return;
    try {
      const r = await api('/people', { query: { name: q.trim(), limit: 20 } });
      setFound(r.items);
      setPerson(r.items.length === 1 ? r.items[0] : null);
    } catch (x) {
      setSearchError(x);
    }
  };

  const submit = async (e) => {
    e.preventDefault();
    const bad = {};
    if (!person) bad.person = () => t('outbreak.vacc.pickPerson');
    if (!f.product.trim()) bad.product = () => t('outbreak.vacc.needProduct');
    const given = fromZonedLocal(f.given_at, tz);
    if (!given) bad.given_at = () => t('outbreak.case.badTime');
    setErrs(bad);
    if (Object.keys(bad).length) return;
    const body = { person_id: person.id, product: f.product.trim(), dose: Number(f.dose), given_at: rfc3339(given), country: f.country.trim().toUpperCase() };
    if (f.lot.trim()) body.lot = f.lot.trim();
    if (f.site.trim()) body.site = f.site.trim();
    setBusy(true);
    setError(null);
    try {
      const d = await api('/vaccination-doses', { method: 'POST', body });
      setRecorded([{ ...d, name: person.full_name }, ...recorded]);
      setF({ ...EMPTY, product: f.product, lot: f.lot, site: f.site, country: f.country });
    } catch (x) {
      if (x.field && FIELDS.includes(x.field)) setErrs({ [x.field]: () => t('outbreak.refused') });
      if (x.field === 'person_id') setErrs({ person: () => t('outbreak.refused') });
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('outbreak.vacc.title')}>
      <form onSubmit={search} class="card" role="search" aria-label={t('outbreak.vacc.find')}>
        <Field id="vp-q" label={t('outbreak.vacc.name')} hint={t('outbreak.vacc.nameHint')}>
          {(a) => <input {...a} type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} autocomplete="off" />}
        </Field>
        <button type="submit" class="btn btn-secondary">{t('outbreak.vacc.search')}</button>
        <ErrorNotice error={searchError} />
        {found && found.length === 0 && <Notice>{t('outbreak.vacc.noneFound')}</Notice>}
      </form>

      <form onSubmit={submit} noValidate data-testid="dose-form">
        {found && found.length > 0 && (
          <fieldset class={errs.person ? 'field-error' : ''} aria-describedby={errs.person ? 'vp-person-error' : undefined}>
            <legend>{t('outbreak.vacc.who')}</legend>
            <ul class="plain people-found">
              {found.map((p) => (
                <li key={p.id}>
                  <label class="check">
                    <input type="radio" name="vacc-person" value={p.id} checked={person?.id === p.id} onChange={() => setPerson(p)} />
                    <span>
                      <strong>{p.full_name}</strong>{' '}
                      <span class="muted">{t('outbreak.vacc.personLine', { born: p.birth_date ? fmtDate(`${p.birth_date}T12:00:00Z`) : '—', nationality: country(p.nationality) || p.nationality, doc: p.document_number })}</span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
            {errs.person && <p class="error-text" id="vp-person-error">{say(errs.person)}</p>}
          </fieldset>
        )}
        {!found && errs.person && <p class="error-text">{say(errs.person)}</p>}
        {person && (
          <section class="person-doses" aria-labelledby="had-h" data-testid="person-doses" data-person-id={person.id}>
            <h2 id="had-h">{t('outbreak.vacc.had', { name: person.full_name })}</h2>
            <ErrorNotice error={hadError} />
            {had && had.length === 0 && <p class="muted">{t('outbreak.vacc.hadNone')}</p>}
            {had && had.length > 0 && (
              <ul class="plain">
                {had.map((d) => (
                  <li key={d.id} data-dose-id={d.id}>
                    {line(d, person.full_name)}
                    {d.lot && <span class="muted"> · {t('outbreak.vacc.lotN', { lot: d.lot })}</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
        <div class="filters">
          <Field id="v-product" label={t('outbreak.vacc.product')} hint={t('outbreak.vacc.productHint')} error={say(errs.product)}>
            {(a) => <input {...a} type="text" maxLength={64} value={f.product} onInput={set('product')} />}
          </Field>
          <Field id="v-lot" label={t('outbreak.vacc.lot')} error={say(errs.lot)}>
            {(a) => <input {...a} type="text" maxLength={64} value={f.lot} onInput={set('lot')} />}
          </Field>
          <Field id="v-dose" label={t('outbreak.vacc.dose')} error={say(errs.dose)}>
            {(a) => (
              <select {...a} value={f.dose} onChange={set('dose')}>
                {[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => <option key={n} value={n}>{t('outbreak.vacc.doseN', { n })}</option>)}
              </select>
            )}
          </Field>
          <Field id="v-given_at" label={t('outbreak.vacc.given_at')} hint={t('outbreak.case.zone', { zone: tz })} error={say(errs.given_at)}>
            {(a) => <input {...a} type="datetime-local" value={f.given_at} onInput={set('given_at')} />}
          </Field>
          <Field id="v-site" label={t('outbreak.vacc.site')} error={say(errs.site)}>
            {(a) => <input {...a} type="text" maxLength={200} value={f.site} onInput={set('site')} />}
          </Field>
          <Field id="v-country" label={t('outbreak.vacc.country')} hint={country(f.country.trim().toUpperCase()) || t('outbreak.vacc.countryHint')} error={say(errs.country)}>
            {(a) => <input {...a} type="text" maxLength={2} autocapitalize="characters" value={f.country} onInput={set('country')} />}
          </Field>
        </div>
        <ErrorNotice error={error}>
          {FIELDS.includes(error?.field) && <p data-testid="refused-field">{t('outbreak.fieldNamed', { field: t(`outbreak.vacc.${error.field}`) })}</p>}
        </ErrorNotice>
        <button type="submit" class="btn" disabled={busy}>{t('outbreak.vacc.save')}</button>
      </form>

      {recorded.length > 0 && (
        <section aria-labelledby="recorded-h">
          <h2 id="recorded-h">{t('outbreak.vacc.recorded')}</h2>
          <ul class="plain" data-testid="doses">
            {recorded.map((d) => (
              <li key={d.id} data-dose-id={d.id} class="card">
                {line(d, d.name)}
                {d.lot && <span class="muted"> · {t('outbreak.vacc.lotN', { lot: d.lot })}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}
