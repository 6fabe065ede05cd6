// The one way screens talk to the Mekong server (JSON API under /api/v1).
// Errors come back as ApiError with the server's {code, message, field}; a network failure is
// code 'offline' (status 0) so screens can fall back to their last copy.
import { lang } from '../i18n/index.js';
import { session, expireSession } from './session.js';

export class ApiError extends Error {
  constructor(status, code, message, field = null, body = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    /** The whole answer, for errors that carry more (POST /policy/check: `errors` by line). */
    this.body = body;
  }
}

export function apiHeaders(extra = {}) {
  const h = { Accept: 'application/json', 'Accept-Language': lang.get(), ...extra };
  const s = session.get();
  if (s?.token) h.Authorization = `Bearer ${s.token}`;
  return h;
}

/**
 * api('/venues', { query: { limit: 50 } }) -> parsed JSON.
 * Options: method, body (sent as JSON), text + contentType (sent as is, e.g. a TOML policy),
 * query, signal, as: 'json' | 'text' | 'blob', cache: a fetch cache mode ('no-cache' revalidates a
 * response the server lets browsers keep, e.g. the trust bundle after a change).
 */
export async function api(path, { method = 'GET', body, text, contentType = 'text/plain', query, signal, as = 'json', cache } = {}) {
  let url = path.startsWith('/api/') || path.startsWith('/.well-known/') ? path : `/api/v1${path}`;
  if (query) {
    const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v != null && v !== ''));
    if ([...q].length) url += (url.includes('?') ? '&' : '?') + q;
  }
  const raw = text !== undefined;
  const headers = apiHeaders(raw ? { 'Content-Type': contentType } : body !== undefined ? { 'Content-Type': 'application/json' } : {});
  let res;
  try {
    res = await fetch(url, { method, headers, body: raw ? text : body !== undefined ? JSON.stringify(body) : undefined, signal, cache });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'offline', 'network unreachable');
  }
  if (!res.ok) {
    let err = {};
    let answer = null;
    try {
      answer = await res.json();
      err = answer.error || {};
    } catch {
      /* not JSON: a proxy or an old server */
    }
    if (res.status === 401 && session.get()?.token && !url.endsWith('/auth/login')) expireSession();
    throw new ApiError(res.status, err.code || `http_${res.status}`, err.message || res.statusText, err.field || null, answer);
  }
  if (as === 'text') return res.text();
  if (as === 'blob') return res.blob();
  if (res.status === 204) return null;
  return res.json();
}

/**
 * True when the route does not exist on this server yet (an API we asked for: API-NEEDS.md):
 * no route at all, or the path exists with other methods only (the server answers that with
 * 405, or 400 "GET is not allowed here; use POST").
 */
export const notBuiltYet = (e) =>
  e instanceof ApiError &&
  (e.status === 405 || (e.status === 404 && /^no route for /.test(e.message)) || (e.status === 400 && /is not allowed here; use /.test(e.message)));
