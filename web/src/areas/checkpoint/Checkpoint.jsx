// Checkpoint: scan (camera, a keyboard-wedge scanner, or paste) and see green / yellow / red,
// or valid / invalid with the reason, readable at arm's length.
// MK1: codes verify here in the browser from the cached trust bundle, with or without a
// network; HC1: (EU DCC) and shc:/ (SMART Health Cards) go to POST /api/v1/verify when online.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useStore, online } from '../../app/store.js';
import { useT, fmtDateTime, fmtRelative, fmtNumber } from '../../i18n/index.js';
import { Page, Field, Notice, useInterval } from '../../ui/ui.jsx';
import { QrScanner } from '../../ui/QrScanner.jsx';
import { verifyMk1, PREFIX } from './mk1.js';
import { cachedTrust, refreshTrust } from './trust.js';

const MARK = { green: '✓', yellow: '!', red: '✕' };
const STALE_MS = 24 * 3600 * 1000;

function Verdict({ v }) {
  const t = useT();
  if (!v.valid) {
    return (
      <div class="verdict verdict-invalid" role="alert" data-testid="verdict" data-valid="false">
        <p class="verdict-mark" aria-hidden="true">✕</p>
        <p class="verdict-word">{t('checkpoint.invalid')}</p>
        <p class="verdict-reason">{t(`checkpoint.reason.${v.reason}`)}</p>
        {v.serverReason && (
          <details><summary>{t('checkpoint.serverReason')}</summary><p class="mono">{v.serverReason}</p></details>
        )}
      </div>
    );
  }
  const colour = v.colour;
  return (
    <div class={`verdict ${colour ? `colour-${colour}` : 'colour-green'}`} role="alert" data-testid="verdict" data-valid="true" data-colour={colour || ''}>
      <p class="verdict-mark" aria-hidden="true">{colour ? MARK[colour] : '✓'}</p>
      <p class="verdict-word">{colour ? t(`common.colour.${colour}`) : t('checkpoint.valid')}</p>
      <p class="verdict-reason">{colour ? t(`checkpoint.colourMeans.${colour}`) : t(`checkpoint.format.${v.format}`)}</p>
      <dl>
        <dt>{t('checkpoint.kind')}</dt><dd>{t(`checkpoint.format.${v.format}`)}</dd>
        {v.issuer && <><dt>{t('checkpoint.issuer')}</dt><dd>{v.issuer}</dd></>}
        {v.expires_at && <><dt>{t('checkpoint.expires')}</dt><dd>{fmtDateTime(v.expires_at)}</dd></>}
        {v.code_id && <><dt>{t('checkpoint.codeId')}</dt><dd class="mono">{v.code_id}</dd></>}
        <dt>{t('checkpoint.checked')}</dt><dd>{t(v.offline ? 'checkpoint.checkedHere' : 'checkpoint.checkedServer')}</dd>
      </dl>
    </div>
  );
}

export default function Checkpoint() {
  const t = useT();
  const isOnline = useStore(online);
  const [trust, setTrust] = useState(cachedTrust());
  const [trustError, setTrustError] = useState(false);
  const [verdict, setVerdict] = useState(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const resultRef = useRef(null);
  const seq = useRef(0); // each verdict its own element: announced afresh, never mistaken for the last

  const loadTrust = () => refreshTrust().then((c) => { setTrust(c); setTrustError(false); return c; }, () => { setTrustError(true); return null; });
  useEffect(() => { if (isOnline) loadTrust(); }, [isOnline]);
  useInterval(() => { if (navigator.onLine) loadTrust(); }, 5 * 60 * 1000);

  const check = async (raw) => {
    const qr = raw.trim();
    if (!qr) return;
    // The last person's verdict goes at once: it must never stand beside the next person's code.
    setVerdict(null);
    setBusy(true);
    let v;
    try {
      if (qr.startsWith(PREFIX)) {
        let bundle = trust?.bundle;
        v = bundle ? await verifyMk1(qr, bundle) : { valid: false, reason: 'no_trust' };
        if (!v.valid && v.reason === 'unknown_kid' && navigator.onLine) {
          const fresh = await loadTrust();
          if (fresh) v = await verifyMk1(qr, fresh.bundle);
        }
        v.offline = true;
      } else if (qr.startsWith('HC1:') || qr.startsWith('shc:/')) {
        if (!navigator.onLine) v = { valid: false, reason: 'needs_network' };
        else {
          try {
            const r = await api('/verify', { method: 'POST', body: { qr } });
            v = { valid: r.valid, format: r.format, issuer: r.issuer, expires_at: r.expires_at, reason: r.valid ? null : 'server', serverReason: r.reason };
          } catch (e) {
            v = { valid: false, reason: e.code === 'offline' ? 'needs_network' : 'server', serverReason: e.message };
          }
        }
      } else {
        v = { valid: false, reason: 'unknown_format' };
      }
    } finally {
      setBusy(false);
    }
    setVerdict({ ...v, seq: ++seq.current });
    setText('');
    requestAnimationFrame(() => resultRef.current?.focus());
  };

  const trustAge = trust ? Date.now() - Date.parse(trust.fetched_at) : Infinity;
  return (
    <Page title={t('checkpoint.title')}>
      <div ref={resultRef} tabIndex={-1} aria-live="assertive">
        {verdict && <Verdict key={verdict.seq} v={verdict} />}
      </div>
      {verdict && (
        <p><button type="button" class="btn btn-block" onClick={() => setVerdict(null)}>{t('checkpoint.next')}</button></p>
      )}
      <div class="card stack">
        <QrScanner startLabel={t('checkpoint.scan')} accept={(s) => /^(MK1:|HC1:|shc:\/)/.test(s)} onResult={check} />
      </div>
      <form class="card" onSubmit={(e) => { e.preventDefault(); check(text); }} noValidate>
        <Field id="code-text" label={t('checkpoint.pasteLabel')} hint={t('checkpoint.pasteHint')}>
          {(aria) => (
            <textarea {...aria} rows={3} class="mono" autocomplete="off" spellcheck={false} value={text}
              onInput={(e) => setText(e.currentTarget.value)}
              onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); check(e.currentTarget.value); } }} />
          )}
        </Field>
        <button type="submit" class="btn btn-block" disabled={busy || !text.trim()}>{t('checkpoint.verify')}</button>
      </form>
      <div class="card">
        <h2>{t('checkpoint.trustTitle')}</h2>
        {trust ? (
          <p data-testid="trust-status">
            {t('checkpoint.trustAge', { when: fmtDateTime(trust.fetched_at), rel: fmtRelative(trust.fetched_at), keys: fmtNumber(trust.bundle.mekong_keys.length), revoked: fmtNumber(trust.bundle.revoked.length) })}
          </p>
        ) : (
          <Notice kind="warn">{t('checkpoint.noTrust')}</Notice>
        )}
        {trust && trustAge > STALE_MS && <Notice kind="warn">{t('checkpoint.trustStale')}</Notice>}
        {trustError && isOnline && <Notice kind="warn">{t('checkpoint.trustFailed')}</Notice>}
        <p class="muted">{t('checkpoint.offlineNote')}</p>
      </div>
    </Page>
  );
}
