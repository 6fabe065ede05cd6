// My messages (GET /me/messages): what Mekong told me (a question answered or closed…), newest
// first, each in the language it was written in (its own `lang`), the unread ones marked by a
// word, not colour alone. Opening one shows its text and its link and marks it read on the
// server (POST /me/messages/{id}/read), as does "Mark as read". Below, how messages reach me
// (GET/PUT /me/message-settings): the language they are written in, SMS to my record's phone,
// an email address; the server's refusals on their fields.
import { useEffect, useState } from 'preact/hooks';
import { Link } from '../../app/router.js';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';
import { Page, Field, Notice, ErrorNotice, Loading, LanguageSelect, errorText, useLoad, Pager } from '../../ui/ui.jsx';
import { SHORT, myMessages, markRead, getSettings, putSettings, say } from './data.js';
import './messages.css';

const PAGE = 20;
const FIELDS = ['language', 'sms', 'email'];

/** An app path a message may open: same site only, never another host. */
const appPath = (link) => (typeof link === 'string' && /^\/(?!\/)/.test(link) ? link : '');

function Message({ m, open, onToggle, onRead, busy }) {
  const t = useT();
  const unread = !m.read_at;
  const body = `msg-${m.id}-body`;
  const subj = `msg-${m.id}-subject`;
  const link = appPath(m.link);
  return (
    <li class={`card msg ${unread ? 'msg-unread' : 'msg-read'}`} data-message-id={m.id} data-kind={m.kind} data-read={String(!unread)}>
      <h3 class="msg-title">
        <button type="button" class="msg-toggle" aria-expanded={open ? 'true' : 'false'} aria-controls={body} onClick={onToggle} data-testid="toggle">
          {unread && <><span class="badge msg-new" data-testid="new">{t('messages.new')}</span> </>}
          <span id={subj} lang={m.language} data-testid="subject">{m.subject}</span>
        </button>
      </h3>
      <p class="msg-meta">
        <span data-testid="received">{t('messages.receivedAt', { when: fmtDateTime(m.created_at, SHORT) })}</span>
        {m.read_at && <span data-testid="read-at">{t('messages.readAt', { when: fmtDateTime(m.read_at, SHORT) })}</span>}
      </p>
      <div id={body} hidden={!open} data-testid="body">
        {open && (
          <>
            <p class="msg-text" lang={m.language} data-testid="text">{m.text}</p>
            {link && <p><Link href={link} class="btn btn-secondary" aria-describedby={subj} data-testid="link">{t('messages.openLink')}</Link></p>}
          </>
        )}
      </div>
      {unread && !open && (
        <button type="button" class="link-button" disabled={busy} onClick={onRead} aria-describedby={subj} data-testid="mark-read">{t('messages.markRead')}</button>
      )}
    </li>
  );
}

function Inbox() {
  const t = useT();
  const [offset, setOffset] = useState(0);
  const list = useLoad(() => myMessages({ limit: PAGE, offset }), [offset]);
  const [box, setBox] = useState(null); // {items, unread}: the server's, with reads applied
  const [open, setOpen] = useState({});
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => { if (list.data) setBox({ items: list.data.items || [], unread: list.data.unread || 0 }); }, [list.data]);

  const read = async (m) => {
    if (m.read_at || busy === m.id) return;
    setBusy(m.id); setError(null);
    try {
      const r = await markRead(m.id);
      setBox((b) => ({
        items: b.items.map((x) => (x.id === m.id ? { ...x, ...r } : x)),
        unread: Math.max(0, b.unread - (r.read_at ? 1 : 0)),
      }));
    } catch (x) {
      setError(x);
    } finally {
      setBusy(null);
    }
  };
  const toggle = (m) => {
    const now = !open[m.id];
    setOpen({ ...open, [m.id]: now });
    if (now) read(m);
  };
  const items = box?.items || [];

  return (
    <section aria-labelledby="inbox-h">
      <h2 id="inbox-h">{t('messages.inbox')}</h2>
      {box && (
        <p class="msg-count" data-testid="unread" data-unread={box.unread}>
          {box.unread ? t('messages.unread', { n: fmtNumber(box.unread) }) : t('messages.noneUnread')}
        </p>
      )}
      <ErrorNotice error={list.error} />
      <ErrorNotice error={error} />
      {list.loading && !box && <Loading />}
      {box && !items.length && <p class="muted" data-testid="no-messages">{offset ? t('messages.noMore') : t('messages.none')}</p>}
      {items.length > 0 && (
        <ul class="plain msg-list" aria-labelledby="inbox-h" data-testid="messages">
          {items.map((m) => <Message key={m.id} m={m} open={!!open[m.id]} busy={busy === m.id} onToggle={() => toggle(m)} onRead={() => read(m)} />)}
        </ul>
      )}
      <Pager offset={offset} page={PAGE} more={items.length === PAGE} onOffset={setOffset} />
    </section>
  );
}

/** What a refused field says, in the reader's words (the server's own text is in the notice's details). */
function fieldText(t, x) {
  if (x.code === 'invalid_argument' && x.field === 'email') return t('messages.set.badEmail');
  if (x.code === 'invalid_argument' && x.field === 'sms') return t('messages.set.badSms');
  return errorText(t, x);
}

function Settings() {
  const t = useT();
  const load = useLoad(getSettings);
  const [f, setF] = useState(null);
  const [errs, setErrs] = useState({});
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (load.data) setF({ language: load.data.language, sms: !!load.data.sms, email: load.data.email || '' }); }, [load.data]);
  const phone = (saved || load.data)?.phone || '';
  const change = (k, v) => { setF({ ...f, [k]: v }); setSaved(false); };

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true); setError(null); setErrs({}); setSaved(false);
    try {
      const s = await putSettings({ language: f.language, sms: f.sms, email: f.email.trim() });
      setF({ language: s.language, sms: !!s.sms, email: s.email || '' });
      setSaved(s);
    } catch (x) {
      if (FIELDS.includes(x.field)) setErrs({ [x.field]: () => fieldText(t, x) });
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  const smsHint = phone ? t('messages.set.smsTo', { phone }) : t('messages.set.noPhone');
  const smsDescribed = ['ms-sms-hint', errs.sms && 'ms-sms-error'].filter(Boolean).join(' ');
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="set-h" data-testid="settings">
      <h2 id="set-h">{t('messages.set.title')}</h2>
      <p class="muted">{t('messages.set.intro')}</p>
      <ErrorNotice error={load.error} />
      {load.loading && !f && <Loading />}
      {f && (
        <>
          <Field id="ms-language" label={t('messages.set.language')} hint={t('messages.set.languageHint')} error={say(errs.language)}>
            {(a) => <LanguageSelect {...a} value={f.language} onChange={(e) => change('language', e.currentTarget.value)} />}
          </Field>
          <div class={`field ${errs.sms ? 'field-error' : ''}`}>
            <label class="check">
              <input type="checkbox" id="ms-sms" checked={f.sms} aria-describedby={smsDescribed} aria-invalid={errs.sms ? 'true' : undefined}
                onChange={(e) => change('sms', e.currentTarget.checked)} />
              <span>{t('messages.set.sms')}</span>
            </label>
            <p class="hint" id="ms-sms-hint" data-testid="phone">{smsHint}</p>
            {errs.sms && <p class="error-text" id="ms-sms-error">{say(errs.sms)}</p>}
          </div>
          <Field id="ms-email" label={t('messages.set.email')} hint={t('messages.set.emailHint')} error={say(errs.email)}>
            {(a) => <input {...a} type="email" maxLength={254} autoComplete="email" inputMode="email" value={f.email} onInput={(e) => change('email', e.currentTarget.value)} />}
          </Field>
          <ErrorNotice error={error} />
          {saved && <Notice kind="ok"><p data-testid="saved">{t('messages.set.saved')}</p></Notice>}
          <button type="submit" class="btn btn-block" disabled={busy}>{t('messages.set.save')}</button>
        </>
      )}
    </form>
  );
}

export default function Messages() {
  const t = useT();
  return (
    <Page title={t('messages.title')}>
      <p>{t('messages.intro')}</p>
      <Inbox />
      <Settings />
    </Page>
  );
}
