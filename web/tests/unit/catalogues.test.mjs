// Every language has every key of every area, with the same {placeholders}, and no text is
// left identical to English unless it is a true loan word or code listed in loanwords.json
// (key -> the languages where the English form is the right one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CODES } from '../../src/i18n/languages.js';

const SRC = new URL('../../src/', import.meta.url).pathname;
const LOCALES = join(SRC, 'locales');
const read = (lang, area) => JSON.parse(readFileSync(join(LOCALES, lang, `${area}.json`), 'utf8'));
const AREAS = readdirSync(join(LOCALES, 'en')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
const LOAN = JSON.parse(readFileSync(new URL('./loanwords.json', import.meta.url), 'utf8'));
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('there are 15 languages and a folder for each', () => {
  assert.equal(CODES.length, 15);
  for (const lang of CODES) assert.ok(existsSync(join(LOCALES, lang)), `locales/${lang}/ is missing`);
  assert.deepEqual(readdirSync(LOCALES).sort(), [...CODES].sort(), 'a locale folder for a language we do not list');
});

// JSON.parse keeps the last of two equal keys: a key written twice (two screens merged with the
// same name) silently loses one text, so the files are read as text for it.
test('no catalogue holds a key twice', () => {
  const twice = [];
  for (const lang of CODES) {
    for (const area of AREAS) {
      const file = join(LOCALES, lang, `${area}.json`);
      if (!existsSync(file)) continue;
      const seen = new Set();
      for (const m of readFileSync(file, 'utf8').matchAll(/^\s*"((?:[^"\\]|\\.)*)"\s*:/gm)) {
        if (seen.has(m[1])) twice.push(`${lang}/${area}.json: ${m[1]}`);
        seen.add(m[1]);
      }
    }
  }
  assert.deepEqual(twice, []);
});

for (const lang of CODES) {
  test(`${lang}: every key, same placeholders, translated`, () => {
    const problems = [];
    for (const area of AREAS) {
      const en = read('en', area);
      if (!existsSync(join(LOCALES, lang, `${area}.json`))) { problems.push(`${area}.json is missing`); continue; }
      const cat = read(lang, area);
      for (const key of Object.keys(en)) {
        const id = `${area}.${key}`;
        const text = cat[key];
        if (typeof text !== 'string' || !text.trim()) { problems.push(`missing ${id}`); continue; }
        if (placeholders(text).join() !== placeholders(en[key]).join()) problems.push(`placeholders differ in ${id}: ${text}`);
        if (lang !== 'en' && text === en[key] && !(LOAN[id] || []).includes(lang)) problems.push(`left in English: ${id} = ${text}`);
      }
      for (const key of Object.keys(cat)) if (!(key in en)) problems.push(`extra key ${area}.${key} (not in English)`);
    }
    assert.deepEqual(problems, []);
  });
}

test('the loan-word list stays short and names real keys', () => {
  const entries = Object.entries(LOAN);
  assert.ok(entries.length <= 12, 'the allow-list is for true loan words and codes only');
  for (const [id] of entries) {
    const [area, ...rest] = id.split('.');
    assert.ok(rest.join('.') in read('en', area), `${id} is not a key`);
  }
});

test('every key the code names exists in English', () => {
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) { if (e.name !== 'locales') walk(join(d, e.name)); }
      else if (/\.(jsx?|mjs)$/.test(e.name)) files.push(join(d, e.name));
    }
  };
  walk(SRC);
  const missing = [];
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\bt(?:In)?\((?:[a-z]+, )?'([a-z]+)\.([A-Za-z0-9_.]+)'/g)) {
      const [, area, key] = m;
      if (!AREAS.includes(area) || !(key in read('en', area))) missing.push(`${f.replace(SRC, '')}: ${area}.${key}`);
    }
  }
  for (const f of [join(SRC, 'app/routes.js')]) {
    for (const m of readFileSync(f, 'utf8').matchAll(/nav: '([a-z]+)\.([A-Za-z0-9_.]+)'/g)) {
      if (!(m[2] in read('en', m[1]))) missing.push(`routes.js: ${m[1]}.${m[2]}`);
    }
  }
  assert.deepEqual(missing, []);
});
