// Translations and locale formatting.
//
// Catalogues are web/src/locales/<lang>/<area>.json: flat objects of "key": "text", with
// {name} placeholders. A key is written `area.key` in code: t('citizen.code.title') reads
// "code.title" from locales/<lang>/citizen.json. Each catalogue is its own small chunk, loaded
// when a screen of its area opens (the route table names the area), so a citizen never
// downloads the checkpoint's strings. tests/unit/catalogues.test.mjs checks that every
// language has every key and that none is left in English.
import { store, saved, useStore } from '../app/store.js';
import { dayIn } from '../lib/zoned.js';
import { LANGUAGES, CODES, pickLanguage } from './languages.js';
import { hasFallback, formatDateTime, formatRelative, digits, regionName } from './fallback.js';

const loaders = import.meta.glob('../locales/*/*.json', { import: 'default' });
const catalogues = {}; // "lang/area" -> object
const pending = {};

export const lang = store(saved.get('mekong.lang') || pickLanguage(navigator.languages || [navigator.language]));
/** The IANA time zone dates are shown in: the person's (from the API) or else the browser's. */
export const timeZone = store(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
/** Bumped whenever a catalogue arrives, so screens re-render. */
const loaded = store(0);

const inUse = new Set(['common']); // areas the app has needed so far

/**
 * Switch language atomically: the catalogues of every area in use are loaded first, so the
 * screen never shows keys. Returns false (and keeps the old language) if they cannot load,
 * e.g. offline before the service worker has them.
 */
export async function setLanguage(code) {
  if (!CODES.includes(code)) return false;
  try {
    await loadAreas([...inUse], code);
  } catch {
    return false;
  }
  saved.set('mekong.lang', code);
  lang.set(code);
  return true;
}

export function setTimeZone(tz) {
  if (!tz) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    timeZone.set(tz);
  } catch {
    /* not an IANA zone this browser knows: keep the current one */
  }
}

/** Load an area's catalogue in a language (default: the current one). */
export function loadArea(area, code = lang.get()) {
  if (code === lang.get()) inUse.add(area);
  const id = `${code}/${area}`;
  if (catalogues[id]) return Promise.resolve(catalogues[id]);
  if (pending[id]) return pending[id];
  const load = loaders[`../locales/${id}.json`];
  if (!load) return Promise.reject(new Error(`no catalogue ${id}`));
  pending[id] = load().then(
    (cat) => {
      catalogues[id] = cat;
      delete pending[id];
      loaded.set(loaded.get() + 1);
      return cat;
    },
    (e) => {
      delete pending[id];
      throw e;
    },
  );
  return pending[id];
}

export function loadAreas(areas, code = lang.get()) {
  return Promise.all(areas.map((a) => loadArea(a, code)));
}

function lookup(code, key) {
  const dot = key.indexOf('.');
  const cat = catalogues[`${code}/${key.slice(0, dot)}`];
  return cat ? cat[key.slice(dot + 1)] : undefined;
}

function fill(text, vars) {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** The text for `area.key` in a given language (for posters in several languages). */
export function tIn(code, key, vars) {
  // English is the fallback when a catalogue could not be loaded (it is never shipped short:
  // tests/unit/catalogues.test.mjs).
  const text = lookup(code, key) ?? lookup('en', key);
  if (text === undefined) {
    if (import.meta.env.DEV) console.warn(`missing ${code}: ${key}`);
    return key;
  }
  return fill(text, vars);
}

export function t(key, vars) {
  return tIn(lang.get(), key, vars);
}

/** Re-render on language change and when catalogues arrive; returns t. */
export function useT() {
  useStore(lang);
  useStore(loaded);
  useStore(timeZone);
  return t;
}

export function intlLocales(code = lang.get()) {
  return (LANGUAGES.find((l) => l.code === code) || LANGUAGES[0]).intl;
}

const toDate = (v) => (v instanceof Date ? v : new Date(typeof v === 'number' ? v : String(v)));

/** Date and time in the person's time zone (or opts.timeZone): fmtDateTime(iso, { dateStyle: 'long' }). */
export function fmtDateTime(v, opts = { dateStyle: 'medium', timeStyle: 'short' }, code = lang.get()) {
  return fmtDateTimeIn(v, opts.timeZone || timeZone.get(), opts, code);
}

/** Date and time in a given IANA zone (another person's: the patient's beside the expert's). */
export function fmtDateTimeIn(v, tz, opts = { dateStyle: 'medium', timeStyle: 'short' }, code = lang.get()) {
  if (v == null) return '';
  if (hasFallback(code)) return formatDateTime(code, toDate(v), tz, opts);
  return dateFormat(code, tz, opts).format(toDate(v));
}

// Building an Intl.DateTimeFormat costs far more than formatting with one: keep them.
const formats = new Map();
function dateFormat(code, tz, opts) {
  const key = `${code}|${tz}|${JSON.stringify(opts)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocales(code), { timeZone: tz, ...opts });
    formats.set(key, f);
  }
  return f;
}
export const fmtDate = (v, code) => fmtDateTime(v, { dateStyle: 'long' }, code);
/**
 * A calendar day as the API gives it ('YYYY-MM-DD': a unit's local day, e.g. of an epidemic
 * curve) in the reader's language, with no zone shift: the day is already local.
 */
export function fmtDay(day, opts = { dateStyle: 'medium' }, code = lang.get()) {
  if (!day) return '';
  const d = new Date(`${day}T12:00:00Z`);
  if (hasFallback(code)) return formatDateTime(code, d, 'UTC', opts);
  return dateFormat(code, 'UTC', opts).format(d);
}

export const fmtTime = (v, code) => fmtDateTime(v, { timeStyle: 'short' }, code);

const numberFormats = new Map();
export function fmtNumber(n, opts, code = lang.get()) {
  const key = `${code}|${opts ? JSON.stringify(opts) : ''}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(intlLocales(code), opts);
    numberFormats.set(key, f);
  }
  return digits(code, f.format(n));
}

/** A country's name in the reader's language (ISO 3166 alpha-2). */
export function regionDisplayName(region, code = lang.get()) {
  return regionName(code, region) || new Intl.DisplayNames(intlLocales(code), { type: 'region' }).of(region);
}

/** "in 3 hours", "2 days ago" */
export function fmtRelative(v, now = Date.now(), code = lang.get()) {
  const s = Math.round((toDate(v).getTime() - now) / 1000);
  const a = Math.abs(s);
  const [value, unit] = a < 60 ? [s, 'second'] : a < 3600 ? [Math.round(s / 60), 'minute'] : a < 86400 ? [Math.round(s / 3600), 'hour'] : [Math.round(s / 86400), 'day'];
  if (hasFallback(code)) return formatRelative(code, value, unit);
  return new Intl.RelativeTimeFormat(intlLocales(code), { numeric: 'auto' }).format(value, unit);
}

// ISO 4217 minor units (shared/reference/domain.md). Money is {currency, minor} integers.
const MINOR = { CNY: 2, VND: 0, THB: 2, MYR: 2, IDR: 2, PHP: 2, SGD: 2, LAK: 2, KHR: 2, MMK: 2, BND: 2, USD: 2, JPY: 0, KRW: 0 };

/** fmtMoney({currency: 'VND', minor: 150000}) -> "150.000 ₫" in Vietnamese. */
export function fmtMoney({ currency, minor }, code = lang.get()) {
  const places = MINOR[currency] ?? 2;
  // Integer arithmetic until the last step: split into whole and fraction as strings.
  const neg = minor < 0;
  const abs = BigInt(Math.abs(minor));
  const scale = 10n ** BigInt(places);
  const whole = abs / scale;
  const frac = (abs % scale).toString().padStart(places, '0');
  const decimal = `${neg ? '-' : ''}${whole}${places ? '.' + frac : ''}`;
  const f = new Intl.NumberFormat(intlLocales(code), { style: 'currency', currency, minimumFractionDigits: places, maximumFractionDigits: places });
  return digits(code, f.format(decimal));
}

/** Day key YYYY-MM-DD in the current time zone (for ?day= queries). */
export function dayKey(v = Date.now()) {
  return dayIn(timeZone.get(), toDate(v));
}

// Keep <html lang> right for screen readers, fonts and hyphenation.
function applyLang(code) {
  document.documentElement.lang = code;
}
applyLang(lang.get());
lang.subscribe(applyLang);

export { LANGUAGES };
