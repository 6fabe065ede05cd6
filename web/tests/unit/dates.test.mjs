// Khmer, Lao and Burmese dates: Chromium's Intl has no data for them and falls back to
// English, so src/i18n/fallback.js formats them; the time zone still comes from Intl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDateTime, formatRelative, digits, hasFallback } from '../../src/i18n/fallback.js';

const d = new Date(Date.UTC(2026, 11, 1, 20, 5)); // 2 Dec 03:05 in Vietnam, 02:35 in Myanmar

test('long dates in the reader\'s calendar words and digits, in the given zone', () => {
  assert.equal(formatDateTime('km', d, 'Asia/Phnom_Penh', { dateStyle: 'long' }), '2 ធ្នូ 2026');
  assert.equal(formatDateTime('lo', d, 'Asia/Vientiane', { dateStyle: 'long', timeStyle: 'short' }), '2 ທັນວາ 2026 03:05');
  assert.equal(formatDateTime('my', d, 'Asia/Yangon', { dateStyle: 'long', timeStyle: 'short' }), '၂၀၂၆ ဒီဇင်ဘာ ၂ ၀၂:၃၅');
  assert.equal(formatDateTime('km', d, 'UTC', { timeStyle: 'short' }), '20:05');
});

test('relative times and digits', () => {
  assert.equal(formatRelative('my', -3, 'second'), 'ပြီးခဲ့သည့် ၃ စက္ကန့်');
  assert.equal(formatRelative('lo', 5, 'hour'), 'ໃນອີກ 5 ຊົ່ວໂມງ');
  assert.equal(digits('my', '12%'), '၁၂%');
  assert.equal(hasFallback('th'), false);
});
