import { ASCII_FROM, codeType, tagged, TAG_UNDEFINED, untagged, type BinaryColumn, type BinaryDict } from './binaryTable';

// Web-standard, global in Node and in the webview alike (core's tsconfig names neither's types).
declare const TextEncoder: new () => { encodeInto(s: string, into: Uint8Array): { read: number; written: number } };

// One column of a binary table (binaryTable.ts), built a value at a time as rows arrive: Fetch all
// appends each page's rows while it waits for the next page, so the table is nearly done when the
// last page lands. The builder grows with its rows; finishing turns its codes and dictionary into the
// typed arrays that are sent, optionally in another order than the rows arrived in (Fetch all sorts
// its rows by time at the end and drops repeats of a click).

/** Past this share of distinct values a column of numbers goes as numbers, not codes. */
const DICT_SHARE = 0.5;

/** How many leading rows decide a column's mode: the same rows whatever pages they came in. */
export const SAMPLE_ROWS = 4096;

export type Mode = 'numbers' | 'distinct' | 'dict';

/** Where a builder stood when a piece was taken: its rows, distinct strings, other values and exceptions. */
export interface PieceMark {
  rows: number;
  strings: number;
  others: number;
  rest: number;
}

/**
 * A builder's rows and values added since a mark, as Fetch all posts them to the grid while the pages
 * arrive (tablePieces.ts). The new strings are joined in `text`, `lens` long each; the new other
 * values are tagged as a dictionary's are; the rows are codes in the builder's numbering (none when
 * `each`: row r is the piece's string r), or for 'numbers' the numbers and the new exceptions.
 */
export interface PieceColumnData {
  mode: Mode;
  from: PieceMark;
  text: string;
  lens: Uint32Array;
  tags: Uint8Array;
  nums: Float64Array;
  codes?: Uint8Array | Uint16Array | Uint32Array;
  each?: true;
  values?: Float64Array;
  restRows?: Uint32Array;
  restCodes?: Uint32Array;
}
const OTHER = 0x80000000;

/** A non-string value as the builder's Map of them keys it: Map keys take NaN as NaN but -0 as 0, so -0 is kept apart. */
const keyOf = (v: unknown): unknown => (Object.is(v, -0) ? '-0' : v);

function codeArray(size: number, rows: number): Uint8Array | Uint16Array | Uint32Array {
  return new (codeType(size))(rows);
}

/** `a` with room for at least `need` items, its first `used` items kept (doubling, so appends stay linear). */
function grown<T extends Uint32Array | Float64Array>(a: T, used: number, need: number): T {
  if (need <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2, 1024));
  next.set(a.subarray(0, used) as never);
  return next;
}

/**
 * How a column goes, from its first rows (a column's kind does not change along its rows): mostly
 * distinct numbers as numbers, mostly distinct strings one entry per row, the rest numbered.
 */
export function modeOf(sample: readonly unknown[]): Mode {
  const sampled = sample.length;
  if (sampled < 16) return 'dict';
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
  if (numbers * 2 > sampled && seen.size > sampled * DICT_SHARE) return 'numbers';
  // Nearly every sampled string distinct: a dictionary would save little and cost a hash per row.
  if (strings * 2 > sampled && seenText.size > strings * 0.9) return 'distinct';
  return 'dict';
}

/**
 * Distinct values numbered in order of first appearance (strings before the rest), or, in 'numbers'
 * mode, the numbers themselves with the rows that hold something else coded apart. Whatever the rows
 * hold, every value comes back as it was: the mode only decides how compact it goes.
 */
export class ColumnBuilder {
  private readonly strings = new Map<string, number>();
  /**
   * The distinct strings in code order. Mostly distinct strings (transaction ids, IPs) skip the
   * Map: each gets its own entry, which is what a dictionary of them would hold anyway, at a
   * fraction of the hashing.
   */
  private readonly list: string[] = [];
  /**
   * What the dictionary sends, kept up to date a page at a time (at each `reserve`) so that
   * finishing in arrival order joins, measures and encodes nothing (at a million rows that was most
   * of the finishing): where each string ends, the strings joined in pieces, and, while every one
   * is ASCII, their bytes.
   */
  private ends = new Uint32Array(0);
  private textLength = 0;
  private readonly joined: string[] = [];
  private joinedUpTo = 0;
  private bytes: Uint8Array | undefined = new Uint8Array(0);
  private readonly others = new Map<unknown, number>();
  /** A code per row (dict, distinct), OTHER-flagged for non-strings. */
  private codes = new Uint32Array(0);
  /** 'numbers' mode: the number per row (NaN where the row holds something else). */
  private values = new Float64Array(0);
  /** 'numbers' mode: the rows that hold something else, and their codes. */
  private readonly restRows: number[] = [];
  private readonly restCodes: number[] = [];
  private n = 0;

  constructor(readonly mode: Mode) {}

  get rows(): number {
    return this.n;
  }

  /** Room for `more` rows beyond those added, so a page grows the arrays once. */
  reserve(more: number): void {
    this.join();
    if (this.mode === 'numbers') this.values = grown(this.values, this.n, this.n + more);
    else this.codes = grown(this.codes, this.n, this.n + more);
  }

  add(v: unknown): void {
    const r = this.n++;
    if (this.mode === 'numbers') {
      if (this.values.length <= r) this.values = grown(this.values, r, r + 1);
      if (typeof v === 'number') {
        this.values[r] = v;
        return;
      }
      this.values[r] = NaN;
      this.restRows.push(r);
      this.restCodes.push(this.codeOf(v, false));
    } else {
      if (this.codes.length <= r) this.codes = grown(this.codes, r, r + 1);
      this.codes[r] = this.codeOf(v, this.mode === 'distinct');
    }
  }

  /** The distinct strings added since the last join: joined into one piece, and as bytes while all are ASCII. */
  private join(): void {
    if (this.joinedUpTo === this.list.length) return;
    const piece = this.list.slice(this.joinedUpTo).join('');
    this.joined.push(piece);
    this.joinedUpTo = this.list.length;
    if (!this.bytes) return;
    const at = this.textLength - piece.length;
    if (this.bytes.length < this.textLength) {
      const next = new Uint8Array(Math.max(this.textLength, this.bytes.length * 2, 1024));
      next.set(this.bytes.subarray(0, at));
      this.bytes = next;
    }
    // UTF-8 of ASCII is the same bytes; any other character takes more than one, so it stops short.
    const { read, written } = new TextEncoder().encodeInto(piece, this.bytes.subarray(at, this.textLength));
    if (read !== piece.length || written !== piece.length) this.bytes = undefined;
  }

  /** A new string's code, and where it ends in the joined text. */
  private push(v: string): number {
    const k = this.list.push(v) - 1;
    if (this.ends.length <= k) this.ends = grown(this.ends, k, k + 1);
    this.ends[k] = this.textLength += v.length;
    return k;
  }

  private codeOf(v: unknown, distinct: boolean): number {
    if (typeof v === 'string') {
      if (distinct) return this.push(v);
      let code = this.strings.get(v);
      if (code === undefined) this.strings.set(v, (code = this.push(v)));
      return code;
    }
    const key = keyOf(v);
    let code = this.others.get(key);
    if (code === undefined) this.others.set(key, (code = this.others.size));
    return (code | OTHER) >>> 0;
  }

  /** The non-string values in code order (keyOf undone). */
  private otherValues(): unknown[] {
    return [...this.others.keys()].map((k) => (k === '-0' ? -0 : k));
  }

  /** Where the column stands now: what a piece (tablePieces.ts) taken later starts from. */
  mark(): PieceMark {
    return { rows: this.n, strings: this.list.length, others: this.others.size, rest: this.restRows.length };
  }

  /**
   * What was added since `from` (a `mark()` of this builder, or all zeros): the new rows' codes (or
   * numbers), the new distinct values and exceptions. Codes keep the builder's numbering (strings by
   * first appearance, other values flagged), so a builder that `absorb`s every piece in turn holds
   * what this one holds and finishes to the same column.
   */
  piece(from: PieceMark): PieceColumnData {
    const strings = this.list.slice(from.strings);
    const lens = new Uint32Array(strings.length);
    for (let k = 0; k < strings.length; k++) lens[k] = strings[k].length;
    const base = { mode: this.mode, from, text: strings.join(''), lens, ...tagged(this.otherValues().slice(from.others)) };
    if (this.mode === 'numbers') {
      return { ...base, values: this.values.slice(from.rows, this.n), restRows: Uint32Array.from(this.restRows.slice(from.rest)), restCodes: Uint32Array.from(this.restCodes.slice(from.rest)) };
    }
    const codes = this.codes.subarray(from.rows, this.n);
    // Each row a new string, numbered in turn (transaction ids): the codes need not go.
    let each = codes.length > 0 && strings.length === codes.length;
    for (let r = 0; each && r < codes.length; r++) each = codes[r] === from.strings + r;
    if (each) return { ...base, each: true };
    let max = 0;
    for (let r = 0; r < codes.length; r++) if (codes[r] > max) max = codes[r];
    const narrow = max < 0x100 ? Uint8Array : max < 0x10000 ? Uint16Array : Uint32Array;
    const sent = new narrow(codes.length);
    sent.set(codes);
    return { ...base, codes: sent };
  }

  /**
   * Takes a piece of another builder's rows (`piece`), checked against what this one holds: a piece
   * that does not start where this builder stands, or codes past its values, throw and change nothing.
   */
  absorb(p: PieceColumnData): void {
    const bad = (what: string): Error => new Error(`a piece of the table ${what}`);
    const { from } = p;
    if (p.mode !== this.mode) throw bad('changes its column\'s kind');
    if (from.rows !== this.n || from.strings !== this.list.length || from.others !== this.others.size || from.rest !== this.restRows.length) throw bad('does not follow the one before');
    if (typeof p.text !== 'string' || !(p.lens instanceof Uint32Array) || !(p.tags instanceof Uint8Array) || !(p.nums instanceof Float64Array) || p.tags.length !== p.nums.length) throw bad('has no valid values');
    let length = 0;
    for (let k = 0; k < p.lens.length; k++) length += p.lens[k];
    if (length !== p.text.length) throw bad('has values that do not add up');
    // Every other value new to this builder (a repeat would shift the codes after it).
    const keys = Array.from(p.tags, (tag, i): unknown => {
      if (tag > TAG_UNDEFINED) throw bad('has an unknown value tag');
      return keyOf(untagged(tag, p.nums[i]));
    });
    if (keys.some((k) => this.others.has(k)) || new Set(keys).size !== keys.length) throw bad('has values it had before');
    const nStrings = this.list.length + p.lens.length;
    const nOthers = this.others.size + keys.length;
    const known = (code: number): boolean => (code & OTHER ? (code & ~OTHER) >>> 0 < nOthers : code < nStrings);
    let rows: number;
    if (this.mode === 'numbers') {
      const { values, restRows, restCodes } = p;
      if (!(values instanceof Float64Array) || !(restRows instanceof Uint32Array) || !(restCodes instanceof Uint32Array) || restRows.length !== restCodes.length) throw bad('has no valid rows');
      rows = values.length;
      let last = from.rows - 1;
      for (let i = 0; i < restRows.length; i++) {
        if (restRows[i] <= last || restRows[i] >= from.rows + rows || !known(restCodes[i])) throw bad('has an exception out of place');
        last = restRows[i];
      }
    } else if (p.each === true) {
      rows = p.lens.length;
    } else {
      const { codes } = p;
      if (!(codes instanceof Uint8Array || codes instanceof Uint16Array || codes instanceof Uint32Array)) throw bad('has no valid rows');
      rows = codes.length;
      for (let r = 0; r < rows; r++) if (!known(codes[r])) throw bad('has an unknown code');
    }
    // Checked: now taken in.
    let at = 0;
    for (let k = 0; k < p.lens.length; k++) this.push(p.text.slice(at, (at += p.lens[k])));
    for (const k of keys) this.others.set(k, this.others.size);
    this.reserve(rows);
    if (this.mode === 'numbers') {
      this.values.set(p.values!, from.rows);
      for (let i = 0; i < p.restRows!.length; i++) {
        this.restRows.push(p.restRows![i]);
        this.restCodes.push(p.restCodes![i]);
      }
    } else if (p.each === true) {
      for (let r = 0; r < rows; r++) this.codes[from.rows + r] = from.strings + r;
    } else {
      this.codes.set(p.codes!, from.rows);
    }
    this.n += rows;
  }

  /**
   * The column as sent. `order[i]` is the added row that becomes row i (Fetch all's rows sorted, its
   * repeats dropped); without it the rows go as added. Values numbered again in the order their rows
   * go, so the result is what building the column from the rows in that order would give (in the
   * same mode), and values only the dropped rows held are left out.
   *
   * `copied`: the column goes straight to binaryTable.ts's oneBuffer, which copies every array into
   * the one buffer and narrows codes to what their dictionary needs. The rows' numbers and codes are
   * then handed over as views of this builder's own arrays, wide, so they are copied once, not twice.
   */
  finish(order?: Uint32Array, copied = false): BinaryColumn {
    const strings = this.list;
    const others = this.otherValues();
    if (this.mode === 'numbers') {
      const rows = order ? order.length : this.n;
      const values = !order && copied ? this.values.subarray(0, rows) : new Float64Array(rows);
      if (!order && !copied) values.set(this.values.subarray(0, rows));
      // The codes of the other rows, by added row (only when some row holds something else).
      const restAt = order && this.restRows.length ? new Int32Array(this.n).fill(-1) : undefined;
      if (restAt) this.restRows.forEach((r, i) => (restAt[r] = this.restCodes[i]));
      const restRows: number[] = [];
      const restCodes: number[] = [];
      if (order) {
        for (let i = 0; i < rows; i++) {
          const from = order[i];
          values[i] = this.values[from];
          const code = restAt ? restAt[from] : -1;
          if (code >= 0) {
            restRows.push(i);
            restCodes.push(code);
          }
        }
      } else {
        restRows.push(...this.restRows);
        restCodes.push(...this.restCodes);
      }
      // In another order the exceptions are numbered again too (their rows are in order already).
      const restOrder = order ? Uint32Array.from(restCodes.keys()) : undefined;
      const renumbered = renumber(Uint32Array.from(restCodes), restOrder, strings.length, others.length);
      return { kind: 'numbers', values, restRows: Uint32Array.from(restRows), ...dictOf(strings, others, renumbered, 'rest', this.sent(renumbered)) };
    }
    const renumbered = renumber(this.codes.subarray(0, this.n), order, strings.length, others.length, copied);
    return { kind: 'codes', ...dictOf(strings, others, renumbered, 'codes', this.sent(renumbered)) };
  }

  /** The strings' part of the dictionary as kept while the rows came, when they go in that order. */
  private sent(r: Renumbered): Sent | undefined {
    if (r.stringOrder) return undefined;
    this.join();
    const ends = this.ends.subarray(0, this.list.length);
    // Long ASCII text goes as its bytes (binaryTable.ts's oneBuffer would encode it so anyway).
    if (this.bytes && this.textLength >= ASCII_FROM) return { text: '', ascii: this.bytes.subarray(0, this.textLength), ends };
    return { text: this.joined.join(''), ends };
  }
}

interface Renumbered {
  /** Codes as sent: strings first, then the other values. */
  codes: Uint8Array | Uint16Array | Uint32Array;
  /** The string (other value) each new string (other) code stands for, or undefined when kept as they were. */
  stringOrder?: number[];
  otherOrder?: number[];
  nStrings: number;
  nOthers: number;
}

/**
 * The rows' codes in `order`, numbered by first appearance in it. Without an order the codes were
 * given in first-appearance order already: only the others are moved past the strings.
 */
function renumber(tmp: Uint32Array, order: Uint32Array | undefined, nStrings: number, nOthers: number, copied = false): Renumbered {
  if (!order) {
    // Strings only: the codes are final as they are (oneBuffer narrows them as it copies).
    if (copied && nOthers === 0) return { codes: tmp, nStrings, nOthers };
    const codes = codeArray(nStrings + nOthers, tmp.length);
    // Strings only, or other values only in a narrower array: the codes are final but for the flag,
    // which a narrowing copy drops (it keeps the low bits). One native copy instead of a loop.
    if (nOthers === 0 || (nStrings === 0 && !(codes instanceof Uint32Array))) {
      codes.set(tmp);
      return { codes, nStrings, nOthers };
    }
    for (let r = 0; r < tmp.length; r++) {
      const t = tmp[r];
      codes[r] = t & OTHER ? nStrings + (t & ~OTHER) : t;
    }
    return { codes, nStrings, nOthers };
  }
  const newString = new Int32Array(nStrings).fill(-1);
  const newOther = new Int32Array(nOthers).fill(-1);
  const stringOrder: number[] = [];
  const otherOrder: number[] = [];
  const flagged = new Uint32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const t = tmp[order[i]];
    if (t & OTHER) {
      const o = t & ~OTHER;
      let k = newOther[o];
      if (k < 0) k = newOther[o] = otherOrder.push(o) - 1;
      flagged[i] = (k | OTHER) >>> 0;
    } else {
      let k = newString[t];
      if (k < 0) k = newString[t] = stringOrder.push(t) - 1;
      flagged[i] = k;
    }
  }
  const done = renumber(flagged, undefined, stringOrder.length, otherOrder.length, copied);
  return { ...done, stringOrder, otherOrder };
}

/** The strings of a dictionary as sent. */
type Sent = Pick<BinaryDict, 'text' | 'ascii' | 'ends'>;

/** `sent`: the kept strings already joined and measured, when they are `strings` in their order. */
function dictOf(strings: readonly string[], others: readonly unknown[], r: Renumbered, as: 'codes', sent?: Sent): { dict: BinaryDict; codes: Uint8Array | Uint16Array | Uint32Array };
function dictOf(strings: readonly string[], others: readonly unknown[], r: Renumbered, as: 'rest', sent?: Sent): { rest: BinaryDict; restCodes: Uint32Array };
function dictOf(strings: readonly string[], others: readonly unknown[], r: Renumbered, as: 'codes' | 'rest', sent?: Sent): object {
  const kept = r.stringOrder ? r.stringOrder.map((k) => strings[k]) : strings;
  const keptOthers = r.otherOrder ? r.otherOrder.map((k) => others[k]) : others;
  let ends = sent?.ends;
  if (!ends) {
    ends = new Uint32Array(kept.length);
    let at = 0;
    for (let k = 0; k < kept.length; k++) ends[k] = at += kept[k].length;
  }
  const { tags, nums } = tagged(keptOthers);
  const dict: BinaryDict = sent ? { ...sent, tags, nums } : { text: kept.join(''), ends, tags, nums };
  if (as === 'codes') return { dict, codes: r.codes };
  // Exception codes stay 32-bit: the decoder reads them as Uint32Array whatever their count.
  return { rest: dict, restCodes: r.codes instanceof Uint32Array ? r.codes : Uint32Array.from(r.codes) };
}
