// An administrator checks a bad policy (each error beside its line), fixes the version with the
// offered button, sees the rule diff and activates it (a new version appears); rotates the
// signing key behind a confirmation; trusts an EU DCC signer certificate and a SMART Health
// Cards issuer; adds a device user and sees its API key once (and the key works).
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen, checkA11y } from '../lib/harness.mjs';

export const name = 'administrator: policy errors by line, diff and activation; key rotation; trusted issuers; a device user';

const lineOf = (text, re) => text.split('\n').findIndex((l) => re.test(l)) + 1;

function selfSignedPem() {
  const dir = mkdtempSync(join(tmpdir(), 'mekong-dsc-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'),
      '-out', join(dir, 'c.pem'), '-subj', '/C=DE/O=Mekong test DSC', '-days', '30'], { stdio: 'ignore' });
    return readFileSync(join(dir, 'c.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function jwks() {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url'); // RFC 7638
  return { kid, text: JSON.stringify({ keys: [{ kty, crv, x, y, kid, use: 'sig', alg: 'ES256' }] }) };
}

export async function run({ stack }) {
  const token = (await apiLogin(stack.api, 'admin')).token;
  const active = await apiGet(stack.api, token, '/policy');
  const browser = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await newPage(browser.context);
    await signIn(page, stack.base, 'admin');
    await page.getByRole('link', { name: 'Policy' }).click();
    await page.waitForSelector('#policy-text');
    assert.equal(await page.inputValue('#policy-text'), active.text, 'the active text in the editor');
    await shootScreen(page, 'admin-policy');

    // A bad policy: every error listed with its line, the line marked in the gutter.
    const bad = active.text.replace(/^colour = "yellow"$/m, 'colour = "purple"').replace(/^hops = \d+/m, 'hops = "two"');
    const purple = lineOf(bad, /^colour = "purple"$/);
    await page.fill('#policy-text', bad);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.waitForSelector('[data-testid=policy-errors]');
    const lines = await page.locator('[data-testid=policy-errors] li').evaluateAll((xs) => xs.map((x) => Number(x.dataset.line)));
    assert.ok(lines.includes(purple), `an error on line ${purple}: ${lines}`);
    assert.ok(await page.locator(`.gutter div:nth-child(${purple}).bad`).count(), 'the line is marked beside the text');
    await page.locator(`[data-testid=policy-errors] li[data-line="${purple}"] button`).click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'policy-text', 'the error takes the caret to its line');
    await shootScreen(page, 'admin-policy-errors', { fullPage: false });
    assert.equal((await apiGet(stack.api, token, '/policy')).version, active.version, 'nothing activated');

    // A good one: same version first (the screen offers the next), then the diff, then activate.
    const good = active.text.replace(/^min_overlap_minutes = \d+/m, 'min_overlap_minutes = 20');
    await page.fill('#policy-text', good);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByRole('button', { name: `Use version ${active.version + 1}` }).click();
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.waitForSelector('[data-testid=policy-diff] table.diff');
    const diff = await page.innerText('[data-testid=policy-diff] table.diff');
    assert.match(diff, /contacts\.min_overlap_minutes/);
    assert.match(diff, /15[\s\S]*20/);
    await shootScreen(page, 'admin-policy-diff', { fullPage: false });
    await page.getByRole('button', { name: `Activate version ${active.version + 1}` }).click();
    await page.waitForSelector('[data-testid=activated]');
    await page.waitForSelector(`[data-testid=policy-versions] tr[data-version="${active.version + 1}"]`);
    const versions = await apiGet(stack.api, token, '/policy/versions');
    assert.equal(versions.items[0].version, active.version + 1, 'a new version is active');
    assert.match((await apiGet(stack.api, token, '/policy')).text, /^min_overlap_minutes = 20/m);
    await checkA11y(page, 'admin-policy after activation');

    // Signing keys: rotate behind a confirmation.
    await page.getByRole('link', { name: 'Signing keys' }).click();
    await page.waitForSelector('[data-testid=keys], .notice');
    const before = (await (await fetch(`${stack.api}/.well-known/mekong/keys.json`)).json()).keys.length;
    await shootScreen(page, 'admin-keys');
    await page.getByRole('button', { name: 'Rotate the signing key' }).click();
    await page.waitForSelector('dialog[open]');
    await checkA11y(page, 'admin-keys (confirmation)');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    assert.equal((await (await fetch(`${stack.api}/.well-known/mekong/keys.json`)).json()).keys.length, before, 'cancel rotates nothing');
    await page.getByRole('button', { name: 'Rotate the signing key' }).click();
    await page.getByRole('button', { name: 'Yes, rotate the key' }).click();
    await page.waitForSelector('[data-testid=rotated]');
    const keys = (await (await fetch(`${stack.api}/.well-known/mekong/keys.json`)).json()).keys;
    const kid = (await page.innerText('[data-testid=rotated]')).match(/[0-9a-f]{16}/)[0];
    assert.equal(keys.find((k) => k.status === 'active')?.kid, kid, 'the new key signs');
    await page.waitForSelector(`[data-testid=keys] tr[data-kid="${kid}"][data-status=active]`);

    // Trusted issuers: an EU DCC signer and an SHC issuer.
    await page.getByRole('link', { name: 'Trusted issuers' }).click();
    await page.waitForSelector('[data-testid=bundle-meta]');
    await page.fill('#country', 'de');
    await page.fill('#certificate', selfSignedPem());
    await page.getByRole('button', { name: 'Trust this certificate' }).click();
    await page.waitForSelector('[data-testid=dcc-signers] tr td');
    const shc = jwks();
    await page.fill('#issuer', 'https://issuer.example.org/shc');
    await page.fill('#jwks', shc.text);
    await page.getByRole('button', { name: 'Trust this issuer' }).click();
    await page.waitForSelector(`[data-testid=shc-issuers] td:text("${shc.kid}")`);
    const bundle = await (await fetch(`${stack.api}/api/v1/trust/bundle`)).json();
    assert.ok(bundle.eu_dcc.some((x) => x.country === 'DE'), 'the DCC signer is in the bundle');
    assert.ok(bundle.shc.some((x) => x.kid === shc.kid), 'the SHC key is in the bundle');
    await page.fill('#country', '9');
    await page.getByRole('button', { name: 'Trust this certificate' }).click();
    await page.waitForSelector('#country-error');
    await shootScreen(page, 'admin-trust');

    // Users: a device gets its API key once, and the key works.
    await page.getByRole('link', { name: 'Users' }).click();
    await page.waitForSelector('#u-username');
    await shootScreen(page, 'admin-users');
    const units = (await apiGet(stack.api, token, '/org-units?parent_id=1')).items;
    const mongcai = units.find((u) => u.name === 'Móng Cái') || units[0];
    const username = `gate.test.${Date.now() % 100000}`;
    await page.fill('#u-username', username);
    await page.selectOption('#u-role', 'device');
    await page.selectOption('#u-unit', String(mongcai.id));
    await page.getByRole('button', { name: 'Add the user' }).click();
    const apiKey = (await page.locator('[data-testid=api-key]').innerText()).trim();
    assert.match(apiKey, /^mk_/);
    const me = await (await fetch(`${stack.api}/api/v1/auth/me`, { headers: { 'X-Api-Key': apiKey } })).json();
    assert.equal(me.role, 'device', 'the shown key signs the device in');
    // The list (GET /users) holds the new user once.
    await page.locator('[data-testid=users] tbody tr', { hasText: username }).waitFor();
    assert.equal(await page.locator('[data-testid=users] tbody tr', { hasText: username }).count(), 1, 'listed among the users');
    await checkA11y(page, 'admin-users after adding a device');
  } finally {
    await browser.close();
  }
}
