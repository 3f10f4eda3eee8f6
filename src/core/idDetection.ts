// Finds Everflow click transaction ids in log text, for hovers, terminal links and bulk look-up.
//
// The format alone cannot tell a transaction id from an md5: both are 32 hex characters. So a value
// must be a whole token, and then what the text says about it decides (idScanner.ts reads CSV
// headers, JSON and HAR name/value pairs, XML, YAML, headers, logfmt and prose): a click-id key makes
// it a 'click', a hash-like key drops it, and no evidence either way makes it a 'candidate', which
// callers look up only when the user agrees or show only when Everflow knows the click.

import { createKeyClassifier } from './idKeys';
import { compilePattern } from './idPattern';
import { LONG_LINE, createScanCore, type IdKind, type IdScanner, type ScannedId } from './idScanner';

export { DEFAULT_ID_PATTERN } from './idPattern';
export type { IdKind, IdScanner, ScannedId } from './idScanner';

/**
 * Names a user may add to the built-in hash-like words (`order_ref`; `*_ref` for any name ending
 * in that word). The built-in words (etag, checksum, digest, hash, md5, sha*, nonce, signature,
 * token, session, trace, request, …) apply to any name containing them, so this list holds only
 * the exact names that words do not cover; it is kept for callers that configured it.
 */
export const DEFAULT_HASH_FIELD_NAMES: readonly string[] = [
  'idfa_md5',
  'idfa_sha1',
  'google_ad_id_md5',
  'google_ad_id_sha1',
  'android_id_md5',
  'android_id_sha1',
  'trace_id',
  'span_id',
  'request_id',
  'req_id',
  'correlation_id',
  'x_request_id',
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
  'ef_click',
  'aff_click_id',
  'txn_id',
];

export type DetectedId = ScannedId;

export interface DetectedIdInText extends DetectedId {
  /** 0-based line number. */
  line: number;
}

export interface IdDetectorOptions {
  /** A regular-expression source; invalid or empty-matching patterns fall back to the default. */
  pattern?: string;
  /** Hash-like names added to the built-in words. */
  hashFieldNames?: readonly string[];
}

/** A document's lines, as much of it as a hover needs (VS Code's TextDocument fits). */
export interface LineSource {
  readonly lineCount: number;
  lineAt(line: number): string;
}

export interface IdDetector {
  /** One line read on its own (a terminal line): only what the line itself says counts. */
  detectInLine(line: string): DetectedId[];
  /** The id under `character` in a lone line (start ≤ character ≤ end, so the caret just after an id counts too). */
  idAt(line: string, character: number): DetectedId | undefined;
  /**
   * The id under `character` on `line` of a document, judged with the structure above it: the
   * first lines (a CSV header) and a bounded run of lines right above (a pretty-printed `"name"`,
   * the YAML or XML block it is in). Costs the same on a 50 MB document as on a small one.
   */
  idAtInDocument(doc: LineSource, line: number, character: number): DetectedId | undefined;
  /** A fresh scanner with this detector's pattern and names, for a whole text line by line. */
  createScanner(): IdScanner;
  /** Why the configured pattern was not used; undefined when it was. */
  readonly error?: string;
}

/** Past LONG_LINE a hover scans only a window around the pointer. */
const HOVER_WINDOW = 512;
/** Lines at the top read for a header before the lines above a hovered one. */
const HEAD_LINES = 3;
/** Lines right above a hovered one read for the block and pair it is in. */
const CONTEXT_LINES = 60;

export function createIdDetector(opts: IdDetectorOptions = {}): IdDetector {
  const { regex, error } = compilePattern(opts.pattern);
  const keys = createKeyClassifier(opts.hashFieldNames ?? []);
  const core = () => createScanCore(regex, keys);

  const at = (scan: ReturnType<typeof core>, line: string, character: number): DetectedId | undefined => {
    if (character < 0 || character > line.length) return undefined;
    const long = line.length > LONG_LINE;
    // A token cut by a window edge is matched wrongly but harmlessly: ids are far shorter than the
    // window, so a cut token never holds the hovered character and is dropped here.
    const from = long ? Math.max(0, character - HOVER_WINDOW) : 0;
    const to = long ? Math.min(line.length, character + HOVER_WINDOW) : line.length;
    return scan.scan(line, from, to, character).find((d) => d.start <= character && character <= d.end);
  };

  return {
    error,
    detectInLine: (line) => core().scan(line),
    idAt: (line, character) => at(core(), line, character),
    idAtInDocument(doc, line, character) {
      if (line < 0 || line >= doc.lineCount) return undefined;
      const scan = core();
      const head = Math.min(HEAD_LINES, line);
      for (let i = 0; i < head; i++) scan.scan(doc.lineAt(i));
      for (let i = Math.max(head, line - CONTEXT_LINES); i < line; i++) scan.scan(doc.lineAt(i));
      return at(scan, doc.lineAt(line), character);
    },
    createScanner() {
      const scan = core();
      return { line: (text) => scan.scan(text) };
    },
  };
}

/** A scanner for a text fed line by line (a file streamed from disk). */
export function createIdScanner(options?: IdDetectorOptions): IdScanner {
  return createIdDetector(options).createScanner();
}

/** Every id in `text` with its line number and kind, in reading order. */
export function detectInText(text: string, detector: IdDetector): DetectedIdInText[] {
  const out: DetectedIdInText[] = [];
  const scanner = detector.createScanner();
  const lines = text.split(/\r\n|\r|\n/);
  for (let line = 0; line < lines.length; line++) {
    for (const d of scanner.line(lines[line])) out.push({ line, ...d });
  }
  return out;
}

/** Distinct ids in first-seen order, so a bulk look-up asks for each click once. */
export function uniqueIds(found: readonly { id: string }[]): string[] {
  return [...new Set(found.map((d) => d.id))];
}

/** Distinct ids split by kind: an id seen once with a click-id key is a click everywhere. */
export function idsByKind(found: readonly { id: string; kind: IdKind }[]): { clicks: string[]; candidates: string[] } {
  const clicks = new Set<string>();
  for (const d of found) if (d.kind === 'click') clicks.add(d.id);
  const candidates = new Set<string>();
  for (const d of found) if (d.kind === 'candidate' && !clicks.has(d.id)) candidates.add(d.id);
  return { clicks: [...clicks], candidates: [...candidates] };
}
