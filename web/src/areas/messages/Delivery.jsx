// One delivery (GET /outbox/{id}): to whom, how, where, its status, the message's text in its own
// language and every attempt (when, delivered or not, the error). A failed one can be queued
// again (POST /outbox/{id}/retry); the server refuses any other (409), and says so here.
// A delivery outside my unit's subtree is the server's "not found".
import { useState } from 'preact/hooks';
import { Link } from '../../app/router.js';
import { useT, fmtDateTime, fmtNumber, LANGUAGES } from '../../i18n/index.js';
import { Page, Notice, ErrorNotice, Loading, useAction, useLoad, useInterval } from '../../ui/ui.jsx';
import { KINDS, SHORT, getDelivery, retryDelivery, attemptLog } from './data.js';
import { NextAttempt, StatusBadge } from './Outbox.jsx';
import '../../styles/staff.css';
import './messages.css';

/** A language by its own name (as the language picker writes it), in its own `lang`. */
const LanguageName = ({ code }) => <span lang={code}>{LANGUAGES.find((l) => l.code === code)?.name || code}</span>;

export default function Delivery({ params }) {
  const t = useT();
  const load = useLoad(() => getDelivery(params.id), [params.id]);
  const [fresh, setFresh] = useState(null);
  const retry = useAction();
  const [now, setNow] = useState(Date.now());
  useInterval(() => setNow(Date.now()), 30000);
  const d = fresh?.id === Number(params.id) ? fresh : load.data;
  const log = attemptLog(d);

  const doRetry = async () => {
    const r = await retry.run(() => retryDelivery(d.id), () => t('messages.ob.retried'));
    if (r) setFresh(r);
  };

  return (
    <Page title={d ? d.subject : t('messages.ob.delivery')} titleLang={d?.language} wide>
      <p><Link href="/outbox">{t('messages.ob.back')}</Link></p>
      <ErrorNotice error={load.error} />
      {load.loading && !d && <Loading />}
      {d && (
        <>
          <dl class="facts" data-testid="delivery-facts">
            <div><dt>{t('messages.ob.status')}</dt><dd><StatusBadge d={d} /></dd></div>
            <div><dt>{t('messages.ob.channel')}</dt><dd data-testid="channel">{t(`messages.chan.${d.channel}`)}</dd></div>
            <div><dt>{t('messages.ob.address')}</dt><dd class="ob-address" data-testid="address">{d.address || '—'}</dd></div>
            <div><dt>{t('messages.ob.person')}</dt><dd>{t('messages.ob.personN', { id: fmtNumber(d.person_id, { useGrouping: false }) })}</dd></div>
            <div><dt>{t('messages.ob.kind')}</dt><dd data-testid="kind">{KINDS.includes(d.kind) ? t(`messages.kind.${d.kind}`) : d.kind}</dd></div>
            <div><dt>{t('messages.ob.language')}</dt><dd data-testid="language"><LanguageName code={d.language} /></dd></div>
            <div><dt>{t('messages.ob.written')}</dt><dd>{fmtDateTime(d.created_at, SHORT)}</dd></div>
            <div><dt>{t('messages.ob.attempts')}</dt><dd data-testid="attempts">{fmtNumber(log.length)}</dd></div>
            <div><dt>{t('messages.ob.next')}</dt><dd data-testid="next"><NextAttempt d={d} now={now} /></dd></div>
            <div><dt>{t('messages.ob.sentAt')}</dt><dd data-testid="sent-at">{d.sent_at ? fmtDateTime(d.sent_at, SHORT) : '—'}</dd></div>
            {d.last_error && <div><dt>{t('messages.ob.lastError')}</dt><dd class="ob-error" data-testid="last-error"><span lang="en">{d.last_error}</span></dd></div>}
          </dl>

          {retry.done && <Notice kind="ok"><p data-testid="retried">{retry.done()}</p></Notice>}
          <ErrorNotice error={retry.error} />
          {d.status === 'failed' && (
            <div class="card">
              <h2>{t('messages.ob.retryTitle')}</h2>
              <p>{t('messages.ob.retryHint')}</p>
              <button type="button" class="btn" disabled={retry.busy} onClick={doRetry} data-testid="retry">{t('messages.ob.retry')}</button>
            </div>
          )}

          <h2 id="ob-text-h">{t('messages.ob.text')}</h2>
          <div class="card msg-text" lang={d.language} data-testid="text">{d.text}</div>

          <h2 id="ob-att-h">{t('messages.ob.attemptList')}</h2>
          {!log.length && <p class="muted" data-testid="no-attempts">{t('messages.ob.noAttempts')}</p>}
          {log.length > 0 && (
            <ol class="ob-attempts" aria-labelledby="ob-att-h" data-testid="attempt-list">
              {log.map((a, i) => (
                <li key={i} data-ok={String(!!a.ok)}>
                  <span class={`badge ${a.ok ? 'ob-sent' : 'ob-failed'}`} data-testid="outcome">{a.ok ? t('messages.ob.attemptOk') : t('messages.ob.attemptFailed')}</span>{' '}
                  <span data-testid="at">{fmtDateTime(a.at, SHORT)}</span>
                  {a.error && <> <span class="ob-error" lang="en" data-testid="error">{a.error}</span></>}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </Page>
  );
}
