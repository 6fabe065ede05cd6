// The command officer's map: red and yellow health codes and active cases per unit, as a tile
// map of the districts (communes inside) and as the org-unit tree; refreshed every minute.
import { useState } from 'preact/hooks';
import { useT, fmtNumber, fmtTime } from '../../i18n/index.js';
import { Page, ErrorNotice, Loading, NotYet, useLoad, useInterval } from '../../ui/ui.jsx';
import { TileMap, UnitTree } from './TileMap.jsx';
import { loadTree, loadCounts } from './data.js';
import '../../styles/staff.css';

export function Totals({ tree, counts }) {
  const t = useT();
  const m = counts.mine;
  const unit = [tree.root, ...tree.districts, ...tree.districts.flatMap((d) => d.communes)].find((u) => u?.id === m.org_unit_id);
  return (
    <div class="totals" data-testid="totals">
      <p class="totals-unit">{t('command.myUnit', { name: unit?.name || '' })}</p>
      <p class="total total-red"><span class="big-number">{fmtNumber(m.red)}</span> <span aria-hidden="true">■</span> {t('command.red')}</p>
      <p class="total total-yellow"><span class="big-number">{fmtNumber(m.yellow)}</span> <span aria-hidden="true">▲</span> {t('command.yellow')}</p>
      <p class="total"><span class="big-number">{fmtNumber(counts.cases.get(m.org_unit_id) || 0)}</span> {t('command.cases')}</p>
    </div>
  );
}

export function useCommandData(user, everyMs = 60000) {
  const tree = useLoad(() => loadTree(user), [user?.org_unit_id]);
  const [n, setN] = useState(0);
  const counts = useLoad(() => (tree.data ? loadCounts(tree.data) : Promise.resolve(null)), [tree.data, n]);
  useInterval(() => setN((x) => x + 1), everyMs);
  return { tree, counts };
}

export default function UnitMap({ user }) {
  const t = useT();
  const { tree, counts } = useCommandData(user);
  const [sel, setSel] = useState(null);
  const d = tree.data?.districts.find((x) => x.id === sel);
  return (
    <Page title={t('command.map.title')} wide>
      <ErrorNotice error={tree.error || counts.error} />
      {(tree.loading || (counts.loading && !counts.data)) && <Loading />}
      {tree.data && counts.data && (
        <>
          <Totals tree={tree.data} counts={counts.data} />
          {!counts.data.codes && <NotYet what={t('command.perUnitNotYet')} />}
          <p class="muted">{t('command.updated', { when: fmtTime(counts.data.at) })}</p>
          <div class="map-layout">
            <section aria-labelledby="tiles-h">
              <h2 id="tiles-h">{t('command.map.tiles')}</h2>
              <p class="hint">{t('command.map.legend')}</p>
              <TileMap tree={tree.data} counts={counts.data} selected={sel} onSelect={setSel} mine={counts.data.mine.org_unit_id} />
            </section>
            <section aria-labelledby="tree-h">
              <h2 id="tree-h">{d ? d.name : t('command.map.tree')}</h2>
              <UnitTree tree={tree.data} counts={counts.data} open={sel} onToggle={setSel} />
            </section>
          </div>
        </>
      )}
    </Page>
  );
}
