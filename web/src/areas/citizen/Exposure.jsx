// Was I at a place at the same time as a case? (The server never says who.)
import { api } from '../../app/api.js';
import { useT, fmtDate, fmtTime, fmtNumber } from '../../i18n/index.js';
import { Page, ErrorNotice, Loading, Notice, useLoad } from '../../ui/ui.jsx';
import { Link } from '../../app/router.js';

export default function Exposure() {
  const t = useT();
  const { data, error, loading, reload } = useLoad(() => api('/me/exposure-check'));
  return (
    <Page title={t('citizen.exposure.title')}>
      <p>{t('citizen.exposure.intro')}</p>
      <ErrorNotice error={error} />
      {loading && !data && <Loading />}
      {data && !data.exposed && <Notice kind="ok"><p>{t('citizen.exposure.none')}</p></Notice>}
      {data?.exposed && (
        <>
          <Notice kind="warn">
            <p><strong>{t('citizen.exposure.exposed')}</strong></p>
            <p>{t('citizen.exposure.advice')} <Link href="/me/code">{t('citizen.exposure.seeCode')}</Link></p>
          </Notice>
          <ul class="plain stack">
            {data.items.map((x, i) => (
              <li class="card" key={i}>
                <strong>{t('citizen.venue', { id: x.venue_id })}</strong>
                <p>{fmtDate(x.start)}, {fmtTime(x.start)}–{fmtTime(x.end)}</p>
                <p>{t('citizen.exposure.minutes', { n: fmtNumber(x.minutes) })}</p>
              </li>
            ))}
          </ul>
        </>
      )}
      <button type="button" class="btn btn-secondary" onClick={reload}>{t('citizen.exposure.again')}</button>
    </Page>
  );
}
