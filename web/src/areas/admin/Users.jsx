// Users and roles: add a user (POST /users) with a role and an org unit; a device (a gate, a
// camera) gets its API key once, shown here with a copy button. The list of existing users
// needs GET /users, which the server lacks (API-NEEDS.md 13): until then the screen says so
// and lists the users added in this session.
import { useState } from 'preact/hooks';
import { api, notBuiltYet } from '../../app/api.js';
import { useT, fmtNumber } from '../../i18n/index.js';
import { Page, Field, ErrorNotice, Loading, Notice, NotYet, useLoad, errorText } from '../../ui/ui.jsx';
import { loadTree } from '../command/data.js';
import '../../styles/staff.css';

export const ROLES = ['citizen', 'venue_operator', 'checkpoint_officer', 'tracer', 'command_officer', 'clinician', 'lab_technician', 'admin', 'device'];
/** Messages are kept as functions so they follow a language switch. */
const say = (m) => (typeof m === 'function' ? m() : m);
const EMPTY = { username: '', role: 'tracer', org_unit_id: '', password: '', person_id: '' };

export default function Users({ user }) {
  const t = useT();
  const list = useLoad(() => api('/users', { query: { limit: 100 } }));
  const tree = useLoad(() => loadTree(user));
  const [v, setV] = useState(EMPTY);
  const [errs, setErrs] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState([]);
  const [key, setKey] = useState(null);
  const [copied, setCopied] = useState(false);
  const set = (k) => (e) => setV({ ...v, [k]: e.currentTarget.value });

  const units = tree.data ? [tree.data.root, ...tree.data.districts.flatMap((d) => [d, ...d.communes])].filter(Boolean) : [];
  const unitName = (id) => units.find((u) => u.id === id)?.name || String(id);

  const submit = async (e) => {
    e.preventDefault();
    const x = {};
    if (!/^[a-z0-9._-]{3,64}$/i.test(v.username)) x.username = () => t('admin.users.usernameBad');
    if (!v.org_unit_id) x.org_unit_id = () => t('admin.required');
    if (v.role !== 'device' && v.password.length < 10) x.password = () => t('admin.users.passwordShort');
    if (v.person_id && !/^\d+$/.test(v.person_id)) x.person_id = () => t('admin.users.personBad');
    setErrs(x); setError(null); setKey(null); setCopied(false);
    if (Object.keys(x).length) return;
    setBusy(true);
    try {
      const body = { username: v.username, role: v.role, org_unit_id: Number(v.org_unit_id) };
      if (v.role !== 'device') body.password = v.password;
      if (v.person_id) body.person_id = Number(v.person_id);
      const r = await api('/users', { method: 'POST', body });
      setAdded((xs) => [r, ...xs]);
      if (r.api_key) setKey({ username: r.username, key: r.api_key });
      setV(EMPTY);
    } catch (er) {
      if (er.field) setErrs({ [er.field]: () => errorText(t, er) });
      setError(er);
    } finally {
      setBusy(false);
    }
  };

  // Users added here first (the list was read before them), then the server's list.
  const rows = list.data ? [...added, ...list.data.items.filter((u) => !added.some((a) => a.id === u.id))] : added;
  return (
    <Page title={t('admin.users.title')} wide>
      <div class="grid-2">
        <section aria-labelledby="users-h">
          <h2 id="users-h">{list.data ? t('admin.users.all') : t('admin.users.added')}</h2>
          {list.error && notBuiltYet(list.error) && <NotYet what={t('admin.users.listNotYet')} />}
          {list.error && !notBuiltYet(list.error) && <ErrorNotice error={list.error} />}
          {list.loading && <Loading />}
          {rows.length === 0 && !list.loading && <p class="muted">{t('admin.users.noneAdded')}</p>}
          {rows.length > 0 && (
            <table data-testid="users">
              <caption class="visually-hidden">{t('admin.users.added')}</caption>
              <thead><tr><th scope="col">{t('admin.users.username')}</th><th scope="col">{t('admin.users.role')}</th><th scope="col">{t('admin.users.unit')}</th></tr></thead>
              <tbody>{rows.map((u) => <tr key={u.id}><td>{u.username}</td><td>{t(`common.role.${u.role}`)}</td><td>{unitName(u.org_unit_id)}</td></tr>)}</tbody>
            </table>
          )}
        </section>
        <form class="card" onSubmit={submit} noValidate aria-labelledby="add-user-h">
          <h2 id="add-user-h">{t('admin.users.add')}</h2>
          {key && (
            <Notice kind="warn">
              <p><strong>{t('admin.users.keyOnce', { name: key.username })}</strong></p>
              <p class="mono" data-testid="api-key">{key.key}</p>
              <button type="button" class="btn btn-secondary" onClick={async () => { try { await navigator.clipboard.writeText(key.key); setCopied(true); } catch { setCopied(false); } }}>{t('admin.users.copy')}</button>
              {copied && <span role="status"> {t('admin.users.copied')}</span>}
            </Notice>
          )}
          {!key && added[0] && <Notice kind="ok"><p>{t('admin.users.addedOne', { name: added[0].username })}</p></Notice>}
          <Field id="u-username" label={t('admin.users.username')} hint={t('admin.users.usernameHint')} error={say(errs.username)}>
            {(a) => <input type="text" {...a} value={v.username} onInput={set('username')} autocomplete="off" autocapitalize="none" />}
          </Field>
          <Field id="u-role" label={t('admin.users.role')} error={say(errs.role)}>
            {(a) => <select {...a} value={v.role} onChange={set('role')}>{ROLES.map((r) => <option key={r} value={r}>{t(`common.role.${r}`)}</option>)}</select>}
          </Field>
          <Field id="u-unit" label={t('admin.users.unit')} error={say(errs.org_unit_id)}>
            {(a) => (
              <select {...a} value={v.org_unit_id} onChange={set('org_unit_id')}>
                <option value="">{t('admin.users.pickUnit')}</option>
                {tree.data?.root && <option value={tree.data.root.id}>{tree.data.root.name}</option>}
                {tree.data?.districts.map((d) => (
                  <optgroup key={d.id} label={d.name}>
                    <option value={d.id}>{t('admin.users.wholeDistrict', { name: d.name })}</option>
                    {d.communes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                  </optgroup>
                ))}
              </select>
            )}
          </Field>
          {v.role !== 'device' ? (
            <Field id="u-password" label={t('admin.users.password')} hint={t('admin.users.passwordHint')} error={say(errs.password)}>
              {(a) => <input type="password" {...a} value={v.password} onInput={set('password')} autocomplete="new-password" />}
            </Field>
          ) : <p class="hint">{t('admin.users.deviceHint')}</p>}
          <Field id="u-person" label={t('admin.users.person')} hint={t('admin.users.personHint')} error={say(errs.person_id)}>
            {(a) => <input type="text" inputMode="numeric" {...a} value={v.person_id} onInput={set('person_id')} autocomplete="off" />}
          </Field>
          <ErrorNotice error={error} />
          <button type="submit" class="btn" disabled={busy}>{t('admin.users.submit')}</button>
          <p class="muted">{t('admin.users.count', { n: fmtNumber(added.length) })}</p>
        </form>
      </div>
    </Page>
  );
}
