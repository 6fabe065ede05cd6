// A venue operator sees their venues and live occupancy, and prints the poster: the PDF of
// the print view, rasterised, reads back with zbarimg to the venue's signed QR text.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet, mongCaiResident } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen, checkA11y, RESULTS } from '../lib/harness.mjs';

export const name = 'venue operator: venues, occupancy, an A4 poster that zbarimg reads back';

export async function run({ stack, posterVenue }) {
  const token = (await apiLogin(stack.api, 'operator.halong')).token;
  const poster = await apiGet(stack.api, token, `/venues/${posterVenue.id}/poster`);
  const browser = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await newPage(browser.context);
    await signIn(page, stack.base, 'operator.halong');
    assert.equal(new URL(page.url()).pathname, '/venues');
    await page.waitForSelector('.venue-list li');
    await shootScreen(page, 'venues');

    await page.goto(`${stack.base}/venues/${posterVenue.id}`);
    await page.waitForSelector('[data-testid=present]');
    const occ = await apiGet(stack.api, token, `/venues/${posterVenue.id}/occupancy`);
    const shown = (await page.innerText('[data-testid=present]')).split('/')[0].replace(/\D/g, '');
    assert.equal(Number(shown), occ.present, 'present count matches the API');
    await shootScreen(page, 'venue-occupancy');

    await page.goto(`${stack.base}/venues/${posterVenue.id}/poster`);
    const ready = (p) => p.waitForFunction(() => {
      const img = document.querySelector('.poster-qr');
      return img && img.complete && img.naturalWidth > 0 && Number(document.querySelector('.poster')?.dataset.ready) > 0;
    });
    await ready(page);
    await shootScreen(page, 'venue-poster', { ready });

    // Print: the poster in Vietnamese (the venue's country) and English by default.
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(RESULTS, 'screenshots', 'venue-poster-print.png'), fullPage: true });
    const pdf = join(RESULTS, 'poster.pdf');
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const pages = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)[1];
    assert.equal(pages, '1', 'the poster fits one A4 page');
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', pdf, join(RESULTS, 'poster')]);
    const read = execFileSync('zbarimg', ['-q', '--raw', join(RESULTS, 'poster.png')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    assert.equal(read, poster.qr_text, 'zbarimg reads the printed poster back to the venue QR text');

    // Alerts (command officer): one raised by a gate reading, listed and acknowledged.
    await page.goto(`${stack.base}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, stack.base, 'officer.province');
    assert.equal(new URL(page.url()).pathname, '/alerts');
    await page.waitForSelector('[data-testid=feed-state]');
    const k = (await apiLogin(stack.api, 'checkpoint.mongcai')).token;
    const me = { person_id: (await mongCaiResident(stack.api)).id }; // inside the gate's unit
    const r = await fetch(`${stack.api}/api/v1/devices/readings`, {
      method: 'POST', headers: { Authorization: `Bearer ${k}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'temperature', person_id: me.person_id, temperature_c: 38.7 }),
    });
    const alert = (await r.json()).alert;
    assert.ok(alert?.id, 'the reading raised an alert');
    const live = (await page.getAttribute('[data-testid=feed-state]', 'class')).includes('feed-live');
    if (!live) await page.reload(); // no WebSocket on this server yet: the list shows it after a reload
    const row = page.locator(`tr[data-alert-id="${alert.id}"]`);
    await row.waitFor({ timeout: live ? 10000 : 5000 });
    console.log(`    alert ${alert.id} ${live ? 'arrived live over the WebSocket' : 'listed after reload (no /api/v1/ws yet)'}`);
    await shootScreen(page, 'alerts');
    await page.setViewportSize({ width: 1920, height: 1080 }); // a command centre's wall screen
    await shootScreen(page, 'alerts-wall', { langs: ['en', 'vi'], fullPage: false });
    await page.setViewportSize({ width: 1280, height: 900 });
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await row.waitFor({ state: 'detached' });
    await checkA11y(page, 'alerts after acknowledge');

    // Every role lands on its own screen: the lab on its results (the welcome is for devices).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, stack.base, 'lab');
    assert.equal(new URL(page.url()).pathname, '/lab');
  } finally {
    await browser.close();
  }
}
