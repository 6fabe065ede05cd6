// Alerts in my org unit: the list (GET /alerts), new ones arriving live over the WebSocket
// (useAlerts.js; re-read every 20 s while the feed is down), and acknowledge. An alert nobody
// below acknowledged in time arrives passed up (escalated_from); acknowledging any alert of such
// a chain closes it at every level. Readable on a command centre's wall screen (wide layout).
import { useState } from 'preact/hooks';
import { useT, fmtDateTime } from '../../i18n/index.js';
import { Page, ErrorNotice, Loading, Notice } from '../../ui/ui.jsx';
import { useAlerts, kindKey } from './useAlerts.js';

export default function Alerts() {
  const t = useT();
  const [openOnly, setOpenOnly] = useState(true);
  const { items, error, feed, busy, acknowledge: ack } = useAlerts({ openOnly });

  return (
    <Page title={t('alerts.title')} wide>
      <p class="row">
        <span class={`badge feed-${feed}`} role="status" data-testid="feed-state">{t(`alerts.feed.${feed}`)}</span>
        <label class="check"><input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.currentTarget.checked)} /> {t('alerts.openOnly')}</label>
      </p>
      <ErrorNotice error={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <Notice kind="ok">{t('alerts.none')}</Notice>}
      {items && items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('alerts.when')}</th><th scope="col">{t('alerts.kind')}</th>
              <th scope="col">{t('alerts.severity')}</th><th scope="col">{t('alerts.message')}</th><th scope="col">{t('alerts.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-alert-id={a.id}>
                <td>{fmtDateTime(a.created_at)}</td>
                <td>
                  {t(kindKey(a.kind))}
                  {a.escalated_from != null && <p class="muted" data-testid="escalated-from">{t('alerts.escalatedFrom')}</p>}
                  {a.escalated_to != null && !a.acknowledged_at && <p class="muted" data-testid="escalated-to">{t('alerts.escalatedTo')}</p>}
                </td>
                <td><span class={`badge severity-${a.severity}`}>{t(`alerts.severities.${a.severity === 'critical' ? 'critical' : 'warning'}`)}</span></td>
                <td lang="en">{a.message}</td>
                <td>
                  {a.acknowledged_at ? t('alerts.acknowledgedAt', { when: fmtDateTime(a.acknowledged_at) }) : (
                    <button type="button" class="btn btn-quiet" disabled={busy === a.id} onClick={() => ack(a.id)}>{t('alerts.acknowledge')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
