// Trusted foreign issuers: what the trust bundle holds (GET /trust/bundle: EU DCC document
// signers, SMART Health Cards issuers' keys, our own keys, revocations), and adding an EU DCC
// signer certificate (POST /trust/eu-dcc: PEM, or a .der/.cer/.crt file) or an SHC issuer with
// its JWKS (POST /trust/shc).
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useT, fmtDateTime, fmtNumber, regionDisplayName } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, Notice, useLoad, errorText } from '../../ui/ui.jsx';
import '../../styles/staff.css';

const SHORT = { dateStyle: 'medium', timeStyle: 'short' };

/** Messages are kept as functions so they follow a language switch. */
const say = (m) => (typeof m === 'function' ? m() : m);

/** A certificate file as the API takes it: PEM text as is, DER bytes as base64. */
async function readCertificate(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  if (text.includes('-----BEGIN')) return text;
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * A file input whose words follow the page's language: the native one speaks the browser's.
 * The input stays in the tab order (visually hidden); its label looks like a button.
 */
function FilePick({ id, accept, onText }) {
  const t = useT();
  const [name, setName] = useState('');
  return (
    <div class="field file-pick">
      <input id={id} type="file" accept={accept} class="file-input"
        onChange={async (e) => { const f = e.currentTarget.files[0]; if (f) { setName(f.name); onText(await (accept.includes('json') ? f.text() : readCertificate(f))); } }} />
      <label for={id} class="btn btn-secondary">{t('admin.trust.file')}</label>
      <span class="muted">{name || t('admin.trust.noFile')}</span>
    </div>
  );
}

function useForm(initial) {
  const [v, setV] = useState(initial);
  const [errs, setErrs] = useState({});
  const [error, setError] = useState(null);
  const [ok, setOk] = useState(null);
  const [busy, setBusy] = useState(false);
  return { v, set: (k, x) => setV((s) => ({ ...s, [k]: x })), reset: () => setV(initial), errs, setErrs, error, setError, ok, setOk, busy, setBusy };
}

export default function Trust() {
  const t = useT();
  // The bundle is public and cacheable for verifiers (max-age=60); the admin sees it fresh.
  const bundle = useLoad(() => api('/trust/bundle', { cache: 'no-cache' }));
  const dcc = useForm({ country: '', certificate: '' });
  const shc = useForm({ issuer: '', jwks: '' });

  const send = async (f, path, body, check, okText) => {
    const errs = check();
    f.setErrs(errs); f.setError(null); f.setOk(null);
    if (Object.keys(errs).length) return;
    f.setBusy(true);
    try {
      const r = await api(path, { method: 'POST', body });
      f.setOk(() => okText(r)); f.reset(); bundle.reload();
    } catch (e) {
      if (e.field) f.setErrs({ [e.field]: () => errorText(t, e) });
      f.setError(e);
    } finally {
      f.setBusy(false);
    }
  };

  const addDcc = (e) => {
    e.preventDefault();
    const country = dcc.v.country.trim().toUpperCase();
    send(dcc, '/trust/eu-dcc', { country, certificate: dcc.v.certificate.trim() }, () => ({
      ...(/^[A-Z]{2}$/.test(country) ? {} : { country: () => t('admin.trust.countryBad') }),
      ...(dcc.v.certificate.trim() ? {} : { certificate: () => t('admin.required') }),
    }), () => () => t('admin.trust.dccAdded', { country: regionDisplayName(country) }));
  };
  const addShc = (e) => {
    e.preventDefault();
    let jwksOk = true;
    try { JSON.parse(shc.v.jwks); } catch { jwksOk = false; }
    send(shc, '/trust/shc', { issuer: shc.v.issuer.trim(), jwks: shc.v.jwks.trim() }, () => ({
      ...(/^https:\/\/\S+$/.test(shc.v.issuer.trim()) ? {} : { issuer: () => t('admin.trust.issuerBad') }),
      ...(jwksOk ? {} : { jwks: () => t('admin.trust.jwksBad') }),
    }), (r) => () => t('admin.trust.shcAdded', { n: fmtNumber(r.trusted_keys ?? 0) }));
  };

  const b = bundle.data;
  return (
    <Page title={t('admin.trust.title')} wide>
      <ErrorNotice error={bundle.error} />
      {bundle.loading && !b && <Loading />}
      {b && (
        <>
          <p class="muted" data-testid="bundle-meta">{t('admin.trust.meta', { v: fmtNumber(b.version), when: fmtDateTime(b.generated_at, SHORT), keys: fmtNumber(b.mekong_keys.length), revoked: fmtNumber(b.revoked.length) })}</p>
          <div class="grid-2">
            <section aria-labelledby="dcc-h">
              <h2 id="dcc-h">{t('admin.trust.dcc')}</h2>
              {b.eu_dcc.length === 0 ? <p>{t('admin.trust.noneYet')}</p> : (
                <table data-testid="dcc-signers">
                  <caption class="visually-hidden">{t('admin.trust.dcc')}</caption>
                  <thead><tr><th scope="col">{t('admin.trust.country')}</th><th scope="col">{t('admin.keys.kid')}</th></tr></thead>
                  <tbody>{b.eu_dcc.map((x) => <tr key={x.kid}><td>{regionDisplayName(x.country)} ({x.country})</td><td class="mono">{x.kid}</td></tr>)}</tbody>
                </table>
              )}
            </section>
            <section aria-labelledby="shc-h">
              <h2 id="shc-h">{t('admin.trust.shc')}</h2>
              {b.shc.length === 0 ? <p>{t('admin.trust.noneYet')}</p> : (
                <table data-testid="shc-issuers">
                  <caption class="visually-hidden">{t('admin.trust.shc')}</caption>
                  <thead><tr><th scope="col">{t('admin.trust.issuer')}</th><th scope="col">{t('admin.keys.kid')}</th></tr></thead>
                  <tbody>{b.shc.map((x) => <tr key={x.kid}><td class="mono">{x.issuer}</td><td class="mono">{x.kid}</td></tr>)}</tbody>
                </table>
              )}
            </section>
          </div>
        </>
      )}
      <div class="grid-2">
        <form class="card" onSubmit={addDcc} noValidate aria-labelledby="add-dcc-h">
          <h2 id="add-dcc-h">{t('admin.trust.addDcc')}</h2>
          {dcc.ok && <Notice kind="ok"><p>{say(dcc.ok)}</p></Notice>}
          <Field id="country" label={t('admin.trust.country')} hint={t('admin.trust.countryHint')} error={say(dcc.errs.country)}>
            {(a) => <input type="text" {...a} value={dcc.v.country} maxLength={2} autocomplete="off" onInput={(e) => dcc.set('country', e.currentTarget.value)} />}
          </Field>
          <Field id="certificate" label={t('admin.trust.certificate')} hint={t('admin.trust.certificateHint')} error={say(dcc.errs.certificate)}>
            {(a) => <textarea {...a} rows={6} class="mono" value={dcc.v.certificate} spellcheck={false} onInput={(e) => dcc.set('certificate', e.currentTarget.value)} />}
          </Field>
          <FilePick id="certificate-file" accept=".pem,.crt,.cer,.der" onText={(x) => dcc.set('certificate', x)} />
          <ErrorNotice error={dcc.error} />
          <button type="submit" class="btn" disabled={dcc.busy}>{t('admin.trust.addDccButton')}</button>
        </form>
        <form class="card" onSubmit={addShc} noValidate aria-labelledby="add-shc-h">
          <h2 id="add-shc-h">{t('admin.trust.addShc')}</h2>
          {shc.ok && <Notice kind="ok"><p>{say(shc.ok)}</p></Notice>}
          <Field id="issuer" label={t('admin.trust.issuer')} hint={t('admin.trust.issuerHint')} error={say(shc.errs.issuer)}>
            {(a) => <input type="url" {...a} value={shc.v.issuer} autocomplete="off" onInput={(e) => shc.set('issuer', e.currentTarget.value)} />}
          </Field>
          <Field id="jwks" label={t('admin.trust.jwks')} hint={t('admin.trust.jwksHint')} error={say(shc.errs.jwks)}>
            {(a) => <textarea {...a} rows={6} class="mono" value={shc.v.jwks} spellcheck={false} onInput={(e) => shc.set('jwks', e.currentTarget.value)} />}
          </Field>
          <FilePick id="jwks-file" accept=".json,application/json" onText={(x) => shc.set('jwks', x)} />
          <ErrorNotice error={shc.error} />
          <button type="submit" class="btn" disabled={shc.busy}>{t('admin.trust.addShcButton')}</button>
        </form>
      </div>
    </Page>
  );
}
