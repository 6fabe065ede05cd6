// My EU Digital COVID Certificates as QR codes. The server has no route for a citizen's own
// certificates yet (web/API-NEEDS.md, GET /api/v1/me/eu-dcc): until it does, this screen says
// so in the reader's language instead of inventing data.
import { api, notBuiltYet } from '../../app/api.js';
import { useT, fmtDate } from '../../i18n/index.js';
import { Page, ErrorNotice, Loading, Notice, NotYet, useLoad } from '../../ui/ui.jsx';
import { Qr } from '../../ui/Qr.jsx';

const KINDS = ['vaccination', 'test', 'recovery'];

export default function Certificates() {
  const t = useT();
  const { data, error, loading } = useLoad(() => api('/me/eu-dcc'));
  const missing = error && notBuiltYet(error);
  const items = data?.items || [];
  return (
    <Page title={t('citizen.certs.title')}>
      <p>{t('citizen.certs.intro')}</p>
      {missing ? <NotYet what={t('citizen.certs.notYet')} /> : <ErrorNotice error={error} />}
      {loading && <Loading />}
      {data && items.length === 0 && <Notice>{t('citizen.certs.none')}</Notice>}
      <ul class="plain stack">
        {items.map((c) => {
          const kind = t(`citizen.certs.kind.${KINDS.includes(c.type) ? c.type : 'test'}`);
          return (
            <li class="card code-card" key={c.id}>
              <h2 style="margin-top:0">{kind}</h2>
              <div class="qr"><Qr text={c.qr_text} label={t('citizen.certs.qrLabel', { kind })} /></div>
              <p>{t('citizen.certs.issued', { date: fmtDate(c.issued_at) })}</p>
              {c.expires_at && <p>{t('citizen.certs.expires', { date: fmtDate(c.expires_at) })}</p>}
            </li>
          );
        })}
      </ul>
    </Page>
  );
}
