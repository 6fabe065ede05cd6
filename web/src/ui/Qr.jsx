// Render QR text as an inline SVG on the device (lean-qr), so the image shown is exactly the
// credential whose expiry the screen states, and it can be redrawn offline from the saved text.
import { generate, correction } from 'lean-qr';
import { toSvgPath } from 'lean-qr/extras/svg';

export function Qr({ text, label, class: cls = '' }) {
  const code = generate(text, { minCorrectionLevel: correction.M });
  const size = code.size;
  const pad = 4;
  return (
    <svg class={cls} viewBox={`${-pad} ${-pad} ${size + 2 * pad} ${size + 2 * pad}`} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect x={-pad} y={-pad} width={size + 2 * pad} height={size + 2 * pad} fill="#fff" />
      <path d={toSvgPath(code)} fill="#000" />
    </svg>
  );
}
