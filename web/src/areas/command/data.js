// The command officer's picture: the org-unit tree (GET /org-units?parent_id=) and counts per
// unit. Red and yellow come from GET /health-codes/summary, which today answers for the
// caller's own unit only (API-NEEDS.md 12 asks for per-unit counts); the screen probes
// ?org_unit_id= once and uses it for every unit when the server honours it. Active cases per
// unit come from GET /cases (each case has its commune), summed up the tree.
import { api } from '../../app/api.js';

async function pool(items, n, fn) {
  const queue = [...items];
  await Promise.all(Array.from({ length: Math.min(n, queue.length) }, async () => { while (queue.length) await fn(queue.shift()); }));
}

/** {root, districts: [{...unit, communes: [unit]}], parentOf: Map(commune id -> district id)} */
export async function loadTree(user) {
  const roots = (await api('/org-units')).items;
  let root = roots.find((r) => r.id === user?.org_unit_id) || roots[0];
  const districts = root ? (await api('/org-units', { query: { parent_id: root.id } })).items : [];
  await pool(districts, 6, async (d) => { d.communes = (await api('/org-units', { query: { parent_id: d.id } })).items; });
  const parentOf = new Map();
  for (const d of districts) for (const c of d.communes) parentOf.set(c.id, d.id);
  return { root, districts, parentOf };
}

/** {mine: {org_unit_id, red, yellow}, codes: Map(unit id -> {red, yellow}) | null, cases: Map(unit id -> n)} */
export async function loadCounts(tree) {
  const mine = await api('/health-codes/summary');
  let codes = null;
  const probe = tree.districts.find((d) => d.id !== mine.org_unit_id);
  if (probe) {
    const p = await api('/health-codes/summary', { query: { org_unit_id: probe.id } }).catch(() => null);
    if (p && p.org_unit_id === probe.id) {
      codes = new Map([[mine.org_unit_id, mine], [probe.id, p]]);
      const units = [tree.root, ...tree.districts, ...tree.districts.flatMap((d) => d.communes)].filter((u) => u && !codes.has(u.id));
      await pool(units, 6, async (u) => {
        const s = await api('/health-codes/summary', { query: { org_unit_id: u.id } }).catch(() => null);
        if (s) codes.set(u.id, s);
      });
    }
  }
  const cases = new Map();
  const add = (id) => id != null && cases.set(id, (cases.get(id) || 0) + 1);
  for (let offset = 0; offset < 5000; offset += 200) {
    const r = await api('/cases', { query: { limit: 200, offset } });
    for (const c of r.items) {
      if (c.released_at) continue;
      add(c.org_unit_id);
      const d = tree.parentOf.get(c.org_unit_id);
      if (d != null) add(d);
      if (tree.root && c.org_unit_id !== tree.root.id) add(tree.root.id);
    }
    if (r.items.length < 200) break;
  }
  return { mine, codes, cases, at: new Date() };
}
