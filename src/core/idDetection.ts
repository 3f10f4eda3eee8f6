// Finds Everflow click transaction ids in log text, for hovers and bulk look-up.
//
// The format alone cannot tell a transaction id from an md5: both are 32 hex characters, and a click
// row itself carries `idfa_md5`, `google_ad_id_md5` and `android_id_md5`. So a candidate must be a
// whole token, and then the key written in front of it decides: a hash-like key (`idfa_md5=…`,
// `"etag": "…"`) rules it out, a click-id key (`tid=…`) rules it in, and no recognisable key counts
// as an id, because ids pasted into tickets or URL paths carry no key at all. A bare md5 with no key
// in front is therefore taken for an id; the corpus tests measure what that costs.

/** The default pattern (a regular-expression source); users may configure another in settings. */
export const DEFAULT_ID_PATTERN = '[0-9a-fA-F]{32}';

/**
 * Keys whose values are never click ids: hashes, and the tracing and request ids and signatures
 * that logs carry beside them in the same 32-hex shape. `*_suffix` matches any key ending in that
 * word.
 */
export const DEFAULT_HASH_FIELD_NAMES: readonly string[] = [
  'idfa_md5',
  'idfa_sha1',
  'google_ad_id_md5',
  'google_ad_id_sha1',
  'android_id_md5',
  'android_id_sha1',
  'md5',
  'sha1',
  'hash',
  'checksum',
  'etag',
  // Tracing and request correlation: 32-hex in W3C trace context and nginx's $request_id.
  'trace_id',
  'span_id',
  'request_id',
  'req_id',
  'correlation_id',
  'x_request_id',
  // Postback and webhook signatures (an HMAC-MD5 is 32 hex).
  'sig',
  'signature',
  '*_md5',
  '*_sha1',
  '*_hash',
];

/** Keys that name a click id; they win over any hash-like name a user configures. */
export const CLICK_ID_FIELD_NAMES: readonly string[] = [
  'transaction_id',
  'tid',
  'click_id',
  'clickid',
  'ef_transaction_id',
  '_ef_transaction_id',
];

export interface DetectedId {
  /** Lower-cased: Everflow's ids are lower-case hex, and a pasted upper-case copy is the same click. */
  id: string;
  /** Offsets in the line, end exclusive. */
  start: number;
  end: number;
}

export interface DetectedIdInText extends DetectedId {
  /** 0-based line number. */
  line: number;
}

export interface IdDetectorOptions {
  /** A regular-expression source; invalid or empty-matching patterns fall back to the default. */
  pattern?: string;
  /** Replaces `DEFAULT_HASH_FIELD_NAMES`. */
  hashFieldNames?: readonly string[];
}

export interface IdDetector {
  detectInLine(line: string): DetectedId[];
  /** The id under `character` (start ≤ character ≤ end, so the caret just after an id counts too). */
  idAt(line: string, character: number): DetectedId | undefined;
  /** Why the configured pattern was not used; undefined when it was. */
  readonly error?: string;
}

/**
 * Past this length a hover scans only a window around the pointer: minified JSON or a base64 blob
 * can put megabytes on one line, and a hover must answer in well under a frame.
 */
const LONG_LINE = 10_000;
const HOVER_WINDOW = 512;
/** How far back the key in front of a value is looked for; keeps classification O(1) per match. */
const KEY_LOOKBACK = 160;
/** A key longer than this is not a field name; reading stops there. */
const MAX_KEY = 64;

/**
 * Token edges are enforced inside the regular expression, so a 40- or 64-hex run fails at its first
 * character instead of yielding 32-character slices. A `%XX` escape right before counts as an edge,
 * because `…%3D<id>` in an encoded URL would otherwise be glued to the `D`.
 */
const TOKEN_START = '(?:(?<![0-9A-Za-z_])|(?<=%[0-9A-Fa-f]{2}))';
const TOKEN_END = '(?![0-9A-Za-z_])';

export function createIdDetector(opts: IdDetectorOptions = {}): IdDetector {
  const { regex, error } = compilePattern(opts.pattern);
  const hashNames = compileNames(opts.hashFieldNames ?? DEFAULT_HASH_FIELD_NAMES);
  const clickNames = compileNames(CLICK_ID_FIELD_NAMES);

  const counts = (line: string, start: number): boolean => {
    const key = keyBefore(line, start);
    if (key === undefined) return true;
    if (clickNames.matches(key)) return true;
    return !hashNames.matches(key);
  };

  /**
   * Scans `line[from, to)`; the key in front is always read from the whole line. A token cut by a
   * window edge is matched wrongly but harmlessly: ids are far shorter than the window, so a cut
   * token never holds the hovered character and `idAt` drops it.
   */
  const scan = (line: string, from: number, to: number, stopAfter?: number): DetectedId[] => {
    const text = from === 0 && to === line.length ? line : line.slice(from, to);
    const out: DetectedId[] = [];
    // A fresh lastIndex per call; the detector is shared by every caller and never re-entered.
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      // A user pattern may still match empty somewhere the probes did not try; step over it.
      if (m[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      const start = from + m.index;
      const end = start + m[0].length;
      if (stopAfter !== undefined && start > stopAfter) break;
      if (counts(line, start)) out.push({ id: m[0].toLowerCase(), start, end });
    }
    return out;
  };

  return {
    error,
    detectInLine: (line) => scan(line, 0, line.length),
    idAt(line, character) {
      if (character < 0 || character > line.length) return undefined;
      const long = line.length > LONG_LINE;
      const from = long ? Math.max(0, character - HOVER_WINDOW) : 0;
      const to = long ? Math.min(line.length, character + HOVER_WINDOW) : line.length;
      return scan(line, from, to, character).find((d) => d.start <= character && character <= d.end);
    },
  };
}

/** Every id in `text` with its line number, in reading order. */
export function detectInText(text: string, detector: IdDetector): DetectedIdInText[] {
  const out: DetectedIdInText[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let line = 0; line < lines.length; line++) {
    for (const d of detector.detectInLine(lines[line])) out.push({ line, ...d });
  }
  return out;
}

/** Distinct ids in first-seen order, so a bulk look-up asks for each click once. */
export function uniqueIds(found: readonly { id: string }[]): string[] {
  return [...new Set(found.map((d) => d.id))];
}

// ---- the pattern ---------------------------------------------------------------------------------

interface Compiled {
  regex: RegExp;
  error?: string;
}

function wrap(source: string): RegExp {
  // Wrapped in a non-capturing group so a user's `a|b` stays inside the token edges.
  return new RegExp(`${TOKEN_START}(?:${source})${TOKEN_END}`, 'g');
}

function compilePattern(pattern: string | undefined): Compiled {
  if (pattern === undefined || pattern === DEFAULT_ID_PATTERN) return { regex: wrap(DEFAULT_ID_PATTERN) };
  const fallback = (why: string): Compiled => ({
    regex: wrap(DEFAULT_ID_PATTERN),
    error: `The transaction ID pattern ${JSON.stringify(pattern)} ${why}; the default pattern ${DEFAULT_ID_PATTERN} is used instead.`,
  });
  if (pattern.trim() === '') return fallback('is empty');
  try {
    // Compiled bare first so the error quotes the user's text, not the wrapper; a pattern that
    // compiles bare has balanced groups and cannot break out of the wrapper.
    new RegExp(pattern);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return fallback(`is not a valid regular expression (${detail})`);
  }
  if (matchesEmpty(pattern)) return fallback('can match empty text, which would mark every position as an ID');
  return { regex: wrap(pattern) };
}

/** A pattern like `x*` or `(?:)` matches nothing useful and, unguarded, everything at once. */
function matchesEmpty(pattern: string): boolean {
  const bare = new RegExp(`(?:${pattern})`, 'g');
  const probes = ['', ' ', 'a', '0', '=', `transaction_id=${'0'.repeat(32)}`];
  for (const probe of probes) {
    bare.lastIndex = 0;
    for (let m = bare.exec(probe); m !== null; m = bare.exec(probe)) {
      if (m[0].length === 0) return true;
    }
  }
  return false;
}

// ---- the key in front of a value -----------------------------------------------------------------

function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

const QUOTES = new Set(['"', "'", '`', '\\']);

/** Moves `i` back over characters in `set`, at most `limit` of them, not below `floor`. */
function skipBack(line: string, i: number, floor: number, test: (ch: string) => boolean, limit: number): number {
  let n = 0;
  while (i > floor && n < limit && test(line[i - 1])) {
    i--;
    n++;
  }
  return i;
}

const isQuote = (ch: string): boolean => QUOTES.has(ch);
const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t';

/** Where a separator ending at `i` starts, or -1. `=>` covers Ruby and PHP hash dumps. */
function separatorStart(line: string, i: number, floor: number): number {
  const ch = line[i - 1];
  if (ch === '=' || ch === ':') return i - 1;
  if (ch === '>' && line[i - 2] === '=' && i - 2 >= floor) return i - 2;
  // `idfa_md5%3D…` inside an encoded URL.
  if (i - 3 >= floor && line[i - 3] === '%' && line[i - 2] === '3' && /[dDaA]/.test(ch)) return i - 3;
  return -1;
}

/**
 * The field name written in front of the value starting at `start`, or undefined when there is
 * none. Accepted shapes, with optional quotes (escaped ones too) and blanks around the separator:
 * `key=v`, `key: v`, `"key": "v"`, `&key=v`, `key%3Dv`, `key => v`, `MD5 (file) = v` (BSD
 * checksum lines), and `key v` with a single blank and no quotes, as in "md5 9e10…" in prose.
 */
function keyBefore(line: string, start: number): string | undefined {
  const floor = Math.max(0, start - KEY_LOOKBACK);
  let i = skipBack(line, start, floor, isQuote, 4);
  const afterQuotes = i;
  i = skipBack(line, i, floor, isSpace, 8);
  const sep = i > floor ? separatorStart(line, i, floor) : -1;
  if (sep >= 0) {
    i = skipBack(line, sep, floor, isSpace, 8);
    i = skipBack(line, i, floor, isQuote, 4);
    if (line[i - 1] === ')') {
      let open = i - 2;
      while (open >= floor && line[open] !== '(') open--;
      if (open >= floor) i = skipBack(line, open, floor, isSpace, 8);
    }
  } else if (!(afterQuotes === start && i === start - 1 && line[i] === ' ')) {
    return undefined;
  }
  let k = i;
  while (k > floor && i - k < MAX_KEY && isWordCode(line.charCodeAt(k - 1))) k--;
  // `&idfa_md5%3D…` reads back as `26idfa_md5`: drop the tail of the `%26` escape.
  if (k >= 1 && line[k - 1] === '%' && i - k > 2 && isHexCode(line.charCodeAt(k)) && isHexCode(line.charCodeAt(k + 1))) {
    k += 2;
  }
  return k < i ? line.slice(k, i) : undefined;
}

// ---- field names ---------------------------------------------------------------------------------

/** `googleAdIdMd5`, `GOOGLE_AD_ID_MD5` and `google_ad_id_md5` all become `google_ad_id_md5`. */
function toWords(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}

/** Compared without underscores too, so `ETag` (`e_tag` by words) still equals `etag`. */
function compact(words: string): string {
  return words.replace(/_/g, '');
}

interface NameSet {
  matches(key: string): boolean;
}

function compileNames(names: readonly string[]): NameSet {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (name.startsWith('*')) {
      const suffix = toWords(name.slice(1));
      if (suffix) suffixes.push(suffix);
    } else {
      const words = toWords(name);
      if (words) exact.add(compact(words));
    }
  }
  return {
    matches(key) {
      const words = toWords(key);
      if (exact.has(compact(words))) return true;
      // A wildcard matches at a word boundary only: `*_hash` takes `file_hash`, not `rehash`.
      return suffixes.some((s) => words === s || words.endsWith(`_${s}`));
    },
  };
}
