// Alert escalation (docs/command.md): a fever at a commune's gate that nobody there acknowledged
// is passed up to the district by the server's sweep (run here at once with the operator's
// `mekong alerts escalate`); the district's alert list says where it came from, and the
// district acknowledging it closes the commune's alert too, as the API says.
import { execFileSync } from 'node:child_process';
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet, apiCall, mekongBin } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen } from '../lib/harness.mjs';

export const name = 'escalation: an unacknowledged fever alert passed up to the district, shown as such, one acknowledgement closing both';

const PASSWORD = 'mekong-demo-escalation';

export async function run({ stack }) {
  const admin = await apiLogin(stack.api, 'admin');
  const halong = (await apiGet(stack.api, admin.token, `/org-units?parent_id=${admin.user.org_unit_id}`)).items.find((u) => u.code === 'QN-01');
  const commune = (await apiGet(stack.api, admin.token, `/org-units?parent_id=${halong.id}`)).items.find((u) => u.code === 'QN-01-01');
  const username = `escalation.halong.${Date.now()}`;
  assert.equal((await apiCall(stack.api, admin.token, 'POST', '/users', { username, password: PASSWORD, role: 'command_officer', org_unit_id: halong.id })).status, 201);
  const gate = await apiCall(stack.api, admin.token, 'POST', '/users', { username: `${username}.gate`, role: 'device', org_unit_id: commune.id });
  assert.equal(gate.status, 201, JSON.stringify(gate.body));
  const n = Date.now() % 1e8;
  const person = await apiCall(stack.api, admin.token, 'POST', '/people', { full_name: `Sốt ${n}`, document_type: 'national_id', document_number: `ESC${n}`, nationality: 'VN', language: 'vi', org_unit_id: commune.id });
  const reading = await fetch(`${stack.api}/api/v1/devices/readings`, { method: 'POST', headers: { 'X-Api-Key': gate.body.api_key, 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'temperature', person_id: person.body.id, temperature_c: 39.2 }) }).then((r) => r.json());
  const fever = reading.alert.id;

  const out = execFileSync(mekongBin(), ['alerts', 'escalate', '--after-minutes', '0', '--db', stack.db], { encoding: 'utf8' });
  assert.match(out, /Passed [1-9]\d* alerts/);
  const dist = (await apiLogin(stack.api, username, PASSWORD)).token;
  const passed = (await apiGet(stack.api, dist, '/alerts?open=true&limit=500')).items.find((a) => a.escalated_from === fever);
  assert.ok(passed, 'the district has the commune\'s alert, passed up');

  const browser = await launch({});
  try {
    const page = await newPage(browser.context);
    await signIn(page, stack.base, username, PASSWORD);
    await page.goto(`${stack.base}/alerts`);
    const row = page.locator(`tr[data-alert-id="${passed.id}"]`);
    await row.locator('[data-testid=escalated-from]').waitFor();
    assert.match(await row.innerText(), /Fever at a gate/);
    const original = page.locator(`tr[data-alert-id="${fever}"]`);
    await original.locator('[data-testid=escalated-to]').waitFor();
    await shootScreen(page, 'alerts-escalated', { langs: ['en', 'th', 'my'] });

    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForFunction((id) => !document.querySelector(`tr[data-alert-id="${id}"]`), fever);
    const all = (await apiGet(stack.api, dist, '/alerts?limit=500')).items;
    for (const id of [fever, passed.id]) assert.ok(all.find((a) => a.id === id).acknowledged_at, `alert ${id} acknowledged`);
  } finally {
    await browser.close();
  }
}
