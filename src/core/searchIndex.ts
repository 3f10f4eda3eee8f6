import type { CellValue } from './columns';
import type { PackedColumn } from './tablePack';

// The grid's quick search and per-column "contains" filters, over lower-cased cell text that is
// built once per result and then only read.
//
// Each column is indexed as a list of distinct lower-cased texts ("entries") plus, per row, the
// entry it shows ("codes"). Most click columns repeat a handful of values, and the packed table the
// host sends already numbers them (a dictionary and a code per row), so a search tests each
// distinct text once and then marks rows by their codes. Columns whose values are mostly distinct
// (transaction ids, times, IPs) keep one entry per row and no codes.
//
// Entries are exactly `text(c, r).toLowerCase()`, one cell at a time, so a search keeps what the
// previous per-cell scan kept: a row matches when any of its cells, as shown, contains the lower-
// cased needle. Building reads every cell's text (times formatted in the zone, money with its row's
// currency), which is the slow part; it is done in small steps (`build`) while the page is idle,
// and finished at once when a search comes first.

/** What the index needs from the table: its size and the text each cell shows. */
export interface IndexSource {
  readonly rowCount: number;
  readonly columnCount: number;
  /** The cell as shown. */
  text(c: number, r: number): string;
  /**
   * The text every cell holding `v` shows, when that does not depend on the row; undefined when it
   * does (money, whose text takes its row's currency).
   */
  valueText(c: number, v: CellValue): string | undefined;
  /** For row-dependent columns: a key that, with the cell's value, fixes its text (the currency). */
  rowKey(c: number, r: number): string;
  /** The column's values numbered (dictionary and a code per row), or plain when mostly distinct. */
  packed(c: number): PackedColumn;
}

interface ColumnIndex {
  /** Distinct lower-cased cell texts (one per row when `codes` is absent). */
  entries: string[];
  /** Row → entry. */
  codes?: ArrayLike<number>;
}

/** Rows or entries handled between two looks at the clock while building. */
const STEP = 2048;

/** A column builder: call `next` (which handles up to `limit` cells) until it returns the finished index. */
interface Builder {
  next(limit: number): ColumnIndex | undefined;
  /** Cells (or dictionary values) handled so far. */
  readonly done: number;
}

export class SearchIndex {
  private readonly columns: (ColumnIndex | undefined)[];
  private building: { c: number; builder: Builder } | undefined;

  constructor(private readonly src: IndexSource) {
    this.columns = new Array<ColumnIndex | undefined>(src.columnCount).fill(undefined);
  }

  /** True once every column is indexed. */
  get complete(): boolean {
    return this.columns.every((c) => c !== undefined);
  }

  /**
   * Indexes columns, a few thousand cells at a time, while `more()` says there is time; returns true
   * when the whole table is indexed.
   */
  build(more: () => boolean = () => true): boolean {
    let work = 0;
    for (;;) {
      if (!this.building) {
        const c = this.columns.indexOf(undefined);
        if (c < 0) return true;
        this.building = { c, builder: this.builder(c) };
      }
      const { c, builder } = this.building;
      const before = builder.done;
      const done = builder.next(STEP - work);
      work += Math.max(0, builder.done - before) + 1;
      if (done) {
        this.columns[c] = done;
        this.building = undefined;
      }
      if (work >= STEP) {
        work = 0;
        if (!more()) return this.complete;
      }
    }
  }

  /** The rows of `rows` (in their order) where a cell of any of `columns` contains `needle`, already lower-cased. */
  filter(rows: readonly number[], columns: readonly number[], needle: string): number[] {
    if (rows.length === 0) return [];
    const hit = new Uint8Array(this.src.rowCount);
    for (const c of columns) {
      const { entries, codes } = this.column(c);
      if (!codes) {
        for (const r of rows) if (!hit[r] && entries[r].includes(needle)) hit[r] = 1;
      } else if (rows.length < entries.length) {
        // Fewer rows left than distinct texts (typing narrows the rows): test the rows' own texts.
        for (const r of rows) if (!hit[r] && entries[codes[r]].includes(needle)) hit[r] = 1;
      } else {
        let match: Uint8Array | undefined;
        for (let k = 0; k < entries.length; k++) if (entries[k].includes(needle)) (match ??= new Uint8Array(entries.length))[k] = 1;
        if (match) for (const r of rows) if (!hit[r] && match[codes[r]]) hit[r] = 1;
      }
    }
    return rows.filter((r) => hit[r] === 1);
  }

  private column(c: number): ColumnIndex {
    let ix = this.columns[c];
    if (!ix) {
      const builder = this.building?.c === c ? this.building.builder : this.builder(c);
      if (this.building?.c === c) this.building = undefined;
      while (!(ix = builder.next(Number.MAX_SAFE_INTEGER)));
      this.columns[c] = ix;
    }
    return ix;
  }

  private builder(c: number): Builder {
    const src = this.src;
    const packed = src.packed(c);
    if ('values' in packed) return this.perRow(c);
    const { dict, codes } = packed;
    // One entry per dictionary value while its text does not depend on the row; an amount (whose
    // text takes its row's currency) turns the column over to entries per (value, currency).
    const entries: string[] = [];
    let byRow: Builder | undefined;
    return {
      get done() {
        return byRow ? byRow.done : entries.length;
      },
      next: (limit) => {
        if (byRow) return byRow.next(limit);
        const end = Math.min(dict.length, entries.length + limit);
        for (let k = entries.length; k < end; k++) {
          const text = src.valueText(c, dict[k]);
          if (text === undefined) {
            byRow = this.distinct(c, codes);
            return byRow.next(limit);
          }
          entries.push(text.toLowerCase());
        }
        return entries.length === dict.length ? { entries, codes } : undefined;
      },
    };
  }

  /** One entry per row. */
  private perRow(c: number): Builder {
    const src = this.src;
    const n = src.rowCount;
    const entries = new Array<string>(n);
    let r = 0;
    return {
      get done() {
        return r;
      },
      next: (limit) => {
        const end = Math.min(n, r + limit);
        for (; r < end; r++) entries[r] = src.text(c, r).toLowerCase();
        return r === n ? { entries } : undefined;
      },
    };
  }

  /**
   * Entries by (value code, row key): for columns whose text also depends on the row (money and its
   * currency). Each distinct pair is formatted once.
   */
  private distinct(c: number, valueCodes: ArrayLike<number>): Builder {
    const src = this.src;
    const n = src.rowCount;
    const entries: string[] = [];
    const codes = new Int32Array(n);
    const byCode = new Map<number, Map<string, number>>();
    let r = 0;
    return {
      get done() {
        return r;
      },
      next: (limit) => {
        const end = Math.min(n, r + limit);
        for (; r < end; r++) {
          const k = valueCodes[r];
          let byKey = byCode.get(k);
          if (!byKey) byCode.set(k, (byKey = new Map()));
          const key = src.rowKey(c, r);
          let e = byKey.get(key);
          if (e === undefined) {
            e = entries.length;
            byKey.set(key, e);
            entries.push(src.text(c, r).toLowerCase());
          }
          codes[r] = e;
        }
        return r === n ? { entries, codes } : undefined;
      },
    };
  }
}
