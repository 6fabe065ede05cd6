// What changes between two policy files, rule by rule: both are parsed (smol-toml, only in the
// administrator's chunk) and flattened to dotted settings ("rules.close_contact.days"); risk
// areas are keyed by their id. Comments and layout do not count as changes.
import { parse } from 'smol-toml';

const isTable = (v) => v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

export function flatten(obj, prefix = '', out = new Map()) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isTable(v)) flatten(v, key, out);
    else if (Array.isArray(v) && v.length && v.every(isTable)) v.forEach((item, i) => flatten(item, `${key}[${item.id ?? i}]`, out));
    else out.set(key, v);
  }
  return out;
}

export function show(v) {
  if (v === undefined) return '';
  if (v instanceof Date) return v.toISOString(); // smol-toml's TomlDate keeps local dates local
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? `[${v.map(show).join(', ')}]` : String(v);
}

/**
 * {before: {version, name}, after: {version, name}, changes: [{key, kind, from, to}]} or
 * {error} when a text does not parse (the server's check gives the lines).
 */
export function diffPolicies(activeText, newText) {
  let a, b;
  try {
    a = parse(activeText);
    b = parse(newText);
  } catch (e) {
    return { error: e.message };
  }
  const fa = flatten(a), fb = flatten(b);
  const changes = [];
  for (const key of new Set([...fa.keys(), ...fb.keys()])) {
    if (key === 'version') continue;
    const from = fa.get(key), to = fb.get(key);
    if (!fa.has(key)) changes.push({ key, kind: 'added', from: '', to: show(to) });
    else if (!fb.has(key)) changes.push({ key, kind: 'removed', from: show(from), to: '' });
    else if (show(from) !== show(to)) changes.push({ key, kind: 'changed', from: show(from), to: show(to) });
  }
  return { before: { version: a.version, name: a.name }, after: { version: b.version, name: b.name }, changes };
}

/** The text with its `version = N` line set to n (or one added at the top). */
export function withVersion(text, n) {
  return /^version\s*=.*$/m.test(text) ? text.replace(/^version\s*=.*$/m, `version = ${n}`) : `version = ${n}\n${text}`;
}
