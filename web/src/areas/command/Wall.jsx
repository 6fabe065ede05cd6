// The command centre's wall screen (1920 x 1080 and up): the totals, the tile map and the
// open alerts side by side in large type, without the menu; alerts arrive live (or every 20 s
// until the server's WebSocket exists) and can be acknowledged from here; counts every minute.
import { useState } from 'preact/hooks';
import { Link } from '../../app/router.js';
import { useT, fmtDateTime, fmtTime } from '../../i18n/index.js';
import { Page, ErrorNotice, Loading, Notice, useInterval } from '../../ui/ui.jsx';
import { TileMap } from './TileMap.jsx';
import { Totals, useCommandData } from './UnitMap.jsx';
import { useAlerts, kindKey } from '../alerts/useAlerts.js';
import '../../styles/staff.css';

export default function Wall({ user }) {
  const t = useT();
  const { tree, counts } = useCommandData(user);
  const alerts = useAlerts({ openOnly: true, limit: 30 });
  const [now, setNow] = useState(new Date());
  useInterval(() => setNow(new Date()), 30000);
  const [sel, setSel] = useState(null);
  return (
    <Page title={t('command.wall.title')} wide class="wall">
      <p class="row wall-top">
        <span class="wall-clock">{fmtDateTime(now, { dateStyle: 'full', timeStyle: 'short' })}</span>
        <Link href="/command/map">{t('command.wall.leave')}</Link>
      </p>
      <ErrorNotice error={tree.error || counts.error} />
      <div class="wall-grid">
        <section aria-labelledby="wall-map-h" class="wall-map">
          <h2 id="wall-map-h">{t('command.map.tiles')}</h2>
          {tree.data && counts.data ? (
            <>
              <Totals tree={tree.data} counts={counts.data} />
              <TileMap tree={tree.data} counts={counts.data} selected={sel} onSelect={setSel} mine={counts.data.mine.org_unit_id} />
              <p class="muted">{t('command.updated', { when: fmtTime(counts.data.at) })}</p>
            </>
          ) : <Loading />}
        </section>
        <section aria-labelledby="wall-alerts-h" class="wall-alerts">
          <h2 id="wall-alerts-h">{t('alerts.title')}</h2>
          <p><span class={`badge feed-${alerts.feed}`} role="status" data-testid="feed-state">{t(`alerts.feed.${alerts.feed}`)}</span></p>
          <ErrorNotice error={alerts.error} />
          {!alerts.items && !alerts.error && <Loading />}
          {alerts.items && alerts.items.length === 0 && <Notice kind="ok">{t('alerts.none')}</Notice>}
          <ul class="plain wall-alert-list">
            {(alerts.items || []).map((a) => (
              <li key={a.id} class={`wall-alert severity-${a.severity}`} data-alert-id={a.id}>
                <p class="wall-alert-head">
                  <span class={`badge severity-${a.severity}`}>{t(`alerts.severities.${a.severity === 'critical' ? 'critical' : 'warning'}`)}</span>{' '}
                  <strong>{t(kindKey(a.kind))}</strong>{' '}
                  <span class="muted">{fmtDateTime(a.created_at, { timeStyle: 'short' })}</span>
                </p>
                <p lang="en">{a.message}</p>
                <button type="button" class="btn btn-quiet" disabled={alerts.busy === a.id} onClick={() => alerts.acknowledge(a.id)}>{t('alerts.acknowledge')}</button>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </Page>
  );
}
