// The signed-in user. The session ({token, expires_at, user}) is kept in localStorage so a
// phone that reopens the app offline still knows whose health code to show.
import { store, saved } from './store.js';
// api.js imports this file too; the cycle is safe because neither uses the other at load time.
import { api } from './api.js';

const KEY = 'mekong.session';

function load() {
  const s = saved.get(KEY);
  if (!s?.token) return null;
  if (s.expires_at && Date.parse(s.expires_at) < Date.now()) return null;
  return s;
}

export const session = store(load());
session.subscribe((s) => saved.set(KEY, s));

/** Set when the server refused the token, so the sign-in screen can say why. */
export const sessionExpired = store(false);

export function expireSession() {
  session.set(null);
  sessionExpired.set(true);
}

export async function signIn(username, password) {
  const r = await api('/auth/login', { method: 'POST', body: { username, password } });
  sessionExpired.set(false);
  session.set({ token: r.token, expires_at: r.expires_at, user: r.user });
  return r.user;
}

export async function signOut() {
  try {
    await api('/auth/logout', { method: 'POST', body: {} });
  } catch {
    /* offline or already expired: forget it locally all the same */
  }
  const s = session.get();
  // Personal copies go with the session: a shared phone must not show the last person's code.
  if (s?.user?.person_id) saved.set(`mekong.code.${s.user.person_id}`, null);
  saved.set('mekong.stay', null);
  session.set(null);
}

/** Refresh the user from GET /auth/me (role changes, a revoked token). */
export async function refreshMe() {
  const user = await api('/auth/me');
  const s = session.get();
  if (s) session.set({ ...s, user });
  return user;
}

export const role = () => session.get()?.user?.role || null;
