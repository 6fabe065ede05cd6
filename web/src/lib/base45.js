// Base45 (RFC 9285). Pure; used by the checkpoint's offline verifier and its tests.
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

export function base45Decode(text) {
  const out = [];
  for (let i = 0; i < text.length; i += 3) {
    const chunk = text.slice(i, i + 3);
    if (chunk.length === 1) throw new Error('Base45: a dangling character');
    let n = 0;
    for (let j = chunk.length - 1; j >= 0; j--) {
      const v = VALUE.get(chunk[j]);
      if (v === undefined) throw new Error('Base45: a character outside the alphabet');
      n = n * 45 + v;
    }
    if (chunk.length === 3) {
      if (n > 0xffff) throw new Error('Base45: a triple out of range');
      out.push(n >> 8, n & 0xff);
    } else {
      if (n > 0xff) throw new Error('Base45: a pair out of range');
      out.push(n);
    }
  }
  return Uint8Array.from(out);
}

export function base45Encode(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 < bytes.length) {
      let n = bytes[i] * 256 + bytes[i + 1];
      const c = n % 45; n = (n - c) / 45;
      const d = n % 45; const e = (n - d) / 45;
      s += ALPHABET[c] + ALPHABET[d] + ALPHABET[e];
    } else {
      const n = bytes[i];
      s += ALPHABET[n % 45] + ALPHABET[Math.floor(n / 45)];
    }
  }
  return s;
}
