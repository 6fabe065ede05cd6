import { useState } from 'preact/hooks';
import { useT } from '../../i18n/index.js';
import { signIn, sessionExpired } from '../../app/session.js';
import { navigate, query, Link } from '../../app/router.js';
import { homeFor } from '../../app/routes.js';
import { useStore } from '../../app/store.js';
import { Page, Field, Notice, errorText } from '../../ui/ui.jsx';

export default function SignIn() {
  const t = useT();
  const expired = useStore(sessionExpired);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await signIn(username.trim(), password);
      const next = query().next;
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : homeFor(user.role), { replace: true });
    } catch (err) {
      setError(err.status === 401 ? t('auth.wrongPassword') : errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('auth.title')}>
      <p>{t('auth.intro')}</p>
      {expired && <Notice kind="warn">{t('auth.expired')}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      <form class="card" onSubmit={submit} noValidate>
        <Field id="username" label={t('auth.username')}>
          <input id="username" type="text" name="username" autocomplete="username" autocapitalize="none" spellcheck={false}
            required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </Field>
        <Field id="password" label={t('auth.password')}>
          <input id="password" type="password" name="password" autocomplete="current-password" required
            value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
        <button class="btn btn-block" type="submit" disabled={busy || !username || !password}>
          {busy ? t('auth.signingIn') : t('auth.signIn')}
        </button>
      </form>
      <p>
        {t('auth.noAccount')} <Link href="/register">{t('auth.registerLink')}</Link>
      </p>
    </Page>
  );
}
