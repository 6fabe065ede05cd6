// Messages and the outbox (docs/outbox.md). The hotline answers a citizen's question while the
// SMS gateway (a stub on loopback, tests/lib/servers.mjs) refuses: the message is in the
// citizen's inbox at once, in Vietnamese, its SMS failed. The citizen (a phone set to UTC: the
// dates follow the person's zone) reads it, which the server keeps, follows its link, is
// refused a malformed email at the field, and chooses Thai and an email address: the closing
// message comes in Thai. The province's officer finds the failed SMS in the outbox (the figures
// and rows the API's), opens it (one attempt, the gateway's error), retries it once the gateway
// answers again, and sees it sent on the second attempt; the email waits with no attempt (no
// SMTP server is configured) and cannot be retried. A tracer has no outbox.
import { launch } from '../lib/browser.mjs';
import { apiLogin, apiGet, apiCall } from '../lib/servers.mjs';
import { assert, newPage, signIn, setLanguage, shootScreen, checkA11y, step } from '../lib/harness.mjs';

export const name = 'messages: an answer in the inbox in Vietnamese, read; settings (Thai, email); the outbox retries a refused SMS; who sees what as the API says';

/** Poll `fn` until it returns something truthy (the sender works every second). */
async function waitFor(fn, what, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The ids shown in a list, once they are the `want` ones (the list is read again on a filter). */
async function idsAre(page, sel, attr, want, what) {
  await page.waitForFunction(([s, a, ids]) => [...document.querySelectorAll(s)].map((x) => Number(x.getAttribute(a))).join() === ids.join(), [sel, attr, want], { timeout: 10000 }).catch(() => {});
  const shown = await page.locator(sel).evaluateAll((xs, a) => xs.map((x) => Number(x.getAttribute(a))), attr);
  assert.deepEqual(shown, want, `${what}: the rows are the API's, in its order`);
}

export async function run({ stack }) {
  const api = stack.api;
  const gw = stack.sms;
  const citizen = await apiLogin(api, 'citizen');
  const prov = await apiLogin(api, 'officer.province');
  const tracer = await apiLogin(api, 'tracer.halong');
  const person = await apiGet(api, citizen.token, `/people/${citizen.user.person_id}`);
  const zone = person.time_zone || (await apiGet(api, citizen.token, `/org-units/${person.org_unit_id}`)).time_zone;
  assert.ok(person.phone, 'the demo citizen has a phone for SMS');

  // A known start: Vietnamese, SMS, no email.
  const start = await apiCall(api, citizen.token, 'PUT', '/me/message-settings', { language: 'vi', sms: true, email: '' });
  assert.equal(start.status, 200, JSON.stringify(start.body));

  // The hotline answers while the gateway refuses every SMS.
  gw.refuse = true;
  const subject = 'Mũi nhắc lại cho người nước ngoài';
  const t = await apiCall(api, citizen.token, 'POST', '/tickets', { category: 'vaccination', subject, body: 'Tôi là người Lào sống ở Hạ Long. Tôi tiêm mũi nhắc lại ở đâu?' });
  assert.equal(t.status, 201);
  const ans = await apiCall(api, prov.token, 'POST', `/tickets/${t.body.id}/messages`, { body: 'Trạm y tế phường tiêm cho cả người nước ngoài, sáng thứ Hai đến thứ Sáu.' });
  assert.equal(ans.status, 201);
  const inbox = await apiGet(api, citizen.token, '/me/messages?limit=20');
  const m = inbox.items.find((x) => x.link === `/me/questions/${t.body.id}`);
  assert.ok(m, 'the answer is a message to the citizen');
  assert.deepEqual([m.kind, m.language, m.read_at], ['ticket_answered', 'vi', null]);
  const smsOf = (msg, status) => async () => (await apiGet(api, prov.token, `/outbox?channel=sms${status ? `&status=${status}` : ''}&limit=200`)).items.find((d) => d.message_id === msg.id);
  const failed = await waitFor(smsOf(m, 'failed'), 'the refused SMS to fail');
  gw.refuse = false;
  assert.equal(failed.attempts, 1, 'a refusal is not retried by itself');

  const phone = await launch({ timezoneId: 'UTC' });
  const desk = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const cp = await newPage(phone.context);
    const dp = await newPage(desk.context);

    // ---- The inbox: the API's messages, newest first; the new one marked by a word.
    step('citizen inbox');
    await signIn(cp, stack.base, 'citizen');
    await cp.click('nav a[href="/me/messages"]');
    await cp.waitForSelector('[data-testid=messages]');
    await idsAre(cp, '[data-testid=messages] > li', 'data-message-id', inbox.items.map((x) => x.id), 'inbox');
    assert.equal((await cp.innerText('[data-testid=unread]')).trim(), `Unread: ${inbox.unread}`);
    const li = cp.locator(`[data-testid=messages] li[data-message-id="${m.id}"]`);
    assert.equal(await li.getAttribute('data-read'), 'false');
    assert.equal((await li.locator('[data-testid=new]').innerText()).trim(), 'New', 'unread is a word, not a colour alone');
    assert.equal((await li.locator('[data-testid=subject]').innerText()).trim(), m.subject);
    assert.equal(await li.locator('[data-testid=subject]').getAttribute('lang'), 'vi', 'in the language it was written in');
    const received = await cp.evaluate(([iso, tz]) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)), [m.created_at, zone]);
    assert.equal((await li.locator('[data-testid=received]').innerText()).trim(), `Received ${received}`, `in the person's zone (${zone}), not the phone's UTC`);
    assert.equal(await li.locator('[data-testid=text]').count(), 0, 'closed until opened');
    await shootScreen(cp, 'messages-inbox', { ready: (p) => p.waitForSelector(`[data-testid=messages] li[data-message-id="${m.id}"]`) });

    // Opening it shows the text and marks it read, on the server.
    step('citizen reads');
    await li.locator('[data-testid=toggle]').click();
    assert.equal((await li.locator('[data-testid=text]').innerText()).trim(), m.text.trim());
    await cp.waitForSelector(`[data-testid=messages] li[data-message-id="${m.id}"][data-read=true]`);
    const after = await apiGet(api, citizen.token, '/me/messages?limit=20');
    const read = after.items.find((x) => x.id === m.id);
    assert.ok(read.read_at, 'the server keeps the read');
    assert.equal(after.unread, inbox.unread - 1);
    assert.equal((await cp.innerText('[data-testid=unread]')).trim(), after.unread ? `Unread: ${after.unread}` : 'No unread messages.');
    assert.equal(await li.locator('[data-testid=new]').count(), 0);
    await li.locator('[data-testid=link]').click();
    await cp.waitForFunction((p) => location.pathname === p, `/me/questions/${t.body.id}`);
    await cp.waitForSelector('[data-testid=thread]');
    await cp.goBack();
    await cp.waitForSelector('[data-testid=settings] #ms-email');

    // ---- Settings: the server's refusal at the field; Thai and an email address.
    step('citizen settings');
    assert.equal(await cp.inputValue('#ms-language'), 'vi');
    assert.equal(await cp.isChecked('#ms-sms'), true);
    assert.ok((await cp.innerText('[data-testid=phone]')).includes(person.phone), 'SMS goes to the record\'s phone');
    await cp.fill('#ms-email', 'not-an-email');
    await cp.getByRole('button', { name: 'Save' }).click();
    await cp.waitForSelector('#ms-email-error');
    assert.equal((await cp.innerText('#ms-email-error')).trim(), 'This is not an email address we can send to.');
    assert.equal(await cp.getAttribute('#ms-email', 'aria-invalid'), 'true');
    assert.equal((await apiGet(api, citizen.token, '/me/message-settings')).email, '', 'nothing saved');
    await cp.focus('#ms-language'); // the list fills on focus, as a tap does (ui.jsx)
    await cp.selectOption('#ms-language', 'th');
    await cp.fill('#ms-email', 'lan.nguyen@example.org');
    await cp.getByRole('button', { name: 'Save' }).click();
    await cp.waitForSelector('[data-testid=saved]');
    const set = await apiGet(api, citizen.token, '/me/message-settings');
    assert.deepEqual([set.language, set.sms, set.email], ['th', true, 'lan.nguyen@example.org']);
    await checkA11y(cp, 'messages settings saved');

    // The desk closes the question: that message comes in Thai, by email too.
    const note = 'Đã hướng dẫn địa điểm tiêm.';
    assert.equal((await apiCall(api, prov.token, 'POST', `/tickets/${t.body.id}/close`, { note })).status, 200);
    const closedMsg = (await apiGet(api, citizen.token, '/me/messages?limit=20')).items[0];
    assert.deepEqual([closedMsg.kind, closedMsg.language], ['ticket_closed', 'th']);
    await cp.reload();
    const top = cp.locator('[data-testid=messages] > li').first();
    await top.waitFor();
    assert.equal(await top.getAttribute('data-message-id'), String(closedMsg.id), 'newest first');
    assert.equal(await top.locator('[data-testid=subject]').getAttribute('lang'), 'th');
    assert.equal((await top.locator('[data-testid=subject]').innerText()).trim(), closedMsg.subject);

    // ---- The outbox: figures and rows the API's.
    step('outbox');
    await signIn(dp, stack.base, 'officer.province');
    await dp.getByRole('link', { name: 'Outbox', exact: true }).click();
    await dp.waitForSelector('[data-testid=summary]');
    await dp.waitForSelector('[data-testid=outbox]');
    // The sender works in the background (a delivery is "sending" for a moment): compare the
    // screen with the API when the API's figures were the same before and after the screen read.
    const FIG = ['queued', 'sending', 'sent', 'failed'];
    const shown = async () => Promise.all(FIG.map(async (k) => (await dp.innerText(`[data-testid=summary] [data-figure=${k}] dd`)).trim()));
    for (let attempt = 0; ; attempt++) {
      const before = await apiGet(api, prov.token, '/outbox/summary');
      await dp.reload();
      await dp.waitForSelector('[data-testid=summary] [data-figure=sent] dd');
      const screen = await shown();
      const after = await apiGet(api, prov.token, '/outbox/summary');
      const want = FIG.map((k) => String(after[k] ?? 0));
      const steady = FIG.every((k) => before[k] === after[k]);
      if (steady || attempt >= 10) {
        assert.deepEqual(screen, want, `summary ${FIG.join(', ')} (attempt ${attempt + 1})`);
        break;
      }
      await dp.waitForTimeout(300);
    }
    await idsAre(dp, '[data-testid=outbox] tbody tr', 'data-delivery-id', (await apiGet(api, prov.token, '/outbox?limit=50')).items.map((d) => d.id), 'unfiltered');
    await dp.selectOption('#ob-channel', 'sms');
    await dp.selectOption('#ob-status', 'failed');
    await idsAre(dp, '[data-testid=outbox] tbody tr', 'data-delivery-id', (await apiGet(api, prov.token, '/outbox?channel=sms&status=failed&limit=50')).items.map((d) => d.id), 'sms, failed');
    const row = dp.locator(`[data-testid=outbox] tr[data-delivery-id="${failed.id}"]`);
    assert.equal((await row.locator('[data-testid=status]').innerText()).trim(), 'Failed');
    assert.equal((await row.locator('[data-testid=attempts]').innerText()).trim(), '1');
    assert.equal((await row.locator('[data-testid=address]').innerText()).trim(), failed.address);
    assert.ok((await row.locator('[data-testid=last-error]').innerText()).includes('400'), 'the gateway\'s refusal');
    await shootScreen(dp, 'outbox', { ready: (p) => p.waitForSelector(`[data-testid=outbox] tr[data-delivery-id="${failed.id}"]`) });

    // ---- One delivery: its attempt and error; retried, it is sent on the second attempt.
    step('delivery retried');
    await row.locator('[data-testid=subject]').click();
    await dp.waitForSelector('[data-testid=delivery-facts]');
    assert.equal((await dp.innerText('h1')).trim(), m.subject);
    assert.equal(await dp.getAttribute('h1', 'lang'), 'vi');
    assert.equal((await dp.innerText('[data-testid=text]')).trim(), m.text.trim());
    assert.equal((await dp.innerText('[data-testid=kind]')).trim(), 'Question answered');
    assert.deepEqual(await dp.locator('[data-testid=attempt-list] > li').evaluateAll((xs) => xs.map((x) => x.dataset.ok)), ['false']);
    assert.ok((await dp.innerText('[data-testid=attempt-list] [data-testid=error]')).includes('400'));
    await shootScreen(dp, 'outbox-delivery', { ready: (p) => p.waitForSelector('[data-testid=retry]') });
    const posted = gw.posts.length;
    await dp.getByRole('button', { name: 'Retry' }).click();
    await dp.waitForSelector('[data-testid=retried]');
    const sent = await waitFor(smsOf(m, 'sent'), 'the retried SMS to be sent');
    assert.equal(sent.id, failed.id);
    const detail = await apiGet(api, prov.token, `/outbox/${failed.id}`);
    assert.deepEqual(detail.attempts_log.map((a) => a.ok), [false, true]);
    const toGateway = gw.posts.slice(posted).filter((p) => p.key === `delivery-${failed.id}`);
    assert.equal(toGateway.length, 1, 'sent once');
    assert.equal(toGateway[0].body.to, person.phone);
    assert.ok(toGateway[0].body.text.startsWith(`${m.subject}: `));
    await dp.reload();
    await dp.waitForSelector('[data-testid=delivery-facts] [data-testid=status][data-status=sent]');
    assert.equal((await dp.innerText('[data-testid=delivery-facts] [data-testid=attempts]')).trim(), '2');
    assert.deepEqual(await dp.locator('[data-testid=attempt-list] > li').evaluateAll((xs) => xs.map((x) => x.dataset.ok)), ['false', 'true']);
    assert.equal(await dp.locator('[data-testid=retry]').count(), 0, 'nothing to retry once sent');

    // The email of the closing message waits (no SMTP server here): no attempt, no retry.
    const mail = (await apiGet(api, prov.token, '/outbox?channel=email&limit=200')).items.find((d) => d.message_id === closedMsg.id);
    assert.ok(mail, 'an email delivery for the Thai message');
    assert.equal(mail.address, 'lan.nguyen@example.org');
    await dp.goto(`${stack.base}/outbox/${mail.id}`);
    await dp.waitForSelector('[data-testid=delivery-facts] [data-testid=status][data-status=queued]');
    assert.equal(await dp.getAttribute('h1', 'lang'), 'th');
    assert.equal((await dp.innerText('[data-testid=no-attempts]')).trim(), 'No attempt yet.');
    assert.equal(await dp.locator('[data-testid=retry]').count(), 0);
    assert.equal((await apiCall(api, prov.token, 'POST', `/outbox/${mail.id}/retry`)).status, 409, 'the API refuses to retry what has not failed');

    // ---- A tracer has no outbox; a citizen's token reads no one else's deliveries.
    step('tracer');
    await dp.getByRole('button', { name: 'Sign out' }).click();
    await dp.waitForSelector('#username');
    await signIn(dp, stack.base, 'tracer.halong');
    await dp.waitForSelector('nav');
    assert.equal(await dp.locator('nav a[href="/outbox"]').count(), 0, 'no Outbox in the menu');
    await dp.goto(`${stack.base}/outbox`);
    await dp.waitForFunction(() => location.pathname !== '/outbox');
    assert.equal((await apiCall(api, tracer.token, 'GET', '/outbox')).status, 403);
    assert.equal((await apiCall(api, citizen.token, 'GET', `/outbox/${failed.id}`)).status, 403);
  } finally {
    await phone.close();
    await desk.close();
  }
}
