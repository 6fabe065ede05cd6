// Directives (docs/command.md): issue one down to some or all units below mine
// (POST /directives), answer those addressed to my unit (acknowledge, report done), and, for
// those my unit issued, who has not acknowledged or not done them and since when. Only units
// below mine are offered as recipients, so the screen cannot issue upward; the server refuses
// it all the same (403), and a refusal is shown as it comes.
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useStore } from '../../app/store.js';
import { useT, fmtDateTime, fmtNumber, timeZone } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, Notice, errorText, useLoad } from '../../ui/ui.jsx';
import { fromZonedLocal, toZonedLocal, rfc3339 } from '../../lib/zoned.js';
import { useUser, useMyUnit, useUnitNames, say, SHORT } from './desk.js';
import { Documents } from '../documents/Documents.jsx';
import { UnitsField, useUnitChoice } from './UnitsField.jsx';
import '../../styles/staff.css';

function IssueForm({ units, onIssued }) {
  const t = useT();
  const tz = useStore(timeZone);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [due, setDue] = useState(() => toZonedLocal(Date.now() + 2 * 86400000, tz).slice(0, 11) + '17:00');
  const choice = useUnitChoice();
  const [errs, setErrs] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  if (!units.length) return <Notice><p data-testid="no-issue">{t('command.dir.noneBelow')}</p></Notice>;

  const submit = async (e) => {
    e.preventDefault();
    const local = {};
    const out = { title: title.trim(), body };
    if (due) {
      const d = fromZonedLocal(due, tz);
      if (!d) local.due_at = () => t('command.badTime');
      else out.due_at = rfc3339(d);
    }
    choice.fill(t, out, local, 'recipients');
    setErrs(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setError(null);
    try {
      const d = await api('/directives', { method: 'POST', body: out });
      setTitle('');
      setBody('');
      choice.clear();
      onIssued(d);
    } catch (x) {
      if (x.field) setErrs({ [x.field === 'to_all' ? 'recipients' : x.field]: () => errorText(t, x) });
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} noValidate data-testid="issue-form" aria-labelledby="issue-h">
      <h2 id="issue-h">{t('command.dir.issue')}</h2>
      <Field id="dir-title" label={t('command.dir.titleField')} error={say(errs.title)}>
        {(a) => <input {...a} type="text" maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />}
      </Field>
      <Field id="dir-body" label={t('command.dir.body')} error={say(errs.body)}>
        {(a) => <textarea {...a} rows={4} value={body} onInput={(e) => setBody(e.currentTarget.value)} />}
      </Field>
      <Field id="dir-due" label={t('command.dir.due')} hint={t('command.zone', { zone: tz })} error={say(errs.due_at)}>
        {(a) => <input {...a} type="datetime-local" value={due} onInput={(e) => setDue(e.currentTarget.value)} />}
      </Field>
      <UnitsField name="dir-to" units={units} choice={choice} error={say(errs.recipients)} />
      <ErrorNotice error={error} />
      <button type="submit" class="btn" disabled={busy}>{t('command.dir.send')}</button>
    </form>
  );
}

function statusText(t, r) {
  return t(`command.dir.status.${r.status}`);
}

/** A directive addressed to my unit: acknowledge it, then report it done with a note. */
function InboxItem({ d, unitId, issuer, onAnswered }) {
  const t = useT();
  const me = d.recipients.find((r) => r.org_unit_id === unitId);
  const [note, setNote] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const answer = async (what) => {
    setBusy(true);
    setError(null);
    try {
      onAnswered(await api(`/directives/${d.id}/${what}`, { method: 'POST', body: what === 'done' ? { note } : undefined }));
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="card" data-directive-id={d.id} data-status={me.status}>
      <h3>{d.title}</h3>
      <p class="muted">{t('command.dir.from', { unit: issuer || '', when: fmtDateTime(d.created_at, SHORT) })}</p>
      {d.body && <p class="pre">{d.body}</p>}
      <p>
        <span class="badge">{statusText(t, me)}</span>{' '}
        {t('command.dir.dueOn', { when: fmtDateTime(d.due_at, SHORT) })}
        {me.overdue && <> <span class="badge badge-late">{t('command.overdue')}</span></>}
      </p>
      {me.status === 'pending' && <button type="button" class="btn" disabled={busy} onClick={() => answer('acknowledge')}>{t('command.dir.acknowledge')}</button>}
      {me.status === 'acknowledged' && (
        <form onSubmit={(e) => { e.preventDefault(); answer('done'); }}>
          <Field id={`done-note-${d.id}`} label={t('command.dir.note')}>
            {(a) => <textarea {...a} rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
          </Field>
          <button type="submit" class="btn" disabled={busy}>{t('command.dir.reportDone')}</button>
        </form>
      )}
      {me.status === 'done' && <p>{t('command.dir.doneAt', { when: fmtDateTime(me.done_at, SHORT) })}{me.done_note ? ` — ${me.done_note}` : ''}</p>}
      <ErrorNotice error={error} />
      <Documents subject="directive" id={d.id} canAttach />
    </li>
  );
}

/** A directive my unit issued: each recipient's answer; those still waiting first, and since when. */
function IssuedItem({ d, open }) {
  const t = useT();
  const order = { pending: 0, acknowledged: 1, done: 2 };
  const rows = [...d.recipients].sort((a, b) => order[a.status] - order[b.status] || a.code.localeCompare(b.code));
  const unacked = d.recipients.filter((r) => r.status === 'pending').length;
  const since = (r) => (r.status === 'pending' ? d.created_at : r.status === 'acknowledged' ? r.acknowledged_at : r.done_at);
  return (
    <li class="card" data-directive-id={d.id}>
      <details open={open}>
        <summary>
          <strong>{d.title}</strong>{' '}
          <span data-testid="counts">{t('command.dir.counts', { done: fmtNumber(d.done), n: fmtNumber(d.recipients.length), unacked: fmtNumber(unacked) })}</span>
          {d.overdue && <> <span class="badge badge-late">{t('command.overdue')}</span></>}
        </summary>
        <p class="muted">{t('command.dir.issuedAt', { when: fmtDateTime(d.created_at, SHORT) })} · {t('command.dir.dueOn', { when: fmtDateTime(d.due_at, SHORT) })}</p>
        {d.body && <p class="pre">{d.body}</p>}
        <div class="table-scroll" tabIndex={0} role="region" aria-label={t('command.dir.recipients', { title: d.title })}>
          <table data-testid="recipients">
            <thead>
              <tr><th scope="col">{t('command.unit')}</th><th scope="col">{t('command.status')}</th><th scope="col">{t('command.dir.since')}</th><th scope="col">{t('command.dir.note')}</th></tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.org_unit_id} data-unit-id={r.org_unit_id} data-status={r.status}>
                  <td>{r.name} <span class="muted">{r.code}</span></td>
                  <td>{statusText(t, r)}{r.overdue && <> <span class="badge badge-late">{t('command.overdue')}</span></>}</td>
                  <td>{fmtDateTime(since(r), SHORT)}</td>
                  <td>{r.done_note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Documents subject="directive" id={d.id} canAttach />
      </details>
    </li>
  );
}

export default function Directives() {
  const t = useT();
  const tz = useStore(timeZone);
  const user = useUser();
  const mine = useMyUnit(user);
  const list = useLoad(() => api('/directives', { query: { limit: 200 } }));
  const [latest, setLatest] = useState(null);
  const unitId = user?.org_unit_id;
  const items = list.data?.items || [];
  const inbox = items.filter((d) => d.recipients.some((r) => r.org_unit_id === unitId));
  const issued = items.filter((d) => d.issuer_org_unit_id === unitId);
  const names = useUnitNames(inbox.map((d) => d.issuer_org_unit_id));
  const reload = (d) => {
    setLatest(d?.id ?? null);
    list.reload();
  };

  return (
    <Page title={t('command.dir.title')} wide>
      <ErrorNotice error={mine.error || list.error} />
      {(mine.loading || list.loading) && !list.data && <Loading />}
      {mine.data?.unit && <p class="muted">{t('command.myUnitZone', { name: mine.data.unit.name, zone: tz })}</p>}
      {mine.data && <IssueForm units={mine.data.children} onIssued={reload} />}

      <section aria-labelledby="inbox-h" data-testid="inbox">
        <h2 id="inbox-h">{t('command.dir.inbox')}</h2>
        {list.data && !inbox.length && <p class="muted">{t('command.dir.inboxEmpty')}</p>}
        <ul class="plain">
          {inbox.map((d) => <InboxItem key={d.id} d={d} unitId={unitId} issuer={names.get(d.issuer_org_unit_id)} onAnswered={reload} />)}
        </ul>
      </section>

      {mine.data?.children.length > 0 && (
        <section aria-labelledby="issued-h" data-testid="issued">
          <h2 id="issued-h">{t('command.dir.issued')}</h2>
          {list.data && !issued.length && <p class="muted">{t('command.dir.issuedEmpty')}</p>}
          <ul class="plain">
            {issued.map((d, i) => <IssuedItem key={d.id} d={d} open={d.id === latest || (latest == null && i === 0)} />)}
          </ul>
        </section>
      )}
    </Page>
  );
}
