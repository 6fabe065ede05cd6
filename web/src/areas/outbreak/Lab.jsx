// The laboratory: samples awaiting a result (GET /line-lists/tests?result=pending), a result
// entered one by one (POST /samples/{id}/result), or a CSV batch `label,result`
// (POST /samples/results) whose bad lines come back with their line number and field.
// A lab technician sees samples and results only: no names, contacts or case lists.
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, Notice, useLoad, Pager } from '../../ui/ui.jsx';
import { RESULTS } from './data.js';
import '../../styles/staff.css';

const PAGE = 50;
const SHORT = { dateStyle: 'medium', timeStyle: 'short' };

function ResultRow({ s, onDone }) {
  const t = useT();
  const [result, setResult] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const id = `res-${s.id}`;
  const save = async () => {
    if (!result) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api(`/samples/${s.id}/result`, { method: 'POST', body: { result } });
      onDone(r);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-sample-id={s.id} data-label={s.label}>
      <td class="mono">{s.label}</td>
      <td>{t(`outbreak.kind.${s.kind}`)}</td>
      <td>{fmtDateTime(s.taken_at, SHORT)}</td>
      <td>
        <label class="visually-hidden" for={id}>{t('outbreak.lab.resultFor', { label: s.label })}</label>
        <select id={id} value={result} onChange={(e) => setResult(e.currentTarget.value)}>
          <option value="">{t('outbreak.lab.choose')}</option>
          {RESULTS.map((r) => <option key={r} value={r}>{t(`outbreak.result.${r}`)}</option>)}
        </select>
        <ErrorNotice error={error} />
      </td>
      <td><button type="button" class="btn" disabled={!result || busy} onClick={save} aria-label={t('outbreak.lab.saveFor', { label: s.label })}>{t('outbreak.lab.save')}</button></td>
    </tr>
  );
}

function Batch({ onDone }) {
  const t = useT();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [answer, setAnswer] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const send = async (e) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      const r = await api('/samples/results', { method: 'POST', text, contentType: 'text/csv' });
      setAnswer(r);
      onDone();
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={send} aria-labelledby="batch-h" data-testid="batch">
      <h2 id="batch-h">{t('outbreak.lab.batch')}</h2>
      <p class="hint" id="batch-hint">{t('outbreak.lab.batchHint')}</p>
      <div class="field file-pick">
        <input id="batch-file" type="file" accept=".csv,text/csv" class="file-input"
          onChange={async (e) => { const f = e.currentTarget.files[0]; if (f) { setFileName(f.name); setText(await f.text()); } }} />
        <label for="batch-file" class="btn btn-secondary">{t('outbreak.lab.file')}</label>
        <span class="muted">{fileName || t('outbreak.lab.noFile')}</span>
      </div>
      <Field id="batch-text" label={t('outbreak.lab.batchText')}>
        {(a) => <textarea {...a} aria-describedby="batch-hint" class="mono" rows={6} value={text} onInput={(e) => setText(e.currentTarget.value)} />}
      </Field>
      <ErrorNotice error={error} />
      {answer && (
        <div data-testid="batch-answer">
          <Notice kind={answer.rejected.length ? 'warn' : 'ok'}>
            <p>{t('outbreak.lab.batchDone', { recorded: fmtNumber(answer.recorded), rejected: fmtNumber(answer.rejected.length) })}</p>
          </Notice>
          {answer.rejected.length > 0 && (
            <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="rejected-caption">
              <table data-testid="rejected">
                <caption id="rejected-caption">{t('outbreak.lab.rejected')}</caption>
                <thead><tr><th scope="col">{t('outbreak.lab.line')}</th><th scope="col">{t('outbreak.lab.field')}</th><th scope="col">{t('outbreak.lab.reason')}</th></tr></thead>
                <tbody>
                  {answer.rejected.map((r) => (
                    <tr key={r.line} data-line={r.line}>
                      <td>{fmtNumber(r.line)}</td>
                      <td class="mono">{r.field || '—'}</td>
                      <td lang="en">{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
      <button type="submit" class="btn" disabled={busy || !text.trim()}>{t('outbreak.lab.send')}</button>
    </form>
  );
}

export default function Lab() {
  const t = useT();
  const [offset, setOffset] = useState(0);
  const [n, setN] = useState(0);
  const [last, setLast] = useState(null);
  const { data, error, loading } = useLoad(() => api('/line-lists/tests', { query: { result: 'pending', limit: PAGE, offset } }), [offset, n]);
  const items = data?.items || [];
  return (
    <Page title={t('outbreak.lab.title')} wide>
      {last && (
        <Notice kind="ok">
          <p data-testid="result-done">{t('outbreak.lab.recorded', { label: last.sample.label, result: t(`outbreak.result.${last.sample.result}`) })}
            {last.case && ` ${t('outbreak.lab.caseOpened', { id: fmtNumber(last.case.id, { useGrouping: false }), classification: t(`outbreak.class.${last.case.classification}`) })}`}</p>
        </Notice>
      )}
      <section aria-labelledby="pending-h">
        <h2 id="pending-h">{t('outbreak.lab.pending')}</h2>
        <ErrorNotice error={error} />
        {loading && !data && <Loading />}
        {data && <p data-testid="pending-total">{t('outbreak.lab.pendingN', { n: fmtNumber(data.total) })}</p>}
        {data && items.length === 0 && <Notice>{t('outbreak.lab.none')}</Notice>}
        {items.length > 0 && (
          <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="pending-h">
            <table data-testid="pending">
              <thead>
                <tr><th scope="col">{t('outbreak.lab.label')}</th><th scope="col">{t('outbreak.lab.kind')}</th><th scope="col">{t('outbreak.lab.taken')}</th><th scope="col">{t('outbreak.lab.result')}</th><th scope="col"><span class="visually-hidden">{t('outbreak.lab.save')}</span></th></tr>
              </thead>
              <tbody>
                {items.map((s) => <ResultRow key={s.id} s={s} onDone={(r) => { setLast(r); setN((x) => x + 1); }} />)}
              </tbody>
            </table>
          </div>
        )}
        <Pager offset={offset} page={PAGE} more={!!data && offset + PAGE < data.total} onOffset={setOffset} />
      </section>
      <Batch onDone={() => setN((x) => x + 1)} />
    </Page>
  );
}
