// The checkpoint's offline verifier against credentials made here with the spec's layout
// (docs/formats/health-code.md), signed by a key generated for the test: each step's refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { webcrypto } from 'node:crypto';
import { verifyMk1, kidOf } from '../../src/areas/checkpoint/mk1.js';
import { encodeCbor, decodeCbor, Tagged, toHex } from '../../src/lib/cbor.js';
import { base45Encode, base45Decode } from '../../src/lib/base45.js';

// Node 18 (Debian 12's) has Web Crypto only as node:crypto's webcrypto, not as a global; the
// verifier under test calls the global, as browsers have it.
globalThis.crypto ??= webcrypto;
const subtle = globalThis.crypto.subtle;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const S = Math.floor(NOW / 1000);

async function makeKey() {
  const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const spki = Buffer.from(await subtle.exportKey('spki', pair.publicKey)).toString('base64');
  return { pair, spki, kid: await kidOf(spki) };
}

function claims({ iat = S - 60, exp = S + 86400, colour = 2, cti = 'a1b2c3d4e5f60718' } = {}) {
  return new Map([[1, 'VN-QN'], [6, iat], [4, exp], [7, Uint8Array.from(Buffer.from(cti, 'hex'))], [-70001, 'aWUZx7wbnUx-sHB9'], [-70002, colour]]);
}

async function sign(key, { protectedMap, unprotected = new Map(), payload = claims(), tamper } = {}) {
  const prot = encodeCbor(protectedMap || new Map([[1, -7], [4, Uint8Array.from(Buffer.from(key.kid, 'hex'))]]));
  const body = encodeCbor(payload);
  const tbs = encodeCbor(['Signature1', prot, new Uint8Array(0), body]);
  const sig = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.pair.privateKey, tbs));
  const signedBody = tamper ? encodeCbor(tamper) : body;
  const cose = encodeCbor(new Tagged(18, [prot, unprotected, signedBody, sig]));
  return 'MK1:' + base45Encode(deflateSync(cose));
}

const bundleOf = (key, extra = {}) => ({ version: 1, mekong_keys: [{ kid: key.kid, spki: key.spki, verify_until: null, ...extra }], revoked: [] });

test('Base45 and CBOR round-trip', () => {
  const bytes = Uint8Array.from([0, 1, 255, 128, 7]);
  assert.deepEqual(base45Decode(base45Encode(bytes)), bytes);
  assert.equal(base45Encode(new TextEncoder().encode('AB')), 'BB8'); // RFC 9285 example
  const v = new Map([[1, 'x'], [-70002, 2], [7, Uint8Array.from([1, 2])], [4, 4102444800]]);
  assert.deepEqual(decodeCbor(encodeCbor(v)), v);
  assert.throws(() => decodeCbor(Uint8Array.from([0x9f, 0xff])), /indefinite/);
});

test('a good code verifies, with its colour and ids', async () => {
  const key = await makeKey();
  const v = await verifyMk1(await sign(key), bundleOf(key), NOW);
  assert.equal(v.valid, true, v.reason);
  assert.equal(v.colour, 'red');
  assert.equal(v.issuer, 'VN-QN');
  assert.equal(v.credential_id, 'a1b2c3d4e5f60718');
  assert.equal(v.kid, key.kid);
});

test('each step refuses what the spec says', async () => {
  const key = await makeKey();
  const other = await makeKey();
  const b = bundleOf(key);
  const good = await sign(key);
  const cases = [
    ['HC1:ABC', 'prefix'],
    ['MK1:' + 'A'.repeat(5000), 'too_long'],
    ['MK1:ab~', 'base45'],
    ['MK1:' + base45Encode(Uint8Array.from([1, 2, 3])), 'not_zlib'],
    [good.slice(0, 60) + (good[60] === 'A' ? 'B' : 'A') + good.slice(61), null], // damaged: zlib or later
    [await sign(key, { protectedMap: new Map([[1, -37], [4, Uint8Array.from(Buffer.from(key.kid, 'hex'))]]) }), 'alg'],
    [await sign(key, { protectedMap: new Map([[4, Uint8Array.from(Buffer.from(key.kid, 'hex'))]]), unprotected: new Map([[1, -7]]) }), 'alg_unprotected'],
    [await sign(other), 'unknown_kid'],
    [await sign(key, { tamper: claims({ colour: 0 }) }), 'signature'],
    [await sign(key, { payload: new Map([[1, 'VN-QN']]) }), 'claims'],
    [await sign(key, { payload: claims({ iat: S + 3600 }) }), 'future'],
    [await sign(key, { payload: claims({ exp: S - 1 }) }), 'expired'],
  ];
  for (const [text, reason] of cases) {
    const v = await verifyMk1(text, b, NOW);
    assert.equal(v.valid, false, `accepted ${reason}`);
    if (reason) assert.equal(v.reason, reason);
  }
  assert.equal((await verifyMk1(good, { ...b, revoked: ['a1b2c3d4e5f60718'] }, NOW)).reason, 'revoked');
  assert.equal((await verifyMk1(good, bundleOf(key, { verify_until: NOW - 1 }), NOW)).reason, 'key_retired');
  assert.equal((await verifyMk1(good, bundleOf(key, { verify_until: NOW + 1000 }), NOW)).valid, true);
  // five minutes of clock skew are allowed
  assert.equal((await verifyMk1(await sign(key, { payload: claims({ iat: S + 240 }) }), b, NOW)).valid, true);
  assert.equal(toHex(Uint8Array.from([0, 255])), '00ff');
});
