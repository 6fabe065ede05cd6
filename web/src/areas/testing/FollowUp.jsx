// My daily check while I am a contact under follow-up (GET /me/follow-up,
// POST /me/follow-up/checks): until when I am followed up, whether today is answered, and
// today's answer — symptoms (stable English codes, so a tracer reads them in any language)
// and my temperature. A temperature the server refuses (outside 30–45 °C) is shown on its field.
import { useState } from 'preact/hooks';
import { useT, fmtDate } from '../../i18n/index.js';
import { Page, Field, Notice, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { myFollowUp, answerCheck } from './data.js';

const SYMPTOMS = ['fever', 'cough', 'sore_throat', 'breathless', 'taste_smell'];

export default function FollowUp() {
  const t = useT();
  const follow = useLoad(() => myFollowUp().catch((e) => (e.status === 409 ? { items: [] } : Promise.reject(e))));
  const [picked, setPicked] = useState([]);
  const [temp, setTemp] = useState('');
  const [tempError, setTempError] = useState(null); // a catalogue key, so it follows a language switch
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  const open = (follow.data?.items || []).filter((c) => c.status === 'under_follow_up');
  const until = open.reduce((m, c) => (!m || Date.parse(c.follow_up_until) > Date.parse(m) ? c.follow_up_until : m), null);
  const answered = open.some((c) => c.today === 'answered');
  const toggle = (s) => setPicked((p) => (p.includes(s) ? p.filter((x) => x !== s) : [...p, s]));

  const submit = async (e) => {
    e.preventDefault();
    setError(null); setTempError(null); setSent(false);
    const text = temp.trim().replace(',', '.');
    const value = text === '' ? null : Number(text);
    if (text !== '' && !Number.isFinite(value)) return setTempError('testing.follow.tempNumber');
    setBusy(true);
    try {
      await answerCheck({ symptoms: picked.join(', '), ...(value != null ? { temperature_celsius: value } : {}) });
      setSent(true); setPicked([]); setTemp('');
      follow.reload();
    } catch (err) {
      setError(err);
      if (err.field === 'temperature_celsius') setTempError('testing.follow.tempRange');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('testing.follow.title')}>
      <ErrorNotice error={follow.error} />
      {follow.loading && !follow.data && <Loading />}
      {follow.data && open.length === 0 && <Notice><p data-testid="not-followed">{t('testing.follow.none')}</p></Notice>}
      {open.length > 0 && (
        <>
          <p data-testid="until">{t('testing.follow.until', { date: fmtDate(until) })}</p>
          <p data-testid="today">{answered ? t('testing.follow.answered') : t('testing.follow.notAnswered')}</p>
          {sent && <Notice kind="ok"><p data-testid="sent">{t('testing.follow.sent')}</p></Notice>}
          <ErrorNotice error={error} />
          <form class="card" onSubmit={submit} noValidate data-testid="check">
            <fieldset>
              <legend>{t('testing.follow.which')}</legend>
              {SYMPTOMS.map((s) => (
                <label class="check" key={s}>
                  <input type="checkbox" checked={picked.includes(s)} onChange={() => toggle(s)} />
                  {t(`testing.symptom.${s}`)}
                </label>
              ))}
              <p class="hint">{t('testing.follow.noneHint')}</p>
            </fieldset>
            <Field id="fu-temp" label={t('testing.follow.temp')} hint={t('testing.follow.tempHint')} error={tempError && t(tempError)}>
              {(aria) => <input {...aria} type="text" inputMode="decimal" autoComplete="off" value={temp} onInput={(e) => setTemp(e.currentTarget.value)} />}
            </Field>
            <button class="btn btn-block" type="submit" disabled={busy}>{t('testing.follow.submit')}</button>
          </form>
        </>
      )}
    </Page>
  );
}
