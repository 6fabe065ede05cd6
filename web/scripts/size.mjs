#!/usr/bin/env node
// npm run size — gzipped sizes of the build (run `npm run build` first), per chunk and per
// role's screens, from dist/.vite/manifest.json. A role's figure is everything its screens
// can load: the shell, each of its screens, what they import (static and lazy, e.g. jsQR for
// the camera) and its catalogues in the heaviest language. Exits 1 over a budget.
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const DIST = new URL('../dist/', import.meta.url).pathname;
const BUDGET_KB = { citizen: 150 };
const manifest = JSON.parse(readFileSync(join(DIST, '.vite/manifest.json'), 'utf8'));
const gz = (file) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1).padStart(7);

function closure(keys, { lazy = true } = {}) {
  const seen = new Set();
  const walk = (k) => {
    const m = manifest[k];
    if (!m || seen.has(m.file)) return;
    seen.add(m.file);
    for (const i of m.imports || []) walk(i);
    if (lazy) for (const i of m.dynamicImports || []) if (!/\/locales\/|\/areas\//.test(i) || keys.includes(i)) walk(i);
  };
  keys.forEach(walk);
  return seen;
}

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const shell = closure([entry], { lazy: false });
const langs = [...new Set(Object.keys(manifest).map((k) => k.match(/locales\/([a-z]+)\//)?.[1]).filter(Boolean))];
const areaKeys = (dir) => Object.keys(manifest).filter((k) => k.startsWith(`src/areas/${dir}/`) && k.endsWith('.jsx'));
const catalogues = (areas) => Math.max(...langs.map((l) => areas.reduce((n, a) => n + gz(manifest[`src/locales/${l}/${a}.json`].file), 0)));
const sum = (files) => [...files].reduce((n, f) => n + gz(f), 0);

const HOTLINE_CITIZEN = ['src/areas/hotline/MyQuestions.jsx', 'src/areas/hotline/MyQuestion.jsx'];
const MESSAGES_CITIZEN = ['src/areas/messages/Inbox.jsx'];
const roles = {
  // The hotline's citizen screens ("My questions") and "My messages" count in the citizen's figure;
  // the hotline's desk and the outbox are lines of their own.
  citizen: { screens: [...areaKeys('citizen'), ...areaKeys('auth'), ...areaKeys('register'), ...HOTLINE_CITIZEN, ...MESSAGES_CITIZEN], areas: ['common', 'auth', 'register', 'citizen', 'hotline', 'messages'] },
  checkpoint: { screens: [...areaKeys('checkpoint'), ...areaKeys('auth')], areas: ['common', 'auth', 'checkpoint'] },
  venue: { screens: [...areaKeys('venue'), ...areaKeys('auth')], areas: ['common', 'auth', 'venue'] },
  alerts: { screens: [...areaKeys('alerts'), ...areaKeys('auth')], areas: ['common', 'auth', 'alerts'] },
  tracer: { screens: [...areaKeys('tracer'), ...areaKeys('auth')], areas: ['common', 'auth', 'tracer'] },
  command: { screens: [...areaKeys('command'), ...areaKeys('alerts'), ...areaKeys('auth')], areas: ['common', 'auth', 'command', 'alerts'] },
  admin: { screens: [...areaKeys('admin'), ...areaKeys('auth')], areas: ['common', 'auth', 'admin'] },
  hotline: { screens: [...areaKeys('hotline').filter((k) => !HOTLINE_CITIZEN.includes(k)), ...areaKeys('auth')], areas: ['common', 'auth', 'hotline'] },
  outbox: { screens: [...areaKeys('messages').filter((k) => !MESSAGES_CITIZEN.includes(k)), ...areaKeys('auth')], areas: ['common', 'auth', 'messages'] },
  sites: { screens: [...areaKeys('sites'), ...areaKeys('auth')], areas: ['common', 'auth', 'sites'] },
};

console.log('chunk'.padEnd(44), '   gzip KB');
const files = Object.values(manifest).map((m) => m.file).filter((f, i, a) => a.indexOf(f) === i && !/\/(common|auth|citizen|checkpoint|venue|alerts|register|tracer|command|admin|hotline|messages|sites)-/.test(f));
for (const f of files.sort((a, b) => gz(b) - gz(a))) console.log(f.padEnd(44), kb(gz(f)));
console.log(`(catalogue chunks: ${langs.length} languages x ${Object.keys(manifest).filter((k) => k.startsWith('src/locales/en/')).length} areas, ${kb(sum(Object.values(manifest).filter((m) => m.src?.includes('/locales/')).map((m) => m.file)))} KB gzip in all)`);
console.log(`shell (first load, before any screen)`.padEnd(44), kb(sum(shell)));

let over = false;
for (const [role, r] of Object.entries(roles)) {
  const js = sum(closure([entry, ...r.screens]));
  const total = js + catalogues(r.areas);
  const budget = BUDGET_KB[role];
  const flag = budget ? (total / 1024 <= budget ? `  (budget ${budget} KB: ok)` : `  (budget ${budget} KB: OVER)`) : '';
  if (budget && total / 1024 > budget) over = true;
  console.log(`${role}: all screens + lazy code + catalogues`.padEnd(44), kb(total) + flag);
}
process.exit(over ? 1 : 0);
