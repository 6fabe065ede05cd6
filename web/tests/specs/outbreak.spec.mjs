// Outbreak management at the desk, against the real demo server: the case line list (filters,
// paging total, the server's CSV read back), a case file (dates in the unit's zone while the
// browser runs in UTC; a future isolation refused by the server and shown on its field; a
// reclassification and its history, who made it by name; the tracer's contacts page linked);
// the contact follow-up board (a bad temperature refused, today's check recorded, a bulk action
// on ticked contacts and one on a filter, two assigned to a tracer shown by name); the scope of
// a commune officer (only its commune, another commune's case not found); the lab technician
// (only the lab screen; a result one by one, a CSV batch with its bad lines listed by line and
// field); a clinician's vaccination entry for a foreigner and a resident (a future date refused
// by the server on its field; the person's doses on the server listed above the form).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen, checkA11y, RESULTS } from '../lib/harness.mjs';
import { parseCsv } from '../../src/lib/csv.js';
import { toZonedLocal, fromZonedLocal, rfc3339 } from '../../src/lib/zoned.js';

export const name = 'outbreak: case line list and file, follow-up board, commune scope, lab results, vaccination entry';

const UNIT_TZ = 'Asia/Ho_Chi_Minh'; // the demo's units; the browser runs in UTC to tell them apart

async function apiSend(api, token, method, path, body, contentType = 'application/json') {
  const r = await fetch(`${api}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const answer = await r.json().catch(() => null);
  return { status: r.status, body: answer };
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/sign-in/);
}

/** The wall-clock text "HH:MM" of an instant in a zone. */
const hhmm = (iso, tz) => toZonedLocal(iso, tz).slice(11, 16);

export async function run({ stack }) {
  const api = stack.api;
  const admin = (await apiLogin(api, 'admin')).token;
  const tracer = (await apiLogin(api, 'tracer.halong')).token;
  const officer = await apiLogin(api, 'officer.commune');
  const lab = (await apiLogin(api, 'lab')).token;

  // Set-up through the API: a suspected case in the commune officer's commune; samples to test.
  const taken = new Set((await apiGet(api, admin, '/cases?limit=500')).items.map((c) => c.person_id));
  const communePeople = (await apiGet(api, officer.token, '/people?limit=200')).items.filter((p) => !taken.has(p.id));
  assert.ok(communePeople.length >= 3, 'people in the commune');
  const onset = new Date(Date.now() - 2 * 86400000 - 37 * 60000);
  const made = await apiSend(api, admin, 'POST', '/cases', { person_id: communePeople[0].id, classification: 'suspected', onset_at: rfc3339(onset) });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const kase = made.body;
  assert.equal(kase.org_unit_id, officer.user.org_unit_id, 'the case is in the officer\'s commune');
  const site = await apiSend(api, admin, 'POST', '/test-sites', { name: 'Trạm xét nghiệm Hạ Long', kinds: ['pcr', 'antigen'] });
  assert.equal(site.status, 201);
  const samples = [];
  for (const p of communePeople.slice(1, 3)) {
    const s = await apiSend(api, lab, 'POST', '/samples', { person_id: p.id, site_id: site.body.id, kind: 'pcr' });
    assert.equal(s.status, 201, JSON.stringify(s.body));
    samples.push(s.body);
  }

  const browser = await launch({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
  try {
    const page = await newPage(browser.context);

    // ---- the case line list (tracer of Hạ Long district) ----
    await signIn(page, stack.base, 'tracer.halong');
    await page.getByRole('link', { name: 'Case line list' }).click();
    await page.waitForSelector('[data-testid=ob-cases] tbody tr');
    const all = await apiGet(api, tracer, '/line-lists/cases?limit=1');
    assert.ok((await page.innerText('[data-testid=cases-total]')).includes(String(all.total)), `total ${all.total}`);
    assert.equal(await page.locator('[data-testid=ob-cases] tbody tr').count(), Math.min(50, all.total));
    await shootScreen(page, 'outbreak-cases');

    await page.selectOption('#f-class', 'suspected');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    const suspected = await apiGet(api, tracer, '/line-lists/cases?classification=suspected&limit=200');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=ob-cases] tbody tr').length === n, suspected.items.length);
    assert.ok(suspected.items.some((c) => c.id === kase.id), 'the new case is suspected');
    const shownIds = await page.$$eval('[data-testid=ob-cases] tbody tr', (rows) => rows.map((r) => Number(r.dataset.caseId)).sort((a, b) => a - b));
    assert.deepEqual(shownIds, suspected.items.map((c) => c.id).sort((a, b) => a - b), 'the rows are the API\'s suspected cases');

    // By onset period: the local day of the new case's onset, in the reader's (the unit's) zone.
    const day = toZonedLocal(kase.onset_at, UNIT_TZ).slice(0, 10);
    await page.selectOption('#f-period', 'onset');
    await page.fill('#f-from', day);
    await page.fill('#f-to', day);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    const dayStart = rfc3339(fromZonedLocal(`${day}T00:00`, UNIT_TZ));
    const dayEnd = rfc3339(new Date(fromZonedLocal(`${day}T00:00`, UNIT_TZ).getTime() + 86400000));
    const ofDay = await apiGet(api, tracer, `/line-lists/cases?classification=suspected&onset_from=${dayStart}&onset_to=${dayEnd}&limit=200`);
    assert.ok(ofDay.items.some((c) => c.id === kase.id), 'the case began that day');
    await page.waitForFunction((n) => document.querySelector('[data-testid=cases-total]')?.textContent.includes(String(n)) && document.querySelectorAll('[data-testid=ob-cases] tbody tr').length === n, ofDay.total);

    // The server's CSV of the same filter.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=cases-csv]')]);
    const file = join(RESULTS, 'outbreak-cases.csv');
    await download.saveAs(file);
    const rows = parseCsv(readFileSync(file, 'utf8'));
    assert.equal(rows[0][0], 'case_id');
    assert.deepEqual(rows.slice(1).map((r) => Number(r[0])).sort((a, b) => a - b), ofDay.items.map((c) => c.id).sort((a, b) => a - b), 'the CSV holds the filtered cases');
    console.log(`    line list: ${all.total} cases, ${shownIds.length} suspected, ${ofDay.total} with onset on ${day}, CSV ${rows.length - 1} rows`);

    // ---- the case file ----
    await page.click(`tr[data-case-id="${kase.id}"] a`);
    await page.waitForSelector('[data-testid=case-change]');
    assert.equal(await page.innerText('[data-testid=case-zone]'), UNIT_TZ);
    const onsetShown = await page.innerText('[data-testid=case-onset]');
    assert.ok(onsetShown.includes(hhmm(kase.onset_at, UNIT_TZ)), `onset in the unit's zone: ${onsetShown}`);
    assert.ok(!onsetShown.includes(hhmm(kase.onset_at, 'UTC')), 'not in the browser\'s zone (UTC)');
    assert.equal(await page.inputValue('#c-onset_at'), toZonedLocal(kase.onset_at, UNIT_TZ), 'the form shows the onset as the unit\'s wall clock');

    // A future isolation: the server refuses it and names the field.
    await page.fill('#c-isolated_at', toZonedLocal(Date.now() + 3 * 86400000, UNIT_TZ));
    await page.getByRole('button', { name: 'Save the change' }).click();
    await page.waitForSelector('#c-isolated_at[aria-invalid=true]');
    const alert = page.locator('[data-testid=case-change] [role=alert]');
    await alert.waitFor();
    assert.ok((await alert.innerText()).includes('not valid'), 'the error notice');
    assert.ok((await page.innerText('#c-isolated_at-error')).includes('server refused'), 'the field says it');
    assert.ok((await alert.locator('.mono').textContent()).includes('is in the future'), 'the server\'s message under details');
    assert.equal(await alert.locator('[data-testid=refused-field]').innerText(), 'The server refused “Isolated since”.', 'the notice names the field');
    await checkA11y(page, 'outbreak case with a field error');

    // Confirm, isolate at a place, from yesterday 08:30 local.
    const isoLocal = `${toZonedLocal(Date.now() - 86400000, UNIT_TZ).slice(0, 10)}T08:30`;
    await page.selectOption('#c-classification', 'confirmed');
    await page.fill('#c-isolated_at', isoLocal);
    await page.fill('#c-isolation_place', 'Bệnh viện Bãi Cháy');
    await page.fill('#c-note', 'PCR positive');
    await page.getByRole('button', { name: 'Save the change' }).click();
    await page.waitForSelector('[data-testid=case-change] .notice-ok');
    const after = await apiGet(api, tracer, `/cases/${kase.id}`);
    assert.equal(after.classification, 'confirmed');
    assert.equal(after.isolation_place, 'Bệnh viện Bãi Cháy');
    assert.equal(after.isolated_at.replace(/\.\d+Z$/, 'Z'), rfc3339(fromZonedLocal(isoLocal, UNIT_TZ)), 'isolation typed in the unit\'s zone arrives as UTC');
    assert.ok(after.traced, 'a confirmed case traces');
    const history = (await apiGet(api, tracer, `/cases/${kase.id}/history`)).items;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=case-history] tbody tr').length === n, history.length);
    const updated = page.locator('[data-testid=case-history] tr[data-action=updated]');
    assert.equal(await updated.count(), 1);
    const cls = await updated.locator('li[data-field=classification]').innerText();
    assert.ok(cls.includes('Suspected') && cls.includes('Confirmed'), `history shows before and after: ${cls}`);
    assert.ok((await updated.innerText()).includes('PCR positive'), 'the note');
    const change = history.find((e) => e.action === 'updated');
    assert.ok(change.by_username, 'the API names who changed it');
    assert.equal((await updated.locator('[data-testid=by]').innerText()).trim(), change.by_username, 'who, by name');
    assert.equal(await page.locator('[data-testid=case-history] tr[data-action=traced]').count(), history.filter((e) => e.action === 'traced').length);
    assert.ok((await page.innerText('[data-testid=case-class]')).includes('Confirmed'));
    await shootScreen(page, 'outbreak-case');

    // The contacts and chain are the tracer's case page, not a copy.
    await page.click('[data-testid=tracer-link]');
    await page.waitForURL(new RegExp(`/cases/${kase.id}$`));
    await page.waitForSelector('h1:has-text("Case")');

    // ---- the follow-up board ----
    await page.getByRole('link', { name: 'Contact follow-up' }).click();
    await page.waitForSelector('[data-testid=follow-up] tbody tr');
    const board = await apiGet(api, tracer, '/line-lists/contacts?status=under_follow_up&limit=50');
    assert.ok((await page.innerText('[data-testid=contacts-total]')).includes(String(board.total)));
    const due = board.items.find((c) => c.today == null);
    assert.ok(due, 'a contact whose check is due today');
    const row = page.locator(`tr[data-contact-id="${due.id}"]`);
    assert.equal(await row.getAttribute('data-today'), 'due');
    await row.getByRole('button', { name: /Record today's check/ }).click();
    await page.waitForSelector('[data-testid=check-form]');
    await page.fill('#chk-temp', '46.5');
    await page.getByRole('button', { name: 'Save the check' }).click();
    await page.waitForSelector('#chk-temp[aria-invalid=true]');
    assert.ok((await page.locator('[data-testid=check-form] [role=alert] .mono').textContent()).includes('between 30'), 'the server\'s range');
    assert.ok((await page.innerText('[data-testid=check-form] [data-testid=refused-field]')).includes('Temperature'), 'the notice names the field');
    await shootScreen(page, 'outbreak-check');
    await page.fill('#chk-temp', '');
    await page.locator('#chk-temp').pressSequentially('36.9'); // typed key by key: focus stays in the field
    await page.locator('#chk-symptoms').pressSequentially('ho nhẹ');
    await page.getByRole('button', { name: 'Save the check' }).click();
    await page.waitForSelector(`tr[data-contact-id="${due.id}"][data-today=answered]`);
    const checks = (await apiGet(api, tracer, `/contacts/${due.id}/checks`)).items;
    assert.equal(checks.at(-1).status, 'answered');
    assert.equal(checks.at(-1).temperature_celsius, 36.9);
    assert.equal(checks.at(-1).symptoms, 'ho nhẹ');
    await shootScreen(page, 'outbreak-follow-up');

    // Bulk: two ticked contacts lost; then every lost one resumed through the filter.
    const two = board.items.filter((c) => c.id !== due.id).slice(0, 2);
    for (const c of two) await page.locator(`tr[data-contact-id="${c.id}"] input.pick`).check();
    await page.selectOption('#bulk-action', 'lost');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.waitForSelector('[data-testid=bulk-done]');
    assert.ok((await page.innerText('[data-testid=bulk-done]')).startsWith('2 '), 'two changed');
    for (const c of two) assert.equal((await apiGet(api, tracer, `/contacts/${c.id}`)).status, 'lost');
    const lost = await apiGet(api, tracer, '/line-lists/contacts?status=lost&limit=1');
    await page.selectOption('#fu-status', 'lost');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=follow-up] tbody tr[data-status=lost]').length === n, Math.min(50, lost.total));
    await page.selectOption('#bulk-action', 'resume');
    await page.getByLabel(/Every contact these filters select/).check();
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.waitForFunction((n) => document.querySelector('[data-testid=bulk-done]')?.textContent.startsWith(`${n} `), lost.total);
    for (const c of two) assert.equal((await apiGet(api, tracer, `/contacts/${c.id}`)).status, 'under_follow_up');

    // Assign: the two ticked contacts to one of the district's tracers, shown by name.
    const tracers = (await apiGet(api, tracer, '/tracers')).items;
    assert.ok(tracers.some((u) => u.username === 'tracer.halong'), 'the district\'s tracers');
    const to = tracers[0];
    await page.selectOption('#fu-status', 'under_follow_up');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    for (const c of two) await page.locator(`tr[data-contact-id="${c.id}"] input.pick`).check();
    await page.selectOption('#bulk-action', 'assign');
    await page.getByLabel(/The selected contacts/).check();
    assert.ok(await page.getByRole('button', { name: 'Apply', exact: true }).isDisabled(), 'no tracer chosen yet');
    await page.selectOption('#bulk-tracer', String(to.user_id));
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=bulk-done]')?.textContent.startsWith('2 '));
    for (const c of two) {
      assert.equal((await apiGet(api, tracer, `/contacts/${c.id}`)).assigned_to, to.user_id, 'assigned on the server');
      await page.waitForFunction(([id, name]) => document.querySelector(`tr[data-contact-id="${id}"] [data-testid=tracer]`)?.textContent.trim() === name, [c.id, to.username]);
    }
    console.log(`    follow-up: ${board.total} under follow-up; check recorded for contact ${due.id}; ${lost.total} lost resumed by filter; 2 assigned to ${to.username}`);
    await signOut(page);

    // ---- a commune officer sees its commune only ----
    await signIn(page, stack.base, 'officer.commune');
    await page.goto(`${stack.base}/outbreak/cases`);
    await page.waitForSelector('[data-testid=ob-cases] tbody tr');
    const mine = await apiGet(api, officer.token, '/line-lists/cases?limit=200');
    assert.ok(mine.total >= 1 && mine.total < all.total, `the commune has ${mine.total} of the district's ${all.total}`);
    assert.ok((await page.innerText('[data-testid=cases-total]')).includes(String(mine.total)));
    const units = await page.$$eval('[data-testid=ob-cases] tbody tr', (rs) => [...new Set(rs.map((r) => Number(r.dataset.unitId)))]);
    assert.deepEqual(units, [officer.user.org_unit_id], 'every row is of the commune');
    const other = (await apiGet(api, tracer, '/line-lists/cases?limit=200')).items.find((c) => c.org_unit_id !== officer.user.org_unit_id);
    assert.ok(other, 'a case of another commune');
    await page.goto(`${stack.base}/outbreak/cases/${other.id}`);
    await page.locator('[role=alert]', { hasText: 'This was not found.' }).waitFor();
    assert.equal(await page.locator('[data-testid=case-facts]').count(), 0, 'nothing of it is shown');
    await signOut(page);

    // ---- the lab technician: only the lab screen ----
    await signIn(page, stack.base, 'lab');
    assert.equal(new URL(page.url()).pathname, '/lab', 'the lab lands on its results');
    const nav = await page.locator('nav.app-nav').innerText();
    assert.ok(nav.includes('Lab results') && !nav.includes('Case line list') && !nav.includes('Contact follow-up') && !nav.includes('Vaccinations'), `lab nav: ${nav}`);
    await page.goto(`${stack.base}/outbreak/cases`);
    await page.waitForURL(/\/lab$/);
    assert.equal((await apiSend(api, lab, 'GET', '/line-lists/cases')).status, 403, 'the API refuses the lab the line list');
    assert.equal((await apiSend(api, lab, 'GET', '/line-lists/contacts')).status, 403);
    await page.waitForSelector(`[data-testid=pending] tr[data-sample-id="${samples[0].id}"]`);
    await shootScreen(page, 'outbreak-lab');
    const one = page.locator(`tr[data-sample-id="${samples[0].id}"]`);
    await one.locator('select').selectOption('positive');
    await one.getByRole('button', { name: /Record the result/ }).click();
    await page.waitForSelector('[data-testid=result-done]');
    await one.waitFor({ state: 'detached' });
    const s0 = await apiGet(api, lab, `/samples/${samples[0].id}`);
    assert.equal(s0.result, 'positive');
    assert.ok(s0.case_id, 'a positive opened a case');
    assert.ok((await page.innerText('[data-testid=result-done]')).includes(`case ${s0.case_id}`));

    // A CSV batch: one good line, a label that does not exist, a result that is not one.
    const csv = join(RESULTS, 'lab-results.csv');
    writeFileSync(csv, `label,result\r\n${samples[1].label},negative\r\nMKS1-9-00000999-00,positive\r\n${samples[1].label},maybe\r\n`);
    await page.setInputFiles('#batch-file', csv);
    await page.waitForFunction(() => document.querySelector('#batch-text').value.includes('label,result'));
    await page.getByRole('button', { name: 'Send the results' }).click();
    await page.waitForSelector('[data-testid=batch-answer]');
    const lines = await page.$$eval('[data-testid=rejected] tbody tr', (rs) => rs.map((r) => [Number(r.dataset.line), r.children[1].textContent]));
    assert.deepEqual(lines.map((l) => l[0]), [3, 4], 'the bad lines by number (the header is line 1)');
    assert.ok(lines.every((l) => l[1] !== '—'), 'each names its field');
    assert.ok((await page.innerText('[data-testid=batch-answer]')).includes('1 results recorded'));
    assert.equal((await apiGet(api, lab, `/samples/${samples[1].id}`)).result, 'negative', 'the good line was recorded');
    await shootScreen(page, 'outbreak-lab-batch');
    await signOut(page);

    // ---- vaccination: a foreigner and a resident ----
    await signIn(page, stack.base, 'clinician');
    await page.getByRole('link', { name: 'Vaccinations' }).click();
    await page.waitForSelector('[data-testid=dose-form]');
    const clin = (await apiLogin(api, 'clinician')).token;
    const people = (await apiGet(api, clin, '/people?limit=200')).items;
    const foreigner = people.find((p) => p.nationality !== 'VN');
    const resident = people.find((p) => p.nationality === 'VN');
    assert.ok(foreigner && resident, 'a foreigner and a resident in the clinician\'s district');
    const record = async (p, dose, when) => {
      await page.fill('#vp-q', p.full_name);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const choice = page.locator('.people-found label', { hasText: p.full_name }).first();
      await choice.waitFor();
      await choice.locator('input').check();
      await page.fill('#v-product', 'Comirnaty');
      await page.fill('#v-lot', 'FK8891');
      await page.selectOption('#v-dose', String(dose));
      await page.fill('#v-given_at', when);
      await page.fill('#v-site', 'Trạm y tế Bãi Cháy');
      await page.fill('#v-country', 'VN');
      await page.getByRole('button', { name: 'Record the dose' }).click();
    };
    await record(foreigner, 1, toZonedLocal(Date.now() + 2 * 86400000, foreigner.time_zone));
    await page.waitForSelector('#v-given_at[aria-invalid=true]');
    assert.ok((await page.locator('[data-testid=dose-form] [role=alert] .mono').textContent()).includes('is in the future'));
    assert.ok((await page.innerText('[data-testid=dose-form] [data-testid=refused-field]')).includes('Given on'), 'the notice names the field');
    await shootScreen(page, 'outbreak-vaccination-error');
    const given = `${toZonedLocal(Date.now() - 3 * 86400000, foreigner.time_zone).slice(0, 10)}T09:15`;
    await page.fill('#v-given_at', given);
    await page.getByRole('button', { name: 'Record the dose' }).click();
    await page.waitForSelector('[data-testid=doses] li');
    // The person's doses on the server are listed above the form, the new one among them.
    const had = (await apiGet(api, clin, `/people/${foreigner.id}/vaccination-doses`)).items;
    assert.ok(had.some((d) => d.product === 'Comirnaty' && d.dose === 1), 'the API has the new dose');
    await page.waitForFunction((ids) => { const li = document.querySelectorAll('[data-testid=person-doses] li'); return li.length === ids.length && ids.every((id, i) => li[i].dataset.doseId === String(id)); }, had.map((d) => d.id));
    await record(resident, 2, given);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=doses] li').length === 2);
    const doses = (await apiGet(api, admin, '/line-lists/vaccinations?limit=200')).items;
    for (const p of [foreigner, resident]) {
      const d = doses.find((x) => x.person_id === p.id && x.product === 'Comirnaty');
      assert.ok(d, `a dose for ${p.full_name}`);
      assert.equal(d.given_at.replace(/\.\d+Z$/, 'Z'), rfc3339(fromZonedLocal(given, p.time_zone)));
      assert.equal(d.lot, 'FK8891');
      assert.equal(d.site, 'Trạm y tế Bãi Cháy');
    }
    await shootScreen(page, 'outbreak-vaccination');
    console.log(`    doses recorded for ${foreigner.full_name} (${foreigner.nationality}) and ${resident.full_name}`);
  } finally {
    await browser.close();
  }
}
