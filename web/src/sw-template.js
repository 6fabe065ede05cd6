// Mekong service worker (generated into dist/sw.js by vite.config.js; not bundled).
// What it keeps offline: the app shell, the citizen's and checkpoint's screens with their strings
// in every language (PRECACHE: vite.config.js picks them), every other file of this build once it
// has been used (names carry a content hash, so a copy never goes stale), and the last trust
// bundle it saw.
// The last health code is kept by the app itself (localStorage), with its expiry, because
// the screen must say how old it is; the service worker never caches personal API answers.
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const SHELL = 'mekong-shell-' + VERSION;
const DATA = 'mekong-data';
const CACHED_API = ['/api/v1/trust/bundle', '/.well-known/mekong/keys.json', '/.well-known/mekong/revocations.json'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(SHELL).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('mekong-shell-') && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (CACHED_API.includes(url.pathname)) {
    // Network first; the last good copy when offline.
    event.respondWith(
      fetch(req).then((res) => {
        if (res.ok) { const copy = res.clone(); caches.open(DATA).then((c) => c.put(url.pathname, copy)); }
        return res;
      }).catch(() => caches.match(url.pathname, { cacheName: DATA, ignoreVary: true }).then((r) => r || Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/fhir/') || url.pathname === '/healthz' || url.pathname === '/metrics') return;
  if (req.mode === 'navigate') {
    // History routing: any page is the shell. Network first so a new build shows at once.
    event.respondWith(fetch(req).catch(() => caches.match('/', { cacheName: SHELL, ignoreVary: true })));
    return;
  }
  // ignoreVary: a module import carries an Origin header that the precache request did not,
  // and servers answer with Vary: Origin / Accept-Encoding.
  event.respondWith(caches.match(req, { cacheName: SHELL, ignoreVary: true }).then((hit) => hit || fetch(req).then((res) => {
    if (res.ok && url.pathname.startsWith('/assets/')) { const copy = res.clone(); caches.open(SHELL).then((c) => c.put(req, copy)); }
    return res;
  })));
});
