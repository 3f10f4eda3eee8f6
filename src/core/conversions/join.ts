import type { Click } from '../types';
import type { Conversion } from './types';

// Clicks joined with their conversions by `transaction_id` (issue #15). The result is column-major,
// like the grid's table: one typed array per value, indexed by the click's position in the result, so
// joining 100,000 clicks with 10,000 conversions allocates a handful of arrays and no per-click object.
// The map is built over the conversions (the smaller side) and the clicks only probe it.
//
// Rules (the issue's): a conversion counted twice across pages (same conversion_id) counts once;
// post-conversion events count apart from base conversions, and an event whose base conversion is not
// in the result still counts; conversions whose click is not in the result are kept, not dropped.
// When two clicks of a result share a transaction ID (a window fetched twice), the first one gets the
// conversions, so totals are never doubled.

export interface ClickKeys {
  /** `transaction_id` of each click, in result order. */
  transactionIds: ArrayLike<unknown>;
  /** Click time of each click, epoch seconds (the grid's `time` column). */
  clickTimes: ArrayLike<unknown>;
}

export interface ConversionJoin {
  clicks: number;
  /** Base conversions per click. */
  conversions: Uint32Array;
  /** Post-conversion events per click. */
  events: Uint32Array;
  /** Revenue of the click's conversions and events, summed (in `currency[i]` unless `mixedRevenue` has the click). */
  revenue: Float64Array;
  saleAmount: Float64Array;
  /** Currency of the click's conversions ('' when none or unnamed). */
  currency: string[];
  /** Clicks whose conversions came in more than one currency: click → amount per currency. */
  mixedRevenue: Map<number, Record<string, number>>;
  mixedSaleAmount: Map<number, Record<string, number>>;
  /** Time of the first base conversion (epoch seconds); NaN without one. */
  firstConversion: Float64Array;
  /** First base conversion − click time, in seconds; NaN without a base conversion. */
  timeToConvert: Float64Array;
  /** Everflow's statuses, most relevant first ("approved ×2, rejected"); '' when it sent none. */
  status: string[];
  /** Clicks with at least one base conversion or event. */
  convertedClicks: number;
  /** Conversion rows joined to a click (after de-duplication). */
  matched: number;
  /** Rows seen again (same conversion_id) and counted once. */
  duplicates: number;
  /** Conversions and events whose click is not in the result, as they came. */
  unmatched: Conversion[];
  /** Revenue of the joined rows per currency ('' for unnamed). */
  revenueByCurrency: Record<string, number>;
}

/** The join keys of parsed clicks (for callers holding the `Click[]` rather than the table). */
export function clickKeysOf(rows: readonly Click[]): ClickKeys {
  const ids: string[] = [];
  const times: number[] = [];
  for (const r of rows) {
    ids.push(r.transaction_id);
    times.push(r.unix_timestamp);
  }
  return { transactionIds: ids, clickTimes: times };
}

// Most relevant first: a paid conversion says the most, a rejection the least.
const STATUS_RANK: Record<string, number> = { approved: 0, pending: 1, rejected: 2, invalid: 3 };

function rankOf(s: string): number {
  return Object.prototype.hasOwnProperty.call(STATUS_RANK, s) ? STATUS_RANK[s] : 4;
}

/** "approved ×2, rejected" from the statuses of one click's rows. */
export function summarizeStatuses(statuses: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const s of statuses) {
    const k = s.trim().toLowerCase();
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => rankOf(a[0]) - rankOf(b[0]) || b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([s, n]) => (n > 1 ? `${s} ×${n}` : s))
    .join(', ');
}

function num(v: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function joinConversions(keys: ClickKeys, conversions: readonly Conversion[]): ConversionJoin {
  const n = keys.transactionIds.length;
  const out: ConversionJoin = {
    clicks: n,
    conversions: new Uint32Array(n),
    events: new Uint32Array(n),
    revenue: new Float64Array(n),
    saleAmount: new Float64Array(n),
    currency: new Array<string>(n).fill(''),
    mixedRevenue: new Map(),
    mixedSaleAmount: new Map(),
    firstConversion: new Float64Array(n).fill(NaN),
    timeToConvert: new Float64Array(n).fill(NaN),
    status: new Array<string>(n).fill(''),
    convertedClicks: 0,
    matched: 0,
    duplicates: 0,
    unmatched: [],
    revenueByCurrency: Object.create(null) as Record<string, number>,
  };

  // Conversions by transaction ID, as chains through `next` (no array per key).
  const m = conversions.length;
  const next = new Int32Array(m).fill(-1);
  const used = new Uint8Array(m); // 1 = duplicate, 2 = joined
  const head = new Map<string, number>();
  const seen = new Set<string>();
  for (let j = m - 1; j >= 0; j--) {
    // Walked backwards so chains come out in report order; duplicates keep the first row sent.
    const c = conversions[j];
    const tx = c.transaction_id;
    if (!tx) continue;
    const h = head.get(tx);
    next[j] = h ?? -1;
    head.set(tx, j);
  }
  for (let j = 0; j < m; j++) {
    const id = conversions[j].conversion_id;
    if (!id) continue;
    if (seen.has(id)) {
      used[j] = 1;
      out.duplicates++;
    } else seen.add(id);
  }

  const ids = keys.transactionIds;
  const times = keys.clickTimes;
  for (let i = 0; i < n; i++) {
    const tx = ids[i];
    if (typeof tx !== 'string' || head.size === 0) continue;
    const start = head.get(tx);
    if (start === undefined) continue;
    head.delete(tx);
    let base = 0;
    let events = 0;
    let revenue = 0;
    let sale = 0;
    let currency: string | undefined;
    let mixed = false;
    let first = Infinity;
    let statuses: string[] | undefined;
    for (let j = start; j >= 0; j = next[j]) {
      if (used[j] === 1) continue;
      used[j] = 2;
      const c = conversions[j];
      out.matched++;
      if (c.is_event) events++;
      else {
        base++;
        if (c.conversion_unix_timestamp < first) first = c.conversion_unix_timestamp;
      }
      const cur = c.currency_id || '';
      if (currency === undefined) currency = cur;
      else if (cur !== currency) mixed = true;
      revenue += num(c.revenue);
      sale += num(c.sale_amount);
      out.revenueByCurrency[cur] = (out.revenueByCurrency[cur] ?? 0) + num(c.revenue);
      if (c.status) (statuses ??= []).push(c.status);
    }
    if (base + events === 0) continue;
    out.convertedClicks++;
    out.conversions[i] = base;
    out.events[i] = events;
    out.revenue[i] = revenue;
    out.saleAmount[i] = sale;
    out.currency[i] = mixed ? '' : (currency ?? '');
    if (mixed) splitByCurrency(out, i, conversions, start, next, used);
    if (first !== Infinity) {
      out.firstConversion[i] = first;
      const t = times[i];
      if (typeof t === 'number' && Number.isFinite(t) && t > 0) out.timeToConvert[i] = first - t;
    }
    if (statuses) out.status[i] = summarizeStatuses(statuses);
  }
  for (let j = 0; j < m; j++) if (used[j] === 0) out.unmatched.push(conversions[j]);
  return out;
}

/** The rare click whose conversions came in several currencies: its amounts per currency (a second, short walk). */
function splitByCurrency(out: ConversionJoin, i: number, conversions: readonly Conversion[], start: number, next: Int32Array, used: Uint8Array): void {
  const revenue: Record<string, number> = Object.create(null) as Record<string, number>;
  const sale: Record<string, number> = Object.create(null) as Record<string, number>;
  for (let j = start; j >= 0; j = next[j]) {
    if (used[j] !== 2) continue;
    const c = conversions[j];
    const cur = c.currency_id || '';
    revenue[cur] = (revenue[cur] ?? 0) + num(c.revenue);
    sale[cur] = (sale[cur] ?? 0) + num(c.sale_amount);
  }
  out.mixedRevenue.set(i, revenue);
  out.mixedSaleAmount.set(i, sale);
}
