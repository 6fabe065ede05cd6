// A small CBOR (RFC 8949) decoder and encoder: the subset a COSE_Sign1 health code uses.
// Decoding: unsigned and negative integers (to 2^53), byte and text strings, arrays, maps
// (as Map, so integer keys stay integers), tags (as {tag, value}), false/true/null/undefined
// and floats. Indefinite lengths are refused: signed data must be canonical enough to re-read.
// Pure: no DOM, runs in Node for the tests.

export class Tagged {
  constructor(tag, value) {
    this.tag = tag;
    this.value = value;
  }
}

const MAX_DEPTH = 16;

export function decodeCbor(bytes, { maxItems = 10000 } = {}) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let items = 0;
  const need = (n) => {
    if (pos + n > bytes.length) throw new Error('CBOR: truncated');
  };
  const arg = (info) => {
    if (info < 24) return info;
    if (info === 24) { need(1); return bytes[pos++]; }
    if (info === 25) { need(2); const v = view.getUint16(pos); pos += 2; return v; }
    if (info === 26) { need(4); const v = view.getUint32(pos); pos += 4; return v; }
    if (info === 27) {
      need(8);
      const v = view.getBigUint64(pos); pos += 8;
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('CBOR: integer too large');
      return Number(v);
    }
    throw new Error('CBOR: indefinite or reserved length');
  };
  const item = (depth) => {
    if (depth > MAX_DEPTH) throw new Error('CBOR: nested too deeply');
    if (++items > maxItems) throw new Error('CBOR: too many items');
    need(1);
    const ib = bytes[pos++];
    const major = ib >> 5;
    const info = ib & 31;
    switch (major) {
      case 0: return arg(info);
      case 1: return -1 - arg(info);
      case 2: { const n = arg(info); need(n); const b = bytes.slice(pos, pos + n); pos += n; return b; }
      case 3: {
        const n = arg(info); need(n);
        const s = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(pos, pos + n)); pos += n; return s;
      }
      case 4: { const n = arg(info); const a = []; for (let i = 0; i < n; i++) a.push(item(depth + 1)); return a; }
      case 5: {
        const n = arg(info); const m = new Map();
        for (let i = 0; i < n; i++) {
          const k = item(depth + 1);
          if (m.has(k)) throw new Error('CBOR: duplicate map key');
          m.set(k, item(depth + 1));
        }
        return m;
      }
      case 6: { const tag = arg(info); return new Tagged(tag, item(depth + 1)); }
      default: {
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        if (info === 23) return undefined;
        if (info === 25) { need(2); const v = halfToFloat(view.getUint16(pos)); pos += 2; return v; }
        if (info === 26) { need(4); const v = view.getFloat32(pos); pos += 4; return v; }
        if (info === 27) { need(8); const v = view.getFloat64(pos); pos += 8; return v; }
        throw new Error('CBOR: unsupported simple value');
      }
    }
  };
  const value = item(0);
  if (pos !== bytes.length) throw new Error('CBOR: trailing bytes');
  return value;
}

function halfToFloat(h) {
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  const sign = h & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * 2 ** -14 * (mant / 1024);
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + mant / 1024);
}

/** Encode integers, strings, byte strings (Uint8Array), arrays, Maps and Tagged values. */
export function encodeCbor(value) {
  const out = [];
  const head = (major, n) => {
    if (n < 24) out.push((major << 5) | n);
    else if (n < 0x100) out.push((major << 5) | 24, n);
    else if (n < 0x10000) out.push((major << 5) | 25, n >> 8, n & 0xff);
    else if (n < 0x100000000) out.push((major << 5) | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
    else {
      const b = BigInt(n);
      out.push((major << 5) | 27);
      for (let i = 7; i >= 0; i--) out.push(Number((b >> BigInt(8 * i)) & 0xffn));
    }
  };
  const enc = (v) => {
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw new Error('CBOR: only integers are encoded');
      if (v >= 0) head(0, v); else head(1, -1 - v);
    } else if (typeof v === 'string') {
      const b = new TextEncoder().encode(v); head(3, b.length); out.push(...b);
    } else if (v instanceof Uint8Array) {
      head(2, v.length); for (const x of v) out.push(x);
    } else if (Array.isArray(v)) {
      head(4, v.length); v.forEach(enc);
    } else if (v instanceof Map) {
      head(5, v.size); for (const [k, x] of v) { enc(k); enc(x); }
    } else if (v instanceof Tagged) {
      head(6, v.tag); enc(v.value);
    } else if (v === false) out.push(0xf4);
    else if (v === true) out.push(0xf5);
    else if (v === null) out.push(0xf6);
    else throw new Error('CBOR: cannot encode ' + typeof v);
  };
  enc(value);
  return Uint8Array.from(out);
}

export const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
