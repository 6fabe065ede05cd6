// A command officer sees red and yellow codes and active cases per unit on the tile map and the
// org-unit tree; on the wall screen an alert raised by the demo gate device (its API key) shows
// up (live over the WebSocket when the server has it, else on the next read) and is
// acknowledged there.
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet, mongCaiResident } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen, checkA11y } from '../lib/harness.mjs';

export const name = 'command officer: tile map and tree with counts; wall screen alert from a gate device, acknowledged';

export async function run({ stack }) {
  const token = (await apiLogin(stack.api, 'officer.province')).token;
  const summary = await apiGet(stack.api, token, '/health-codes/summary');
  const activeCases = (await apiGet(stack.api, token, '/cases?limit=200')).items.filter((c) => !c.released_at).length;
  const key = stack.demoOut.match(/Demo API key for the gate device \S+ \(shown once\): (\S+)/)?.[1];
  assert.ok(key, 'the demo printed the gate device API key');

  const browser = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await newPage(browser.context);
    await signIn(page, stack.base, 'officer.province');
    await page.getByRole('link', { name: 'Area map' }).click();
    await page.waitForSelector('[data-testid=tilemap] .tile');
    assert.equal(await page.locator('[data-testid=tilemap] .tile').count(), 13, 'the 13 district-level units');
    const totals = await page.innerText('[data-testid=totals]');
    assert.ok(totals.includes(String(summary.red)) && totals.includes(String(summary.yellow)), `the unit's red ${summary.red} and yellow ${summary.yellow}: ${totals}`);
    assert.ok(totals.includes(String(activeCases)), 'active cases');
    const perTile = await page.locator('[data-testid=tilemap] .tile .count-cases').allInnerTexts();
    assert.equal(perTile.reduce((n, s) => n + Number(s.replace(/\D/g, '')), 0), activeCases, 'the tiles add up to the province');
    // The tree: a district opens to its communes, by keyboard.
    await page.locator('[data-testid=unit-tree] summary').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=unit-tree] details[open] li');
    await shootScreen(page, 'command-map');

    // The wall screen at 1920 x 1080, and an alert from the gate.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${stack.base}/command/wall`);
    await page.waitForSelector('[data-testid=tilemap] .tile');
    await page.waitForSelector('[data-testid=feed-state]');
    assert.equal(await page.locator('.app-nav').count(), 0, 'no menu on the wall screen');
    const me = { person_id: (await mongCaiResident(stack.api)).id }; // inside the gate's unit
    const r = await fetch(`${stack.api}/api/v1/devices/readings`, {
      method: 'POST', headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'temperature', person_id: me.person_id, temperature_c: 38.9 }),
    });
    assert.equal(r.status, 201, `gate reading: ${r.status}`);
    const alert = (await r.json()).alert;
    assert.ok(alert?.id, 'the reading raised an alert');
    const live = (await page.getAttribute('[data-testid=feed-state]', 'class')).includes('feed-live');
    if (!live) await page.reload(); // no /api/v1/ws on this server yet: the next read shows it
    const item = page.locator(`.wall-alert[data-alert-id="${alert.id}"]`);
    await item.waitFor({ timeout: live ? 10000 : 8000 });
    console.log(`    alert ${alert.id} ${live ? 'arrived live over the WebSocket' : 'shown after a reload (no /api/v1/ws yet)'}`);
    await shootScreen(page, 'command-wall', { fullPage: false });
    await item.getByRole('button', { name: 'Acknowledge' }).click();
    await item.waitFor({ state: 'detached' });
    const open = await apiGet(stack.api, token, '/alerts?open=true&limit=100');
    assert.ok(!open.items.some((a) => a.id === alert.id), 'acknowledged on the server');
    await checkA11y(page, 'command-wall after acknowledge');
  } finally {
    await browser.close();
  }
}
