// The population register import (POST /population/import, text/csv; import_population is the
// admin's). The admin chooses a CSV file on the screen: two good lines (a Vietnamese resident
// with a national ID, a Lao resident with a passport) and a bad one (a phone not in E.164). The
// screen's counts are the API's answer (3 lines, 2 new, 0 updated, 0 unchanged, 1 refused) and
// the refused line is line 4 (the header is line 1), on `phone`, with the server's reason; the
// API has each person once. The same file again: nobody new, nothing updated, 2 unchanged, the
// same line refused, still one record each with the same ids. A pasted file with an unknown
// column is refused as a whole (said at the text field); a pasted line with a new address
// updates that person (1 updated, same id, the new address on the API). Photographed in five
// languages. A command officer has no menu entry, is sent home and gets 403 from the API.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen, checkA11y, step, RESULTS } from '../lib/harness.mjs';

export const name = 'population-import: a register extract through the screen, its counts and refused line the API\'s, the same file again changes nothing, a changed line updates';

const HEADER = 'id_number,family_name,given_name,birth_date,sex,address,commune_code,phone,nationality,document_type';
const VN = { doc: '022193005521', name: 'Hoàng Thị Mai Anh', line: '022193005521,Hoàng,Thị Mai Anh,1993-05-21,female,"12 Cao Thắng, Hạ Long",QN-01-01,+84912770011,VN,' };
const LA = { doc: 'P1234567', name: 'Keomany Souvannavong', line: 'P1234567,Keomany,Souvannavong,1988-09-14,male,"Tổ 4, khu 1, Bạch Đằng",QN-01-02,+8562055512345,LA,passport' };
const BAD = '022185007788,Đinh,Văn Toàn,1985-03-02,male,3 Bến Đoan,QN-01-01,0912 345 678,VN,';
const CSV = [HEADER, VN.line, LA.line, BAD].join('\r\n') + '\r\n';

async function figures(page) {
  return page.locator('[data-testid=counts] [data-figure]').evaluateAll((xs) => Object.fromEntries(xs.map((x) => [x.dataset.figure, Number(x.querySelector('dd').innerText.replace(/\D/g, ''))])));
}

/**
 * The import's answers as the server gave them: the page's request goes on to the server
 * unchanged (route.fetch) and its answer back to the page unchanged; the spec keeps a copy.
 * (Chromium's inspector does not keep the answer to a request whose body was a File.)
 */
async function captureImports(page) {
  const answers = [];
  await page.route('**/api/v1/population/import', async (route) => {
    const r = await route.fetch();
    const text = await r.text();
    answers.push({ status: r.status(), body: JSON.parse(text) });
    await route.fulfill({ response: r, body: text });
  });
  return answers;
}

/** Send what the screen holds; the screen's figures and refused lines must be the API's answer. */
async function importAndCompare(page, answers, what) {
  const n = answers.length;
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  for (let i = 0; answers.length === n && i < 100; i++) await page.waitForTimeout(50);
  assert.equal(answers.length, n + 1, `${what}: one request to the server`);
  const { status, body: answer } = answers[n];
  assert.equal(status, 200, `${what}: ${JSON.stringify(answer)}`);
  await page.waitForSelector('[data-testid=answer]');
  assert.deepEqual(await figures(page), { lines: answer.lines, created: answer.created, updated: answer.updated, unchanged: answer.unchanged, rejected: answer.rejected.length }, `${what}: the counts are the API's`);
  const shown = await page.locator('[data-testid=rejected] tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    line: Number(tr.querySelector('[data-testid=line]').innerText), field: tr.querySelector('[data-testid=field]').innerText.trim(), reason: tr.querySelector('[data-testid=server-reason]').innerText.trim(),
  })));
  assert.deepEqual(shown, answer.rejected.map((x) => ({ line: x.line, field: x.field || 'whole line', reason: x.reason })), `${what}: the refused lines are the API's`);
  return answer;
}

/** The records of a document number (found by the name's prefix): exactly one is wanted. */
async function recordsOf(api, token, p) {
  return (await apiGet(api, token, `/people?name=${encodeURIComponent(p.name)}&limit=50`)).items.filter((x) => x.document_number === p.doc);
}

export async function run({ stack }) {
  const api = stack.api;
  const admin = await apiLogin(api, 'admin');
  const officer = await apiLogin(api, 'officer.province');
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, 'population-import.csv');
  writeFileSync(file, '\ufeff' + CSV);
  assert.deepEqual([...(await recordsOf(api, admin.token, VN)), ...(await recordsOf(api, admin.token, LA))], [], 'not in the demo before');

  const desk = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await newPage(desk.context);
    const answers = await captureImports(page);
    step('first import');
    await signIn(page, stack.base, 'admin');
    await page.click('nav a[href="/population/import"]');
    await page.waitForSelector('[data-testid=columns]');
    const required = await page.locator('[data-testid=columns] tr[data-required=true] th').allInnerTexts();
    assert.deepEqual(required, ['id_number', 'family_name', 'commune_code', 'nationality'], 'the required columns are the server\'s');

    await page.setInputFiles('#imp-file', file);
    assert.match(await page.innerText('[data-testid=file-name]'), /^File: population-import\.csv \(\d+ B\)$/);
    const first = await importAndCompare(page, answers, 'first import');
    assert.deepEqual([first.lines, first.created, first.updated, first.unchanged], [3, 2, 0, 0]);
    assert.deepEqual(first.rejected, [{ line: 4, field: 'phone', reason: 'must be in E.164 form such as +84912345678' }]);
    const row = page.locator('[data-testid=rejected] tr[data-line="4"]');
    assert.match(await row.locator('[data-testid=reason]').innerText(), /^Not a phone number in international form \(\+84912345678\)\./, 'the reason in the reader\'s words');
    assert.equal(await row.locator('[data-testid=server-reason]').getAttribute('lang'), 'en', "the server's own words carry their language");
    const vn = await recordsOf(api, admin.token, VN);
    const la = await recordsOf(api, admin.token, LA);
    assert.equal(vn.length, 1, 'the Vietnamese resident once');
    assert.equal(la.length, 1, 'the Lao resident once');
    assert.deepEqual([la[0].document_type, la[0].nationality, la[0].language], ['passport', 'LA', 'lo'], 'a foreigner: the passport, and the language of the nationality');
    assert.equal((await apiGet(api, admin.token, '/people?name=' + encodeURIComponent('Đinh Văn Toàn'))).items.filter((p) => p.document_number === '022185007788').length, 0, 'the refused line made nobody');
    await shootScreen(page, 'population-import', { ready: (p) => p.waitForSelector('[data-testid=rejected] tr[data-line="4"]') });

    // The same file again: nothing new, nothing changed.
    step('same file again');
    await page.setInputFiles('#imp-file', file);
    const again = await importAndCompare(page, answers, 'the same file again');
    assert.deepEqual([again.lines, again.created, again.updated, again.unchanged], [3, 0, 0, 2], 'idempotent');
    assert.deepEqual(again.rejected, first.rejected);
    assert.deepEqual((await recordsOf(api, admin.token, VN)).map((p) => p.id), vn.map((p) => p.id), 'no duplicate of the Vietnamese resident');
    assert.deepEqual((await recordsOf(api, admin.token, LA)).map((p) => p.id), la.map((p) => p.id), 'no duplicate of the Lao resident');

    // A pasted file the server cannot read at all: said at the text field.
    step('paste');
    await page.fill('#imp-text', 'so_cccd,ho_ten\n1,2');
    assert.match(await page.innerText('[data-testid=file-name]'), /^No file chosen\.$/, 'typing drops the chosen file');
    const n = answers.length;
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.waitForSelector('#imp-text-error');
    assert.equal(answers.length, n + 1);
    assert.equal(answers[n].status, 400);
    assert.equal(answers[n].body.error.field, 'file');
    await page.waitForSelector('#imp-text-error');
    assert.equal(await page.getAttribute('#imp-text', 'aria-invalid'), 'true');
    assert.ok((await page.getAttribute('#imp-text', 'aria-describedby')).split(' ').includes('imp-text-error'));
    assert.match(await page.locator('[role=alert]').first().textContent(), /unknown column "so_cccd"/, "the server's words under the details");
    await checkA11y(page, 'population-import refused (en)');

    // A pasted line with a new address: that person is updated, not made again.
    const moved = VN.line.replace('12 Cao Thắng, Hạ Long', '40 Nguyễn Văn Cừ, Hồng Hải');
    await page.fill('#imp-text', `${HEADER}\n${moved}\n`);
    const update = await importAndCompare(page, answers, 'a changed line');
    assert.deepEqual([update.lines, update.created, update.updated, update.unchanged, update.rejected.length], [1, 0, 1, 0, 0]);
    const after = await recordsOf(api, admin.token, VN);
    assert.deepEqual(after.map((p) => [p.id, p.address]), [[vn[0].id, '40 Nguyễn Văn Cừ, Hồng Hải']], 'the same record, its new address');

    // A command officer may not import (import_population is the admin's).
    step('command officer');
    const denied = await fetch(`${api}/api/v1/population/import`, { method: 'POST', headers: { Authorization: `Bearer ${officer.token}`, 'Content-Type': 'text/csv' }, body: CSV });
    assert.equal(denied.status, 403, 'the API refuses a command officer');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('#username');
    await signIn(page, stack.base, 'officer.province');
    await page.waitForSelector('nav');
    assert.equal(await page.locator('nav a[href="/population/import"]').count(), 0, 'not in the command officer\'s menu');
    await page.goto(`${stack.base}/population/import`);
    await page.waitForURL(/\/alerts$/);
  } finally {
    await desk.close();
  }
}
