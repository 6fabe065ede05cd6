// The citizen books a test: a site the command officer opened through the API, its slots of
// tomorrow in the citizen's own zone (the same times the API gives for that zone), the last
// place of a slot taken by someone else while the citizen was choosing (the server's 409 shown
// in words, the slot shown full), another slot booked, listed among "My tests" and cancelled.
// Then the daily check of a contact under follow-up: "not under follow-up" first; after a
// tracer-side contact is recorded through the API, a temperature of 50 °C refused by the server
// on its field, and a good answer recorded. Citizens cannot open the staff screens.
import { launch } from '../lib/browser.mjs';
import { dayIn } from '../../src/lib/zoned.js';
import { apiLogin, apiGet } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen } from '../lib/harness.mjs';

export const name = 'testing: book a test in my zone, the last place taken, my tests, cancel; my daily follow-up check';

async function apiPost(api, token, path, body, { raw = false } = {}) {
  const r = await fetch(`${api}/api/v1${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) }, body: body !== undefined ? JSON.stringify(body) : undefined });
  if (raw) return r;
  if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

const hhmm = (local) => local.slice(11, 16);

export async function run({ stack }) {
  const browser = await launch({});
  try {
    const page = await newPage(browser.context);
    const api = stack.api;
    const officer = (await apiLogin(api, 'officer.province')).token;
    const admin = (await apiLogin(api, 'admin')).token;
    const citizen = (await apiLogin(api, 'citizen')).token;
    const me = await apiGet(api, citizen, '/auth/me');

    // A site and tomorrow's slots, one place each.
    const site = await apiPost(api, officer, '/test-sites', { name: 'Trạm xét nghiệm Bãi Cháy', address: '12 Hạ Long, Bãi Cháy', kinds: ['pcr', 'antigen'] });
    const tomorrow = dayIn(site.time_zone, Date.now() + 86400000);
    await apiPost(api, officer, `/test-sites/${site.id}/slots`, { date: tomorrow, start: '08:00', end: '10:00', minutes: 30, capacity: 1 });
    const others = (await apiGet(api, officer, '/people?limit=50')).items.filter((p) => p.id !== me.person_id);

    await signIn(page, stack.base, 'citizen');
    await page.click('nav a[href="/me/tests"]');
    await page.waitForSelector('#tb-site');
    await page.selectOption('#tb-site', String(site.id));
    await page.fill('#tb-day', tomorrow);
    await page.waitForSelector('[data-testid=slots] li');
    const zone = (await page.locator('[data-testid=zone]').innerText()).match(/\(([^)]+)\)/)[1];
    assert.equal(zone, me.time_zone, "the times are in the citizen's own zone");
    const slots = await apiGet(api, citizen, `/test-sites/${site.id}/slots?date=${tomorrow}&tz=${encodeURIComponent(zone)}`);
    assert.equal(slots.items.length, 4, 'four half-hour slots from 08:00 to 10:00');
    const buttons = page.locator('[data-testid=slots] li button');
    assert.equal(await buttons.count(), slots.items.length, 'one button per slot of the day');
    for (let i = 0; i < slots.items.length; i++) {
      const s = slots.items[i];
      assert.equal((await buttons.nth(i).innerText()).trim(), `${hhmm(s.local_start)}–${hhmm(s.local_end)}`, `slot ${i} in ${zone}`);
    }
    await shootScreen(page, 'testing-book');

    // The citizen picks the first slot; someone else takes its only place meanwhile.
    await page.getByLabel('Antigen test').check();
    await buttons.first().click();
    await page.waitForSelector('[data-testid=confirm]');
    await apiPost(api, officer, '/test-bookings', { slot_id: slots.items[0].id, kind: 'pcr', person_id: others[0].id });
    const [refusal] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/test-bookings') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Book this time' }).click(),
    ]);
    assert.equal(refusal.status(), 409, 'the server refuses the full slot');
    assert.equal((await refusal.json()).error.field, 'slot_id');
    await page.waitForSelector('[data-testid=slot-gone]');
    await page.waitForSelector(`[data-testid=slots] li[data-slot-id="${slots.items[0].id}"][data-free="0"]`);
    assert.ok(await buttons.first().isDisabled(), 'the full slot cannot be chosen again');
    assert.equal(await page.locator('[data-testid=booked]').count(), 0, 'nothing is said to be booked');
    await shootScreen(page, 'testing-slot-gone');

    // The second slot, booked.
    await buttons.nth(1).click();
    await page.getByRole('button', { name: 'Book this time' }).click();
    await page.waitForSelector('[data-testid=booked]');
    assert.match(await page.locator('[data-testid=booked]').innerText(), /Antigen test/);
    const mine = (await apiGet(api, citizen, '/test-bookings')).items;
    const booking = mine.find((b) => b.slot_id === slots.items[1].id && b.status === 'booked');
    assert.ok(booking, 'the booking is the chosen slot');
    assert.equal(booking.kind, 'antigen');
    assert.equal(booking.person_id, me.person_id);

    // My tests; cancel.
    await page.getByRole('link', { name: 'See my tests' }).click();
    await page.waitForSelector(`[data-testid=bookings] li[data-booking-id="${booking.id}"][data-status=booked]`);
    await shootScreen(page, 'testing-mine');
    await page.locator(`[data-testid=bookings] li[data-booking-id="${booking.id}"]`).getByRole('button', { name: 'Cancel this booking' }).click();
    await page.waitForSelector(`[data-testid=bookings] li[data-booking-id="${booking.id}"][data-status=cancelled]`);
    await page.waitForSelector('[data-testid=cancelled]');
    const after = (await apiGet(api, citizen, '/test-bookings')).items.find((b) => b.id === booking.id);
    assert.equal(after.status, 'cancelled');
    const freed = await apiGet(api, citizen, `/test-sites/${site.id}/slots?date=${tomorrow}&tz=${encodeURIComponent(zone)}`);
    assert.equal(freed.items[1].free, 1, 'the place is free again');

    // The daily check: not under follow-up yet.
    await page.click('nav a[href="/me/follow-up"]');
    await page.waitForSelector('[data-testid=not-followed]');
    await shootScreen(page, 'testing-follow-up-none');

    // A case in the province with the citizen as a household contact (the admin, through the API).
    let kase = null;
    for (const p of others.slice(1)) {
      const r = await apiPost(api, admin, '/cases', { person_id: p.id, onset_at: new Date(Date.now() - 2 * 86400000).toISOString() }, { raw: true });
      if (r.ok) { kase = await r.json(); break; }
    }
    assert.ok(kase, 'a case to be a contact of');
    const exposed = new Date(Date.now() - 86400000).toISOString();
    const [contact] = (await apiPost(api, admin, `/cases/${kase.id}/contacts`, { contacts: [{ person_id: me.person_id, source: 'household', proximity: 'face_to_face', risk: 'high', exposure_start: exposed, duration_minutes: 60 }] })).items;
    await page.reload();
    await page.waitForSelector('[data-testid=until]');
    assert.match(await page.locator('[data-testid=today]').innerText(), /not answered yet/);

    // 50 °C: the server refuses it and the field says so.
    await page.fill('#fu-temp', '50');
    const [bad] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/me/follow-up/checks')),
      page.getByRole('button', { name: "Send today's answer" }).click(),
    ]);
    assert.equal(bad.status(), 400);
    assert.equal((await bad.json()).error.field, 'temperature_celsius');
    await page.waitForSelector('#fu-temp-error');
    assert.equal(await page.getAttribute('#fu-temp', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#fu-temp', 'aria-describedby'), /fu-temp-error/);
    assert.match(await page.locator('#fu-temp-error').innerText(), /between 30 and 45/);
    await shootScreen(page, 'testing-follow-up-error');

    // A good answer.
    await page.fill('#fu-temp', '37,4');
    await page.getByLabel('Cough').check();
    await page.getByRole('button', { name: "Send today's answer" }).click();
    await page.waitForSelector('[data-testid=sent]');
    await page.waitForFunction(() => /answered\. Thank you/.test(document.querySelector('[data-testid=today]')?.textContent || ''));
    const follow = await apiGet(api, citizen, '/me/follow-up');
    assert.equal(follow.items.find((c) => c.id === contact.id).today, 'answered');
    const checks = (await apiGet(api, admin, `/contacts/${contact.id}/checks`)).items;
    const check = checks.find((c) => c.status === 'answered');
    assert.ok(check?.by_citizen, 'answered by the citizen');
    assert.equal(check.symptoms, 'cough');
    assert.equal(check.temperature_celsius, 37.4);
    await shootScreen(page, 'testing-follow-up');

    // Access: the staff screens send a citizen home; the API refuses them.
    await page.goto(`${stack.base}/population/duplicates`);
    await page.waitForURL(/\/me\/code$/);
    await page.goto(`${stack.base}/epi`);
    await page.waitForURL(/\/me\/code$/);
    assert.equal(await page.locator('nav a[href="/epi"], nav a[href="/population/duplicates"]').count(), 0, 'no staff screens in the menu');
    const denied = await fetch(`${api}/api/v1/duplicates`, { headers: { Authorization: `Bearer ${citizen}` } });
    assert.equal(denied.status, 403);
  } finally {
    await browser.close();
  }
}
