// The API reference at /api/docs renders in Chromium from the binary's own files (Swagger UI
// from npm over the generated OpenAPI document), with the network cut off from everything but
// the server, and lists every operation the document has.
import { join } from 'node:path';
import { launch } from '../lib/browser.mjs';
import { assert, newPage, RESULTS } from '../lib/harness.mjs';

export const name = 'api reference: /api/docs renders every operation from the server alone';

export async function run({ stack }) {
  const doc = await (await fetch(`${stack.api}/api/v1/openapi.json`)).json();
  const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
  const browser = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await newPage(browser.context);
    const outside = [];
    page.on('request', (r) => { if (!r.url().startsWith(stack.base) && !r.url().startsWith('data:')) outside.push(r.url()); });
    const violations = [];
    page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) violations.push(m.text()); });
    await page.goto(`${stack.base}/api/docs`);
    await page.waitForSelector('.opblock', { timeout: 60000 });
    const shown = await page.locator('.opblock').count();
    assert.equal(shown, operations, 'every operation of the OpenAPI document is listed');
    assert.match(await page.innerText('.information-container'), /Mekong API/);
    assert.deepEqual(outside, [], 'nothing loads from anywhere but the server');
    assert.deepEqual(violations, [], 'no Content Security Policy violation');
    await page.screenshot({ path: join(RESULTS, 'screenshots', 'api-docs.png'), fullPage: false });
  } finally {
    await browser.close();
  }
}
