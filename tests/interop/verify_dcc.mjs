// Verifies EU DCC QR texts with @pathcheck/dcc-sdk, offline, against one signer certificate.
// Input (stdin): {"certificate_pem": "...", "kid_hex": "...", "codes": ["HC1:...", ...]}
// Output (stdout): one JSON array of {status, contents} per code.
// The ES module entry: the package's CommonJS entry goes through the old `esm` loader, which
// cannot parse the modern syntax of one of its dependencies.
// The hook lets Node 18 read the package's module syntax (see esm-in-js.mjs).
import { register } from 'node:module';
register('./esm-in-js.mjs', import.meta.url);
const { addCachedCerts, unpackAndVerify } = await import('@pathcheck/dcc-sdk/lib/main.js');

const input = JSON.parse(await new Promise((resolve) => {
  let data = '';
  process.stdin.on('data', (c) => (data += c));
  process.stdin.on('end', () => resolve(data));
}));
const body = input.certificate_pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
const kid = Buffer.from(input.kid_hex, 'hex').toString('base64');
addCachedCerts({ [kid]: body });

const out = [];
for (const code of input.codes) {
  const r = await unpackAndVerify(code);
  const contents = r.contents instanceof Map ? Object.fromEntries(r.contents) : r.contents;
  out.push({ status: r.status, contents: JSON.parse(JSON.stringify(contents ?? null, (k, v) =>
    v instanceof Map ? Object.fromEntries(v) : v)) });
}
console.log(JSON.stringify(out));
