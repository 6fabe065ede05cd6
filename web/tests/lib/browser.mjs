// Debian's Chromium through playwright-core (no browser downloads), one fresh profile a run.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const BASE_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** A persistent context (fresh user-data dir). `camera` is a .y4m/.mjpeg file fed as the webcam. */
export async function launch({ camera, viewport = { width: 360, height: 780 }, locale = 'en-GB', timezoneId = 'Asia/Ho_Chi_Minh' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'mekong-chromium-'));
  const args = [...BASE_ARGS];
  if (camera) args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${camera}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args,
    viewport,
    locale,
    timezoneId,
    permissions: camera ? ['camera'] : [],
    serviceWorkers: 'allow',
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
