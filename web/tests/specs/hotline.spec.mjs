// The hotline and feedback tickets. A citizen (on a phone whose clock is set to UTC: the
// dates must follow the person's own zone) asks a question in Vietnamese through the form and
// finds it in "My questions"; the provincial command officer finds it in the desk's queue by the
// caller's language, sees when the first answer is due (relative, in the reader's language) and
// answers it; the citizen sees the answer and "answered", writes again (open again); the officer
// closes it, the note required; the citizen sees it closed and no box left to write in. The
// citizen closes another question of theirs without a note. The desk records a phone call in
// Japanese, shown with the language's name in each reader's language. The summary figures are
// GET /tickets/summary's; the queue's rows the API's (filters, a late mark); a commune officer
// opens only what the API lets them (a ticket outside the commune is "not found"), a tracer has
// no hotline at all (no menu entry, sent home, 403).
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet, apiCall } from '../lib/servers.mjs';
import { assert, newPage, signIn, setLanguage, shootScreen, checkA11y, step } from '../lib/harness.mjs';
import { NAMES } from '../../src/areas/hotline/names.js';

export const name = 'hotline: a citizen asks in Vietnamese, the desk answers and closes; a phone call in Japanese; summary, queue and who sees what as the API says';

/** The summary's figures as the desk writes them in English (en-GB). */
const dur = (s) => {
  if (s == null) return '—';
  const m = Math.round(s / 60);
  if (m < 1) return 'under a minute';
  return Math.floor(m / 60) ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`;
};
const pct = (x) => (x == null ? '—' : `${Math.round(x * 100)}%`);
const FIGURES = {
  opened: String, open: String, answered: String, closed: String, first_reply_late: String, close_late: String,
  median_first_reply_seconds: dur, median_close_seconds: dur, first_reply_on_time: pct, closed_on_time: pct,
};

async function summaryMatches(page, api, token) {
  await page.waitForSelector('[data-testid=summary]');
  const s = await apiGet(api, token, '/tickets/summary?days=30');
  for (const [k, show] of Object.entries(FIGURES)) {
    const shown = (await page.innerText(`[data-testid=summary] [data-figure=${k}] dd`)).trim();
    assert.equal(shown, show(s[k]), `summary ${k}: the API says ${s[k]}`);
  }
  assert.match(await page.innerText('#sum-h'), new RegExp(`${s.days} days`));
  return s;
}

/** The ids of the queue's rows, once they are the `want` ones (the list is read again on a filter). */
async function queueIs(page, want, what) {
  const sorted = [...want].sort((a, b) => a - b);
  await page.waitForFunction((ids) => {
    const rows = [...document.querySelectorAll('[data-testid=queue] tbody tr')].map((r) => Number(r.dataset.ticketId)).sort((a, b) => a - b);
    const none = !!document.querySelector('[data-testid=no-tickets]');
    return ids.length ? rows.join() === ids.join() : none;
  }, sorted, { timeout: 10000 }).catch(() => {});
  const rows = await page.locator('[data-testid=queue] tbody tr').evaluateAll((xs) => xs.map((x) => Number(x.dataset.ticketId)));
  assert.deepEqual(rows.sort((a, b) => a - b), sorted, `queue ${what}: the rows are the API's`);
}

/** A language's name as the desk should write it for a reader of `code`. */
async function expectedLanguageName(page, code, lang) {
  if (NAMES[code]) return NAMES[code][lang];
  const intl = { en: 'en-GB', vi: 'vi-VN', th: 'th-TH' }[code] || code;
  return page.evaluate(([l, c]) => new Intl.DisplayNames([l], { type: 'language' }).of(c), [intl, lang]);
}

async function as(page, base, username) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForSelector('#username');
  await signIn(page, base, username);
}

export async function run({ stack }) {
  const api = stack.api;
  const citizen = await apiLogin(api, 'citizen');
  const prov = await apiLogin(api, 'officer.province');
  const comm = await apiLogin(api, 'officer.commune');
  const tracer = await apiLogin(api, 'tracer.halong');
  const person = await apiGet(api, citizen.token, `/people/${citizen.user.person_id}`);
  const zone = person.time_zone || (await apiGet(api, citizen.token, `/org-units/${person.org_unit_id}`)).time_zone;
  assert.ok(zone, 'the citizen has a time zone');
  const before = (await apiGet(api, citizen.token, '/tickets')).items.length;

  // The citizen's phone says UTC: what is shown must be in the person's zone all the same.
  const phone = await launch({ timezoneId: 'UTC' });
  const desk = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const cp = await newPage(phone.context);
    const dp = await newPage(desk.context);

    // ---- The citizen asks in Vietnamese, through the form.
    step('citizen asks');
    await signIn(cp, stack.base, 'citizen');
    await cp.click('nav a[href="/me/questions"]');
    await cp.waitForSelector('[data-testid=ask-form]');
    await setLanguage(cp, 'vi');
    assert.equal(await cp.inputValue('#ask-language'), 'vi', 'the answer\'s language follows the app\'s');
    await cp.selectOption('#ask-category', 'quarantine');
    const subject = 'Cách ly sau khi về từ Đông Hưng';
    const question = 'Tôi vừa qua cửa khẩu Móng Cái hôm qua. Tôi có phải cách ly ở nhà không, và trong bao lâu?';
    await cp.fill('#ask-subject', subject);
    await cp.fill('#ask-body', question);
    await cp.click('[data-testid=ask-form] button[type=submit]');
    await cp.waitForSelector('[data-testid=asked]');
    const mine = (await apiGet(api, citizen.token, '/tickets')).items;
    assert.equal(mine.length, before + 1, 'one ticket more');
    const k = mine.find((x) => x.subject === subject);
    assert.ok(k, 'the question is the API\'s');
    assert.equal(k.language, 'vi', 'sent in Vietnamese');
    assert.equal(k.channel, 'web');
    assert.equal(k.category, 'quarantine');
    assert.equal(k.status, 'open');
    assert.equal(k.person_id, citizen.user.person_id);
    const full = await apiGet(api, citizen.token, `/tickets/${k.id}`);
    assert.equal(full.messages[0].body, question);

    // In the list, with its status and the date in the person's zone and the reader's language.
    const item = cp.locator(`[data-testid=questions] li[data-ticket-id="${k.id}"]`);
    await item.waitFor();
    assert.equal(await cp.locator('[data-testid=questions] li').count(), mine.length, 'one card per ticket of the API');
    assert.equal(await item.getAttribute('data-status'), 'open');
    assert.equal((await item.locator('[data-testid=status]').innerText()).trim(), 'Đang chờ đường dây nóng');
    const askedVi = await cp.evaluate(([iso, tz]) => new Intl.DateTimeFormat('vi-VN', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)), [k.created_at, zone]);
    assert.ok((await item.innerText()).includes(`Hỏi lúc ${askedVi}`), `asked at ${askedVi} (${zone}), not in the phone's UTC: ${await item.innerText()}`);
    await setLanguage(cp, 'en');
    await shootScreen(cp, 'hotline-mine', { ready: (p) => p.waitForSelector(`[data-testid=questions] li[data-ticket-id="${k.id}"]`) });

    // ---- The desk: the summary is the API's; the queue by the caller's language.
    step('desk queue');
    await signIn(dp, stack.base, 'officer.province');
    await dp.getByRole('link', { name: 'Hotline', exact: true }).click();
    await summaryMatches(dp, api, prov.token);
    await dp.waitForSelector(`[data-testid=queue] tr[data-ticket-id="${k.id}"]`);
    await queueIs(dp, (await apiGet(api, prov.token, '/tickets?limit=50')).items.map((x) => x.id), 'unfiltered');
    await dp.selectOption('#q-language', 'vi');
    const vi = (await apiGet(api, prov.token, '/tickets?language=vi&limit=50')).items;
    assert.ok(vi.some((x) => x.id === k.id));
    await queueIs(dp, vi.map((x) => x.id), 'language vi');
    const row = dp.locator(`[data-testid=queue] tr[data-ticket-id="${k.id}"]`);
    const rowText = await row.innerText();
    assert.ok(rowText.includes(subject), 'the subject');
    assert.equal((await row.locator('[data-testid=language]').innerText()).trim(), 'Vietnamese', 'the caller\'s language by its name');
    assert.ok(rowText.includes('Web form'), 'the channel');
    assert.ok(/Opened (just now|\d+ minutes? ago)/.test(rowText), `its age: ${rowText}`);
    assert.ok(rowText.includes('Answer due in 4 hours'), `the first answer's target, relative: ${rowText}`);
    assert.equal(await row.getAttribute('data-late'), 'false');
    assert.equal(await row.locator('.ticket-late').count(), 0, 'not late');
    await dp.selectOption('#q-status', 'answered');
    await queueIs(dp, (await apiGet(api, prov.token, '/tickets?language=vi&status=answered&limit=50')).items.map((x) => x.id), 'vi and answered');
    await dp.selectOption('#q-status', '');
    await dp.check('#q-late');
    await queueIs(dp, (await apiGet(api, prov.token, '/tickets?language=vi&late=true&limit=50')).items.map((x) => x.id), 'vi and late');
    await dp.uncheck('#q-late');
    await queueIs(dp, vi.map((x) => x.id), 'language vi again');

    // A ticket the server calls late carries the word, not a colour alone (the answer rewritten:
    // a real one needs four hours to pass).
    const isList = (u) => u.pathname === '/api/v1/tickets';
    await dp.route(isList, async (route) => {
      const r = await route.fetch();
      const j = await r.json();
      for (const x of j.items || []) if (x.id === k.id) Object.assign(x, { first_reply_late: true, close_late: true });
      await route.fulfill({ response: r, json: j });
    });
    await dp.selectOption('#q-category', 'quarantine');
    await dp.waitForSelector(`[data-testid=queue] tr[data-ticket-id="${k.id}"][data-late=true]`);
    assert.equal((await row.locator('[data-testid=late-reply]').innerText()).trim(), 'Late: first answer');
    assert.equal((await row.locator('[data-testid=late-close]').innerText()).trim(), 'Late: closing');
    await dp.unroute(isList);
    await dp.selectOption('#q-category', '');
    await dp.waitForSelector(`[data-testid=queue] tr[data-ticket-id="${k.id}"][data-late=false]`);

    // ---- The ticket at the desk: the target relative in the reader's language; the answer.
    step('desk answers');
    await row.getByRole('link', { name: subject }).click();
    await dp.waitForSelector('[data-testid=ticket-facts]');
    assert.equal((await dp.innerText('[data-testid=ticket-facts] [data-testid=language]')).trim(), 'Vietnamese');
    assert.equal((await dp.innerText('[data-testid=reply-due]')).trim(), 'Answer due in 4 hours');
    await setLanguage(dp, 'th');
    const in4hTh = await dp.evaluate(() => new Intl.RelativeTimeFormat('th-TH', { numeric: 'auto' }).format(4, 'hour'));
    assert.equal((await dp.innerText('[data-testid=reply-due]')).trim(), `ต้องตอบ${in4hTh}`, 'relative, in Thai');
    await setLanguage(dp, 'en');
    assert.equal(await dp.getAttribute('[data-testid=thread] li', 'data-from-staff'), 'false');
    assert.equal((await dp.innerText('[data-testid=thread] li [data-testid=who]')).trim(), `The caller, ${k.caller_name}`);
    const answer = 'Chào anh/chị, người nhập cảnh qua cửa khẩu cần tự theo dõi sức khoẻ tại nhà 7 ngày và báo trạm y tế nếu có triệu chứng.';
    await dp.getByRole('button', { name: 'Send the answer' }).click();
    await dp.waitForSelector('#answer-body-error');
    assert.equal(await dp.getAttribute('#answer-body', 'aria-invalid'), 'true', 'an empty answer is not sent');
    await dp.fill('#answer-body', answer);
    await dp.getByRole('button', { name: 'Send the answer' }).click();
    await dp.waitForSelector('[data-testid=status][data-status=answered]');
    const answered = await apiGet(api, prov.token, `/tickets/${k.id}`);
    assert.equal(answered.status, 'answered');
    assert.ok(answered.first_reply_at, 'the first reply is timed');
    const last = answered.messages.at(-1);
    assert.deepEqual([last.body, last.from_staff, last.by], [answer, true, prov.user.user_id]);
    assert.equal(await dp.locator('[data-testid=thread] li').count(), 2);
    assert.equal((await dp.locator('[data-testid=thread] li [data-testid=who]').nth(1).innerText()).trim(), 'You');
    assert.match(await dp.innerText('[data-testid=reply-due]'), /^Answered /);

    // ---- The citizen sees the answer; writes again (the ticket waits for the hotline again).
    step('citizen reads the answer');
    await cp.reload();
    await item.getByRole('link', { name: subject }).click();
    await cp.waitForSelector('[data-testid=thread]');
    assert.equal(await cp.getAttribute('[data-testid=ticket-facts] [data-testid=status]', 'data-status'), 'answered');
    assert.equal((await cp.innerText('[data-testid=ticket-facts] [data-testid=status]')).trim(), 'Answered');
    const whos = await cp.locator('[data-testid=thread] [data-testid=who]').allInnerTexts();
    assert.deepEqual(whos.map((s) => s.trim()), ['You', 'The hotline']);
    assert.equal((await cp.locator('[data-testid=thread] [data-testid=body]').nth(1).innerText()).trim(), answer);
    const followUp = 'Cảm ơn. Tôi sống cùng mẹ đã 80 tuổi, tôi có cần ở phòng riêng không?';
    await cp.fill('#msg-body', followUp);
    await cp.getByRole('button', { name: 'Send the message' }).click();
    await cp.waitForSelector('[data-testid=ticket-facts] [data-testid=status][data-status=open]');
    const reopened = await apiGet(api, citizen.token, `/tickets/${k.id}`);
    assert.equal(reopened.status, 'open', 'back with the hotline');
    assert.deepEqual([reopened.messages.at(-1).body, reopened.messages.at(-1).from_staff], [followUp, false]);
    assert.equal(await cp.locator('[data-testid=thread] li').count(), 3);
    await shootScreen(cp, 'hotline-mine-ticket', { ready: (p) => p.waitForSelector('[data-testid=thread] li:nth-child(3)') });

    // ---- The desk closes it: the note is required (by the screen and by the server).
    step('desk closes');
    await dp.reload();
    await dp.waitForSelector('[data-testid=ticket-facts] [data-testid=status][data-status=open]');
    assert.equal(await dp.locator('[data-testid=thread] li').count(), 3, 'the citizen\'s message is in the desk\'s thread');
    await shootScreen(dp, 'hotline-desk-ticket', { ready: (p) => p.waitForSelector('[data-testid=close-form]') });
    await dp.getByRole('button', { name: 'Close the ticket' }).click();
    await dp.waitForSelector('#close-note-error');
    assert.equal(await dp.getAttribute('#close-note', 'aria-invalid'), 'true');
    assert.ok((await dp.getAttribute('#close-note', 'aria-describedby')).includes('close-note-error'));
    assert.equal((await apiGet(api, prov.token, `/tickets/${k.id}`)).status, 'open', 'nothing closed');
    const noNote = await apiCall(api, prov.token, 'POST', `/tickets/${k.id}/close`, {});
    assert.deepEqual([noNote.status, noNote.body?.error?.field], [400, 'note'], 'the server wants the note too');
    // The server's refusal shown at the field: the note stripped on its way (page.route).
    const isClose = (u) => u.pathname === `/api/v1/tickets/${k.id}/close`;
    await dp.route(isClose, (route) => route.continue({ postData: '{}' }));
    await dp.fill('#close-note', 'x');
    await dp.getByRole('button', { name: 'Close the ticket' }).click();
    await dp.waitForSelector('[data-testid=close-form] [role=alert]');
    assert.ok((await dp.innerText('[data-testid=close-form] [role=alert]')).includes('Some of the information is not valid.'));
    assert.equal((await dp.innerText('#close-note-error')).trim(), 'Some of the information is not valid.', 'on the note field');
    await dp.unroute(isClose);
    const note = 'Đã hướng dẫn tự theo dõi 7 ngày, ở phòng riêng nếu có thể; trạm y tế phường sẽ gọi lại.';
    await dp.fill('#close-note', note);
    await dp.getByRole('button', { name: 'Close the ticket' }).click();
    await dp.waitForSelector('[data-testid=ticket-facts] [data-testid=status][data-status=closed]');
    const closed = await apiGet(api, prov.token, `/tickets/${k.id}`);
    assert.deepEqual([closed.status, closed.close_note], ['closed', note]);
    assert.ok(closed.closed_at);
    assert.equal((await dp.innerText('[data-testid=close-note]')).trim(), note);
    assert.equal(await dp.locator('[data-testid=message-form], [data-testid=close-form]').count(), 0, 'no answer box or close form on a closed ticket');

    // ---- The citizen sees it closed, with the note, and nothing to write in.
    step('citizen sees it closed');
    await cp.reload();
    await cp.waitForSelector('[data-testid=ticket-facts] [data-testid=status][data-status=closed]');
    assert.equal((await cp.innerText('[data-testid=ticket-facts] [data-testid=status]')).trim(), 'Closed');
    assert.equal((await cp.innerText('[data-testid=close-note]')).trim(), note);
    assert.equal(await cp.locator('[data-testid=message-form]').count(), 0, 'the message box is gone');
    assert.equal(await cp.locator('#msg-body').count(), 0);
    assert.equal(await cp.getByRole('button', { name: 'Close — my question is answered' }).count(), 0);
    await checkA11y(cp, 'hotline-mine-ticket closed');
    const refused = await apiCall(api, citizen.token, 'POST', `/tickets/${k.id}/messages`, { body: 'again' });
    assert.equal(refused.status, 409, 'the API refuses to add to a closed ticket');

    // The citizen closes a question of their own, no note needed.
    const own = await apiCall(api, citizen.token, 'POST', '/tickets', { category: 'vaccination', subject: 'Mũi nhắc lại', body: 'Tôi tiêm mũi 3 ở đâu?' });
    assert.equal(own.status, 201);
    await cp.goto(`${stack.base}/me/questions/${own.body.id}`);
    await cp.getByRole('button', { name: 'Close — my question is answered' }).click();
    await cp.waitForSelector('[data-testid=ticket-facts] [data-testid=status][data-status=closed]');
    await cp.waitForSelector('[data-testid=close-done]');
    const ownClosed = await apiGet(api, citizen.token, `/tickets/${own.body.id}`);
    assert.deepEqual([ownClosed.status, ownClosed.close_note], ['closed', '']);
    assert.equal(await cp.locator('[data-testid=message-form]').count(), 0);

    // ---- The desk records a phone call in Japanese.
    step('desk records a call');
    await dp.getByRole('link', { name: 'Back to the hotline' }).click();
    await dp.getByRole('link', { name: 'Record a call' }).click();
    await dp.waitForSelector('[data-testid=call-form]');
    await dp.waitForSelector('#call-unit');
    await shootScreen(dp, 'hotline-desk-call');
    assert.equal(await dp.isChecked('input[name=call-channel][value=phone]'), true, 'a phone call by default');
    await dp.fill('#call-name', 'Tanaka Yuki');
    await dp.fill('#call-contact', '+81 90 1234 5678');
    await dp.selectOption('#call-language', 'ja');
    await dp.selectOption('#call-category', 'entry_exit');
    const jaSubject = 'ハロン湾からの出国手続き';
    const jaBody = '来週ハイフォン空港から帰国します。出国前の検査は必要ですか。';
    await dp.fill('#call-subject', jaSubject);
    await dp.fill('#call-body', jaBody);
    await dp.getByRole('button', { name: 'Save the ticket' }).click();
    await dp.waitForSelector('[data-testid=done]');
    const jaId = Number(new URL(dp.url()).pathname.split('/').pop());
    const ja = await apiGet(api, prov.token, `/tickets/${jaId}`);
    assert.deepEqual([ja.channel, ja.language, ja.category, ja.subject, ja.caller_name, ja.caller_contact, ja.opened_by, ja.org_unit_id, ja.status],
      ['phone', 'ja', 'entry_exit', jaSubject, 'Tanaka Yuki', '+81 90 1234 5678', prov.user.user_id, prov.user.org_unit_id, 'open']);
    assert.deepEqual([ja.messages[0].body, ja.messages[0].from_staff], [jaBody, false], 'what they said is the caller\'s message');
    assert.equal((await dp.innerText('[data-testid=ticket-facts] [data-testid=language]')).trim(), 'Japanese');
    assert.equal((await dp.innerText('[data-testid=thread] [data-testid=who]')).trim(), 'The caller, Tanaka Yuki');

    await dp.getByRole('link', { name: 'Back to the hotline' }).click();
    await dp.waitForSelector(`[data-testid=queue] tr[data-ticket-id="${jaId}"]`);
    const jaRow = dp.locator(`[data-testid=queue] tr[data-ticket-id="${jaId}"]`);
    assert.equal((await jaRow.locator('[data-testid=language]').innerText()).trim(), 'Japanese');
    assert.ok((await jaRow.innerText()).includes('Phone call'));
    await dp.selectOption('#q-language', 'ja');
    await queueIs(dp, (await apiGet(api, prov.token, '/tickets?language=ja&limit=50')).items.map((x) => x.id), 'language ja');
    await dp.selectOption('#q-language', '');
    await dp.waitForSelector(`[data-testid=queue] tr[data-ticket-id="${k.id}"]`);
    const s = await summaryMatches(dp, api, prov.token);
    assert.ok(s.closed >= 1 && s.median_close_seconds != null, 'a closed ticket counts in the summary');
    // The queue in five languages, the caller's language named in each (Intl or, for km/lo/my, CLDR's names).
    await shootScreen(dp, 'hotline-desk-queue', {
      ready: async (p, code) => {
        await p.waitForSelector(`[data-testid=queue] tr[data-ticket-id="${jaId}"]`);
        const want = await expectedLanguageName(p, code, 'ja');
        await p.waitForFunction(([id, w]) => document.querySelector(`[data-testid=queue] tr[data-ticket-id="${id}"] [data-testid=language]`)?.textContent.trim() === w, [jaId, want], { timeout: 5000 }).catch(() => {});
        assert.equal((await p.innerText(`[data-testid=queue] tr[data-ticket-id="${jaId}"] [data-testid=language]`)).trim(), want, `Japanese named in ${code}`);
      },
    });

    // ---- A commune officer opens what the API lets them open, and nothing else.
    step('commune officer');
    await as(dp, stack.base, 'officer.commune');
    await dp.goto(`${stack.base}/hotline`);
    await dp.waitForSelector('[data-testid=queue], [data-testid=no-tickets]');
    await queueIs(dp, (await apiGet(api, comm.token, '/tickets?limit=50')).items.map((x) => x.id), 'the commune\'s');
    for (const [id, what] of [[k.id, 'the citizen\'s'], [jaId, 'the province\'s phone ticket']]) {
      const seen = await apiCall(api, comm.token, 'GET', `/tickets/${id}`);
      console.log(`    officer.commune (unit ${comm.user.org_unit_id}) and ticket ${id} (${what}): the API says ${seen.status}`);
      await dp.goto(`${stack.base}/hotline/tickets/${id}`);
      await dp.waitForSelector('[data-testid=ticket-facts], [role=alert]');
      if (seen.status === 200) {
        assert.equal(seen.body.org_unit_id, comm.user.org_unit_id, `${what} is the commune's own`);
        assert.equal((await dp.innerText('h1')).trim(), seen.body.subject, `${what} opens`);
      } else {
        assert.equal(seen.status, 404, `${what}: the API says not found`);
        assert.ok((await dp.innerText('[role=alert]')).includes('This was not found.'), `${what}: "not found"`);
        assert.equal(await dp.locator('[data-testid=thread]').count(), 0);
      }
    }
    assert.equal((await apiCall(api, comm.token, 'GET', `/tickets/${jaId}`)).status, 404, 'a ticket of the province is not the commune\'s');
    const communeSum = await apiCall(api, comm.token, 'GET', '/tickets/summary');
    assert.equal(communeSum.status, 200);

    // ---- A tracer has no hotline.
    step('tracer');
    await as(dp, stack.base, 'tracer.halong');
    await dp.waitForSelector('nav');
    assert.equal(await dp.locator('nav a[href="/hotline"]').count(), 0, 'no Hotline in the menu');
    await dp.goto(`${stack.base}/hotline`);
    await dp.waitForFunction(() => location.pathname !== '/hotline');
    assert.equal((await apiCall(api, tracer.token, 'GET', '/tickets')).status, 403, 'the API refuses a tracer');
    assert.equal((await apiCall(api, tracer.token, 'GET', '/tickets/summary')).status, 403);
  } finally {
    await phone.close();
    await desk.close();
  }
}
