import type { GridTable } from './gridTable';

// The numbers around the grid: the summary bar under it (rows shown, unique clicks, revenue, time
// span), "Group by" counts and the count/sum/average of a selection. Pure, over a GridTable and row
// indices, so the webview and the unit tests share them.

export interface Summary {
  shown: number;
  total: number;
  /** Rows whose `is_unique` is true. */
  unique: number;
  /** Revenue summed per currency, largest first. */
  revenue: { currency: string; sum: number }[];
  /** Epoch seconds of the earliest and latest click shown. */
  first?: number;
  last?: number;
}

export function summarize(t: GridTable, rows: readonly number[]): Summary {
  const unique = t.col('is_unique');
  const revenue = t.col('revenue');
  const currency = t.col('currency_id');
  const time = t.col('time');
  const sums = new Map<string, number>();
  let uniques = 0;
  let first: number | undefined;
  let last: number | undefined;
  for (const r of rows) {
    if (unique >= 0 && t.raw(unique, r) === true) uniques++;
    if (revenue >= 0) {
      const v = t.raw(revenue, r);
      if (typeof v === 'number' && Number.isFinite(v)) {
        const cur = currency >= 0 ? String(t.raw(currency, r)).trim().toUpperCase() : '';
        sums.set(cur, (sums.get(cur) ?? 0) + v);
      }
    }
    if (time >= 0) {
      const ts = t.raw(time, r);
      if (typeof ts === 'number' && Number.isFinite(ts)) {
        if (first === undefined || ts < first) first = ts;
        if (last === undefined || ts > last) last = ts;
      }
    }
  }
  const out: Summary = {
    shown: rows.length,
    total: t.rowCount,
    unique: uniques,
    revenue: [...sums].map(([cur, sum]) => ({ currency: cur, sum: roundCents(sum) })).sort((a, b) => b.sum - a.sum || a.currency.localeCompare(b.currency)),
  };
  if (first !== undefined) out.first = first;
  if (last !== undefined) out.last = last;
  return out;
}

/** Sums of money in floating point drift (0.1 + 0.2); amounts are shown to the cent. */
function roundCents(n: number): number {
  return Math.round(n * 100) / 100;
}

export interface GroupCount {
  /** The cell text shared by the group. */
  text: string;
  count: number;
}

/** Rows per distinct cell text of a column, most frequent first (ties by text). */
export function groupCounts(t: GridTable, column: string, rows: readonly number[]): GroupCount[] {
  const c = t.col(column);
  if (c < 0) return [];
  const counts = new Map<string, number>();
  for (const r of rows) {
    const text = t.text(c, r);
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts].map(([text, count]) => ({ text, count })).sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
}

/** A rectangle of a selection: result row indices by table column indices. */
export interface CellBlock {
  rows: readonly number[];
  columns: readonly number[];
}

export interface SelectionStats {
  /** Distinct cells selected. */
  cells: number;
  /** Of those, cells of number or money columns holding a number. */
  numeric: number;
  sum?: number;
  average?: number;
  /** Set when every money cell summed shares this currency. */
  currency?: string;
  /** True when money of several currencies was selected: no sum is given then. */
  mixedCurrencies?: boolean;
}

/**
 * Count, sum and average of the selected cells. Overlapping blocks count each cell once. Only number
 * and money columns are summed: ids and timestamps are numbers too, but their sum means nothing.
 */
export function selectionStats(t: GridTable, blocks: readonly CellBlock[]): SelectionStats {
  // One block (the usual drag or Ctrl+A) cannot overlap itself: no need to remember millions of cells.
  const seen = blocks.length > 1 ? new Set<number>() : undefined;
  const currencies = new Set<string>();
  let cells = 0;
  let numeric = 0;
  let sum = 0;
  for (const block of blocks) {
    for (const c of block.columns) {
      const kind = t.kind(c);
      for (const r of block.rows) {
        if (seen) {
          const key = r * t.columns.length + c;
          if (seen.has(key)) continue;
          seen.add(key);
        }
        cells++;
        if (kind !== 'number' && kind !== 'money') continue;
        const v = t.raw(c, r);
        if (typeof v !== 'number' || !Number.isFinite(v)) continue;
        numeric++;
        sum += v;
        if (kind === 'money') currencies.add(t.currencyOf(c, r).trim().toUpperCase());
      }
    }
  }
  const out: SelectionStats = { cells, numeric };
  if (currencies.size > 1) return { ...out, mixedCurrencies: true };
  if (numeric > 0) {
    out.sum = roundCents(sum);
    out.average = sum / numeric;
    const [only] = currencies;
    if (only) out.currency = only;
  }
  return out;
}

/** The shortest and longest wait after the last key before a search or filter runs. */
export const TYPING_PAUSE_BOUNDS = { min: 30, max: 150 } as const;

/**
 * How long the grid waits after the last key before it searches or filters: long enough not to
 * search on every key of a word, short enough that the result follows the typing. A small table is
 * searched almost at once; a large one waits about twice what its last search took (or, before the
 * first, 1 ms per 2,000 rows), so a search never queues behind the next key.
 */
export function typingPauseMs(rows: number, lastSearchMs?: number): number {
  const estimate = lastSearchMs !== undefined && Number.isFinite(lastSearchMs) ? 2 * lastSearchMs : rows / 2000;
  return Math.round(Math.min(TYPING_PAUSE_BOUNDS.max, Math.max(TYPING_PAUSE_BOUNDS.min, estimate)));
}
