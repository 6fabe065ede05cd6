// Vite build of the Mekong web application.
// - Dev/preview proxy /api, /.well-known and /healthz to a running `mekong serve`
//   (MEKONG_API, default http://127.0.0.1:18090) until the binary serves dist/ itself.
// - The service worker (dist/sw.js) is generated here so that it precaches exactly the
//   files of this build: see src/sw-template.js.
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const api = process.env.MEKONG_API || 'http://127.0.0.1:18090';
const proxy = {
  '/api': { target: api, ws: true, changeOrigin: false },
  '/.well-known': { target: api },
  '/healthz': { target: api },
};

// The API reference at /api/docs: our page and Swagger UI's files from npm, copied into
// dist/api/docs so the binary serves them itself (nothing from a CDN).
function apiDocs() {
  const dist = new URL('./node_modules/swagger-ui-dist/', import.meta.url);
  const own = new URL('./api-docs/', import.meta.url);
  return {
    name: 'mekong-api-docs',
    apply: 'build',
    generateBundle() {
      for (const [from, name] of [[own, 'index.html'], [own, 'init.js'], [dist, 'swagger-ui.css'], [dist, 'swagger-ui-bundle.js']]) {
        this.emitFile({ type: 'asset', fileName: `api/docs/${name}`, source: readFileSync(new URL(name, from)) });
      }
    },
  };
}

// The areas whose screens open offline: the citizen's and the checkpoint's, and signing in.
const OFFLINE_AREAS = ['common', 'auth', 'register', 'citizen', 'checkpoint'];

function serviceWorker() {
  let precached = [];
  return {
    name: 'mekong-service-worker',
    apply: 'build',
    // After Vite's own hooks, which drop the empty JS chunk of a CSS-only module: precaching a
    // file the build never writes fails the worker's install, and the app is not offline.
    enforce: 'post',
    generateBundle(_options, bundle) {
      // Installed on a phone's first visit, so it holds what must open with no network, not the
      // whole build (2 MB of staff screens and 15 languages kept a slow phone busy for a second):
      // the shell, the screens of the offline areas with what they load, and those areas'
      // strings in every language. Any other file of the build is cached when first used.
      const offline = (id) => OFFLINE_AREAS.some((a) => id.includes(`/src/areas/${a}/`) || new RegExp(`/src/locales/[a-z]+/${a}\\.json$`).test(id));
      const areaModules = (c) => c.moduleIds.filter((id) => /\/src\/(areas|locales)\//.test(id));
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const picked = new Set();
      const walk = (name) => {
        const c = bundle[name];
        if (!c || picked.has(name)) return;
        picked.add(name);
        if (c.type !== 'chunk') return;
        for (const css of c.viteMetadata?.importedCss || []) picked.add(css);
        for (const i of c.imports) walk(i);
        // The screens' own lazy parts (the camera's QR reader), not other areas or languages.
        for (const i of c.dynamicImports) if (bundle[i] && areaModules(bundle[i]).every(offline)) walk(i);
      };
      for (const c of chunks) if (c.isEntry || (areaModules(c).length && areaModules(c).every(offline))) walk(c.fileName);
      const files = [...picked].filter((f) => !f.endsWith('.map')).sort();
      const list = ['/', '/manifest.webmanifest', '/icon.svg', ...files.map((f) => '/' + f)];
      const version = Date.now().toString(36);
      const src = readFileSync(new URL('./src/sw-template.js', import.meta.url), 'utf8')
        .replace('__PRECACHE__', JSON.stringify(list))
        .replace('__VERSION__', version);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: src });
      precached = list;
    },
    writeBundle(options) {
      const missing = precached.filter((f) => f !== '/' && !existsSync(join(options.dir, f)));
      if (missing.length) this.error(`the service worker would precache files the build did not write: ${missing.join(', ')}`);
    },
  };
}

export default defineConfig({
  plugins: [preact(), apiDocs(), serviceWorker()],
  build: { target: 'es2022', outDir: 'dist', assetsDir: 'assets', sourcemap: false, manifest: true },
  server: { host: '127.0.0.1', port: 5173, proxy },
  preview: { host: '127.0.0.1', port: 4173, proxy },
});
