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
    // Tags start collapsed: open each and find every one of its operations.
    const byTag = {};
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) byTag[op.tags[0]] = (byTag[op.tags[0]] || 0) + 1;
    await page.waitForSelector('.opblock-tag', { timeout: 60000 });
    assert.equal(await page.locator('.opblock-tag').count(), Object.keys(byTag).length, 'a section per tag');
    let shown = 0;
    for (const [tag, n] of Object.entries(byTag)) {
      const section = page.locator('.opblock-tag-section').filter({ has: page.locator(`[data-tag="${tag}"]`) });
      await section.locator('.opblock-tag').click();
      await section.locator('.opblock').nth(n - 1).waitFor({ timeout: 30000 });
      assert.equal(await section.locator('.opblock').count(), n, `every operation of ${tag}`);
      shown += n;
      if (tag !== 'tracing') await section.locator('.opblock-tag').click(); // close it again
    }
    assert.equal(shown, operations, 'every operation of the OpenAPI document is listed');
    await page.locator('.opblock-tag-section [data-tag="tracing"]').scrollIntoViewIfNeeded();
    assert.match(await page.innerText('.information-container'), /Mekong API/);
    assert.deepEqual(outside, [], 'nothing loads from anywhere but the server');
    assert.deepEqual(violations, [], 'no Content Security Policy violation');
    await page.screenshot({ path: join(RESULTS, 'screenshots', 'api-docs.png'), fullPage: false });
  } finally {
    await browser.close();
  }
}
