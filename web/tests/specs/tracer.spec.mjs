// A tracer confirms a case (person found by name, onset typed in local time and sent as UTC),
// sees its contacts to depth 3 as a table and as a graph, exports the CSV and reads it back
// (BOM, RFC 4180, the API's names), traces from a contact; then a generated 5,000-row answer
// (page.route) renders and scrolls with no long task over 200 ms (PerformanceObserver).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen, checkA11y, writeJson, step, RESULTS } from '../lib/harness.mjs';
import { parseCsv } from '../../src/lib/csv.js';
import { toZonedLocal, fromZonedLocal, rfc3339 } from '../../src/lib/zoned.js';

export const name = 'tracer: confirm a case, contacts to depth 3 as table, graph and CSV; 5,000 rows without long tasks';

const TZ = 'Asia/Ho_Chi_Minh'; // the browser's zone (tests/lib/browser.mjs); the org units name none yet
const LONG_TASK_MS = 200;

/** Someone in the tracer's area who is not a case and met people in the last three days. */
async function pickPerson(api, token) {
  const cases = new Set((await apiGet(api, token, '/cases?limit=200')).items.map((c) => c.person_id));
  const people = (await apiGet(api, token, '/people?limit=200')).items;
  const from = new Date(Date.now() - 3 * 86400000).toISOString();
  let best = null;
  for (const p of people.slice(0, 80)) {
    if (cases.has(p.id)) continue;
    const c = await apiGet(api, token, `/people/${p.id}/contacts?depth=1&from=${from}`);
    if (c.items.length >= 2 && (!best || c.items.length > best.n)) best = { person: p, n: c.items.length };
    if (best?.n >= 8) break;
  }
  assert.ok(best, 'a person with contacts to confirm');
  return best.person;
}

/** 5,000 contacts in three hops, with names in several scripts and real venue ids. */
function bigAnswer(caseId, rootId, venueIds) {
  const family = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Đỗ', 'Vũ', 'Ngô'];
  const given = ['Văn An', 'Thị Bình', 'Hữu Châu', 'Ngọc Diệp', 'Quang Hải', 'Thu Hương', 'Minh Khánh', 'Đức Long'];
  const other = ['王芳', 'สมชาย ใจดี', 'Siti Aminah', 'ស៊ុន សុខា', 'အောင်အောင်', 'José Ramos'];
  const items = [];
  const t0 = Date.now() - 4 * 86400000;
  for (let i = 0; i < 5000; i++) {
    const hop = i < 60 ? 1 : i < 1000 ? 2 : 3;
    const via = hop === 1 ? rootId : hop === 2 ? 900000 + (i % 60) : 900000 + 60 + (i % 940);
    const start = new Date(t0 + (hop * 20 + (i % 600)) * 60000);
    const end = new Date(start.getTime() + (20 + (i % 90)) * 60000);
    items.push({
      person_id: 900000 + i,
      full_name: i % 17 === 0 ? other[i % other.length] : `${family[i % 8]} ${given[(i >> 3) % 8]} ${i}`,
      hop, via_person_id: via, total_minutes: 20 + (i % 90), last_exposure_end: end.toISOString(),
      exposures: [{ venue_id: venueIds[i % venueIds.length], start: start.toISOString(), end: end.toISOString(), minutes: 20 + (i % 90) }],
    });
  }
  return { case_id: caseId, items, co_travellers: [] };
}

export async function run({ stack }) {
  const token = (await apiLogin(stack.api, 'tracer.halong')).token;
  const person = await pickPerson(stack.api, token);
  const browser = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await newPage(browser.context);
    await signIn(page, stack.base, 'tracer.halong');
    assert.equal(new URL(page.url()).pathname, '/cases', 'a tracer lands on the cases');
    await page.waitForSelector('[data-testid=cases] tbody tr');
    await shootScreen(page, 'tracer-cases');

    // Confirm a case: search by part of the name, pick, type the onset in local time.
    await page.getByRole('link', { name: 'Confirm a case' }).click();
    await page.fill('#person-q', person.full_name.split(' ').slice(0, 2).join(' ')); // the API matches the start of the name
    await page.getByRole('button', { name: 'Search' }).click();
    const choice = page.locator('.people-found label', { hasText: person.full_name }).first();
    await choice.waitFor();
    await choice.locator('input').check();
    const onsetLocal = toZonedLocal(Date.now() - 2 * 86400000, TZ);
    const sampleLocal = toZonedLocal(Date.now() - 1 * 86400000, TZ);
    await page.fill('#case-onset_at', onsetLocal);
    await page.fill('#case-sample_at', sampleLocal);
    await shootScreen(page, 'tracer-confirm');
    await page.getByRole('button', { name: 'Confirm the case and trace contacts' }).click();
    await page.waitForURL(/\/cases\/\d+$/, { timeout: 30000 });
    const caseId = Number(new URL(page.url()).pathname.split('/').pop());
    const kase = await apiGet(stack.api, token, `/cases/${caseId}`);
    assert.equal(kase.person_id, person.id);
    assert.equal(kase.onset_at.replace(/\.\d+Z$/, 'Z'), rfc3339(fromZonedLocal(onsetLocal, TZ)), 'onset typed in local time arrives as UTC');
    console.log(`    case ${caseId}: onset ${onsetLocal} (${TZ}) sent as ${kase.onset_at}`);

    // Contacts to depth 3 as a table: the count is the API's.
    const api3 = await apiGet(stack.api, token, `/cases/${caseId}/contacts?depth=3`);
    assert.ok(api3.items.length > 0, 'the new case has contacts');
    await page.waitForSelector('[data-testid=contact-table] tr[data-person-id]');
    const shown = await page.innerText('[data-testid=contact-count]');
    assert.ok(shown.includes(String(api3.items.length)), `shows ${api3.items.length} contacts: ${shown}`);
    assert.equal(await page.getAttribute('[data-testid=contact-table] table', 'aria-rowcount'), String(api3.items.length + 1));
    await shootScreen(page, 'tracer-case');

    step('CSV export');
    // CSV: BOM, CRLF, and the names the API gave, in the same number.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
    const file = join(RESULTS, `case-${caseId}-contacts.csv`);
    await download.saveAs(file);
    const bytes = readFileSync(file);
    assert.equal(bytes.subarray(0, 3).toString('hex'), 'efbbbf', 'UTF-8 with a BOM');
    const text = bytes.toString('utf8');
    assert.ok(text.includes('\r\n'), 'CRLF line ends');
    const rows = parseCsv(text);
    assert.equal(rows.length, api3.items.length + 1, 'a header and one row per contact');
    assert.deepEqual(rows.slice(1).map((r) => r[1]).sort(), api3.items.map((c) => c.full_name ?? '').sort(), 'the names read back');
    assert.deepEqual(rows.slice(1).map((r) => Number(r[0])).sort((a, b) => a - b), api3.items.map((c) => c.person_id).sort((a, b) => a - b));
    console.log(`    CSV: ${rows.length - 1} contacts, e.g. ${rows[1][1]}`);

    step('chain graph');
    // The chain as a graph: the case and every contact a node; arrows move; details follow.
    await page.getByRole('tab', { name: 'Chain graph' }).click();
    await page.waitForSelector('[data-testid=chain-graph] .node');
    const nodes = await page.locator('[data-testid=chain-graph] .node').count();
    if (api3.items.length <= 300) {
      assert.equal(nodes, api3.items.length + 1, 'one node per contact plus the case');
      assert.equal(await page.locator('[data-testid=chain-graph] path.edge').count(), api3.items.length, 'an edge per contact');
    } else assert.ok(nodes > 1 && nodes <= 301, 'a capped graph');
    await page.locator('[data-testid=chain-graph] .node.hop-0').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.activeElement?.classList.contains('hop-1'));
    const detail = await page.innerText('[data-testid=graph-details]');
    // Named, or by number when the API gives no name (someone outside the tracer's unit).
    const focused = Number(await page.evaluate(() => document.activeElement.dataset.id));
    const contact = api3.items.find((c) => c.person_id === focused);
    assert.ok(contact, `the focused node ${focused} is a contact`);
    assert.ok(detail.includes(contact.full_name || `Person no. ${focused}`), `the focused contact is described: ${detail}`);
    await shootScreen(page, 'tracer-graph', { fullPage: false });

    step('traced now');
    // Traced now over the infectious window (GET /people/{id}/contacts?depth=3).
    await page.getByRole('tab', { name: 'Table' }).click();
    await page.getByLabel('Traced now over the infectious window').check();
    await page.waitForSelector('[data-testid=contact-table] tr[data-person-id]');
    const w = kase.infectious_window;
    const live = await apiGet(stack.api, token, `/people/${person.id}/contacts?depth=3&from=${w.start}&to=${w.end}`);
    assert.ok((await page.innerText('[data-testid=contact-count]')).includes(String(live.items.length)));

    step("a contact's contacts");
    // From a contact: their own contacts.
    await page.locator('[data-testid=contact-table] tr[data-person-id] a').first().click();
    await page.waitForURL(/\/people\/\d+\/contacts$/);
    await page.waitForSelector('[data-testid=contact-count], .notice');
    await shootScreen(page, 'tracer-person');

    step('5,000 rows');
    // 5,000 rows: render, then scroll to the end, watching for long tasks.
    const venues = (await apiGet(stack.api, token, '/venues?limit=50')).items.map((v) => v.id);
    const big = JSON.stringify(bigAnswer(caseId, person.id, venues));
    await page.route(`**/api/v1/cases/${caseId}/contacts*`, (r) => r.fulfill({ status: 200, contentType: 'application/json', body: big }));
    await page.evaluate(() => {
      window.__long = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(Math.round(e.duration)); }).observe({ type: 'longtask', buffered: false });
    });
    const t0 = Date.now();
    await page.evaluate((id) => { history.pushState(null, '', `/cases/${id}`); dispatchEvent(new PopStateEvent('popstate')); }, caseId);
    await page.waitForFunction(() => document.querySelector('[data-testid=contact-table] table')?.getAttribute('aria-rowcount') === '5001', null, { timeout: 20000 });
    const renderMs = Date.now() - t0;
    const domRows = await page.locator('[data-testid=contact-table] tr[data-person-id]').count();
    assert.ok(domRows < 80, `virtualised: ${domRows} rows in the DOM for 5,000`);
    step('5,000 rows: scrolling');
    const steps = await page.evaluate(async () => {
      const el = document.querySelector('[data-testid=contact-table]');
      // A frame, or 250 ms when the page gets none (a hidden or throttled page never runs
      // requestAnimationFrame, and this evaluate has no timeout of its own); the steps are capped
      // for the same reason: a scroller that stops moving must end the loop, not hang the run.
      const frame = () => new Promise((r) => { requestAnimationFrame(() => r()); setTimeout(r, 250); });
      let n = 0;
      while (el.scrollTop + el.clientHeight < el.scrollHeight - 1 && n < 2000) {
        const before = el.scrollTop;
        el.scrollTop += Math.round(el.clientHeight * 0.9);
        await frame(); await frame();
        n++;
        if (el.scrollTop === before) break;
      }
      for (let i = 0; i < 20; i++) { el.scrollTop -= 3000; await frame(); }
      el.scrollTop = el.scrollHeight; await frame(); await frame();
      return n;
    });
    const last = await page.locator('[data-testid=contact-table] tr[data-person-id]').last().getAttribute('data-person-id');
    const long = await page.evaluate(() => window.__long);
    const worst = Math.max(0, ...long);
    writeJson('longtasks.json', { rows: 5000, render_ms: renderMs, scroll_steps: steps, dom_rows: domRows, long_tasks_ms: long, worst_ms: worst });
    console.log(`    5,000 rows: shown in ${renderMs} ms, ${domRows} rows in the DOM, ${steps} scroll steps; long tasks ${long.length ? long.join(', ') + ' ms' : 'none'} (limit ${LONG_TASK_MS} ms)`);
    // A budget, not behaviour: under make test's parallel suites a loaded 2-core machine makes
    // any frame slow, so it is enforced only when asked (MEKONG_LONGTASK_BUDGET=1, a quiet
    // machine); the figures are always written to longtasks.json.
    if (process.env.MEKONG_LONGTASK_BUDGET === '1') assert.ok(worst < LONG_TASK_MS, `a long task of ${worst} ms`);
    else if (worst >= LONG_TASK_MS) console.log(`    (over the ${LONG_TASK_MS} ms budget; not enforced without MEKONG_LONGTASK_BUDGET=1)`);
    assert.ok(Number(last) >= 900000, 'the end of the list is reachable');
    await checkA11y(page, 'tracer-case (5,000 rows)');
    await page.unroute(`**/api/v1/cases/${caseId}/contacts*`);
  } finally {
    await browser.close();
  }
}
