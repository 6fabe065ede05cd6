// My test bookings, soonest first, with the site and the time in my zone; a booked place can
// be cancelled (it is free again for others). A sampled booking cannot: the server says 409.
import { useState } from 'preact/hooks';
import { useT, fmtDateTime, timeZone } from '../../i18n/index.js';
import { Link } from '../../app/router.js';
import { Page, Notice, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { listSites, myBookings, cancelBooking } from './data.js';

const WHEN = { dateStyle: 'full', timeStyle: 'short' };

export default function MyTests() {
  const t = useT();
  const data = useLoad(async () => {
    const [b, s] = await Promise.all([myBookings(), listSites()]);
    return { bookings: b.items, sites: new Map(s.items.map((x) => [x.id, x])) };
  });
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [cancelled, setCancelled] = useState(false);

  const cancel = async (b) => {
    setBusy(b.id); setError(null); setCancelled(false);
    try {
      await cancelBooking(b.id);
      setCancelled(true);
      data.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const items = (data.data?.bookings || []).slice().sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
  return (
    <Page title={t('testing.mine.title')}>
      <p class="muted">{t('testing.book.zone', { zone: timeZone.get() })}</p>
      <p><Link class="btn btn-secondary" href="/me/tests">{t('testing.mine.bookAnother')}</Link></p>
      <ErrorNotice error={data.error || error} />
      {cancelled && <Notice kind="ok"><p data-testid="cancelled">{t('testing.mine.cancelled')}</p></Notice>}
      {data.loading && !data.data && <Loading />}
      {data.data && items.length === 0 && <Notice>{t('testing.mine.none')}</Notice>}
      {items.length > 0 && (
        <ul class="plain stack" data-testid="bookings">
          {items.map((b) => (
            <li class="card" key={b.id} data-booking-id={b.id} data-status={b.status}>
              <p><strong>{t(`testing.kind.${b.kind}`)}</strong></p>
              <p>{fmtDateTime(b.starts_at, WHEN)}</p>
              <p>{data.data.sites.get(b.site_id)?.name || t('testing.mine.site', { id: b.site_id })}</p>
              <p><span class="badge">{t(`testing.status.${b.status}`)}</span></p>
              {b.status === 'booked' && (
                <button type="button" class="btn btn-secondary" disabled={busy === b.id} onClick={() => cancel(b)}>{t('testing.mine.cancel')}</button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
