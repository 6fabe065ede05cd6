// The citizen's testing calls (docs/outbreak.md, "Testing"): test sites, a site's slots of a
// local day with their times in the citizen's own zone (?tz), booking one place, my bookings
// and cancelling; and the citizen's own daily check while they are a contact under follow-up.
import { api } from '../../app/api.js';
import { timeZone } from '../../i18n/index.js';

export const KINDS = ['pcr', 'antigen'];

export const listSites = () => api('/test-sites');
/** {site, time_zone, items: [{id, starts_at, ends_at, local_start, local_end, capacity, free}]} */
export const listSlots = (site, date) => api(`/test-sites/${site}/slots`, { query: { date, tz: timeZone.get() } });
export const bookTest = (slotId, kind) => api('/test-bookings', { method: 'POST', body: { slot_id: slotId, kind } });
export const myBookings = () => api('/test-bookings');
/** An action without a body, like acknowledging an alert. */
export const cancelBooking = (id) => api(`/test-bookings/${id}/cancel`, { method: 'POST' });

/** {items: [contact]}: the contacts I am (usually one), each with `today`: answered, missed or null. */
export const myFollowUp = () => api('/me/follow-up');
export const answerCheck = (body) => api('/me/follow-up/checks', { method: 'POST', body });

/** The server refused because the slot filled up meanwhile (409 naming slot_id, "slot N is full"). */
export const slotGone = (e) => e?.status === 409 && e.field === 'slot_id';
