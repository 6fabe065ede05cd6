// One ticket at the desk (GET /tickets/{id}): who called, how, in which language, about what;
// the targets (the first answer within 4 hours, said relative while it runs; closed within 3
// days) and whether they were missed; the thread; an answer (POST /tickets/{id}/messages: the
// ticket then waits for the caller); and closing with a note, which the desk must give
// (POST /tickets/{id}/close). A ticket outside my unit's subtree is the server's "not found".
import { useEffect, useState } from 'preact/hooks';
import { Link, navigate, query } from '../../app/router.js';
import { useT, fmtDateTime, fmtNumber, fmtRelative } from '../../i18n/index.js';
import { Page, Field, Notice, ErrorNotice, Loading, errorText, useLoad, useInterval } from '../../ui/ui.jsx';
import { useUser, useUnitNames } from '../command/desk.js';
import { getTicket, closeTicket, SHORT, say } from './data.js';
import { languageName } from './desk.js';
import { Thread, MessageBox } from './Thread.jsx';
import { LateMarks, replyText } from './Queue.jsx';
import '../../styles/staff.css';
import './hotline.css';

function CloseForm({ ticket, onClosed }) {
  const t = useT();
  const [note, setNote] = useState('');
  const [fieldError, setFieldError] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    if (!note.trim()) {
      setFieldError(() => () => t('hotline.desk.noteRequired'));
      return;
    }
    setBusy(true); setError(null); setFieldError(null);
    try {
      onClosed(await closeTicket(ticket.id, note.trim()));
    } catch (x) {
      if (x.field === 'note') setFieldError(() => () => errorText(t, x));
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="close-h" data-testid="close-form">
      <h2 id="close-h">{t('hotline.desk.closeTitle')}</h2>
      <Field id="close-note" label={t('hotline.desk.note')} hint={t('hotline.desk.noteHint')} error={say(fieldError)}>
        {(a) => <textarea {...a} rows={3} maxLength={2000} aria-required="true" value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
      </Field>
      <ErrorNotice error={error} />
      <button type="submit" class="btn btn-secondary" disabled={busy}>{t('hotline.desk.close')}</button>
    </form>
  );
}

export default function DeskTicket({ params }) {
  const t = useT();
  const user = useUser();
  const load = useLoad(() => getTicket(params.id), [params.id]);
  const [fresh, setFresh] = useState(null);
  const [done, setDone] = useState(() => (query().recorded ? () => t('hotline.call.recorded') : null));
  // "Recorded" is said once: a reload of the page should not say it again.
  useEffect(() => { if (query().recorded) navigate(`/hotline/tickets/${params.id}`, { replace: true }); }, []);
  const [now, setNow] = useState(Date.now());
  useInterval(() => setNow(Date.now()), 30000);
  const k = fresh?.id === Number(params.id) ? fresh : load.data;
  const names = useUnitNames(k ? [k.org_unit_id] : []);
  const closing = k && k.status !== 'closed';

  return (
    <Page title={k ? k.subject : t('hotline.desk.ticket')} titleLang={k?.language} wide>
      <p><Link href="/hotline">{t('hotline.desk.back')}</Link></p>
      <ErrorNotice error={load.error} />
      {load.loading && !k && <Loading />}
      {k && (
        <>
          <dl class="ticket-facts" data-testid="ticket-facts">
            <div><dt>{t('hotline.status')}</dt><dd><span class={`badge status-${k.status}`} data-testid="status" data-status={k.status}>{t(`hotline.status.${k.status}`)}</span><LateMarks k={k} /></dd></div>
            <div><dt>{t('hotline.firstReply')}</dt><dd data-testid="reply-due" class={k.status !== 'closed' && !k.first_reply_at ? 'due-line' : ''}>{replyText(t, k, now)}</dd></div>
            <div><dt>{t('hotline.closeTarget')}</dt><dd data-testid="close-due">{closing ? t('hotline.closeDue', { when: fmtRelative(k.close_due, now) }) : t('hotline.closedAtText', { when: fmtDateTime(k.closed_at, SHORT) })}</dd></div>
            <div><dt>{t('hotline.language')}</dt><dd data-testid="language">{languageName(k.language)}</dd></div>
            <div><dt>{t('hotline.channel')}</dt><dd>{t(`hotline.chan.${k.channel}`)}</dd></div>
            <div><dt>{t('hotline.category')}</dt><dd>{t(`hotline.cat.${k.category}`)}</dd></div>
            <div><dt>{t('hotline.callerName')}</dt><dd data-testid="caller-name">{k.caller_name || '—'}</dd></div>
            <div><dt>{t('hotline.callerContact')}</dt><dd>{k.caller_contact || '—'}</dd></div>
            <div><dt>{t('hotline.unit')}</dt><dd>{names.get(k.org_unit_id) || t('hotline.unitN', { id: fmtNumber(k.org_unit_id, { useGrouping: false }) })}</dd></div>
            <div><dt>{t('hotline.openedAt')}</dt><dd>{fmtDateTime(k.created_at, SHORT)}</dd></div>
          </dl>
          {k.status === 'closed' && k.close_note && (
            <Notice><p>{t('hotline.desk.closedWith')}</p><p class="ticket-note" data-testid="close-note">{k.close_note}</p></Notice>
          )}
          <Thread ticket={k} viewer="desk" me={user?.user_id} />
          {done && <Notice kind="ok"><p data-testid="done">{done()}</p></Notice>}
          {closing && (
            <>
              <MessageBox ticket={k} id="answer-body" title={t('hotline.desk.answer')} label={t('hotline.desk.answerLabel')} hint={t('hotline.desk.answerHint', { language: languageName(k.language) })} submit={t('hotline.desk.send')}
                onDone={(x) => { setFresh(x); setDone(() => () => t('hotline.desk.sent')); }} />
              <CloseForm ticket={k} onClosed={(x) => { setFresh(x); setDone(() => () => t('hotline.desk.closed')); }} />
            </>
          )}
        </>
      )}
    </Page>
  );
}
