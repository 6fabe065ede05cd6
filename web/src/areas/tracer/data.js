// The tracer's data: contacts from either endpoint in one shape, names and place names looked
// up once per id, and the CSV of a contact list.
//
//   GET /cases/{id}/contacts?depth=3   recorded when the case was confirmed (to the policy's
//     hops): {items: [{person_id, full_name, hop, via_person_id, total_minutes,
//     last_exposure_end, exposures: [{venue_id, start, end, minutes}]}], co_travellers: [...]}
//   GET /people/{id}/contacts?depth=3  traced now: {items: [{person_id, hop, via_person_id,
//     chain: [root, ..., person_id], exposure_start, total_minutes, exposures}]} (no names yet:
//     API-NEEDS.md 11)
//   Both come in pages of people by (hop, person id) with the whole list's `total` and a
//   `next_cursor` (null on the last page); allContacts reads every page.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { toZonedLocal } from '../../lib/zoned.js';
import { toCsv } from '../../lib/csv.js';

/**
 * Every page of a contact list (GET /cases/{id}/contacts or /people/{id}/contacts): the first
 * page's answer with the items of all pages. Pages are as large as the server allows, so a
 * list of a few thousand people is one request.
 */
export async function allContacts(path, query = {}) {
  const first = await api(path, { query: { ...query, limit: 10000 } });
  const items = [...(first.items || [])];
  for (let cursor = first.next_cursor; cursor; ) {
    const page = await api(path, { query: { ...query, limit: 10000, cursor } });
    items.push(...(page.items || []));
    cursor = page.next_cursor;
  }
  return { ...first, items, next_cursor: null };
}

/** One row per contact: {id, name, hop, via, exposures, minutes, first, last, venueIds}. */
export function normalise(items = []) {
  return items.map((c) => {
    const ex = (c.exposures || []).slice().sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    const first = c.exposure_start || ex[0]?.start || null;
    const last = c.last_exposure_end || ex.reduce((m, e) => (!m || Date.parse(e.end) > Date.parse(m) ? e.end : m), null);
    const via = c.via_person_id ?? (c.chain?.length > 1 ? c.chain[c.chain.length - 2] : null);
    return {
      id: c.person_id,
      name: c.full_name || null,
      hop: c.hop || 1,
      via,
      exposures: ex,
      minutes: c.total_minutes ?? ex.reduce((n, e) => n + (e.minutes || 0), 0),
      first,
      last,
      firstMs: first ? Date.parse(first) : 0,
      lastMs: last ? Date.parse(last) : 0,
      venueIds: [...new Set(ex.map((e) => e.venue_id))],
    };
  });
}

// Lookups shared by every screen of the area for the session: id -> name.
const people = new Map();
const venues = new Map();
let venuesListed = null;
const refused = new Set();

async function pool(ids, n, fn) {
  const queue = [...ids];
  await Promise.all(Array.from({ length: Math.min(n, queue.length) }, async () => {
    while (queue.length) await fn(queue.shift()).catch(() => {});
  }));
}

/** Names for person ids the answer did not name (at most `cap`, 6 requests at a time). */
export function usePeopleNames(ids, cap = 400) {
  const [, setN] = useState(0);
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    const missing = ids.filter((id) => id != null && !people.has(id)).slice(0, cap);
    if (!missing.length) return;
    pool(missing, 6, async (id) => {
      const p = await api(`/people/${id}`);
      people.set(id, p.full_name);
      if (live) setN((x) => x + 1);
    });
    return () => { live = false; };
  }, [key]);
  return people;
}

export const rememberName = (id, name) => { if (id != null && name) people.set(id, name); };

/** Place names: the venues of the tracer's unit in one go, others one by one. */
export function useVenueNames(ids) {
  const [, setN] = useState(0);
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    (async () => {
      if (!venuesListed) {
        venuesListed = (async () => {
          for (let offset = 0; offset < 2000; offset += 200) {
            const r = await api('/venues', { query: { limit: 200, offset } });
            for (const v of r.items) venues.set(v.id, v.name);
            if (r.items.length < 200) break;
          }
        })().catch(() => {});
      }
      await venuesListed;
      if (live) setN((x) => x + 1);
      // Another unit's venue may be closed to this tracer (403): asked once, then "Place no. N".
      const missing = ids.filter((id) => id != null && !venues.has(id) && !refused.has(id)).slice(0, 100);
      await pool(missing, 4, async (id) => {
        try {
          venues.set(id, (await api(`/venues/${id}`)).name);
        } catch (e) {
          refused.add(id);
        }
      });
      if (live && missing.length) setN((x) => x + 1);
    })();
    return () => { live = false; };
  }, [key]);
  return venues;
}

/** Filter and sort rows: {q, hop, sort: 'name'|'hop'|'minutes'|'first'|'last', dir: 1|-1}. */
export function view(rows, { q = '', hop = 'all', sort = 'hop', dir = 1 }, nameOf) {
  const needle = q.trim().toLocaleLowerCase();
  let out = rows;
  if (hop !== 'all') out = out.filter((r) => r.hop === Number(hop));
  if (needle) out = out.filter((r) => (nameOf(r) || '').toLocaleLowerCase().includes(needle) || String(r.id) === needle);
  const key = {
    name: (r) => nameOf(r) || '',
    hop: (r) => r.hop,
    minutes: (r) => r.minutes,
    first: (r) => r.firstMs,
    last: (r) => r.lastMs,
  }[sort];
  const cmp = sort === 'name' ? (a, b) => key(a).localeCompare(key(b)) : (a, b) => key(a) - key(b);
  return out.slice().sort((a, b) => dir * cmp(a, b) || a.hop - b.hop || a.id - b.id);
}

/**
 * The CSV of a contact list. Times are the tracer's wall-clock ("2026-11-29 13:49") with the
 * zone named in the header, which spreadsheets sort and read as dates.
 */
export function contactsCsv(rows, { t, tz, nameOf, venueOf }) {
  const local = (v) => (v ? toZonedLocal(v, tz).replace('T', ' ') : '');
  const header = [
    t('tracer.csv.personId'), t('tracer.csv.name'), t('tracer.csv.hop'), t('tracer.csv.viaId'), t('tracer.csv.viaName'),
    t('tracer.csv.places'), t('tracer.csv.first', { zone: tz }), t('tracer.csv.last', { zone: tz }), t('tracer.csv.minutes'),
  ];
  return toCsv([
    header,
    ...rows.map((r) => [
      r.id, nameOf(r) || '', r.hop, r.via ?? '', r.via != null ? nameOf({ id: r.via }) || '' : '',
      r.venueIds.map(venueOf).join('; '), local(r.first), local(r.last), r.minutes,
    ]),
  ]);
}
