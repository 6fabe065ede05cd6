// Test sites (admin, command officer): the sites of my unit and the units below it
// (GET /test-sites), each with the tests it offers and its unit, and a form to open one
// (POST /test-sites: name, address, the unit, PCR and/or antigen). The server decides what is
// valid; its refusal is said at the field it names (aria-invalid, aria-describedby) and the
// field is focused.
import { useState } from 'preact/hooks';
import { Link } from '../../app/router.js';
import { useT, fmtDateTime, fmtNumber } from '../../i18n/index.js';
import { Page, Field, Notice, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { useUser, useUnitNames } from '../command/desk.js';
import { useUnitChoices } from '../outbreak/data.js';
import { KINDS, SHORT, listSites, openSite, kindsText, fieldMessage, say } from './data.js';
import '../../styles/staff.css';
import './sites.css';

const FIELDS = ['name', 'address', 'org_unit_id', 'kinds'];
const ID = { name: 'ts-name', address: 'ts-address', org_unit_id: 'ts-unit', kinds: 'ts-kind-pcr' };
const LABEL = { name: 'sites.open.name', address: 'sites.col.address', org_unit_id: 'sites.col.unit', kinds: 'sites.col.kinds' };

function OpenSite({ user, onOpened }) {
  const t = useT();
  const units = useUnitChoices(user);
  const empty = { name: '', address: '', unit: '', kinds: [...KINDS] };
  const [f, setF] = useState(empty);
  const [errs, setErrs] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const unit = f.unit || (units[0] ? String(units[0].id) : '');

  const toggle = (k) => (e) => setF({ ...f, kinds: e.currentTarget.checked ? KINDS.filter((x) => x === k || f.kinds.includes(x)) : f.kinds.filter((x) => x !== k) });
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true); setErrs({}); setError(null);
    const body = { name: f.name.trim(), kinds: f.kinds };
    if (f.address.trim()) body.address = f.address.trim();
    if (unit) body.org_unit_id = Number(unit);
    try {
      const site = await openSite(body);
      setF(empty);
      onOpened(site);
    } catch (x) {
      setError(x);
      if (FIELDS.includes(x.field)) {
        setErrs({ [x.field]: fieldMessage(t, x) });
        setTimeout(() => document.getElementById(ID[x.field])?.focus(), 0);
      }
    } finally {
      setBusy(false);
    }
  };

  const kindsError = say(errs.kinds);
  return (
    <form class="card site-form" onSubmit={submit} noValidate aria-labelledby="ts-open-h" data-testid="open-site">
      <h2 id="ts-open-h">{t('sites.open.title')}</h2>
      <div class="filters">
        <Field id="ts-name" label={t('sites.open.name')} hint={t('sites.open.nameHint')} error={say(errs.name)}>
          {(a) => <input {...a} type="text" maxLength={200} aria-required="true" value={f.name} onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />}
        </Field>
        <Field id="ts-address" label={t('sites.col.address')} error={say(errs.address)}>
          {(a) => <input {...a} type="text" maxLength={300} value={f.address} onInput={(e) => setF({ ...f, address: e.currentTarget.value })} />}
        </Field>
        {units.length > 0 && (
          <Field id="ts-unit" label={t('sites.col.unit')} hint={t('sites.open.unitHint')} error={say(errs.org_unit_id)}>
            {(a) => (
              <select {...a} value={unit} onChange={(e) => setF({ ...f, unit: e.currentTarget.value })}>
                {units.map((u, i) => <option key={u.id} value={u.id}>{i === 0 ? t('sites.open.ownUnit', { name: u.name }) : u.name}</option>)}
              </select>
            )}
          </Field>
        )}
      </div>
      <fieldset class={`inline-choice ${kindsError ? 'field-error' : ''}`} aria-describedby={kindsError ? 'ts-kinds-error' : undefined}>
        <legend>{t('sites.col.kinds')}</legend>
        {KINDS.map((k) => (
          <label class="check" key={k}>
            <input type="checkbox" id={`ts-kind-${k}`} checked={f.kinds.includes(k)} onChange={toggle(k)}
              aria-invalid={kindsError ? 'true' : undefined} aria-describedby={kindsError ? 'ts-kinds-error' : undefined} />
            <span>{t(`sites.kind.${k}`)}</span>
          </label>
        ))}
        {kindsError && <p class="error-text" id="ts-kinds-error">{kindsError}</p>}
      </fieldset>
      <ErrorNotice error={error}>
        {FIELDS.includes(error?.field) && <p>{t('sites.fieldNamed', { field: t(LABEL[error.field]) })}</p>}
      </ErrorNotice>
      <button type="submit" class="btn" disabled={busy}>{t('sites.open.submit')}</button>
    </form>
  );
}

export default function Sites() {
  const t = useT();
  const user = useUser();
  const list = useLoad(listSites);
  const [opened, setOpened] = useState(null);
  const items = list.data?.items || [];
  const unitName = useUnitNames(items.map((s) => s.org_unit_id));
  const unitOf = (s) => unitName.get(s.org_unit_id) || t('sites.unitN', { id: fmtNumber(s.org_unit_id, { useGrouping: false }) });

  return (
    <Page title={t('sites.title')} wide>
      <p>{t('sites.intro')}</p>
      {opened && (
        <Notice kind="ok">
          <p data-testid="opened">{t('sites.opened', { name: opened.name })} <Link href={`/outbreak/sites/${opened.id}`}>{t('sites.openSlots')}</Link></p>
        </Notice>
      )}
      <h2 id="ts-list-h">{t('sites.list')}</h2>
      <ErrorNotice error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <p class="muted" data-testid="count">{t('sites.count', { n: fmtNumber(items.length) })}</p>
      )}
      {list.data && !items.length && <Notice><p data-testid="no-sites">{t('sites.none')}</p></Notice>}
      {items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="ts-list-h">
          <table data-testid="sites">
            <thead>
              <tr>
                <th scope="col">{t('sites.col.name')}</th><th scope="col">{t('sites.col.address')}</th><th scope="col">{t('sites.col.kinds')}</th>
                <th scope="col">{t('sites.col.unit')}</th><th scope="col">{t('sites.col.zone')}</th><th scope="col">{t('sites.col.opened')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.id} data-site-id={s.id} data-unit-id={s.org_unit_id} data-kinds={s.kinds.join(',')}>
                  <td><Link href={`/outbreak/sites/${s.id}`} data-testid="name">{s.name}</Link></td>
                  <td data-testid="address">{s.address || '—'}</td>
                  <td data-testid="kinds">{kindsText(t, s.kinds)}</td>
                  <td data-testid="unit">{unitOf(s)}</td>
                  <td class="mono" data-testid="zone">{s.time_zone}</td>
                  <td data-testid="created">{fmtDateTime(s.created_at, { ...SHORT, timeZone: s.time_zone })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <OpenSite user={user} onOpened={(s) => { setOpened(s); list.reload(); }} />
    </Page>
  );
}
