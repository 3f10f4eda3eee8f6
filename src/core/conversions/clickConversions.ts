import { formatMoney } from '../format';
import type { Click } from '../types';
import type { ConversionJoin } from './join';

// The join's values for one click, where the grid's column getters, the copies and the exports read
// them (they all take a Click). Kept beside the clicks in a WeakMap, never written into them: a click
// is what Everflow sent, and its JSON, its unknown-field columns and its stored form stay exactly that.
// Built for converted clicks only (a few thousand), after the column-major join; a click without an
// entry has no conversion.

export interface ClickConversion {
  conversions: number;
  events: number;
  /** The sum, or "$10.00 + €6.00" when the click's conversions came in several currencies. */
  revenue: number | string;
  saleAmount: number | string;
  /** '' when several currencies (the amounts then say theirs) or none was named. */
  currency: string;
  /** Epoch seconds of the first base conversion; NaN without one. */
  first: number;
  /** Seconds from the click to its first base conversion; NaN without one. */
  timeToConvert: number;
  status: string;
}

const byClick = new WeakMap<Click, ClickConversion>();

/** The click's conversions, or undefined when it has none (or none were added). */
export function conversionOf(row: Click): ClickConversion | undefined {
  return byClick.get(row);
}

/** "$10.00 + €6.00": amounts per currency, largest first. */
export function amountsText(amounts: Record<string, number>): string {
  return Object.entries(amounts)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([cur, v]) => formatMoney(v, cur))
    .join(' + ');
}

/** Puts the join's values beside `rows` (the clicks it was computed for, in the same order); clears stale ones. */
export function attachConversions(rows: readonly Click[], join: ConversionJoin): void {
  const n = Math.min(rows.length, join.clicks);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (join.conversions[i] === 0 && join.events[i] === 0) {
      byClick.delete(row);
      continue;
    }
    const mixedRevenue = join.mixedRevenue.get(i);
    const mixedSale = join.mixedSaleAmount.get(i);
    byClick.set(row, {
      conversions: join.conversions[i],
      events: join.events[i],
      revenue: mixedRevenue ? amountsText(mixedRevenue) : join.revenue[i],
      saleAmount: mixedSale ? amountsText(mixedSale) : join.saleAmount[i],
      currency: join.currency[i],
      first: join.firstConversion[i],
      timeToConvert: join.timeToConvert[i],
      status: join.status[i],
    });
  }
}

/** Forgets what was attached to `rows` (conversions taken off a result). */
export function detachConversions(rows: readonly Click[]): void {
  for (const r of rows) byClick.delete(r);
}
