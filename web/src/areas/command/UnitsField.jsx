// Who a directive or a meeting goes to: every unit one level below mine, every unit below, or
// units I choose (only units below mine are offered: the server refuses any other all the same).
import { useState } from 'preact/hooks';
import { useT, fmtNumber } from '../../i18n/index.js';

/** The choice, and `fill(out, errs, key)`: `to_all`, or the chosen units under `key` (an error
 *  under `key` when none is chosen). */
export function useUnitChoice() {
  const [to, setTo] = useState('children');
  const [chosen, setChosen] = useState(new Set());
  const fill = (t, out, errs, key) => {
    if (to !== 'chosen') out.to_all = to;
    else {
      if (!chosen.size) errs[key] = () => t('command.dir.pickUnits');
      out[key] = [...chosen];
    }
  };
  return { to, setTo, chosen, setChosen, fill, clear: () => setChosen(new Set()) };
}

/** `choice`: useUnitChoice(); `error`: shown below. */
export function UnitsField({ name, units, choice, error }) {
  const t = useT();
  const { to, setTo: onTo, chosen, setChosen: onChosen } = choice;
  const toggle = (id) => {
    const next = new Set(chosen);
    next.has(id) ? next.delete(id) : next.add(id);
    onChosen(next);
  };
  return (
    <fieldset class={error ? 'field-error' : ''} aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{t('command.dir.to')}</legend>
      {['children', 'below', 'chosen'].map((v) => (
        <label class="check" key={v}>
          <input type="radio" name={name} value={v} checked={to === v} onChange={() => onTo(v)} />
          <span>{t(`command.dir.to.${v}`, { n: fmtNumber(units.length) })}</span>
        </label>
      ))}
      {to === 'chosen' && (
        <ul class="plain unit-choice" data-testid="recipient-choice">
          {units.map((u) => (
            <li key={u.id}>
              <label class="check">
                <input type="checkbox" value={u.id} checked={chosen.has(u.id)} onChange={() => toggle(u.id)} />
                <span>{u.name} <span class="muted">{u.code}</span></span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {error && <p class="error-text" id={`${name}-error`}>{error}</p>}
    </fieldset>
  );
}
