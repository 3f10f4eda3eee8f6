import type { CellValue, ColumnDef } from './columns';
import type { FlatTable } from './flatten';
import type { Click } from './types';
import type { PackedColumn, PackedTable } from './tablePack';

// The flat table as it crosses to the results webview at a million rows. VS Code (1.57+) moves
// ArrayBuffers and typed arrays of a webview message as binary next to the JSON of the rest, so the
// bulk of a table goes as typed arrays: a code per row into each column's distinct values, or the
// numbers themselves for columns of mostly distinct numbers (times, amounts). The distinct strings of
// a column travel as ONE string (their concatenation) plus where each ends: one JSON string value
// whatever the number of distinct values, and JSON keeps every UTF-16 unit (lone surrogates too), which
// a UTF-8 byte buffer would not. Values that are not strings (numbers, booleans, and the null or
// undefined a hostile row may hold) are tagged and kept in a Float64Array, so NaN, ±Infinity and -0
// survive too.

/** Distinct values of a column: strings first (joined, `ends[k]` is where string k ends), then the rest. */
export interface BinaryDict {
  text: string;
  ends: Uint32Array;
  /** One per non-string value: see TAG_*. */
  tags: Uint8Array;
  /** The number of each non-string value tagged TAG_NUMBER (0 otherwise). */
  nums: Float64Array;
}

export type BinaryColumn =
  /** A code per row into `dict` (strings, then the other values). */
  | { kind: 'codes'; dict: BinaryDict; codes: Uint8Array | Uint16Array | Uint32Array }
  /** Mostly distinct numbers: the number per row; the rows that hold something else, coded into `rest`. */
  | { kind: 'numbers'; values: Float64Array; restRows: Uint32Array; rest: BinaryDict; restCodes: Uint32Array };

export interface BinaryTable {
  columns: string[];
  rows: number;
  cols: BinaryColumn[];
}

const TAG_NUMBER = 0;
const TAG_TRUE = 1;
const TAG_FALSE = 2;
const TAG_NULL = 3;
const TAG_UNDEFINED = 4;

/** Past this share of distinct values a column of numbers goes as numbers, not codes. */
const DICT_SHARE = 0.5;

function codeArray(size: number, rows: number): Uint8Array | Uint16Array | Uint32Array {
  if (size <= 0x100) return new Uint8Array(rows);
  if (size <= 0x10000) return new Uint16Array(rows);
  return new Uint32Array(rows);
}

type Mode = 'numbers' | 'distinct' | 'dict';
const OTHER = 0x80000000;

/**
 * One column's encoding, built a value at a time in row order: distinct values numbered in order of
 * first appearance (strings before the rest), or, in 'numbers' mode, the numbers themselves with the
 * rows that hold something else coded apart. The mode comes from a sample (modeOf); whatever the
 * later rows hold, every value comes back as it was: the mode only decides how compact it goes.
 */
class ColumnBuilder {
  private readonly strings = new Map<string, number>();
  // Mostly distinct strings (transaction ids, IPs) skip the lookup: each gets its own entry, which
  // is what a dictionary of them would hold anyway, at a fraction of the hashing.
  private readonly list: string[] = [];
  private readonly others = new Map<unknown, number>();
  /** A code per row (per exception row in 'numbers' mode), OTHER-flagged for non-strings. */
  private readonly tmp: Uint32Array | number[];
  private readonly values?: Float64Array;
  private readonly restRows: number[] = [];

  constructor(
    rows: number,
    private readonly mode: Mode,
  ) {
    if (mode === 'numbers') {
      this.values = new Float64Array(rows);
      this.tmp = [];
    } else this.tmp = new Uint32Array(rows);
  }

  add(r: number, v: unknown): void {
    if (this.values) {
      if (typeof v === 'number') {
        this.values[r] = v;
        return;
      }
      this.values[r] = NaN;
      this.restRows.push(r);
      (this.tmp as number[]).push(this.codeOf(v, false));
    } else this.tmp[r] = this.codeOf(v, this.mode === 'distinct');
  }

  private codeOf(v: unknown, distinct: boolean): number {
    if (typeof v === 'string') {
      if (distinct) return this.list.push(v) - 1;
      let code = this.strings.get(v);
      if (code === undefined) this.strings.set(v, (code = this.strings.size));
      return code;
    }
    // Map keys compare NaN equal to NaN but -0 equal to 0: keep -0 apart so it comes back as -0.
    const key = Object.is(v, -0) ? '-0' : v;
    let code = this.others.get(key);
    if (code === undefined) this.others.set(key, (code = this.others.size));
    return (code | OTHER) >>> 0;
  }

  finish(): BinaryColumn {
    const { list, others, tmp } = this;
    if (this.mode !== 'distinct') for (const s of this.strings.keys()) list.push(s);
    const nStrings = list.length;
    const codes = this.values ? new Uint32Array(tmp.length) : codeArray(nStrings + others.size, tmp.length);
    for (let r = 0; r < tmp.length; r++) {
      const t = tmp[r];
      codes[r] = t & OTHER ? nStrings + (t & ~OTHER) : t;
    }
    const ends = new Uint32Array(nStrings);
    let at = 0;
    let k = 0;
    for (const s of list) {
      at += s.length;
      ends[k++] = at;
    }
    const tags = new Uint8Array(others.size);
    const nums = new Float64Array(others.size);
    k = 0;
    for (const key of others.keys()) {
      const v = key === '-0' ? -0 : key;
      if (typeof v === 'number') {
        tags[k] = TAG_NUMBER;
        nums[k] = v;
      } else tags[k] = v === true ? TAG_TRUE : v === false ? TAG_FALSE : v === null ? TAG_NULL : TAG_UNDEFINED;
      k++;
    }
    const dict: BinaryDict = { text: list.join(''), ends, tags, nums };
    if (this.values) return { kind: 'numbers', values: this.values, restRows: Uint32Array.from(this.restRows), rest: dict, restCodes: codes as Uint32Array };
    return { kind: 'codes', dict, codes };
  }
}

/**
 * How a column goes, from a sample of its values (a column's kind does not change along its rows):
 * mostly distinct numbers as numbers, mostly distinct strings one entry per row, the rest numbered.
 * `total` is the number of rows the sample stands for.
 */
function modeOf(sample: readonly unknown[], total: number): Mode {
  if (total < 16) return 'dict';
  let numbers = 0;
  const seen = new Set<number>();
  const seenText = new Set<string>();
  let strings = 0;
  for (const v of sample) {
    if (typeof v === 'number') {
      numbers++;
      seen.add(v);
    } else if (typeof v === 'string') {
      strings++;
      seenText.add(v);
    }
  }
  const sampled = sample.length;
  const many = (distinctCount: number): boolean => distinctCount > Math.min(Math.floor(total * DICT_SHARE), sampled * DICT_SHARE);
  if (numbers * 2 > sampled && many(seen.size)) return 'numbers';
  // Nearly every sampled string distinct: a dictionary would save little and cost a hash per row.
  if (strings * 2 > sampled && seenText.size > strings * 0.9) return 'distinct';
  return 'dict';
}

/** Every `step`-th row, about 4,096 of them, the same rows for every column. */
const sampleStep = (n: number): number => Math.max(1, Math.floor(n / 4096));

export function encodeColumn(values: readonly unknown[]): BinaryColumn {
  const step = sampleStep(values.length);
  const sample: unknown[] = [];
  for (let r = 0; r < values.length; r += step) sample.push(values[r]);
  const b = new ColumnBuilder(values.length, modeOf(sample, values.length));
  for (let r = 0; r < values.length; r++) b.add(r, values[r]);
  return b.finish();
}

/** Rows read per step of `encodeRowsInSteps`: at 64 columns, tens of milliseconds. */
const BLOCK_ROWS = 8192;

/**
 * The clicks encoded straight from their columns' getters, so the host never holds a flat copy of
 * every cell beside the clicks (at a million rows and 64 columns that copy alone is half a
 * gigabyte). Read a row at a time, every column of it: a click's nested objects are read while they
 * are in the CPU's cache, where a column at a time fetched each of a million clicks from memory once
 * per column (about three times slower at a million rows).
 */
export function encodeRows(rows: readonly Click[], columns: readonly Pick<ColumnDef, 'id' | 'get'>[]): BinaryTable {
  const enc = rowEncoder(rows, columns);
  while (enc.step()) {
    /* one block at a time */
  }
  return enc.table();
}

/**
 * `encodeRows` with `pause()` awaited between blocks of rows: at a million rows the whole takes
 * seconds, which the extension host must not spend in one block.
 */
export async function encodeRowsInSteps(rows: readonly Click[], columns: readonly Pick<ColumnDef, 'id' | 'get'>[], pause: () => Promise<void>): Promise<BinaryTable> {
  const enc = rowEncoder(rows, columns);
  while (enc.step()) await pause();
  return enc.table();
}

function rowEncoder(rows: readonly Click[], columns: readonly Pick<ColumnDef, 'id' | 'get'>[]): { step(): boolean; table(): BinaryTable } {
  const n = rows.length;
  const getters = columns.map((c) => c.get);
  const step = sampleStep(n);
  const builders = getters.map((get) => {
    const sample: unknown[] = [];
    for (let r = 0; r < n; r += step) sample.push(get(rows[r]));
    return new ColumnBuilder(n, modeOf(sample, n));
  });
  let at = 0;
  const cols: BinaryColumn[] = [];
  return {
    // Blocks of rows, then a column's finishing (its codes and dictionary) per step.
    step(): boolean {
      if (at < n) {
        const end = Math.min(n, at + BLOCK_ROWS);
        for (let r = at; r < end; r++) {
          const row = rows[r];
          for (let c = 0; c < getters.length; c++) builders[c].add(r, getters[c](row));
        }
        at = end;
      } else if (cols.length < builders.length) cols.push(builders[cols.length].finish());
      return at < n || cols.length < builders.length;
    },
    table: () => oneBuffer({ columns: columns.map((c) => c.id), rows: n, cols }),
  };
}

/** The table as posted to the webview: typed arrays for the rows, JSON only for names and joined strings. */
export function encodeTable(table: FlatTable): BinaryTable {
  const rows = table.data[0]?.length ?? 0;
  return oneBuffer({ columns: [...table.columns], rows, cols: table.data.map(encodeColumn) });
}

type Typed = Uint8Array | Uint16Array | Uint32Array | Float64Array;

/**
 * Every typed array of the table moved into views of ONE ArrayBuffer (each 8-byte aligned, as a
 * Float64Array needs). VS Code sends each distinct ArrayBuffer of a message as an argument of one
 * internal call, and with a few hundred of them (five per column) the webview got empty arrays; one
 * buffer is also one copy instead of hundreds.
 */
function oneBuffer(table: BinaryTable): BinaryTable {
  const all: Typed[] = [];
  const dict = (d: BinaryDict): void => void all.push(d.ends, d.tags, d.nums);
  for (const col of table.cols) {
    if (col.kind === 'codes') {
      all.push(col.codes);
      dict(col.dict);
    } else {
      all.push(col.values, col.restRows, col.restCodes);
      dict(col.rest);
    }
  }
  const padded = (n: number): number => Math.ceil(n / 8) * 8;
  const buffer = new ArrayBuffer(all.reduce((n, a) => n + padded(a.byteLength), 0));
  let at = 0;
  const move = <T extends Typed>(a: T): T => {
    const view = new (a.constructor as new (b: ArrayBuffer, o: number, n: number) => T)(buffer, at, a.length);
    view.set(a as never);
    at += padded(a.byteLength);
    return view;
  };
  const moveDict = (d: BinaryDict): BinaryDict => ({ text: d.text, ends: move(d.ends), tags: move(d.tags), nums: move(d.nums) });
  const cols = table.cols.map((col): BinaryColumn =>
    col.kind === 'codes'
      ? { kind: 'codes', codes: move(col.codes), dict: moveDict(col.dict) }
      : { kind: 'numbers', values: move(col.values), restRows: move(col.restRows), restCodes: move(col.restCodes), rest: moveDict(col.rest) },
  );
  return { columns: table.columns, rows: table.rows, cols };
}

/** Every ArrayBuffer of an encoded table (for a transfer list, or to count the bytes). */
export function tableBuffers(table: BinaryTable): ArrayBufferLike[] {
  const out: ArrayBufferLike[] = [];
  const dict = (d: BinaryDict): void => void out.push(d.ends.buffer, d.tags.buffer, d.nums.buffer);
  for (const col of table.cols) {
    if (col.kind === 'codes') {
      out.push(col.codes.buffer);
      dict(col.dict);
    } else {
      out.push(col.values.buffer, col.restRows.buffer, col.restCodes.buffer);
      dict(col.rest);
    }
  }
  return out;
}

const malformed = (what: string): Error => new Error(`The result table is malformed: ${what}.`);
/** What arrived instead, for the error (a type name and a length; never the values). */
const shape = (v: unknown): string => (v && typeof v === 'object' ? `${(v as object).constructor?.name ?? 'object'}(${String((v as { length?: unknown }).length)})` : typeof v);
const isTyped = (v: unknown, ...types: (new (n: number) => ArrayLike<number>)[]): boolean => types.some((t) => v instanceof t);

function decodeDict(d: BinaryDict, column: string): CellValue[] {
  if (!d || typeof d.text !== 'string' || !isTyped(d.ends, Uint32Array) || !isTyped(d.tags, Uint8Array) || !isTyped(d.nums, Float64Array) || d.tags.length !== d.nums.length) {
    throw malformed(`column ${column} has no valid dictionary`);
  }
  const out: CellValue[] = new Array<CellValue>(d.ends.length + d.tags.length);
  let start = 0;
  for (let k = 0; k < d.ends.length; k++) {
    const end = d.ends[k];
    if (end < start || end > d.text.length) throw malformed(`column ${column} has a dictionary that does not add up`);
    out[k] = d.text.slice(start, end);
    start = end;
  }
  for (let k = 0; k < d.tags.length; k++) {
    const tag = d.tags[k];
    // null and undefined are not CellValues; they stay what they were so the grid shows what it did.
    out[d.ends.length + k] = (tag === TAG_NUMBER ? d.nums[k] : tag === TAG_TRUE ? true : tag === TAG_FALSE ? false : tag === TAG_NULL ? null : undefined) as CellValue;
    if (tag > TAG_UNDEFINED) throw malformed(`column ${column} has an unknown value tag`);
  }
  return out;
}

function checkCodes(codes: ArrayLike<number>, size: number, column: string): void {
  // A code past the dictionary would read as undefined: refuse the table rather than show holes.
  let max = -1;
  for (let r = 0; r < codes.length; r++) if (codes[r] > max) max = codes[r];
  if (max >= size) throw malformed(`column ${column} has an unknown code`);
}

/**
 * The columns as the grid and summary read them (tablePack.ts's shape): dictionary columns keep their
 * typed codes (no array of a million values is built), number columns become plain arrays.
 */
export function decodeTable(table: BinaryTable): PackedTable {
  const { columns, rows, cols } = table ?? ({} as BinaryTable);
  if (!Array.isArray(columns) || !Array.isArray(cols) || columns.length !== cols.length || !Number.isInteger(rows) || rows < 0) {
    throw malformed('columns and data differ in length');
  }
  const data = cols.map((col, c): PackedColumn => {
    const name = String(columns[c]);
    if (col?.kind === 'codes') {
      if (!isTyped(col.codes, Uint8Array, Uint16Array, Uint32Array) || col.codes.length !== rows) throw malformed(`column ${name} does not have ${rows} rows (${shape(col.codes)})`);
      const dict = decodeDict(col.dict, name);
      checkCodes(col.codes, dict.length, name);
      return { dict, codes: col.codes };
    }
    if (col?.kind === 'numbers') {
      if (!isTyped(col.values, Float64Array) || col.values.length !== rows) throw malformed(`column ${name} does not have ${rows} rows (${shape(col.values)})`);
      if (!isTyped(col.restRows, Uint32Array) || !isTyped(col.restCodes, Uint32Array) || col.restRows.length !== col.restCodes.length) throw malformed(`column ${name} has mismatched exceptions`);
      const rest = decodeDict(col.rest, name);
      checkCodes(col.restCodes, rest.length, name);
      const values = Array.from(col.values) as CellValue[];
      for (let i = 0; i < col.restRows.length; i++) {
        const r = col.restRows[i];
        if (r >= rows) throw malformed(`column ${name} has an exception past its rows`);
        values[r] = rest[col.restCodes[i]];
      }
      return { values };
    }
    throw malformed(`column ${name} is of an unknown kind`);
  });
  return { columns: columns.map(String), rows, data };
}
