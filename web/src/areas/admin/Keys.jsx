// Signing keys: every key that signs (or signed) health codes, from the public
// /.well-known/mekong/keys.json, and rotation (POST /health-codes/keys/rotate) behind a
// confirmation dialog: the old key retires and still verifies until its verify_until.
import { useRef, useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useT, fmtDateTime } from '../../i18n/index.js';
import { Page, ErrorNotice, Loading, Notice, useLoad } from '../../ui/ui.jsx';
import '../../styles/staff.css';

const SHORT = { dateStyle: 'medium', timeStyle: 'short' };

export default function Keys() {
  const t = useT();
  const keys = useLoad(() => api('/.well-known/mekong/keys.json'));
  const dialog = useRef(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [rotated, setRotated] = useState(null);

  const rotate = async () => {
    setBusy(true); setError(null);
    try {
      const r = await api('/health-codes/keys/rotate', { method: 'POST', body: {} });
      setRotated(r.active_kid);
      dialog.current?.close();
      keys.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const items = (keys.data?.keys || []).slice().sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  return (
    <Page title={t('admin.keys.title')} wide>
      <p class="muted">{t('admin.keys.intro', { issuer: keys.data?.issuer || '' })}</p>
      <ErrorNotice error={keys.error} />
      {keys.loading && !keys.data && <Loading />}
      {rotated && <Notice kind="ok"><p data-testid="rotated">{t('admin.keys.rotated', { kid: rotated })}</p></Notice>}
      {keys.data && items.length === 0 && <Notice>{t('admin.keys.none')}</Notice>}
      {items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="keys-caption">
          <table data-testid="keys">
            <caption id="keys-caption" class="visually-hidden">{t('admin.keys.title')}</caption>
            <thead><tr><th scope="col">{t('admin.keys.kid')}</th><th scope="col">{t('admin.keys.alg')}</th><th scope="col">{t('admin.keys.status')}</th><th scope="col">{t('admin.keys.created')}</th><th scope="col">{t('admin.keys.until')}</th></tr></thead>
            <tbody>
              {items.map((k) => (
                <tr key={k.kid} data-kid={k.kid} data-status={k.status}>
                  <td class="mono">{k.kid}</td>
                  <td>{k.alg}</td>
                  <td><span class={`badge key-${k.status}`}>{t(`admin.keys.state.${k.status === 'active' ? 'active' : 'retired'}`)}</span></td>
                  <td>{fmtDateTime(k.created_at, SHORT)}</td>
                  <td>{k.verify_until ? fmtDateTime(k.verify_until, SHORT) : t('admin.keys.noEnd')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p><button type="button" class="btn btn-danger" onClick={() => { setError(null); dialog.current?.showModal(); }}>{t('admin.keys.rotate')}</button></p>
      <dialog ref={dialog} class="dialog" aria-labelledby="rotate-h" aria-describedby="rotate-body">
        <h2 id="rotate-h">{t('admin.keys.confirmTitle')}</h2>
        <p id="rotate-body">{t('admin.keys.confirmBody')}</p>
        <ErrorNotice error={error} />
        <div class="row">
          <button type="button" class="btn btn-danger" onClick={rotate} disabled={busy}>{t('admin.keys.confirm')}</button>
          <button type="button" class="btn btn-secondary" onClick={() => dialog.current?.close()} autofocus>{t('admin.cancel')}</button>
        </div>
      </dialog>
    </Page>
  );
}
