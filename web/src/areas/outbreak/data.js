// What the outbreak screens share: the API's word lists, the zone of an org unit (a case's
// dates are shown in its unit's zone), the units a filter offers, local dates as UTC bounds,
// and downloading one of the server's CSV line lists.
//
//   GET /line-lists/cases(.csv)      cases under a unit, paged {items, total, limit, offset}
//   GET /line-lists/contacts(.csv)   the follow-up board, each line with `today`; `day` is the
//                                    reader's unit's local day
//   GET /line-lists/tests            samples (result=pending: awaiting a result)
//   GET /org-units/{id}              {id, name, time_zone, ...}; GET /org-units?parent_id=
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { fromZonedLocal, rfc3339 } from '../../lib/zoned.js';

export const CLASSES = ['suspected', 'probable', 'confirmed', 'discarded'];
export const OUTCOMES = ['recovered', 'died', 'lost'];
export const CONTACT_STATUSES = ['under_follow_up', 'completed', 'lost', 'converted'];
export const RISKS = ['high', 'medium', 'low'];
export const SOURCES = ['tracing', 'co_travel', 'household', 'workplace', 'care', 'other'];
export const RESULTS = ['positive', 'negative', 'invalid'];

/** Messages kept in state are functions, so they follow a language switch. */
export const say = (m) => (typeof m === 'function' ? m() : m);

const units = new Map(); // id -> Promise<org unit>
export function orgUnit(id) {
  if (!units.has(id)) units.set(id, api(`/org-units/${id}`).catch((e) => { units.delete(id); throw e; }));
  return units.get(id);
}

/** The IANA zones of these units: {id: 'Asia/Ho_Chi_Minh'} (filled in as they arrive). */
export function useUnitZones(ids) {
  const [zones, setZones] = useState({});
  const key = [...new Set(ids.filter((x) => x != null))].sort().join(',');
  useEffect(() => {
    let live = true;
    for (const id of key ? key.split(',').map(Number) : []) {
      orgUnit(id).then((u) => live && u.time_zone && setZones((z) => (z[id] === u.time_zone ? z : { ...z, [id]: u.time_zone })), () => {});
    }
    return () => { live = false; };
  }, [key]);
  return zones;
}

/** The signed-in person's unit and the units right under it, for a "unit" filter. */
export function useUnitChoices(user) {
  const [list, setList] = useState([]);
  useEffect(() => {
    if (!user?.org_unit_id) return;
    let live = true;
    Promise.all([orgUnit(user.org_unit_id), api('/org-units', { query: { parent_id: user.org_unit_id } }).then((r) => r.items, () => [])])
      .then(([own, children]) => live && setList([own, ...children]), () => {});
    return () => { live = false; };
  }, [user?.org_unit_id]);
  return list;
}

/** A local date ("2026-11-30") in zone tz as the UTC instant its day starts (or, end=true, ends). */
export function dayBound(date, tz, end = false) {
  if (!date) return undefined;
  const d = fromZonedLocal(`${date}T00:00`, tz);
  if (!d) return undefined;
  return rfc3339(end ? new Date(d.getTime() + 86400000) : d);
}

/** Download a CSV the server writes (it has the BOM, CRLF and the header already). */
export async function downloadCsv(path, query, fileName) {
  const blob = await api(path, { query, as: 'blob' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A query without empty values. */
export const clean = (q) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== '' && v != null));
