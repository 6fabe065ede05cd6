// A small spec runner and the helpers the browser specs share: sign in through the UI,
// axe-core checks, screenshots in several languages. Output ends with "N passed, N failed".
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
export const AXE = require.resolve('axe-core/axe.min.js');
export const RESULTS = new URL('../../test-results/', import.meta.url).pathname;
export const SHOTS = join(RESULTS, 'screenshots');
/** The languages every screen is photographed in. */
export const SHOT_LANGS = ['en', 'vi', 'th', 'my', 'km'];
export { assert };

// A spec that waits on something that never comes (a promise in the page has no timeout of its
// own) fails after this long instead of holding the whole run.
const SPEC_SECONDS = Number(process.env.MEKONG_SPEC_SECONDS || 600);

// The step a spec last announced, so that a spec that times out says where it stood.
let lastStep = null;
export function step(name) {
  lastStep = { name, at: Date.now() };
}

export async function runSpecs(specs, ctx) {
  let passed = 0, failed = 0;
  const report = [];
  for (const spec of specs) {
    const t0 = Date.now();
    let timer;
    lastStep = null;
    try {
      await Promise.race([
        spec.run(ctx),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no result within ${SPEC_SECONDS} s` + (lastStep ? ` (last step: ${lastStep.name}, begun ${((lastStep.at - t0) / 1000).toFixed(1)} s in)` : ''))), SPEC_SECONDS * 1000); }),
      ]);
      passed++;
      report.push({ name: spec.name, ok: true, ms: Date.now() - t0 });
      console.log(`ok - ${spec.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      report.push({ name: spec.name, ok: false, ms: Date.now() - t0, error: String(e?.stack || e) });
      console.log(`not ok - ${spec.name}\n${String(e?.stack || e).split('\n').map((l) => '    ' + l).join('\n')}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return { passed, failed, report };
}

/** Collects axe findings per screen; serious/critical ones fail the spec that found them. */
export const axeFindings = [];

// axe-core goes in through the DevTools protocol (page.evaluate), which the app's Content
// Security Policy (script-src 'self', no inline scripts) rightly does not let a page do.
let axeSource = null;
export async function checkA11y(page, screen) {
  if (!(await page.evaluate(() => !!window.axe))) {
    axeSource ??= readFileSync(AXE, 'utf8');
    await page.evaluate(axeSource);
  }
  const r = await page.evaluate(async () => {
    const res = await window.axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.html.slice(0, 120)} — ${(n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 200)}`) }));
  });
  axeFindings.push({ screen, violations: r });
  const bad = r.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `axe on ${screen}: ${JSON.stringify(bad, null, 1)}`);
}

// (?<!\/): a file path the server names (docs/screening.md) is not a key.
const KEY_SHOWN = /(?<!\/)\b(common|auth|citizen|checkpoint|venue|alerts|register|tracer|command|admin|telehealth|testing|population|epi|outbreak|hotline|messages|sites|documents|screening)\.[a-z]+[A-Za-z_.]*\b/;
const ENGLISH_DATES = /\b(January|February|March|April|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|seconds? ago|minutes? ago|hours? ago|days? ago|in \d+ (seconds?|minutes?|hours?|days?)|yesterday|tomorrow)\b/;

/** No catalogue key shown raw, and in a translated screen no English date words (Intl fallbacks). */
export async function checkNoLeftovers(page, screen, code) {
  const text = await page.evaluate(() => {
    const body = document.body.cloneNode(true);
    body.querySelectorAll('.who-name').forEach((e) => e.remove()); // user names look like keys
    return body.innerText;
  });
  const key = text.match(KEY_SHOWN);
  assert.equal(key, null, `${screen}: a catalogue key is shown: ${key?.[0]}`);
  if (code !== 'en') {
    const en = text.match(ENGLISH_DATES);
    assert.equal(en, null, `${screen}: English left in a translated screen: ${en?.[0]}`);
  }
}

export async function newPage(context) {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`    [page error] ${e.message}`));
  return page;
}

export async function signIn(page, base, username, password = 'mekong-demo') {
  await page.goto(`${base}/sign-in`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('form button[type=submit]');
  await page.waitForFunction(() => !location.pathname.startsWith('/sign-in'));
}

/** Pick a language with the header's picker and wait for the screen to re-render in it. */
export async function setLanguage(page, code) {
  await page.focus('#lang-select'); // as a person's tap does: the list fills on focus (ui.jsx)
  await page.selectOption('#lang-select', code);
  await page.waitForFunction((c) => document.documentElement.lang === c, code);
  await page.waitForTimeout(150); // the area catalogue arrives as its own chunk
}

/** Screenshot (and axe-check) the current screen in each of SHOT_LANGS; back to English after. */
export async function shootScreen(page, name, { ready, langs = SHOT_LANGS, fullPage = true } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  for (const code of langs) {
    step(`${name} in ${code}`);
    await setLanguage(page, code);
    if (ready) await ready(page, code);
    await page.screenshot({ path: join(SHOTS, `${name}.${code}.png`), fullPage });
    await checkA11y(page, `${name} (${code})`);
    await checkNoLeftovers(page, `${name} (${code})`, code);
  }
  await setLanguage(page, 'en');
}

export function writeJson(name, data) {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, name), JSON.stringify(data, null, 2));
}
