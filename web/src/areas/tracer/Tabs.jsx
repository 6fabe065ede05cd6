// WAI-ARIA tabs: arrow keys move between tabs (automatic activation), Home/End to the ends;
// the panel is a focusable tabpanel labelled by its tab.
import { useRef } from 'preact/hooks';

export function Tabs({ id, label, tabs, current, onChange, children }) {
  const list = useRef(null);
  const i = tabs.findIndex((x) => x.key === current);
  const onKey = (e) => {
    const n = tabs.length;
    const to = { ArrowRight: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, Home: 0, End: n - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    onChange(tabs[to].key);
    requestAnimationFrame(() => list.current?.querySelector(`#${id}-tab-${tabs[to].key}`)?.focus());
  };
  return (
    <div class="tabs">
      <div role="tablist" aria-label={label} ref={list} onKeyDown={onKey} class="tablist">
        {tabs.map((x) => (
          <button type="button" role="tab" key={x.key} id={`${id}-tab-${x.key}`} aria-selected={x.key === current ? 'true' : 'false'}
            aria-controls={`${id}-panel`} tabIndex={x.key === current ? 0 : -1} onClick={() => onChange(x.key)}>
            {x.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${current}`} class="tabpanel">
        {children}
      </div>
    </div>
  );
}
