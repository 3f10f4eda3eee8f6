import { stringify } from 'csv-stringify/sync';
import { cellText, type ColumnDef } from './columns';
import { clickAsJson } from './extras';
import { neutraliseFormula } from './spreadsheetText';
import type { Click, QueryFilter } from './types';

// Exports and clipboard copies of click rows. Several fields are set by whoever clicks a tracking
// link (sub1–sub5, referer, tracking URL, coupon code, query parameters), so every writer here
// assumes hostile text: CSV/TSV neutralise spreadsheet formulas, Markdown escapes its own syntax
// and HTML, JSON is JSON.stringify's.

/**
 * What was asked for, recorded with an export so a file can be traced back to its query. It never
 * holds the API key: `exportMeta` copies the known fields only, so a caller passing a bigger
 * object cannot leak one by accident.
 */
export interface ExportMeta {
  from: string;
  to: string;
  timezone_id: number;
  /** IANA name of `timezone_id`, when known. */
  timezone?: string;
  filters: QueryFilter[];
  exclusions: QueryFilter[];
  /** The filters in plain English, as `describeLogic` (logic.ts) renders them next to a result. */
  logic: string;
  /** The account's display label; never its key. */
  account?: string;
  /** ISO 8601. */
  fetched_at: string;
  rows: number;
  /** True when more clicks matched than were fetched (the 5,000 cap, or a stopped fetch-all). */
  truncated: boolean;
  /** True when a fetch-all was cancelled or stopped early. */
  partial?: boolean;
}

/** A copy of `meta` holding the ExportMeta fields only, in reading order (when, where, what, provenance). */
export function exportMeta(meta: ExportMeta): ExportMeta {
  const filters = (list: readonly QueryFilter[] | undefined): QueryFilter[] =>
    (Array.isArray(list) ? list : []).map((f) => ({ resource_type: String(f.resource_type), filter_id_value: String(f.filter_id_value) }));
  const out: ExportMeta = { from: String(meta.from), to: String(meta.to), timezone_id: Number(meta.timezone_id) } as ExportMeta;
  if (meta.timezone !== undefined) out.timezone = String(meta.timezone);
  out.filters = filters(meta.filters);
  out.exclusions = filters(meta.exclusions);
  out.logic = String(meta.logic ?? '');
  if (meta.account !== undefined) out.account = String(meta.account);
  out.fetched_at = String(meta.fetched_at);
  out.rows = Number(meta.rows);
  out.truncated = Boolean(meta.truncated);
  if (meta.partial !== undefined) out.partial = Boolean(meta.partial);
  return out;
}

export { neutraliseFormula };

/**
 * A cell for a file a spreadsheet opens: numbers raw, everything else text that `clean` has made
 * safe for the container and is then neutralised (last, so the check sees the final text).
 */
function spreadsheetCell(col: ColumnDef, row: Click, zone: string, clean: (s: string) => string = (s) => s): string {
  const v = col.get(row);
  // A number Everflow sent in a field the catalogue does not name stays a number, as in the known numeric columns.
  if (typeof v === 'number' && (col.kind === 'number' || col.kind === 'money' || col.kind === 'id' || col.extra !== undefined)) {
    return Number.isFinite(v) ? String(v) : '';
  }
  return neutraliseFormula(clean(cellText(col, row, { zone, style: 'literal' })));
}

/** The header for a column in a file: timestamps say which zone they are in, since a file has no setting. */
function fileHeader(col: ColumnDef, zone: string): string {
  return col.kind === 'timestamp' ? `${col.header} (${zone})` : col.header;
}

export interface CsvOptions {
  /** IANA zone the timestamp columns are written in. */
  zone: string;
  /**
   * Start with a UTF-8 byte order mark (default true): without it Excel reads the file as the
   * system's ANSI code page and mangles every non-ASCII city, offer name and emoji.
   */
  bom?: boolean;
}

/**
 * RFC 4180 CSV: a header row of column headers, CRLF line ends, quoting by csv-stringify.
 *
 * The query is deliberately not written into the file. A `#` comment line or a metadata block
 * above the header makes it something strict CSV readers (pandas without `comment=`, database
 * importers, Excel's type sniffing) misread, so the query goes to a sidecar: write
 * `metaSidecar(meta)` beside the export as `<file>.meta.json`.
 */
export function toCsv(rows: readonly Click[], columns: readonly ColumnDef[], opts: CsvOptions): string {
  const records: string[][] = [columns.map((c) => fileHeader(c, opts.zone))];
  for (const row of rows) records.push(columns.map((c) => spreadsheetCell(c, row, opts.zone)));
  return stringify(records, {
    bom: opts.bom ?? true,
    record_delimiter: 'windows',
    // csv-stringify quotes a field holding the record delimiter (CRLF) but not a lone LF or CR,
    // which strict readers take as the end of the record.
    quoted_match: /[\r\n]/,
  });
}

/** The sidecar JSON for an export (see `toCsv`): the query and how the fetch went, never the key. */
export function metaSidecar(meta: ExportMeta): string {
  return `${JSON.stringify(exportMeta(meta), null, 2)}\n`;
}

/**
 * `{ "request": meta, "clicks": rows }`, pretty-printed: the rows as normalised, with every field
 * Everflow sent that the catalogue does not name back in its place (extras.ts).
 */
export function toJson(rows: readonly Click[], meta: ExportMeta): string {
  return `${JSON.stringify({ request: exportMeta(meta), clicks: clicksAsJson(rows) }, null, 2)}\n`;
}

/** The rows as JSON writes them: normalised, unknown fields in place; the same objects when there are none. */
export function clicksAsJson(rows: readonly Click[]): unknown[] {
  return rows.map(clickAsJson);
}

/** Tabs and line breaks would split a cell when pasted, so they become spaces. */
function tsvSafe(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

/**
 * Tab-separated text with a header row, for pasting into a spreadsheet. Pasted text is parsed like
 * an opened file, formulas included, so text cells are neutralised as in CSV (a cell that started
 * with a tab is space-led by then, which spreadsheets read as text).
 */
export function toTsv(rows: readonly Click[], columns: readonly ColumnDef[], zone: string): string {
  const lines = [columns.map((c) => tsvSafe(fileHeader(c, zone))).join('\t')];
  for (const row of rows) {
    lines.push(columns.map((c) => spreadsheetCell(c, row, zone, tsvSafe)).join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

const MD_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '|': '\\|',
  '`': '\\`',
  '[': '\\[',
  ']': '\\]',
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
};

/**
 * Text for one Markdown table cell. `|` would end the cell and a line break the row; backticks,
 * brackets and backslashes would start code, links (`[x](command:…)`) or escapes; and since many
 * Markdown viewers render inline HTML, `<`, `>` and `&` become entities so `<script>` is shown, not run.
 */
export function markdownCell(text: string): string {
  return text.replace(/[\\|`[\]<>&]/g, (c) => MD_ESCAPES[c]).replace(/\r\n|[\r\n]/g, ' ');
}

/** A GitHub-flavoured Markdown table with the values as people read them (Yes/No, $1.50, local time). */
export function toMarkdown(rows: readonly Click[], columns: readonly ColumnDef[], zone: string): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const out = [line(columns.map((c) => markdownCell(fileHeader(c, zone)))), line(columns.map((c) => (isNumeric(c) ? '---:' : '---')))];
  for (const row of rows) out.push(line(columns.map((c) => markdownCell(cellText(c, row, { zone })))));
  return `${out.join('\n')}\n`;
}

function isNumeric(c: ColumnDef): boolean {
  return c.kind === 'number' || c.kind === 'money';
}
