// Meetings (docs/command.md, "Meetings"): a district officer convenes the communes below through
// the screen; a start in the past shows the server's field error; the meeting shows its time in
// the officer's zone and the server's join link; a commune taking part sees it (no cancel: it did
// not convene it) and the district cancels it with a reason, which the commune then reads.
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet, apiCall } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen } from '../lib/harness.mjs';
import { toZonedLocal, fromZonedLocal } from '../../src/lib/zoned.js';

export const name = 'meetings: a district convenes its communes, a past start refused on its field, the join link, the commune sees it, the district cancels';

const PASSWORD = 'mekong-demo-meetings';

export async function run({ stack }) {
  const admin = await apiLogin(stack.api, 'admin');
  const halong = (await apiGet(stack.api, admin.token, `/org-units?parent_id=${admin.user.org_unit_id}`)).items.find((u) => u.code === 'QN-01');
  const username = `meetings.halong.${Date.now()}`;
  const made = await apiCall(stack.api, admin.token, 'POST', '/users', { username, password: PASSWORD, role: 'command_officer', org_unit_id: halong.id });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const dist = (await apiLogin(stack.api, username, PASSWORD)).token;
  const comm = (await apiLogin(stack.api, 'officer.commune')).token;
  const zone = (await apiGet(stack.api, dist, `/org-units/${halong.id}`)).time_zone;

  const browser = await launch({});
  try {
    const page = await newPage(browser.context);
    await signIn(page, stack.base, username, PASSWORD);
    await page.getByRole('link', { name: 'Meetings', exact: true }).click();
    await page.waitForSelector('[data-testid=meeting-form]');

    // A start in the past: the server refuses it and the screen marks the field.
    await page.fill('#meet-title', 'Giao ban phòng chống dịch');
    await page.fill('#meet-start', toZonedLocal(Date.now() - 3600000, zone).slice(0, 16));
    await page.getByRole('button', { name: 'Convene the meeting' }).click();
    await page.waitForSelector('#meet-start-error');
    assert.equal(await page.locator('#meet-start').getAttribute('aria-invalid'), 'true');

    // Tomorrow at 09:00 in the district's zone, 45 minutes, every commune below.
    const start = toZonedLocal(Date.now() + 86400000, zone).slice(0, 11) + '09:00';
    await page.fill('#meet-start', start);
    await page.fill('#meet-agenda', '1. Ca mới\n2. Chợ đầu mối');
    await page.selectOption('#meet-minutes', '45');
    await page.getByRole('button', { name: 'Convene the meeting' }).click();
    await page.waitForSelector('[data-testid=meeting-made]');
    const api = await apiGet(stack.api, dist, '/meetings');
    const m = api.items.find((x) => x.title === 'Giao ban phòng chống dịch');
    assert.ok(m, 'the meeting is the server\'s');
    assert.equal(Date.parse(m.starts_at), fromZonedLocal(start, zone).getTime(), `09:00 in ${zone}`);
    assert.equal(m.minutes, 45);
    const item = page.locator(`[data-testid=meetings] li[data-meeting-id="${m.id}"]`);
    await item.waitFor();
    assert.equal(await item.locator('[data-testid=join]').getAttribute('href'), m.join_url);
    assert.match(await item.locator('[data-testid=meeting-when]').innerText(), /9:00/);
    assert.equal(await page.locator('[data-testid=meetings] li[data-meeting-id]').count(), api.items.length, 'one card per meeting of the API');

    // The commune taking part: the same link, and no cancelling what it did not convene.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('#username');
    await signIn(page, stack.base, 'officer.commune');
    await page.goto(`${stack.base}/command/meetings`);
    const seen = page.locator(`[data-testid=meetings] li[data-meeting-id="${m.id}"]`);
    await seen.waitFor();
    assert.equal(await seen.locator('[data-testid=join]').getAttribute('href'), (await apiGet(stack.api, comm, `/meetings/${m.id}`)).join_url);
    assert.equal(await seen.getByRole('button', { name: 'Cancel the meeting' }).count(), 0);
    await shootScreen(page, 'meetings', { ready: () => seen.waitFor() });

    // The district cancels it with a reason; the commune reads the reason instead of a link.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('#username');
    await signIn(page, stack.base, username, PASSWORD);
    await page.goto(`${stack.base}/command/meetings`);
    await item.getByRole('button', { name: 'Cancel the meeting' }).click();
    await item.locator('.field-error').waitFor();
    await item.getByLabel('Reason for cancelling').fill('Bão số 3');
    await item.getByRole('button', { name: 'Cancel the meeting' }).click();
    await page.waitForSelector(`[data-testid=meetings] li[data-meeting-id="${m.id}"][data-status=cancelled]`);
    const after = await apiGet(stack.api, comm, `/meetings/${m.id}`);
    assert.equal(after.status, 'cancelled');
    assert.equal(after.cancel_reason, 'Bão số 3');
    assert.match(await item.locator('[data-testid=meeting-cancelled]').innerText(), /Bão số 3/);
    assert.equal(await item.locator('[data-testid=join]').count(), 0, 'a cancelled meeting has no link to follow');
  } finally {
    await browser.close();
  }
}
