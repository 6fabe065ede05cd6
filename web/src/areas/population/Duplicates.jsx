// Likely duplicate people of my unit (GET /duplicates: one document under two types, or one
// name after normalisation with one birth date and one phone or address), side by side; merge
// two keeping the survivor, behind a confirmation (POST /merges). After a merge the old record
// answers with merged_into = the survivor, which the screen reads back and says. Every pair,
// each record in full, is one download away (GET /duplicates.csv).
import { useRef, useState } from 'preact/hooks';
import { api } from '../../app/api.js';
import { useT, fmtDateTime, fmtDay, fmtNumber, regionDisplayName } from '../../i18n/index.js';
import { Page, Field, Notice, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { downloadCsv } from '../outbreak/data.js';
import '../../styles/staff.css';
import './population.css';

const ROWS = [
  ['full_name', (p) => p.full_name],
  ['document', (p) => `${p.document_type} ${p.document_number}`, 'mono'],
  ['nationality', (p) => (p.nationality ? regionDisplayName(p.nationality) : '')],
  ['birth_date', (p) => (p.birth_date ? fmtDay(p.birth_date, { dateStyle: 'long' }) : '')],
  ['phone', (p) => p.phone || '', 'mono'],
  ['address', (p) => p.address || ''],
  ['org_unit', (p, units) => units?.get(p.org_unit_id) || fmtNumber(p.org_unit_id, { useGrouping: false })],
  ['created', (p) => fmtDateTime(p.created_at, { dateStyle: 'medium', timeStyle: 'short' })],
];

const num = (id) => fmtNumber(id, { useGrouping: false });
const SHOWN = 200;

export default function Duplicates() {
  const t = useT();
  const pairs = useLoad(async () => {
    const r = await api('/duplicates', { query: { limit: SHOWN } });
    // The people carry their unit's id only: its name, once per unit.
    const ids = [...new Set(r.items.flatMap((d) => [d.a.org_unit_id, d.b.org_unit_id]))];
    const units = new Map(await Promise.all(ids.map(async (id) => [id, (await api(`/org-units/${id}`).catch(() => null))?.name])));
    return { ...r, units };
  });
  const [keep, setKeep] = useState({}); // pair key -> survivor id
  const [reason, setReason] = useState({}); // pair key -> text
  const [pending, setPending] = useState(null); // {key, survivor, merged}
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null); // {merge, survivor, old}
  const [csvError, setCsvError] = useState(null);
  const dialog = useRef(null);

  const ask = (key, a, b) => {
    const survivorId = keep[key] ?? a.id;
    const [survivor, merged] = survivorId === a.id ? [a, b] : [b, a];
    setError(null);
    setPending({ key, survivor, merged });
    dialog.current?.showModal();
  };
  const merge = async () => {
    setBusy(true); setError(null);
    try {
      const r = await api('/merges', { method: 'POST', body: { survivor_id: pending.survivor.id, merged_id: pending.merged.id, ...(reason[pending.key]?.trim() ? { reason: reason[pending.key].trim() } : {}) } });
      const old = await api(`/people/${pending.merged.id}`);
      setDone({ merge: r.merge, survivor: r.survivor, old });
      dialog.current?.close();
      setPending(null);
      pairs.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const exportCsv = async () => {
    setCsvError(null);
    try {
      await downloadCsv('/duplicates.csv', {}, 'duplicates.csv');
    } catch (x) {
      setCsvError(x);
    }
  };

  const items = pairs.data?.items || [];
  return (
    <Page title={t('population.dup.title')} wide>
      <p class="muted">{t('population.dup.intro')}</p>
      <ErrorNotice error={pairs.error} />
      {items.length > 0 && (
        <div class="row dup-actions">
          <button type="button" class="btn btn-secondary" data-testid="duplicates-csv" onClick={exportCsv}>{t('population.dup.csv')}</button>
          {items.length >= SHOWN && <p class="muted" data-testid="duplicates-more">{t('population.dup.more', { n: fmtNumber(SHOWN) })}</p>}
        </div>
      )}
      <ErrorNotice error={csvError} />
      {done && (
        <Notice kind="ok">
          <p data-testid="merged">{t('population.dup.merged', { merged: num(done.old.id), survivor: num(done.survivor.id), name: done.survivor.full_name })}</p>
          <p data-testid="points-to">{done.old.merged_into ? t('population.dup.pointsTo', { merged: num(done.old.id), survivor: num(done.old.merged_into) }) : t('population.dup.notPointing')}</p>
          <p>{t('population.dup.moved', { n: fmtNumber(Object.values(done.merge.moved || {}).reduce((s, v) => s + (typeof v === 'number' ? v : 0), 0)) })}</p>
        </Notice>
      )}
      {pairs.loading && !pairs.data && <Loading />}
      {pairs.data && items.length === 0 && <Notice><p data-testid="no-duplicates">{t('population.dup.none')}</p></Notice>}
      <ul class="plain stack" data-testid="pairs">
        {items.map(({ reason: why, a, b }) => {
          const key = `${a.id}-${b.id}`;
          const survivorId = keep[key] ?? a.id;
          return (
            <li class="card" key={key} data-pair={key}>
              <h2 id={`pair-${key}`}>{t('population.dup.pair', { a: num(a.id), b: num(b.id) })}</h2>
              <p><span class="badge">{t(`population.reason.${why}`)}</span></p>
              <div class="table-scroll" tabIndex={0} role="region" aria-labelledby={`pair-${key}`}>
                <table>
                  <caption class="visually-hidden">{t('population.dup.pair', { a: num(a.id), b: num(b.id) })}</caption>
                  <thead>
                    <tr>
                      <td />
                      <th scope="col">{t('population.dup.record', { id: num(a.id) })}</th>
                      <th scope="col">{t('population.dup.record', { id: num(b.id) })}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ROWS.map(([k, get, cls]) => {
                      const va = get(a, pairs.data.units), vb = get(b, pairs.data.units);
                      return (
                        <tr key={k} data-field={k}>
                          <th scope="row">{t(`population.field.${k}`)}</th>
                          <td class={cls}>{va}</td>
                          <td class={cls}>{vb}{va !== vb && <span class="visually-hidden"> {t('population.dup.differs')}</span>}{va !== vb && <span aria-hidden="true"> ≠</span>}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <fieldset class="inline-choice keep-choice">
                <legend>{t('population.dup.keep')}</legend>
                {[a, b].map((p) => (
                  <label class="check" key={p.id}>
                    <input type="radio" name={`keep-${key}`} value={p.id} checked={survivorId === p.id} onChange={() => setKeep({ ...keep, [key]: p.id })} />
                    {t('population.dup.keepThis', { id: num(p.id), name: p.full_name })}
                  </label>
                ))}
              </fieldset>
              <Field id={`reason-${key}`} label={t('population.dup.reason')} hint={t('population.dup.reasonHint')}>
                {(aria) => <input {...aria} type="text" maxLength={500} value={reason[key] || ''} onInput={(e) => setReason({ ...reason, [key]: e.currentTarget.value })} />}
              </Field>
              <button type="button" class="btn btn-danger" onClick={() => ask(key, a, b)}>{t('population.dup.merge')}</button>
            </li>
          );
        })}
      </ul>
      <dialog ref={dialog} class="dialog" aria-labelledby="merge-h" aria-describedby="merge-body" data-testid="merge-dialog">
        <h2 id="merge-h">{t('population.dup.confirmTitle')}</h2>
        {pending && (
          <p id="merge-body">{t('population.dup.confirmBody', { merged: num(pending.merged.id), mergedName: pending.merged.full_name, survivor: num(pending.survivor.id), survivorName: pending.survivor.full_name })}</p>
        )}
        <ErrorNotice error={error} />
        <div class="row">
          <button type="button" class="btn btn-danger" onClick={merge} disabled={busy}>{t('population.dup.confirm')}</button>
          <button type="button" class="btn btn-secondary" onClick={() => { dialog.current?.close(); setPending(null); }} autofocus>{t('population.dup.cancel')}</button>
        </div>
      </dialog>
    </Page>
  );
}
