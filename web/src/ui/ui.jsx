// Small shared building blocks. Screens compose these so that labels, focus, errors and
// loading look and behave the same everywhere.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useT, LANGUAGES } from '../i18n/index.js';
import { ApiError } from '../app/api.js';

/** A screen: one <h1>, focused when the screen opens so screen readers announce it. `titleLang`:
 *  the title's language when it is not the reader's (a caller's subject). */
export function Page({ title, titleLang, children, wide = false, class: cls = '' }) {
  const ref = useRef(null);
  useEffect(() => {
    document.title = `${title} · Mekong`;
    ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <section class={`page ${wide ? 'page-wide' : ''} ${cls}`}>
      <h1 tabIndex={-1} ref={ref} lang={titleLang}>{title}</h1>
      {children}
    </section>
  );
}

/** A labelled input; the error is tied to the field with aria-describedby. */
export function Field({ id, label, hint, error, children }) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const child = typeof children === 'function' ? children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? 'true' : undefined }) : children;
  return (
    <div class={`field ${error ? 'field-error' : ''}`}>
      <label for={id}>{label}</label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {child}
      {error && <p class="error-text" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

/** role=status notices (polite) or role=alert for errors. */
export function Notice({ kind = 'info', children }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function Loading() {
  const t = useT();
  return <p class="loading" role="status">{t('common.loading')}</p>;
}

/** The message for an API error, in the reader's language. */
export function errorText(t, e) {
  if (!(e instanceof ApiError)) return t('common.error.unexpected');
  if (e.code === 'offline') return t('common.error.offline');
  const known = ['unauthenticated', 'permission_denied', 'not_found', 'invalid_argument', 'already_exists', 'failed_precondition', 'unavailable'];
  return known.includes(e.code) ? t(`common.error.${e.code}`) : t('common.error.unexpected');
}

/** The error in the reader's words; `children` may add a line (e.g. which field was refused). */
export function ErrorNotice({ error, children }) {
  const t = useT();
  if (!error) return null;
  return (
    <Notice kind="error">
      <p>{errorText(t, error)}</p>
      {children}
      {error.message && error.code !== 'offline' && (
        <details>
          <summary>{t('common.error.details')}</summary>
          <p class="mono">{error.message}</p>
        </details>
      )}
    </Notice>
  );
}

/** The translated "not available yet" state for a piece whose API the server lacks. */
export function NotYet({ what }) {
  const t = useT();
  return (
    <Notice kind="warn">
      <p><strong>{t('common.notYet.title')}</strong></p>
      <p>{what}</p>
    </Notice>
  );
}

/** Load data on mount (and when deps change); returns {data, error, loading, reload}. */
export function useLoad(fn, deps = []) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    fn().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}

/** Run fn every `ms` while the page is visible (polling that stops in a background tab). */
/**
 * An action a screen runs on a button (a write): busy while it runs, the ApiError if it fails,
 * else a done message (`msg(result)`, kept as a function so it follows a language switch), and
 * `after()` (e.g. a list's reload). `run(fn, msg)` returns the result, or null on failure.
 */
export function useAction(after) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const run = async (fn, msg) => {
    setBusy(true); setError(null); setDone(null);
    try {
      const r = await fn();
      setDone(() => () => msg(r));
      after?.();
      return r;
    } catch (e) {
      setError(e);
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, done, setDone, run };
}

export function useInterval(fn, ms) {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    let timer = null;
    const start = () => {
      if (!timer) timer = setInterval(() => saved.current(), ms);
    };
    const stop = () => {
      clearInterval(timer);
      timer = null;
    };
    const onVis = () => (document.hidden ? stop() : (saved.current(), start()));
    if (!document.hidden) start();
    document.addEventListener('visibilitychange', onVis);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVis);
    };
  }, [ms]);
}

/** Previous and next page of a list: each shown only when there is a page that way. */
export function Pager({ offset, page, more, onOffset }) {
  const t = useT();
  if (offset <= 0 && !more) return null;
  return (
    <div class="row">
      {offset > 0 && <button type="button" class="btn btn-secondary" onClick={() => onOffset(Math.max(0, offset - page))}>{t('common.previous')}</button>}
      {more && <button type="button" class="btn btn-secondary" onClick={() => onOffset(offset + page)}>{t('common.next')}</button>}
    </div>
  );
}

/**
 * A <select> of the 15 languages, each named in its own script. Until it is first focused or
 * touched it holds only the chosen language: shaping eight scripts sends a fresh phone's layout
 * through font fallback for a tenth of a second, which the first screen does not need. Focus comes
 * before the list opens or a key moves in it, so a person never sees the short list.
 */
export function LanguageSelect({ value, ...props }) {
  const [all, setAll] = useState(false);
  const open = () => setAll(true);
  const chosen = LANGUAGES.filter((l) => l.code === value);
  const shown = all || !chosen.length ? LANGUAGES : chosen;
  return (
    <select {...props} value={value} onFocus={open} onPointerDown={open}>
      {shown.map((l) => <option value={l.code} lang={l.code} key={l.code}>{l.name}</option>)}
    </select>
  );
}
