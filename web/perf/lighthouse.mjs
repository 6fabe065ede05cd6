#!/usr/bin/env node
// Lighthouse (mobile: Moto G Power emulation, simulated slow 4G and a 4× slower CPU) on the
// citizen and checkpoint screens, driving Debian's Chromium, against a demo server started as
// the browser tests start it. Exits 1 when a screen scores under the budgets
// (performance 95, accessibility 100). Run after `npm run build` in web/:
//
//     cd web/perf && npm ci && MEKONG_BIN=../../build/apps/mekong/mekong node lighthouse.mjs [--runs 5] [screen ...]
//
// A signed-in screen needs the session in localStorage, so Lighthouse's own storage reset is off
// and each run instead clears, for the app's origin, everything but localStorage: the HTTP cache,
// the service worker and its caches. Each load is therefore a first visit of a signed-in person.
// The median of --runs (by performance score) is reported; the reports go to
// web/test-results/lighthouse/.
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, apiLogin, WEB } from '../tests/lib/servers.mjs';

const BUDGET = { performance: 95, accessibility: 100 };
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const RUNS = Number(arg('--runs', '5'));
const OUT = join(WEB, 'test-results', 'lighthouse');

// user: who is signed in (null: nobody); path: the screen.
const ALL_SCREENS = [
  { name: 'sign-in', user: null, path: '/sign-in' },
  { name: 'register', user: null, path: '/register' },
  { name: 'citizen: health code', user: 'citizen', path: '/me/code' },
  { name: 'citizen: check in', user: 'citizen', path: '/me/check-in' },
  { name: 'citizen: visits', user: 'citizen', path: '/me/visits' },
  { name: 'citizen: exposure check', user: 'citizen', path: '/me/exposure' },
  { name: 'citizen: symptoms', user: 'citizen', path: '/me/symptoms' },
  { name: 'citizen: certificates', user: 'citizen', path: '/me/certificates' },
  { name: 'checkpoint', user: 'checkpoint.mongcai', path: '/checkpoint' },
];

const only = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--runs');
const SCREENS = ALL_SCREENS.filter((s) => !only.length || only.some((o) => s.name.includes(o)));
const stack = await startStack({ people: 300, venues: 30 });
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const browserVersion = await browser.version();
mkdirSync(OUT, { recursive: true });
const sessions = {};
const rows = [];
let failed = false;
try {
  for (const s of SCREENS) {
    if (s.user && !sessions[s.user]) {
      const r = await apiLogin(stack.api, s.user);
      sessions[s.user] = { token: r.token, expires_at: r.expires_at, user: r.user };
    }
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage();
      const cdp = await page.createCDPSession();
      // A file of the app's origin that runs no script: the app would write its own session back.
      await page.goto(`${stack.base}/icon.svg`, { waitUntil: 'load' });
      await page.evaluate((session) => {
        localStorage.clear();
        localStorage.setItem('mekong.lang', JSON.stringify('en'));
        if (session) localStorage.setItem('mekong.session', JSON.stringify(session));
      }, s.user ? sessions[s.user] : null);
      await cdp.send('Storage.clearDataForOrigin', { origin: stack.base, storageTypes: 'service_workers,cache_storage,indexeddb' });
      await cdp.send('Network.clearBrowserCache');
      await page.goto('about:blank');
      const r = await lighthouse(`${stack.base}${s.path}`, {
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility'],
        disableStorageReset: true,
      }, undefined, page);
      const lhr = r.lhr;
      if (lhr.runtimeError) throw new Error(`${s.name}: ${lhr.runtimeError.message}`);
      const finalPath = new URL(lhr.finalDisplayedUrl).pathname;
      if (finalPath !== s.path) throw new Error(`${s.name}: ended at ${finalPath}, not ${s.path} (signed out?)`);
      runs.push(lhr);
      await page.close();
    }
    runs.sort((a, b) => a.categories.performance.score - b.categories.performance.score);
    const lhr = runs[Math.floor(runs.length / 2)];
    const file = `${s.name.replace(/[^a-z]+/g, '-')}.json`;
    writeFileSync(join(OUT, file), JSON.stringify(lhr));
    const score = (c) => Math.round(lhr.categories[c].score * 100);
    const ms = (a) => Math.round(lhr.audits[a].numericValue);
    const row = {
      screen: s.name,
      performance: score('performance'),
      performanceRuns: runs.map((x) => Math.round(x.categories.performance.score * 100)),
      accessibility: score('accessibility'),
      fcp: ms('first-contentful-paint'),
      lcp: ms('largest-contentful-paint'),
      tbt: ms('total-blocking-time'),
      cls: lhr.audits['cumulative-layout-shift'].numericValue,
      bytes: lhr.audits['total-byte-weight'].numericValue,
      failedA11y: lhr.categories.accessibility.auditRefs
        .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
        .map((ref) => ref.id),
    };
    rows.push(row);
    const over = row.performance < BUDGET.performance || row.accessibility < BUDGET.accessibility;
    failed ||= over;
    console.log(`${over ? 'not ok' : 'ok'} - ${s.name}: performance ${row.performance} (runs ${row.performanceRuns.join(', ')}), accessibility ${row.accessibility}` +
      `, FCP ${row.fcp} ms, LCP ${row.lcp} ms, TBT ${row.tbt} ms, CLS ${row.cls.toFixed(3)}, ${(row.bytes / 1024).toFixed(1)} KB` +
      (row.failedA11y.length ? `; accessibility audits failed: ${row.failedA11y.join(', ')}` : ''));
  }
} finally {
  await browser.close().catch(() => {});
  await stack.stop();
}
const version = JSON.parse(readFileSync(new URL('node_modules/lighthouse/package.json', import.meta.url), 'utf8')).version;
writeFileSync(join(OUT, 'summary.json'), JSON.stringify({ chromium: browserVersion, lighthouse: version, runs: RUNS, rows }, null, 2));
console.log(`# ${browserVersion}, Lighthouse ${version}, median of ${RUNS} runs; reports in ${OUT}`);
process.exit(failed ? 1 : 0);
