// A checkpoint officer verifies a real MK1 code in the browser with the network cut off,
// refuses a tampered one (colour changed, signature kept) and a damaged one, keeps working
// after an offline reload (service worker), and needs the network for an EU DCC.
import { deflateSync, inflateSync } from 'node:zlib';
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen } from '../lib/harness.mjs';
import { base45Decode, base45Encode } from '../../src/lib/base45.js';
import { decodeCbor, encodeCbor, Tagged } from '../../src/lib/cbor.js';
import en from '../../src/locales/en/checkpoint.json' with { type: 'json' };

export const name = 'checkpoint: verify offline in the browser, refuse tampered codes';

/** The same credential with its colour claim set to green and the old signature kept. */
export function tamperColour(text) {
  const cose = decodeCbor(inflateSync(Buffer.from(base45Decode(text.slice(4)))));
  const [prot, unprot, payload, sig] = cose.value;
  const claims = decodeCbor(payload);
  claims.set(-70002, claims.get(-70002) === 0 ? 2 : 0);
  const forged = encodeCbor(new Tagged(18, [prot, unprot, encodeCbor(claims), sig]));
  return 'MK1:' + base45Encode(deflateSync(Buffer.from(forged)));
}

async function verifyText(page, text) {
  // The verdict shown now is marked; the answer to this code is a new element (keyed per check).
  await page.evaluate(() => { const el = document.querySelector('[data-testid=verdict]'); if (el) el.__stale = true; });
  await page.fill('#code-text', text);
  await page.press('#code-text', 'Enter');
  await page.waitForFunction(() => { const el = document.querySelector('[data-testid=verdict]'); return el && !el.__stale; });
  return {
    valid: await page.getAttribute('[data-testid=verdict]', 'data-valid'),
    colour: await page.getAttribute('[data-testid=verdict]', 'data-colour'),
    text: await page.innerText('[data-testid=verdict]'),
  };
}

export async function run({ stack }) {
  const t = (await apiLogin(stack.api, 'citizen')).token;
  const me = await apiGet(stack.api, t, '/auth/me');
  const cred = await apiGet(stack.api, t, `/people/${me.person_id}/health-code/credential`);
  const forged = tamperColour(cred.qr_text);
  const damaged = cred.qr_text.slice(0, 80) + (cred.qr_text[80] === 'A' ? 'B' : 'A') + cred.qr_text.slice(81);

  const browser = await launch();
  try {
    const page = await newPage(browser.context);
    await signIn(page, stack.base, 'checkpoint.mongcai');
    assert.equal(new URL(page.url()).pathname, '/checkpoint', 'a checkpoint officer lands on the verifier');
    await page.waitForSelector('[data-testid=trust-status]');
    await shootScreen(page, 'checkpoint');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload(); // now controlled by the service worker
    await page.waitForSelector('[data-testid=trust-status]');

    await browser.context.setOffline(true);
    assert.equal(await page.evaluate(() => navigator.onLine), false);
    let v = await verifyText(page, cred.qr_text);
    assert.equal(v.valid, 'true', `the real code verifies offline: ${v.text}`);
    assert.equal(v.colour, cred.colour, 'with the colour it was signed with');
    await shootScreen(page, 'checkpoint-valid');

    v = await verifyText(page, forged);
    assert.equal(v.valid, 'false', 'a code whose colour was changed is refused');
    assert.ok(v.text.includes(en['reason.signature']), `because the signature fails: ${v.text}`);
    await shootScreen(page, 'checkpoint-invalid');

    v = await verifyText(page, damaged);
    assert.equal(v.valid, 'false', 'a damaged code is refused');

    v = await verifyText(page, 'HC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N');
    assert.equal(v.valid, 'false');
    assert.ok(v.text.includes(en['reason.needs_network']), 'an EU DCC needs the network');

    // Still works after reloading with no network (the shell and the bundle are cached).
    await page.reload();
    await page.waitForSelector('#code-text');
    v = await verifyText(page, cred.qr_text);
    assert.equal(v.valid, 'true', 'verifies after an offline reload');
    await browser.context.setOffline(false);

    // Online, foreign formats go to the server.
    await page.getByRole('button', { name: 'Scan the next code' }).click();
    v = await verifyText(page, 'HC1:NOT-A-REAL-CERTIFICATE');
    assert.equal(v.valid, 'false');
    assert.ok(v.text.includes(en['reason.server']), 'the server answered for the EU DCC');
  } finally {
    await browser.close();
  }
}
