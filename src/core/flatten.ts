import { COLUMNS, type CellValue, type ColumnDef } from './columns';
import type { Click } from './types';

// The table the host posts to the results webview.
//
// Column-major: `data[c][r]` is column c of row r. With 100,000 rows and ~60 columns that is ~60
// arrays of 100,000 values instead of 100,000 small arrays of 60, which matters three times over:
// building it is one tight loop per column (one getter, monomorphic) with no per-row allocation;
// each column array holds one type, so a numeric column stays a packed array of doubles in V8
// (smaller to keep, cheaper for postMessage's structured clone to walk); and the webview sorts,
// filters and measures a column by touching one array. The grid asks for cells by (row, column),
// which is `data[c][r]` either way. Values stay raw (timestamps as epoch seconds): changing the
// display zone re-formats in the webview without re-sending anything.

export interface FlatTable {
  /** Column ids (`ColumnDef.id`), in display order. */
  columns: string[];
  /** Column-major: `data[c][r]`. */
  data: CellValue[][];
}

export function flattenRows(rows: readonly Click[], columns: readonly ColumnDef[] = COLUMNS): FlatTable {
  const n = rows.length;
  const data: CellValue[][] = new Array(columns.length);
  for (let c = 0; c < columns.length; c++) {
    const get = columns[c].get;
    // Pushed rather than preallocated: `new Array(n)` starts out holey and stays holey in V8,
    // while a pushed array of numbers stays a packed array of doubles.
    const col: CellValue[] = [];
    for (let r = 0; r < n; r++) col.push(get(rows[r]));
    data[c] = col;
  }
  return { columns: columns.map((c) => c.id), data };
}

/** Row `r` of a flat table as an id → value record (for a detail view of one row). */
export function rowOf(table: FlatTable, r: number): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (let c = 0; c < table.columns.length; c++) out[table.columns[c]] = table.data[c][r];
  return out;
}
