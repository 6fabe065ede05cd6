// Tasks (docs/command.md): the tasks of my unit's subtree (GET /tasks), narrowed to mine
// (assigned to me), my unit's, or all; a new task for my unit or a unit below, or for a person
// of that unit, with a priority and a due date typed in my zone (POST /tasks). Each opens its
// page with the history and the status change.
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { Link } from '../../app/router.js';
import { useStore } from '../../app/store.js';
import { useT, fmtDateTime, fmtNumber, timeZone } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, Notice, errorText, useLoad } from '../../ui/ui.jsx';
import { fromZonedLocal, rfc3339 } from '../../lib/zoned.js';
import { useUser, useMyUnit, useUnitNames, say, SHORT, TASK_STATUSES, PRIORITIES } from './desk.js';
import '../../styles/staff.css';

const FIELDS = ['title', 'detail', 'unit_id', 'assignee_id', 'priority', 'due_at'];

function NewTask({ user, units, onMade }) {
  const t = useT();
  const tz = useStore(timeZone);
  const empty = { title: '', detail: '', unit_id: String(user.org_unit_id), who: 'unit', assignee_id: '', priority: 'normal', due_at: '' };
  const [f, setF] = useState(empty);
  const [errs, setErrs] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const ownUnit = Number(f.unit_id) === user.org_unit_id;

  const submit = async (e) => {
    e.preventDefault();
    const local = {};
    const body = { title: f.title.trim(), detail: f.detail, unit_id: Number(f.unit_id), priority: f.priority };
    if (f.who === 'me' && ownUnit) body.assignee_id = user.user_id;
    if (f.who === 'user') {
      if (!/^\d+$/.test(f.assignee_id.trim())) local.assignee_id = () => t('command.task.badUser');
      else body.assignee_id = Number(f.assignee_id.trim());
    }
    if (f.due_at) {
      const d = fromZonedLocal(f.due_at, tz);
      if (!d) local.due_at = () => t('command.badTime');
      else body.due_at = rfc3339(d);
    }
    setErrs(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setError(null);
    try {
      const task = await api('/tasks', { method: 'POST', body });
      setF(empty);
      onMade(task);
    } catch (x) {
      if (FIELDS.includes(x.field)) setErrs({ [x.field]: () => errorText(t, x) });
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={submit} noValidate data-testid="task-form" aria-labelledby="new-task-h">
      <h2 id="new-task-h">{t('command.task.new')}</h2>
      <Field id="task-title" label={t('command.task.titleField')} error={say(errs.title)}>
        {(a) => <input {...a} type="text" maxLength={200} value={f.title} onInput={set('title')} />}
      </Field>
      <Field id="task-detail" label={t('command.task.detail')} error={say(errs.detail)}>
        {(a) => <textarea {...a} rows={3} value={f.detail} onInput={set('detail')} />}
      </Field>
      <div class="filters">
        <Field id="task-unit" label={t('command.unit')} error={say(errs.unit_id)}>
          {(a) => (
            <select {...a} value={f.unit_id} onChange={set('unit_id')}>
              {units.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
            </select>
          )}
        </Field>
        <Field id="task-priority" label={t('command.task.priority')} error={say(errs.priority)}>
          {(a) => (
            <select {...a} value={f.priority} onChange={set('priority')}>
              {PRIORITIES.map((p) => <option key={p} value={p}>{t(`command.priority.${p}`)}</option>)}
            </select>
          )}
        </Field>
        <Field id="task-due" label={t('command.task.due')} hint={t('command.zone', { zone: tz })} error={say(errs.due_at)}>
          {(a) => <input {...a} type="datetime-local" value={f.due_at} onInput={set('due_at')} />}
        </Field>
      </div>
      <fieldset class="inline-choice">
        <legend>{t('command.task.who')}</legend>
        {['unit', 'me', 'user'].filter((w) => w !== 'me' || ownUnit).map((w) => (
          <label class="check" key={w}>
            <input type="radio" name="task-who" value={w} checked={f.who === w} onChange={() => setF({ ...f, who: w })} />
            <span>{t(`command.task.who.${w}`)}</span>
          </label>
        ))}
      </fieldset>
      {f.who === 'user' && (
        <Field id="task-assignee" label={t('command.task.userNo')} hint={t('command.task.userHint')} error={say(errs.assignee_id)}>
          {(a) => <input {...a} type="text" inputMode="numeric" value={f.assignee_id} onInput={set('assignee_id')} />}
        </Field>
      )}
      <ErrorNotice error={error} />
      <button type="submit" class="btn" disabled={busy}>{t('command.task.create')}</button>
    </form>
  );
}

export function assigneeText(t, user, id) {
  if (id == null) return t('command.task.noOne');
  return id === user.user_id ? t('command.task.me') : t('command.userN', { id: fmtNumber(id, { useGrouping: false }) });
}

export default function Tasks() {
  const t = useT();
  const user = useUser();
  const mine = useMyUnit(user);
  const [show, setShow] = useState('unit');
  const [status, setStatus] = useState('');
  const query = { limit: 500, status, unit_id: show === 'unit' ? user?.org_unit_id : undefined };
  const list = useLoad(() => api('/tasks', { query }), [show, status]);
  const [made, setMade] = useState(null);
  const units = mine.data ? [mine.data.unit, ...mine.data.children] : [];
  let items = list.data?.items || [];
  const unitName = useUnitNames(items.map((x) => x.org_unit_id));
  if (show === 'mine') items = items.filter((x) => x.assignee_id === user.user_id);

  return (
    <Page title={t('command.task.title')} wide>
      <ErrorNotice error={mine.error} />
      {mine.data && <NewTask user={user} units={units} onMade={(x) => { setMade(x); list.reload(); }} />}
      {made && <Notice><p>{t('command.task.made', { title: made.title })} <Link href={`/command/tasks/${made.id}`}>{t('command.task.open')}</Link></p></Notice>}

      <h2>{t('command.task.list')}</h2>
      <div class="filters">
        <fieldset class="inline-choice">
          <legend>{t('command.task.show')}</legend>
          {['mine', 'unit', 'all'].map((v) => (
            <label class="check" key={v}>
              <input type="radio" name="task-show" value={v} checked={show === v} onChange={() => setShow(v)} />
              <span>{t(`command.task.show.${v}`)}</span>
            </label>
          ))}
        </fieldset>
        <Field id="task-status-filter" label={t('command.status')}>
          {(a) => (
            <select {...a} value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
              <option value="">{t('command.task.anyStatus')}</option>
              {TASK_STATUSES.map((s) => <option key={s} value={s}>{t(`command.task.status.${s}`)}</option>)}
            </select>
          )}
        </Field>
      </div>
      <ErrorNotice error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && !items.length && <p class="muted" data-testid="no-tasks">{t('command.task.none')}</p>}
      {items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="tasks-caption">
          <table data-testid="tasks">
            <caption id="tasks-caption" class="visually-hidden">{t('command.task.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('command.task.titleField')}</th><th scope="col">{t('command.unit')}</th><th scope="col">{t('command.task.assignee')}</th>
                <th scope="col">{t('command.task.priority')}</th><th scope="col">{t('command.status')}</th><th scope="col">{t('command.task.due')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((x) => (
                <tr key={x.id} data-task-id={x.id} data-unit-id={x.org_unit_id} data-status={x.status}>
                  <td><Link href={`/command/tasks/${x.id}`}>{x.title}</Link>{x.source.startsWith('directive:') && <> <span class="badge">{t('command.task.fromDirective')}</span></>}</td>
                  <td>{unitName.get(x.org_unit_id) || t('command.unitN', { id: fmtNumber(x.org_unit_id, { useGrouping: false }) })}</td>
                  <td>{assigneeText(t, user, x.assignee_id)}</td>
                  <td>{t(`command.priority.${x.priority}`)}</td>
                  <td>{t(`command.task.status.${x.status}`)}</td>
                  <td>{x.due_at ? fmtDateTime(x.due_at, SHORT) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
