import { columnById, type CellValue, type ColumnKind } from '../columns';
import { formatBoolean, formatMoney, formatTimestamp } from '../format';
import type { PackedColumn, PackedTable } from '../tablePack';
import { bucketIndex, layoutBuckets, type BucketLayout, type BucketSize } from './buckets';
import { refererHost } from './refererHost';
import { instantOfWall, isValidZone, parseEverflowDate, wallSeconds } from '../wallClock';

// What the summary above the grid reads, prepared once per table from the grid's packed columns (the
// `init.table` the host posts): typed arrays, one entry per result row, so that recomputing the summary
// for the rows the grid shows is a single loop over their indices with no row objects, no strings and no
// per-row allocation. Breakdown dimensions are prepared on first use: each value of the column gets a
// small integer (its label's number), each row the number of its value.
//
// When "Fetch all" brings a table whose first rows are the ones prepared (`extend`), only the new rows
// are prepared.

/** The id of the derived dimension "Referer host" (not a grid column). */
export const REFERER_HOST = 'referer:host';

/** The dimensions offered first, in this order; any other column of the table follows. */
export const PREFERRED_DIMENSIONS: readonly string[] = [
  'offer.name',
  'geo.country_name',
  'geo.region_name',
  'geo.city_name',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source_id',
  'error',
  'device.platform_name',
  'device.device_type',
  'device.browser_name',
  REFERER_HOST,
  'coupon_code',
];

/** A label for a value that is empty. */
export const EMPTY_LABEL = '(empty)';
/** The error dimension's label for clicks without an error. */
export const NO_ERROR_LABEL = '(no error)';

/**
 * A bar's label for a value's grid text: the text itself, or words for one that shows nothing — "(empty)"
 * ("(no error)" for the error column), "(3 blank characters)" for spaces and the like, which stays a value
 * of its own (a filter on it keeps only those rows).
 */
export function valueLabel(id: string, text: string): string {
  if (text.trim() !== '') return text;
  if (text === '') return id === 'error' ? NO_ERROR_LABEL : EMPTY_LABEL;
  return `(${text.length} blank character${text.length === 1 ? '' : 's'})`;
}

export interface DimensionInfo {
  id: string;
  title: string;
}

/** A column's values numbered: `codes[r]` is row r's label number. */
export interface Dimension {
  id: string;
  title: string;
  /** What each value shows as a bar label (never empty; two values may share one, see `valueLabel`). */
  labels: string[];
  /**
   * The grid cell text of each value (what a value filter on `column` compares), or undefined where
   * the dimension is derived (referer host) and has no grid column to filter.
   */
  texts: string[] | undefined;
  /** The grid column a bar filters, when there is one. */
  column?: string;
  codes: Int32Array;
}

const FLAG_UNIQUE = 1;
const FLAG_ERROR = 2;
/** The click has at least one conversion or event (the grid's hidden Converted column is Yes). */
const FLAG_CONVERTED = 4;
export { FLAG_CONVERTED, FLAG_ERROR, FLAG_UNIQUE };

/** The grid column that says a result has conversions joined (columns.ts, conversions/join.ts). */
export const CONVERTED_COLUMN = 'conversion.converted';

function cell(col: PackedColumn, r: number): CellValue {
  if ('values' in col) return col.values[r];
  // A few cells of a big dictionary (the transaction ids `extend` samples) without building it.
  return col.entry ? col.entry(col.codes[r]) : col.dict[col.codes[r]];
}

function normCurrency(v: CellValue | undefined): string {
  return v === undefined ? '' : String(v).trim().toUpperCase();
}

function errorCode(v: CellValue): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : 0;
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) return Number(v);
  return 0;
}

/** `out[r]` = `conv(value of row r)` for rows [from, to); `none` everywhere when there is no such column. */
function fill(col: PackedColumn | undefined, from: number, to: number, out: Float64Array | Int32Array | Uint8Array, conv: (v: CellValue) => number, none: number): void {
  if (!col) out.fill(none, from, to);
  else if ('dict' in col) {
    const of = col.dict.map(conv);
    const codes = col.codes;
    for (let r = from; r < to; r++) out[r] = of[codes[r]];
  } else {
    const values = col.values;
    for (let r = from; r < to; r++) out[r] = conv(values[r]);
  }
}

/**
 * A typed array of at least n entries holding a's. Grown to exactly n: Fetch all appends once, and
 * spare capacity on a million rows would be tens of MB more for the collector to reckon with.
 */
function grow<T extends Float64Array | Int32Array | Uint8Array>(a: T, n: number, make: (n: number) => T): T {
  if (a.length >= n) return a;
  const b = make(n);
  b.set(a);
  return b;
}

interface DimensionBuilder {
  dim: Dimension;
  byKey: Map<CellValue, number>;
  /** Money values: by amount, then by currency number. */
  byMoney: Map<CellValue, number[]>;
  /** Value numbers by grid text: raw values that show the same (1 and "1") are one value. */
  byText: Map<string, number>;
}

export interface WindowSpec {
  /** Epoch seconds, inclusive. */
  start: number;
  /** Epoch seconds, exclusive. */
  end: number;
}

export class SummaryModel {
  rowCount = 0;
  /** Epoch seconds per row; NaN where the row has no usable time. */
  time = new Float64Array(0);
  /** FLAG_UNIQUE | FLAG_ERROR | FLAG_CONVERTED per row. */
  flags = new Uint8Array(0);
  /** Revenue per row; NaN where there is none. */
  revenue = new Float64Array(0);
  /** Index into `currencies` per row. */
  currency = new Int32Array(0);
  /**
   * True when the table has the conversions' columns (conversions were added to the result): then the
   * arrays below are filled and the summary counts converted clicks, conversions and their revenue.
   */
  hasConversions = false;
  /** Base conversions and post-conversion events per row (0 without conversions). */
  conversions = new Int32Array(0);
  events = new Int32Array(0);
  /**
   * Conversion revenue per row in `conversionCurrency`; NaN where there is none or where the click's
   * conversions came in several currencies (the grid then shows "$4.00 + €3.00", which is not one sum).
   */
  conversionRevenue = new Float64Array(0);
  conversionCurrency = new Int32Array(0);
  /** Currency codes met, trimmed and upper-cased ('' for none); clicks' and conversions' alike. */
  readonly currencies: string[] = [];
  /** Earliest and latest finite time over all rows (NaN when none). */
  minTime = NaN;
  maxTime = NaN;
  private readonly currencyIndex = new Map<string, number>();
  private readonly dims = new Map<string, DimensionBuilder>();
  private layoutCache: { key: string; layout: BucketLayout; rowBucket: Int32Array; upTo: number } | undefined;
  private table: PackedTable;

  constructor(
    table: PackedTable,
    /** IANA zone the grid shows times in: bucket boundaries and time labels follow it. */
    readonly zone: string,
  ) {
    this.table = table;
    this.hasConversions = table.columns.includes(CONVERTED_COLUMN);
    this.prepare(0, table.rows);
  }

  private colOf(id: string): PackedColumn | undefined {
    const c = this.table.columns.indexOf(id);
    return c >= 0 ? this.table.data[c] : undefined;
  }

  /**
   * Takes a table whose first `rowCount` rows are the rows already prepared (Fetch all, grown) and
   * prepares only the rest. False, with nothing changed, when the table does not start with those rows
   * (checked by transaction id and time on a sample of rows): then make a new model.
   */
  extend(table: PackedTable): boolean {
    const old = this.table;
    if (table.rows < this.rowCount || table.columns.join('\u0000') !== old.columns.join('\u0000')) return false;
    for (const id of ['transaction_id', 'time']) {
      const a = this.colOf(id);
      const c = table.columns.indexOf(id);
      if (!a || c < 0) continue;
      const b = table.data[c];
      // Up to 4,096 rows spread over the old ones and the last: enough to tell another result, without
      // reading a million ids on every append.
      const step = Math.max(1, Math.floor(this.rowCount / 4096));
      for (let r = 0; r < this.rowCount; r += step) if (cell(a, r) !== cell(b, r)) return false;
      if (this.rowCount > 0 && cell(a, this.rowCount - 1) !== cell(b, this.rowCount - 1)) return false;
    }
    const from = this.rowCount;
    this.table = table;
    this.prepare(from, table.rows);
    for (const b of this.dims.values()) this.fillDimension(b, from);
    return true;
  }

  private prepare(from: number, to: number): void {
    this.time = grow(this.time, to, (n) => new Float64Array(n));
    this.flags = grow(this.flags, to, (n) => new Uint8Array(n));
    this.revenue = grow(this.revenue, to, (n) => new Float64Array(n));
    this.currency = grow(this.currency, to, (n) => new Int32Array(n));
    const time = this.colOf('time') ?? this.colOf('unix_timestamp');
    const unique = this.colOf('is_unique');
    const code = this.colOf('error_code');
    const errorText = this.colOf('error');
    const revenue = this.colOf('revenue');
    const currency = this.colOf('currency_id');
    // Column by column; a dictionary column's values are converted once each, then read by code.
    const num = (v: CellValue) => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);
    fill(time, from, to, this.time, num, NaN);
    fill(revenue, from, to, this.revenue, num, NaN);
    fill(currency, from, to, this.currency, (v) => this.currencyId(normCurrency(v)), currency ? 0 : this.currencyId(''));
    const flags = this.flags;
    fill(unique, from, to, flags, (v) => (v === true ? FLAG_UNIQUE : 0), 0);
    if (this.hasConversions) this.prepareConversions(from, to, num);
    if (code || errorText) {
      const isError = code ? (v: CellValue) => (errorCode(v) !== 0 ? FLAG_ERROR : 0) : (v: CellValue) => (v !== '' ? FLAG_ERROR : 0);
      const col = (code ?? errorText)!;
      if ('dict' in col) {
        const of = Uint8Array.from(col.dict, isError);
        for (let r = from; r < to; r++) flags[r] |= of[col.codes[r]];
      } else {
        const values = col.values;
        for (let r = from; r < to; r++) flags[r] |= isError(values[r]);
      }
    }
    let min = this.minTime;
    let max = this.maxTime;
    const t = this.time;
    for (let r = from; r < to; r++) {
      const tt = t[r];
      if (tt < min || !(min === min)) min = tt;
      if (tt > max || !(max === max)) max = tt;
    }
    this.minTime = min;
    this.maxTime = max;
    this.rowCount = to;
  }

  private prepareConversions(from: number, to: number, num: (v: CellValue) => number): void {
    this.conversions = grow(this.conversions, to, (n) => new Int32Array(n));
    this.events = grow(this.events, to, (n) => new Int32Array(n));
    this.conversionRevenue = grow(this.conversionRevenue, to, (n) => new Float64Array(n));
    this.conversionCurrency = grow(this.conversionCurrency, to, (n) => new Int32Array(n));
    const count = (v: CellValue) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    fill(this.colOf('conversion.count'), from, to, this.conversions, count, 0);
    fill(this.colOf('conversion.events'), from, to, this.events, count, 0);
    fill(this.colOf('conversion.revenue'), from, to, this.conversionRevenue, num, NaN);
    const currency = this.colOf('conversion.currency');
    fill(currency, from, to, this.conversionCurrency, (v) => this.currencyId(normCurrency(v)), currency ? 0 : this.currencyId(''));
    const converted = this.colOf(CONVERTED_COLUMN);
    const flags = this.flags;
    if (converted && 'dict' in converted) {
      const of = Uint8Array.from(converted.dict, (v) => (v === true ? FLAG_CONVERTED : 0));
      for (let r = from; r < to; r++) flags[r] |= of[converted.codes[r]];
    } else if (converted) {
      const values = converted.values;
      for (let r = from; r < to; r++) flags[r] |= values[r] === true ? FLAG_CONVERTED : 0;
    }
  }

  private currencyId(code: string): number {
    let id = this.currencyIndex.get(code);
    if (id === undefined) {
      id = this.currencies.length;
      this.currencies.push(code);
      this.currencyIndex.set(code, id);
    }
    return id;
  }

  /** The dimensions this table offers: the preferred ones it has, then its other columns. */
  dimensions(): DimensionInfo[] {
    const out: DimensionInfo[] = [];
    const has = new Set(this.table.columns);
    for (const id of PREFERRED_DIMENSIONS) {
      if (id === REFERER_HOST ? has.has('referer') : has.has(id)) out.push({ id, title: titleOf(id) });
    }
    for (const id of this.table.columns) if (!PREFERRED_DIMENSIONS.includes(id)) out.push({ id, title: titleOf(id) });
    return out;
  }

  /** The dimension `id` numbered (prepared on first use, kept); undefined for a column the table lacks. */
  dimension(id: string): Dimension | undefined {
    let b = this.dims.get(id);
    if (!b) {
      const source = id === REFERER_HOST ? 'referer' : id;
      if (this.table.columns.indexOf(source) < 0) return undefined;
      b = {
        dim: { id, title: titleOf(id), labels: [], texts: id === REFERER_HOST ? undefined : [], codes: new Int32Array(0) },
        byKey: new Map(),
        byMoney: new Map(),
        byText: new Map(),
      };
      if (id !== REFERER_HOST) b.dim.column = id;
      this.fillDimension(b, 0);
      this.dims.set(id, b);
    }
    return b.dim;
  }

  private fillDimension(b: DimensionBuilder, from: number): void {
    const id = b.dim.id;
    const col = this.colOf(id === REFERER_HOST ? 'referer' : id)!;
    const kind: ColumnKind = id === REFERER_HOST ? 'text' : (columnById(id)?.kind ?? 'text');
    const to = this.rowCount;
    const dim = b.dim;
    dim.codes = grow(dim.codes, to, (n) => new Int32Array(n));
    const codes = dim.codes;
    // A value's number: by the raw value (no string made per row), merged by text where two raw values
    // show the same (1 and "1"). Money shows with its row's currency, so it is keyed by both.
    const numberOf = (v: CellValue, cur: number): number => {
      const money = kind === 'money' && typeof v === 'number';
      let n = money ? b.byMoney.get(v)?.[cur] : b.byKey.get(v);
      if (n !== undefined) return n;
      const text = this.cellText(id, kind, v, cur);
      n = b.byText.get(text);
      if (n === undefined) {
        n = dim.labels.length;
        dim.labels.push(valueLabel(id, text));
        dim.texts?.push(text);
        b.byText.set(text, n);
      }
      if (money) {
        let list = b.byMoney.get(v);
        if (!list) b.byMoney.set(v, (list = []));
        list[cur] = n;
      } else b.byKey.set(v, n);
      return n;
    };
    if ('dict' in col && kind !== 'money') {
      const ofCode = new Int32Array(col.dict.length);
      for (let k = 0; k < col.dict.length; k++) ofCode[k] = numberOf(col.dict[k], 0);
      for (let r = from; r < to; r++) codes[r] = ofCode[col.codes[r]];
    } else {
      for (let r = from; r < to; r++) codes[r] = numberOf(cell(col, r), kind === 'money' ? this.currency[r] : 0);
    }
  }

  /** The grid cell text of a value (gridTable.ts shows the same). */
  private cellText(id: string, kind: ColumnKind, v: CellValue, cur: number): string {
    if (id === REFERER_HOST) return refererHost(v);
    if (typeof v === 'string') return v;
    switch (kind) {
      case 'timestamp':
        return typeof v === 'number' ? formatTimestamp(v, this.zone) : String(v);
      case 'money':
        return typeof v === 'number' ? formatMoney(v, this.currencies[cur] ?? '') : String(v);
      default:
        return typeof v === 'boolean' ? formatBoolean(v) : String(v);
    }
  }

  /**
   * The buckets over `window` (or, without one, over the times of all rows) and each row's bucket
   * (-2 no time, -1 before the first, buckets.length after the last). Kept for the last window, zone
   * and size asked for; new rows from `extend` are placed on the next call.
   */
  histogramLayout(window?: WindowSpec, size?: BucketSize): { layout: BucketLayout; rowBucket: Int32Array } {
    // No window and no row with a time: no buckets (every row counts as without a time).
    const none = !window && !(this.minTime === this.minTime);
    const start = window ? window.start : this.minTime;
    const end = window ? window.end : this.maxTime + 1;
    const key = none ? `none/${size ?? 'auto'}` : `${start}/${end}/${size ?? 'auto'}`;
    let cache = this.layoutCache;
    if (!cache || cache.key !== key) {
      const layout: BucketLayout = none
        ? { size: size ?? 'minute', zone: this.zone, auto: size === undefined, start: NaN, end: NaN, buckets: [], bounds: Float64Array.of(NaN) }
        : layoutBuckets(start, end, this.zone, size);
      cache = { key, layout, rowBucket: new Int32Array(0), upTo: 0 };
      this.layoutCache = cache;
    }
    if (cache.upTo < this.rowCount) {
      cache.rowBucket = grow(cache.rowBucket, this.rowCount, (n) => new Int32Array(n));
      for (let r = cache.upTo; r < this.rowCount; r++) cache.rowBucket[r] = bucketIndex(cache.layout, this.time[r]);
      cache.upTo = this.rowCount;
    }
    return cache;
  }
}

function titleOf(id: string): string {
  if (id === REFERER_HOST) return 'Referer host';
  return columnById(id)?.header ?? id;
}

/**
 * The window a request asked for, as instants: Everflow's `from`/`to` (`YYYY-MM-DD HH:MM:SS` on the
 * clocks of the request's zone, `to` inclusive). Undefined when either is missing or unreadable, or the
 * zone is unknown: the histogram then spans the rows' own times.
 */
export function requestWindow(from: string | undefined, to: string | undefined, zone: string | undefined): WindowSpec | undefined {
  if (!from || !to || !zone || !isValidZone(zone)) return undefined;
  const a = parseEverflowDate(from.trim());
  const b = parseEverflowDate(to.trim());
  if (!a || !b) return undefined;
  const start = instantOfWall(wallSeconds(a), zone);
  const end = instantOfWall(wallSeconds(b), zone) + 1;
  return end > start ? { start, end } : undefined;
}
