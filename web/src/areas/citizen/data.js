// The citizen's own data: the last health code (kept for offline use), the open stay, and
// the calls the citizen screens share.
import { api } from '../../app/api.js';
import { session } from '../../app/session.js';
import { saved, store } from '../../app/store.js';
import { lang } from '../../i18n/index.js';

export const personId = () => session.get()?.user?.person_id;

const codeKey = () => `mekong.code.${personId()}`;

/** {status, credential, fetched_at} from the last successful fetch, or null. */
export const lastCode = () => saved.get(codeKey());

/** Fetch the colour and reasons and a freshly signed credential; keep them for offline. */
export async function fetchCode() {
  const id = personId();
  const query = { lang: lang.get() };
  const [status, credential] = await Promise.all([
    api(`/people/${id}/health-code`, { query }),
    api(`/people/${id}/health-code/credential`),  // the signed code has no words to translate
  ]);
  const copy = { status, credential, fetched_at: new Date().toISOString() };
  saved.set(codeKey(), copy);
  return copy;
}

/** The stay this phone checked in to and has not checked out of: {id, venue_id, time_in, time_out}. */
export const stay = store(saved.get('mekong.stay'));
stay.subscribe((s) => saved.set('mekong.stay', s));

export const isOpen = (c, now = Date.now()) => c && c.closed_by !== 'checkout' && Date.parse(c.time_out) > now;

export async function checkIn(qr) {
  const c = await api('/checkins', { method: 'POST', body: { qr } });
  stay.set(c);
  return c;
}

export async function checkOut(id) {
  const c = await api(`/checkins/${id}/checkout`, { method: 'POST', body: {} });
  if (stay.get()?.id === id) stay.set(null);
  return c;
}

/** Venue poster text: "MKV1:<venue id>:<signature>". Typed codes may omit the prefix. */
export function normaliseVenueCode(text) {
  const s = String(text).trim().toUpperCase().replace(/\s+/g, '');
  if (!s) return '';
  return s.startsWith('MKV1:') ? s : `MKV1:${s}`;
}
export const looksLikeVenueCode = (text) => /^MKV1:\d+:[0-9A-F]+$/.test(normaliseVenueCode(text));
