// A line-by-line reader of the structure a text already has, and what it says about each 32-hex value.
//
// A value's key is not always written in front of it: a CSV cell's key is its column's header, a HAR
// header's value sits beside `"name": "ETag"` (one line up when pretty-printed), an XML element's
// text belongs to `<Data Name="Checksum">`, a YAML list item to the key above it. The scanner is fed
// lines in order and carries just enough state for those: the active CSV header, a pending
// `"name"`, and the keys of the open blocks by indentation. Every piece of evidence gives one of
// three answers: a click-id key (the value is a click), a hash-like key (not reported), or nothing
// either way (reported as a candidate, for a look-up that shows only what Everflow knows).

import { classifyProse, type KeyClass, type KeyClassifier } from './idKeys';
import { elementBefore, elementName, isChecksumLine, keyBefore, proseWordsBefore, siblingName } from './structureLine';

export type IdKind = 'click' | 'candidate';

export interface ScannedId {
  /** Lower-cased: Everflow's ids are lower-case hex, and a pasted upper-case copy is the same click. */
  id: string;
  /** Offsets in the line, end exclusive. */
  start: number;
  end: number;
  /** 'click': a click-id key names it; 'candidate': nothing says what it is. */
  kind: IdKind;
}

export interface IdScanner {
  /** The ids on the next line of the text, judged with what the lines before it said. */
  line(text: string): ScannedId[];
}

/** Lines longer than this carry no structure the scanner tracks (a minified blob, a base64 run). */
export const LONG_LINE = 10_000;

interface Header {
  delim: string;
  names: string[];
  /** The column that names a generic `value` column's content, as in a `name,value` export. */
  nameCol: number;
}

interface Frame {
  indent: number;
  key: string;
}

const HEADER_NAME = /^[A-Za-z_#][A-Za-z0-9_ .\-/()#]{0,63}$/;
const NAME_COLUMN = /^(name|key|field|header|param|parameter|type|algorithm)$/i;
const DELIMS = [',', '\t', ';', '|'];
const OPENING_KEY = /^(?:-\s+)?["']?([A-Za-z_@$][\w .@$-]{0,63}?)["']?\s*:\s*(?:[{[]|[|>][-+]?)?\s*$/;
const OPENING_TAG = /^<([^<>/!?][^<>]*[^/<>]|[^<>/!?])>$/;
const NAME_LINE = /^(?:-\s+)?["']?(name|key|field|header)["']?\s*:\s*["']?([^"'{}]{1,80}?)["']?\s*,?$/i;

/** Field spans of `text` split at `delim` outside double quotes. */
function fieldSpans(text: string, delim: string): [number, number][] {
  const spans: [number, number][] = [];
  let from = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === delim && !quoted) {
      spans.push([from, i]);
      from = i + 1;
    }
  }
  spans.push([from, text.length]);
  return spans;
}

function cell(text: string, [a, b]: [number, number]): string {
  return text.slice(a, b).trim().replace(/^"|"$/g, '').trim();
}

function headerOf(text: string): Header | undefined {
  if (text.length > 4000 || /[=:{}<>]/.test(text)) return undefined;
  for (const delim of DELIMS) {
    if (!text.includes(delim)) continue;
    const names = fieldSpans(text, delim).map((s) => cell(text, s));
    const filled = names.filter((n) => n !== '');
    if (filled.length < 2 || (delim !== '|' && filled.length !== names.length)) continue;
    if (!filled.every((n) => HEADER_NAME.test(n) && !/[0-9a-fA-F]{16}/.test(n))) continue;
    return { delim, names, nameCol: names.findIndex((n) => NAME_COLUMN.test(n)) };
  }
  return undefined;
}

export interface ScanCore {
  /** Judges the ids in `text[from, to)` (the whole line by default) and then takes in its structure. */
  scan(text: string, from?: number, to?: number, stopAfter?: number): ScannedId[];
}

export function createScanCore(regex: RegExp, keys: KeyClassifier): ScanCore {
  let header: Header | undefined;
  let row: { text: string; spans: [number, number][] } | undefined;
  let frames: Frame[] = [];
  let pendingName: { name: string; indent: number } | undefined;

  /** Updates the CSV state with `text`, before its values are judged. */
  const readRow = (text: string): void => {
    row = undefined;
    if (text.length > LONG_LINE) return;
    if (text.trim() === '') {
      header = undefined;
      return;
    }
    if (header) {
      if (text.includes(header.delim)) {
        const spans = fieldSpans(text, header.delim);
        if (spans.length === header.names.length) {
          row = { text, spans };
          return;
        }
      }
      // A Markdown table's `|---|:--:|` rule belongs to it.
      if (header.delim === '|' && /^\s*\|?[\s|:-]+$/.test(text)) return;
      header = undefined;
    }
    header = headerOf(text);
  };

  const decide = (c: KeyClass): 'click' | 'hash' | undefined => (c === 'click' || c === 'hash' ? c : undefined);

  /** What the evidence says of the value at [start, end): 'click', 'hash' or undefined (nothing). */
  const judge = (text: string, start: number, end: number): 'click' | 'hash' | undefined => {
    if (isChecksumLine(text, start, end)) return 'hash';
    const inline = keyBefore(text, start) ?? elementBefore(text, start);
    const cls = keys.classify(inline);
    if (cls === 'click' || cls === 'hash') return cls;
    if (cls === 'generic') {
      const named = siblingName(text, start, end) ?? pendingName?.name;
      const verdict = decide(keys.classify(named));
      if (verdict) return verdict;
    }
    if (row) {
      const col = row.spans.findIndex(([a, b]) => a <= start && end <= b);
      if (col >= 0 && header) {
        let verdict = decide(keys.classify(header.names[col]));
        if (!verdict && keys.classify(header.names[col]) === 'generic' && header.nameCol >= 0) {
          verdict = decide(keys.classify(cell(row.text, row.spans[header.nameCol])));
        }
        if (verdict) return verdict;
      }
    }
    const parent = frames.length > 0 ? frames[frames.length - 1].key : undefined;
    if (parent !== undefined) {
      const verdict = decide(keys.classify(cls === 'unknown' && inline ? `${parent} ${inline}` : parent));
      if (verdict) return verdict;
    }
    return classifyProse(proseWordsBefore(text, start));
  };

  /** Closes the blocks this line is not inside of, before its values are judged. */
  const popFrames = (indent: number, trimmed: string): void => {
    if (trimmed === '') return;
    const effective = indent + (trimmed.startsWith('- ') || trimmed === '-' ? 1 : 0);
    while (frames.length > 0 && frames[frames.length - 1].indent >= effective) frames.pop();
    if (pendingName && indent < pendingName.indent) pendingName = undefined;
  };

  /** Opens the block this line starts, and notes a `"name": …` whose value may follow. */
  const afterLine = (indent: number, trimmed: string): void => {
    if (trimmed === '') return;
    const named = NAME_LINE.exec(trimmed);
    if (named) pendingName = { name: named[2], indent };
    else if (/[{}]/.test(trimmed) || trimmed.startsWith('- ')) pendingName = undefined;
    const opening = OPENING_KEY.exec(trimmed);
    if (opening) {
      const dash = /^-\s+/.exec(trimmed);
      frames.push({ indent: indent + (dash ? dash[0].length : 0), key: opening[1] });
      return;
    }
    const tag = OPENING_TAG.exec(trimmed);
    if (tag) {
      const name = elementName(tag[1]);
      if (name) frames.push({ indent, key: name });
    }
    if (frames.length > 64) frames = frames.slice(-32);
  };

  return {
    scan(text, from = 0, to = text.length, stopAfter) {
      const whole = from === 0 && to === text.length;
      const structured = whole && text.length <= LONG_LINE;
      const indent = structured ? text.length - text.trimStart().length : 0;
      const trimmed = structured ? text.trim() : '';
      if (whole) readRow(text);
      else row = undefined;
      if (structured) popFrames(indent, trimmed);
      const slice = whole ? text : text.slice(from, to);
      const out: ScannedId[] = [];
      // A fresh lastIndex per call; the regex is shared and a scan never yields mid-way.
      regex.lastIndex = 0;
      for (let m = regex.exec(slice); m !== null; m = regex.exec(slice)) {
        // A user pattern may still match empty somewhere the probes did not try; step over it.
        if (m[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        const start = from + m.index;
        const end = start + m[0].length;
        if (stopAfter !== undefined && start > stopAfter) break;
        const verdict = judge(text, start, end);
        if (verdict !== 'hash') out.push({ id: m[0].toLowerCase(), start, end, kind: verdict === 'click' ? 'click' : 'candidate' });
      }
      if (structured) afterLine(indent, trimmed);
      return out;
    },
  };
}
