import type { CellValue } from './columns';
import type { PackedColumn, PackedTable } from './tablePack';

// The flat table as it crosses to the results webview at a million rows. VS Code (1.57+) moves
// ArrayBuffers and typed arrays of a webview message as binary next to the JSON of the rest, so the
// bulk of a table goes as typed arrays: a code per row into each column's distinct values, or the
// numbers themselves for columns of mostly distinct numbers (times, amounts). The distinct strings of
// a column travel as ONE string (their concatenation) plus where each ends: one JSON string value
// whatever the number of distinct values, and JSON keeps every UTF-16 unit (lone surrogates too), which
// a UTF-8 byte buffer would not; a long one goes as its bytes instead (`ascii` when all ASCII, else
// `utf8` when it has no lone surrogate). Values that are not strings (numbers, booleans, and the null or
// undefined a hostile row may hold) are tagged and kept in a Float64Array, so NaN, ±Infinity and -0
// survive too.
//
// Every byte of the table is copied four times on its way (VS Code's RPC buffer, the process hop, the
// workbench's copy, the clone into the webview's frame), so what need not travel does not: an array
// equal to another column's (a hash column numbered like the id it hashes, `time` and
// `unix_timestamp`) is sent once and both columns view the same bytes; a column whose every row is
// a new value (transaction ids) sends no codes at all (`each`); whole numbers that fit 32 bits go as
// a Uint32Array; a big dictionary sends its strings' lengths in a byte each, not where each ends.

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
  /**
   * The joined strings as UTF-8 when they are long, not all ASCII and have no lone surrogate (which
   * UTF-8 cannot hold): the JSON of them would be escaped, parsed and cloned as a string. `ends`
   * still count UTF-16 units of the decoded text.
   */
  utf8?: Uint8Array;
  /** Where each string ends (empty when `lens` is sent instead). */
  ends: Uint32Array;
  /**
   * A big dictionary's string lengths, when each fits a byte (or two): a quarter (a half) of `ends`,
   * which the webview adds up again.
   */
  lens?: Uint8Array | Uint16Array;
  /** One per non-string value: see TAG_*. */
  tags: Uint8Array;
  /** The number of each non-string value tagged TAG_NUMBER (0 otherwise). */
  nums: Float64Array;
}

export type BinaryColumn =
  /** A code per row into `dict` (strings, then the other values). */
  | { kind: 'codes'; dict: BinaryDict; codes: Uint8Array | Uint16Array | Uint32Array }
  /** Row r is entry r of `dict` (every row a new value, as transaction ids are): the codes are not sent. */
  | { kind: 'each'; dict: BinaryDict }
  /**
   * Mostly distinct numbers: the number per row (as a Uint32Array when every one is a whole number
   * that fits); the rows that hold something else, coded into `rest` (their `values` are not read).
   */
  | { kind: 'numbers'; values: Float64Array | Uint32Array; restRows: Uint32Array; rest: BinaryDict; restCodes: Uint32Array };

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

/** Non-string values as a dictionary sends them: a tag each, and the number of those tagged TAG_NUMBER. */
export function tagged(values: readonly unknown[]): { tags: Uint8Array; nums: Float64Array } {
  const tags = new Uint8Array(values.length);
  const nums = new Float64Array(values.length);
  values.forEach((v, k) => {
    if (typeof v === 'number') {
      tags[k] = TAG_NUMBER;
      nums[k] = v;
    } else tags[k] = v === true ? TAG_TRUE : v === false ? TAG_FALSE : v === null ? TAG_NULL : TAG_UNDEFINED;
  });
  return { tags, nums };
}

/** The value `tagged` sent as `tag` (and `num`); the caller checks the tag is known (≤ TAG_UNDEFINED). */
export function untagged(tag: number, num: number): number | boolean | null | undefined {
  return tag === TAG_NUMBER ? num : tag === TAG_TRUE ? true : tag === TAG_FALSE ? false : tag === TAG_NULL ? null : undefined;
}

type Typed = Uint8Array | Uint16Array | Uint32Array | Float64Array;
type TypedType = new (b: ArrayBuffer, o: number, n: number) => Typed;

// Web-standard codecs, global in Node and in the webview alike (core's tsconfig names neither's types).
declare const TextEncoder: new () => { encode(s: string): Uint8Array; encodeInto(s: string, into: Uint8Array): { read: number; written: number } };
declare const TextDecoder: new (label: 'utf-8', options: { fatal: boolean; ignoreBOM?: boolean }) => { decode(b: Uint8Array): string };

/** The narrowest code array for a dictionary of `size` values. */
export function codeType(size: number): Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor {
  return size <= 0x100 ? Uint8Array : size <= 0x10000 ? Uint16Array : Uint32Array;
}

/** Anything past ASCII (a long text that has some is sent as JSON, not bytes). */
const NOT_ASCII = /[\u0080-\uffff]/;

/** Joined strings shorter than this stay JSON: bytes pay off only for the big ones. */
export const ASCII_FROM = 1024;

/** Whether every string of `s` is whole (no lone surrogate, which UTF-8 cannot carry). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
function wellFormed(s: string): boolean {
  const native = (s as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(s) : !LONE_SURROGATE.test(s);
}

/** Arrays shorter than this are not compared with other columns' (a few kilobytes saved at most). */
const SHARE_FROM = 4096;

/** Whether two arrays hold the same values, bit for bit (NaN and -0 of a Float64Array included). */
function sameBits(a: Typed, b: Typed): boolean {
  if (a.length !== b.length) return false;
  if (a.constructor !== b.constructor) {
    // Codes of one dictionary size, one still wide as the builder kept it: compared by value.
    if (a instanceof Float64Array || b instanceof Float64Array) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  // Four bytes at a time where both views are aligned, then the bytes left.
  const words = a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0 ? Math.floor(a.byteLength / 4) : 0;
  const x = new Uint32Array(a.buffer, a.byteOffset, words);
  const y = new Uint32Array(b.buffer, b.byteOffset, words);
  for (let i = 0; i < words; i++) if (x[i] !== y[i]) return false;
  const p = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const q = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = words * 4; i < p.length; i++) if (p[i] !== q[i]) return false;
  return true;
}

/** The strings' lengths from where they end, in bytes (or 16 bits) when all fit; else undefined. */
function lengthsOf(ends: Uint32Array): Uint8Array | Uint16Array | undefined {
  let max = 0;
  let start = 0;
  for (let k = 0; k < ends.length; k++) {
    const n = ends[k] - start;
    if (n > max) max = n;
    start = ends[k];
  }
  if (max > 0xffff) return undefined;
  const lens = max > 0xff ? new Uint16Array(ends.length) : new Uint8Array(ends.length);
  start = 0;
  for (let k = 0; k < ends.length; k++) {
    lens[k] = ends[k] - start;
    start = ends[k];
  }
  return lens;
}

/** Where each string ends, from the lengths sent (refused past 32 bits, which no text reaches). */
function endsOf(lens: Uint8Array | Uint16Array, column: string): Uint32Array {
  const ends = new Uint32Array(lens.length);
  let at = 0;
  for (let k = 0; k < lens.length; k++) ends[k] = at += lens[k];
  if (at > 0xffffffff) throw malformed(`column ${column} has a dictionary that does not add up`);
  return ends;
}

/** Whether codes[r] is r for every row (each row a new value, numbered in order). */
function isEach(codes: ArrayLike<number>): boolean {
  for (let r = 0; r < codes.length; r++) if (codes[r] !== r) return false;
  return true;
}

/**
 * The numbers as a Uint32Array when every one is a whole number in [0, 2^32) (-0 is not), the rows
 * holding something else aside (NaN in `values`, their values are read from `rest`); else undefined.
 */
function asUint32(values: Float64Array, exceptions: number): Uint32Array | undefined {
  let nan = 0;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (v >>> 0 === v) {
      if (v === 0 && 1 / v < 0) return undefined;
    } else if (v !== v) nan++;
    else return undefined;
  }
  // Every NaN must be an exception's: a row whose number IS NaN keeps its Float64.
  if (nan !== exceptions) return undefined;
  // A native converting copy (Uint32Array.from went element by element, at times hundreds of ms a million).
  const whole = new Uint32Array(values.length);
  whole.set(values);
  return whole;
}

/**
 * Every typed array of the table moved into views of ONE ArrayBuffer (each 8-byte aligned, as a
 * Float64Array needs). VS Code sends each distinct ArrayBuffer of a message as an argument of one
 * internal call, and with a few hundred of them (five per column) the webview got empty arrays; one
 * buffer is also one copy instead of hundreds. On the way, what need not travel is left out (see the
 * top of this file): arrays equal to an earlier column's, codes that are the row numbers, the width
 * numbers do not need, and long text goes as bytes.
 */
export function oneBuffer(table: BinaryTable): BinaryTable {
  const padded = (n: number): number => Math.ceil(n / 8) * 8;
  // Per-row arrays equal to one met before go once: `sameAs` maps each to the first of its kind.
  const sameAs = new Map<Typed, Typed>();
  const firsts = new Map<string, Typed[]>();
  const share = (a: Typed, key: string): void => {
    if (a.length < SHARE_FROM) return;
    const list = firsts.get(key) ?? [];
    firsts.set(key, list);
    const first = list.find((b) => b === a || sameBits(a, b));
    if (first) sameAs.set(a, first);
    else list.push(a);
  };
  const sizeOf = (d: BinaryDict): number => (d.lens ?? d.ends).length + d.tags.length;
  const narrowed = new Map<Float64Array, Uint32Array>();
  const each = new Set<BinaryColumn>();
  for (const col of table.cols) {
    if (col.kind === 'codes') {
      const size = sizeOf(col.dict);
      if (size === col.codes.length && size >= SHARE_FROM && isEach(col.codes)) each.add(col);
      else share(col.codes, `codes ${size}`);
    } else if (col.kind === 'numbers') {
      const u32 = col.values instanceof Float64Array ? asUint32(col.values, col.restRows.length) : undefined;
      if (u32) narrowed.set(col.values as Float64Array, u32);
      share(u32 ?? col.values, `${u32 ? 'u32' : 'f64'} ${col.values.length}`);
    }
  }
  let bytes = 0;
  const counted = new Set<Typed>();
  const count = (a: Typed, width = a.BYTES_PER_ELEMENT): void => {
    if (a.length >= SHARE_FROM) {
      const first = sameAs.get(a) ?? a;
      if (counted.has(first)) return;
      counted.add(first);
    }
    bytes += padded(a.length * width);
  };
  // A big dictionary's lengths, where they fit 16 bits.
  const lensOf = new Map<BinaryDict, Uint8Array | Uint16Array>();
  for (const col of table.cols) {
    const d = col.kind === 'numbers' ? col.rest : col.dict;
    const lens = d.lens ?? (d.ends.length >= SHARE_FROM ? lengthsOf(d.ends) : undefined);
    if (lens) lensOf.set(d, lens);
  }
  const dict = (d: BinaryDict): void => {
    const lens = lensOf.get(d);
    bytes += (lens ? padded(lens.byteLength) : padded(d.ends.byteLength)) + padded(d.tags.byteLength) + padded(d.nums.byteLength);
  };
  for (const col of table.cols) {
    if (col.kind === 'codes') {
      if (!each.has(col)) count(col.codes, codeType(sizeOf(col.dict)).BYTES_PER_ELEMENT);
      dict(col.dict);
    } else if (col.kind === 'each') {
      dict(col.dict);
    } else {
      count(narrowed.get(col.values as Float64Array) ?? col.values);
      bytes += padded(col.restRows.byteLength) + padded(col.restCodes.byteLength);
      dict(col.rest);
    }
  }
  // Room for each long text as bytes: ASCII (one byte a character, found not to be in its first few
  // characters, mostly, so nothing is encoded twice) or UTF-8 (encoded now, to know its length).
  let textBytes = 0;
  const asBytes = new Set<BinaryDict>();
  const utf8 = new Map<BinaryDict, Uint8Array>();
  const encoder = new TextEncoder();
  for (const col of table.cols) {
    const d = col.kind === 'numbers' ? col.rest : col.dict;
    const kept = d.ascii ?? d.utf8;
    if (kept) textBytes += padded(kept.length);
    else if (d.text.length >= ASCII_FROM) {
      if (!NOT_ASCII.test(d.text)) {
        asBytes.add(d);
        textBytes += padded(d.text.length);
      } else if (wellFormed(d.text)) {
        const encoded = encoder.encode(d.text);
        utf8.set(d, encoded);
        textBytes += padded(encoded.length);
      }
    }
  }
  const buffer = new ArrayBuffer(bytes + textBytes);
  let at = 0;
  const placed = new Map<TypedType, Map<Typed, Typed>>();
  // `as`: the type the copy takes (codes are narrowed to what their dictionary needs as they are copied).
  const move = <T extends Typed>(a: T, as: TypedType = a.constructor as TypedType): T => {
    const view = new as(buffer, at, a.length) as T;
    view.set(a as never);
    at += padded(view.byteLength);
    return view;
  };
  /** A per-row array: placed once, whichever columns hold it. */
  const moveShared = <T extends Typed>(a: T, as?: TypedType): T => {
    if (a.length < SHARE_FROM) return move(a, as);
    const first = sameAs.get(a) ?? a;
    const type = as ?? (first.constructor as TypedType);
    const ofType = placed.get(type) ?? new Map<Typed, Typed>();
    placed.set(type, ofType);
    let view = ofType.get(first);
    if (!view) ofType.set(first, (view = move(first, type)));
    return view as T;
  };
  const codesOf = (codes: Uint8Array | Uint16Array | Uint32Array, d: BinaryDict): Uint8Array | Uint16Array | Uint32Array =>
    moveShared(codes, codeType(sizeOf(d)) as unknown as TypedType);
  const moveText = (d: BinaryDict): Pick<BinaryDict, 'text' | 'ascii' | 'utf8'> => {
    if (d.ascii) return { text: '', ascii: move(d.ascii) };
    if (d.utf8) return { text: '', utf8: move(d.utf8) };
    const encoded = utf8.get(d);
    if (encoded) return { text: '', utf8: move(encoded) };
    if (!asBytes.has(d)) return { text: d.text };
    const bytes = new Uint8Array(buffer, at, d.text.length);
    at += padded(d.text.length);
    // UTF-8 of ASCII is the same bytes; any other character takes more than one, so it stops short.
    const { read, written } = encoder.encodeInto(d.text, bytes);
    return read === d.text.length && written === d.text.length ? { text: '', ascii: bytes } : { text: d.text };
  };
  const moveDict = (d: BinaryDict): BinaryDict => {
    const lens = lensOf.get(d);
    const where = lens ? { ends: new Uint32Array(buffer, at, 0), lens: move(lens) } : { ends: move(d.ends) };
    return { ...moveText(d), ...where, tags: move(d.tags), nums: move(d.nums) };
  };
  const cols = table.cols.map((col): BinaryColumn => {
    if (col.kind === 'codes') return each.has(col) ? { kind: 'each', dict: moveDict(col.dict) } : { kind: 'codes', codes: codesOf(col.codes, col.dict), dict: moveDict(col.dict) };
    if (col.kind === 'each') return { kind: 'each', dict: moveDict(col.dict) };
    const values = narrowed.get(col.values as Float64Array) ?? col.values;
    return { kind: 'numbers', values: moveShared(values), restRows: move(col.restRows), restCodes: move(col.restCodes), rest: moveDict(col.rest) };
  });
  return { columns: table.columns, rows: table.rows, cols };
}

/** Every ArrayBuffer of an encoded table (for a transfer list, or to count the bytes). */
export function tableBuffers(table: BinaryTable): ArrayBufferLike[] {
  const out: ArrayBufferLike[] = [];
  const dict = (d: BinaryDict): void =>
    void out.push(...[d.ascii, d.utf8, d.lens].filter((a) => a !== undefined).map((a) => a.buffer), d.ends.buffer, d.tags.buffer, d.nums.buffer);
  for (const col of table.cols) {
    if (col.kind === 'codes') {
      out.push(col.codes.buffer);
      dict(col.dict);
    } else if (col.kind === 'each') {
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

/**
 * UTF-8 bytes as text. Bad UTF-8 throws (fatal), so no byte becomes U+FFFD unseen; a leading U+FEFF
 * is a character of the first string, kept (ignoreBOM). `ends` then check the text's length.
 */
function utf8Text(bytes: Uint8Array, column: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw malformed(`column ${column} has a dictionary that is not UTF-8`);
  }
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
  if (d.utf8 !== undefined && (!isTyped(d.utf8, Uint8Array) || d.text !== '' || d.ascii !== undefined)) throw malformed(`column ${column} has no valid dictionary`);
  if (d.lens !== undefined && (!isTyped(d.lens, Uint8Array, Uint16Array) || d.ends.length !== 0)) throw malformed(`column ${column} has no valid dictionary`);
  const { ascii, tags, nums } = d;
  const ends = d.lens ? endsOf(d.lens, column) : d.ends;
  const strings = ends.length;
  // A big dictionary's ASCII bytes stay bytes until its values are all wanted (checked now, though).
  if (ascii && strings >= LAZY_FROM && !allAscii(ascii)) throw malformed(`column ${column} has a dictionary that is not ASCII`);
  let text = ascii ? (strings >= LAZY_FROM ? undefined : asciiText(ascii, column)) : d.utf8 ? utf8Text(d.utf8, column) : d.text;
  const length = ascii ? ascii.length : text!.length;
  // Checked now, built or not: a table that does not add up is refused before it is shown.
  let start = 0;
  for (let k = 0; k < strings; k++) {
    const end = ends[k];
    if (end < start || end > length) throw malformed(`column ${column} has a dictionary that does not add up`);
    start = end;
  }
  // The strings are the whole text: bytes that decode to more than they should are refused too.
  if (start !== length) throw malformed(`column ${column} has a dictionary that does not add up`);
  for (let k = 0; k < tags.length; k++) if (tags[k] > TAG_UNDEFINED) throw malformed(`column ${column} has an unknown value tag`);
  // null and undefined are not CellValues; they stay what they were so the grid shows what it did.
  const other = (k: number): CellValue => untagged(tags[k], nums[k]) as CellValue;
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

/** numbersOf for whole numbers sent as 32 bits (its own function: one array type per loop). */
function wholeNumbersOf(f: Uint32Array): CellValue[] {
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
    private readonly numbers: Float64Array | Uint32Array,
    private readonly restRows: Uint32Array,
    private readonly restCodes: Uint32Array,
    private readonly rest: readonly CellValue[],
  ) {}

  get values(): CellValue[] {
    if (this.made) return this.made;
    const values = this.numbers instanceof Float64Array ? numbersOf(this.numbers) : wholeNumbersOf(this.numbers);
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
  // The row numbers as codes, made once for every `each` column (nothing writes to codes).
  let rowNumbers: Uint32Array | undefined;
  const data = cols.map((col, c): PackedColumn => {
    const name = String(columns[c]);
    if (col?.kind === 'codes' || col?.kind === 'each') {
      if (col.kind === 'codes' && (!isTyped(col.codes, Uint8Array, Uint16Array, Uint32Array) || col.codes.length !== rows)) throw malformed(`column ${name} does not have ${rows} rows (${shape(col.codes)})`);
      const dict = decodeDict(col.dict, name);
      let codes: Uint8Array | Uint16Array | Uint32Array;
      if (col.kind === 'codes') {
        checkCodes(col.codes, dict.size, name);
        codes = col.codes;
      } else {
        // Row r reads entry r: every row has one when there are as many entries as rows.
        if (dict.size < rows) throw malformed(`column ${name} has fewer values than its ${rows} rows`);
        if (!rowNumbers) {
          rowNumbers = new Uint32Array(rows);
          for (let r = 0; r < rows; r++) rowNumbers[r] = r;
        }
        codes = rowNumbers;
      }
      // Built when first read (DictColumn); a big one is read a value at a time through `entry` first.
      return new DictColumn(codes, dict, dict.size - col.dict.tags.length < LAZY_FROM ? undefined : dict.entry);
    }
    if (col?.kind === 'numbers') {
      if (!isTyped(col.values, Float64Array, Uint32Array) || col.values.length !== rows) throw malformed(`column ${name} does not have ${rows} rows (${shape(col.values)})`);
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
