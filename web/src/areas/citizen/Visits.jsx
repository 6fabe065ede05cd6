// My visits: my check-ins within the retention period, newest first.
import { useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useT, fmtDate, fmtTime } from '../../i18n/index.js';
import { Page, ErrorNotice, Loading, Notice, useLoad } from '../../ui/ui.jsx';
import { personId, isOpen, checkOut } from './data.js';

export default function Visits() {
  const t = useT();
  const { data, error, loading, reload } = useLoad(() => api(`/people/${personId()}/checkins`));
  const [busyId, setBusyId] = useState(null);
  const [actionError, setActionError] = useState(null);

  const out = async (id) => {
    setBusyId(id); setActionError(null);
    try { await checkOut(id); reload(); } catch (e) { setActionError(e); } finally { setBusyId(null); }
  };

  const items = (data?.items || []).slice().sort((a, b) => Date.parse(b.time_in) - Date.parse(a.time_in));
  return (
    <Page title={t('citizen.visits.title')}>
      <p class="muted">{t('citizen.visits.intro')}</p>
      <ErrorNotice error={error || actionError} />
      {loading && !data && <Loading />}
      {data && items.length === 0 && <Notice>{t('citizen.visits.none')}</Notice>}
      {items.length > 0 && (
        <table>
          <caption class="visually-hidden">{t('citizen.visits.title')}</caption>
          <thead>
            <tr><th scope="col">{t('citizen.visits.place')}</th><th scope="col">{t('citizen.visits.when')}</th><th scope="col">{t('citizen.visits.left')}</th></tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <td>{t('citizen.venue', { id: c.venue_id })}</td>
                <td>{fmtDate(c.time_in)}<br />{fmtTime(c.time_in)}–{fmtTime(c.time_out)}</td>
                <td>
                  {isOpen(c) ? (
                    <button type="button" class="btn btn-quiet" disabled={busyId === c.id} onClick={() => out(c.id)}>{t('citizen.checkIn.checkOut')}</button>
                  ) : c.closed_by === 'checkout' ? t('citizen.visits.checkedOut') : t('citizen.visits.autoOut')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
