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
import { PieceWriter } from '../core/tablePieces';
import type { ArrivalEncoder } from '../results/arrivalEncoder';
import { isValidZone } from '../core/wallClock';
import { isResultsToHost, type ConversionsInfo, type ExportFormat, type HostToResults, type ResultsInit, type ResultsToHost } from '../protocol/results';
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

/** Fetch all's pieces into one grid: `held` while its page cannot take them (hidden, or a post was lost). */
interface PieceRun {
  arrival: ArrivalEncoder;
  writer: PieceWriter;
  held: boolean;
}

/** Fetch all runs of pieces, numbered so a webview never takes one run's piece for another's. */
let pieceRuns = 0;

/** How long a palette command waits for the grid to say what it shows before giving up. */
const REPLY_TIMEOUT_MS = 15_000;

export class ResultGridPanel extends WebviewHost<ResultsToHost, HostToResults> {
  private packed: BinaryTable | undefined;
  /** The columns of the table last posted (whole or as the end of pieces). */
  private sentColumns: readonly string[] | undefined;
  /** The encoding under way, so a second `ready` meanwhile waits for it instead of starting another. */
  private encoding: { result: ResultSet; table: Promise<BinaryTable>; asArrived: boolean } | undefined;
  /** The rows of `result` encoded as they arrived (Fetch all), until its table is finished. */
  private arrived: { result: ResultSet; encoder: ArrivalEncoder } | undefined;
  /** Fetch all's pieces of the table posted as its pages came (streamPieces), until their end is posted. */
  private pieceRun: PieceRun | undefined;
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
  /**
   * How the table was first sent (tests read it: Fetch all's must not fall back to at once): in pieces
   * as Fetch all's pages came, finished from them after the last, or encoded at once.
   */
  encoded: 'pieces' | 'asArrived' | 'atOnce' | undefined;
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
    return this.sentColumns ? [...this.sentColumns] : undefined;
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
    this.encoded = undefined;
    // A run of pieces whose rows are not these (Fetch all failed or found nothing) ends unposted.
    if (this.pieceRun && this.pieceRun.arrival !== arrived) this.pieceRun = undefined;
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
    // A rebuilt webview has none of the pieces posted before: the next one starts over.
    if (this.pieceRun) {
      this.pieceRun.writer.restart();
      this.pieceRun.held = false;
    }
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
    // Fetch all's table went to the grid in pieces as its pages came: only their end goes now.
    if (!this.packed && this.endPieces(result)) return;
    const packed = await this.tableOf(result);
    // A newer result (Fetch all) or a closed panel took its place meanwhile: that one posts its own.
    if (!packed || this.current !== result || this.disposed) return;
    this.postInit(result, packed);
  }

  /**
   * The result's table, joined, flattened and encoded once per result (the webview asks again each
   * time the panel is shown); undefined when a newer result or a closed panel took its place.
   * VS Code moves the typed arrays as binary (engines ≥ 1.57), so a million rows never become JSON.
   */
  private async tableOf(result: ResultSet): Promise<BinaryTable | undefined> {
    if (this.packed) return this.packed;
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
    if (this.current !== result || this.disposed) return undefined;
    this.packed = table;
    this.encoding = undefined;
    this.encoded ??= arrivedHere ? 'asArrived' : 'atOnce';
    return table;
  }

  /**
   * Fetch all is about to append its pages to `arrival`: each time some are encoded, what they added
   * to the table goes to the grid as a piece (src/core/tablePieces.ts), so that when the last page is
   * in the grid has nearly all of it, instead of the whole table then.
   */
  streamPieces(arrival: ArrivalEncoder): void {
    const run: PieceRun = { arrival, writer: new PieceWriter(`${this.id}#${++pieceRuns}`, arrival.encoder), held: false };
    this.pieceRun = run;
    arrival.onEncoded = () => {
      if (this.pieceRun !== run || this.disposed) return;
      // A hidden grid has no page to take them (its webview is rebuilt when shown): held until its `ready`.
      if (!this.panel.visible) this.holdPieces(run);
      if (run.held) return;
      const piece = run.writer.next();
      // Not delivered (the webview was not there): held, and started over from the first row at its `ready`.
      if (piece) void this.postDelivered({ type: 'tablePiece', piece }).then((ok) => ok || this.holdPieces(run));
    };
  }

  private holdPieces(run: PieceRun): void {
    run.held = true;
    run.writer.restart();
  }

  /** Posts the end of the pieces of `result`'s table, when they were posted and make it; else false. */
  private endPieces(result: ResultSet): boolean {
    const run = this.pieceRun;
    const arrived = this.arrived?.result === result ? this.arrived.encoder : undefined;
    if (!run || run.arrival !== arrived) return false;
    this.pieceRun = undefined;
    arrived.onEncoded = undefined;
    // The page lost the pieces (hidden, or a post missed it): the whole table goes instead.
    if (run.held || !this.panel.visible) return false;
    arrived.drain();
    const end = run.writer.end(gridRows(result), this.prepare()!);
    if (!end) return false;
    if (end.piece) this.post({ type: 'tablePiece', piece: end.piece });
    this.postInit(result, end.table);
    // The whole table (for a rebuilt webview, or pieces that did not make it) is finished when asked
    // for, or once the grid has drawn this one (finishing lets go of the encoder's working arrays).
    this.encoded = 'pieces';
    return true;
  }

  private postInit(result: ResultSet, table: ResultsInit['table']): void {
    this.sentColumns = table.columns;
    this.post({
      type: 'init',
      init: {
        resultId: this.id,
        title: result.title,
        request: result.request,
        zone: this.zone(),
        table,
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
        // The grid drew the table its pieces made: now the whole one, for the next time it is asked for.
        if (result && this.encoded === 'pieces' && !this.packed) void this.tableOf(result);
        return;
      case 'needTable':
        if (result && m.resultId === this.id) {
          this.owner.logger.debug(`Results "${this.title}": the grid's pieces did not make its table (a piece was lost or the page was rebuilt); sending it whole.`);
          const packed = await this.tableOf(result);
          if (packed && this.current === result) this.postInit(result, packed);
        }
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
