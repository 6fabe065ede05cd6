// My questions to the hotline: ask one (topic, subject, what I want to know, the language I
// want the answer in: the app's by default) with POST /tickets, and the list of mine
// (GET /tickets: a citizen gets their own), the newest change first, dates in my zone.
import { useState } from 'preact/hooks';
import { useStore } from '../../app/store.js';
import { Link } from '../../app/router.js';
import { useT, lang, fmtDateTime } from '../../i18n/index.js';
import { Page, Field, Notice, ErrorNotice, Loading, LanguageSelect, errorText, useLoad } from '../../ui/ui.jsx';
import { CATEGORIES, SHORT, listTickets, openTicket, missingFields, say } from './data.js';
import './hotline.css';

const FIELDS = ['category', 'subject', 'body', 'language'];

function Ask({ onAsked }) {
  const t = useT();
  const uiLang = useStore(lang);
  const empty = { category: '', subject: '', body: '', language: null };
  const [f, setF] = useState(empty);
  const [errs, setErrs] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const language = f.language || uiLang; // the app's language until the person picks another

  const submit = async (e) => {
    e.preventDefault();
    const local = missingFields(t, f);
    setErrs(local);
    setError(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const k = await openTicket({ channel: 'web', language, category: f.category, subject: f.subject.trim(), body: f.body.trim() });
      setF(empty);
      onAsked(k);
    } catch (x) {
      if (FIELDS.includes(x.field)) setErrs({ [x.field]: () => errorText(t, x) });
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="ask-h" data-testid="ask-form">
      <h2 id="ask-h">{t('hotline.mine.ask')}</h2>
      <p class="muted">{t('hotline.mine.target')}</p>
      <Field id="ask-category" label={t('hotline.category')} error={say(errs.category)}>
        {(a) => (
          <select {...a} value={f.category} onChange={set('category')}>
            <option value="">{t('hotline.form.choose')}</option>
            {CATEGORIES.map((c) => <option key={c} value={c}>{t(`hotline.cat.${c}`)}</option>)}
          </select>
        )}
      </Field>
      <Field id="ask-subject" label={t('hotline.subject')} hint={t('hotline.mine.subjectHint')} error={say(errs.subject)}>
        {(a) => <input {...a} type="text" maxLength={200} value={f.subject} onInput={set('subject')} />}
      </Field>
      <Field id="ask-body" label={t('hotline.mine.body')} error={say(errs.body)}>
        {(a) => <textarea {...a} rows={5} maxLength={5000} value={f.body} onInput={set('body')} />}
      </Field>
      <Field id="ask-language" label={t('hotline.mine.language')} hint={t('hotline.mine.languageHint')} error={say(errs.language)}>
        {(a) => <LanguageSelect {...a} value={language} onChange={set('language')} />}
      </Field>
      <ErrorNotice error={error} />
      <button type="submit" class="btn btn-block" disabled={busy}>{t('hotline.mine.send')}</button>
    </form>
  );
}

export default function MyQuestions() {
  const t = useT();
  const list = useLoad(() => listTickets({ limit: 200 }));
  const [asked, setAsked] = useState(null);
  const items = (list.data?.items || []).slice().sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at));

  return (
    <Page title={t('hotline.mine.title')}>
      <p>{t('hotline.mine.intro')}</p>
      {asked && (
        <Notice kind="ok">
          <p data-testid="asked">{t('hotline.mine.sent', { subject: asked.subject })} <Link href={`/me/questions/${asked.id}`}>{t('hotline.mine.open')}</Link></p>
        </Notice>
      )}
      <Ask onAsked={(k) => { setAsked(k); list.reload(); }} />

      <h2 id="mine-h">{t('hotline.mine.list')}</h2>
      <ErrorNotice error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && !items.length && <p class="muted" data-testid="no-questions">{t('hotline.mine.none')}</p>}
      {items.length > 0 && (
        <ul class="plain ticket-list" aria-labelledby="mine-h" data-testid="questions">
          {items.map((k) => (
            <li class="card" key={k.id} data-ticket-id={k.id} data-status={k.status}>
              <p><strong><Link href={`/me/questions/${k.id}`} lang={k.language}>{k.subject}</Link></strong></p>
              <p><span class={`badge status-${k.status}`} data-testid="status">{t(`hotline.mine.status.${k.status}`)}</span></p>
              <p class="ticket-meta">
                <span>{t(`hotline.cat.${k.category}`)}</span>
                <span>{t('hotline.mine.askedAt', { when: fmtDateTime(k.created_at, SHORT) })}</span>
                <span>{k.status === 'closed' ? t('hotline.mine.closedAt', { when: fmtDateTime(k.closed_at, SHORT) }) : t('hotline.mine.changedAt', { when: fmtDateTime(k.updated_at, SHORT) })}</span>
              </p>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
