// Test sites and their slots, the staff's side (docs/outbreak.md, "Testing"; capability
// manage_test_sites: admin and command officer):
//
//   GET  /test-sites                   the sites of my unit's subtree {items: [site]}
//   GET  /test-sites/{id}              one site (404 outside my subtree)
//   POST /test-sites                   {name, address, org_unit_id, kinds: ['pcr','antigen']} -> 201 site
//   POST /test-sites/{id}/slots        {date, start, end, minutes, capacity} -> 201 {created, kept,
//                                      past, items} (slots already there are kept as they are;
//                                      today's that would start before now are not made)
//   GET  /test-sites/{id}/slots?date=&tz=   {site, time_zone, items: [{id, starts_at, ends_at,
//                                      local_start, local_end, capacity, booked, cancelled, free}]}
//
// A site is {id, name, address, org_unit_id, time_zone, kinds, facility_id, created_at}; its zone
// is its unit's, and the desk shows a site's days and times in it. Refusals are 400 {error: {code, field, message}} with an
// English message; the fields' messages the server is known to give are said in the reader's
// words (fieldMessage), any other in the server's own under "Technical details".
import { api } from '../../app/api.js';
import { errorText } from '../../ui/ui.jsx';

export const KINDS = ['pcr', 'antigen'];
export const SHORT = { dateStyle: 'medium', timeStyle: 'short' };

export const listSites = () => api('/test-sites');
export const getSite = (id) => api(`/test-sites/${id}`);
export const openSite = (body) => api('/test-sites', { method: 'POST', body });
export const addSlots = (id, body) => api(`/test-sites/${id}/slots`, { method: 'POST', body });
export const listSlots = (id, date, tz) => api(`/test-sites/${id}/slots`, { query: { date, tz } });

/** Messages kept in state are functions, so they follow a language switch. */
export const say = (m) => (typeof m === 'function' ? m() : m);

/** The tests a site offers, in words ("Nucleic-acid test (PCR), Antigen test"). */
export const kindsText = (t, kinds) => KINDS.filter((k) => kinds.includes(k)).map((k) => t(`sites.kind.${k}`)).join(', ');

/** Places taken in a slot by bookings not cancelled (may exceed a capacity lowered since). */
export const booked = (s) => s.booked;

/** A slot's state in words (colour is never alone): over, under way, full or open. */
export function slotState(s, now) {
  if (Date.parse(s.ends_at) <= now) return 'over';
  if (Date.parse(s.starts_at) <= now) return 'begun';
  return s.free === 0 ? 'full' : 'open';
}

// The server's messages for the fields of these forms (outbreak.cc, service.cc, the request
// schema), each with its catalogue key; {a, b} are the numbers the message names.
const KNOWN = [
  [/^is required$/, 'sites.err.required'],
  [/^give pcr, antigen or both$/, 'sites.err.kinds'],
  [/^must be pcr or antigen$/, 'sites.err.kinds'],
  [/^must be after the start$/, 'sites.err.endAfterStart'],
  [/^is before today \(.*\) at the site$/, 'sites.err.pastDay'],
  [/^every slot would start in the past$/, 'sites.err.allPast'],
  [/^makes more than (\d+) slots$/, 'sites.err.tooMany'],
  [/^must be (a date and )?HH:MM$/, 'sites.err.time'],
  [/^must be a date, YYYY-MM-DD$/, 'sites.err.date'],
  [/^must be between (\d+) and (\d+)$/, 'sites.err.between'],
  [/^must be an integer$/, 'sites.err.integer'],
  [/^(?:is )?longer than (\d+) (bytes|characters)$/, 'sites.err.tooLong'],
  [/^no org unit \d+/, 'sites.err.unit'],
];

/** The reader's words for the server's refusal of a field (`e.field`), as a function. */
export function fieldMessage(t, e) {
  for (const [re, key] of KNOWN) {
    const m = re.exec(e.message || '');
    if (m) return () => t(key, { a: m[1] ?? '', b: m[2] ?? '' });
  }
  return () => errorText(t, e);
}
