// The hotline desk's queue (admin, command officer): the figures of the last 30 days
// (GET /tickets/summary: how many wait for us or for the caller, how many missed a target,
// the median times to a first answer and to closing, the share on time), and the tickets of my
// unit and the units below (GET /tickets) by status, topic, the caller's language or late only.
// Each row: subject, the caller's language named in mine, channel, age, when the first answer
// is due while it runs, and a "late" mark (word, not colour alone) when a target was missed.
import { useState } from 'preact/hooks';
import { Link } from '../../app/router.js';
import { useT, fmtNumber, fmtRelative, fmtDateTime } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, useLoad, useInterval, Pager } from '../../ui/ui.jsx';
import { useUnitNames } from '../command/desk.js';
import { CATEGORIES, STATUSES, TICKET_LANGUAGES, SHORT, listTickets, summary, awaitingFirstReply } from './data.js';
import { languageName, fmtDuration, fmtShare } from './desk.js';
import '../../styles/staff.css';
import './hotline.css';

const PAGE = 50;
const DAYS = 30;

/** The summary's figures: [key, how it is written, written in words (a smaller type)]. */
const FIGURES = [
  ['opened', (s) => fmtNumber(s.opened)],
  ['open', (s) => fmtNumber(s.open)],
  ['answered', (s) => fmtNumber(s.answered)],
  ['closed', (s) => fmtNumber(s.closed)],
  ['first_reply_late', (s) => fmtNumber(s.first_reply_late)],
  ['close_late', (s) => fmtNumber(s.close_late)],
  ['median_first_reply_seconds', (s) => fmtDuration(s.median_first_reply_seconds), true],
  ['median_close_seconds', (s) => fmtDuration(s.median_close_seconds), true],
  ['first_reply_on_time', (s) => fmtShare(s.first_reply_on_time)],
  ['closed_on_time', (s) => fmtShare(s.closed_on_time)],
];

function Summary({ data }) {
  const t = useT();
  return (
    <section aria-labelledby="sum-h">
      <h2 id="sum-h">{t('hotline.sum.title', { days: fmtNumber(data.days) })}</h2>
      <dl class="facts figures" data-testid="summary">
        {FIGURES.map(([k, show, words]) => (
          <div key={k} data-figure={k}><dt>{t(`hotline.sum.${k}`)}</dt><dd class={`big-number ${words ? 'figure-words' : ''}`}>{show(data)}</dd></div>
        ))}
      </dl>
      <p class="muted">{t('hotline.sum.targets')}</p>
    </section>
  );
}

/** The "late" marks of a ticket: a word for each target missed. */
export function LateMarks({ k }) {
  const t = useT();
  return (
    <>
      {k.first_reply_late && <> <span class="badge ticket-late" data-testid="late-reply">{t('hotline.late.reply')}</span></>}
      {k.close_late && <> <span class="badge ticket-late" data-testid="late-close">{t('hotline.late.close')}</span></>}
    </>
  );
}

/** How long ago a ticket was opened; the first minute is "just now" (a clock a second ahead is too). */
export function ageText(t, k, now) {
  const at = Date.parse(k.created_at);
  return now - at < 60000 ? t('hotline.openedJustNow') : t('hotline.openedAgo', { when: fmtRelative(at, now) });
}

/** When the first answer is due (relative, while it is awaited), else when it came. */
export function replyText(t, k, now) {
  if (awaitingFirstReply(k)) {
    const when = fmtRelative(k.first_reply_due, now);
    return Date.parse(k.first_reply_due) >= now ? t('hotline.replyDue', { when }) : t('hotline.replyOverdue', { when });
  }
  return k.first_reply_at ? t('hotline.repliedAt', { when: fmtDateTime(k.first_reply_at, SHORT) }) : t('hotline.noReply');
}

export default function Queue() {
  const t = useT();
  const [q, setQ] = useState({ status: '', category: '', language: '', late: false });
  const [offset, setOffset] = useState(0);
  const [now, setNow] = useState(Date.now());
  const query = { status: q.status, category: q.category, language: q.language, late: q.late ? 'true' : '', limit: PAGE, offset };
  const list = useLoad(() => listTickets(query), [q.status, q.category, q.language, q.late, offset]);
  const sum = useLoad(() => summary(DAYS));
  useInterval(() => { setNow(Date.now()); list.reload(); sum.reload(); }, 60000);
  const items = list.data?.items || [];
  const unitName = useUnitNames(items.map((k) => k.org_unit_id));
  const pick = (k) => (e) => { setQ({ ...q, [k]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value }); setOffset(0); };

  return (
    <Page title={t('hotline.desk.title')} wide>
      <p><Link class="btn" href="/hotline/new">{t('hotline.call.record')}</Link></p>
      <ErrorNotice error={sum.error} />
      {sum.data && <Summary data={sum.data} />}

      <h2 id="queue-h">{t('hotline.desk.queue')}</h2>
      <div class="filters" data-testid="queue-filters">
        <Field id="q-status" label={t('hotline.status')}>
          {(a) => (
            <select {...a} value={q.status} onChange={pick('status')}>
              <option value="">{t('hotline.any')}</option>
              {STATUSES.map((s) => <option key={s} value={s}>{t(`hotline.status.${s}`)}</option>)}
            </select>
          )}
        </Field>
        <Field id="q-category" label={t('hotline.category')}>
          {(a) => (
            <select {...a} value={q.category} onChange={pick('category')}>
              <option value="">{t('hotline.any')}</option>
              {CATEGORIES.map((c) => <option key={c} value={c}>{t(`hotline.cat.${c}`)}</option>)}
            </select>
          )}
        </Field>
        <Field id="q-language" label={t('hotline.language')}>
          {(a) => (
            <select {...a} value={q.language} onChange={pick('language')}>
              <option value="">{t('hotline.any')}</option>
              {TICKET_LANGUAGES.map((l) => <option key={l} value={l}>{languageName(l)}</option>)}
            </select>
          )}
        </Field>
        <div class="field">
          <label class="check"><input type="checkbox" id="q-late" checked={q.late} onChange={pick('late')} /> <span>{t('hotline.lateOnly')}</span></label>
        </div>
      </div>
      <ErrorNotice error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && !items.length && <p class="muted" data-testid="no-tickets">{t('hotline.desk.none')}</p>}
      {items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="queue-h">
          <table data-testid="queue">
            <thead>
              <tr>
                <th scope="col">{t('hotline.subject')}</th><th scope="col">{t('hotline.language')}</th><th scope="col">{t('hotline.channel')}</th>
                <th scope="col">{t('hotline.category')}</th><th scope="col">{t('hotline.status')}</th><th scope="col">{t('hotline.age')}</th>
                <th scope="col">{t('hotline.firstReply')}</th><th scope="col">{t('hotline.unit')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((k) => (
                <tr key={k.id} data-ticket-id={k.id} data-language={k.language} data-status={k.status} data-late={String(k.first_reply_late || k.close_late)}>
                  <td><Link href={`/hotline/tickets/${k.id}`} lang={k.language}>{k.subject}</Link><LateMarks k={k} /></td>
                  <td data-testid="language">{languageName(k.language)}</td>
                  <td>{t(`hotline.chan.${k.channel}`)}</td>
                  <td>{t(`hotline.cat.${k.category}`)}</td>
                  <td>{t(`hotline.status.${k.status}`)}</td>
                  <td title={fmtDateTime(k.created_at, SHORT)}>{ageText(t, k, now)}</td>
                  <td class={awaitingFirstReply(k) ? 'due-line' : ''}>{replyText(t, k, now)}</td>
                  <td>{unitName.get(k.org_unit_id) || t('hotline.unitN', { id: fmtNumber(k.org_unit_id, { useGrouping: false }) })}</td>
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
