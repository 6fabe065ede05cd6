// Traveller self-registration (POST /api/v1/registrations, public): a registration that an
// officer confirms, refused with 409 on a duplicate document number. Built against the
// contract in web/API-NEEDS.md; shows "not available yet" while the server lacks the route.
import { useEffect, useState } from 'preact/hooks';
import { api, notBuiltYet } from '../../app/api.js';
import { Link } from '../../app/router.js';
import { useT, lang, regionDisplayName } from '../../i18n/index.js';
import { useStore } from '../../app/store.js';
import { Page, Field, Notice, ErrorNotice, NotYet, LanguageSelect } from '../../ui/ui.jsx';

const COUNTRIES = ['VN', 'CN', 'TH', 'LA', 'KH', 'MM', 'MY', 'SG', 'ID', 'PH', 'BN', 'TL', 'JP', 'KR', 'IN', 'AU', 'US', 'GB', 'FR', 'DE', 'RU'];
const DOCUMENTS = ['passport', 'national_id', 'border_pass'];
const EMPTY = { full_name: '', document_type: 'passport', document_number: '', nationality: '', language: '', phone: '', birth_date: '', org_unit_id: '', username: '', password: '' };

export default function Register() {
  const t = useT();
  const ui = useStore(lang);
  const [f, setF] = useState({ ...EMPTY, language: ui });
  const [errors, setErrors] = useState({});
  const [units, setUnits] = useState(null); // null loading, [] none, 'unavailable'
  const [error, setError] = useState(null);
  const [missing, setMissing] = useState(false);
  const [done, setDone] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api('/org-units').then((r) => setUnits(r.items), () => setUnits('unavailable'));
  }, []);

  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });

  const validate = () => {
    const e = {};
    for (const k of ['full_name', 'document_number', 'nationality', 'language', 'org_unit_id', 'username']) if (!String(f[k]).trim()) e[k] = t('register.required');
    if (f.password.length < 10) e.password = t('register.passwordShort');
    return e;
  };

  const submit = async (ev) => {
    ev.preventDefault();
    const e = validate();
    setErrors(e);
    if (Object.keys(e).length) return document.getElementById(`reg-${Object.keys(e)[0]}`)?.focus();
    setBusy(true); setError(null);
    const body = { ...f, org_unit_id: Number(f.org_unit_id), full_name: f.full_name.trim(), document_number: f.document_number.trim() };
    for (const k of ['phone', 'birth_date']) if (!body[k]) delete body[k];
    try {
      setDone(await api('/registrations', { method: 'POST', body }));
    } catch (err) {
      if (notBuiltYet(err)) setMissing(true);
      else if (err.status === 409 && err.field === 'document_number') setErrors({ document_number: t('register.duplicate') });
      else if (err.field && err.field in EMPTY) setErrors({ [err.field]: t('register.invalid') });
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Page title={t('register.title')}>
        <Notice kind="ok"><p>{t('register.done')}</p></Notice>
        <p><Link class="btn" href="/sign-in">{t('auth.signIn')}</Link></p>
      </Page>
    );
  }

  const input = (k, props = {}) => (
    <Field id={`reg-${k}`} label={t(`register.field.${k}`)} error={errors[k]} hint={props.hint}>
      {(aria) => <input {...aria} type={props.type || 'text'} autocomplete={props.autocomplete} value={f[k]} onInput={set(k)} />}
    </Field>
  );
  const unitsUnavailable = units === 'unavailable';

  return (
    <Page title={t('register.title')}>
      <p>{t('register.intro')}</p>
      {missing && <NotYet what={t('register.notYet')} />}
      <ErrorNotice error={error} />
      <form class="card" onSubmit={submit} noValidate>
        {input('full_name', { autocomplete: 'name' })}
        <Field id="reg-document_type" label={t('register.field.document_type')}>
          {(aria) => (
            <select {...aria} value={f.document_type} onChange={set('document_type')}>
              {DOCUMENTS.map((d) => <option value={d} key={d}>{t(`register.document.${d}`)}</option>)}
            </select>
          )}
        </Field>
        {input('document_number', { autocomplete: 'off' })}
        <Field id="reg-nationality" label={t('register.field.nationality')} error={errors.nationality}>
          {(aria) => (
            <select {...aria} value={f.nationality} onChange={set('nationality')}>
              <option value="">{t('register.choose')}</option>
              {COUNTRIES.map((c) => <option value={c} key={c}>{regionDisplayName(c)}</option>)}
            </select>
          )}
        </Field>
        <Field id="reg-language" label={t('register.field.language')} error={errors.language}>
          {(aria) => (
            <LanguageSelect {...aria} value={f.language} onChange={set('language')} />
          )}
        </Field>
        {input('phone', { type: 'tel', autocomplete: 'tel', hint: t('register.optional') })}
        {input('birth_date', { type: 'date', autocomplete: 'bday', hint: t('register.optional') })}
        {unitsUnavailable ? (
          <NotYet what={t('register.unitsNotYet')} />
        ) : (
          <Field id="reg-org_unit_id" label={t('register.field.org_unit_id')} error={errors.org_unit_id} hint={t('register.unitHint')}>
            {(aria) => (
              <select {...aria} value={f.org_unit_id} onChange={set('org_unit_id')} disabled={!units}>
                <option value="">{t('register.choose')}</option>
                {(units || []).map((u) => <option value={u.id} key={u.id}>{u.name}</option>)}
              </select>
            )}
          </Field>
        )}
        {input('username', { autocomplete: 'username' })}
        {input('password', { type: 'password', autocomplete: 'new-password', hint: t('register.passwordHint') })}
        <button class="btn btn-block" type="submit" disabled={busy || unitsUnavailable || missing}>{t('register.submit')}</button>
      </form>
      <p>{t('register.haveAccount')} <Link href="/sign-in">{t('auth.signIn')}</Link></p>
    </Page>
  );
}
