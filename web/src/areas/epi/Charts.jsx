// The two charts of the epidemiology screen, as plain SVG: the curve as bars, Rt as a line in
// its 95% credible band with R = 1 marked. Each SVG is role=img with a title and a summary;
// the numbers themselves are in the tables next to them (EpiCurve.jsx).
import { useT, fmtDay, fmtNumber } from '../../i18n/index.js';
import { niceMax, reliable } from './data.js';

const W = 760, H = 260, L = 44, R = 12, T = 12, B = 36;
const PW = W - L - R, PH = H - T - B;

/** About `n` evenly spread indexes of a series of `len` days, always the first and last. */
function ticks(len, n = 6) {
  if (len <= 1) return [0];
  const step = Math.max(1, Math.ceil((len - 1) / (n - 1)));
  const out = [];
  for (let i = 0; i < len; i += step) out.push(i);
  if (out[out.length - 1] !== len - 1) out.push(len - 1);
  return out;
}

function Axes({ days, yMax, yFmt, x, integer = false }) {
  const ys = integer && !Number.isInteger(yMax / 2) ? [0, yMax] : [0, yMax / 2, yMax];
  return (
    <g class="axis" aria-hidden="true">
      {ys.map((v) => {
        const y = T + PH - (v / yMax) * PH;
        return (
          <g key={v}>
            <line x1={L} x2={W - R} y1={y} y2={y} class="grid" />
            <text x={L - 6} y={y + 4} text-anchor="end">{yFmt(v)}</text>
          </g>
        );
      })}
      {ticks(days.length).map((i, k, all) => (
        <text key={i} x={x(i)} y={H - B + 18} text-anchor={all.length > 1 && k === 0 ? 'start' : all.length > 1 && k === all.length - 1 ? 'end' : 'middle'}>{fmtDay(days[i].date, { dateStyle: 'medium' })}</text>
      ))}
    </g>
  );
}

export function CurveChart({ curve, id }) {
  const t = useT();
  const days = curve.days;
  const max = days.reduce((m, d) => Math.max(m, d.count), 0);
  const yMax = niceMax(max);
  const bw = PW / Math.max(1, days.length);
  const x = (i) => L + bw * (i + 0.5);
  const total = days.reduce((s, d) => s + d.count, 0);
  const peak = days.reduce((p, d) => (d.count > (p?.count ?? -1) ? d : p), null);
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} data-testid="curve-chart">
      <title id={`${id}-t`}>{t(`epi.curve.chartTitle.${curve.by}`)}</title>
      <desc id={`${id}-d`}>{days.length ? t('epi.curve.summary', { total: fmtNumber(total), from: fmtDay(days[0].date), to: fmtDay(days[days.length - 1].date), peak: fmtNumber(peak.count), peakDay: fmtDay(peak.date) }) : ''}</desc>
      <Axes days={days.length ? days : [{ date: '' }]} yMax={yMax} yFmt={(v) => fmtNumber(v, { maximumFractionDigits: 1 })} x={x} integer />
      <g class="bars">
        {days.map((d, i) => d.count > 0 && (
          <rect key={d.date} data-date={d.date} data-count={d.count} x={L + bw * i + bw * 0.1} width={Math.max(1, bw * 0.8)} y={T + PH - (d.count / yMax) * PH} height={(d.count / yMax) * PH} />
        ))}
      </g>
    </svg>
  );
}

export function RtChart({ result, id }) {
  const t = useT();
  const days = result.curve.days;
  const index = new Map(days.map((d, i) => [d.date, i]));
  const est = result.estimates.filter((e) => index.has(e.window_end));
  const yMax = niceMax(Math.max(2, ...est.map((e) => Math.min(e.upper, 20))));
  const bw = PW / Math.max(1, days.length);
  const x = (i) => L + bw * (i + 0.5);
  const y = (v) => T + PH - (Math.min(v, yMax) / yMax) * PH;
  const pts = est.map((e) => ({ e, i: index.get(e.window_end) }));
  const band = pts.length ? [...pts.map(({ e, i }) => `${x(i)},${y(e.upper)}`), ...pts.slice().reverse().map(({ e, i }) => `${x(i)},${y(e.lower)}`)].join(' ') : '';
  const last = est[est.length - 1];
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} data-testid="rt-chart">
      <title id={`${id}-t`}>{t('epi.rt.chartTitle')}</title>
      <desc id={`${id}-d`}>{last ? t('epi.rt.summary', { day: fmtDay(last.window_end), mean: fmt2(last.mean), lower: fmt2(last.lower), upper: fmt2(last.upper) }) : t('epi.rt.noEstimates')}</desc>
      <Axes days={days.length ? days : [{ date: '' }]} yMax={yMax} yFmt={(v) => fmtNumber(v, { maximumFractionDigits: 1 })} x={x} />
      <line class="one" x1={L} x2={W - R} y1={y(1)} y2={y(1)} />
      {band && <polygon class="band" points={band} />}
      {pts.length > 1 && <polyline class="mean" points={pts.map(({ e, i }) => `${x(i)},${y(e.mean)}`).join(' ')} />}
      {pts.map(({ e, i }) => (
        <circle key={e.window_end} data-end={e.window_end} class={reliable(e) ? 'point' : 'point weak'} cx={x(i)} cy={y(e.mean)} r={3} />
      ))}
    </svg>
  );
}

export const fmt2 = (v) => fmtNumber(v, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
