#!/usr/bin/env node
// npm run test:e2e — the browser tests against a real Mekong server with the demo region.
// Builds the app, creates a temporary SQLite db, loads the demo (300 people, 30 venues), starts
// `$MEKONG_BIN serve --port 0`, serves dist/ (the binary's --web-root when it has one, else
// Vite's preview server proxying to it), feeds Chromium's fake camera a poster, runs the specs,
// writes test-results/ (screenshots, poster.pdf, axe.json, report.json) and stops all it started.
import { spawnSync } from 'node:child_process';
import { rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, apiLogin, apiGet, WEB } from './lib/servers.mjs';
import { pngToY4m } from './lib/y4m.mjs';
import { runSpecs, axeFindings, writeJson, RESULTS } from './lib/harness.mjs';
import * as citizen from './specs/citizen.spec.mjs';
import * as checkpoint from './specs/checkpoint.spec.mjs';
import * as venue from './specs/venue.spec.mjs';
import * as tracer from './specs/tracer.spec.mjs';
import * as command from './specs/command.spec.mjs';
import * as admin from './specs/admin.spec.mjs';
import * as apidocs from './specs/apidocs.spec.mjs';
import * as telehealth from './specs/telehealth.spec.mjs';
import * as commandDesk from './specs/command-desk.spec.mjs';
import * as telehealthDesk from './specs/telehealth-desk.spec.mjs';
import * as outbreak from './specs/outbreak.spec.mjs';
import * as testing from './specs/testing.spec.mjs';
import * as population from './specs/population.spec.mjs';
import * as epi from './specs/epi.spec.mjs';
import * as hotline from './specs/hotline.spec.mjs';
import * as messages from './specs/messages.spec.mjs';
import * as sites from './specs/sites.spec.mjs';
import * as populationImport from './specs/population-import.spec.mjs';
import * as documents from './specs/documents.spec.mjs';
import * as meetings from './specs/meetings.spec.mjs';
import * as escalation from './specs/escalation.spec.mjs';
import * as screening from './specs/screening.spec.mjs';

const t0 = Date.now();
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
// testing makes the demo citizen a contact of a case (a red code): the specs that need a green
// citizen run before it. screening reports the citizen's symptoms (a yellow code at least) and
// activates a questionnaire version 2, so it runs last; it asks only that its code follows the API.
const specs = [citizen, checkpoint, venue, tracer, command, commandDesk, admin, apidocs, telehealth, telehealthDesk, outbreak, testing, population, epi, hotline, messages, sites, populationImport, documents, meetings, escalation, screening].filter((s) => !only.length || only.some((o) => s.name.startsWith(o)));

rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(join(RESULTS, 'screenshots'), { recursive: true });

if (!process.argv.includes('--no-build')) {
  const b = spawnSync(process.execPath, [join(WEB, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: WEB, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status || 1);
}

let stack = null;
const stop = async () => { if (stack) { const s = stack; stack = null; await s.stop(); } };
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stop().finally(() => process.exit(130)));

let result = { passed: 0, failed: 1, report: [] };
try {
  stack = await startStack({ people: 300, venues: 30 });
  console.log(`# mekong ${stack.api}, app ${stack.base} (${stack.mode})`);
  // The camera sees the poster of the operator's first venue.
  const op = (await apiLogin(stack.api, 'operator.halong')).token;
  const posterVenue = (await apiGet(stack.api, op, '/venues')).items[0];
  const png = await apiGet(stack.api, op, `/venues/${posterVenue.id}/poster.png`, 'buffer');
  const camera = pngToY4m(png, join(RESULTS, 'camera.y4m'));
  result = await runSpecs(specs, { stack, camera, posterVenue });
} catch (e) {
  console.log(`not ok - set-up\n    ${e.stack || e}`);
} finally {
  await stop();
}
writeJson('axe.json', axeFindings);
writeJson('report.json', { ...result, seconds: (Date.now() - t0) / 1000 });
console.log(`# ${axeFindings.length} axe checks, screenshots in ${join(RESULTS, 'screenshots')}`);
console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${result.passed} passed, ${result.failed} failed`);
process.exit(result.failed ? 1 : 0);
