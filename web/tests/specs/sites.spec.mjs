// Test sites and their slots, the command officer's side (docs/outbreak.md, "Testing"). A site
// is opened through the API in Hạ Long beforehand, so the list has a district's site in it. The
// province's officer (a desk browser whose clock is in UTC: the site's times must come out in
// its unit's zone, Asia/Ho_Chi_Minh) opens "Test sites": one row per site of GET /test-sites, in
// its order, with its name, unit and tests. Opening a site with no name is refused by the server
// on `name` (said at the field, aria-invalid, aria-describedby, nothing created); with a name it
// is created as typed (checked on the API). On the site's page, tomorrow's slots (the site's
// local day): an end before the start is refused by the server on `end` (nothing created); then
// 08:00-10:00 every 30 minutes with 3 places. The table equals GET .../slots for that day in the
// site's zone (times, places, free, booked, cancelled). A citizen books the first slot through
// the API and, after a reload, that row has one place fewer free and one booked; they cancel,
// and the place is free again with one cancelled in the row and the totals. Both screens are
// photographed in five languages. A tracer has no menu entry, is sent home from both paths, and
// the API refuses them (403) opening a site or adding slots.
import { launch } from '../lib/browser.mjs';
import { dayIn } from '../../src/lib/zoned.js';
import { apiLogin, apiGet, apiCall } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen, checkA11y, step } from '../lib/harness.mjs';

export const name = 'sites: test sites and their slots — the API\'s sites, opening one (the server\'s field error first), tomorrow\'s slots (end before start refused), the table equal to the API\'s, a booking takes a place and a cancellation frees it (counted); a tracer has none';

const hhmm = (local) => local.slice(11, 16);
const cells = (row) => row.evaluate((tr) => Object.fromEntries([...tr.querySelectorAll('[data-testid]')].map((c) => [c.dataset.testid, c.innerText.trim()])));

/** The screen's slot table, once it has `n` rows. */
async function slotRows(page, n) {
  await page.waitForFunction((k) => document.querySelectorAll('[data-testid=slots] tbody tr').length === k, n, { timeout: 10000 });
  const rows = page.locator('[data-testid=slots] tbody tr');
  const out = [];
  for (let i = 0; i < n; i++) out.push({ id: Number(await rows.nth(i).getAttribute('data-slot-id')), ...(await cells(rows.nth(i))) });
  return out;
}

function sameAsApi(shown, api, what) {
  assert.equal(shown.length, api.length, `${what}: one row per slot of the API`);
  api.forEach((s, i) => {
    assert.deepEqual(shown[i], {
      id: s.id,
      time: `${hhmm(s.local_start)}–${hhmm(s.local_end)}`,
      capacity: String(s.capacity),
      free: String(s.free),
      booked: String(s.capacity - s.free),
      cancelled: String(s.cancelled),
      state: s.free === 0 ? 'Full' : 'Open',
    }, `${what}: slot ${i}`);
  });
}

export async function run({ stack }) {
  const api = stack.api;
  const officer = await apiLogin(api, 'officer.province');
  const citizen = await apiLogin(api, 'citizen');
  const tracer = await apiLogin(api, 'tracer.halong');
  const districts = (await apiGet(api, officer.token, `/org-units?parent_id=${officer.user.org_unit_id}`)).items;
  const haLong = districts.find((u) => u.code === 'QN-01');
  assert.ok(haLong, 'the demo has Hạ Long under the province');

  // A district's site, opened through the API, so the list is not only the province's own.
  const before = await apiCall(api, officer.token, 'POST', '/test-sites', { name: 'Trạm xét nghiệm Hồng Gai', address: '8 Lê Thánh Tông, Hồng Gai', org_unit_id: haLong.id, kinds: ['antigen'] });
  assert.equal(before.status, 201, JSON.stringify(before.body));

  const desk = await launch({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
  try {
    const page = await newPage(desk.context);

    // ---- The list: the API's sites, in its order.
    step('list');
    await signIn(page, stack.base, 'officer.province');
    await page.click('nav a[href="/outbreak/sites"]');
    await page.waitForSelector('[data-testid=sites] tbody tr');
    const sites = (await apiGet(api, officer.token, '/test-sites')).items;
    await page.waitForFunction((ids) => [...document.querySelectorAll('[data-testid=sites] tbody tr')].map((r) => r.dataset.siteId).join() === ids.join(), sites.map((s) => String(s.id)), { timeout: 10000 }).catch(() => {});
    const rows = page.locator('[data-testid=sites] tbody tr');
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((r) => Number(r.dataset.siteId))), sites.map((s) => s.id), 'one row per site of GET /test-sites, in its order');
    assert.equal((await page.innerText('[data-testid=count]')).trim(), `Sites in your unit and below: ${sites.length}`);
    await page.waitForFunction((id) => document.querySelector(`[data-site-id="${id}"] [data-testid=unit]`)?.innerText.trim() === 'Hạ Long', before.body.id, { timeout: 10000 });
    const hongGai = await cells(page.locator(`[data-testid=sites] tr[data-site-id="${before.body.id}"]`));
    assert.equal(hongGai.name, 'Trạm xét nghiệm Hồng Gai');
    assert.equal(hongGai.address, '8 Lê Thánh Tông, Hồng Gai');
    assert.equal(hongGai.kinds, 'Antigen test', 'the tests offered, in words');
    assert.equal(hongGai.unit, 'Hạ Long', "the site's unit by name");
    assert.equal(hongGai.zone, before.body.time_zone);
    await shootScreen(page, 'sites-list', { ready: (p) => p.waitForSelector(`[data-site-id="${before.body.id}"]`) });

    // ---- Opening a site: no name first (the server's refusal at the field), then a good one.
    step('open a site');
    await page.fill('#ts-address', '25 Hạ Long, Bãi Cháy');
    await page.selectOption('#ts-unit', String(haLong.id));
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/test-sites') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Open the site' }).click(),
    ]);
    assert.equal(refused.status(), 400, 'the server refuses a site without a name');
    assert.equal((await refused.json()).error.field, 'name');
    await page.waitForSelector('#ts-name-error');
    assert.equal((await page.innerText('#ts-name-error')).trim(), 'This is required.');
    assert.equal(await page.getAttribute('#ts-name', 'aria-invalid'), 'true');
    assert.ok((await page.getAttribute('#ts-name', 'aria-describedby')).split(' ').includes('ts-name-error'), 'the error is tied to the field');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'ts-name', 'the refused field has the focus');
    assert.equal((await apiGet(api, officer.token, '/test-sites')).items.length, sites.length, 'nothing created');
    await checkA11y(page, 'sites-open refused (en)');

    const siteName = 'Điểm xét nghiệm Bãi Cháy';
    await page.fill('#ts-name', siteName);
    await page.uncheck('#ts-kind-antigen');
    await page.check('#ts-kind-antigen');
    const [made] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/test-sites') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Open the site' }).click(),
    ]);
    assert.equal(made.status(), 201);
    const site = (await made.json());
    await page.waitForSelector('[data-testid=opened]');
    assert.equal(await page.locator('#ts-name-error').count(), 0, 'the error is gone');
    const onServer = (await apiGet(api, officer.token, '/test-sites')).items.find((s) => s.id === site.id);
    assert.ok(onServer, 'the API has the new site');
    assert.deepEqual([onServer.name, onServer.address, onServer.org_unit_id, onServer.kinds], [siteName, '25 Hạ Long, Bãi Cháy', haLong.id, ['pcr', 'antigen']]);
    await page.waitForSelector(`[data-testid=sites] tr[data-site-id="${site.id}"]`);
    assert.equal(await rows.count(), sites.length + 1, 'the list is read again');

    // ---- The site's page: tomorrow in the site's zone.
    step('site page');
    await page.locator(`[data-testid=sites] tr[data-site-id="${site.id}"] a`).click();
    await page.waitForFunction((n) => document.querySelector('h1')?.innerText.trim() === n, siteName);
    assert.equal((await page.innerText('[data-testid=site-facts] [data-testid=zone]')).trim(), 'Asia/Ho_Chi_Minh');
    const today = dayIn(site.time_zone);
    assert.equal(await page.inputValue('#site-day'), today, "the site's own today, not the desk's UTC day");
    await page.waitForSelector('[data-testid=no-slots]');
    const tomorrow = dayIn(site.time_zone, Date.now() + 86400000);
    await page.fill('#site-day', tomorrow);
    await page.waitForFunction((d) => document.querySelector('[data-testid=no-slots]') && document.querySelector('#as-date')?.value === d, tomorrow);

    // An end before the start: the server's refusal at "Until".
    step('add slots');
    await page.fill('#as-start', '10:00');
    await page.fill('#as-end', '09:00');
    await page.fill('#as-minutes', '30');
    await page.fill('#as-capacity', '3');
    const [bad] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/test-sites/${site.id}/slots`) && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Add the slots' }).click(),
    ]);
    assert.equal(bad.status(), 400);
    assert.deepEqual([(await bad.json()).error.field, (await bad.json()).error.message], ['end', 'must be after the start']);
    await page.waitForSelector('#as-end-error');
    assert.equal((await page.innerText('#as-end-error')).trim(), 'The end must be after the start.');
    assert.equal(await page.getAttribute('#as-end', 'aria-invalid'), 'true');
    assert.ok((await page.getAttribute('#as-end', 'aria-describedby')).split(' ').includes('as-end-error'));
    assert.equal(await page.getAttribute('#as-start', 'aria-invalid'), null, 'only the field the server named');
    assert.equal((await apiGet(api, officer.token, `/test-sites/${site.id}/slots?date=${tomorrow}&tz=${encodeURIComponent(site.time_zone)}`)).items.length, 0, 'nothing created');
    await checkA11y(page, 'sites-slots refused (en)');

    await page.fill('#as-start', '08:00');
    await page.fill('#as-end', '10:00');
    const [good] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/test-sites/${site.id}/slots`) && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Add the slots' }).click(),
    ]);
    assert.equal(good.status(), 201);
    assert.deepEqual((({ created, kept, past }) => [created, kept, past])(await good.json()), [4, 0, 0]);
    await page.waitForSelector('[data-testid=added]');
    assert.match(await page.innerText('[data-testid=added]'), /^.+: 4 new slots added, 0 already there kept as they were\.$/);
    assert.equal(await page.locator('#as-end-error').count(), 0);

    // A day gone by at the site: the server refuses it, at "Day", in the reader's words.
    const yesterday = dayIn(site.time_zone, Date.now() - 86400000);
    await page.fill('#as-date', yesterday);
    const [gone] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/test-sites/${site.id}/slots`) && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Add the slots' }).click(),
    ]);
    assert.deepEqual([gone.status(), (await gone.json()).error.field], [400, 'date']);
    await page.waitForSelector('#as-date-error');
    assert.equal((await page.innerText('#as-date-error')).trim(), 'This day has already gone by at the site. Choose today or a later day.');

    // The table is the API's, for that day in the site's zone.
    const zoneQ = `tz=${encodeURIComponent(site.time_zone)}`;
    const slots = await apiGet(api, officer.token, `/test-sites/${site.id}/slots?date=${tomorrow}&${zoneQ}`);
    assert.equal(slots.time_zone, 'Asia/Ho_Chi_Minh');
    assert.deepEqual(slots.items.map((s) => hhmm(s.local_start)), ['08:00', '08:30', '09:00', '09:30']);
    sameAsApi(await slotRows(page, slots.items.length), slots.items, 'after adding');
    assert.equal(await page.getAttribute('[data-testid=slots]', 'data-day'), tomorrow);

    // ---- A citizen books the first slot: one place fewer after a reload.
    step('a booking');
    const booking = await apiCall(api, citizen.token, 'POST', '/test-bookings', { slot_id: slots.items[0].id, kind: 'pcr' });
    assert.equal(booking.status, 201, JSON.stringify(booking.body));
    await page.reload();
    await page.waitForSelector('#site-day');
    await page.fill('#site-day', tomorrow);
    const after = await apiGet(api, officer.token, `/test-sites/${site.id}/slots?date=${tomorrow}&${zoneQ}`);
    assert.equal(after.items[0].free, slots.items[0].free - 1, 'the API: one place taken');
    const shown = await slotRows(page, after.items.length);
    sameAsApi(shown, after.items, 'after the booking');
    assert.deepEqual([shown[0].free, shown[0].booked], ['2', '1'], 'the booked slot on the screen');
    assert.equal((await page.locator('[data-testid=totals] td').allInnerTexts()).slice(0, 4).join(' '), '12 11 1 0', 'totals: places, free, booked, cancelled');
    await shootScreen(page, 'sites-site', { ready: (p) => p.waitForSelector(`[data-testid=slots] tr[data-slot-id="${after.items[0].id}"]`) });

    // ---- The citizen cancels: the place is free again and the slot counts the cancellation.
    step('a cancellation');
    const cancel = await apiCall(api, citizen.token, 'POST', `/test-bookings/${booking.body.id}/cancel`);
    assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
    await page.reload();
    await page.waitForSelector('#site-day');
    await page.fill('#site-day', tomorrow);
    const freed = await apiGet(api, officer.token, `/test-sites/${site.id}/slots?date=${tomorrow}&${zoneQ}`);
    assert.deepEqual([freed.items[0].free, freed.items[0].cancelled], [slots.items[0].free, 1], 'the API: the place back, one cancelled');
    await page.waitForFunction(() => document.querySelector('[data-testid=slots] tbody tr [data-testid=cancelled]')?.textContent.trim() === '1');
    sameAsApi(await slotRows(page, freed.items.length), freed.items, 'after the cancellation');
    assert.equal((await page.locator('[data-testid=totals] td').allInnerTexts()).slice(0, 4).join(' '), '12 12 0 1', 'totals: places, free, booked, cancelled');

    // A site that is not there (or not in the desk's unit) says so.
    await page.goto(`${stack.base}/outbreak/sites/987654321`);
    await page.waitForSelector('[data-testid=not-found]');

    // ---- A tracer manages no test sites.
    step('tracer');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('#username');
    await signIn(page, stack.base, 'tracer.halong');
    await page.waitForSelector('nav');
    assert.equal(await page.locator('nav a[href="/outbreak/sites"]').count(), 0, 'no Test sites in the menu');
    for (const path of ['/outbreak/sites', `/outbreak/sites/${site.id}`]) {
      await page.goto(`${stack.base}${path}`);
      await page.waitForURL(/\/cases$/);
    }
    const denied = await apiCall(api, tracer.token, 'POST', '/test-sites', { name: 'X', kinds: ['pcr'] });
    assert.equal(denied.status, 403, 'the API refuses a tracer a new site');
    const deniedSlots = await apiCall(api, tracer.token, 'POST', `/test-sites/${site.id}/slots`, { date: tomorrow, start: '11:00', end: '12:00', minutes: 30, capacity: 1 });
    assert.equal(deniedSlots.status, 403, 'and new slots');
  } finally {
    await desk.close();
  }
}
