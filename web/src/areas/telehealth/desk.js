// The staff side of telehealth (docs/telehealth.md): the expert's calendar and the consultation
// record, referrals, transport and the hospital's billing. Only API calls and small pure
// helpers; the patient's calls are in data.js.
import { api } from '../../app/api.js';
import { session } from '../../app/session.js';
import { fromZonedLocal, rfc3339 } from '../../lib/zoned.js';

const me = () => session.get()?.user || {};

export const hospitals = () => api('/telehealth/hospitals');
export const getHospital = (id) => api(`/telehealth/hospitals/${id}`);

/** The expert I am (bookable practitioner whose user is me), with their hospital; or null. */
export async function myExpert() {
  const list = await api('/telehealth/experts');
  return list.items.find((e) => e.practitioner.user_id === me().user_id) || null;
}

/**
 * The partner hospitals I act for. The API names no "my hospital" (web/API-NEEDS.md, item 16):
 * the network's referral list answers a hospital's staff only, so the hospitals whose list
 * answers are mine (the network has a handful of hospitals).
 */
export async function myHospitals() {
  const all = (await hospitals()).items;
  const answers = await Promise.all(all.map((h) => api('/referrals', { query: { hospital_id: h.id } }).then(() => true, () => false)));
  return { all, mine: all.filter((_, i) => answers[i]) };
}

/** Midnight of a local day in a zone, as RFC 3339 UTC. */
export const dayStart = (day, tz) => rfc3339(fromZonedLocal(`${day}T00:00`, tz));

export const calendar = (id, from, to) => api(`/telehealth/practitioners/${id}/calendar`, { query: { from, to } });
export const getAppointment = (id) => api(`/appointments/${id}`);
export const patientAppointments = (pid) => api(`/telehealth/patients/${pid}/appointments`);

export const getConsultation = (id) => api(`/consultations/${id}`);
export const writeNotes = (id, notes) => api(`/consultations/${id}/notes`, { method: 'PUT', body: { notes } });
export const addDiagnosis = (id, icd10, text) => api(`/consultations/${id}/diagnoses`, { method: 'POST', body: { icd10, text } });
export const setConsultationStatus = (id, status) => api(`/consultations/${id}/status`, { method: 'POST', body: { status } });
export const consents = (pid) => api(`/telehealth/patients/${pid}/consents`);
export const whoRead = (pid) => api(`/telehealth/patients/${pid}/reads`, { query: { limit: 50 } });

export const referrals = (hospitalId) => api('/referrals', { query: { hospital_id: hospitalId } });
export const refer = (body) => api('/referrals', { method: 'POST', body });
export const setReferralStatus = (id, status, reason) => api(`/referrals/${id}/status`, { method: 'POST', body: { status, ...(reason ? { reason } : {}) } });

export const ESCORTS = ['none', 'family', 'nurse', 'doctor', 'paramedic_team'];
export const MODES = ['ground_ambulance', 'air_ambulance', 'commercial_flight', 'private_vehicle', 'rail'];
export const applyForTransport = (body) => api('/transports', { method: 'POST', body });
export const getTransport = (id) => api(`/transports/${id}`);
export const attachDocument = (id, kind, reference) => api(`/transports/${id}/documents/${kind}`, { method: 'PUT', body: { reference } });

export const patientInvoices = (pid) => api(`/telehealth/patients/${pid}/invoices`);
export const quote = (body) => api('/invoices', { method: 'POST', body });
export const issue = (id) => api(`/invoices/${id}/issue`, { method: 'POST', body: {} });
export const payments = (id) => api(`/invoices/${id}/payments`);
export const pay = (id, body) => api(`/invoices/${id}/payments`, { method: 'POST', body });
export const refund = (id, body) => api(`/invoices/${id}/refunds`, { method: 'POST', body });

/**
 * {currency, amount: "475.50"} (decimal text with all the currency's minor digits, as the
 * server writes it) -> {currency, minor: 47550} for fmtMoney; no float on the way.
 */
export const toMinor = ({ currency, amount }) => ({ currency, minor: Number(String(amount).replace('.', '')) });

/** The server's message for a field of a failed request, for <Field error>. */
export const fieldError = (e, ...names) => (e && names.includes(e.field) ? e.message : undefined);
