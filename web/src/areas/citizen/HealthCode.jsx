// My health code: colour, QR, reasons in my language, the date it turns green. Refreshed
// before the credential expires; offline it shows the last copy and says when that expires.
import { useEffect, useState } from 'preact/hooks';
import { useT, lang, fmtDate, fmtDateTime, fmtRelative } from '../../i18n/index.js';
import { useStore, online } from '../../app/store.js';
import { Page, Notice, ErrorNotice, Loading, useInterval } from '../../ui/ui.jsx';
import { Qr } from '../../ui/Qr.jsx';
import { fetchCode, lastCode } from './data.js';

const MARK = { green: '✓', yellow: '!', red: '✕' };
const RULES = ['confirmed_case', 'positive_test', 'close_contact', 'second_hop', 'third_hop', 'fever', 'symptoms', 'risk_area_high', 'risk_area_medium'];

/** A reason in the reader's language: the server's sentence when it is in that language, else ours ({what, until}). */
export function reasonText(t, reason, status, code) {
  if (status.language === code && reason.detail) return reason.detail;
  const rule = RULES.includes(reason.rule) ? reason.rule : 'other';
  const what = t(`citizen.rule.${rule}`, { date: fmtDate(reason.since) });
  const until = reason.until
    ? t('citizen.reason.until', { date: fmtDate(reason.until) })
    : reason.negative_test_from
      ? t('citizen.reason.untilTest', { date: fmtDate(reason.negative_test_from) })
      : t('citizen.reason.untilReleased');
  return { what, until };
}

/** Each reason once: contact with several cases on the same days reads as the same sentence. */
function distinctReasons(t, status, code) {
  const seen = new Set();
  const out = [];
  for (const r of status.reasons) {
    const text = reasonText(t, r, status, code);
    const key = `${r.colour}|${typeof text === 'string' ? text : `${text.what}|${text.until}`}`;
    if (!seen.has(key)) seen.add(key), out.push({ r, text });
  }
  return out;
}

function ReasonLine({ r }) {
  if (typeof r === 'string') return <span>{r}</span>;
  return <><strong>{r.what}</strong> {r.until}</>;
}

export default function HealthCode() {
  const t = useT();
  const code = useStore(lang);
  const isOnline = useStore(online);
  const [copy, setCopy] = useState(lastCode());
  const [error, setError] = useState(null);
  const [now, setNow] = useState(Date.now());

  const refresh = () =>
    fetchCode().then(
      (c) => { setCopy(c); setError(null); setNow(Date.now()); },
      (e) => { setError(e); setNow(Date.now()); },
    );

  // On opening, on a change of language (the reasons' words) and when the network returns.
  useEffect(() => { refresh(); }, [code, isOnline]);
  // The colour can change at any time (a case is traced): look again every 5 minutes.
  useInterval(refresh, 5 * 60 * 1000);
  useInterval(() => setNow(Date.now()), 30 * 1000);
  // And always before the signed credential expires (15 minutes ahead).
  const expiresAt = copy ? Date.parse(copy.credential.expires_at) : 0;
  useEffect(() => {
    if (!expiresAt) return;
    const ms = Math.max(30 * 1000, expiresAt - Date.now() - 15 * 60 * 1000);
    const timer = setTimeout(refresh, Math.min(ms, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [expiresAt]);

  if (!copy) {
    return (
      <Page title={t('citizen.code.title')}>
        {error ? <ErrorNotice error={error} /> : <Loading />}
      </Page>
    );
  }
  const { status, credential } = copy;
  const expired = now > expiresAt;
  const colour = status.colour;
  const stale = error && error.code === 'offline';

  return (
    <Page title={t('citizen.code.title')}>
      {stale && (
        <Notice kind="warn">
          <p>{t('citizen.code.offline', { when: fmtDateTime(copy.fetched_at) })}</p>
        </Notice>
      )}
      {error && !stale && <ErrorNotice error={error} />}
      <div class={`code-card colour-${expired ? 'grey' : colour}`} data-colour={colour}>
        <p class="colour-word">
          <span aria-hidden="true">{MARK[colour]} </span>
          {t(`common.colour.${colour}`)}
        </p>
        <div class={`qr ${expired ? 'stale' : ''}`}>
          <Qr text={credential.qr_text} label={t('citizen.code.qrLabel', { colour: t(`common.colour.${colour}`) })} />
        </div>
        {expired ? (
          <p><strong>{t('citizen.code.expired', { when: fmtDateTime(expiresAt) })}</strong></p>
        ) : (
          <p>{t('citizen.code.validUntil', { when: fmtDateTime(expiresAt), rel: fmtRelative(expiresAt, now) })}</p>
        )}
      </div>

      <div class="card">
        <h2>{t('citizen.code.greenTitle')}</h2>
        {colour === 'green' ? (
          <p>{t('citizen.code.isGreen')}</p>
        ) : status.green_at ? (
          <p data-testid="green-at">{t('citizen.code.greenOn', { date: fmtDate(status.green_at) })}</p>
        ) : (
          <p>{t('citizen.code.greenUnknown')}</p>
        )}
      </div>

      {status.reasons?.length > 0 && (
        <div class="card reasons">
          <h2>{t('citizen.code.reasons')}</h2>
          <ul>
            {distinctReasons(t, status, code).map(({ r, text }, i) => (
              <li key={i}>
                <span class={`badge colour-${r.colour}`}>{t(`common.colour.${r.colour}`)}</span>{' '}
                <ReasonLine r={text} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <p class="muted">{t('citizen.code.updated', { when: fmtDateTime(copy.fetched_at) })}</p>
      <button type="button" class="btn btn-secondary" onClick={refresh} disabled={!isOnline}>{t('citizen.code.refresh')}</button>
    </Page>
  );
}
