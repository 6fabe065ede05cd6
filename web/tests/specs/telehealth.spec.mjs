// A citizen finds the demo's Vietnamese-speaking haematologist in Nanning, sees his free times
// in the citizen's own time zone (the same times the API gives for that zone), books one, sees
// it among their consultations, downloads the receipt of the consultation's invoice (billed and
// paid at the hospital's counter through the API), and cancels.
import { readFileSync } from 'node:fs';
import { launch } from '../lib/browser.mjs';
import { dayIn, addDays } from '../../src/lib/zoned.js';
import { apiLogin, apiGet } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen, checkA11y } from '../lib/harness.mjs';

export const name = 'telehealth: find a specialist, free times in my zone, book, my consultations and receipt, cancel';

async function apiPost(api, token, path, body) {
  const r = await fetch(`${api}/api/v1${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}


export async function run({ stack }) {
  const browser = await launch({});
  try {
    const page = await newPage(browser.context);
    const base = stack.base;
    const citizen = (await apiLogin(stack.api, 'citizen')).token;
    const me = await apiGet(stack.api, citizen, '/auth/me');

    await signIn(page, base, 'citizen');
    await page.click('nav a[href="/me/telehealth"]');
    await page.waitForSelector('#th-specialty');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForSelector('[data-testid=experts] li');
    const card = page.locator('[data-testid=experts] li').filter({ hasText: 'Dr. Li Wei' });
    assert.equal(await card.count(), 1, 'the demo haematologist, who speaks English, is found');
    assert.match(await card.innerText(), /Haematology/);
    await shootScreen(page, 'telehealth-find');

    // His free times, in my zone: the same as the API's for that zone and week.
    await card.getByRole('link', { name: 'See free times' }).click();
    await page.waitForSelector('[data-testid=slots] button');
    const zone = (await page.locator('[data-testid=zone]').innerText()).match(/\(([^)]+)\)/)[1];
    const expertId = Number(new URL(page.url()).pathname.split('/').pop());
    const today = dayIn(zone);
    const api = await apiGet(stack.api, citizen, `/telehealth/practitioners/${expertId}/slots?from=${today}&to=${addDays(today, 6)}&tz=${encodeURIComponent(zone)}`);
    const buttons = page.locator('[data-testid=slots] button');
    assert.equal(await buttons.count(), api.items.length, 'one button per free slot of the week');
    assert.equal((await buttons.first().innerText()).trim(), api.items[0].local_time, `the first slot in ${zone}`);
    await shootScreen(page, 'telehealth-slots');

    // Book the second one: the first may start just an hour from now, and the expert's minimum
    // notice (an hour) can pass between showing it and booking it.
    const pick = api.items.length > 1 ? 1 : 0;
    await buttons.nth(pick).click();
    await page.fill('#th-reason', 'Beta-thalassaemia follow-up');
    await page.getByRole('button', { name: 'Book this time' }).click();
    await page.waitForSelector('[data-testid=booked], .notice-error, [role=alert]');
    assert.equal(await page.locator('[data-testid=booked]').count(), 1, `booked, not refused: ${await page.locator('main').innerText()}`);
    const mine = await apiGet(stack.api, citizen, `/telehealth/patients/${me.person_id}/appointments`);
    const appt = mine.items.find((a) => a.start === api.items[pick].start && a.status === 'booked');
    assert.ok(appt, 'the booking is the chosen slot');
    assert.equal(appt.patient_zone, zone, 'booked in the zone the times were shown in');
    assert.equal(appt.reason, 'Beta-thalassaemia follow-up');
    // The list is read again after booking: wait for it rather than race it.
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=slots] button').length === n, api.items.length - 1, { timeout: 10000 }).catch(() => {});
    assert.equal(await page.locator('[data-testid=slots] button').count(), api.items.length - 1, 'the slot is no longer free');
    await checkA11y(page, 'telehealth-slots after booking');

    // The hospital bills the consultation in the patient's currency and takes cash at its counter.
    const expert = (await apiLogin(stack.api, 'expert.nanning')).token;
    const quote = await apiPost(stack.api, expert, '/invoices', { patient_id: me.person_id, hospital_id: appt.hospital_id, appointment_id: appt.id, charges: [{ code: 'consultation' }], currency: 'VND' });
    const invoice = await apiPost(stack.api, expert, `/invoices/${quote.id}/issue`, {});
    await apiPost(stack.api, expert, `/invoices/${invoice.id}/payments`, { method: 'cash', amount: invoice.total });

    await page.getByRole('link', { name: 'See my consultations' }).click();
    await page.waitForSelector('[data-testid=bookings] tr[data-status=booked]');
    await page.waitForSelector('[data-testid=invoices] li');
    assert.match(await page.locator('[data-testid=invoices] li').first().innerText(), /Paid in full/);
    await shootScreen(page, 'telehealth-bookings');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the receipt' }).first().click()]);
    const html = readFileSync(await download.path(), 'utf8');
    assert.match(html, /<html lang="en">/, 'the receipt is in the reader\'s language');
    assert.match(html, /Receipt/);
    assert.match(html, /First Affiliated Hospital of Guangxi Medical University/);

    // The consultation's files, read as the patient: a lab report the expert's hospital attached.
    const expertDoc = await fetch(`${stack.api}/api/v1/documents?subject=consultation&subject_id=${appt.consultation_id}&filename=hb.pdf`, { method: 'POST', headers: { Authorization: `Bearer ${expert}`, 'Content-Type': 'application/pdf' }, body: '%PDF-1.4\nHbA2 5.8%\n%%EOF\n' });
    assert.equal(expertDoc.status, 201, `the expert attaches: ${await expertDoc.text()}`);
    const row = page.locator('[data-testid=bookings] tr[data-status=booked]');
    await row.locator('summary').click();
    await row.locator('li[data-document-id]').waitFor();
    assert.equal(await row.locator('.doc-name').innerText(), 'hb.pdf');
    assert.equal(await row.locator('[role=alert]').count(), 0, 'the patient may read the list');

    // Cancel it.
    await page.locator('[data-testid=bookings] tr[data-status=booked]').getByRole('button', { name: 'Cancel' }).click();
    await page.waitForSelector('[data-testid=bookings] tr[data-status=cancelled]');
    const after = await apiGet(stack.api, citizen, `/appointments/${appt.id}`);
    assert.equal(after.status, 'cancelled');
  } finally {
    await browser.close();
  }
}
