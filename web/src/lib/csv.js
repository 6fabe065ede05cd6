// CSV as RFC 4180 says: CRLF between records, a field in double quotes when it holds a comma,
// a quote, CR or LF, quotes doubled inside. UTF-8 with a byte-order mark, so that spreadsheets
// (Excel reads a BOM-less file as the local ANSI code page) show Vietnamese names as written.
// Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) get a
// leading apostrophe (OWASP's advice against CSV injection); numbers are written as numbers.

const FORMULA = /^[=+\-@\t\r]/;

export function csvField(v) {
  if (v == null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** rows: arrays of cells (the first is the header). Returns the text, BOM first. */
export function toCsv(rows) {
  return '\uFEFF' + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Parse RFC 4180 text back into rows (for tests and for checking a file); drops the BOM. */
export function parseCsv(text) {
  const s = text.replace(/^\uFEFF/, '');
  const rows = [];
  let row = [], field = '', i = 0, quoted = false;
  while (i < s.length) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && s[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
    field += c; i++;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** Offer text as a download named `name` (a Blob URL, revoked after the click). */
export function download(name, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
