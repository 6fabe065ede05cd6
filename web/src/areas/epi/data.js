// The epidemiologist's reads (docs/epidemiology.md): the org units I may look at, the epidemic
// curve (GET /epicurve: confirmed and probable cases per local day of a unit, by onset or
// report date) and the instantaneous reproduction number (GET /rt: Cori et al. 2013, mean and
// 95% credible interval per window). Days are 'YYYY-MM-DD' local days of the unit.
import { api } from '../../app/api.js';

/** My own unit first, then the units right under it: [{id, name, level, time_zone}]. */
export async function loadUnits(user) {
  const mine = user?.org_unit_id != null ? await api(`/org-units/${user.org_unit_id}`) : (await api('/org-units')).items?.[0];
  if (!mine) return [];
  const kids = (await api('/org-units', { query: { parent_id: mine.id } }).catch(() => ({ items: [] }))).items || [];
  return [mine, ...kids];
}

export const epiCurve = ({ unit, from, to, by }) => api('/epicurve', { query: { org_unit_id: unit, from, to, by } });
export const rt = ({ unit, from, to, window }) => api('/rt', { query: { org_unit_id: unit, from, to, window_days: window } });

/** A round upper bound for an axis: 1, 2, 5 times a power of ten, at least `max`. */
export function niceMax(max) {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/** EpiEstim's advice: read an estimate only when its window holds at least 12 cases (shape ≥ 13). */
export const reliable = (e) => e.shape >= 13;
