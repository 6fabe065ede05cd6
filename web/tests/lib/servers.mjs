// Start what the browser tests run against: a demo Mekong server on a free port, and the built
// app, served by the binary itself (--web-root) when it can, else by Vite's preview server
// proxying /api, /.well-known and /healthz to it. Everything started here is stopped by stop().
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const WEB = resolve(new URL('../..', import.meta.url).pathname);

export function mekongBin() {
  const bin = process.env.MEKONG_BIN || '/work/bin/mekong';
  if (!existsSync(bin)) throw new Error(`no Mekong binary at ${bin} (set MEKONG_BIN)`);
  return bin;
}

export function supportsWebRoot(bin) {
  try {
    return /web-root/.test(execFileSync(bin, ['serve', '--help'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
}

function waitForLine(child, re, ms, what) {
  return new Promise((ok, fail) => {
    let buf = '';
    const timer = setTimeout(() => fail(new Error(`${what}: no "${re}" within ${ms} ms\n${buf}`)), ms);
    const on = (d) => {
      buf += d;
      const m = buf.match(re);
      if (m) { clearTimeout(timer); ok(m); }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`${what} exited (${code})\n${buf}`)); });
  });
}

/**
 * A stub SMS gateway on loopback (docs/outbox.md: one POST of {to, text, id} per message): it
 * keeps what it was sent, and answers 400 (a refusal: the delivery fails at once) while
 * `refuse` is set, 200 otherwise.
 */
export async function startSmsGateway() {
  const gw = { posts: [], refuse: false, url: '' };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      let json = null;
      try { json = JSON.parse(body); } catch { /* kept as null: the test sees it */ }
      gw.posts.push({ path: req.url, key: req.headers['idempotency-key'], body: json });
      res.writeHead(gw.refuse ? 400 : 200, { 'Content-Type': 'application/json' });
      res.end(gw.refuse ? '{"error":"number not reachable"}' : '{"ok":true}');
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  gw.url = `http://127.0.0.1:${server.address().port}/send`;
  gw.stop = () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); });
  return gw;
}

export async function startStack({ people = 300, venues = 30 } = {}) {
  const bin = mekongBin();
  const dir = mkdtempSync(join(tmpdir(), 'mekong-web-e2e-'));
  const db = join(dir, 'm.db');
  const demoOut = execFileSync(bin, ['demo', '--people', String(people), '--venues', String(venues), '--db', db], { encoding: 'utf8' });
  const stops = [];
  const sms = await startSmsGateway();
  stops.push(sms.stop);
  const webRoot = supportsWebRoot(bin);
  const args = ['serve', '--db', db, '--port', '0'];
  if (webRoot) args.push('--web-root', join(WEB, 'dist'));
  // Messages by SMS go to the stub gateway; a retry comes a second after a failure, so that a
  // spec sees one within its time.
  const env = { ...process.env, MEKONG_SMS_GATEWAY: sms.url, MEKONG_OUTBOX_RETRY_SECONDS: '1' };
  const mekong = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  stops.push(() => new Promise((r) => { if (mekong.exitCode !== null) return r(); mekong.once('exit', r); mekong.kill('SIGTERM'); }));
  const m = await waitForLine(mekong, /serving on (http:\/\/127\.0\.0\.1:\d+)/, 20000, 'mekong serve');
  const api = m[1];
  let base = api;
  let mode = 'mekong --web-root';
  if (!webRoot) {
    const { preview, createLogger } = await import('vite');
    // Until the server has /api/v1/ws, every WebSocket attempt ends in a proxy error: not news.
    const logger = createLogger('warn');
    const error = logger.error.bind(logger);
    logger.error = (msg, opts) => { if (!/ws proxy/.test(String(msg))) error(msg, opts); };
    const proxy = { '/api': { target: api, ws: true }, '/.well-known': { target: api }, '/healthz': { target: api } };
    const server = await preview({ root: WEB, customLogger: logger, preview: { host: '127.0.0.1', port: 0, strictPort: false, proxy, open: false } });
    const addr = server.httpServer.address();
    base = `http://127.0.0.1:${addr.port}`;
    mode = 'vite preview + proxy';
    stops.push(() => new Promise((r) => server.httpServer.close(() => r())));
  }
  return {
    api,
    base,
    mode,
    db,
    sms,
    demoOut,
    async stop() {
      for (const s of stops.reverse()) await s().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sign in through the API (for test set-up: tokens, credentials, posters). */
export async function apiLogin(api, username, password = 'mekong-demo') {
  const r = await fetch(`${api}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
  return r.json();
}

export async function apiGet(api, token, path, as = 'json') {
  // A minute is far beyond any answer here; a server that stops answering fails the spec on
  // this request rather than holding the run until the spec's own limit.
  const r = await fetch(`${api}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60000) });
  if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
  return as === 'json' ? r.json() : Buffer.from(await r.arrayBuffer());
}

/** A call through the API as `token`: its status and JSON body (null when none), for any method. */
export async function apiCall(api, token, method, path, body) {
  const r = await fetch(`${api}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, body: await r.json().catch(() => null) };
}

/** A resident of Móng Cái (QN-04), where the demo's gate and checkpoint officer stand: a gate
 *  may name by id only people of its own unit (docs/access.md). */
export async function mongCaiResident(api) {
  const admin = (await apiLogin(api, 'admin')).token;
  const units = await apiGet(api, admin, '/org-units?parent_id=1');
  const district = (units.items || units).find((u) => u.code === 'QN-04');
  const people = await apiGet(api, admin, `/people?org_unit_id=${district.id}&limit=1`);
  return people.items[0];
}
