// The epidemic curve of an org unit (by onset or by report date) as bars, and the
// instantaneous reproduction number Rt with its 95% credible interval as a line in a band, on
// the unit's local days and in the reader's language; each chart has its table. Estimates whose
// window holds fewer than 12 cases are drawn hollow and marked in the table (EpiEstim's advice).
// A period the server refuses (the end before the start, more than 366 days) is shown on its field.
import { useState } from 'preact/hooks';
import { useT, fmtDay, fmtNumber } from '../../i18n/index.js';
import { session } from '../../app/session.js';
import { Page, Field, Notice, ErrorNotice, Loading, useLoad } from '../../ui/ui.jsx';
import { CurveChart, RtChart, fmt2 } from './Charts.jsx';
import { loadUnits, epiCurve, rt, reliable } from './data.js';
import { dayIn, addDays } from '../../lib/zoned.js';
import '../../styles/staff.css';
import './epi.css';

const FIELDS = ['org_unit_id', 'from', 'to', 'window_days'];

export default function EpiCurve() {
  const t = useT();
  const units = useLoad(() => loadUnits(session.get()?.user));
  const list = units.data || [];
  const [form, setForm] = useState(null); // {unit, from, to, by, window}
  const [query, setQuery] = useState(null);
  const first = list[0];
  const f = form || (first ? { unit: String(first.id), from: addDays(dayIn(first.time_zone), -59), to: dayIn(first.time_zone), by: 'onset', window: '7' } : null);
  const q = query || f;
  const set = (k) => (e) => setForm({ ...f, [k]: e.currentTarget.value });

  const data = useLoad(async () => {
    if (!q) return null;
    const [curve, r] = await Promise.all([epiCurve(q), rt(q)]);
    return { curve, rt: r };
  }, [q && JSON.stringify(q)]);
  const unit = list.find((u) => String(u.id) === String(q?.unit));
  const fieldErr = (name) => (data.error?.field !== name ? null : name === 'from' || name === 'to' ? t('epi.form.badPeriod') : t('epi.form.invalid'));
  const fieldsLabel = data.error?.field && FIELDS.includes(data.error.field);

  const days = data.data?.curve.days || [];
  const total = days.reduce((s, d) => s + d.count, 0);
  const est = data.data?.rt.estimates || [];
  const zone = data.data?.curve.time_zone || unit?.time_zone || '';

  return (
    <Page title={t('epi.title')} wide>
      <p class="muted">{t('epi.intro')}</p>
      <ErrorNotice error={units.error} />
      {units.loading && !units.data && <Loading />}
      {f && (
        <form class="card filters" noValidate onSubmit={(e) => { e.preventDefault(); setQuery({ ...f }); }} data-testid="epi-form">
          <Field id="epi-unit" label={t('epi.form.unit')} error={fieldErr('org_unit_id')}>
            {(aria) => (
              <select {...aria} value={f.unit} onChange={set('unit')}>
                {list.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
              </select>
            )}
          </Field>
          <Field id="epi-from" label={t('epi.form.from')} error={fieldErr('from')}>
            {(aria) => <input {...aria} type="date" value={f.from} onChange={set('from')} />}
          </Field>
          <Field id="epi-to" label={t('epi.form.to')} error={fieldErr('to')}>
            {(aria) => <input {...aria} type="date" value={f.to} onChange={set('to')} />}
          </Field>
          <Field id="epi-by" label={t('epi.form.by')}>
            {(aria) => (
              <select {...aria} value={f.by} onChange={set('by')}>
                <option value="onset">{t('epi.form.byOnset')}</option>
                <option value="report">{t('epi.form.byReport')}</option>
              </select>
            )}
          </Field>
          <Field id="epi-window" label={t('epi.form.window')} error={fieldErr('window_days')}>
            {(aria) => (
              <select {...aria} value={f.window} onChange={set('window')}>
                {['7', '14', '21'].map((w) => <option key={w} value={w}>{t('epi.form.windowDays', { n: fmtNumber(Number(w)) })}</option>)}
              </select>
            )}
          </Field>
          <div class="filters-actions"><button class="btn" type="submit">{t('epi.form.show')}</button></div>
        </form>
      )}
      {data.error && <ErrorNotice error={data.error} />}
      {fieldsLabel && <p class="error-text" data-testid="field-error">{t('epi.form.fieldRefused', { field: t(`epi.field.${data.error.field}`) })}</p>}
      {data.loading && !data.data && q && <Loading />}
      {data.data && (
        <>
          <p data-testid="zone">{t('epi.zone', { unit: unit?.name || '', zone })}</p>
          <section aria-labelledby="curve-h">
            <h2 id="curve-h">{t(`epi.curve.chartTitle.${data.data.curve.by}`)}</h2>
            <p data-testid="curve-total">{t('epi.curve.total', { n: fmtNumber(total), from: fmtDay(q.from), to: fmtDay(q.to) })}</p>
            <CurveChart curve={data.data.curve} id="curve" />
            <details>
              <summary>{t('epi.curve.table')}</summary>
              <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="curve-caption">
                <table data-testid="curve-table">
                  <caption id="curve-caption">{t(`epi.curve.chartTitle.${data.data.curve.by}`)}</caption>
                  <thead><tr><th scope="col">{t('epi.curve.day')}</th><th scope="col">{t('epi.curve.cases')}</th></tr></thead>
                  <tbody>
                    {days.map((d) => <tr key={d.date} data-date={d.date}><td>{fmtDay(d.date, { dateStyle: 'full' })}</td><td>{fmtNumber(d.count)}</td></tr>)}
                  </tbody>
                </table>
              </div>
            </details>
          </section>
          <section aria-labelledby="rt-h">
            <h2 id="rt-h">{t('epi.rt.chartTitle')}</h2>
            <p class="muted">{t('epi.rt.method', { mean: fmtNumber(data.data.rt.serial_interval.mean_days), sd: fmtNumber(data.data.rt.serial_interval.sd_days), n: fmtNumber(data.data.rt.window_days) })}</p>
            {est.length === 0 && <Notice><p data-testid="rt-none">{t('epi.rt.noEstimates')}</p></Notice>}
            {est.length > 0 && (
              <>
                <ul class="legend" aria-hidden="true">
                  <li><span class="swatch swatch-mean" />{t('epi.rt.legendMean')}</li>
                  <li><span class="swatch swatch-band" />{t('epi.rt.legendBand')}</li>
                  <li><span class="swatch swatch-one" />{t('epi.rt.legendOne')}</li>
                  <li><span class="swatch swatch-weak" />{t('epi.rt.legendWeak')}</li>
                </ul>
                <RtChart result={data.data.rt} id="rt" />
                <details>
                  <summary>{t('epi.rt.table')}</summary>
                  <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="rt-caption">
                    <table data-testid="rt-table">
                      <caption id="rt-caption">{t('epi.rt.chartTitle')}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('epi.rt.window')}</th><th scope="col">{t('epi.rt.mean')}</th>
                          <th scope="col">{t('epi.rt.interval')}</th><th scope="col">{t('epi.rt.cases')}</th><th scope="col">{t('epi.rt.reliable')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {est.map((e) => (
                          <tr key={e.window_end} data-end={e.window_end} class={reliable(e) ? '' : 'weak'}>
                            <td>{t('epi.rt.windowRange', { from: fmtDay(e.window_start), to: fmtDay(e.window_end) })}</td>
                            <td>{fmt2(e.mean)}</td>
                            <td>{t('epi.rt.range', { lower: fmt2(e.lower), upper: fmt2(e.upper) })}</td>
                            <td>{fmtNumber(Math.round(e.shape - 1))}</td>
                            <td>{reliable(e) ? t('epi.rt.yes') : t('epi.rt.few')}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </details>
              </>
            )}
          </section>
        </>
      )}
    </Page>
  );
}
