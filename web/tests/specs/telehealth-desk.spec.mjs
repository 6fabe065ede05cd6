// The staff side of telehealth against the demo: the citizen books the Nanning haematologist
// and consents to the hospital reading the description (through the API, as set-up); the
// expert sees the consultation on his desk in Asia/Shanghai with the patient's Vietnamese time
// beside it, opens the record, writes notes, has a malformed ICD-10 code refused with the
// server's field error and adds D56.1; the cardiologist's desk does not list it and the Bãi Cháy
// doctor gets "not found" for the record; the Bãi Cháy doctor refers the patient to Nanning
// and applies for a transport there with its documents, the expert accepts the referral; the
// Nanning desk bills the consultation in VND, refuses "1.5" VND naming the amount, takes the
// rest in cash and refunds part. Every screen in five languages with axe.
import { launch } from '../lib/browser.mjs';
import { dayIn, addDays } from '../../src/lib/zoned.js';
import { apiLogin, apiGet } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen } from '../lib/harness.mjs';

export const name = 'telehealth-desk: expert calendar in his zone, the record, notes and diagnosis, access, referral, transport, billing';

async function apiPost(api, token, path, body) {
  const r = await fetch(`${api}/api/v1${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

// "15:00" as the page's English (en-GB) writes a time in a zone.
const hhmm = (iso, tz) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/** A fresh browser for one user, at the desk size; fn(page) runs signed in. */
async function as(stack, username, fn) {
  const browser = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await newPage(browser.context);
    await signIn(page, stack.base, username);
    await fn(page);
  } finally {
    await browser.close();
  }
}

export async function run({ stack }) {
  const api = stack.api;
  const citizen = (await apiLogin(api, 'citizen')).token;
  const me = await apiGet(api, citizen, '/auth/me');
  const expertTok = (await apiLogin(api, 'expert.nanning')).token;
  const expertMe = await apiGet(api, expertTok, '/auth/me');
  const experts = await apiGet(api, citizen, '/telehealth/experts');
  const li = experts.items.find((e) => e.practitioner.user_id === expertMe.user_id);
  assert.ok(li, 'expert.nanning is a bookable expert');
  const zone = li.hospital.zone;
  assert.equal(zone, 'Asia/Shanghai');

  // Set-up as the citizen: book his first free time this week, consent to Nanning reading the
  // description for a month.
  const today = dayIn('Asia/Ho_Chi_Minh');
  const slots = await apiGet(api, citizen, `/telehealth/practitioners/${li.practitioner.id}/slots?from=${today}&to=${addDays(today, 5)}&tz=Asia/Ho_Chi_Minh`);
  assert.ok(slots.items.length > 0, 'the expert has free times this week');
  const appt = await apiPost(api, citizen, '/appointments', { practitioner_id: li.practitioner.id, start: slots.items[0].start, patient_zone: 'Asia/Ho_Chi_Minh', reason: 'Beta-thalassaemia, transfusion plan' });
  const consent = await apiPost(api, citizen, '/telehealth/consents', { grantee_id: li.hospital.id, kinds: ['description'], until: new Date(Date.now() + 30 * 86400e3).toISOString().replace(/\.\d+Z$/, 'Z') });
  const cid = appt.consultation_id;

  // 1. The expert's desk: his week in Asia/Shanghai, the patient's time in Ho Chi Minh City.
  await as(stack, 'expert.nanning', async (page) => {
    await page.click('nav a[href="/telehealth/desk"]');
    await page.waitForSelector('[data-testid=desk-zone]');
    assert.match(await page.locator('[data-testid=desk-zone]').innerText(), /Asia\/Shanghai/);
    const row = page.locator(`[data-testid=desk] tr[data-appointment-id="${appt.id}"]`);
    await row.waitFor();
    const mine = await row.locator('[data-testid=my-time]').innerText();
    const theirs = await row.locator('[data-testid=patient-time]').innerText();
    assert.ok(mine.includes(hhmm(appt.start, zone)), `my time ${mine} is ${hhmm(appt.start, zone)} in Nanning`);
    assert.ok(theirs.includes(hhmm(appt.start, 'Asia/Ho_Chi_Minh')) && theirs.includes('Asia/Ho_Chi_Minh'), `the patient's time ${theirs}`);
    assert.notEqual(hhmm(appt.start, zone), hhmm(appt.start, 'Asia/Ho_Chi_Minh'), 'the two clocks differ by an hour');
    // The rows are exactly the API's calendar of the week shown (his own, in his zone).
    const from = dayIn(zone);
    const start = (d) => new Date(`${d}T00:00:00+08:00`).toISOString();
    const cal = await apiGet(api, expertTok, `/telehealth/practitioners/${li.practitioner.id}/calendar?from=${start(from)}&to=${start(addDays(from, 7))}`);
    const shown = cal.items.filter((a) => a.status !== 'cancelled' || a.cancel_reason !== 'rescheduled');
    assert.equal(await page.locator('[data-testid=desk] tbody tr').count(), shown.length, 'one row per appointment of the week');
    assert.ok(shown.every((a) => a.practitioner_id === li.practitioner.id));
    await shootScreen(page, 'telehealth-desk');
    // Day view: only that day's.
    await page.getByRole('button', { name: 'Day', exact: true }).click();
    await page.waitForFunction(() => !document.querySelector('[data-testid=desk-range]')?.textContent.includes(' to '));
    if (dayIn(zone, new Date(appt.start)) === from) await row.waitFor();

    // 2. The record: consent shown, who-read closed to him, notes, a refused and a good diagnosis.
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await row.getByRole('link').click();
    await page.waitForSelector('[data-testid=record-facts]');
    assert.equal(new URL(page.url()).pathname, `/telehealth/consultations/${cid}`);
    assert.match(await page.locator('[data-testid=record-facts]').innerText(), /Join the video call/);
    await page.waitForSelector('[data-testid=consents] li');
    assert.match(await page.locator('[data-testid=consents]').innerText(), /Referring doctor's description/);
    await page.waitForSelector('[data-testid=reads-denied]');
    await page.fill('#rec-notes', 'Hb 8.1 g/dL. Continue transfusions every 3 weeks; start chelation.');
    await page.getByRole('button', { name: 'Save the notes' }).click();
    await page.getByText('The notes are saved.').waitFor();
    await page.fill('#rec-icd', 'D5');
    await page.fill('#rec-dx', 'Beta thalassaemia');
    await page.getByRole('button', { name: 'Add the diagnosis' }).click();
    await page.waitForSelector('#rec-icd-error');
    assert.match(await page.locator('#rec-icd-error').innerText(), /'D5' is not an ICD-10 code/, 'the server\'s message, at the field');
    assert.equal(await page.getAttribute('#rec-icd', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#rec-icd', 'aria-describedby'), /rec-icd-error/);
    await page.fill('#rec-icd', 'D56.1');
    await page.getByRole('button', { name: 'Add the diagnosis' }).click();
    await page.waitForSelector('[data-testid=diagnoses] li');
    assert.match(await page.locator('[data-testid=diagnoses]').innerText(), /D56\.1 Beta thalassaemia/);
    await page.getByRole('button', { name: 'Start the consultation' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=record-status]')?.textContent === 'In progress');
    const rec = await apiGet(api, expertTok, `/consultations/${cid}`);
    assert.equal(rec.expert_notes, 'Hb 8.1 g/dL. Continue transfusions every 3 weeks; start chelation.');
    assert.deepEqual(rec.diagnoses.map((d) => d.icd10), ['D56.1']);
    assert.equal(rec.status, 'in-progress');
    await shootScreen(page, 'telehealth-record');
  });
  const reads = await apiGet(api, citizen, `/telehealth/patients/${me.person_id}/reads`);
  assert.ok(reads.items.some((r) => r.reader === 'expert.nanning' && r.action.includes(`consultation ${cid}`)), 'the expert\'s read is in the patient\'s log');
  assert.ok(consent.id > 0);

  // 3. Access: the cardiologist's desk does not list it; Bãi Cháy's doctor gets nothing.
  await as(stack, 'cardio.nanning', async (page) => {
    await page.click('nav a[href="/telehealth/desk"]');
    await page.waitForSelector('[data-testid=desk-zone]');
    await page.waitForSelector('[data-testid=desk], .notice');
    assert.match(await page.locator('[data-testid=desk-zone]').innerText(), /Huang Min/);
    assert.equal(await page.locator(`[data-appointment-id="${appt.id}"]`).count(), 0, 'another expert does not see his consultation');
  });
  const local = (await apiLogin(api, 'clinician')).token;
  const denied = await fetch(`${api}/api/v1/consultations/${cid}`, { headers: { Authorization: `Bearer ${local}` } });
  assert.equal(denied.status, 404, 'a hospital that is no party gets not found');

  let referralId;
  await as(stack, 'clinician', async (page) => {
    await page.goto(`${stack.base}/telehealth/consultations/${cid}`);
    await page.getByRole('alert').filter({ hasText: 'This was not found.' }).waitFor();
    assert.equal(await page.locator('[data-testid=record-facts]').count(), 0, 'nothing of the record is shown');

    // 4. The local doctor refers the patient to Nanning.
    await page.click('nav a[href="/telehealth/referrals"]');
    await page.waitForSelector('[data-testid=refer-form]');
    assert.match(await page.locator('[data-testid=my-hospital]').innerText(), /Bãi Cháy/);
    await page.fill('#ref-patient', String(me.person_id));
    await page.selectOption('#ref-to', String(li.hospital.id));
    await page.fill('#ref-reason', 'Transfusion-dependent thalassaemia: chelation plan');
    await page.getByRole('button', { name: 'Send the referral' }).click();
    await page.waitForSelector('[data-testid=ref-done]');
    referralId = Number((await page.locator('[data-testid=ref-done]').innerText()).match(/\d+/)[0]);
    await page.waitForSelector(`[data-referral-id="${referralId}"][data-status=requested]`);
    const sent = await apiGet(api, local, `/referrals/${referralId}`);
    assert.equal(sent.patient_id, me.person_id);
    assert.equal(sent.to_hospital_id, li.hospital.id);
    await shootScreen(page, 'telehealth-referrals');

    // A transport to China: the documents China requires, one attached.
    await page.getByRole('link', { name: 'Cross-border transport applications' }).click();
    await page.waitForSelector('[data-testid=transport-form]');
    await page.fill('#tr-patient', String(me.person_id));
    await page.fill('#tr-need', 'Transfusion under monitoring on the way');
    await page.selectOption('#tr-escort', 'nurse');
    await page.selectOption('#tr-mode', 'ground_ambulance');
    await page.getByRole('button', { name: 'Submit the application' }).click();
    await page.waitForSelector('[data-testid=documents]');
    const tid = Number(new URL(page.url()).pathname.split('/').pop());
    const t0 = await apiGet(api, local, `/transports/${tid}`);
    assert.equal(t0.status, 'submitted');
    assert.ok(t0.missing_documents.includes('visa'), 'China requires a visa');
    assert.equal(await page.locator('[data-testid=documents] li[data-missing=true]').count(), t0.missing_documents.length);
    await page.selectOption('#tr-kind', 'passport');
    await page.fill('#tr-ref', 'BC-SCAN-2026-0147');
    await page.getByRole('button', { name: 'Attach the document' }).click();
    await page.waitForSelector('[data-testid=documents] li[data-kind=passport]:not([data-missing])');
    const t1 = await apiGet(api, local, `/transports/${tid}`);
    assert.deepEqual(t1.documents.map((d) => d.kind), ['passport']);
    assert.equal(t1.missing_documents.length, t0.missing_documents.length - 1);
    await shootScreen(page, 'telehealth-transport');
  });

  // 5. The receiving hospital accepts; 6. its desk bills the consultation.
  await as(stack, 'expert.nanning', async (page) => {
    await page.click('nav a[href="/telehealth/referrals"]');
    const row = page.locator(`[data-referral-id="${referralId}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: 'Accept' }).click();
    await page.waitForSelector(`[data-referral-id="${referralId}"][data-status=accepted]`);
    assert.equal((await apiGet(api, expertTok, `/referrals/${referralId}`)).status, 'accepted');

    await page.click('nav a[href="/telehealth/billing"]');
    await page.fill('#bill-patient', String(me.person_id));
    await page.getByRole('button', { name: 'Show the invoices' }).click();
    await page.waitForSelector('[data-testid=quote-form]');
    await page.selectOption('#bill-appt', String(appt.id));
    await page.fill('#bill-currency', 'VND');
    await page.getByRole('button', { name: 'Make the quote' }).click();
    await page.waitForSelector('[data-testid=bill-done]');
    const qid = Number((await page.locator('[data-testid=bill-done]').innerText()).match(/\d+/)[0]);
    const card = page.locator(`[data-invoice-id="${qid}"]`);
    await page.waitForSelector(`[data-invoice-id="${qid}"][data-status=draft]`);
    await card.getByRole('button', { name: 'Issue the invoice' }).click();
    await page.waitForSelector(`[data-invoice-id="${qid}"][data-status=issued]`);
    const inv = await apiGet(api, expertTok, `/invoices/${qid}`);
    assert.equal(inv.appointment_id, appt.id);
    assert.equal(inv.total.currency, 'VND');
    const vnd = (s) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'VND' }).format(s);
    assert.ok((await card.locator('[data-testid=invoice-amounts]').innerText()).includes(vnd(inv.total.amount)), 'the total as fmtMoney writes it');

    await card.getByRole('button', { name: 'Payments and refunds' }).click();
    const amount = `#pay-amount-${qid}`;
    await page.fill(amount, '1.5');
    await page.getByRole('button', { name: 'Record the payment' }).click();
    await page.waitForSelector(`${amount}-error`);
    assert.match(await page.locator(`${amount}-error`).innerText(), /VND has 0 decimal places/);
    await page.fill(amount, inv.due.amount);
    await page.getByRole('button', { name: 'Record the payment' }).click();
    await page.waitForSelector(`[data-invoice-id="${qid}"][data-status=balanced]`);
    await page.locator(`[data-invoice-id="${qid}"] input[type=radio]`).nth(1).check();
    await page.fill(amount, '100000');
    await page.getByRole('button', { name: 'Record the refund' }).click();
    await page.waitForSelector(`[data-invoice-id="${qid}"][data-status=issued]`);
    const after = await apiGet(api, expertTok, `/invoices/${qid}`);
    assert.equal(Number(after.paid.amount), Number(inv.total.amount) - 100000);
    assert.equal(after.status, 'issued');
    const pays = await apiGet(api, expertTok, `/invoices/${qid}/payments`);
    assert.deepEqual(pays.items.map((p) => [p.refund, p.amount.amount]), [[false, inv.due.amount], [true, '100000']]);
    await page.waitForSelector('[data-testid=payments] tbody tr:nth-child(2)');
    await shootScreen(page, 'telehealth-billing');
  });
}
