import * as vscode from 'vscode';
import * as config from '../config';
import { CommandIds } from '../host/commandIds';
import { columnsForRows, type ColumnDef } from '../core/columns';
import { attachConversions } from '../core/conversions/clickConversions';
import { clickKeysOf, joinConversions } from '../core/conversions/join';
import type { Conversion } from '../core/conversions/types';
import { clickAsJson } from '../core/extras';
import type { BinaryTable } from '../core/binaryTable';
import { encodeRows, encodeRowsInSteps } from '../core/tableEncoder';
import type { ArrivalEncoder } from '../results/arrivalEncoder';
import { isValidZone } from '../core/wallClock';
import { isResultsToHost, type ConversionsInfo, type ExportFormat, type HostToResults, type ResultsToHost } from '../protocol/results';
import { conversionsResultColumns, gridRows, isConversionsResult } from '../results/conversionsResult';
import { streamRequestOf } from '../results/fetchAllRun';
import type { ResultRequestMeta, ResultSet } from '../results/resultSet';
import type { Logger } from '../logger';
import { renderWebviewHtml } from './html';
import { copyRows, copyText, exportRows, saveChart } from './resultsActions';
import { WebviewHost } from './webviewHost';

// One results grid: a webview panel per result. The host keeps the rows (the webview is rebuilt
// whenever the panel is shown again, since it does not retain its context when hidden) and posts
// them after every `ready`; the webview keeps only its layout and filters, in its own state.

export const RESULTS_VIEW_TYPE = 'everflow.results';

type ExportReply = Extract<ResultsToHost, { type: 'export' }>;

/** What a panel needs from its owner (ResultGrids): the actions that reach past the panel, and its log. */
export interface PanelOwner {
  readonly extensionUri: vscode.Uri;
  readonly logger: Logger;
  /** Remembered per workspace: whether the summary above the grid is shown (SUMMARY_OPEN_KEY). */
  readonly workspaceState?: vscode.Memento;
  fetchAll(panel: ResultGridPanel): Promise<unknown>;
  addConversions(panel: ResultGridPanel): Promise<unknown>;
  openUnmatchedConversions(panel: ResultGridPanel, as: 'grid' | 'json'): Promise<unknown>;
  runAgain(panel: ResultGridPanel): Promise<void>;
  lookUpAgain(transactionId: string): Promise<void>;
  openJson(panel: ResultGridPanel, rows: Extract<ResultsToHost, { type: 'openJson' }>['rows']): Promise<void>;
  disposed(panel: ResultGridPanel): void;
  focused(panel: ResultGridPanel): void;
}

export interface RenderedInfo {
  shown: number;
  total: number;
  columns: string[];
}

/** The workspaceState key of the summary area's shown/collapsed state (shown unless the user collapsed it). */
export const SUMMARY_OPEN_KEY = 'everflow.results.summaryOpen';

/** Rows past which the host encodes a column at a time, yielding between columns. */
const IN_STEPS_FROM = 50_000;

/** How long a palette command waits for the grid to say what it shows before giving up. */
const REPLY_TIMEOUT_MS = 15_000;

export class ResultGridPanel extends WebviewHost<ResultsToHost, HostToResults> {
  private packed: BinaryTable | undefined;
  /** The encoding under way, so a second `ready` meanwhile waits for it instead of starting another. */
  private encoding: { result: ResultSet; table: Promise<BinaryTable>; asArrived: boolean } | undefined;
  /** The rows of `result` encoded as they arrived (Fetch all), until its table is finished. */
  private arrived: { result: ResultSet; encoder: ArrivalEncoder } | undefined;
  /** The result the conversions were joined into and the columns its table gets (prepare()). */
  private prepared: { result: ResultSet; columns: ColumnDef[] } | undefined;
  /** Unknown fields of the rows left out of the columns (the limit in src/core/extras.ts). */
  private omittedColumns = 0;
  private readonly replies = new Map<number, (m: ExportReply) => void>();
  private nextRequestId = 1;
  private fetching = false;
  private addingConversions = false;
  /** The join of the result's conversions with its clicks, made with the table (undefined without conversions). */
  private conversions: { info: ConversionsInfo; unmatched: Conversion[] } | undefined;
  /** How the table last sent was encoded (tests read it: Fetch all's must not fall back to at once). */
  encoded: 'asArrived' | 'atOnce' | undefined;
  /** What the grid last reported showing (tests and the log read it). */
  rendered: RenderedInfo | undefined;

  constructor(
    private readonly owner: PanelOwner,
    panel: vscode.WebviewPanel,
    readonly id: string,
    private current: ResultSet | undefined,
    /** Title and request of a panel restored without its rows, for the "Run again" offer. */
    private readonly fallback: { title: string; request?: ResultRequestMeta },
  ) {
    super(panel, { label: 'Results', isMessage: isResultsToHost, logger: owner.logger });
    panel.iconPath = vscode.Uri.joinPath(owner.extensionUri, 'media', 'everflow.svg');
    panel.webview.html = renderWebviewHtml(panel.webview, owner.extensionUri, {
      title: 'Everflow Results',
      script: 'results',
      styles: ['dist/webview/results.css', 'media/results.css'],
    });
    this.disposables.push(panel.onDidChangeViewState((e) => e.webviewPanel.active && owner.focused(this)));
  }

  get result(): ResultSet | undefined {
    return this.current;
  }

  /** The request of the rows, or of the rows this restored panel no longer has. */
  get request(): ResultRequestMeta | undefined {
    return this.current?.request ?? this.fallback.request;
  }

  get title(): string {
    return this.current?.title ?? this.fallback.title;
  }

  /** The ids of every column sent to the grid (undefined until the first `init`). */
  get columnIds(): string[] | undefined {
    return this.packed ? [...this.packed.columns] : undefined;
  }

  get isFetching(): boolean {
    return this.fetching;
  }

  get isAddingConversions(): boolean {
    return this.addingConversions;
  }

  /** What the join of the added conversions gave (undefined until conversions were added). */
  get conversionsInfo(): ConversionsInfo | undefined {
    this.prepare();
    return this.conversions?.info;
  }

  /** Conversions whose click is not in this result. */
  get unmatchedConversions(): readonly Conversion[] {
    this.prepare();
    return this.conversions?.unmatched ?? [];
  }

  setAddingConversions(running: boolean): void {
    this.addingConversions = running;
    this.post({ type: 'addingConversions', running });
  }

  /** The zone timestamps are shown in: the query's, else the hover setting's, else this machine's. */
  zone(): string {
    const wanted = this.current?.request.timezone ?? config.hoverTimezone();
    return wanted && isValidZone(wanted) ? wanted : Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  }

  /**
   * Replaces the rows (after "Fetch all") and shows them. `arrived` holds the result's rows encoded
   * as Fetch all's pages came (only the table's finishing is left).
   */
  setResult(result: ResultSet, arrived?: ArrivalEncoder): void {
    this.current = result;
    this.packed = undefined;
    this.arrived?.encoder.dispose();
    this.arrived = arrived ? { result, encoder: arrived } : undefined;
    void this.sendInit();
  }

  setFetching(running: boolean): void {
    this.fetching = running;
    this.post({ type: 'fetching', running });
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Asks the grid what it shows (columns in order, filtered rows) for an export from the palette. */
  whatIsShown(format: ExportFormat): Promise<ExportReply | undefined> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.replies.delete(requestId);
        resolve(undefined);
      }, REPLY_TIMEOUT_MS);
      this.replies.set(requestId, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.post({ type: 'exportRequest', requestId, format });
    });
  }

  protected onReady(): Promise<void> {
    return this.sendInit();
  }

  /**
   * Made once per result, before its table: the clicks joined with the conversions added to them (their
   * values attached for the column getters, exports and copies) and the columns the table gets.
   */
  private prepare(): ColumnDef[] | undefined {
    const result = this.current;
    if (!result) return undefined;
    if (this.prepared?.result === result) return this.prepared.columns;
    this.conversions = undefined;
    if (isConversionsResult(result)) {
      // Its rows are the conversions themselves: nothing to join.
      this.omittedColumns = 0;
      this.prepared = { result, columns: conversionsResultColumns() };
      return this.prepared.columns;
    }
    const conv = result.conversions;
    if (conv) {
      const join = joinConversions(clickKeysOf(result.rows), conv.rows);
      attachConversions(result.rows, join);
      let baseConversions = 0;
      let events = 0;
      for (let i = 0; i < join.clicks; i++) {
        baseConversions += join.conversions[i];
        events += join.events[i];
      }
      this.conversions = {
        unmatched: join.unmatched,
        info: {
          rows: conv.rows.length - join.duplicates,
          matched: join.matched,
          convertedClicks: join.convertedClicks,
          baseConversions,
          events,
          revenue: { ...join.revenueByCurrency },
          unmatched: join.unmatched.length,
          partial: conv.partial,
          from: conv.from,
          to: conv.to,
          attributionDays: conv.attribution_days,
          pages: conv.pages,
        },
      };
    }
    // The catalogue's columns (and the conversions' when added) plus one per field Everflow sent that it does not name (hidden at first).
    const { columns, omitted } = columnsForRows(result.rows, { conversions: conv !== undefined });
    this.omittedColumns = omitted;
    this.prepared = { result, columns };
    return columns;
  }

  private async sendInit(): Promise<void> {
    const result = this.current;
    if (!result) {
      const request = this.fallback.request;
      const canRunAgain = Boolean(request && (streamRequestOf({ title: '', request, rows: [] }) || request.transaction_id));
      this.post({ type: 'missing', title: this.fallback.title, request, canRunAgain });
      return;
    }
    // Joined, flattened and encoded once per result: the webview asks again each time the panel is shown.
    // VS Code moves the typed arrays as binary (engines ≥ 1.57), so a million rows never become JSON.
    if (!this.packed) {
      if (this.encoding?.result !== result) {
        const columns = this.prepare()!;
        const rows = gridRows(result);
        const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
        const arrived = this.arrived?.result === result ? this.arrived.encoder : undefined;
        this.arrived = undefined;
        let table: Promise<BinaryTable>;
        if (arrived) {
          // Fetch all's pages were encoded as they came: only the finishing is left.
          const enc = arrived.drain();
          const t0 = performance.now();
          table = rows.length > IN_STEPS_FROM ? enc.finishInSteps(rows, columns, pause) : Promise.resolve(enc.finish(rows, columns));
          void table.then(() => this.owner.logger.debug(`Results table of ${rows.length} rows: encoded as they arrived in ${Math.round(arrived.encodeMs)} ms, finished in ${Math.round(performance.now() - t0)} ms.`));
        } else {
          // Big results in blocks of rows with a turn of the event loop between (seconds at a million rows).
          table = rows.length > IN_STEPS_FROM ? encodeRowsInSteps(rows, columns, pause) : Promise.resolve(encodeRows(rows, columns));
        }
        this.encoding = { result, table, asArrived: arrived !== undefined };
      }
      const arrivedHere = this.encoding.asArrived;
      const table = await this.encoding.table;
      // A newer result (Fetch all) or a closed panel took its place meanwhile: that one posts its own.
      if (this.current !== result || this.disposed) return;
      this.packed = table;
      this.encoding = undefined;
      this.encoded = arrivedHere ? 'asArrived' : 'atOnce';
    }
    const packed = this.packed;
    this.post({
      type: 'init',
      init: {
        resultId: this.id,
        title: result.title,
        request: result.request,
        zone: this.zone(),
        table: packed,
        canFetchAll: streamRequestOf(result) !== undefined,
        canAddConversions: result.rows.length > 0,
        ...(isConversionsResult(result) ? { rowKind: 'conversions' as const } : {}),
        ...(this.conversions ? { conversions: this.conversions.info } : {}),
        maxRows: config.resultsMaxRows(),
        summaryOpen: this.owner.workspaceState?.get<boolean>(SUMMARY_OPEN_KEY) !== false,
        ...(this.omittedColumns > 0 ? { omittedColumns: this.omittedColumns } : {}),
      },
    });
    if (this.fetching) this.post({ type: 'fetching', running: true });
    if (this.addingConversions) this.post({ type: 'addingConversions', running: true });
  }

  /** Every message of the grid's webview, in one switch (the error boundary is WebviewHost's). */
  protected async handle(m: Exclude<ResultsToHost, { type: 'ready' }>): Promise<void> {
    const result = this.current;
    // Copies and exports read the conversion columns' values, attached with the table.
    this.prepare();
    switch (m.type) {
      case 'rendered':
        this.rendered = { shown: m.shown, total: m.total, columns: m.columns };
        return;
      case 'rowJson': {
        const row = result ? gridRows(result)[m.row] : undefined;
        // A conversions result's row is a normalised conversion: shown as it is.
        if (row) this.post({ type: 'rowJson', requestId: m.requestId, row: m.row, json: JSON.stringify(isConversionsResult(result!) ? row : clickAsJson(row), null, 2) });
        return;
      }
      case 'export': {
        // The answer to a palette export's question (whatIsShown), or the grid's own Export button.
        const reply = m.requestId !== undefined ? this.replies.get(m.requestId) : undefined;
        if (reply) {
          this.replies.delete(m.requestId!);
          reply(m);
        } else if (result) {
          await exportRows(result, this.zone(), m.format, m.rows, m.columns);
        }
        return;
      }
      case 'copy':
        if (result) await copyRows(result, this.zone(), m.format, m.rows, m.columns);
        return;
      case 'copyText':
        await copyText(m.text);
        return;
      case 'saveChart':
        await saveChart(result?.title ?? this.fallback.title, m.chart, m.format, m.data);
        return;
      case 'openJson':
        await this.owner.openJson(this, m.rows);
        return;
      case 'lookUp':
        await this.owner.lookUpAgain(m.transactionId);
        return;
      case 'traceClick':
        // Checked like every other id argument: the command asks for one when this is not a transaction id.
        await vscode.commands.executeCommand(CommandIds.traceClick, m.transactionId);
        return;
      case 'fetchAll':
        await this.owner.fetchAll(this);
        return;
      case 'addConversions':
        await this.owner.addConversions(this);
        return;
      case 'openUnmatchedConversions':
        await this.owner.openUnmatchedConversions(this, m.as ?? 'json');
        return;
      case 'summaryOpen':
        await this.owner.workspaceState?.update(SUMMARY_OPEN_KEY, m.open);
        return;
      case 'runAgain':
        await this.owner.runAgain(this);
        return;
    }
  }

  protected override onDisposed(): void {
    this.arrived?.encoder.dispose();
    this.arrived = undefined;
    this.owner.disposed(this);
  }
}
