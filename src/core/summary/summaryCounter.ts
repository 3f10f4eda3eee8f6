import { SummaryAccumulator, type RowSet, type SummaryOptions, type SummaryResult } from './aggregate';
import type { SummaryModel } from './model';

// Keeps the summary's counters between draws so that rows Fetch all appends are counted on their own
// (the earlier rows are not gone over again). Anything else that changes what is counted (the view's
// filters, the bucket, the dimension, the measure, another model) starts over.

export class SummaryCounter {
  private kept: { acc: SummaryAccumulator; model: SummaryModel; key: string; counted: number } | undefined;

  /**
   * The summary of `rows` (the grid's shown rows, or 'all') under `options`. `viewKey` names the view
   * that chose the rows (search and filters, not the sort): with the same key, a model grown by
   * `extend` and the same options, only the shown rows past those already counted are added.
   */
  count(model: SummaryModel, rows: RowSet, options: SummaryOptions, viewKey: string): { result: SummaryResult; incremental: boolean } {
    const key = `${viewKey}\u0000${rows === 'all' ? 'all' : 'some'}\u0000${JSON.stringify(options)}`;
    const k = this.kept;
    if (k && k.model === model && k.key === key && model.rowCount >= k.counted) {
      if (model.rowCount === k.counted) return { result: k.acc.result(), incremental: true };
      if (k.acc.add(rowsFrom(rows, k.counted, model.rowCount))) {
        k.counted = model.rowCount;
        return { result: k.acc.result(), incremental: true };
      }
    }
    const acc = new SummaryAccumulator(model, options);
    acc.add(rows);
    this.kept = { acc, model, key, counted: model.rowCount };
    return { result: acc.result(), incremental: false };
  }

  reset(): void {
    this.kept = undefined;
  }
}

/** The rows in [from, to) among `rows`: a range for 'all', else the shown rows appended since. */
function rowsFrom(rows: RowSet, from: number, to: number): ArrayLike<number> {
  if (rows === 'all') {
    const out = new Int32Array(to - from);
    for (let i = 0; i < out.length; i++) out[i] = from + i;
    return out;
  }
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) if (rows[i] >= from) out.push(rows[i]);
  return out;
}
