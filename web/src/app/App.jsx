// The application shell: skip link, header (brand, language, who is signed in), the role's
// navigation, an offline banner, and the current route's screen.
import { useEffect, useState } from 'preact/hooks';
import { location, navigate, match, Link } from './router.js';
import { ROUTES, homeFor, navFor } from './routes.js';
import { session, signOut, refreshMe } from './session.js';
import { useStore, online } from './store.js';
import { api } from './api.js';
import { useT, lang, setLanguage, setTimeZone, loadAreas } from '../i18n/index.js';
import { Loading, ErrorNotice, LanguageSelect } from '../ui/ui.jsx';

function resolve(path) {
  for (const r of ROUTES) {
    const params = match(r.path, path);
    if (params) return { route: r, params };
  }
  return null;
}

/** Start fetching the opening screen's chunk and strings now, beside the shell's own strings, so
 *  the first screen waits for one round trip instead of two. App still decides what may open: a
 *  chunk fetched for a screen the person may not see is only a (public) file loaded for nothing. */
export function preload(path) {
  const found = resolve(path);
  if (!found) return;
  found.route.load().catch(() => {});
  loadAreas(found.route.areas).catch(() => {});
}

/** The person's time zone: the API's when it gives one (person, then org unit), else the browser's. */
async function applyTimeZone(user) {
  if (!user) return;
  try {
    if (user.person_id) {
      const p = await api(`/people/${user.person_id}`);
      if (p.time_zone) return setTimeZone(p.time_zone);
    }
    if (user.org_unit_id) {
      const u = await api(`/org-units/${user.org_unit_id}`);
      if (u.time_zone) return setTimeZone(u.time_zone);
    }
  } catch {
    /* offline: keep the browser's zone */
  }
}

function LanguagePicker() {
  const t = useT();
  const current = useStore(lang);
  const [failed, setFailed] = useState(false);
  const pick = async (e) => {
    const ok = await setLanguage(e.currentTarget.value);
    setFailed(!ok);
    if (!ok) e.currentTarget.value = lang.get();
  };
  return (
    <div class="lang-picker">
      <label for="lang-select">{t('common.language')}</label>
      <LanguageSelect id="lang-select" value={current} onChange={pick} aria-describedby={failed ? 'lang-failed' : undefined} />
      {failed && <span id="lang-failed" class="lang-failed" role="status">{t('common.langUnavailable')}</span>}
    </div>
  );
}

function Header({ user }) {
  const t = useT();
  return (
    <header class="app-header">
      <Link class="brand" href="/">
        <img src="/icon.svg" alt="" width="28" height="28" />
        <span>Mekong</span>
      </Link>
      <div class="header-tools">
        <LanguagePicker />
        {user && (
          <div class="who">
            <span class="who-name">{user.username}</span>
            <span class="who-role">{t(`common.role.${user.role}`)}</span>
            <button type="button" class="btn btn-quiet" onClick={async () => { await signOut(); navigate('/sign-in'); }}>
              {t('common.signOut')}
            </button>
          </div>
        )}
      </div>
    </header>
  );
}

function Nav({ user, path }) {
  const t = useT();
  const items = navFor(user.role);
  if (items.length < 2) return null;
  return (
    <nav class="app-nav" aria-label={t('common.nav.label')}>
      <ul>
        {items.map((r) => (
          <li key={r.path}>
            <Link href={r.path} aria-current={path.split('?')[0] === r.path ? 'page' : undefined}>{t(r.nav)}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function App() {
  const t = useT();
  const path = useStore(location);
  const s = useStore(session);
  const current = useStore(lang);
  const isOnline = useStore(online);
  const user = s?.user || null;
  const [screen, setScreen] = useState({ key: null, Comp: null, error: null });

  useEffect(() => {
    if (user) {
      applyTimeZone(user);
      refreshMe().catch(() => {});
    }
  }, [user?.user_id]);

  const found = resolve(path.split('?')[0]);
  // Redirects: home, unknown paths, screens of another role, signed-out visitors.
  let redirect = null;
  if (path === '/' || path === '') redirect = user ? homeFor(user.role) : '/sign-in';
  else if (!found) redirect = user ? homeFor(user.role) : '/sign-in';
  else if (found.route.roles && !user) redirect = `/sign-in?next=${encodeURIComponent(path)}`;
  else if (found.route.roles && !found.route.roles.includes(user.role)) redirect = homeFor(user.role);
  else if (user && found.route.path === '/sign-in') redirect = homeFor(user.role);

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  const key = found && !redirect ? `${found.route.path}|${current}` : null;
  useEffect(() => {
    if (!key) return;
    let live = true;
    const r = found.route;
    Promise.all([r.load(), loadAreas(['common', ...r.areas])]).then(
      ([mod]) => {
        if (live) setScreen({ key, route: r.path, Comp: mod.default, error: null });
      },
      (error) => live && setScreen({ key, route: r.path, Comp: null, error }),
    );
    return () => {
      live = false;
    };
  }, [key]);

  const print = found?.route.print;
  const wall = found?.route.wall;
  // While a language switch loads its catalogue, the screen stays (in the old language).
  const Comp = key && screen.route === found.route.path ? screen.Comp : null;

  return (
    <div class={`shell ${print ? 'shell-print' : ''} ${wall ? 'shell-wall' : ''}`}>
      <a class="skip-link" href="#main">{t('common.skip')}</a>
      <Header user={user} />
      {user && !wall && <Nav user={user} path={path} />}
      {!isOnline && (
        <div class="offline-banner" role="status">{t('common.offlineBanner')}</div>
      )}
      <main id="main" tabIndex={-1}>
        {screen.error && screen.key === key ? <ErrorNotice error={screen.error} /> : Comp ? <Comp params={found.params} user={user} /> : <Loading />}
      </main>
    </div>
  );
}
