import type { CellValue } from './columns';
import type { PackedColumn, PackedTable } from './tablePack';

// The flat table as it crosses to the results webview at a million rows. VS Code (1.57+) moves
// ArrayBuffers and typed arrays of a webview message as binary next to the JSON of the rest, so the
// bulk of a table goes as typed arrays: a code per row into each column's distinct values, or the
// numbers themselves for columns of mostly distinct numbers (times, amounts). The distinct strings of
// a column travel as ONE string (their concatenation) plus where each ends: one JSON string value
// whatever the number of distinct values, and JSON keeps every UTF-16 unit (lone surrogates too), which
// a UTF-8 byte buffer would not; a long one that is all ASCII goes as its bytes instead (`ascii`). Values that are not strings (numbers, booleans, and the null or
// undefined a hostile row may hold) are tagged and kept in a Float64Array, so NaN, ±Infinity and -0
// survive too.

/** Distinct values of a column: strings first (joined, `ends[k]` is where string k ends), then the rest. */
export interface BinaryDict {
  /** The strings joined ('' when they go as `ascii`). */
  text: string;
  /**
   * The joined strings as bytes when every character is ASCII (one byte each, so `ends` hold): a
   * million transaction ids and IPs are tens of megabytes that JSON would escape-scan, parse and
   * clone as a string; as bytes they ride in the table's one buffer and decode natively.
   */
  ascii?: Uint8Array;
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

export const TAG_NUMBER = 0;
export const TAG_TRUE = 1;
export const TAG_FALSE = 2;
export const TAG_NULL = 3;
export const TAG_UNDEFINED = 4;

type Typed = Uint8Array | Uint16Array | Uint32Array | Float64Array;
type TypedType = new (b: ArrayBuffer, o: number, n: number) => Typed;

// Web-standard codecs, global in Node and in the webview alike (core's tsconfig names neither's types).
declare const TextEncoder: new () => { encodeInto(s: string, into: Uint8Array): { read: number; written: number } };
declare const TextDecoder: new (label: 'utf-8', options: { fatal: boolean }) => { decode(b: Uint8Array): string };

/** The narrowest code array for a dictionary of `size` values. */
export function codeType(size: number): Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor {
  return size <= 0x100 ? Uint8Array : size <= 0x10000 ? Uint16Array : Uint32Array;
}

/** Anything past ASCII (a long text that has some is sent as JSON, not bytes). */
const NOT_ASCII = /[\u0080-\uffff]/;

/** Joined strings shorter than this stay JSON: bytes pay off only for the big ones. */
export const ASCII_FROM = 1024;

/**
 * Every typed array of the table moved into views of ONE ArrayBuffer (each 8-byte aligned, as a
 * Float64Array needs). VS Code sends each distinct ArrayBuffer of a message as an argument of one
 * internal call, and with a few hundred of them (five per column) the webview got empty arrays; one
 * buffer is also one copy instead of hundreds.
 */
export function oneBuffer(table: BinaryTable): BinaryTable {
  const padded = (n: number): number => Math.ceil(n / 8) * 8;
  let bytes = 0;
  const dict = (d: BinaryDict): void => void (bytes += padded(d.ends.byteLength) + padded(d.tags.byteLength) + padded(d.nums.byteLength));
  for (const col of table.cols) {
    if (col.kind === 'codes') {
      bytes += padded(col.codes.length * codeType(col.dict.ends.length + col.dict.tags.length).BYTES_PER_ELEMENT);
      dict(col.dict);
    } else {
      bytes += padded(col.values.byteLength) + padded(col.restRows.byteLength) + padded(col.restCodes.byteLength);
      dict(col.rest);
    }
  }
  // Room for each long text as ASCII bytes (a text with anything past ASCII stays JSON: found in its
  // first few characters, mostly, so no encoding is tried).
  let textBytes = 0;
  const asBytes = new Set<BinaryDict>();
  for (const col of table.cols) {
    const d = col.kind === 'codes' ? col.dict : col.rest;
    if (d.ascii) textBytes += padded(d.ascii.length);
    else if (d.text.length >= ASCII_FROM && !NOT_ASCII.test(d.text)) {
      asBytes.add(d);
      textBytes += padded(d.text.length);
    }
  }
  const buffer = new ArrayBuffer(bytes + textBytes);
  const encoder = textBytes > 0 ? new TextEncoder() : undefined;
  let at = 0;
  // `as`: the type the copy takes (codes are narrowed to what their dictionary needs as they are copied).
  const move = <T extends Typed>(a: T, as: TypedType = a.constructor as TypedType): T => {
    const view = new as(buffer, at, a.length) as T;
    view.set(a as never);
    at += padded(view.byteLength);
    return view;
  };
  const codesOf = (codes: Uint8Array | Uint16Array | Uint32Array, d: BinaryDict): Uint8Array | Uint16Array | Uint32Array =>
    move(codes, codeType(d.ends.length + d.tags.length) as unknown as TypedType);
  const moveText = (d: BinaryDict): Pick<BinaryDict, 'text' | 'ascii'> => {
    if (d.ascii) return { text: '', ascii: move(d.ascii) };
    if (!encoder || !asBytes.has(d)) return { text: d.text };
    const bytes = new Uint8Array(buffer, at, d.text.length);
    at += padded(d.text.length);
    // UTF-8 of ASCII is the same bytes; any other character takes more than one, so it stops short.
    const { read, written } = encoder.encodeInto(d.text, bytes);
    return read === d.text.length && written === d.text.length ? { text: '', ascii: bytes } : { text: d.text };
  };
  const moveDict = (d: BinaryDict): BinaryDict => ({ ...moveText(d), ends: move(d.ends), tags: move(d.tags), nums: move(d.nums) });
  const cols = table.cols.map((col): BinaryColumn =>
    col.kind === 'codes'
      ? { kind: 'codes', codes: codesOf(col.codes, col.dict), dict: moveDict(col.dict) }
      : { kind: 'numbers', values: move(col.values), restRows: move(col.restRows), restCodes: move(col.restCodes), rest: moveDict(col.rest) },
  );
  return { columns: table.columns, rows: table.rows, cols };
}

/** Every ArrayBuffer of an encoded table (for a transfer list, or to count the bytes). */
export function tableBuffers(table: BinaryTable): ArrayBufferLike[] {
  const out: ArrayBufferLike[] = [];
  const dict = (d: BinaryDict): void => void out.push(...(d.ascii ? [d.ascii.buffer] : []), d.ends.buffer, d.tags.buffer, d.nums.buffer);
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

/**
 * ASCII bytes as text. Anything else is not what the host sends: bad UTF-8 throws (fatal) and good
 * UTF-8 past ASCII comes out shorter than its bytes, so only ASCII passes.
 */
function asciiText(bytes: Uint8Array, column: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = '';
  }
  if (text.length !== bytes.length) throw malformed(`column ${column} has a dictionary that is not ASCII`);
  return text;
}

/** Whether every byte is ASCII (below 0x80), four at a time where the view is aligned. */
function allAscii(bytes: Uint8Array): boolean {
  let high = 0;
  let r = 0;
  if (bytes.byteOffset % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4));
    for (let i = 0; i < words.length; i++) high |= words[i];
    r = words.length * 4;
  }
  for (; r < bytes.length; r++) high |= bytes[r];
  return (high & 0x80808080) === 0;
}

/** Short ASCII runs as text (one value of a dictionary left in its bytes). */
const asciiRun = new TextDecoder('utf-8', { fatal: true });

/** A dictionary read back: its size, and each value on its own or all of them as an array. */
interface DecodedDict {
  size: number;
  /** Value k, without building the rest (a string is sliced from the joined text each time). */
  entry(k: number): CellValue;
  /** Every value, built on the first call and kept. */
  all(): CellValue[];
}

/**
 * Past this many strings a dictionary is built on first need, not while the table is decoded: a
 * million transaction ids or IPs are a million strings the first paint does not show (it reads the
 * 50-odd rows on screen through `entry`); searching and sorting build them when they come.
 */
const LAZY_FROM = 65_536;

function decodeDict(d: BinaryDict, column: string): DecodedDict {
  if (!d || typeof d.text !== 'string' || !isTyped(d.ends, Uint32Array) || !isTyped(d.tags, Uint8Array) || !isTyped(d.nums, Float64Array) || d.tags.length !== d.nums.length) {
    throw malformed(`column ${column} has no valid dictionary`);
  }
  if (d.ascii !== undefined && (!isTyped(d.ascii, Uint8Array) || d.text !== '')) throw malformed(`column ${column} has no valid dictionary`);
  const { ascii, ends, tags, nums } = d;
  const strings = ends.length;
  // A big dictionary's ASCII bytes stay bytes until its values are all wanted (checked now, though).
  if (ascii && strings >= LAZY_FROM && !allAscii(ascii)) throw malformed(`column ${column} has a dictionary that is not ASCII`);
  let text = ascii ? (strings >= LAZY_FROM ? undefined : asciiText(ascii, column)) : d.text;
  const length = ascii ? ascii.length : d.text.length;
  // Checked now, built or not: a table that does not add up is refused before it is shown.
  let start = 0;
  for (let k = 0; k < strings; k++) {
    const end = ends[k];
    if (end < start || end > length) throw malformed(`column ${column} has a dictionary that does not add up`);
    start = end;
  }
  for (let k = 0; k < tags.length; k++) if (tags[k] > TAG_UNDEFINED) throw malformed(`column ${column} has an unknown value tag`);
  const other = (k: number): CellValue => {
    const tag = tags[k];
    // null and undefined are not CellValues; they stay what they were so the grid shows what it did.
    return (tag === TAG_NUMBER ? nums[k] : tag === TAG_TRUE ? true : tag === TAG_FALSE ? false : tag === TAG_NULL ? null : undefined) as CellValue;
  };
  const entry = (k: number): CellValue => {
    if (k >= strings) return other(k - strings);
    const from = k > 0 ? ends[k - 1] : 0;
    return text !== undefined ? text.slice(from, ends[k]) : asciiRun.decode(ascii!.subarray(from, ends[k]));
  };
  let built: CellValue[] | undefined;
  const all = (): CellValue[] => {
    if (built) return built;
    text ??= asciiText(ascii!, column);
    const out = new Array<CellValue>(strings + tags.length);
    let at = 0;
    for (let k = 0; k < strings; k++) out[k] = text!.slice(at, (at = ends[k]));
    for (let k = 0; k < tags.length; k++) out[strings + k] = other(k);
    return (built = out);
  };
  return { size: strings + tags.length, entry, all };
}

// One scan per array type, each its own function: a single function fed all three types reads
// their elements through a polymorphic access, about three times slower over a million rows.
const max8 = (a: Uint8Array): number => {
  let max = -1;
  for (let r = 0; r < a.length; r++) if (a[r] > max) max = a[r];
  return max;
};
const max16 = (a: Uint16Array): number => {
  let max = -1;
  for (let r = 0; r < a.length; r++) if (a[r] > max) max = a[r];
  return max;
};
const max32 = (a: Uint32Array): number => {
  let max = -1;
  for (let r = 0; r < a.length; r++) if (a[r] > max) max = a[r];
  return max;
};

/**
 * Whether every code of a Uint8Array or Uint16Array is below `size` (1 to half the type's range),
 * four bytes or two halves per step: read as Uint32 words, a lane `b` with its top bit set, less
 * `size`, keeps its top bit exactly when b & ~top >= size (no borrow crosses lanes, as top >= size);
 * a lane that had its top bit itself is past size too. A table's typed arrays are 8-byte aligned
 * views of its one buffer; an unaligned view, or a size past the lanes' range, is left to the plain
 * scan (undefined).
 */
function codesBelow(codes: Uint8Array | Uint16Array, size: number): boolean | undefined {
  const top = codes instanceof Uint8Array ? 0x80808080 : 0x80008000;
  const lanes = codes instanceof Uint8Array ? 4 : 2;
  const repeat = codes instanceof Uint8Array ? 0x01010101 : 0x00010001;
  if (size < 1 || size > (codes instanceof Uint8Array ? 0x80 : 0x8000) || codes.byteOffset % 4 !== 0) return undefined;
  const words = new Uint32Array(codes.buffer, codes.byteOffset, Math.floor(codes.length / lanes));
  const sub = Math.imul(repeat, size) >>> 0;
  let over = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    over |= (((w | top) >>> 0) - sub) | w;
  }
  if ((over & top) !== 0) return false;
  for (let r = words.length * lanes; r < codes.length; r++) if (codes[r] >= size) return false;
  return true;
}

function checkCodes(codes: Uint8Array | Uint16Array | Uint32Array, size: number, column: string): void {
  // A code past the dictionary would read as undefined: refuse the table rather than show holes.
  // A dictionary as big as the array type's range cannot be overrun: nothing to scan.
  if (codes instanceof Uint8Array ? size >= 0x100 || (codesBelow(codes, size) ?? max8(codes) < size) : codes instanceof Uint16Array ? size >= 0x10000 || (codesBelow(codes, size) ?? max16(codes) < size) : max32(codes) < size) return;
  throw malformed(`column ${column} has an unknown code`);
}

/**
 * A million numbers as a plain array. Array.from walks the typed array through its iterator (about
 * 35 ms a million); an array made at its length and filled by index holds the doubles unboxed, as
 * the typed array did (about 6 ms), and takes the strings of the exceptions afterwards like any array.
 */
function numbersOf(f: Float64Array): CellValue[] {
  const values = new Array<CellValue>(f.length);
  for (let r = 0; r < f.length; r++) values[r] = f[r];
  return values;
}

/**
 * A number column, checked as it came and made a plain array (numbersOf, then its exceptions) when its
 * values are first read: a table's first paint reads the columns on screen, and the rest follow when
 * something needs them (the summary, a sort, the search index), instead of all of them before that paint.
 */
class NumberColumn {
  private made: CellValue[] | undefined;

  constructor(
    private readonly numbers: Float64Array,
    private readonly restRows: Uint32Array,
    private readonly restCodes: Uint32Array,
    private readonly rest: readonly CellValue[],
  ) {}

  get values(): CellValue[] {
    if (this.made) return this.made;
    const values = numbersOf(this.numbers);
    for (let i = 0; i < this.restRows.length; i++) values[this.restRows[i]] = this.rest[this.restCodes[i]];
    return (this.made = values);
  }
}

/**
 * A numbered column whose dictionary (an array of its distinct values) is built when `dict` is first
 * read: a table's first paint reads the few columns on screen, and a result has some seventy. A big
 * dictionary (LAZY_FROM strings or more) also has `entry`, one value without building the rest.
 */
class DictColumn {
  constructor(
    readonly codes: Uint8Array | Uint16Array | Uint32Array,
    private readonly decoded: DecodedDict,
    readonly entry: ((k: number) => CellValue) | undefined,
  ) {}

  get dict(): CellValue[] {
    return this.decoded.all();
  }
}

/**
 * The columns as the grid and summary read them (tablePack.ts's shape): dictionary columns keep their
 * typed codes (no array of a million values is built), number columns become plain arrays when first
 * read (NumberColumn).
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
      checkCodes(col.codes, dict.size, name);
      // Built when first read (DictColumn); a big one is read a value at a time through `entry` first.
      return new DictColumn(col.codes, dict, dict.size - col.dict.tags.length < LAZY_FROM ? undefined : dict.entry);
    }
    if (col?.kind === 'numbers') {
      if (!isTyped(col.values, Float64Array) || col.values.length !== rows) throw malformed(`column ${name} does not have ${rows} rows (${shape(col.values)})`);
      if (!isTyped(col.restRows, Uint32Array) || !isTyped(col.restCodes, Uint32Array) || col.restRows.length !== col.restCodes.length) throw malformed(`column ${name} has mismatched exceptions`);
      const rest = decodeDict(col.rest, name).all();
      checkCodes(col.restCodes, rest.length, name);
      for (let i = 0; i < col.restRows.length; i++) if (col.restRows[i] >= rows) throw malformed(`column ${name} has an exception past its rows`);
      return new NumberColumn(col.values, col.restRows, col.restCodes, rest);
    }
    throw malformed(`column ${name} is of an unknown kind`);
  });
  return { columns: columns.map(String), rows, data };
}
