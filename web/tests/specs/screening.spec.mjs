// The symptom self-assessment. The demo citizen opens "Symptom check", in Thai: the questions
// are the API's in Thai; sending with nothing answered is stopped on the questions (nothing
// posted); fever and cough (3 points) give "get tested" with its link to /me/tests, the two
// answers as the reasons worded with the questions, fever and cough reported, and the health
// code's colour now (the API's); the check is in "My earlier checks". Answering yes to the danger
// signs gives the emergency outcome. The administrator checks a broken questionnaire (the error
// at its line, marked in the gutter, a click takes the caret there; nothing activated), then a
// changed one: "Use version 2", the diff, activated. The citizen, still holding version 1, sends:
// the server's 409 on "version" is said and version 2 read again; sent again, it is answered
// against version 2. Screens photographed at 360 px in the five languages (Thai and Burmese
// among them) and axe-checked.
import { readFileSync } from 'node:fs';
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet } from '../lib/servers.mjs';
import { assert, newPage, signIn, shootScreen, setLanguage, checkA11y, step } from '../lib/harness.mjs';

export const name = 'screening: symptom check in Thai (test, emergency), history; the questionnaire edited, checked and activated';

const catalogue = (lang) => JSON.parse(readFileSync(new URL(`../../src/locales/${lang}/screening.json`, import.meta.url), 'utf8'));
const lineOf = (text, re) => text.split('\n').findIndex((l) => re.test(l)) + 1;

/** Answer every question of `q`: yes to the ids in `yes`, no to the others, 0 to numbers. */
async function answer(page, q, yes) {
  for (const x of q.questions) {
    if (x.kind === 'yes_no') await page.locator(`[data-question="${x.id}"] input[value="${yes.includes(x.id) ? 'yes' : 'no'}"]`).check();
    else if (x.kind === 'number') await page.fill(`#q-${x.id}`, String(Math.max(0, x.min ?? 0)));
    else await page.locator(`[data-question="${x.id}"] input[type=radio]`).first().check();
  }
}

async function send(page) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/me/assessments') && r.request().method() === 'POST'),
    page.locator('[data-testid=questions] button[type=submit]').click(),
  ]);
  return res;
}

export async function run({ stack }) {
  const api = stack.api;
  const citizen = (await apiLogin(api, 'citizen')).token;
  const admin = (await apiLogin(api, 'admin')).token;
  const me = await apiGet(api, citizen, '/auth/me');
  const q1 = await apiGet(api, citizen, '/screening');
  const th = catalogue('th');
  const browser = await launch({});
  const desk = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await newPage(browser.context);
    await signIn(page, stack.base, 'citizen');
    await page.click('nav a[href="/me/assessment"]');
    await page.waitForSelector('[data-testid=questions]');
    assert.equal(await page.getAttribute('[data-testid=q-version]', 'data-version'), String(q1.version));
    assert.equal(await page.locator('[data-testid=questions] [data-question]').count(), q1.questions.length, 'one block per question');
    await shootScreen(page, 'screening-questions');

    // In Thai: the questions are the API's Thai texts.
    step('Thai questions');
    await setLanguage(page, 'th');
    const fever = q1.questions.find((x) => x.id === 'fever');
    assert.equal((await page.locator('[data-question=fever] legend').innerText()).trim(), fever.text.th, "the question in the file's Thai");
    assert.equal((await page.locator('[data-question=fever] label').first().innerText()).trim(), th.yes);

    // Nothing answered: stopped on the questions, nothing sent.
    let posted = 0;
    page.on('request', (r) => { if (r.url().includes('/api/v1/me/assessments') && r.method() === 'POST') posted++; });
    await page.locator('[data-testid=questions] button[type=submit]').click();
    await page.waitForSelector('[data-question=fever][aria-invalid=true]');
    assert.equal(await page.locator('[data-testid=questions] .error-text').count(), q1.questions.length, 'each unanswered question says so');
    assert.equal(posted, 0, 'nothing is sent');
    await checkA11y(page, 'screening-unanswered (th)');

    // Fever and cough: get tested.
    step('fever and cough');
    await answer(page, q1, ['fever', 'cough']);
    const res = await send(page);
    assert.equal(res.status(), 201);
    const a = await res.json();
    assert.equal(a.outcome, 'test');
    assert.deepEqual(a.symptoms, ['fever', 'cough']);
    await page.waitForSelector('[data-testid=result][data-outcome=test]');
    assert.match(await page.locator('.outcome-word').innerText(), new RegExp(th['outcome.test']));
    assert.equal(await page.getAttribute('[data-testid=next-step]', 'href'), '/me/tests', 'the next step is booking a test');
    const reasons = await page.locator('[data-testid=reasons] li').allInnerTexts();
    assert.equal(reasons.length, a.reasons.length, 'one line per answer that counted');
    assert.ok(reasons.some((r) => r.includes(fever.text.th) && r.includes(th.yes)), `fever worded with its Thai question: ${reasons}`);
    assert.deepEqual(await page.locator('[data-testid=symptoms] li').evaluateAll((xs) => xs.map((x) => x.dataset.symptom)), ['fever', 'cough']);
    const code = await apiGet(api, citizen, `/people/${me.person_id}/health-code`);
    assert.ok(a.code, 'symptoms reported: the code comes back');
    assert.equal(await page.getAttribute('[data-testid=code-changed]', 'data-colour'), code.colour, "the code's colour, as the API has it");
    assert.equal(a.code.colour, code.colour);
    assert.ok(code.reasons.some((r) => r.rule === 'symptoms' || r.rule === 'fever'), 'the symptoms are among the reasons of the code');
    assert.equal(await page.locator('[data-testid=code-changed] + p a[href="/me/code"]').count(), 1, 'a link to the code');
    await page.waitForSelector(`[data-testid=history] li[data-assessment-id="${a.id}"][data-outcome=test]`);
    const mine = await apiGet(api, citizen, '/me/assessments');
    assert.equal(mine.items[0].id, a.id, 'the newest check first, on the server');
    assert.deepEqual(await page.locator('[data-testid=history] li').evaluateAll((xs) => xs.map((x) => Number(x.dataset.assessmentId))), mine.items.map((x) => x.id), "the history is the API's");
    await shootScreen(page, 'screening-test'); // 360 px, in en, vi, th, my, km

    // The danger signs: emergency.
    step('danger signs');
    await page.getByRole('button', { name: 'Answer again' }).click();
    await page.waitForSelector('[data-testid=questions]');
    await answer(page, q1, ['danger_signs']);
    const res2 = await send(page);
    const e = await res2.json();
    assert.equal(e.outcome, 'emergency');
    await page.waitForSelector('[data-testid=result][data-outcome=emergency] .outcome-emergency[role=alert]');
    assert.equal(await page.locator('[data-testid=next-step]').count(), 0, 'no booking: go now');
    await page.waitForSelector(`[data-testid=history] li[data-assessment-id="${e.id}"][data-outcome=emergency]`);
    await shootScreen(page, 'screening-emergency', { langs: ['en', 'th', 'my'] });

    // The form stays open on version 1 while the administrator changes the questionnaire.
    await page.getByRole('button', { name: 'Answer again' }).click();
    await page.waitForSelector('[data-testid=questions]');

    step('admin: a broken questionnaire');
    const dp = await newPage(desk.context);
    const file = await apiGet(api, admin, '/screening/file');
    await signIn(dp, stack.base, 'admin');
    await dp.getByRole('link', { name: 'Screening questions' }).click();
    await dp.waitForSelector('#screening-text');
    assert.equal(await dp.inputValue('#screening-text'), file.text, 'the active text in the editor');
    await dp.waitForSelector(`[data-testid=screening-versions] tr[data-version="${file.version}"]`);
    await shootScreen(dp, 'admin-screening');
    const bad = file.text.replace(/^text\.pt = "Tem febre/m, 'text.xx = "Tem febre');
    const badLine = lineOf(bad, /^text\.xx = /);
    assert.ok(badLine > 0);
    await dp.fill('#screening-text', bad);
    await dp.getByRole('button', { name: 'Check', exact: true }).click();
    await dp.waitForSelector('[data-testid=screening-errors]');
    const lines = await dp.locator('[data-testid=screening-errors] li').evaluateAll((xs) => xs.map((x) => Number(x.dataset.line)));
    assert.ok(lines.includes(badLine), `an error on line ${badLine}: ${lines}`);
    assert.match(await dp.innerText(`[data-testid=screening-errors] li[data-line="${badLine}"]`), /text\.xx/);
    assert.ok(await dp.locator(`.gutter div:nth-child(${badLine}).bad`).count(), 'the line is marked beside the text');
    await dp.locator(`[data-testid=screening-errors] li[data-line="${badLine}"] button`).click();
    assert.equal(await dp.evaluate(() => document.activeElement.id), 'screening-text', 'the error takes the caret to its line');
    await shootScreen(dp, 'admin-screening-errors', { fullPage: false });
    assert.equal((await apiGet(api, admin, '/screening/file')).version, file.version, 'nothing activated');

    step('admin: version 2');
    const newText = 'Do you have a fever (37.3 °C or more) or chills today?';
    const good = file.text.replace(/^text\.en = "Do you have a fever.*"$/m, `text.en = "${newText}"`);
    assert.notEqual(good, file.text);
    await dp.fill('#screening-text', good);
    await dp.getByRole('button', { name: 'Check', exact: true }).click();
    await dp.getByRole('button', { name: `Use version ${file.version + 1}` }).click();
    await dp.getByRole('button', { name: 'Check', exact: true }).click();
    await dp.waitForSelector('[data-testid=screening-diff] table.diff');
    assert.match(await dp.innerText('[data-testid=screening-diff] table.diff'), /questions\[fever\]\.text\.en/);
    assert.match(await dp.innerText('[data-testid=screening-summary]'), new RegExp(`${q1.questions.length}`));
    await shootScreen(dp, 'admin-screening-diff', { fullPage: false });
    await dp.getByRole('button', { name: `Activate version ${file.version + 1}` }).click();
    await dp.waitForSelector('[data-testid=activated]');
    await dp.waitForSelector(`[data-testid=screening-versions] tr[data-version="${file.version + 1}"]`);
    const v2 = await apiGet(api, admin, '/screening/versions');
    assert.equal(v2.items[0].version, file.version + 1, 'a new version is active');
    assert.equal((await apiGet(api, citizen, '/screening')).version, file.version + 1);
    await checkA11y(dp, 'admin-screening after activation');

    // The citizen's form still holds version 1: the server says it changed, the screen reads
    // version 2 and keeps the answers; sent again, it is answered.
    step('citizen: the questionnaire changed meanwhile');
    await setLanguage(page, 'en');
    await answer(page, q1, ['cough']);
    const stale = await send(page);
    assert.equal(stale.status(), 409);
    assert.equal((await stale.json()).error.field, 'version');
    await page.waitForSelector('[data-testid=q-changed]');
    await page.waitForSelector(`[data-testid=q-version][data-version="${file.version + 1}"]`);
    assert.equal((await page.locator('[data-question=fever] legend').innerText()).trim(), newText, 'the new text');
    assert.ok(await page.locator('[data-question=cough] input[value=yes]').isChecked(), 'the answers are kept');
    await shootScreen(page, 'screening-changed', { langs: ['en', 'th'] });
    const again = await send(page);
    assert.equal(again.status(), 201);
    const b = await again.json();
    assert.equal(b.questionnaire_version, file.version + 1);
    await page.waitForSelector('[data-testid=result]');
    await page.goto(`${stack.base}/me/assessment`);
    await page.waitForSelector(`[data-testid=q-version][data-version="${file.version + 1}"]`);
  } finally {
    await browser.close();
    await desk.close();
  }
}
