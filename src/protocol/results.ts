// The results grid's messages: src/webviews/resultGridPanel.ts ↔ webview/resultsMain.ts. Typed messages
// between the extension host and the webview, checked at run time on arrival and imported by both
// sides, so it holds types and small pure guards only: no vscode, no DOM. Discriminated unions on
// `type`, a `ready` handshake before the host posts any data (src/webviews/webviewHost.ts), and request
// ids echoed in replies so a late answer is never taken for the current one.

import type { BinaryTable } from '../core/binaryTable';
import type { PiecedTable, TablePiece } from '../core/tablePieces';
import type { ViewSpec } from '../core/gridTable';
import type { ResultRequestMeta } from '../results/resultSet';

/** Everything the grid shows, posted once after each `ready` (the webview is rebuilt when shown again). */
export interface ResultsInit {
  resultId: string;
  title: string;
  request: ResultRequestMeta;
  /** IANA zone the timestamps are shown in (UTC is in each cell's tooltip). */
  zone: string;
  /**
   * Every column of every click, column-major, raw values (src/core/flatten.ts), as typed arrays
   * (binaryTable.ts); or, after Fetch all, the end of the pieces it posted as the pages came
   * (tablePieces.ts), which the webview answers with `needTable` when they do not make the table.
   */
  table: BinaryTable | PiecedTable;
  /** True when "Fetch all" can run here: a stream result whose window and zone are known. */
  canFetchAll: boolean;
  /** The `everflow.results.maxRows` limit, for the banner's wording. */
  maxRows: number;
  /**
   * Fields Everflow sent that the catalogue does not name get a column each (ids `extra:…`, hidden at
   * first), up to a limit; this many more were left out of the columns (they are in row details,
   * "Open as JSON" and exports).
   */
  omittedColumns?: number;
  /** Whether the summary above the grid is shown: remembered per workspace by the host (shown by default). */
  summaryOpen?: boolean;
  /** True when "Add Conversions" can run here: a result whose window and zone are known. */
  canAddConversions?: boolean;
  /** Set once conversions were added: the table then has the `conversion.*` columns. */
  conversions?: ConversionsInfo;
  /** 'conversions': the rows are conversions (columns `cv.*`), not clicks; no summary, no conversions to add. */
  rowKind?: 'conversions';
}

/** What the grid says about the conversions added to it (src/core/conversions/join.ts). */
export interface ConversionsInfo {
  /** Conversion rows Everflow sent (after de-duplication by conversion_id). */
  rows: number;
  /** Of those, joined to a click of this result. */
  matched: number;
  /** Clicks of this result with a conversion or event. */
  convertedClicks: number;
  /** Base conversions and post-conversion events joined to this result's clicks. */
  baseConversions: number;
  events: number;
  /** Revenue of the joined rows per currency code. */
  revenue: Record<string, number>;
  /** Conversions whose click is not in this result (offered as their own result). */
  unmatched: number;
  /** True when Cancel stopped the paging. */
  partial: boolean;
  from: string;
  to: string;
  attributionDays: number;
  pages: number;
}

/** What the webview keeps with `setState` and the host's serializer reads back after a reload. */
export interface ResultsPanelState {
  resultId: string;
  title: string;
  /** Kept so that "Run again" still works when the rows are gone. */
  request?: ResultRequestMeta;
  /** The grid's own layout and filters; opaque to the host. */
  view?: unknown;
}

export type CopyFormat = 'tsv' | 'json' | 'markdown';
export type ExportFormat = 'csv' | 'json';
/** Result row indices (the host's order, whatever the grid's sort), or every row. */
export type RowScope = number[] | 'all';

/** Host → webview. */
export type HostToResults =
  | { type: 'init'; init: ResultsInit }
  /** Fetch all's rows so far, a piece of the table to come (src/core/tablePieces.ts). */
  | { type: 'tablePiece'; piece: TablePiece }
  /** The rows of this panel are no longer kept (storage cleared or evicted): say so, offer "Run again". */
  | { type: 'missing'; title: string; request?: ResultRequestMeta; canRunAgain: boolean }
  /** A fetch-all is running (the banner's button waits) or has ended. */
  | { type: 'fetching'; running: boolean }
  /** "Add Conversions" is running (the toolbar button waits) or has ended. */
  | { type: 'addingConversions'; running: boolean }
  /** A palette command asks for an export of what the grid shows; answered with `export` and the same id. */
  | { type: 'exportRequest'; requestId: number; format: ExportFormat }
  /** The full click of a row (normalised, with the fields the catalogue does not name in place), for the detail panel. */
  | { type: 'rowJson'; requestId: number; row: number; json: string };

/** Webview → host. */
export type ResultsToHost =
  | { type: 'ready' }
  /** The pieces did not make the table `init` ended (one lost, or the page was rebuilt): send it whole. */
  | { type: 'needTable'; resultId: string }
  | { type: 'fetchAll' }
  | { type: 'runAgain' }
  /** "Add Conversions": fetch the conversions of the result's window and join them into new columns. */
  | { type: 'addConversions' }
  /** Opens the conversions whose click is not in this result as their own grid, or as a JSON document. */
  | { type: 'openUnmatchedConversions'; as?: 'grid' | 'json' }
  /** The user showed or collapsed the summary above the grid; the host remembers it for the workspace. */
  | { type: 'summaryOpen'; open: boolean }
  /** Rows as TSV with headers, JSON or Markdown, built by the host from the full clicks. */
  | { type: 'copy'; format: CopyFormat; rows: number[]; columns: string[] }
  /** One cell's text, as shown. */
  | { type: 'copyText'; text: string }
  /** `view`: the grid's search, filters, time range and sort, sent with the answer to an `exportRequest` (the chat tools describe it). */
  | { type: 'export'; requestId?: number; format: ExportFormat; rows: RowScope; columns: string[]; view?: ViewSpec }
  | { type: 'openJson'; rows: RowScope }
  | { type: 'lookUp'; transactionId: string }
  /** "Trace Click…" on a row: the click, its conversions and a verdict (src/conversions/traceClick.ts). */
  | { type: 'traceClick'; transactionId: string }
  /** Asks for one row's full click; answered with `rowJson` and the same id. */
  | { type: 'rowJson'; requestId: number; row: number }
  /** "Save chart as PNG/SVG": base64 PNG bytes or SVG text, written as they are where the user picks. */
  | { type: 'saveChart'; chart: 'time' | 'breakdown'; format: 'png' | 'svg'; data: string }
  /** After each render of a new view: what the grid shows (the host logs it; tests read it). */
  | { type: 'rendered'; shown: number; total: number; columns: string[] };

/** Larger than any chart the summary draws (an 800-pixel-wide PNG at 3× is a few hundred KB). */
export const MAX_CHART_CHARS = 20_000_000;

const isRowScope = (v: unknown): v is RowScope => v === 'all' || (Array.isArray(v) && v.every((n) => Number.isInteger(n) && n >= 0));
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** True when `m` is a message the results webview may send (checked before the host acts). */
export function isResultsToHost(m: unknown): m is ResultsToHost {
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as Record<string, unknown>;
  switch (msg.type) {
    case 'ready':
    case 'fetchAll':
    case 'runAgain':
    case 'addConversions':
      return true;
    case 'needTable':
      return typeof msg.resultId === 'string';
    case 'openUnmatchedConversions':
      return msg.as === undefined || msg.as === 'grid' || msg.as === 'json';
    case 'copy':
      return (msg.format === 'tsv' || msg.format === 'json' || msg.format === 'markdown') && isRowScope(msg.rows) && msg.rows !== 'all' && isStrings(msg.columns);
    case 'copyText':
      return typeof msg.text === 'string';
    case 'summaryOpen':
      return typeof msg.open === 'boolean';
    case 'saveChart':
      return (
        (msg.chart === 'time' || msg.chart === 'breakdown') &&
        typeof msg.data === 'string' &&
        msg.data.length <= MAX_CHART_CHARS &&
        (msg.format === 'svg' || (msg.format === 'png' && /^[A-Za-z0-9+/]*={0,2}$/.test(msg.data)))
      );
    case 'export':
      return (msg.format === 'csv' || msg.format === 'json') && isRowScope(msg.rows) && isStrings(msg.columns) && (msg.requestId === undefined || typeof msg.requestId === 'number') && (msg.view === undefined || (typeof msg.view === 'object' && msg.view !== null && !Array.isArray(msg.view)));
    case 'openJson':
      return isRowScope(msg.rows);
    case 'lookUp':
    case 'traceClick':
      return typeof msg.transactionId === 'string';
    case 'rowJson':
      return typeof msg.requestId === 'number' && Number.isInteger(msg.row) && (msg.row as number) >= 0;
    case 'rendered':
      return typeof msg.shown === 'number' && typeof msg.total === 'number' && isStrings(msg.columns);
    default:
      return false;
  }
}
