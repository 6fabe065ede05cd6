// History-API routing. The route table is app/routes.js; this file only tracks the location.
import { h } from 'preact';
import { store } from './store.js';

const here = () => window.location.pathname + window.location.search;
export const location = store(here());

export function navigate(to, { replace = false } = {}) {
  if (to === here()) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  location.set(here());
}

window.addEventListener('popstate', () => location.set(here()));

/** Match '/venues/:id/poster' against a path; returns the params or null. */
export function match(pattern, path) {
  const p = pattern.split('/');
  const s = path.split('?')[0].replace(/\/+$/, '').split('/');
  if (p.length !== s.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

export function query() {
  return Object.fromEntries(new URLSearchParams(window.location.search));
}

/** An <a> that routes in the page; modified clicks (new tab) keep the browser's default. */
export function Link({ href, children, ...rest }) {
  const onClick = (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return h('a', { href, onClick, ...rest }, children);
}
