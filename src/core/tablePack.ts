import type { CellValue } from './columns';
import type { FlatTable } from './flatten';

// The flat table as it crosses postMessage. VS Code serialises webview messages as JSON, so what
// counts is the length of that text: most click columns repeat a handful of values (countries,
// offers, browsers, Yes/No, empty hashes), and sending each distinct value once plus a small integer
// per row makes a 100,000-row result several times smaller than the plain column arrays. Columns
// whose values are mostly distinct (transaction ids, timestamps) stay plain, where a dictionary
// would only add the codes.

// `codes` is a plain array when packed for JSON, a typed array when it came as binary (binaryTable.ts).
// `entry(k)` is `dict[k]` without building `dict`: a big dictionary that came as binary is built
// only when something reads `dict` (searching, sorting), so reading a few cells should use `entry`.
export type PackedColumn = { values: CellValue[] } | { dict: CellValue[]; codes: ArrayLike<number>; entry?: (k: number) => CellValue };

export interface PackedTable {
  columns: string[];
  rows: number;
  data: PackedColumn[];
}

/** A dictionary pays off while the distinct values are well under the rows. */
const DICT_SHARE = 0.5;

/** One column as sent: a dictionary and a code per row while that pays, else its values as they are. */
export function packColumn(values: readonly CellValue[]): PackedColumn {
  const limit = Math.max(1, Math.floor(values.length * DICT_SHARE));
  const index = new Map<CellValue, number>();
  const dict: CellValue[] = [];
  const codes: number[] = [];
  for (const v of values) {
    let code = index.get(v);
    if (code === undefined) {
      if (dict.length >= limit) return { values: [...values] };
      code = dict.length;
      index.set(v, code);
      dict.push(v);
    }
    codes.push(code);
  }
  return { dict, codes };
}

export function packTable(table: FlatTable): PackedTable {
  const rows = table.data[0]?.length ?? 0;
  return { columns: [...table.columns], rows, data: table.data.map(packColumn) };
}

/** The plain column-major table again; throws on a table whose columns do not line up. */
export function unpackTable(packed: PackedTable): FlatTable {
  const { columns, rows } = packed;
  if (!Array.isArray(columns) || !Array.isArray(packed.data) || columns.length !== packed.data.length) {
    throw new Error('The result table is malformed: columns and data differ in length.');
  }
  const data = packed.data.map((col, c): CellValue[] => {
    if ('values' in col) {
      if (col.values.length !== rows) throw new Error(`The result table is malformed: column ${columns[c]} has ${col.values.length} rows, not ${rows}.`);
      return col.values;
    }
    if (col.codes.length !== rows) throw new Error(`The result table is malformed: column ${columns[c]} has ${col.codes.length} rows, not ${rows}.`);
    const out: CellValue[] = [];
    for (let r = 0; r < rows; r++) {
      const v = col.dict[col.codes[r]];
      if (v === undefined) throw new Error(`The result table is malformed: column ${columns[c]} has an unknown code.`);
      out.push(v);
    }
    return out;
  });
  return { columns: [...columns], data };
}
