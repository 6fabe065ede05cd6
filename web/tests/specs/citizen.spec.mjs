// A citizen signs in, checks in by scanning a poster with the (fake) camera, sees their code
// and its reasons, switches to Thai (remembered across a reload), reports symptoms, checks
// out, and still sees the last code with the network cut off.
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet } from '../lib/servers.mjs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { assert, newPage, signIn, shootScreen, checkA11y, setLanguage, RESULTS } from '../lib/harness.mjs';

export const name = 'citizen: scan a poster to check in, code and reasons, Thai, offline copy';

export async function run({ stack, camera, posterVenue }) {
  const browser = await launch({ camera });
  try {
    const page = await newPage(browser.context);
    const base = stack.base;

    await page.goto(`${base}/`);
    await page.waitForSelector('#username');
    await shootScreen(page, 'sign-in');
    await page.goto(`${base}/register`);
    await page.waitForSelector('#reg-full_name');
    await shootScreen(page, 'register');

    await signIn(page, base, 'citizen');
    assert.equal(new URL(page.url()).pathname, '/me/code', 'a citizen lands on their code');
    await page.waitForSelector('.code-card[data-colour]');
    const colour = await page.getAttribute('.code-card', 'data-colour');
    assert.ok(['green', 'yellow', 'red'].includes(colour));
    const reasons = await page.locator('.reasons li').count();
    if (colour !== 'green') assert.ok(reasons > 0, 'a red or yellow code shows its reasons');
    const reasonLines = await page.locator('.reasons li').allInnerTexts();
    assert.equal(new Set(reasonLines).size, reasonLines.length, `each reason is said once: ${reasonLines.join(' / ')}`);
    await shootScreen(page, 'citizen-code', { ready: (p) => p.waitForSelector('.code-card svg') });
    // The QR drawn on the phone reads back, with a real reader, to the credential the screen was
    // given (the copy it keeps for offline use; the server signs afresh on each request).
    await page.waitForLoadState('networkidle'); // the language round above fetched new copies
    await page.locator('.code-card svg').screenshot({ path: join(RESULTS, 'citizen-code-qr.png') });
    const read = execFileSync('zbarimg', ['-q', '--raw', join(RESULTS, 'citizen-code-qr.png')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const shown = await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('mekong.code.'));
      return JSON.parse(localStorage.getItem(key)).credential.qr_text;
    });
    assert.match(read, /^MK1:/, 'the screen shows an MK1 code');
    assert.equal(read, shown, 'zbarimg reads the drawn QR back to the credential');

    // Check in with the camera pointed at the poster.
    await page.click('nav a[href="/me/check-in"]');
    await page.getByRole('button', { name: 'Scan the poster with the camera' }).click();
    await page.waitForSelector('[data-testid=checked-in]', { timeout: 20000 });
    const token = (await apiLogin(stack.api, 'citizen')).token;
    const me = await apiGet(stack.api, token, '/auth/me');
    const visits = await apiGet(stack.api, token, `/people/${me.person_id}/checkins`);
    const latest = visits.items.sort((a, b) => Date.parse(b.time_in) - Date.parse(a.time_in))[0];
    assert.equal(latest.venue_id, posterVenue.id, 'the check-in is at the scanned venue');
    assert.ok(Date.now() - Date.parse(latest.time_in) < 120000, 'and it is fresh');
    await shootScreen(page, 'citizen-check-in');

    await page.click('nav a[href="/me/visits"]');
    await page.waitForSelector('table tbody tr');
    await shootScreen(page, 'citizen-visits');

    await page.click('nav a[href="/me/exposure"]');
    await page.waitForSelector('.notice');
    await shootScreen(page, 'citizen-exposure');

    await page.click('nav a[href="/me/symptoms"]');
    await page.waitForSelector('fieldset');
    await shootScreen(page, 'citizen-symptoms');
    await page.getByLabel('Cough').check();
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.getByText('Thank you. Your report was sent.').waitFor();

    // My EU certificates: the server has no route for them yet, so the screen says so.
    await page.click('nav a[href="/me/certificates"]');
    await page.waitForSelector('.notice');
    await shootScreen(page, 'citizen-certificates');

    // Check out of the stay we scanned into.
    await page.click('nav a[href="/me/check-in"]');
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.getByText('You are checked out. Thank you.').waitFor();

    // Thai: the code's reasons in Thai, remembered after a reload.
    await page.click('nav a[href="/me/code"]');
    await page.waitForSelector('.code-card');
    await setLanguage(page, 'th');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'รหัสสุขภาพของฉัน');
    const thaiReasons = await page.locator('.reasons').innerText();
    assert.match(thaiReasons, /[\u0E00-\u0E7F]/, 'reasons are in Thai script');
    assert.doesNotMatch(thaiReasons, /close contact|confirmed case|reported symptoms|Until /i, 'no English reason left');
    await page.reload();
    await page.waitForSelector('.code-card');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'th', 'the choice is remembered');
    await checkA11y(page, 'citizen-code (th, after reload)');
    await setLanguage(page, 'en');

    // Offline: the service worker serves the shell, the app its last copy of the code.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 10000 }).catch(async () => { await page.reload(); });
    await browser.context.setOffline(true);
    await page.reload();
    await page.waitForSelector('.code-card[data-colour]');
    await page.getByText(/You are offline\. This is the copy saved on/).waitFor();
    assert.equal(await page.getAttribute('.code-card', 'data-colour'), colour, 'the offline copy keeps its colour');
    await shootScreen(page, 'citizen-code-offline', { langs: ['en', 'th'] });
    await browser.context.setOffline(false);
  } finally {
    await browser.close();
  }
}
