// The symptom self-assessment (docs/screening.md): the active questionnaire (GET /screening),
// one question per fieldset in the reader's language (English where the file has no text in
// it), answered as yes/no, a choice or a whole number; sent with the version shown
// (POST /me/assessments). The answer is a recommendation with its next step (emergency care,
// a remote consultation, a test, or care at home), the answers that led to it, the symptoms
// reported to the health code and the code's colour now; below, my earlier checks.
// If the questionnaire changed meanwhile (failed_precondition on "version") it is read again
// and the person told; the answers to questions still there are kept.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { Link } from '../../app/router.js';
import { useT, lang, fmtDateTime, fmtNumber } from '../../i18n/index.js';
import { useStore } from '../../app/store.js';
import { Page, Notice, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import './screening.css';

const WHEN = { dateStyle: 'medium', timeStyle: 'short' };
const MARK = { emergency: '✕', consultation: '!', test: '!', home_care: '✓' };
const NEXT = { consultation: '/me/telehealth', test: '/me/tests' };

/** A question's or option's text in `code`, else English: {text, lang} (lang set when it is not the reader's). */
export function textIn(texts, code) {
  if (texts?.[code]) return { text: texts[code] };
  return { text: texts?.en ?? '', lang: 'en' };
}

/** A catalogue word if there is one, else the given fallback (symptoms an administrator added). */
function wordOr(t, key, fallback) {
  const w = t(key);
  return w === key ? fallback : w;
}

/** The answer as the API wants it, or an error message (a function of t) for the field. */
function toAnswer(q, raw) {
  if (raw == null || raw === '') return { error: (t) => t('screening.required') };
  if (q.kind === 'yes_no') return { value: raw === 'yes' };
  if (q.kind === 'choice') return { value: raw };
  const s = String(raw).trim();
  const n = Number(s);
  const min = q.min ?? 0, max = q.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^-?\d+$/.test(s) || n < min || n > max) return { error: (t) => t('screening.numberRange', { min: fmtNumber(min), max: fmtNumber(max) }) };
  return { value: n };
}

export default function Assessment() {
  const t = useT();
  const code = useStore(lang);
  const questionnaire = useLoad(() => api('/screening'));
  const history = useLoad(() => api('/me/assessments'));
  const [answers, setAnswers] = useState({});
  const [errors, setErrors] = useState({}); // question id -> (t) => message
  const [error, setError] = useState(null);
  const [changed, setChanged] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const resultRef = useRef(null);
  const formRef = useRef(null);

  const q = questionnaire.data;
  const questions = q?.questions || [];

  useEffect(() => { if (result) resultRef.current?.focus(); }, [result]);

  // A new questionnaire keeps the answers to the questions it still has.
  useEffect(() => {
    if (!q) return;
    setAnswers((a) => Object.fromEntries(Object.entries(a).filter(([id]) => questions.some((x) => x.id === id))));
  }, [q]);

  const set = (id, v) => {
    setAnswers((a) => ({ ...a, [id]: v }));
    setErrors((e) => { const { [id]: _, ...rest } = e; return rest; });
  };

  const focusFirst = (ids) => {
    const first = questions.find((x) => ids.includes(x.id));
    if (!first) return;
    setTimeout(() => formRef.current?.querySelector(`[name="q-${first.id}"]`)?.focus(), 0);
  };

  const submit = async (e) => {
    e.preventDefault();
    setError(null); setChanged(false);
    const body = {}, bad = {};
    for (const x of questions) {
      const r = toAnswer(x, answers[x.id]);
      if (r.error) bad[x.id] = r.error;
      else body[x.id] = r.value;
    }
    setErrors(bad);
    if (Object.keys(bad).length) return focusFirst(Object.keys(bad));
    setBusy(true);
    try {
      const r = await api('/me/assessments', { method: 'POST', body: { version: q.version, answers: body }, query: { lang: lang.get() } });
      setResult(r);
      history.reload();
    } catch (err) {
      if (err.code === 'failed_precondition' && err.field === 'version') {
        setChanged(true);
        questionnaire.reload();
      } else if (err.field?.startsWith('answers.') && questions.some((x) => x.id === err.field.slice(8))) {
        const id = err.field.slice(8);
        setErrors({ [id]: () => err.message });
        focusFirst([id]);
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const again = () => { setResult(null); setAnswers({}); setErrors({}); };

  return (
    <Page title={t('screening.title')}>
      {questionnaire.loading && !q && <Loading />}
      <ErrorNotice error={questionnaire.error} />
      {result ? (
        <Result t={t} code={code} result={result} q={q} resultRef={resultRef} again={again} />
      ) : q && (
        <>
          <p>{t('screening.intro')}</p>
          <p class="muted" data-testid="q-version" data-version={q.version}>{t('screening.version', { v: fmtNumber(q.version) })}</p>
          {changed && <Notice kind="warn"><p data-testid="q-changed">{t('screening.changed')}</p></Notice>}
          {Object.keys(errors).length > 0 && <p class="error-text" role="alert">{t('screening.fixErrors')}</p>}
          <form ref={formRef} onSubmit={submit} noValidate data-testid="questions">
            {questions.map((x) => <Question key={x.id} t={t} code={code} q={x} value={answers[x.id]} error={errors[x.id]?.(t)} onChange={(v) => set(x.id, v)} />)}
            <ErrorNotice error={error} />
            <button class="btn btn-block btn-big" type="submit" disabled={busy}>{t('screening.submit')}</button>
          </form>
        </>
      )}

      <h2>{t('screening.history')}</h2>
      <ErrorNotice error={history.error} />
      {history.data && history.data.items.length === 0 && <p data-testid="history-none">{t('screening.historyNone')}</p>}
      {history.data?.items.length > 0 && (
        <ul class="plain stack" data-testid="history">
          {history.data.items.map((a) => (
            <li key={a.id} class="card history-item" data-assessment-id={a.id} data-outcome={a.outcome}>
              <span class={`badge outcome-badge outcome-${a.outcome}`}><span aria-hidden="true">{MARK[a.outcome]} </span>{t(`screening.short.${a.outcome}`)}</span>
              <span>{fmtDateTime(a.assessed_at, WHEN)}</span>
              {a.symptoms?.length > 0 && <span class="muted">{a.symptoms.map((s) => wordOr(t, `screening.symptom.${s}`, s)).join(', ')}</span>}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

function Question({ t, code, q, value, error, onChange }) {
  const id = `q-${q.id}`;
  const { text, lang: textLang } = textIn(q.text, code);
  const errId = error ? `${id}-error` : undefined;
  const errorLine = error && <p class="error-text" id={`${id}-error`}>{error}</p>;
  if (q.kind === 'number') {
    return (
      <div class={`card question field ${error ? 'field-error' : ''}`} data-question={q.id}>
        <label for={id} lang={textLang}>{text}</label>
        <input id={id} name={id} type="number" inputMode="numeric" step="1" min={q.min} max={q.max} value={value ?? ''}
          aria-invalid={error ? 'true' : undefined} aria-describedby={errId} class="number-input"
          onInput={(e) => onChange(e.currentTarget.value)} />
        {errorLine}
      </div>
    );
  }
  const options = q.kind === 'yes_no'
    ? [{ id: 'yes', label: t('screening.yes') }, { id: 'no', label: t('screening.no') }]
    : (q.options || []).map((o) => { const w = textIn(o.text, code); return { id: o.id, label: w.text, lang: w.lang }; });
  return (
    <fieldset role="radiogroup" class={`card question ${error ? 'field-error' : ''}`} data-question={q.id} aria-describedby={errId} aria-invalid={error ? 'true' : undefined}>
      <legend lang={textLang}>{text}</legend>
      <div class={q.kind === 'yes_no' ? 'answers answers-yes-no' : 'answers answers-choice'}>
        {options.map((o) => (
          <label key={o.id} class={`answer ${value === o.id ? 'answer-picked' : ''}`}>
            <input type="radio" name={id} value={o.id} checked={value === o.id} onChange={() => onChange(o.id)} />
            <span lang={o.lang}>{o.label}</span>
          </label>
        ))}
      </div>
      {errorLine}
    </fieldset>
  );
}

function Result({ t, code, result, q, resultRef, again }) {
  const o = result.outcome;
  const question = (id) => q?.questions.find((x) => x.id === id);
  const answerWords = (qq, answer) => {
    if (answer === 'yes' || answer === 'no') return { text: t(`screening.${answer}`) };
    const opt = qq?.options?.find((x) => x.id === answer);
    if (opt) return textIn(opt.text, code);
    return { text: /^-?\d+$/.test(String(answer)) ? fmtNumber(Number(answer)) : String(answer) };
  };
  return (
    <div data-testid="result" data-outcome={o}>
      <div class={`outcome outcome-${o}`} role={o === 'emergency' ? 'alert' : 'status'}>
        <h2 tabIndex={-1} ref={resultRef} class="outcome-word"><span aria-hidden="true">{MARK[o]} </span>{t(`screening.outcome.${o}`)}</h2>
        <p class="outcome-next">{t(`screening.next.${o}`)}</p>
        {NEXT[o] && <p><Link class="btn btn-block btn-big outcome-link" href={NEXT[o]} data-testid="next-step">{t(`screening.link.${o}`)}</Link></p>}
      </div>

      {result.code && (
        <Notice kind={result.code.colour === 'green' ? 'ok' : 'warn'}>
          <p data-testid="code-changed" data-colour={result.code.colour}>
            <span class={`badge colour-${result.code.colour}`}>{t(`common.colour.${result.code.colour}`)}</span>{' '}
            {t('screening.codeNow', { colour: t(`common.colour.${result.code.colour}`) })}
          </p>
          <p><Link href="/me/code">{t('screening.seeCode')}</Link></p>
        </Notice>
      )}

      <div class="card">
        <h3>{t('screening.reasons')}</h3>
        {result.reasons?.length ? (
          <ul class="reason-list" data-testid="reasons">
            {result.reasons.map((r, i) => {
              const qq = question(r.question);
              const qt = qq ? textIn(qq.text, code) : { text: r.question };
              const aw = answerWords(qq, r.answer);
              return (
                <li key={i} data-question={r.question}>
                  <span lang={qt.lang}>{qt.text}</span> — <strong lang={aw.lang}>{aw.text}</strong>
                  {r.points ? <> · {t('screening.points', { n: fmtNumber(r.points) })}</> : null}
                  {r.outcome ? <> · {t('screening.reasonOutcome', { outcome: t(`screening.short.${r.outcome}`) })}</> : null}
                </li>
              );
            })}
          </ul>
        ) : <p>{t('screening.reasonsNone')}</p>}
        <h3>{t('screening.symptoms')}</h3>
        {result.symptoms?.length ? (
          <ul data-testid="symptoms">
            {result.symptoms.map((s) => <li key={s} data-symptom={s}>{wordOr(t, `screening.symptom.${s}`, s)}</li>)}
          </ul>
        ) : <p>{t('screening.symptomsNone')}</p>}
      </div>
      <button type="button" class="btn btn-secondary" onClick={again}>{t('screening.again')}</button>
    </div>
  );
}
