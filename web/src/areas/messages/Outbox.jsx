// The outbox (admin, command officer): the deliveries of messages to the people of my unit and
// the units below (GET /outbox), newest first, by status and channel, with the subtree's counts
// (GET /outbox/summary). Each row: the subject in its own language, the channel, the address,
// the status as a word, how many sends were tried, when the next is due (relative, and the
// time), when it was sent, and the last error. Read again every 30 s while the page is shown.
import { useState } from 'preact/hooks';
import { Link } from '../../app/router.js';
import { useT, fmtNumber, fmtRelative, fmtDateTime } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, useLoad, useInterval, Pager } from '../../ui/ui.jsx';
import { STATUSES, CHANNELS, SHORT, listDeliveries, outboxSummary } from './data.js';
import '../../styles/staff.css';
import './messages.css';

const PAGE = 50;

function Summary({ data }) {
  const t = useT();
  return (
    <section aria-labelledby="ob-sum-h">
      <h2 id="ob-sum-h">{t('messages.ob.summary')}</h2>
      <dl class="facts figures" data-testid="summary">
        {STATUSES.map((s) => (
          <div key={s} data-figure={s}><dt>{t(`messages.status.${s}`)}</dt><dd class="big-number">{fmtNumber(data[s] ?? 0)}</dd></div>
        ))}
      </dl>
    </section>
  );
}

/** The next attempt: relative (while queued) with the time beside it; "—" when none is due. */
export function NextAttempt({ d, now }) {
  const t = useT();
  if (!d.next_attempt_at) return <>—</>;
  const at = Date.parse(d.next_attempt_at);
  return (
    <>
      <span data-testid="next-rel">{at <= now ? t('messages.ob.dueNow') : fmtRelative(at, now)}</span>
      <br /><span class="muted" data-testid="next-at">{fmtDateTime(d.next_attempt_at, SHORT)}</span>
    </>
  );
}

export const StatusBadge = ({ d }) => {
  const t = useT();
  return <span class={`badge ob-${d.status}`} data-testid="status" data-status={d.status}>{t(`messages.status.${d.status}`)}</span>;
};

export default function Outbox() {
  const t = useT();
  const [q, setQ] = useState({ status: '', channel: '' });
  const [offset, setOffset] = useState(0);
  const [now, setNow] = useState(Date.now());
  const list = useLoad(() => listDeliveries({ status: q.status, channel: q.channel, limit: PAGE, offset }), [q.status, q.channel, offset]);
  const sum = useLoad(outboxSummary);
  useInterval(() => { setNow(Date.now()); list.reload(); sum.reload(); }, 30000);
  const items = list.data?.items || [];
  const pick = (k) => (e) => { setQ({ ...q, [k]: e.currentTarget.value }); setOffset(0); };

  return (
    <Page title={t('messages.ob.title')} wide>
      <p>{t('messages.ob.intro')}</p>
      <ErrorNotice error={sum.error} />
      {sum.data && <Summary data={sum.data} />}

      <h2 id="ob-h">{t('messages.ob.list')}</h2>
      <div class="filters" data-testid="outbox-filters">
        <Field id="ob-status" label={t('messages.ob.status')}>
          {(a) => (
            <select {...a} value={q.status} onChange={pick('status')}>
              <option value="">{t('messages.ob.any')}</option>
              {STATUSES.map((s) => <option key={s} value={s}>{t(`messages.status.${s}`)}</option>)}
            </select>
          )}
        </Field>
        <Field id="ob-channel" label={t('messages.ob.channel')}>
          {(a) => (
            <select {...a} value={q.channel} onChange={pick('channel')}>
              <option value="">{t('messages.ob.any')}</option>
              {CHANNELS.map((c) => <option key={c} value={c}>{t(`messages.chan.${c}`)}</option>)}
            </select>
          )}
        </Field>
      </div>
      <ErrorNotice error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && !items.length && <p class="muted" data-testid="no-deliveries">{t('messages.ob.none')}</p>}
      {items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="ob-h">
          <table data-testid="outbox">
            <thead>
              <tr>
                <th scope="col">{t('messages.ob.subject')}</th><th scope="col">{t('messages.ob.person')}</th><th scope="col">{t('messages.ob.channel')}</th>
                <th scope="col">{t('messages.ob.address')}</th><th scope="col">{t('messages.ob.status')}</th><th scope="col">{t('messages.ob.attempts')}</th>
                <th scope="col">{t('messages.ob.next')}</th><th scope="col">{t('messages.ob.sentAt')}</th><th scope="col">{t('messages.ob.lastError')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} data-delivery-id={d.id} data-channel={d.channel} data-status={d.status}>
                  <td>
                    <Link href={`/outbox/${d.id}`} lang={d.language} data-testid="subject">{d.subject}</Link>
                    <br /><span class="muted">{t('messages.ob.writtenAt', { when: fmtDateTime(d.created_at, SHORT) })}</span>
                  </td>
                  <td>{t('messages.ob.personN', { id: fmtNumber(d.person_id, { useGrouping: false }) })}</td>
                  <td data-testid="channel">{t(`messages.chan.${d.channel}`)}</td>
                  <td class="ob-address" data-testid="address">{d.address || '—'}</td>
                  <td><StatusBadge d={d} /></td>
                  <td data-testid="attempts">{fmtNumber(d.attempts)}</td>
                  <td data-testid="next"><NextAttempt d={d} now={now} /></td>
                  <td data-testid="sent-at">{d.sent_at ? fmtDateTime(d.sent_at, SHORT) : '—'}</td>
                  <td class="ob-error" data-testid="last-error">{d.last_error ? <span lang="en">{d.last_error}</span> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager offset={offset} page={PAGE} more={items.length === PAGE} onOffset={setOffset} />
    </Page>
  );
}
