// What only the hotline desk's screens need: a language's name in the reader's language, the
// summary's durations in hours and minutes and its shares as percents.
import { t, lang, intlLocales, fmtNumber } from '../../i18n/index.js';
import { hasFallback } from '../../i18n/fallback.js';
import { NAMES } from './names.js';

const displayNames = new Map();
/**
 * A language's name in the reader's language (Intl.DisplayNames). Chromium ships no language
 * names for Khmer, Lao and Burmese readers (it answers in English), and none for Tetum in any
 * language (it answers "tet"): those come from names.js and the catalogue.
 */
export function languageName(code, reader = lang.get()) {
  if (hasFallback(reader)) return NAMES[reader]?.[code] || code;
  let d = displayNames.get(reader);
  if (!d) {
    d = new Intl.DisplayNames(intlLocales(reader), { type: 'language', fallback: 'none' });
    displayNames.set(reader, d);
  }
  let name;
  try {
    name = d.of(code);
  } catch {
    name = undefined;
  }
  if (!name || name === code) return code === 'tet' ? t('hotline.lang.tet') : code;
  return name;
}

/** A number of seconds as hours and minutes in the reader's words ("3 h 5 min"); null: "—". */
export function fmtDuration(seconds) {
  if (seconds == null) return '—';
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) return t('hotline.dur.underMinute');
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (!h) return t('hotline.dur.m', { m: fmtNumber(m) });
  return t('hotline.dur.hm', { h: fmtNumber(h), m: fmtNumber(m) });
}

/** A share 0..1 as a percent in the reader's digits; null: "—". */
export const fmtShare = (x) => (x == null ? '—' : fmtNumber(x, { style: 'percent', maximumFractionDigits: 0 }));
