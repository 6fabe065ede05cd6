// Documents on a directive and on a case (docs/documents.md). The province attaches a plan to
// a directive through the screen; a file whose bytes are not its type is refused on the file's
// field; a district the directive reached sees the plan, downloads it whole (the same bytes, the
// browser's SHA-256 equal to the server's) and a response altered on the way is refused by that
// check; a district officer files a CSV on a case of a commune below. Each list equals the API's.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet, apiCall } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen } from '../lib/harness.mjs';

export const name = "documents: a directive's plan attached and downloaded whole with its SHA-256 checked, a lying file refused, a case's file";

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PASSWORD = 'mekong-demo-documents';
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

async function downloaded(page, item) {
  const [file] = await Promise.all([page.waitForEvent('download'), item.getByRole('button', { name: 'Download' }).first().click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

export async function run({ stack }) {
  const admin = await apiLogin(stack.api, 'admin');
  const districts = (await apiGet(stack.api, admin.token, `/org-units?parent_id=${admin.user.org_unit_id}`)).items;
  const halong = districts.find((u) => u.code === 'QN-01');
  const commune = (await apiGet(stack.api, admin.token, `/org-units?parent_id=${halong.id}`)).items.find((u) => u.code === 'QN-01-01');
  const username = `documents.halong.${Date.now()}`;
  const made = await apiCall(stack.api, admin.token, 'POST', '/users', { username, password: PASSWORD, role: 'command_officer', org_unit_id: halong.id });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const prov = (await apiLogin(stack.api, 'officer.province')).token;
  const dist = (await apiLogin(stack.api, username, PASSWORD)).token;
  const directive = await apiCall(stack.api, prov, 'POST', '/directives', { title: 'Kế hoạch xét nghiệm chợ đầu mối', body: 'Xem kế hoạch đính kèm.', due_at: new Date(Date.now() + 2 * 86400000).toISOString(), to_all: 'children' });
  assert.equal(directive.status, 201, JSON.stringify(directive.body));
  const id = directive.body.id;

  const browser = await launch({});
  try {
    const page = await newPage(browser.context);
    await signIn(page, stack.base, 'officer.province');
    await page.goto(`${stack.base}/command/directives`);
    const issued = page.locator(`[data-testid=issued] li[data-directive-id="${id}"]`);
    await issued.waitFor();
    if (!(await issued.locator('details').evaluate((d) => d.open))) await issued.locator('summary').click();
    const docs = issued.locator(`[data-testid="documents-directive-${id}"]`);
    await docs.getByText('No documents attached yet.').waitFor();

    // The plan, attached through the screen.
    await docs.locator('input[type=file]').setInputFiles({ name: 'kế hoạch.pdf', mimeType: 'application/pdf', buffer: PDF });
    await docs.getByRole('button', { name: 'Attach the file' }).click();
    await docs.locator('[data-testid=doc-attached]').waitFor();
    await docs.locator('li[data-document-id]').waitFor();
    let api = await apiGet(stack.api, prov, `/documents?subject=directive&subject_id=${id}`);
    assert.equal(api.items.length, 1);
    assert.equal(api.items[0].sha256, sha256(PDF), 'stored under the SHA-256 of the bytes sent');
    assert.equal(api.items[0].filename, 'kế hoạch.pdf');

    // A PDF sent as a PNG: the server refuses the bytes and the screen says so on the file's field.
    await docs.locator('input[type=file]').setInputFiles({ name: 'chợ.png', mimeType: 'image/png', buffer: PDF });
    await docs.getByRole('button', { name: 'Attach the file' }).click();
    await docs.locator('.field-error .error-text').waitFor();
    assert.match(await docs.locator('.field-error .error-text').innerText(), /not what its type says/);
    api = await apiGet(stack.api, prov, `/documents?subject=directive&subject_id=${id}`);
    assert.equal(api.items.length, 1, 'nothing refused is stored');

    // The district reached by the directive: its inbox shows the plan; the download is the same bytes.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('#username');
    await signIn(page, stack.base, username, PASSWORD);
    await page.goto(`${stack.base}/command/directives`);
    const inbox = page.locator(`[data-testid=inbox] li[data-directive-id="${id}"]`);
    await inbox.locator('li[data-document-id]').waitFor();
    assert.equal(await inbox.locator('li[data-document-id]').count(), (await apiGet(stack.api, dist, `/documents?subject=directive&subject_id=${id}`)).items.length);
    const got = await downloaded(page, inbox);
    assert.equal(got.name, 'kế hoạch.pdf');
    assert.ok(got.bytes.equals(PDF), 'the bytes downloaded are the bytes attached');
    await inbox.locator('[data-testid=doc-checked]').waitFor();
    await shootScreen(page, 'documents-directive', { ready: (p) => inbox.locator('li[data-document-id]').waitFor() });

    // A commune's situation report carries an annex; the district opens it from the day's table.
    const comm = (await apiLogin(stack.api, 'officer.commune')).token;
    const report = await apiCall(stack.api, comm, 'POST', '/reports', { text: 'Hai ca mới ở chợ.' });
    assert.equal(report.status, 201, JSON.stringify(report.body));
    const annex = Buffer.from('chợ,ca\nHạ Long,2\n');
    const up = await fetch(`${stack.api}/api/v1/documents?subject=report&subject_id=${report.body.id}&filename=${encodeURIComponent('phụ lục.csv')}`, { method: 'POST', headers: { Authorization: `Bearer ${comm}`, 'Content-Type': 'text/csv' }, body: annex });
    assert.equal(up.status, 201);
    await page.goto(`${stack.base}/command/reports`);
    const row = page.locator(`[data-testid=unit-reports] tr[data-unit-id="${commune.id}"]`);
    await row.locator('summary').click();
    await row.locator('li[data-document-id]').waitFor();
    assert.equal(await row.locator('.doc-name').innerText(), 'phụ lục.csv');
    assert.equal(await row.locator('input[type=file]').count(), 0, 'the district reads the annex; the commune files it');
    await page.goto(`${stack.base}/command/directives`);
    await inbox.locator('li[data-document-id]').waitFor();

    // Bytes altered between server and browser fail the browser's own check: nothing is saved.
    await page.route('**/api/v1/documents/*/content', (route) => route.fulfill({ status: 200, contentType: 'application/pdf', body: Buffer.from('%PDF-1.4 altered') }));
    let saved = false;
    page.once('download', () => { saved = true; });
    await inbox.getByRole('button', { name: 'Download' }).first().click();
    await inbox.locator('[data-testid=doc-mismatch]').waitFor();
    assert.equal(saved, false, 'an altered file is not offered');
    await page.unroute('**/api/v1/documents/*/content');

    // A case of a commune below the district: its file gets a CSV; the list equals the API's.
    const n = Date.now() % 1e8;
    const person = await apiCall(stack.api, admin.token, 'POST', '/people', { full_name: `Tài liệu ${n}`, document_type: 'national_id', document_number: `DOC${n}`, nationality: 'VN', language: 'vi', org_unit_id: commune.id });
    assert.equal(person.status, 201, JSON.stringify(person.body));
    const kase = await apiCall(stack.api, dist, 'POST', '/cases', { person_id: person.body.id, onset_at: new Date(Date.now() - 86400000).toISOString() });
    assert.equal(kase.status, 201, JSON.stringify(kase.body));
    await page.goto(`${stack.base}/outbreak/cases/${kase.body.id}`);
    const caseDocs = page.locator(`[data-testid="documents-case-${kase.body.id}"]`);
    await caseDocs.getByText('No documents attached yet.').waitFor();
    const csv = Buffer.from('tên,ngày\nNgô Đức Hương,2026-12-01\n');
    await caseDocs.locator('input[type=file]').setInputFiles({ name: 'tiếp xúc.csv', mimeType: 'text/csv', buffer: csv });
    await caseDocs.getByRole('button', { name: 'Attach the file' }).click();
    await caseDocs.locator('li[data-document-id]').waitFor();
    const onCase = await apiGet(stack.api, dist, `/documents?subject=case&subject_id=${kase.body.id}`);
    assert.deepEqual(onCase.items.map((d) => [d.filename, d.media_type, d.size]), [['tiếp xúc.csv', 'text/csv', csv.length]]);
    const back = await downloaded(page, caseDocs);
    assert.ok(back.bytes.equals(csv));
    await shootScreen(page, 'documents-case', { langs: ['th', 'my'] });
  } finally {
    await browser.close();
  }
}
