// Offline verification of a Mekong health code (MK1:), exactly as docs/formats/health-code.md
// orders it. Pure apart from WebCrypto and DecompressionStream, so it runs in the browser with
// the network cut off and in Node for the tests.
//
// verifyMk1(text, bundle, nowMs) -> {valid, step, reason, colour, issuer, issued_at,
// expires_at, code_id, credential_id, kid}. `reason` is a stable code the screen translates
// (checkpoint.reason.<code>); `step` is the numbered step of the spec that failed.
import { base45Decode } from '../../lib/base45.js';
import { decodeCbor, encodeCbor, Tagged, toHex } from '../../lib/cbor.js';

export const PREFIX = 'MK1:';
const MAX_TEXT = 4096;
const MAX_INFLATED = 8192;
const SKEW_MS = 5 * 60 * 1000;
const COLOURS = ['green', 'yellow', 'red'];
const ALG_ES256 = -7;

const fromBase64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  const reader = stream.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_INFLATED) {
      reader.cancel();
      throw new Error('inflated size over the cap');
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const keyCache = new Map();
async function importKey(spkiB64) {
  if (!keyCache.has(spkiB64)) {
    keyCache.set(spkiB64, crypto.subtle.importKey('spki', fromBase64(spkiB64), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']));
  }
  return keyCache.get(spkiB64);
}

/** kid = first 8 bytes of SHA-256 of the SPKI DER, as hex. */
export async function kidOf(spkiB64) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', fromBase64(spkiB64)));
  return toHex(d.slice(0, 8));
}

export async function verifyMk1(text, bundle, nowMs = Date.now()) {
  const v = { valid: false, format: 'mekong', step: 0, reason: null };
  const fail = (step, reason) => Object.assign(v, { step, reason });

  // 1. prefix and length
  if (typeof text !== 'string' || !text.startsWith(PREFIX)) return fail(1, 'prefix');
  if (text.length > MAX_TEXT) return fail(1, 'too_long');

  // 2. Base45, then zlib (0x78 header, capped)
  let raw;
  try { raw = base45Decode(text.slice(PREFIX.length)); } catch { return fail(2, 'base45'); }
  if (!raw.length || raw[0] !== 0x78) return fail(2, 'not_zlib');
  let cose;
  try { cose = await inflate(raw); } catch { return fail(2, 'zlib'); }

  // 3. COSE_Sign1, tag 18, alg ES256 in the protected header
  let msg, protectedMap;
  try {
    msg = decodeCbor(cose);
    if (!(msg instanceof Tagged) || msg.tag !== 18) throw new Error('not tag 18');
    if (!Array.isArray(msg.value) || msg.value.length !== 4) throw new Error('not 4 items');
    const [prot, unprot, payload, sig] = msg.value;
    if (!(prot instanceof Uint8Array) || !(unprot instanceof Map) || !(payload instanceof Uint8Array) || !(sig instanceof Uint8Array)) throw new Error('types');
    protectedMap = prot.length ? decodeCbor(prot) : new Map();
    if (!(protectedMap instanceof Map)) throw new Error('protected is not a map');
  } catch {
    return fail(3, 'cose');
  }
  const [prot, unprot, payload, sig] = msg.value;
  if (!protectedMap.has(1)) return fail(3, unprot.has(1) ? 'alg_unprotected' : 'alg_missing');
  if (protectedMap.get(1) !== ALG_ES256) return fail(3, 'alg');

  // 4. kid among the trusted keys, and inside the key's window
  const kidBytes = protectedMap.get(4) ?? unprot.get(4);
  if (!(kidBytes instanceof Uint8Array)) return fail(4, 'unknown_kid');
  v.kid = toHex(kidBytes);
  const key = (bundle?.mekong_keys || []).find((k) => k.kid === v.kid);
  if (!key) return fail(4, 'unknown_kid');
  if (key.verify_until != null && nowMs > key.verify_until) return fail(4, 'key_retired');

  // 5. signature over Sig_structure ["Signature1", protected, h'', payload], raw r||s
  if (sig.length !== 64) return fail(5, 'signature');
  const toBeSigned = encodeCbor(['Signature1', prot, new Uint8Array(0), payload]);
  let ok = false;
  try {
    ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, await importKey(key.spki), sig, toBeSigned);
  } catch {
    ok = false;
  }
  if (!ok) return fail(5, 'signature');

  // 6. claims: types, iat not in the future, exp not passed
  let claims;
  try { claims = decodeCbor(payload); } catch { return fail(6, 'claims'); }
  if (!(claims instanceof Map)) return fail(6, 'claims');
  const iss = claims.get(1), iat = claims.get(6), exp = claims.get(4), cti = claims.get(7);
  const codeId = claims.get(-70001), colour = claims.get(-70002);
  const isInt = (x) => Number.isInteger(x);
  if (typeof iss !== 'string' || !isInt(iat) || !isInt(exp) || !(cti instanceof Uint8Array) || typeof codeId !== 'string' || !isInt(colour) || colour < 0 || colour > 2) {
    return fail(6, 'claims');
  }
  Object.assign(v, {
    issuer: iss,
    issued_at: iat * 1000,
    expires_at: exp * 1000,
    credential_id: toHex(cti),
    code_id: codeId,
    colour: COLOURS[colour],
  });
  if (iat * 1000 > nowMs + SKEW_MS) return fail(6, 'future');
  if (nowMs > exp * 1000) return fail(6, 'expired');

  // 7. not revoked
  if ((bundle.revoked || []).includes(v.credential_id)) return fail(7, 'revoked');
  v.valid = true;
  v.step = 7;
  return v;
}
