// The tracer's pure helpers: local times in a zone to UTC (RFC 3339), CSV (RFC 4180, BOM),
// the contact chain's layout; and the policy rule diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromZonedLocal, toZonedLocal, rfc3339 } from '../../src/lib/zoned.js';
import { toCsv, parseCsv, csvField } from '../../src/lib/csv.js';

test('a tracer\'s local time becomes RFC 3339 UTC', () => {
  assert.equal(rfc3339(fromZonedLocal('2026-11-30T08:30', 'Asia/Ho_Chi_Minh')), '2026-11-30T01:30:00Z');
  assert.equal(rfc3339(fromZonedLocal('2026-12-01T06:05', 'Asia/Yangon')), '2026-11-30T23:35:00Z');
  assert.equal(rfc3339(fromZonedLocal('2026-01-01T00:00', 'UTC')), '2026-01-01T00:00:00Z');
  // DST (Dili has none; Sydney does): the repeated and the skipped hour.
  assert.equal(rfc3339(fromZonedLocal('2026-04-05T02:30', 'Australia/Sydney')), '2026-04-04T15:30:00Z');
  assert.equal(rfc3339(fromZonedLocal('2026-10-04T02:30', 'Australia/Sydney')), '2026-10-03T16:30:00Z');
  assert.equal(fromZonedLocal('30/11/2026 08:30', 'UTC'), null);
  assert.equal(fromZonedLocal('', 'UTC'), null);
  assert.equal(toZonedLocal('2026-11-30T01:30:00Z', 'Asia/Ho_Chi_Minh'), '2026-11-30T08:30');
  assert.equal(toZonedLocal(Date.UTC(2026, 11, 31, 17, 0), 'Asia/Bangkok'), '2027-01-01T00:00');
});

test('CSV: RFC 4180 quoting, CRLF, a BOM, formulas defused, and it parses back', () => {
  assert.equal(csvField('Nguyễn Văn Hải'), 'Nguyễn Văn Hải');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvField(-3), '-3');
  const rows = [['Tên', 'Số'], ['Đỗ Thị Trang', 166], ['two\nlines', 'x,y'], ['', null]];
  const text = toCsv(rows);
  assert.ok(text.startsWith('\uFEFF'));
  assert.ok(text.includes('\r\n') && !/[^\r]\n/.test(text.replace('two\nlines', '')));
  assert.deepEqual(parseCsv(text), [['Tên', 'Số'], ['Đỗ Thị Trang', '166'], ['two\nlines', 'x,y'], ['', '']]);
  assert.equal(Buffer.from(text, 'utf8').subarray(0, 3).toString('hex'), 'efbbbf');
});

test('policy diff: settings changed, added, removed; comments and version ignored', async () => {
  const { diffPolicies, withVersion } = await import('../../src/areas/admin/policyDiff.js');
  const a = 'version = 1\nname = "A"\n[contacts]\nhops = 2 # two\n[rules.fever]\nthreshold_celsius = 37.3\n';
  const b = 'version = 2\nname = "A"\n# a comment\n[contacts]\nhops = 3\n[rules.fever]\nthreshold_celsius = 37.3\ndays = 7\n[[risk_areas]]\nid = "night-market"\nlevel = "high"\n';
  const d = diffPolicies(a, b);
  assert.deepEqual(d.before, { version: 1, name: 'A' });
  assert.deepEqual(d.after, { version: 2, name: 'A' });
  assert.deepEqual(d.changes, [
    { key: 'contacts.hops', kind: 'changed', from: '2', to: '3' },
    { key: 'rules.fever.days', kind: 'added', from: '', to: '7' },
    { key: 'risk_areas[night-market].id', kind: 'added', from: '', to: '"night-market"' },
    { key: 'risk_areas[night-market].level', kind: 'added', from: '', to: '"high"' },
  ]);
  assert.deepEqual(diffPolicies(b, a).changes.map((c) => c.kind), ['changed', 'removed', 'removed', 'removed']);
  assert.ok(diffPolicies(a, 'bogus = [').error);
  assert.equal(withVersion(a, 5).split('\n')[0], 'version = 5');
});
