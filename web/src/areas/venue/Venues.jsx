// My venues: the venues in my org unit, each with its live occupancy and its poster.
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { Link } from '../../app/router.js';
import { useT, fmtNumber } from '../../i18n/index.js';
import { Page, ErrorNotice, Loading, Notice, useLoad, Pager } from '../../ui/ui.jsx';

const PAGE = 50;

export default function Venues() {
  const t = useT();
  const [offset, setOffset] = useState(0);
  const { data, error, loading } = useLoad(() => api('/venues', { query: { limit: PAGE, offset } }), [offset]);
  const items = data?.items || [];
  return (
    <Page title={t('venue.list.title')}>
      <ErrorNotice error={error} />
      {loading && !data && <Loading />}
      {data && items.length === 0 && <Notice>{t('venue.list.none')}</Notice>}
      <ul class="plain stack venue-list">
        {items.map((v) => (
          <li class="card" key={v.id}>
            <div>
              <h2 style="margin:0">{v.name}</h2>
              <p class="muted" style="margin:0">
                {t(`venue.kind.${v.kind}`) === `venue.kind.${v.kind}` ? v.kind : t(`venue.kind.${v.kind}`)} · {t('venue.list.capacity', { n: fmtNumber(v.capacity) })}
              </p>
            </div>
            <div class="row">
              <Link class="btn btn-secondary" href={`/venues/${v.id}`} aria-label={`${t('venue.list.occupancy')}: ${v.name}`}>{t('venue.list.occupancy')}</Link>
              <Link class="btn" href={`/venues/${v.id}/poster`} aria-label={`${t('venue.list.poster')}: ${v.name}`}>{t('venue.list.poster')}</Link>
            </div>
          </li>
        ))}
      </ul>
      <Pager offset={offset} page={PAGE} more={items.length === PAGE} onOffset={setOffset} />
    </Page>
  );
}
