// Readers of one line's structure around a value: the key written in front of it, the element it is
// the text of, the sibling that names it, and the words before it. Each reads a bounded stretch of
// the line, so classifying one value costs O(1) whatever the line's length.

/** How far back the key in front of a value is looked for. */
const KEY_LOOKBACK = 160;
/** A key longer than this is not a field name; reading stops there. */
const MAX_KEY = 64;
/** How far an object or element around a value is looked for, each way. */
const OBJECT_REACH = 600;

function isKeyCode(c: number): boolean {
  // Word characters, `-` (`X-Request-Id`) and `.` (`device.idfa_md5`).
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;
}

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

const isQuote = (ch: string): boolean => ch === '"' || ch === "'" || ch === '`' || ch === '\\';
const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t';

/** Moves `i` back over characters passing `test`, at most `limit` of them, not below `floor`. */
function skipBack(line: string, i: number, floor: number, test: (ch: string) => boolean, limit: number): number {
  let n = 0;
  while (i > floor && n < limit && test(line[i - 1])) {
    i--;
    n++;
  }
  return i;
}

/** Where a separator ending at `i` starts, or -1. `=>` covers Ruby and PHP hash dumps. */
function separatorStart(line: string, i: number, floor: number): number {
  const ch = line[i - 1];
  if (ch === '=' || ch === ':') return i - 1;
  if (ch === '>' && line[i - 2] === '=' && i - 2 >= floor) return i - 2;
  // `idfa_md5%3D…` inside an encoded URL.
  if (i - 3 >= floor && line[i - 3] === '%' && line[i - 2] === '3' && /[dDaA]/.test(ch)) return i - 3;
  return -1;
}

/** The name ending at `i` (trimmed of `-` and `.` at its ends), or undefined. */
function nameEndingAt(line: string, i: number, floor: number): string | undefined {
  let k = i;
  while (k > floor && i - k < MAX_KEY && isKeyCode(line.charCodeAt(k - 1))) k--;
  // `&idfa_md5%3D…` reads back as `26idfa_md5`: drop the tail of the `%26` escape.
  if (k >= 1 && line[k - 1] === '%' && i - k > 2 && isHexCode(line.charCodeAt(k)) && isHexCode(line.charCodeAt(k + 1))) k += 2;
  const name = line.slice(k, i).replace(/^[-.]+|[-.]+$/g, '');
  return name === '' ? undefined : name;
}

/**
 * The field name written in front of the value starting at `start`. Accepted shapes, with optional
 * quotes (escaped ones too) and blanks around the separator: `key=v`, `key: v`, `"key": "v"`,
 * `&key=v`, `key%3Dv`, `key => v`, `MD5 (file) = v` (BSD checksum lines), `X-Request-Id: v`, and
 * `key "v"` (a key, blanks, a quoted value). A bare `word v` is prose, read by `proseWordsBefore`.
 */
export function keyBefore(line: string, start: number): string | undefined {
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
    return nameEndingAt(line, i, floor);
  }
  // `etag "…"`: a quoted value after blanks; the quote must open right at the value.
  if (afterQuotes < start && i < afterQuotes && (line[afterQuotes] === '"' || line[afterQuotes] === "'")) {
    return nameEndingAt(line, i, floor);
  }
  return undefined;
}

/** The element whose text the value is, on the same line: `<Data Name="Checksum">…` → `Checksum`. */
export function elementBefore(line: string, start: number): string | undefined {
  const floor = Math.max(0, start - KEY_LOOKBACK * 2);
  const gt = skipBack(line, start, floor, isSpace, 8) - 1;
  if (gt < floor || line[gt] !== '>' || line[gt - 1] === '=' || line[gt - 1] === '-' || line[gt - 1] === '/') return undefined;
  const lt = line.lastIndexOf('<', gt);
  if (lt < floor) return undefined;
  return elementName(line.slice(lt + 1, gt));
}

/** The name a start tag gives its content: a `Name=`/`key=` attribute, else the element's own name. */
export function elementName(tag: string): string | undefined {
  if (tag === '' || tag[0] === '/' || tag[0] === '!' || tag[0] === '?') return undefined;
  const attr = /(?:^|\s)(?:name|key|field)\s*=\s*["']([^"']{1,80})["']/i.exec(tag);
  if (attr) return attr[1];
  const m = /^([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(tag);
  return m ? m[2] : undefined;
}

const SIBLING_JSON = /\\?["'](name|key|field|header|param|parameter|attribute|type|kind|algorithm|alg)\\?["']\s*:\s*\\?["']([^"'\\]{1,80})\\?["']/i;
const SIBLING_ATTR = /(?:^|\s)(name|key|field|type|algorithm)\s*=\s*["']([^"']{1,80})["']/i;

/**
 * For a value under a generic key (`"value"`), what the record around it on this line names it:
 * a sibling `"name"` in the same JSON object (HAR headers, cookies, query strings), a `name=`
 * attribute of the same XML element, or else the key the object itself is the value of
 * (`"digest": {"value": …}`).
 */
export function siblingName(line: string, start: number, end: number): string | undefined {
  const floor = Math.max(0, start - OBJECT_REACH);
  const ceil = Math.min(line.length, end + OBJECT_REACH);
  // An XML attribute value: the element's tag runs from the last `<` to the next `>`.
  const lt = line.lastIndexOf('<', start);
  if (lt >= floor && line.lastIndexOf('>', start) < lt) {
    const gt = line.indexOf('>', end);
    const tag = line.slice(lt + 1, gt < 0 ? ceil : Math.min(gt, ceil));
    const m = SIBLING_ATTR.exec(tag);
    if (m) return m[2];
  }
  let open = -1;
  for (let i = start - 1, depth = 0; i >= floor; i--) {
    const ch = line[i];
    if (ch === '}') depth++;
    else if (ch === '{') {
      if (depth === 0) {
        open = i;
        break;
      }
      depth--;
    }
  }
  if (open < 0) return undefined;
  let close = ceil;
  for (let i = end, depth = 0; i < ceil; i++) {
    const ch = line[i];
    if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0) {
        close = i;
        break;
      }
      depth--;
    }
  }
  const before = line.slice(open + 1, start);
  const after = line.slice(end, close);
  const m = SIBLING_JSON.exec(before) ?? SIBLING_JSON.exec(after);
  if (m) return m[2];
  return keyBefore(line, open);
}

/** A plain prose word, maybe in quotes or brackets or followed by a colon. */
const PROSE_WORD = /^[("'`*#[]*([A-Za-z][A-Za-z0-9_]*)[)"'`*:,\]]*$/;
const PUNCT_ONLY = /^[("'`*#[\]):,=-]*$/;

/**
 * Up to five words right before `start`, in reading order, stopping at anything that is not a
 * plain word (a `k=v`, a path, a sentence end), so `event=click ref=<v>` says nothing about `<v>`.
 */
export function proseWordsBefore(line: string, start: number): string[] {
  const from = Math.max(0, start - 80);
  const chunks = line.slice(from, start).split(/[ \t]+/);
  // A chunk cut by the window's start is not a whole word.
  if (from > 0) chunks.shift();
  const words: string[] = [];
  for (let i = chunks.length - 1; i >= 0 && words.length < 5; i--) {
    const c = chunks[i];
    if (c === '' || (i === chunks.length - 1 && PUNCT_ONLY.test(c))) continue;
    const m = PROSE_WORD.exec(c);
    if (!m) break;
    words.unshift(m[1]);
    // A sentence ends before this word: "… done. Hash: <v>" reads only "Hash".
    if (i > 0 && /[.!?;|]$/.test(chunks[i - 1])) break;
  }
  return words;
}

/**
 * A line of md5sum/sha*sum output: `<hex>  file` or `<hex> *file`. Its hex is a checksum, whatever
 * the file is called.
 */
export function isChecksumLine(line: string, start: number, end: number): boolean {
  if (start !== 0 && line.slice(0, start).trim() !== '' && line.slice(0, start).trim() !== '\\') return false;
  return /^ [ *]\S/.test(line.slice(end, end + 3));
}
