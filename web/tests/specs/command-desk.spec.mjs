// The command centre's desk screens with officers of three levels: the province
// (officer.province), a district (officer.halong, made here by the demo admin through
// POST /users: the demo has no district command officer) and a commune (officer.commune).
// Directives go down and are answered; nobody issues upward (the screen offers only units
// below, and a request forced upward shows the server's 403); tasks are made, changed and
// have a history; situation reports carry the server's figures, roll up and list who has not
// reported. A commune sees its own records, a district its communes'. One bad input (a due
// date in the past) shows the server's field error.
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen } from '../lib/harness.mjs';
import { toZonedLocal, fromZonedLocal, rfc3339 } from '../../src/lib/zoned.js';

export const name = 'command-desk: directives down the tree and answered, never upward; tasks and their history; situation reports, roll-up and who has not reported';

const FIGURES = ['new_cases', 'active_cases', 'contacts_following', 'tests', 'positives', 'alerts', 'open_alerts'];
const DISTRICT_USER = 'officer.halong';
const DISTRICT_PASSWORD = 'mekong-demo-district';

async function apiPost(api, token, path, body) {
  const r = await fetch(`${api}/api/v1${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await r.json().catch(() => null);
  return { status: r.status, body: answer };
}
const noMs = (s) => s.replace(/\.\d+Z$/, 'Z');

/** Sign out through the header (the app forgets the session itself), then in as someone else. */
async function as(page, base, username, password) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForSelector('#username');
  await signIn(page, base, username, password);
}

async function open(page, linkName, ready) {
  await page.getByRole('link', { name: linkName, exact: true }).click();
  await page.waitForSelector(ready);
}

/** The figures a <dl data-figure> block shows, as numbers (en digits). */
async function shownFigures(page, testid) {
  const out = {};
  for (const k of FIGURES) out[k] = Number((await page.innerText(`[data-testid=${testid}] [data-figure=${k}] dd`)).replace(/\D/g, ''));
  return out;
}

export async function run({ stack }) {
  // The tree and the three officers.
  const admin = await apiLogin(stack.api, 'admin');
  const provinceId = admin.user.org_unit_id;
  const districts = (await apiGet(stack.api, admin.token, `/org-units?parent_id=${provinceId}`)).items;
  const halong = districts.find((u) => u.code === 'QN-01');
  const communes = (await apiGet(stack.api, admin.token, `/org-units?parent_id=${halong.id}`)).items;
  const commune = communes.find((u) => u.code === 'QN-01-01');
  const made = await apiPost(stack.api, admin.token, '/users', { username: DISTRICT_USER, password: DISTRICT_PASSWORD, role: 'command_officer', org_unit_id: halong.id });
  assert.equal(made.status, 201, `a district command officer: ${JSON.stringify(made.body)}`);
  const prov = await apiLogin(stack.api, 'officer.province');
  const dist = await apiLogin(stack.api, DISTRICT_USER, DISTRICT_PASSWORD);
  const comm = await apiLogin(stack.api, 'officer.commune');
  assert.equal(comm.user.org_unit_id, commune.id, 'officer.commune is in QN-01-01');
  const tz = (await apiGet(stack.api, prov.token, `/org-units/${provinceId}`)).time_zone;
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' });
  console.log(`    province ${provinceId}, district ${halong.id} (${communes.length} communes), commune ${commune.id}; zone ${tz}`);

  const browser = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await newPage(browser.context);

    // ---- Province: only the districts are offered; a past due date is the server's field error.
    await signIn(page, stack.base, 'officer.province');
    await open(page, 'Directives', '[data-testid=issue-form]');
    await page.getByLabel('Units I choose').check();
    const offered = (await page.locator('[data-testid=recipient-choice] input').evaluateAll((xs) => xs.map((x) => Number(x.value)))).sort((a, b) => a - b);
    assert.deepEqual(offered, districts.map((d) => d.id).sort((a, b) => a - b), 'the province is offered its 13 districts and nothing else');
    assert.ok(!offered.includes(provinceId), 'never its own unit');
    await page.getByLabel('Every unit one level below mine (13)').check();
    await page.fill('#dir-title', 'Screen every arrival at the border gates');
    await page.fill('#dir-body', 'Temperature and health code for every traveller; report the numbers daily.');
    await page.fill('#dir-due', toZonedLocal(Date.now() - 3600000, tz));
    await page.getByRole('button', { name: 'Issue the directive' }).click();
    await page.waitForSelector('#dir-due-error');
    assert.equal(await page.getAttribute('#dir-due', 'aria-invalid'), 'true', 'the due date is marked');
    assert.ok((await page.getAttribute('#dir-due', 'aria-describedby')).includes('dir-due-error'), 'and its error tied to it');
    assert.ok((await page.innerText('[data-testid=issue-form] [role=alert]')).includes('Some of the information is not valid.'));
    assert.equal((await apiGet(stack.api, prov.token, '/directives')).items.length, 0, 'nothing issued');
    await shootScreen(page, 'desk-directive-error');

    const dueLocal = toZonedLocal(Date.now() + 2 * 86400000, tz);
    await page.fill('#dir-due', dueLocal);
    await page.getByRole('button', { name: 'Issue the directive' }).click();
    await page.waitForSelector('[data-testid=issued] li[data-directive-id]');
    const provDir = (await apiGet(stack.api, prov.token, '/directives')).items[0];
    assert.equal(provDir.recipients.length, 13, 'to the 13 districts');
    assert.equal(noMs(provDir.due_at), rfc3339(fromZonedLocal(dueLocal, tz)), 'the due date typed in the unit\'s zone arrives as UTC');
    assert.ok((await page.innerText(`[data-testid=issued] li[data-directive-id="${provDir.id}"] [data-testid=counts]`)).includes('0 of 13 done, 13 not acknowledged'));

    // ---- District: answers the province's directive, issues to its communes, cannot go up.
    await as(page, stack.base, DISTRICT_USER, DISTRICT_PASSWORD);
    await open(page, 'Directives', '[data-testid=issue-form]');
    const inboxItem = page.locator(`[data-testid=inbox] li[data-directive-id="${provDir.id}"]`);
    await inboxItem.waitFor();
    await inboxItem.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForSelector(`[data-testid=inbox] li[data-directive-id="${provDir.id}"][data-status=acknowledged]`);
    await inboxItem.getByLabel('Note').fill('All four gates screening since 07:00.');
    await inboxItem.getByRole('button', { name: 'Report done' }).click();
    await page.waitForSelector(`[data-testid=inbox] li[data-directive-id="${provDir.id}"][data-status=done]`);
    const answered = (await apiGet(stack.api, prov.token, `/directives/${provDir.id}`)).recipients.find((r) => r.org_unit_id === halong.id);
    assert.equal(answered.status, 'done');
    assert.equal(answered.done_note, 'All four gates screening since 07:00.');
    assert.equal(answered.done_by, dist.user.user_id);

    await page.getByLabel('Units I choose').check();
    const distOffered = (await page.locator('[data-testid=recipient-choice] input').evaluateAll((xs) => xs.map((x) => Number(x.value)))).sort((a, b) => a - b);
    assert.deepEqual(distOffered, communes.map((c) => c.id).sort((a, b) => a - b), 'the district is offered its communes only');
    assert.ok(!distOffered.includes(provinceId) && !distOffered.some((id) => districts.some((d) => d.id === id)), 'not the province, not a district');

    // Forced upward: the request rewritten to name the province; the server refuses, the screen says so.
    await page.locator(`[data-testid=recipient-choice] input[value="${commune.id}"]`).check();
    await page.fill('#dir-title', 'Upward (must be refused)');
    await page.fill('#dir-due', dueLocal);
    await page.route('**/api/v1/directives', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const body = JSON.parse(route.request().postData());
      await route.continue({ postData: JSON.stringify({ ...body, recipients: [provinceId] }) });
    });
    await page.getByRole('button', { name: 'Issue the directive' }).click();
    await page.waitForSelector('[data-testid=issue-form] [role=alert]');
    assert.ok((await page.innerText('[data-testid=issue-form] [role=alert]')).includes('You are not allowed to do this.'), 'the server\'s 403 is shown');
    await page.unroute('**/api/v1/directives');
    assert.equal((await apiGet(stack.api, dist.token, '/directives')).items.filter((d) => d.issuer_org_unit_id === halong.id).length, 0, 'nothing issued upward');
    const upward = await apiPost(stack.api, dist.token, '/directives', { title: 'Up', due_at: rfc3339(fromZonedLocal(dueLocal, tz)), recipients: [provinceId] });
    assert.equal(upward.status, 403, 'the API itself refuses upward');

    await page.getByLabel(`Every unit one level below mine (${communes.length})`).check();
    await page.fill('#dir-title', 'Door-to-door check of returning workers');
    await page.fill('#dir-body', 'List everyone back from across the border this week.');
    await page.getByRole('button', { name: 'Issue the directive' }).click();
    await page.waitForSelector('[data-testid=issued] li[data-directive-id]');
    const distDir = (await apiGet(stack.api, dist.token, '/directives')).items.find((d) => d.issuer_org_unit_id === halong.id);
    assert.equal(distDir.recipients.length, communes.length, 'to every commune of the district');

    // ---- Commune: cannot issue; sees the district's directive, not the province's; acknowledges.
    await as(page, stack.base, 'officer.commune');
    await open(page, 'Directives', '[data-testid=inbox]');
    await page.waitForSelector('[data-testid=no-issue]');
    assert.equal(await page.locator('[data-testid=issue-form]').count(), 0, 'a commune has no form to issue');
    const communeItem = page.locator(`[data-testid=inbox] li[data-directive-id="${distDir.id}"]`);
    await communeItem.waitFor();
    assert.equal(await page.locator(`[data-directive-id="${provDir.id}"]`).count(), 0, 'the province\'s directive to the districts is not the commune\'s');
    const commList = (await apiGet(stack.api, comm.token, '/directives')).items.map((d) => d.id);
    assert.deepEqual(commList, [distDir.id], 'the API agrees: the commune sees the one addressed to it');
    await communeItem.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForSelector(`[data-testid=inbox] li[data-directive-id="${distDir.id}"][data-status=acknowledged]`);
    await shootScreen(page, 'desk-directive-inbox');

    // ---- District: who has not acknowledged or done it, and since when (in the unit's zone).
    await as(page, stack.base, DISTRICT_USER, DISTRICT_PASSWORD);
    await open(page, 'Directives', `[data-testid=issued] li[data-directive-id="${distDir.id}"] [data-testid=recipients]`);
    const issued = page.locator(`[data-testid=issued] li[data-directive-id="${distDir.id}"]`);
    assert.ok((await issued.locator('[data-testid=counts]').innerText()).includes(`0 of ${communes.length} done, ${communes.length - 1} not acknowledged`));
    const after = await apiGet(stack.api, dist.token, `/directives/${distDir.id}`);
    const acked = after.recipients.find((r) => r.org_unit_id === commune.id);
    const ackRow = issued.locator(`tr[data-unit-id="${commune.id}"]`);
    assert.equal(await ackRow.getAttribute('data-status'), 'acknowledged');
    assert.ok((await ackRow.innerText()).includes(fmt.format(new Date(acked.acknowledged_at))), 'acknowledged since, in the unit\'s zone');
    const waiting = issued.locator('tr[data-status=pending]');
    assert.equal(await waiting.count(), communes.length - 1, 'the others have not acknowledged');
    assert.ok((await waiting.first().innerText()).includes(fmt.format(new Date(after.created_at))), 'waiting since it was issued');
    assert.equal(await issued.locator('tbody tr').first().getAttribute('data-status'), 'pending', 'those waiting come first');
    await shootScreen(page, 'desk-directive-issued');

    // ---- Tasks: the district makes one for the commune and one for itself, changes it, history.
    await open(page, 'Tasks', '[data-testid=task-form]');
    await page.fill('#task-title', 'Deliver test kits to the commune health station');
    await page.fill('#task-detail', '200 antigen kits from the district store.');
    await page.selectOption('#task-unit', String(commune.id));
    await page.selectOption('#task-priority', 'high');
    const taskDue = toZonedLocal(Date.now() + 86400000, tz);
    await page.fill('#task-due', taskDue);
    await page.getByRole('button', { name: 'Create the task' }).click();
    await page.getByText('Task created: Deliver test kits to the commune health station.').waitFor();
    await page.fill('#task-title', 'Call the province about extra staff');
    await page.getByLabel('Me', { exact: true }).check();
    await page.getByRole('button', { name: 'Create the task' }).click();
    await page.getByText('Task created: Call the province about extra staff.').waitFor();
    const distTasks = (await apiGet(stack.api, dist.token, '/tasks?limit=500')).items;
    const kits = distTasks.find((x) => x.title.startsWith('Deliver test kits'));
    const call = distTasks.find((x) => x.title.startsWith('Call the province'));
    assert.equal(kits.org_unit_id, commune.id);
    assert.equal(kits.priority, 'high');
    assert.equal(noMs(kits.due_at), rfc3339(fromZonedLocal(taskDue, tz)));
    assert.equal(call.org_unit_id, halong.id);
    assert.equal(call.assignee_id, dist.user.user_id);

    await page.getByLabel('Mine', { exact: true }).check();
    await page.waitForFunction((id) => document.querySelectorAll('[data-testid=tasks] tbody tr').length === 1 && document.querySelector(`[data-task-id="${id}"]`), call.id);
    await page.getByLabel('My unit\'s and below').check();
    await page.waitForSelector(`[data-testid=tasks] tr[data-task-id="${kits.id}"]`);
    const rowsAll = await page.locator('[data-testid=tasks] tbody tr').count();
    assert.equal(rowsAll, distTasks.length, 'every task of the district\'s subtree');
    await shootScreen(page, 'desk-tasks');

    await page.locator(`[data-testid=tasks] tr[data-task-id="${kits.id}"] a`).click();
    await page.waitForSelector('[data-testid=task-history] tbody tr');
    await page.selectOption('#task-new-status', 'in_progress');
    await page.fill('#task-note', 'Kits packed, driver leaves at 14:00.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=task-history] tbody tr').length === 2);
    assert.equal(await page.innerText('[data-testid=task-status]'), 'In progress');
    const kitsNow = await apiGet(stack.api, dist.token, `/tasks/${kits.id}`);
    assert.equal(kitsNow.status, 'in_progress');
    const last = kitsNow.history.at(-1);
    assert.deepEqual([last.from_status, last.to_status, last.note, last.by], ['open', 'in_progress', 'Kits packed, driver leaves at 14:00.', dist.user.user_id]);
    assert.ok((await page.innerText('[data-testid=task-history]')).includes(fmt.format(new Date(last.at))), 'history times in the unit\'s zone');
    await shootScreen(page, 'desk-task');

    // ---- Commune: its own tasks only (the kits and the directive's), not the district's.
    await as(page, stack.base, 'officer.commune');
    await open(page, 'Tasks', '[data-testid=tasks] tbody tr');
    const commUnits = await page.locator('[data-testid=tasks] tbody tr').evaluateAll((xs) => xs.map((x) => Number(x.dataset.unitId)));
    assert.ok(commUnits.length >= 2 && commUnits.every((u) => u === commune.id), 'a commune sees its own unit\'s tasks');
    assert.equal(await page.locator(`[data-task-id="${call.id}"]`).count(), 0, 'not the district\'s own task');
    await page.getByLabel('My unit\'s and below').check();
    await page.waitForSelector(`[data-testid=tasks] tr[data-task-id="${kits.id}"]`);
    assert.equal(await page.locator(`[data-task-id="${call.id}"]`).count(), 0, 'not even among "and below"');
    const hidden = await fetch(`${stack.api}/api/v1/tasks/${call.id}`, { headers: { Authorization: `Bearer ${comm.token}` } });
    assert.equal(hidden.status, 404, 'the district\'s task is 404 to the commune');

    // ---- Reports: the commune files today's, with the server's figures.
    await open(page, 'Situation reports', '[data-testid=now-figures]');
    await page.waitForSelector('[data-testid=report-missing]');
    const board = (await apiGet(stack.api, comm.token, `/dashboard?unit_id=${commune.id}&days=1`)).units.find((u) => u.org_unit_id === commune.id);
    const shownNow = await shownFigures(page, 'now-figures');
    assert.deepEqual(shownNow, { new_cases: board.days.new_cases[0], tests: board.days.tests[0], positives: board.days.positives[0], alerts: board.days.alerts[0], active_cases: board.active_cases, contacts_following: board.contacts_following, open_alerts: board.open_alerts }, 'the figures are the dashboard\'s');
    assert.equal(await page.locator('[data-testid=below]').count(), 0, 'a commune has no units below');
    await page.fill('#report-text', 'Two households refuse testing; the commune health station has kits for three days.');
    await page.getByRole('button', { name: 'File today\'s report' }).click();
    await page.waitForSelector('[data-testid=filed-figures]');
    const day = await apiGet(stack.api, comm.token, `/reports?unit_id=${commune.id}`);
    const filed = day.items.find((r) => r.org_unit_id === commune.id);
    assert.equal(filed.text, 'Two households refuse testing; the commune health station has kits for three days.');
    assert.equal(filed.revision, 1);
    assert.deepEqual(await shownFigures(page, 'filed-figures'), filed.figures, 'the filed figures are the server\'s');
    await shootScreen(page, 'desk-report-commune');

    // ---- District: its communes' reports, the roll-up, who has not reported today.
    await as(page, stack.base, DISTRICT_USER, DISTRICT_PASSWORD);
    await open(page, 'Situation reports', '[data-testid=below] [data-testid=rollup]');
    const distDay = await apiGet(stack.api, dist.token, `/reports?unit_id=${halong.id}`);
    assert.equal(distDay.expected, communes.length);
    assert.equal(distDay.missing.length, communes.length - 1);
    await page.waitForSelector(`[data-testid=unit-reports] tr[data-unit-id="${commune.id}"]`);
    assert.ok((await page.innerText(`[data-testid=unit-reports] tr[data-unit-id="${commune.id}"]`)).includes('Two households refuse testing'));
    const missingShown = (await page.locator('[data-testid=missing] li').evaluateAll((xs) => xs.map((x) => Number(x.dataset.unitId)))).sort((a, b) => a - b);
    assert.deepEqual(missingShown, distDay.missing.map((m) => m.org_unit_id).sort((a, b) => a - b), 'who has not reported: the API\'s list');
    assert.ok(!missingShown.includes(commune.id));
    assert.deepEqual(await shownFigures(page, 'rollup'), distDay.rollup, 'the roll-up is the server\'s');
    assert.ok((await page.innerText('[data-testid=reported-count]')).includes(`1 of ${communes.length} units reported`));
    await shootScreen(page, 'desk-reports-district');

    // ---- Province: every commune of the province expected, the one report in.
    await as(page, stack.base, 'officer.province');
    await open(page, 'Situation reports', '[data-testid=below] [data-testid=rollup]');
    const provDay = await apiGet(stack.api, prov.token, '/reports');
    assert.equal(await page.locator('[data-testid=missing] li').count(), provDay.missing.length);
    assert.ok((await page.innerText('[data-testid=reported-count]')).includes(`1 of ${provDay.expected} units reported`));
    assert.deepEqual(await shownFigures(page, 'rollup'), provDay.rollup);
    console.log(`    directives ${provDir.id} (to 13 districts) and ${distDir.id} (to ${communes.length} communes); tasks ${kits.id}, ${call.id}; province expects ${provDay.expected} reports, ${provDay.missing.length} missing`);
  } finally {
    await browser.close();
  }
}
