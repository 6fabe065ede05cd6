// Wall-clock times in an IANA zone <-> instants, without a time-zone library: Intl gives the
// zone's offset at any instant, and a local time is found by correcting a first guess with the
// offsets on either side of a DST change. Used for the tracer's date fields:
// the tracer types local times in their own zone and the API gets RFC 3339 UTC.

const partsCache = new Map();
function formatter(tz) {
  let f = partsCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partsCache.set(tz, f);
  }
  return f;
}

function wallClock(ms, tz) {
  const p = {};
  for (const { type, value } of formatter(tz).formatToParts(new Date(ms))) p[type] = value;
  return { y: +p.year, mo: +p.month, d: +p.day, h: +p.hour % 24, mi: +p.minute, s: +p.second };
}

/** The zone's offset from UTC at an instant, in milliseconds (Asia/Ho_Chi_Minh: +7 h). */
export function offsetAt(ms, tz) {
  const w = wallClock(ms, tz);
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * "2026-11-30T08:30" (an <input type=datetime-local> value) read in zone tz -> Date, or null
 * when the text is not such a time. A time a DST change skips is moved forward by the gap.
 */
export function fromZonedLocal(value, tz) {
  const m = LOCAL.exec(value || '');
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x || 0));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  // The offsets a day either side bracket any DST change: try both (as Temporal's
  // 'compatible' does, the earlier of a repeated time, and a skipped one moved forward).
  const before = guess - offsetAt(guess - 86400000, tz);
  const after = guess - offsetAt(guess + 86400000, tz);
  const fits = (t) => offsetAt(t, tz) === guess - t;
  const ok = [before, after].filter(fits).sort((a, b) => a - b);
  const t = ok.length ? ok[0] : before;
  return new Date(t);
}

/** An instant as the datetime-local text of zone tz ("2026-11-30T08:30"). */
export function toZonedLocal(v, tz) {
  const w = wallClock(v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v), tz);
  const p = (n, l = 2) => String(n).padStart(l, '0');
  return `${p(w.y, 4)}-${p(w.mo)}-${p(w.d)}T${p(w.h)}:${p(w.mi)}`;
}

/** RFC 3339 in UTC with a Z, as the API wants it: "2026-11-30T01:30:00Z". */
export const rfc3339 = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

// The calendar day in zone tz at an instant, 'YYYY-MM-DD' as the API takes days; from the parts,
// as everything here: en-CA's format() writes 12/2/2026 under Debian 12's ICU.
export const dayIn = (tz, t = Date.now()) => toZonedLocal(t, tz || 'UTC').slice(0, 10);

/** 'YYYY-MM-DD' plus n days (calendar arithmetic on the date alone). */
export function addDays(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
