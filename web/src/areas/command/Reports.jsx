// Situation reports (docs/command.md): my unit's report for today, its figures the ones the
// server computes (GET /dashboard now, and those filed with the report), with the officers'
// text (POST /reports, filing again replaces it); and, for a unit with units below, a day's
// reports of those units, their roll-up and who has not reported (GET /reports?date=).
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useT, fmtDateTime, fmtDate, fmtNumber } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, Notice, errorText, useLoad } from '../../ui/ui.jsx';
import { useUser, useMyUnit, say, SHORT, FIGURES } from './desk.js';
import { Documents, DocumentsOnDemand } from '../documents/Documents.jsx';
import '../../styles/staff.css';

/** A local date "2026-12-02" as a date to show: noon UTC stays on that day in every zone of the region. */
const day = (d) => fmtDate(`${d}T12:00:00Z`);

function Figures({ figures, testid }) {
  const t = useT();
  return (
    <dl class="facts figures" data-testid={testid}>
      {FIGURES.map((k) => (
        <div key={k} data-figure={k}><dt>{t(`command.fig.${k}`)}</dt><dd class="big-number">{fmtNumber(figures[k])}</dd></div>
      ))}
    </dl>
  );
}

function MyReport({ user, canSubmit }) {
  const t = useT();
  const [n, setN] = useState(0);
  const state = useLoad(async () => {
    const [day, board] = await Promise.all([
      api('/reports', { query: { unit_id: user.org_unit_id } }),
      api('/dashboard', { query: { unit_id: user.org_unit_id, days: 1 } }),
    ]);
    const u = board.units.find((x) => x.org_unit_id === user.org_unit_id);
    const now = u && { new_cases: u.days.new_cases[0], tests: u.days.tests[0], positives: u.days.positives[0], alerts: u.days.alerts[0], active_cases: u.active_cases, contacts_following: u.contacts_following, open_alerts: u.open_alerts };
    return { date: day.date, report: day.items.find((r) => r.org_unit_id === user.org_unit_id) || null, now };
  }, [n]);
  const [text, setText] = useState(null);
  const [error, setError] = useState(null);
  const [fieldError, setFieldError] = useState(null);
  const [busy, setBusy] = useState(false);
  const r = state.data?.report;
  const value = text ?? r?.text ?? '';

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFieldError(null);
    try {
      await api('/reports', { method: 'POST', body: { text: value } });
      setText(null);
      setN((x) => x + 1);
    } catch (x) {
      if (x.field === 'text') setFieldError(() => () => errorText(t, x));
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="mine-h" data-testid="my-report">
      <ErrorNotice error={state.error} />
      {state.loading && !state.data && <Loading />}
      {state.data && (
        <>
          <h2 id="mine-h">{t('command.rep.mine', { date: day(state.data.date) })}</h2>
          {r ? (
            <>
              <p data-testid="report-filed">{t('command.rep.filed', { when: fmtDateTime(r.submitted_at, SHORT), n: fmtNumber(r.revision) })}</p>
              <h3>{t('command.rep.filedFigures')}</h3>
              <Figures figures={r.figures} testid="filed-figures" />
              <Documents subject="report" id={r.id} canAttach={canSubmit} level={3} />
            </>
          ) : (
            <p data-testid="report-missing">{t('command.rep.notYet')}</p>
          )}
          {state.data.now && (
            <>
              <h3>{t('command.rep.nowFigures')}</h3>
              <Figures figures={state.data.now} testid="now-figures" />
            </>
          )}
          {canSubmit && (
            <form onSubmit={submit} noValidate>
              <Field id="report-text" label={t('command.rep.text')} hint={t('command.rep.textHint')} error={say(fieldError)}>
                {(a) => <textarea {...a} rows={5} value={value} onInput={(e) => setText(e.currentTarget.value)} />}
              </Field>
              <ErrorNotice error={error} />
              <button type="submit" class="btn" disabled={busy}>{r ? t('command.rep.resubmit') : t('command.rep.submit')}</button>
            </form>
          )}
        </>
      )}
    </section>
  );
}

function Below({ user }) {
  const t = useT();
  const [date, setDate] = useState('');
  const state = useLoad(() => api('/reports', { query: { unit_id: user.org_unit_id, date } }), [date]);
  const d = state.data;
  const items = d ? d.items.filter((r) => r.org_unit_id !== user.org_unit_id) : [];
  return (
    <section aria-labelledby="below-h" data-testid="below">
      <h2 id="below-h">{t('command.rep.below')}</h2>
      <Field id="report-date" label={t('command.rep.date')}>
        {(a) => <input {...a} type="date" value={date || d?.date || ''} onChange={(e) => setDate(e.currentTarget.value)} />}
      </Field>
      <ErrorNotice error={state.error} />
      {state.loading && !d && <Loading />}
      {d && (
        <>
          <p data-testid="reported-count">{t('command.rep.count', { date: day(d.date), n: fmtNumber(d.expected - d.missing.length), of: fmtNumber(d.expected) })}</p>
          <h3>{t('command.rep.rollup')}</h3>
          <Figures figures={d.rollup} testid="rollup" />
          <h3 id="reports-h">{t('command.rep.reports')}</h3>
          {!items.length && <p class="muted">{t('command.rep.noneYet')}</p>}
          {items.length > 0 && (
            <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="reports-h">
              <table data-testid="unit-reports">
                <thead>
                  <tr>
                    <th scope="col">{t('command.unit')}</th><th scope="col">{t('command.rep.submittedAt')}</th>
                    {FIGURES.map((k) => <th scope="col" key={k}>{t(`command.fig.${k}`)}</th>)}
                    <th scope="col">{t('command.rep.text')}</th>
                    <th scope="col">{t('documents.title')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <tr key={r.id} data-unit-id={r.org_unit_id}>
                      <td>{r.name} <span class="muted">{r.code}</span></td>
                      <td>{fmtDateTime(r.submitted_at, SHORT)}</td>
                      {FIGURES.map((k) => <td key={k} class="num">{fmtNumber(r.figures[k])}</td>)}
                      <td class="pre">{r.text}</td>
                      <td><DocumentsOnDemand subject="report" id={r.id} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3 id="missing-h">{t('command.rep.missing', { n: fmtNumber(d.missing.length) })}</h3>
          {d.missing.length === 0 ? (
            <Notice><p>{t('command.rep.allIn')}</p></Notice>
          ) : (
            <ul class="unit-list" data-testid="missing" aria-labelledby="missing-h">
              {d.missing.map((m) => <li key={m.org_unit_id} data-unit-id={m.org_unit_id}>{m.name} <span class="muted">{m.code}</span></li>)}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

export default function Reports() {
  const t = useT();
  const user = useUser();
  const mine = useMyUnit(user);
  const canSubmit = ['command_officer', 'admin'].includes(user?.role);
  return (
    <Page title={t('command.rep.title')} wide>
      <ErrorNotice error={mine.error} />
      {mine.data?.unit && <p class="muted">{mine.data.unit.name}</p>}
      {user && <MyReport user={user} canSubmit={canSubmit} />}
      {mine.data?.children.length > 0 && <Below user={user} />}
    </Page>
  );
}
