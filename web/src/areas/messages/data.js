// The message outbox (docs/outbox.md): what Mekong tells a person (a question answered or
// closed, a test result, a consultation booked, moved, cancelled or coming up), written once in
// the language they chose and delivered in the app and, when they asked, by SMS and email. The
// citizen's calls (their messages, marking one read, their settings) and the staff's (deliveries
// of their subtree, one with its attempts, retry).
import { api } from '../../app/api.js';

export const STATUSES = ['queued', 'sending', 'sent', 'failed'];
export const CHANNELS = ['in_app', 'sms', 'email'];
/** The kinds of message the screens have words for; another is shown by its code. */
export const KINDS = [
  'code_green', 'code_yellow', 'code_red', 'ticket_answered', 'ticket_closed',
  'test_positive', 'test_negative', 'test_invalid', 'test_booked', 'test_cancelled', 'test_reminder',
  'appointment_booked', 'appointment_rescheduled', 'appointment_cancelled', 'appointment_reminder',
];

export const SHORT = { dateStyle: 'medium', timeStyle: 'short' };

export const myMessages = (query) => api('/me/messages', { query });
export const markRead = (id) => api(`/me/messages/${id}/read`, { method: 'POST' });
export const getSettings = () => api('/me/message-settings');
export const putSettings = (body) => api('/me/message-settings', { method: 'PUT', body });

export const listDeliveries = (query) => api('/outbox', { query });
export const getDelivery = (id) => api(`/outbox/${id}`);
export const retryDelivery = (id) => api(`/outbox/${id}/retry`, { method: 'POST' });
export const outboxSummary = () => api('/outbox/summary');

/** A delivery's attempts, oldest first (`attempts` is their count). */
export const attemptLog = (d) => d?.attempts_log || [];

/** Messages kept in state are functions so they follow a language switch. */
export const say = (m) => (typeof m === 'function' ? m() : m);
