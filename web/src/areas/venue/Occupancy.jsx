// Live occupancy against capacity (polled every 15 s while visible) and today's visits by hour.
// The server's ?day= and by_hour are UTC days and hours today (API-NEEDS.md asks for local ones).
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { Link } from '../../app/router.js';
import { useT, fmtNumber, fmtTime } from '../../i18n/index.js';
import { Page, ErrorNotice, Loading, useLoad, useInterval } from '../../ui/ui.jsx';

const POLL_MS = 15000;

export default function Occupancy({ params }) {
  const t = useT();
  const id = params.id;
  const venue = useLoad(() => api(`/venues/${id}`), [id]);
  const [now, setNow] = useState(null);
  const [error, setError] = useState(null);
  const [day, setDay] = useState(null);

  const poll = () => {
    api(`/venues/${id}/occupancy`).then((o) => { setNow(o); setError(null); }, setError);
    api(`/venues/${id}/occupancy`, { query: { day: new Date().toISOString().slice(0, 10) } }).then(setDay, () => {});
  };
  useLoad(async () => poll(), [id]);
  useInterval(poll, POLL_MS);

  const cap = now?.capacity || venue.data?.capacity || 0;
  const pct = cap ? Math.round((100 * (now?.present || 0)) / cap) : 0;
  const max = Math.max(1, ...(day?.by_hour || [1]));
  return (
    <Page title={venue.data ? t('venue.occ.title', { name: venue.data.name }) : t('venue.occ.titleShort')} wide>
      <ErrorNotice error={venue.error || error} />
      {!now && !error && <Loading />}
      {now && (
        <div class="grid-2">
          <div class="card">
            <h2>{t('venue.occ.now')}</h2>
            <p class="big-number" data-testid="present">{fmtNumber(now.present)} <span class="muted" style="font-size:1.2rem">/ {fmtNumber(cap)}</span></p>
            <div class={`meter ${pct > 100 ? 'over' : ''}`} role="meter" aria-valuemin={0} aria-valuemax={cap} aria-valuenow={now.present}
              aria-label={t('venue.occ.meter')}>
              <span style={`width:${Math.min(100, pct)}%`} />
            </div>
            <p>{t('venue.occ.percent', { pct: fmtNumber(pct / 100, { style: 'percent' }) })}</p>
            {pct > 100 && <p class="error-text">{t('venue.occ.over')}</p>}
            <p class="muted">{t('venue.occ.updated', { time: fmtTime(now.at) })}</p>
          </div>
          {day && (
            <div class="card">
              <h2>{t('venue.occ.today')}</h2>
              <p>{t('venue.occ.visits', { n: fmtNumber(day.visits), peak: fmtNumber(day.peak) })}</p>
              <div class="bars" role="img" aria-label={t('venue.occ.chart')}>
                {day.by_hour.map((n, h) => <span key={h} style={`height:${(100 * n) / max}%`} title={`${h}:00 — ${n}`} />)}
              </div>
              <div class="bars-axis" aria-hidden="true"><span>0:00</span><span>6:00</span><span>12:00</span><span>18:00</span></div>
              <p class="muted">{t('venue.occ.utc')}</p>
            </div>
          )}
        </div>
      )}
      <p class="row">
        <Link class="btn" href={`/venues/${id}/poster`}>{t('venue.list.poster')}</Link>
        <Link class="btn btn-secondary" href="/venues">{t('venue.occ.back')}</Link>
      </p>
    </Page>
  );
}
