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

function serviceWorker() {
  let precached = [];
  return {
    name: 'mekong-service-worker',
    apply: 'build',
    // After Vite's own hooks, which drop the empty JS chunk of a CSS-only module: precaching a
    // file the build never writes fails the worker's install, and the app is not offline.
    enforce: 'post',
    generateBundle(_options, bundle) {
      // The API reference is for desks with a network; it stays out of the offline cache.
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map') && !f.startsWith('api/docs/'));
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
