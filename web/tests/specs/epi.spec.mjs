// The epidemic curve and Rt of the Hạ Long tracer's district: sixteen cases confirmed through
// the API with onsets over the last two weeks (local noon), then the screen's bars and table
// equal to GET /epicurve for the same unit and days, by onset and by report date; the Rt table
// and chart equal to GET /rt (one row and one point per estimate, the means as the API's
// rounded to 2 places, the weak ones marked); a period running backwards refused by the
// server on the "To" field; a laboratory technician does not get the screen.
import { launch } from '../lib/browser.mjs';
import { dayIn, addDays } from '../../src/lib/zoned.js';
import { apiLogin, apiGet } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen } from '../lib/harness.mjs';

export const name = 'epi: epidemic curve by onset and report date, Rt with its credible interval, both equal to the API; a bad period refused on its field';

const ZONE = 'Asia/Ho_Chi_Minh';
const dayHere = (ms = Date.now()) => dayIn(ZONE, ms);
const two = (v) => new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);

async function post(api, token, path, body) {
  return fetch(`${api}/api/v1${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

export async function run({ stack }) {
  const browser = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await newPage(browser.context);
    const api = stack.api;
    const tracer = (await apiLogin(api, 'tracer.halong')).token;
    const me = await apiGet(api, tracer, '/auth/me');
    const unit = await apiGet(api, tracer, `/org-units/${me.org_unit_id}`);
    const today = dayHere();

    // Sixteen cases, onsets at local noon over the last 14 days (more towards the end).
    const people = (await apiGet(api, tracer, '/people?limit=200')).items;
    const onsets = [13, 11, 10, 9, 8, 7, 6, 6, 5, 4, 4, 3, 3, 2, 2, 1].map((n) => `${addDays(today, -n)}T05:00:00Z`);
    let made = 0;
    for (const p of people) {
      if (made === onsets.length) break;
      const r = await post(api, tracer, '/cases', { person_id: p.id, onset_at: onsets[made], sample_at: onsets[made] });
      if (r.ok) made++;
    }
    assert.equal(made, onsets.length, 'the cases are recorded');

    await signIn(page, stack.base, 'tracer.halong');
    assert.equal(await page.locator('nav a[href="/population/duplicates"]').count(), 0, "merging is not a tracer's screen");
    await page.click('nav a[href="/epi"]');
    await page.waitForSelector('[data-testid=curve-chart]');
    const from = await page.inputValue('#epi-from');
    assert.equal(await page.inputValue('#epi-to'), today, "to: today in the unit's zone");
    assert.equal(from, addDays(today, -59));
    assert.equal(await page.inputValue('#epi-unit'), String(unit.id));
    assert.match(await page.locator('[data-testid=zone]').innerText(), new RegExp(`${unit.name}.*\\(${unit.time_zone}\\)`));

    const check = async (by) => {
      const curve = await apiGet(api, tracer, `/epicurve?org_unit_id=${unit.id}&from=${from}&to=${today}&by=${by}`);
      const want = curve.days.filter((d) => d.count > 0).map((d) => `${d.date}:${d.count}`);
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=curve-chart] rect').length === n, want.length);
      const bars = await page.$$eval('[data-testid=curve-chart] rect', (rs) => rs.map((r) => `${r.dataset.date}:${r.dataset.count}`));
      assert.deepEqual(bars, want, `one bar per day with cases (${by})`);
      const total = curve.days.reduce((s, d) => s + d.count, 0);
      assert.match(await page.locator('[data-testid=curve-total]').innerText(), new RegExp(`^${total} cases`));
      const rows = await page.$$eval('[data-testid=curve-table] tbody tr', (trs) => trs.map((tr) => `${tr.dataset.date}:${tr.cells[1].textContent}`));
      assert.deepEqual(rows, curve.days.map((d) => `${d.date}:${d.count}`), `the table has every day (${by})`);
      return curve;
    };
    const byOnset = await check('onset');
    assert.ok(byOnset.days.reduce((s, d) => s + d.count, 0) >= onsets.length, 'the new cases are counted by onset');
    for (const o of onsets) assert.ok(byOnset.days.find((d) => d.date === o.slice(0, 10)).count >= 1, `a case on ${o.slice(0, 10)}`);

    // Rt: one row and one point per estimate, as the API's.
    const rt = await apiGet(api, tracer, `/rt?org_unit_id=${unit.id}&from=${from}&to=${today}&window_days=7`);
    assert.ok(rt.estimates.length > 0, 'the API estimates Rt');
    await page.locator('summary', { hasText: 'The estimates as a table' }).click();
    const rtRows = await page.$$eval('[data-testid=rt-table] tbody tr', (trs) => trs.map((tr) => ({ end: tr.dataset.end, mean: tr.cells[1].textContent, ci: tr.cells[2].textContent, weak: tr.classList.contains('weak') })));
    assert.deepEqual(rtRows, rt.estimates.map((e) => ({ end: e.window_end, mean: two(e.mean), ci: `${two(e.lower)} to ${two(e.upper)}`, weak: e.shape < 13 })));
    assert.equal(await page.locator('[data-testid=rt-chart] circle').count(), rt.estimates.length);
    assert.equal(await page.locator('[data-testid=rt-chart] circle.weak').count(), rt.estimates.filter((e) => e.shape < 13).length);
    assert.equal(await page.locator('[data-testid=rt-chart] polygon.band').count(), 1, 'the credible band');
    const last = rt.estimates[rt.estimates.length - 1];
    assert.match(await page.locator('[data-testid=rt-chart] desc').textContent(), new RegExp(`${two(last.mean)} \\(95% credible interval ${two(last.lower)} to ${two(last.upper)}\\)`));
    await page.locator('summary', { hasText: 'The numbers as a table' }).click();
    await shootScreen(page, 'epi-curve');

    // By report date: every case of the spec was reported today.
    await page.selectOption('#epi-by', 'report');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForSelector('#curve-h:text("Cases by report date")');
    const byReport = await check('report');
    assert.ok(byReport.days.find((d) => d.date === today).count >= onsets.length, 'reported today');

    // A period running backwards: the server's 400 names "to", shown on the field.
    await page.fill('#epi-from', today);
    await page.fill('#epi-to', addDays(today, -5));
    const [bad] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/epicurve')),
      page.getByRole('button', { name: 'Show' }).click(),
    ]);
    assert.equal(bad.status(), 400);
    assert.equal((await bad.json()).error.field, 'to');
    await page.waitForSelector('#epi-to-error');
    assert.equal(await page.getAttribute('#epi-to', 'aria-invalid'), 'true');
    assert.equal((await page.locator('[data-testid=field-error]').innerText()).trim(), 'The server refused: To.');
    await shootScreen(page, 'epi-bad-period');

    // The laboratory does not get the screen (nor the API: no read_line_lists).
    const lab = (await apiLogin(api, 'lab')).token;
    const denied = await fetch(`${api}/api/v1/epicurve?from=${from}&to=${today}`, { headers: { Authorization: `Bearer ${lab}` } });
    assert.equal(denied.status, 403);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await signIn(page, stack.base, 'lab');
    assert.equal(await page.locator('nav a[href="/epi"]').count(), 0);
    await page.goto(`${stack.base}/epi`);
    await page.waitForURL(/\/lab$/); // sent to its own home
  } finally {
    await browser.close();
  }
}
