// A call or a message the desk takes down (POST /tickets with channel phone or message): who
// called and how to reach them, their language, the topic, a subject and what they said, and
// the unit it is for (mine or one below). Then its page, to answer it.
import { useState } from 'preact/hooks';
import { Link, navigate } from '../../app/router.js';
import { useStore } from '../../app/store.js';
import { useT, lang } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, errorText } from '../../ui/ui.jsx';
import { useUser, useMyUnit } from '../command/desk.js';
import { CATEGORIES, CALL_CHANNELS, TICKET_LANGUAGES, openTicket, missingFields, say } from './data.js';
import { languageName } from './desk.js';
import '../../styles/staff.css';
import './hotline.css';

const FIELDS = ['channel', 'caller_name', 'caller_contact', 'language', 'category', 'subject', 'body', 'unit_id'];

export default function RecordCall() {
  const t = useT();
  const user = useUser();
  const mine = useMyUnit(user);
  const uiLang = useStore(lang);
  const [f, setF] = useState({ channel: 'phone', caller_name: '', caller_contact: '', language: null, category: '', subject: '', body: '', unit_id: '' });
  const [errs, setErrs] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const language = f.language || uiLang;
  const units = mine.data?.unit ? [mine.data.unit, ...mine.data.children] : [];

  const submit = async (e) => {
    e.preventDefault();
    const local = missingFields(t, f);
    setErrs(local);
    setError(null);
    if (Object.keys(local).length) return;
    const body = { channel: f.channel, language, category: f.category, subject: f.subject.trim(), body: f.body.trim(), caller_name: f.caller_name.trim(), caller_contact: f.caller_contact.trim() };
    if (f.unit_id) body.unit_id = Number(f.unit_id);
    setBusy(true);
    try {
      const k = await openTicket(body);
      navigate(`/hotline/tickets/${k.id}?recorded=1`);
    } catch (x) {
      if (FIELDS.includes(x.field)) setErrs({ [x.field]: () => errorText(t, x) });
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('hotline.call.title')} wide>
      <p><Link href="/hotline">{t('hotline.desk.back')}</Link></p>
      <form class="card" onSubmit={submit} noValidate data-testid="call-form" aria-label={t('hotline.call.title')}>
        <fieldset class="inline-choice">
          <legend>{t('hotline.channel')}</legend>
          {CALL_CHANNELS.map((c) => (
            <label class="check" key={c}>
              <input type="radio" name="call-channel" value={c} checked={f.channel === c} onChange={() => setF({ ...f, channel: c })} />
              <span>{t(`hotline.chan.${c}`)}</span>
            </label>
          ))}
        </fieldset>
        <div class="filters">
          <Field id="call-name" label={t('hotline.callerName')} error={say(errs.caller_name)}>
            {(a) => <input {...a} type="text" maxLength={200} autoComplete="off" value={f.caller_name} onInput={set('caller_name')} />}
          </Field>
          <Field id="call-contact" label={t('hotline.callerContact')} hint={t('hotline.call.contactHint')} error={say(errs.caller_contact)}>
            {(a) => <input {...a} type="text" maxLength={200} autoComplete="off" value={f.caller_contact} onInput={set('caller_contact')} />}
          </Field>
          <Field id="call-language" label={t('hotline.call.language')} error={say(errs.language)}>
            {(a) => (
              <select {...a} value={language} onChange={set('language')}>
                {TICKET_LANGUAGES.map((l) => <option key={l} value={l}>{languageName(l)}</option>)}
              </select>
            )}
          </Field>
          <Field id="call-category" label={t('hotline.category')} error={say(errs.category)}>
            {(a) => (
              <select {...a} value={f.category} onChange={set('category')}>
                <option value="">{t('hotline.form.choose')}</option>
                {CATEGORIES.map((c) => <option key={c} value={c}>{t(`hotline.cat.${c}`)}</option>)}
              </select>
            )}
          </Field>
          {units.length > 0 && (
            <Field id="call-unit" label={t('hotline.unit')} hint={t('hotline.call.unitHint')} error={say(errs.unit_id)}>
              {(a) => (
                <select {...a} value={f.unit_id || String(units[0].id)} onChange={set('unit_id')}>
                  {units.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
                </select>
              )}
            </Field>
          )}
        </div>
        <Field id="call-subject" label={t('hotline.subject')} error={say(errs.subject)}>
          {(a) => <input {...a} type="text" maxLength={200} value={f.subject} onInput={set('subject')} />}
        </Field>
        <Field id="call-body" label={t('hotline.call.said')} hint={t('hotline.call.saidHint')} error={say(errs.body)}>
          {(a) => <textarea {...a} rows={5} maxLength={5000} value={f.body} onInput={set('body')} />}
        </Field>
        <ErrorNotice error={error} />
        <button type="submit" class="btn" disabled={busy}>{t('hotline.call.save')}</button>
      </form>
    </Page>
  );
}
