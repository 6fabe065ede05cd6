// Duplicate people: the administrator imports two register lines that are one man (the same
// name with and without Vietnamese diacritics, one birth date, one phone, two ID numbers); the
// provincial command officer sees the pair side by side, backs out of the confirmation once
// (nothing merged), then merges keeping the record with diacritics. The old record now answers
// with merged_into = the survivor, the audit trail has the merge and its reason, and the pair is
// gone. A tracer may not merge people: no menu entry, sent home, 403 from the API.
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet } from '../lib/servers.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert, newPage, signIn, shootScreen, checkA11y, SHOTS, RESULTS } from '../lib/harness.mjs';
import { parseCsv } from '../../src/lib/csv.js';

export const name = 'population: likely duplicates side by side, merge behind a confirmation, the old id points to the survivor';

const CSV = [
  'id_number,family_name,given_name,birth_date,sex,address,commune_code,phone,nationality',
  '022090004321,Trần,Đức Thắng,1990-04-12,male,"5 Trần Hưng Đạo, Hồng Gai",QN-01-01,+84912340001,VN',
  '022090009876,TRAN,Duc Thang,1990-04-12,male,"Tổ 3, khu 2, Hồng Gai",QN-01-01,+84912340001,VN',
].join('\r\n');

export async function run({ stack }) {
  const browser = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await newPage(browser.context);
    const api = stack.api;
    const admin = (await apiLogin(api, 'admin')).token;
    const officer = (await apiLogin(api, 'officer.province')).token;
    const imp = await fetch(`${api}/api/v1/population/import`, { method: 'POST', headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'text/csv' }, body: CSV });
    assert.equal(imp.status, 200, `import: ${imp.status} ${await imp.clone().text()}`);
    assert.deepEqual((await imp.json()).rejected, []);
    const pairs = (await apiGet(api, officer, '/duplicates?limit=1000')).items;
    const pair = pairs.find((p) => [p.a.document_number, p.b.document_number].sort().join() === '022090004321,022090009876');
    assert.ok(pair, 'the server finds the pair');
    assert.equal(pair.reason, 'name_phone');
    const [keep, drop] = pair.a.full_name === 'Trần Đức Thắng' ? [pair.a, pair.b] : [pair.b, pair.a];
    const key = `${pair.a.id}-${pair.b.id}`;

    await signIn(page, stack.base, 'officer.province');
    await page.click('nav a[href="/population/duplicates"]');
    const card = page.locator(`[data-testid=pairs] li[data-pair="${key}"]`);
    await card.waitFor();
    assert.equal(await page.locator('[data-testid=pairs] > li').count(), pairs.length, 'one card per pair of the API');
    const nameRow = await card.locator('tr[data-field=full_name] td').allInnerTexts();
    assert.deepEqual(nameRow.map((s) => s.replace(/\s*\(differs\)\s*≠?$/, '').trim()), [pair.a.full_name, pair.b.full_name], 'the names side by side');
    assert.match(await card.locator('tr[data-field=phone]').innerText(), /\+84912340001[\s\S]*\+84912340001/);
    assert.match(await card.innerText(), /Same name, birth date and phone/);
    await shootScreen(page, 'population-duplicates');

    // Every pair as CSV, each record in full: the pair on screen is a row of it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=duplicates-csv]')]);
    const file = join(RESULTS, 'population-duplicates.csv');
    await download.saveAs(file);
    const rows = parseCsv(readFileSync(file, 'utf8'));
    const col = (k) => rows[0].indexOf(k);
    assert.equal(rows[0][0], 'reason');
    assert.equal(rows.length - 1, pairs.length, 'a row per pair of the API');
    const row = rows.find((r) => r[col('a_id')] === String(pair.a.id) && r[col('b_id')] === String(pair.b.id));
    assert.ok(row, 'the pair is in the CSV');
    assert.deepEqual([row[col('reason')], row[col('a_full_name')], row[col('b_phone')]], ['name_phone', pair.a.full_name, '+84912340001']);

    // Keep the record with diacritics; back out once.
    await card.getByLabel(`Keep record ${keep.id} (${keep.full_name})`).check();
    await card.getByLabel('Why they are one person').fill('Same man: ID card re-issued, name typed without accents');
    await card.getByRole('button', { name: 'Merge these records' }).click();
    const dialog = page.locator('[data-testid=merge-dialog]');
    await dialog.waitFor({ state: 'visible' });
    const body = await dialog.innerText();
    assert.match(body, new RegExp(`Record ${drop.id} \\(${drop.full_name}\\) will be merged into record ${keep.id} \\(${keep.full_name}\\)`));
    await checkA11y(page, 'population-confirm (en)');
    await page.screenshot({ path: join(SHOTS, 'population-confirm.en.png') });
    await dialog.getByRole('button', { name: 'Go back' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await apiGet(api, officer, `/people/${drop.id}`)).merged_into, null, 'going back merges nothing');

    // Merge.
    await card.getByRole('button', { name: 'Merge these records' }).click();
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByRole('button', { name: 'Yes, merge' }).click();
    await page.waitForSelector('[data-testid=points-to]');
    assert.equal((await page.locator('[data-testid=points-to]').innerText()).trim(), `Record ${drop.id} now points to record ${keep.id}.`);
    const old = await apiGet(api, officer, `/people/${drop.id}`);
    assert.equal(old.merged_into, keep.id, 'the old id points to the survivor');
    assert.equal((await apiGet(api, officer, `/people/${keep.id}`)).merged_into, null);
    const trail = (await apiGet(api, officer, `/merges?person_id=${keep.id}`)).items;
    assert.equal(trail.length, 1);
    assert.equal(trail[0].merged_id, drop.id);
    assert.equal(trail[0].reason, 'Same man: ID card re-issued, name typed without accents');
    await page.waitForFunction((k) => !document.querySelector(`[data-pair="${k}"]`), key);
    await shootScreen(page, 'population-merged');

    // A tracer may not merge people.
    const tracer = (await apiLogin(api, 'tracer.halong')).token;
    const denied = await fetch(`${api}/api/v1/duplicates`, { headers: { Authorization: `Bearer ${tracer}` } });
    assert.equal(denied.status, 403);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await signIn(page, stack.base, 'tracer.halong');
    assert.equal(await page.locator('nav a[href="/population/duplicates"]').count(), 0, 'not in the tracer\'s menu');
    await page.goto(`${stack.base}/population/duplicates`);
    await page.waitForURL(/\/cases$/);
  } finally {
    await browser.close();
  }
}
