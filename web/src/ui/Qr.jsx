// Render QR text as an inline SVG on the device (lean-qr), so the image shown is exactly the
// credential whose expiry the screen states, and it can be redrawn offline from the saved text.
import { useMemo } from 'preact/hooks';
import { generate, correction, mode } from 'lean-qr';

// Our codes are Base45 (MK1:, HC1:) or digits (shc:/). A text that is all Base45 goes in one
// alphanumeric segment without the search for the best mix of modes; anything else is searched
// over these modes, not Shift-JIS, whose first character test builds a table of 7,973 kanji
// (that and the search cost a slow phone about a third of a second on the code screen).
const MODES = [mode.numeric, mode.alphaNumeric, mode.ascii, mode.utf8];
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;

/** The dark modules as one path of row runs (a 77-module code: 1 ms, where lean-qr's traced
 *  outline took 8 to 17 ms, more than the encoding itself). */
function darkRuns(code) {
  const n = code.size;
  let d = '';
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; ) {
      if (!code.get(x, y)) {
        x++;
        continue;
      }
      const start = x;
      while (x < n && code.get(x, y)) x++;
      d += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  }
  return d;
}

export function Qr({ text, label, class: cls = '' }) {
  // Encoding tries all eight masks (tens of milliseconds on a slow phone): once per text, not
  // on every render of the screen around it.
  const [size, path] = useMemo(() => {
    const data = ALPHANUMERIC.test(text) ? mode.alphaNumeric(text) : text;
    const code = generate(data, { minCorrectionLevel: correction.M, modes: MODES });
    return [code.size, darkRuns(code)];
  }, [text]);
  const pad = 4;
  return (
    <svg class={cls} viewBox={`${-pad} ${-pad} ${size + 2 * pad} ${size + 2 * pad}`} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect x={-pad} y={-pad} width={size + 2 * pad} height={size + 2 * pad} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
