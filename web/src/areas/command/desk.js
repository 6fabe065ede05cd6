// What the command centre's desk screens (directives, tasks, situation reports) share: the
// officer's own unit and the units one level below it (GET /org-units), the only units a
// directive can go to (docs/command.md: strictly below, never one's own, a sibling or upward).
import { api } from '../../app/api.js';
import { useStore } from '../../app/store.js';
import { session } from '../../app/session.js';
import { useLoad } from '../../ui/ui.jsx';

export const useUser = () => useStore(session)?.user || null;

/** {unit, children} for the signed-in officer; children is [] for a commune. */
export function useMyUnit(user) {
  return useLoad(async () => {
    if (!user?.org_unit_id) return { unit: null, children: [] };
    const [unit, below] = await Promise.all([api(`/org-units/${user.org_unit_id}`), api('/org-units', { query: { parent_id: user.org_unit_id } })]);
    return { unit, children: below.items.filter((u) => u.parent_id === unit.id) };
  }, [user?.org_unit_id]);
}

/** Catalogue keys of the statuses and priorities the API uses. */
export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
export const FIGURES = ['new_cases', 'active_cases', 'contacts_following', 'tests', 'positives', 'alerts', 'open_alerts'];

/** Messages kept in state are functions so they follow a language switch. */
export const say = (m) => (typeof m === 'function' ? m() : m);

export const SHORT = { dateStyle: 'medium', timeStyle: 'short' };

/** Org-unit names by id (GET /org-units/{id} is public), a few at a time. */
const unitNames = new Map();
export function useUnitNames(ids) {
  const key = [...new Set(ids)].filter((id) => !unitNames.has(id)).sort().join(',');
  useLoad(async () => {
    const queue = key ? key.split(',') : [];
    const one = async () => {
      for (let id; (id = queue.shift()); ) {
        const u = await api(`/org-units/${id}`).catch(() => null);
        if (u) unitNames.set(Number(id), u.name);
      }
    };
    await Promise.all([1, 2, 3, 4, 5, 6].map(one));
    return unitNames.size;
  }, [key]);
  return unitNames; // useLoad re-renders the screen once the names are in
}
