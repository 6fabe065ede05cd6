// Calendar days as 'YYYY-MM-DD', the form the API takes. Built from formatToParts: the pattern
// of a locale's short date changes between ICU versions (en-CA writes 2026-12-02 with one and
// 12/2/2026 with Debian 12's), so no locale's format() is trusted to give it.

/** The day in an IANA zone at instant t (a Date or epoch milliseconds). */
export function dayIn(zone, t = Date.now()) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone || 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(t));
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** 'YYYY-MM-DD' plus n days. */
export function addDays(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
