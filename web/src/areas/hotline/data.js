// The hotline and feedback tickets (GET/POST /tickets…): the API calls the citizen's and the
// desk's screens share and the values the API uses. What only the desk needs (languages' names,
// durations, shares) is in desk.js, so a citizen does not download it.
import { api } from '../../app/api.js';

export const CATEGORIES = ['entry_exit', 'quarantine', 'vaccination', 'other'];
export const STATUSES = ['open', 'answered', 'closed'];
/** The channels a desk records (a citizen's own tickets come from the web form). */
export const CALL_CHANNELS = ['phone', 'message'];
/** The languages a ticket may be in: the app's 15. */
export const TICKET_LANGUAGES = ['en', 'zh', 'vi', 'th', 'ms', 'id', 'fil', 'km', 'lo', 'my', 'ja', 'ko', 'ta', 'tet', 'pt'];

export const SHORT = { dateStyle: 'medium', timeStyle: 'short' };

export const listTickets = (query) => api('/tickets', { query });
export const getTicket = (id) => api(`/tickets/${id}`);
export const openTicket = (body) => api('/tickets', { method: 'POST', body });
export const addMessage = (id, body) => api(`/tickets/${id}/messages`, { method: 'POST', body: { body } });
export const closeTicket = (id, note) => api(`/tickets/${id}/close`, { method: 'POST', body: note ? { note } : {} });
export const summary = (days = 30) => api('/tickets/summary', { query: { days } });

/** Still waiting for the unit's first answer (the target's clock runs). */
export const awaitingFirstReply = (k) => k.status !== 'closed' && !k.first_reply_at;

/** What a new ticket lacks (topic, subject, text), as messages for the fields; {} when none. */
export function missingFields(t, f) {
  const m = {};
  if (!f.category) m.category = () => t('hotline.form.pickCategory');
  if (!f.subject.trim()) m.subject = () => t('hotline.form.required');
  if (!f.body.trim()) m.body = () => t('hotline.form.required');
  return m;
}

/** Messages kept in state are functions so they follow a language switch. */
export const say = (m) => (typeof m === 'function' ? m() : m);
