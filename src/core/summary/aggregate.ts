import type { BucketLayout, BucketSize } from './buckets';
import { FLAG_CONVERTED, FLAG_ERROR, FLAG_UNIQUE, type SummaryModel, type WindowSpec } from './model';

// The numbers of the summary above the grid, over the rows the grid shows: the cards, the clicks over
// time, and the top values of one dimension. One pass over the shown rows' indices reads the model's
// typed arrays and adds into counters sized by buckets, values and currencies (never by rows), so a
// recompute after a search or filter allocates nothing per row. Everything is a sum, so rows can be
// added later (Fetch all) without going over the earlier ones again.
//
// In the results webview: one `SummaryModel(init.table, init.zone)` per table (the packed table it
// already has); after each view change `summarize(model, rows, options)` with the grid's own row list
// (`GridTable.view`'s result, handed over as it is: order does not matter, no copy); the window from
// `requestWindow(init.request.from, init.request.to, init.request.timezone)`. When a new table starts
// with the old one's rows, `model.extend(table)` and an accumulator's `add(newShownRows)` count only the
// new rows; `add` returning false (the buckets moved) means summarising again.
//
// When the result has conversions joined (model.hasConversions) the same pass counts converted clicks
// per card, bucket and bar (CVR = converted / clicks), and with the 'conversionRevenue' measure sums
// the conversions' revenue per value as 'revenue' does the clicks'.

export type SecondMeasure = 'revenue' | 'unique' | 'error' | 'cvr' | 'conversionRevenue';

/** The measures that need conversions joined. */
export const CONVERSION_MEASURES: readonly SecondMeasure[] = ['cvr', 'conversionRevenue'];

export interface SummaryOptions {
  /** The result's window; without it, the span of all rows' times. */
  window?: WindowSpec;
  /** The user's bucket size; chosen from the window's span when not given. */
  bucket?: BucketSize;
  /** The breakdown's dimension (see SummaryModel.dimensions); none, no breakdown. */
  dimension?: string;
  /** How many top values get a bar of their own (10). */
  topN?: number;
  /** The breakdown's second measure; revenue per value is summed only when it is 'revenue' ('conversionRevenue'). */
  measure?: SecondMeasure;
}

/** The rows to count: result row indices (any order, as the grid's view lists them), or every row. */
export type RowSet = ArrayLike<number> | 'all';

export interface MoneySum {
  currency: string;
  sum: number;
}

export interface SummaryCards {
  clicks: number;
  unique: number;
  /** unique / clicks, 0 when there are no clicks. */
  uniqueShare: number;
  withError: number;
  errorShare: number;
  /** Revenue summed per currency (rows with an amount), largest first; one entry per currency. */
  revenue: MoneySum[];
  /** Epoch seconds of the earliest and latest click counted. */
  first?: number;
  last?: number;
  /** Most clicks in one minute (UTC minutes: every zone's minutes start together). */
  peakPerMinute: number;
  /** Start (epoch seconds) of the earliest minute with that many. */
  peakMinute?: number;
  /** Present when the result has conversions joined. */
  conversions?: ConversionCards;
}

export interface ConversionCards {
  /** Clicks with at least one conversion or event. */
  converted: number;
  /** converted / clicks, 0 when there are no clicks. */
  cvr: number;
  /** Base conversions and post-conversion events on the clicks counted. */
  conversions: number;
  events: number;
  /** Conversion revenue per currency, largest first (clicks converted in several currencies left out). */
  revenue: MoneySum[];
}

export interface Histogram {
  layout: BucketLayout;
  /** Per bucket. Valid clicks are clicks − withError; duplicates are clicks − unique. */
  clicks: Int32Array;
  withError: Int32Array;
  unique: Int32Array;
  /** Converted clicks per bucket, when the result has conversions joined. */
  converted?: Int32Array;
  /** Clicks counted but outside the buckets (before the first, after the last), and without a time. */
  before: number;
  after: number;
  noTime: number;
}

export interface BarFigures {
  count: number;
  /** count / clicks counted. */
  share: number;
  unique: number;
  uniqueShare: number;
  withError: number;
  errorShare: number;
  /** With the 'revenue' measure: per currency, largest first (currencies whose sum is not 0). */
  revenue?: MoneySum[];
  /** With conversions joined: converted clicks and converted / count. */
  converted?: number;
  cvr?: number;
  /** With the 'conversionRevenue' measure: the conversions' revenue per currency, as `revenue`. */
  conversionRevenue?: MoneySum[];
}

export interface BreakdownItem extends BarFigures {
  label: string;
  /** The grid cell text a value filter on `Breakdown.column` keeps; absent for derived dimensions. */
  text?: string;
  /** The value's number in the dimension (SummaryModel.dimension(id).codes). */
  code: number;
}

export interface Breakdown {
  dimension: string;
  title: string;
  /** The grid column a bar filters, when there is one. */
  column?: string;
  /** The top values: most clicks first, ties by label, then by text (code-unit order). */
  items: BreakdownItem[];
  /** Every other value together, when there are any; `values` says how many. */
  other?: BarFigures & { label: string; values: number };
  /** Values with at least one click counted. */
  distinct: number;
}

export interface SummaryResult {
  cards: SummaryCards;
  histogram: Histogram;
  breakdown?: Breakdown;
}

export const TOP_N = 10;
export const OTHER_LABEL = 'Other';
/** Past this many minutes between the first and last click, peaks are counted in a map, not an array. */
const MAX_MINUTE_ARRAY = 4_000_000;

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
const cents = (n: number) => Math.round(n * 100) / 100;

function moneyList(sums: Float64Array, rowsWith: Int32Array | undefined, offset: number, currencies: readonly string[]): MoneySum[] {
  const out: MoneySum[] = [];
  for (let k = 0; k < currencies.length; k++) {
    const s = sums[offset + k];
    if (rowsWith ? rowsWith[k] > 0 : s !== 0) out.push({ currency: currencies[k], sum: cents(s) });
  }
  return out.sort((a, b) => b.sum - a.sum || (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}

/**
 * Counters for one set of options over one model. `add` the shown rows (and later any rows Fetch all
 * appends), then read `result()`. A new search or filter starts a new accumulator (`summarize`).
 */
export class SummaryAccumulator {
  private clicks = 0;
  private unique = 0;
  private errors = 0;
  private first = NaN;
  private last = NaN;
  private revenue: Float64Array;
  private revenueRows: Int32Array;
  private readonly layout: BucketLayout;
  private rowBucket: Int32Array;
  private readonly hClicks: Int32Array;
  private readonly hErrors: Int32Array;
  private readonly hUnique: Int32Array;
  private readonly hConverted: Int32Array | undefined;
  private converted = 0;
  private conversions = 0;
  private events = 0;
  private convRevenue: Float64Array;
  private convRevenueRows: Int32Array;
  private before = 0;
  private after = 0;
  private noTime = 0;
  private minuteBase: number;
  private minutes: Int32Array | undefined;
  private minuteMap: Map<number, number> | undefined;
  private readonly dimension: string | undefined;
  private dCount = new Int32Array(0);
  private dUnique = new Int32Array(0);
  private dErrors = new Int32Array(0);
  private dConverted = new Int32Array(0);
  private dRevenue: Float64Array | undefined;
  private dConvRevenue: Float64Array | undefined;
  private nCur: number;

  constructor(
    private readonly model: SummaryModel,
    private readonly options: SummaryOptions = {},
  ) {
    const { layout, rowBucket } = model.histogramLayout(options.window, options.bucket);
    this.layout = layout;
    this.rowBucket = rowBucket;
    const n = layout.buckets.length;
    this.hClicks = new Int32Array(n);
    this.hErrors = new Int32Array(n);
    this.hUnique = new Int32Array(n);
    if (model.hasConversions) this.hConverted = new Int32Array(n);
    this.nCur = model.currencies.length;
    this.revenue = new Float64Array(this.nCur);
    this.revenueRows = new Int32Array(this.nCur);
    this.convRevenue = new Float64Array(this.nCur);
    this.convRevenueRows = new Int32Array(this.nCur);
    this.minuteBase = model.minTime === model.minTime ? Math.floor(model.minTime / 60) : 0;
    const span = model.maxTime === model.maxTime ? Math.floor(model.maxTime / 60) - this.minuteBase + 1 : 1;
    if (span <= MAX_MINUTE_ARRAY) this.minutes = new Int32Array(span);
    else this.minuteMap = new Map();
    if (options.dimension !== undefined && model.dimension(options.dimension)) this.dimension = options.dimension;
    this.sizeDimension();
  }

  private sizeDimension(): void {
    if (this.dimension === undefined) return;
    const labels = this.model.dimension(this.dimension)!.labels.length;
    if (this.dCount.length < labels) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(labels);
        b.set(a);
        return b;
      };
      this.dCount = grow(this.dCount);
      this.dUnique = grow(this.dUnique);
      this.dErrors = grow(this.dErrors);
      if (this.model.hasConversions) this.dConverted = grow(this.dConverted);
    }
    const measure = this.options.measure;
    if ((measure === 'revenue' || measure === 'conversionRevenue') && (!this.dMoney() || this.revLabels !== labels || this.revStride !== this.nCur)) {
      // Laid out per value, then per currency; new values or currencies (after extend) re-lay it out.
      const next = new Float64Array(labels * this.nCur);
      const old = this.dMoney();
      if (old) for (let l = 0; l < this.revLabels; l++) for (let k = 0; k < this.revStride; k++) next[l * this.nCur + k] = old[l * this.revStride + k];
      if (measure === 'revenue') this.dRevenue = next;
      else this.dConvRevenue = next;
      this.revLabels = labels;
      this.revStride = this.nCur;
    }
  }

  /** The per-value money sums of the measure asked for (one of the two at most). */
  private dMoney(): Float64Array | undefined {
    return this.dRevenue ?? this.dConvRevenue;
  }

  private revLabels = 0;
  private revStride = 0;

  /**
   * Counts these rows (each once: the caller does not repeat a row). False, counting nothing, when the
   * model's layout changed under it (rows appended past a window taken from the rows' own times): then
   * start a new accumulator.
   */
  add(rows: RowSet): boolean {
    const m = this.model;
    if (m.histogramLayout(this.options.window, this.options.bucket).layout !== this.layout) return false;
    this.rowBucket = m.histogramLayout(this.options.window, this.options.bucket).rowBucket;
    if (m.currencies.length !== this.nCur) {
      const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(m.currencies.length);
        b.set(a);
        return b;
      };
      this.revenue = grow(this.revenue, (n) => new Float64Array(n));
      this.revenueRows = grow(this.revenueRows, (n) => new Int32Array(n));
      this.convRevenue = grow(this.convRevenue, (n) => new Float64Array(n));
      this.convRevenueRows = grow(this.convRevenueRows, (n) => new Int32Array(n));
      this.nCur = m.currencies.length;
    }
    this.sizeDimension();
    if (this.minutes && m.maxTime === m.maxTime) {
      const lo = Math.floor(m.minTime / 60);
      const hi = Math.floor(m.maxTime / 60);
      if (lo < this.minuteBase || hi - this.minuteBase >= this.minutes.length) {
        const base = Math.min(lo, this.minuteBase);
        const span = Math.max(hi, this.minuteBase + this.minutes.length - 1) - base + 1;
        if (span <= MAX_MINUTE_ARRAY) {
          const next = new Int32Array(span);
          next.set(this.minutes, this.minuteBase - base);
          this.minutes = next;
        } else {
          this.minuteMap = new Map();
          this.minutes.forEach((c, i) => c && this.minuteMap!.set(this.minuteBase + i, c));
          this.minutes = undefined;
        }
        this.minuteBase = base;
      }
    }
    const list = rows === 'all' ? null : rows;
    const n = list ? list.length : m.rowCount;
    const time = m.time;
    const flags = m.flags;
    const revenue = m.revenue;
    const currency = m.currency;
    const rowBucket = this.rowBucket;
    const nb = this.hClicks.length;
    const hClicks = this.hClicks;
    const hErrors = this.hErrors;
    const hUnique = this.hUnique;
    const sums = this.revenue;
    const sumRows = this.revenueRows;
    const minutes = this.minutes;
    const minuteMap = this.minuteMap;
    const base = this.minuteBase;
    const codes = this.dimension !== undefined ? m.dimension(this.dimension)!.codes : undefined;
    const dCount = this.dCount;
    const dUnique = this.dUnique;
    const dErrors = this.dErrors;
    const dRevenue = this.dRevenue;
    const nCur = this.nCur;
    // Conversions: only when joined (the model's arrays are empty otherwise).
    const withConv = m.hasConversions;
    const hConverted = this.hConverted;
    const dConverted = this.dConverted;
    const dConvRevenue = this.dConvRevenue;
    const convCount = m.conversions;
    const convEvents = m.events;
    const convRev = m.conversionRevenue;
    const convCur = m.conversionCurrency;
    const convSums = this.convRevenue;
    const convSumRows = this.convRevenueRows;
    let converted = 0;
    let conversions = 0;
    let events = 0;
    let unique = 0;
    let errors = 0;
    let first = this.first;
    let last = this.last;
    let before = 0;
    let after = 0;
    let noTime = 0;
    for (let i = 0; i < n; i++) {
      const r = list ? list[i] : i;
      const f = flags[r];
      const u = f & FLAG_UNIQUE;
      const e = (f & FLAG_ERROR) >> 1;
      unique += u;
      errors += e;
      const b = rowBucket[r];
      if (b >= 0 && b < nb) {
        hClicks[b]++;
        hUnique[b] += u;
        hErrors[b] += e;
      } else if (b === -2) noTime++;
      else if (b === -1) before++;
      else after++;
      const t = time[r];
      if (t === t) {
        if (!(t >= first)) first = t;
        if (!(t <= last)) last = t;
        const mi = Math.floor(t / 60) - base;
        if (minutes) minutes[mi]++;
        else minuteMap!.set(mi + base, (minuteMap!.get(mi + base) ?? 0) + 1);
      }
      const v = revenue[r];
      const k = currency[r];
      if (v === v) {
        sums[k] += v;
        sumRows[k]++;
      }
      const c = codes ? codes[r] : -1;
      if (codes) {
        dCount[c]++;
        dUnique[c] += u;
        dErrors[c] += e;
        if (dRevenue && v === v) dRevenue[c * nCur + k] += v;
      }
      if (withConv) {
        const cv = (f & FLAG_CONVERTED) >> 2;
        converted += cv;
        conversions += convCount[r];
        events += convEvents[r];
        if (hConverted && b >= 0 && b < nb) hConverted[b] += cv;
        const cr = convRev[r];
        const ck = convCur[r];
        if (cv && cr === cr) {
          convSums[ck] += cr;
          convSumRows[ck]++;
        }
        if (codes) {
          dConverted[c] += cv;
          if (dConvRevenue && cv && cr === cr) dConvRevenue[c * nCur + ck] += cr;
        }
      }
    }
    this.converted += converted;
    this.conversions += conversions;
    this.events += events;
    this.clicks += n;
    this.unique += unique;
    this.errors += errors;
    this.first = first;
    this.last = last;
    this.before += before;
    this.after += after;
    this.noTime += noTime;
    return true;
  }

  result(): SummaryResult {
    const m = this.model;
    const cards: SummaryCards = {
      clicks: this.clicks,
      unique: this.unique,
      uniqueShare: share(this.unique, this.clicks),
      withError: this.errors,
      errorShare: share(this.errors, this.clicks),
      revenue: moneyList(this.revenue, this.revenueRows, 0, m.currencies),
      peakPerMinute: 0,
    };
    if (m.hasConversions) {
      cards.conversions = {
        converted: this.converted,
        cvr: share(this.converted, this.clicks),
        conversions: this.conversions,
        events: this.events,
        revenue: moneyList(this.convRevenue, this.convRevenueRows, 0, m.currencies),
      };
    }
    if (this.first === this.first) {
      cards.first = this.first;
      cards.last = this.last;
    }
    let peak = 0;
    let at = NaN;
    if (this.minutes) {
      const a = this.minutes;
      for (let i = 0; i < a.length; i++) {
        if (a[i] > peak) {
          peak = a[i];
          at = i;
        }
      }
      if (peak > 0) at = (at + this.minuteBase) * 60;
    } else {
      for (const [minute, c] of this.minuteMap!) {
        if (c > peak || (c === peak && minute * 60 < at)) {
          peak = c;
          at = minute * 60;
        }
      }
    }
    cards.peakPerMinute = peak;
    if (peak > 0) cards.peakMinute = at;
    const histogram: Histogram = {
      layout: this.layout,
      clicks: this.hClicks.slice(),
      withError: this.hErrors.slice(),
      unique: this.hUnique.slice(),
      ...(this.hConverted ? { converted: this.hConverted.slice() } : {}),
      before: this.before,
      after: this.after,
      noTime: this.noTime,
    };
    const out: SummaryResult = { cards, histogram };
    if (this.dimension !== undefined) out.breakdown = this.breakdown();
    return out;
  }

  private figures(count: number, unique: number, errors: number, converted: number): BarFigures {
    const f: BarFigures = { count, share: share(count, this.clicks), unique, uniqueShare: share(unique, count), withError: errors, errorShare: share(errors, count) };
    if (this.model.hasConversions) {
      f.converted = converted;
      f.cvr = share(converted, count);
    }
    return f;
  }

  private breakdown(): Breakdown {
    const dim = this.model.dimension(this.dimension!)!;
    const n = Math.max(0, Math.floor(this.options.topN ?? TOP_N));
    const labels = dim.labels;
    const count = this.dCount;
    // The top n by count, ties by label: a small sorted list, most first.
    const top: number[] = [];
    // Labels can repeat (blank texts of different lengths are told apart; of the same length, not): then the texts decide.
    const texts = dim.texts;
    const before = (a: number, b: number) =>
      count[a] > count[b] || (count[a] === count[b] && (labels[a] < labels[b] || (labels[a] === labels[b] && texts !== undefined && texts[a] < texts[b])));
    let distinct = 0;
    for (let c = 0; c < labels.length; c++) {
      if (count[c] === 0) continue;
      distinct++;
      if (n === 0) continue;
      if (top.length === n && !before(c, top[n - 1])) continue;
      let at = top.length === n ? n - 1 : top.length;
      top[at] = c;
      while (at > 0 && before(c, top[at - 1])) {
        top[at] = top[at - 1];
        top[at - 1] = c;
        at--;
      }
    }
    const money = this.dMoney();
    const moneyKey = this.dRevenue ? 'revenue' : 'conversionRevenue';
    const nCur = this.nCur;
    const cur = this.model.currencies;
    const conv = (c: number) => (this.model.hasConversions ? this.dConverted[c] : 0);
    const items: BreakdownItem[] = top.map((c) => {
      const item: BreakdownItem = { label: labels[c], code: c, ...this.figures(count[c], this.dUnique[c], this.dErrors[c], conv(c)) };
      if (dim.texts) item.text = dim.texts[c];
      if (money) item[moneyKey] = moneyList(money, undefined, c * nCur, cur);
      return item;
    });
    const out: Breakdown = { dimension: dim.id, title: dim.title, items, distinct };
    if (dim.column) out.column = dim.column;
    const rest = distinct - items.length;
    if (rest > 0) {
      let c = this.clicks;
      let u = this.unique;
      let e = this.errors;
      let v = this.converted;
      for (const it of items) {
        c -= it.count;
        u -= it.unique;
        e -= it.withError;
        v -= it.converted ?? 0;
      }
      const other: Breakdown['other'] = { label: OTHER_LABEL, values: rest, ...this.figures(c, u, e, v) };
      if (money) {
        const sums = new Float64Array(nCur);
        const inTop = new Set(top);
        for (let l = 0; l < labels.length; l++) if (!inTop.has(l)) for (let k = 0; k < nCur; k++) sums[k] += money[l * nCur + k];
        other[moneyKey] = moneyList(sums, undefined, 0, cur);
      }
      out.other = other;
    }
    return out;
  }
}

/** The summary of `rows` (the grid's shown rows, or 'all'). */
export function summarize(model: SummaryModel, rows: RowSet, options: SummaryOptions = {}): SummaryResult {
  const acc = new SummaryAccumulator(model, options);
  acc.add(rows);
  return acc.result();
}
