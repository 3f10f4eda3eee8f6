import { oneBuffer, type BinaryColumn, type BinaryTable } from './binaryTable';
import { ColumnBuilder, modeOf, SAMPLE_ROWS } from './columnBuilder';
import type { ColumnDef } from './columns';
import type { FlatTable } from './flatten';
import type { Click } from './types';

// The clicks as a binary table (binaryTable.ts), encoded as they arrive. At a million rows reading
// 63 columns from the click objects and coding their values takes seconds; Fetch all brings its
// rows in pages of up to 5,000 with a network wait between, so each page is encoded while the next
// one is on its way and "rows ready" leaves only the finishing (renumbering and packing the typed
// arrays). A one-shot encode is the same encoder given every row at once, so both give the same bytes.

export type ColumnSource = Pick<ColumnDef, 'id' | 'get'>;

/** Rows read per step of `encodeRowsInSteps`: at 64 columns, tens of milliseconds. */
const BLOCK_ROWS = 8192;

interface Built {
  get: ColumnSource['get'];
  builder: ColumnBuilder;
}

/** A column's first values (the rows that decide its mode). */
function sampleOf(rows: readonly Click[], get: ColumnSource['get']): unknown[] {
  const n = Math.min(rows.length, SAMPLE_ROWS);
  const out = new Array<unknown>(n);
  for (let r = 0; r < n; r++) out[r] = get(rows[r]);
  return out;
}

/** One column of `rows` built on its own (a column the rows' pages did not have, or a one-shot column). */
export function buildColumn(rows: readonly Click[], get: ColumnSource['get']): ColumnBuilder {
  const b = new ColumnBuilder(modeOf(sampleOf(rows, get)));
  b.reserve(rows.length);
  for (let r = 0; r < rows.length; r++) b.add(get(rows[r]));
  return b;
}

export class TableEncoder {
  /** Every row appended, in the order it came. */
  private readonly rows: Click[] = [];
  /** Column ids in the order first seen, with the getter they came with. */
  private readonly known = new Map<string, ColumnSource['get']>();
  private readonly built = new Map<string, Built>();
  /** Rows every builder holds; rows past it wait until SAMPLE_ROWS have come (their modes need them). */
  private filled = 0;

  /**
   * `columnsOf` names the columns of a page's rows (the catalogue and the page's unknown fields);
   * a column first named by a later page gets the values its getter reads from the earlier rows
   * too. At most `maxColumns` columns are built (the grid shows a bounded number of unknown fields).
   */
  constructor(
    private readonly columnsOf: (rows: readonly Click[]) => readonly ColumnSource[],
    private readonly maxColumns = Infinity,
  ) {}

  /** Rows appended so far (repeats included). */
  get size(): number {
    return this.rows.length;
  }

  /** Encodes a page of rows (a few tens of milliseconds for 5,000 clicks of 64 columns). */
  append(page: readonly Click[]): void {
    if (page.length === 0) return;
    for (let r = 0; r < page.length; r++) this.rows.push(page[r]);
    for (const c of this.columnsOf(page)) if (!this.known.has(c.id) && this.known.size < this.maxColumns) this.known.set(c.id, c.get);
    if (this.rows.length >= SAMPLE_ROWS) this.fill();
  }

  /**
   * The columns built so far, each over every appended row (the rows still waiting for SAMPLE_ROWS
   * are built first): what a piece of the table (tablePieces.ts) is taken from. Before SAMPLE_ROWS
   * rows came none is, unless `all` (the last piece: the rows decide the modes as finishing would).
   */
  builders(all = false): ReadonlyMap<string, ColumnBuilder> {
    if ((all || this.rows.length >= SAMPLE_ROWS) && this.filled < this.rows.length) this.fill();
    return new Map([...this.built].map(([id, b]) => [id, b.builder]));
  }

  /** Every known column built over every appended row. */
  private fill(): void {
    for (const [id, get] of this.known) {
      if (this.built.has(id)) continue;
      // A column first seen now: its earlier rows read column-wise (rare: a field Everflow added mid-stream).
      const builder = new ColumnBuilder(modeOf(sampleOf(this.rows, get)));
      builder.reserve(this.rows.length);
      for (let r = 0; r < this.filled; r++) builder.add(get(this.rows[r]));
      this.built.set(id, { get, builder });
    }
    const all = [...this.built.values()];
    for (const { builder } of all) builder.reserve(this.rows.length - this.filled);
    const getters = all.map((b) => b.get);
    const builders = all.map((b) => b.builder);
    // A row at a time, every column of it: a click's nested objects are read while they are in the
    // CPU's cache (a column at a time fetched each click from memory once per column, ~3× slower).
    for (let r = this.filled; r < this.rows.length; r++) {
      const row = this.rows[r];
      for (let c = 0; c < getters.length; c++) builders[c].add(getters[c](row));
    }
    this.filled = this.rows.length;
  }

  /**
   * The table of `rows` (the result's rows: those appended, possibly sorted and with repeats
   * dropped) in `columns`. Columns no page named (conversion columns joined after the fetch) are
   * built from `rows` here; rows that were never appended make it a one-shot encode of `rows`.
   */
  finish(rows: readonly Click[], columns: readonly ColumnSource[]): BinaryTable {
    const steps = this.finishing(rows, columns);
    let next = steps.next();
    while (!next.done) next = steps.next();
    return next.value;
  }

  /** `finish` with `pause()` awaited between columns (seconds at a million rows when the order changed). */
  async finishInSteps(rows: readonly Click[], columns: readonly ColumnSource[], pause: () => Promise<void>): Promise<BinaryTable> {
    const steps = this.finishing(rows, columns);
    let next = steps.next();
    while (!next.done) {
      await pause();
      next = steps.next();
    }
    return next.value;
  }

  private *finishing(rows: readonly Click[], columns: readonly ColumnSource[]): Generator<void, BinaryTable> {
    if (this.filled < this.rows.length) this.fill();
    const order = this.orderOf(rows);
    if (order === null) {
      // Rows this encoder never saw: encode them as they are (correct, just not ahead of time).
      const fresh = new TableEncoder(() => columns);
      fresh.append(rows);
      return yield* fresh.finishing(rows, columns);
    }
    const cols: BinaryColumn[] = [];
    for (const c of columns) {
      const built = this.built.get(c.id);
      cols.push(built ? built.builder.finish(order, true) : buildColumn(rows, c.get).finish(undefined, true));
      yield;
    }
    return oneBuffer({ columns: columns.map((c) => c.id), rows: rows.length, cols });
  }

  /** Which appended row each of `rows` is (undefined: the same rows in the same order; null: a row never appended). */
  orderOf(rows: readonly Click[]): Uint32Array | undefined | null {
    // A plain loop: \`every\` with its callback took some 50 ms over a million rows at the finish.
    let same = rows.length === this.rows.length;
    for (let i = 0; same && i < rows.length; i++) same = rows[i] === this.rows[i];
    if (same) return undefined;
    // The last time a row was appended counts (Fetch all keeps the latest copy of a click).
    const at = new Map<Click, number>();
    this.rows.forEach((r, i) => at.set(r, i));
    const order = new Uint32Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const k = at.get(rows[i]);
      if (k === undefined) return null;
      order[i] = k;
    }
    return order;
  }
}

/**
 * The clicks encoded straight from their columns' getters, so the host never holds a flat copy of
 * every cell beside the clicks (at a million rows and 64 columns that copy alone is half a gigabyte).
 */
export function encodeRows(rows: readonly Click[], columns: readonly ColumnSource[]): BinaryTable {
  const enc = new TableEncoder(() => columns);
  enc.append(rows);
  return enc.finish(rows, columns);
}

/**
 * `encodeRows` with `pause()` awaited between blocks of rows and between columns' finishing: at a
 * million rows the whole takes seconds, which the extension host must not spend in one block.
 */
export async function encodeRowsInSteps(rows: readonly Click[], columns: readonly ColumnSource[], pause: () => Promise<void>): Promise<BinaryTable> {
  const enc = new TableEncoder(() => columns);
  for (let at = 0; at < rows.length; at += BLOCK_ROWS) {
    enc.append(rows.slice(at, at + BLOCK_ROWS));
    await pause();
  }
  return enc.finishInSteps(rows, columns, pause);
}

export function encodeColumn(values: readonly unknown[]): BinaryColumn {
  const b = new ColumnBuilder(modeOf(values.slice(0, SAMPLE_ROWS)));
  b.reserve(values.length);
  for (let r = 0; r < values.length; r++) b.add(values[r]);
  return b.finish();
}

/** The table as posted to the webview: typed arrays for the rows, JSON only for names and joined strings. */
export function encodeTable(table: FlatTable): BinaryTable {
  const rows = table.data[0]?.length ?? 0;
  return oneBuffer({ columns: [...table.columns], rows, cols: table.data.map(encodeColumn) });
}
