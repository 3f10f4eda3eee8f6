import { columnById, type CellValue, type ColumnKind } from './columns';
import type { FlatTable } from './flatten';
import { formatDuration } from './conversions/duration';
import { formatBoolean, formatMoney, formatTimestamp, formatUtc } from './format';
import { SearchIndex, type IndexSource } from './searchIndex';
import { numericSort, rankedSort } from './rankedSort';
import { packColumn, type PackedColumn, type PackedTable } from './tablePack';

// The results grid's model: a flat table (column-major, raw values) plus the zone its timestamps are
// shown in, and the filtering and sorting of row indices over it. No DOM here, so it is unit-tested
// in node and runs unchanged in the webview.
//
// Rows are always named by their index in the result (the host's row order), whatever the current
// sort and filters: copies, exports and the row detail send those indices back to the host, which
// holds the full clicks.
//
// Text is what a person sees (Yes/No, $1.50, local time) and is what searching and "filter by this
// value" compare, so a filter matches exactly what the cell shows. It is computed per cell on first
// use and kept. Searching and the per-column "contains" filters read a lower-cased index of that
// text (searchIndex.ts), built once per table: in steps while the page is idle (`prepareSearch`), or
// at once by the first search that needs a column not indexed yet.

export interface ValueFilter {
  column: string;
  /** The cell text to keep (or, with `exclude`, to drop). */
  text: string;
  exclude: boolean;
}

export interface SortSpec {
  column: string;
  asc: boolean;
}

export interface ViewSpec {
  /** Case-insensitive text any cell of a row must contain. */
  search?: string;
  /** Column id → case-insensitive text that column's cell must contain. */
  contains?: Record<string, string>;
  values?: ValueFilter[];
  /** Clicks whose `time` (epoch seconds) is in [start, end): a range brushed on the summary's histogram. */
  time?: TimeRange;
  sort?: SortSpec;
}

export interface TimeRange {
  start: number;
  end: number;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export class GridTable {
  readonly rowCount: number;
  readonly columns: readonly string[];
  private readonly kinds: ColumnKind[];
  private readonly index = new Map<string, number>();
  private readonly texts: (string | undefined)[][];
  /** Per column: the column holding its amounts' currency (-1 for none). */
  private readonly currency: number[];
  private readonly search: SearchIndex;
  /**
   * Per column: its values per row, or (a column that came numbered) undefined and `dicts`/`codes`; null
   * for a column of values not read yet (valuesOf reads it: a decoded number column is made when read).
   */
  private readonly values: (readonly CellValue[] | undefined | null)[];
  /** A numbered column's dictionary; undefined until first needed where it came with `entries` (a big one). */
  private readonly dicts: (readonly CellValue[] | undefined)[];
  private readonly entries: (((k: number) => CellValue) | undefined)[];
  private readonly codes: (ArrayLike<number> | undefined)[];
  private readonly cols: readonly PackedColumn[];

  constructor(
    /**
     * Column-major values, or the columns as they came from the host (binaryTable.ts decoded): a
     * numbered column is read through its codes, so a million rows never become a million-slot array
     * per column.
     */
    table: FlatTable | PackedTable,
    /** IANA zone of the timestamp columns. */
    readonly zone: string,
    /**
     * The same columns as the host packed them (tablePack.ts), when at hand: their dictionaries and
     * codes number each column's distinct values, which the search index then reuses.
     */
    packed?: readonly PackedColumn[],
  ) {
    this.columns = table.columns;
    const cols: readonly PackedColumn[] = 'rows' in table ? table.data : table.data.map((values) => ({ values }));
    if ('rows' in table) packed = table.data;
    this.cols = cols;
    this.values = cols.map((col) => ('values' in col ? null : undefined));
    // Dictionaries are read when a column is first read (dictOf), not here: a decoded table builds
    // one when it is first read, and the first paint reads only the columns and rows on screen (a big
    // one, which comes with `entry`, only a value at a time until a search or sort needs all of it).
    this.dicts = cols.map(() => undefined);
    this.entries = cols.map((col) => ('codes' in col ? col.entry : undefined));
    this.codes = cols.map((col) => ('codes' in col ? col.codes : undefined));
    this.rowCount = 'rows' in table ? table.rows : (table.data[0]?.length ?? 0);
    this.kinds = table.columns.map((id) => columnById(id)?.kind ?? 'text');
    table.columns.forEach((id, c) => this.index.set(id, c));
    this.texts = table.columns.map(() => []);
    this.currency = table.columns.map((id) => this.index.get(columnById(id)?.currencyColumn ?? 'currency_id') ?? -1);
    this.search = new SearchIndex(this.indexSource(packed));
  }

  private indexSource(packed: readonly PackedColumn[] | undefined): IndexSource {
    const usable = (col: PackedColumn | undefined): col is PackedColumn =>
      col !== undefined && ('values' in col ? col.values.length === this.rowCount : col.codes.length === this.rowCount);
    return {
      rowCount: this.rowCount,
      columnCount: this.columns.length,
      text: (c, r) => this.text(c, r),
      valueText: (c, v) => this.valueText(c, v),
      rowKey: (c, r) => this.currencyOf(c, r),
      packed: (c) => (packed?.length === this.columns.length && usable(packed[c]) ? packed[c] : packColumn(this.valuesOf(c) ?? this.columnValues(c))),
    };
  }

  /**
   * Builds the search index while `more()` says there is time (the webview calls this when idle);
   * true once it is complete. Searching never needs this: it indexes what it lacks itself.
   */
  prepareSearch(more?: () => boolean): boolean {
    return this.search.build(more);
  }

  /** Column index of `id`, or -1. */
  col(id: string): number {
    return this.index.get(id) ?? -1;
  }

  kind(c: number): ColumnKind {
    return this.kinds[c];
  }

  raw(c: number, r: number): CellValue {
    const values = this.values[c];
    if (values) return values[r];
    if (values === null) return this.valuesOf(c)![r];
    const k = this.codes[c]![r];
    const dict = this.dicts[c];
    if (dict) return dict[k];
    const entry = this.entries[c];
    return entry ? entry(k) : this.dictOf(c)![k];
  }

  /** Column c's values per row, or undefined for a numbered column (read through `dicts`/`codes`). */
  private valuesOf(c: number): readonly CellValue[] | undefined {
    const values = this.values[c];
    if (values !== null) return values;
    const col = this.cols[c];
    return (this.values[c] = 'values' in col ? col.values : undefined);
  }

  /** A numbered column's whole dictionary (built now if it came unbuilt). */
  private dictOf(c: number): readonly CellValue[] | undefined {
    const col = this.cols[c];
    return (this.dicts[c] ??= col && 'dict' in col ? col.dict : undefined);
  }

  private columnValues(c: number): CellValue[] {
    return Array.from({ length: this.rowCount }, (_, r) => this.raw(c, r));
  }

  /** The cell as shown. */
  text(c: number, r: number): string {
    const v = this.raw(c, r);
    if (typeof v === 'string') return v;
    const cache = this.texts[c];
    let t = cache[r];
    if (t === undefined) {
      t = this.format(c, r, v);
      cache[r] = t;
    }
    return t;
  }

  /** What a cell's hover adds: the time in UTC for timestamps. */
  tooltip(c: number, r: number): string | undefined {
    const v = this.raw(c, r);
    if (this.kinds[c] === 'timestamp' && typeof v === 'number') return `${formatUtc(v)} UTC`;
    return undefined;
  }

  private format(c: number, r: number, v: CellValue): string {
    return this.valueText(c, v) ?? formatMoney(v as number, this.currencyOf(c, r));
  }

  /** The text a value shows in column `c` whatever its row; undefined for an amount (its row's currency decides). */
  private valueText(c: number, v: CellValue): string | undefined {
    if (typeof v === 'string') return v;
    switch (this.kinds[c]) {
      case 'timestamp':
        return typeof v === 'number' ? formatTimestamp(v, this.zone) : String(v);
      case 'money':
        return typeof v === 'number' ? undefined : String(v);
      case 'duration':
        return typeof v === 'number' ? formatDuration(v) : String(v);
      default:
        return typeof v === 'boolean' ? formatBoolean(v) : String(v);
    }
  }

  /** The currency code amounts of column `c` in row `r` are shown in ('' when there is none). */
  currencyOf(c: number, r: number): string {
    const cc = this.currency[c];
    const cur = cc >= 0 ? this.raw(cc, r) : '';
    return typeof cur === 'string' ? cur : '';
  }

  /**
   * The rows `spec` keeps, in its order: filters, then the search, then a stable sort. `base`, when
   * given, is a previous view that this spec only narrows (see `narrows`), so typing into the search
   * box rescans the rows still shown, not the whole result.
   */
  view(spec: ViewSpec, base?: readonly number[]): number[] {
    let rows: number[] = base ? [...base] : Array.from({ length: this.rowCount }, (_, r) => r);
    for (const f of spec.values ?? []) {
      const c = this.col(f.column);
      if (c < 0) continue;
      rows = rows.filter((r) => (this.text(c, r) === f.text) !== f.exclude);
    }
    const range = spec.time;
    const tc = this.col('time');
    if (range && tc >= 0) {
      rows = rows.filter((r) => {
        const t = this.raw(tc, r);
        return typeof t === 'number' && t >= range.start && t < range.end;
      });
    }
    for (const [id, needle] of Object.entries(spec.contains ?? {})) {
      const c = this.col(id);
      const n = needle.trim().toLowerCase();
      if (c < 0 || !n) continue;
      rows = this.search.filter(rows, [c], n);
    }
    const search = (spec.search ?? '').trim().toLowerCase();
    if (search) rows = this.search.filter(rows, this.columns.map((_, c) => c), search);
    if (spec.sort) {
      // With a base the order is the base's; re-sorting keeps it right if the sort changed too.
      this.sortRows(rows, spec.sort);
    } else if (base) {
      rows.sort((a, b) => a - b);
    }
    return rows;
  }

  /** Sorts row indices in place by a column, stable (ties keep result order). */
  sortRows(rows: number[], sort: SortSpec): void {
    const c = this.col(sort.column);
    if (c < 0) return;
    const dir = sort.asc ? 1 : -1;
    const kind = this.kinds[c];
    const byText = kind === 'text' || kind === 'id';
    const compare = (va: CellValue, vb: CellValue, a: number, b: number): number => {
      if (typeof va === 'number' && typeof vb === 'number') return va - vb;
      if (typeof va === 'boolean' && typeof vb === 'boolean') return Number(va) - Number(vb);
      if (byText || typeof va !== typeof vb) return collator.compare(this.text(c, a), this.text(c, b));
      return collator.compare(String(va), String(vb));
    };
    const dict = this.dictOf(c);
    const codes = this.codes[c];
    // A numbered column sorts its distinct values once and then the rows by rank (a counting sort), so
    // a million rows cost one pass instead of twenty million comparisons of text. Not for amounts,
    // whose text (and so order among mixed values) takes each row's currency.
    if (dict && codes && kind !== 'money') {
      const text = (k: number): string => this.valueText(c, dict[k]) ?? String(dict[k]);
      rankedSort(rows, codes, dict.length, (x, y) => {
        const va = dict[x];
        const vb = dict[y];
        if (typeof va === 'number' && typeof vb === 'number') return va - vb;
        if (typeof va === 'boolean' && typeof vb === 'boolean') return Number(va) - Number(vb);
        if (byText || typeof va !== typeof vb) return collator.compare(text(x), text(y));
        return collator.compare(String(va), String(vb));
      }, sort.asc);
      return;
    }
    const values = this.valuesOf(c);
    if (values && values.every((v) => typeof v === 'number' && !Number.isNaN(v))) {
      numericSort(rows, values as readonly number[], sort.asc);
      return;
    }
    rows.sort((a, b) => compare(this.raw(c, a), this.raw(c, b), a, b) * dir || a - b);
  }
}

/**
 * True when every row `next` keeps is also kept by `prev`: the same value filters and sort, and each
 * text filter (search, per-column) only grown. Then `next` may be computed from `prev`'s rows.
 */
export function narrows(prev: ViewSpec, next: ViewSpec): boolean {
  const grown = (a = '', b = ''): boolean => b.trim().toLowerCase().includes(a.trim().toLowerCase());
  if (JSON.stringify(prev.values ?? []) !== JSON.stringify(next.values ?? [])) return false;
  if (JSON.stringify(prev.time ?? null) !== JSON.stringify(next.time ?? null)) return false;
  if (!grown(prev.search, next.search)) return false;
  for (const [id, text] of Object.entries(prev.contains ?? {})) {
    if (!grown(text, next.contains?.[id])) return false;
  }
  return true;
}
