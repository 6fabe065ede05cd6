// The patient's telehealth calls, shared by the screens of this area (docs/telehealth.md has
// the API). Money arrives as {currency, amount} with the amount as decimal text; times as
// RFC 3339 UTC, shown in the person's zone (i18n timeZone).
import { api } from '../../app/api.js';
import { session } from '../../app/session.js';
import { lang, intlLocales, timeZone } from '../../i18n/index.js';
import { digits } from '../../i18n/fallback.js';

export const personId = () => session.get()?.user?.person_id;

// The specialties the partner network lists today (lower-case tokens, docs/telehealth.md).
export const SPECIALTIES = ['hematology', 'cardiology', 'internal_medicine'];

export const findExperts = ({ specialty, language }) => api('/telehealth/experts', { query: { specialty, language } });
export const getPractitioner = (id) => api(`/telehealth/practitioners/${id}`);
export const getHospital = (id) => api(`/telehealth/hospitals/${id}`);
export const freeSlots = (id, from, to) => api(`/telehealth/practitioners/${id}/slots`, { query: { from, to, tz: timeZone.get() } });
export const book = (practitioner, start, reason) =>
  api('/appointments', { method: 'POST', body: { practitioner_id: practitioner, start, patient_zone: timeZone.get(), ...(reason ? { reason } : {}) } });
export const myAppointments = () => api(`/telehealth/patients/${personId()}/appointments`);
export const myInvoices = () => api(`/telehealth/patients/${personId()}/invoices`);
export const cancel = (id, reason) => api(`/appointments/${id}/cancel`, { method: 'POST', body: { reason } });
/** The printable receipt page (HTML), in the current language. */
export const receipt = (id) => api(`/invoices/${id}/receipt`, { query: { lang: lang.get(), tz: timeZone.get() }, as: 'blob' });

// ISO 4217 minor digits of the currencies the network bills in (the server checks every one).
const MINOR = { VND: 0, JPY: 0, KRW: 0, LAK: 2, KHR: 2, MMK: 2, IDR: 2 };

/** {currency: 'VND', amount: '1670313'} -> "1.670.313 ₫" in Vietnamese; the decimal text goes to
 * Intl as a string, never through a float. */
export function fmtAmount({ currency, amount }, code = lang.get()) {
  const d = MINOR[currency] ?? 2;
  const f = new Intl.NumberFormat(intlLocales(code), { style: 'currency', currency, minimumFractionDigits: d, maximumFractionDigits: d });
  return digits(code, f.format(amount));
}

