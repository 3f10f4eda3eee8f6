import type { Click } from '../../src/core/types';

// The bench's million rows: the sandbox's 100,000-click day several times over, each copy shifted a
// span later with its own transaction ids (shallow copies, sharing the nested objects, as the host's
// rows of one response share nothing more than that anyway).

/** The clicks `copies` times over, each copy shifted a span later. */
export function replicate(rows: Click[], copies: number): Click[] {
  if (copies <= 1) return rows;
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    lo = Math.min(lo, r.unix_timestamp);
    hi = Math.max(hi, r.unix_timestamp);
  }
  const span = hi - lo + 1;
  const out: Click[] = [];
  for (let k = 0; k < copies; k++) for (const r of rows) out.push(k === 0 ? r : { ...r, unix_timestamp: r.unix_timestamp + k * span, transaction_id: `${r.transaction_id}.${k}` });
  return out;
}

/** Exactly `n` clicks from `rows`, replicated as needed. */
export function scaleTo(rows: Click[], n: number): Click[] {
  return replicate(rows, Math.max(1, Math.ceil(n / Math.max(1, rows.length)))).slice(0, n);
}
