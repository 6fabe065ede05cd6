// What the citizen's and the desk's ticket pages share: the thread (who wrote, when, what) and
// the box that adds a message (POST /tickets/{id}/messages), whose refusals are the server's.
import { useState } from 'preact/hooks';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';
import { Field, ErrorNotice, errorText } from '../../ui/ui.jsx';
import { addMessage, SHORT, say } from './data.js';
import './hotline.css';

/** Who wrote a message, as the reader of this view (`viewer`: 'citizen' | 'desk') says it. */
export function whoWrote(t, m, ticket, viewer, me) {
  if (viewer === 'citizen') return m.from_staff ? t('hotline.who.hotline') : t('hotline.who.you');
  if (m.from_staff) return m.by === me ? t('hotline.who.you') : t('hotline.who.staff', { id: fmtNumber(m.by, { useGrouping: false }) });
  return ticket.caller_name ? t('hotline.who.callerNamed', { name: ticket.caller_name }) : t('hotline.who.caller');
}

export function Thread({ ticket, viewer, me }) {
  const t = useT();
  return (
    <>
      <h2 id="thread-h">{t('hotline.thread')}</h2>
      <ol class="thread" aria-labelledby="thread-h" data-testid="thread">
        {ticket.messages.map((m) => (
          <li key={m.id} class={m.from_staff ? 'from-staff' : 'from-caller'} data-from-staff={String(m.from_staff)} data-message-id={m.id}>
            <p class="msg-head">
              <span class="msg-who" data-testid="who">{whoWrote(t, m, ticket, viewer, me)}</span>
              <span>{fmtDateTime(m.at, SHORT)}</span>
            </p>
            <p class="msg-body" lang={ticket.language} data-testid="body">{m.body}</p>
          </li>
        ))}
      </ol>
    </>
  );
}

/** The box that adds to the thread; `onDone(ticket)` gets the server's ticket. */
export function MessageBox({ ticket, id = 'msg-body', title, label, hint, submit, onDone }) {
  const t = useT();
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const send = async (e) => {
    e.preventDefault();
    if (!text.trim()) {
      setFieldError(() => () => t('hotline.form.required'));
      return;
    }
    setBusy(true); setError(null); setFieldError(null);
    try {
      const k = await addMessage(ticket.id, text.trim());
      setText('');
      onDone(k);
    } catch (x) {
      if (x.field === 'body') setFieldError(() => () => errorText(t, x));
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={send} noValidate aria-labelledby={`${id}-h`} data-testid="message-form">
      <h2 id={`${id}-h`}>{title}</h2>
      <Field id={id} label={label} hint={hint} error={say(fieldError)}>
        {(a) => <textarea {...a} rows={4} maxLength={5000} value={text} onInput={(e) => setText(e.currentTarget.value)} />}
      </Field>
      <ErrorNotice error={error} />
      <button type="submit" class="btn" disabled={busy}>{submit}</button>
    </form>
  );
}
