// The trust bundle a checkpoint verifies against offline (GET /api/v1/trust/bundle, public).
// Kept in localStorage with the time it was fetched; refreshed when online, every 5 minutes,
// and at once when a code names a key id we do not know (a key was rotated).
import { api } from '../../app/api.js';
import { saved } from '../../app/store.js';
import { kidOf } from './mk1.js';

const KEY = 'mekong.trust';

/** {bundle, fetched_at} or null */
export const cachedTrust = () => saved.get(KEY);

export async function refreshTrust() {
  const bundle = await api('/trust/bundle');
  if (bundle?.version !== 1) throw new Error('not a version 1 trust bundle');
  // Keep only keys whose id really is their SPKI's (docs/formats/health-code.md).
  const keys = [];
  for (const k of bundle.mekong_keys || []) {
    try {
      if ((await kidOf(k.spki)) === k.kid) keys.push(k);
    } catch {
      /* a malformed key is skipped */
    }
  }
  const copy = { bundle: { ...bundle, mekong_keys: keys }, fetched_at: new Date().toISOString() };
  saved.set(KEY, copy);
  return copy;
}
