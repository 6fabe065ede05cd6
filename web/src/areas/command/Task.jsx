// One task (GET /tasks/{id}): what, for whom, due when; change its status with a note
// (PATCH /tasks/{id}); and its history, every change: when, by whom, from and to which status.
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { Link } from '../../app/router.js';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { useUser, useUnitNames, SHORT, TASK_STATUSES } from './desk.js';
import { assigneeText } from './Tasks.jsx';
import '../../styles/staff.css';

function ChangeStatus({ task, onChanged }) {
  const t = useT();
  const [status, setStatus] = useState(task.status);
  const [note, setNote] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { note };
      if (status !== task.status) body.status = status;
      onChanged(await api(`/tasks/${task.id}`, { method: 'PATCH', body }));
      setNote('');
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} data-testid="task-change" aria-labelledby="change-h">
      <h2 id="change-h">{t('command.task.change')}</h2>
      <Field id="task-new-status" label={t('command.status')}>
        {(a) => (
          <select {...a} value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            {TASK_STATUSES.map((s) => <option key={s} value={s}>{t(`command.task.status.${s}`)}</option>)}
          </select>
        )}
      </Field>
      <Field id="task-note" label={t('command.dir.note')}>
        {(a) => <textarea {...a} rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
      </Field>
      <ErrorNotice error={error} />
      <button type="submit" class="btn" disabled={busy}>{t('command.task.save')}</button>
    </form>
  );
}

export default function Task({ params }) {
  const t = useT();
  const user = useUser();
  const [fresh, setFresh] = useState(null);
  const load = useLoad(() => api(`/tasks/${params.id}`), [params.id]);
  const task = fresh?.id === Number(params.id) ? fresh : load.data;
  const names = useUnitNames(task ? [task.org_unit_id] : []);
  const by = (id) => (id == null ? '—' : id === user.user_id ? t('command.task.me') : t('command.userN', { id: fmtNumber(id, { useGrouping: false }) }));

  return (
    <Page title={task ? task.title : t('command.task.title')} wide>
      <p><Link href="/command/tasks">{t('command.task.back')}</Link></p>
      <ErrorNotice error={load.error} />
      {load.loading && !task && <Loading />}
      {task && (
        <>
          <dl class="facts" data-testid="task-facts">
            <div><dt>{t('command.status')}</dt><dd data-testid="task-status">{t(`command.task.status.${task.status}`)}</dd></div>
            <div><dt>{t('command.task.priority')}</dt><dd>{t(`command.priority.${task.priority}`)}</dd></div>
            <div><dt>{t('command.unit')}</dt><dd>{names.get(task.org_unit_id) || ''}</dd></div>
            <div><dt>{t('command.task.assignee')}</dt><dd>{assigneeText(t, user, task.assignee_id)}</dd></div>
            <div><dt>{t('command.task.due')}</dt><dd>{task.due_at ? fmtDateTime(task.due_at, SHORT) : '—'}</dd></div>
            <div><dt>{t('command.task.createdAt')}</dt><dd>{fmtDateTime(task.created_at, SHORT)}</dd></div>
          </dl>
          {task.detail && <p class="pre">{task.detail}</p>}
          <ChangeStatus key={`${task.id}-${task.status}-${task.history.length}`} task={task} onChanged={setFresh} />
          <h2 id="history-h">{t('command.task.history')}</h2>
          <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="history-h">
            <table data-testid="task-history">
              <thead>
                <tr><th scope="col">{t('command.task.when')}</th><th scope="col">{t('command.task.by')}</th><th scope="col">{t('command.task.fromTo')}</th><th scope="col">{t('command.dir.note')}</th></tr>
              </thead>
              <tbody>
                {task.history.map((e, i) => (
                  <tr key={i}>
                    <td>{fmtDateTime(e.at, SHORT)}</td>
                    <td>{by(e.by)}</td>
                    <td>{e.from_status && e.from_status !== e.to_status ? `${t(`command.task.status.${e.from_status}`)} → ` : ''}{t(`command.task.status.${e.to_status}`)}</td>
                    <td>{e.note}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Page>
  );
}
