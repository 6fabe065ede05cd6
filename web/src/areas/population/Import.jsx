// The population register import (admin: the server's import_population): an extract of the
// register as CSV, chosen as a file or pasted, sent as is to POST /population/import (text/csv).
// The answer is counted — lines read, people new, updated, unchanged, lines refused — and each
// refused line is listed with its number (the header is line 1), its column and the reason: in
// the reader's words where the server's reason is a known one, always with the server's own
// words beside it. People are matched by nationality, document type and number, so sending the
// same file again creates nobody (unchanged). The expected columns are explained on the screen.
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useT, fmtNumber } from '../../i18n/index.js';
import { Page, Field, Notice, ErrorNotice } from '../../ui/ui.jsx';
import '../../styles/staff.css';
import './population.css';

/** The columns the server reads: [name, required]. Their order in a file is free. */
export const COLUMNS = [
  ['id_number', true], ['family_name', true], ['given_name', false], ['birth_date', false], ['sex', false],
  ['address', false], ['commune_code', true], ['phone', false], ['nationality', true], ['document_type', false], ['language', false],
];
const EXAMPLE = 'id_number,family_name,given_name,birth_date,sex,address,commune_code,phone,nationality\n022090004321,Trần,Đức Thắng,1990-04-12,male,"5 Trần Hưng Đạo, Hồng Gai",QN-01-01,+84912340001,VN';

// The server's reasons for a refused line (outbreak/service.cc, registry CheckPerson, the CSV
// reader), each with the catalogue key that says it in the reader's language.
const REASONS = [
  [/^no such unit in yours$/, 'imp.why.unit'],
  [/^is required$/, 'imp.why.required'],
  [/^must be YYYY-MM-DD$/, 'imp.why.date'],
  [/^must be in E\.164 form/, 'imp.why.phone'],
  [/^must be female, male or other$/, 'imp.why.sex'],
  [/^must be an ISO 3166-1 alpha-2 code/, 'imp.why.nationality'],
  [/^must be one of en, /, 'imp.why.language'],
  [/^must be national_id, /, 'imp.why.documentType'],
  [/^appears on an earlier line$/, 'imp.why.repeated'],
  [/^has \d+ fields?, the header has \d+$/, 'imp.why.fields'],
  [/^longer than \d+/, 'imp.why.tooLong'],
];
const reasonKey = (reason) => REASONS.find(([re]) => re.test(reason || ''))?.[1] || 'imp.why.other';

const sizeText = (n) => (n < 1024 ? `${fmtNumber(n)} B` : n < 1048576 ? `${fmtNumber(n / 1024, { maximumFractionDigits: 1 })} KB` : `${fmtNumber(n / 1048576, { maximumFractionDigits: 1 })} MB`);

function Columns() {
  const t = useT();
  return (
    <section aria-labelledby="imp-cols-h">
      <h2 id="imp-cols-h">{t('population.imp.columns')}</h2>
      <p>{t('population.imp.columnsIntro')}</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="imp-cols-h">
        <table data-testid="columns">
          <thead><tr><th scope="col">{t('population.imp.column')}</th><th scope="col">{t('population.imp.needed')}</th><th scope="col">{t('population.imp.holds')}</th></tr></thead>
          <tbody>
            {COLUMNS.map(([c, required]) => (
              <tr key={c} data-column={c} data-required={String(required)}>
                <th scope="row" class="mono">{c}</th>
                <td>{required ? t('population.imp.required') : t('population.imp.optional')}</td>
                <td>{t(`population.imp.col.${c}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted">{t('population.imp.format')}</p>
      <p class="muted">{t('population.imp.same')}</p>
      <p>{t('population.imp.example')}</p>
      <pre class="mono imp-example" lang="vi">{EXAMPLE}</pre>
    </section>
  );
}

function Answer({ r }) {
  const t = useT();
  const figures = [['lines', r.lines], ['created', r.created], ['updated', r.updated], ['unchanged', r.unchanged], ['rejected', r.rejected.length]];
  return (
    <section aria-labelledby="imp-answer-h" data-testid="answer">
      <h2 id="imp-answer-h">{t('population.imp.answer')}</h2>
      <Notice kind={r.rejected.length ? 'warn' : 'ok'}>
        <p data-testid="summary">{t(r.rejected.length ? 'population.imp.doneSome' : 'population.imp.doneAll', { lines: fmtNumber(r.lines), rejected: fmtNumber(r.rejected.length) })}</p>
      </Notice>
      <dl class="facts figures" data-testid="counts">
        {figures.map(([k, n]) => <div key={k} data-figure={k}><dt>{t(`population.imp.n.${k}`)}</dt><dd class="big-number">{fmtNumber(n)}</dd></div>)}
      </dl>
      {r.rejected.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="imp-rejected-caption">
          <table data-testid="rejected">
            <caption id="imp-rejected-caption">{t('population.imp.rejected')}</caption>
            <thead><tr><th scope="col">{t('population.imp.line')}</th><th scope="col">{t('population.imp.column')}</th><th scope="col">{t('population.imp.reason')}</th></tr></thead>
            <tbody>
              {r.rejected.map((x, i) => (
                <tr key={`${x.line}-${i}`} data-line={x.line} data-field={x.field || ''}>
                  <th scope="row" data-testid="line">{fmtNumber(x.line, { useGrouping: false })}</th>
                  <td class="mono" data-testid="field">{x.field || t('population.imp.wholeLine')}</td>
                  <td data-testid="reason">
                    {t(`population.${reasonKey(x.reason)}`)}
                    <br /><span class="muted">{t('population.imp.serverSaid')} <span lang="en" data-testid="server-reason">{x.reason}</span></span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export default function Import() {
  const t = useT();
  const [file, setFile] = useState(null);
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState(null);
  const [error, setError] = useState(null);
  const [fieldError, setFieldError] = useState(null);
  const [busy, setBusy] = useState(false);

  const send = async (e) => {
    e.preventDefault();
    setError(null); setFieldError(null);
    if (!file && !text.trim()) {
      setFieldError(() => () => t('population.imp.nothing'));
      document.getElementById('imp-text')?.focus();
      return;
    }
    setBusy(true); setAnswer(null);
    try {
      // A chosen file goes as it is (its bytes, any size); pasted text as typed.
      setAnswer(await api('/population/import', { method: 'POST', text: file || text, contentType: 'text/csv' }));
    } catch (x) {
      setError(x);
      // A refusal of the whole file (no header, an unknown column, too many lines) names "file".
      if (x.field === 'file' || x.field === 'Content-Type') setFieldError(() => () => t('population.imp.fileRefused'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('population.imp.title')} wide>
      <p>{t('population.imp.intro')}</p>
      <form class="card" onSubmit={send} noValidate aria-labelledby="imp-send-h" data-testid="import">
        <h2 id="imp-send-h">{t('population.imp.send')}</h2>
        <div class="field file-pick">
          <input id="imp-file" type="file" accept=".csv,text/csv" class="file-input" aria-describedby="imp-file-name"
            onChange={(e) => { const f = e.currentTarget.files[0]; e.currentTarget.value = ''; if (f) { setFile(f); setAnswer(null); setFieldError(null); } }} />
          <label for="imp-file" class="btn btn-secondary">{t('population.imp.file')}</label>
          <span class="muted" id="imp-file-name" data-testid="file-name">{file ? t('population.imp.chosen', { name: file.name, size: sizeText(file.size) }) : t('population.imp.noFile')}</span>
          {file && <button type="button" class="btn btn-quiet" onClick={() => setFile(null)}>{t('population.imp.dropFile')}</button>}
        </div>
        <Field id="imp-text" label={t('population.imp.paste')} hint={file ? t('population.imp.pasteIgnored') : t('population.imp.pasteHint')} error={fieldError ? fieldError() : null}>
          {(a) => <textarea {...a} class="mono" rows={8} spellcheck={false} value={text} onInput={(e) => { setText(e.currentTarget.value); if (file) setFile(null); }} />}
        </Field>
        <ErrorNotice error={error} />
        <button type="submit" class="btn" disabled={busy}>{busy ? t('population.imp.sending') : t('population.imp.submit')}</button>
      </form>
      {answer && <Answer r={answer} />}
      <Columns />
    </Page>
  );
}
