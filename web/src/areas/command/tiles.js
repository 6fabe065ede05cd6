// The tile map of Quang Ninh: the 13 district-level units on an 8 x 4 grid, each where it lies
// (west to east along the coast, the border districts on top, the islands below), shipped
// here so that nothing loads from the internet. Keyed by the unit's code, with the name as a
// second key for trees coded otherwise; a district the layout does not know goes to a free
// cell. Communes are drawn inside their district's tile in code order (no commune geometry).
export const GRID = { cols: 8, rows: 4 };

export const DISTRICTS = [
  { code: 'QN-12', name: 'Ba Chẽ', col: 4, row: 2 },
  { code: 'QN-11', name: 'Bình Liêu', col: 6, row: 1 },
  { code: 'QN-06', name: 'Quảng Yên', col: 2, row: 4 },
  { code: 'QN-05', name: 'Đông Triều', col: 1, row: 3 },
  { code: 'QN-03', name: 'Uông Bí', col: 2, row: 3 },
  { code: 'QN-01', name: 'Hạ Long', col: 3, row: 3 },
  { code: 'QN-02', name: 'Cẩm Phả', col: 4, row: 3 },
  { code: 'QN-08', name: 'Tiên Yên', col: 5, row: 2 },
  { code: 'QN-10', name: 'Đầm Hà', col: 6, row: 2 },
  { code: 'QN-09', name: 'Hải Hà', col: 7, row: 2 },
  { code: 'QN-04', name: 'Móng Cái', col: 8, row: 2 },
  { code: 'QN-07', name: 'Vân Đồn', col: 5, row: 4 },
  { code: 'QN-13', name: 'Cô Tô', col: 7, row: 4 },
];

const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase();

/** Place org units (districts) on the grid: [{unit, col, row}]. */
export function place(units) {
  const used = new Set();
  const out = [];
  const rest = [];
  for (const u of units) {
    const d = DISTRICTS.find((x) => x.code === u.code) || DISTRICTS.find((x) => fold(x.name) === fold(u.name));
    if (d && !used.has(`${d.col},${d.row}`)) { used.add(`${d.col},${d.row}`); out.push({ unit: u, col: d.col, row: d.row }); } else rest.push(u);
  }
  let rows = GRID.rows;
  for (const u of rest) {
    let cell = null;
    for (let r = 1; !cell; r++) {
      if (r > rows) rows = r;
      for (let c = 1; c <= GRID.cols && !cell; c++) if (!used.has(`${c},${r}`)) cell = { c, r };
    }
    used.add(`${cell.c},${cell.r}`);
    out.push({ unit: u, col: cell.c, row: cell.r });
  }
  return { cells: out, cols: GRID.cols, rows };
}
