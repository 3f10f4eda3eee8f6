import * as vscode from 'vscode';
import * as config from '../config';
import { failureContext, fetchResultConversions } from '../conversions/gridConversions';
import type { ConversionPaging } from '../core/conversions/fetch';
import { CommandIds } from '../host/commandIds';
import { reportError } from '../host/errorReporting';
import { showInfo } from '../notifications';
import type { ConversionsInfo } from '../protocol/results';
import { isTransactionId } from '../core/validation';
import type { ExportFormat, ResultsPanelState, RowScope } from '../protocol/results';
import { ArrivalEncoder } from '../results/arrivalEncoder';
import { runFetchAll, streamRequestOf, type FetchAllDeps } from '../results/fetchAllRun';
import type { GridOpener } from '../results/presenter';
import type { ResultDocuments } from '../results/resultDocuments';
import type { ResultRequestMeta, ResultSet } from '../results/resultSet';
import { isResultId, newResultId, readerThreadOf, ResultStore } from '../results/resultStore';
import { gridRows, isConversionsResult, unmatchedConversionsResult } from '../results/conversionsResult';
import { webviewOptions } from './html';
import { exportRows, openRowsAsJson, type ExportOutcome } from './resultsActions';
import { RESULTS_VIEW_TYPE, ResultGridPanel, type PanelOwner, type RenderedInfo } from './resultGridPanel';

// Every results grid of the window: opens them, restores them after a reload (the webview panel
// serializer), keeps their rows in a ResultStore, and carries out what a grid asks for. Commands
// from the palette act on the active grid.

/** A grid as the extension's API shows it (tests read it). */
export interface ResultPanelInfo {
  id: string;
  title: string;
  /** Rows the host holds; undefined when the panel was restored without them. */
  rows?: number;
  truncated?: boolean;
  partial?: boolean;
  active: boolean;
  rendered?: RenderedInfo;
  /** Distinct transaction ids among the rows (equal to `rows` when nothing is duplicated). */
  distinctIds?: number;
  /** Every column the grid was sent (visible or not), once it has been sent; `extra:…` for fields the catalogue does not name. */
  columns?: string[];
  /** Set once conversions were added: what their join gave. */
  conversions?: ConversionsInfo;
  /** 'conversions' for a grid of conversions (its `rows` count conversions). */
  kind?: ResultRequestMeta['kind'];
  /** How the grid's table was first sent: in pieces as Fetch all's pages arrived, finished from them after the last, or encoded at once. */
  encoded?: 'pieces' | 'asArrived' | 'atOnce';
}

export interface ResultsApi {
  panels(): ResultPanelInfo[];
  /** Restores a grid into `panel` from a webview state, as the serializer does after a reload. */
  restore(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
}

/**
 * What the grids need of the rest of the extension: Fetch all's client, timezones and log, and the
 * documents "Open as JSON" opens. Look-ups and re-runs go through their commands.
 */
export interface GridDeps extends FetchAllDeps {
  readonly documents: ResultDocuments;
  /** The run history, which records what Fetch all gathered for the run it came from. */
  readonly history: { recordFetchAll(id: string, result: ResultSet): Promise<void> };
}

export class ResultGrids implements GridOpener, PanelOwner, vscode.Disposable {
  readonly extensionUri: vscode.Uri;
  /** Where the results panels keep what is remembered per workspace (the summary shown or collapsed). */
  readonly workspaceState: vscode.Memento;
  private readonly panels = new Map<string, ResultGridPanel>();
  private readonly store: ResultStore;
  private readonly registration: vscode.Disposable;
  private last: ResultGridPanel | undefined;
  private shuttingDown = false;

  constructor(
    context: vscode.ExtensionContext,
    private readonly deps: GridDeps,
  ) {
    this.extensionUri = context.extensionUri;
    this.workspaceState = context.workspaceState;
    const dir = (context.storageUri ?? context.globalStorageUri)?.fsPath;
    this.store = new ResultStore(dir ? `${dir}/results` : undefined, undefined, (m) => deps.logger.warn(m), readerThreadOf(context));
    this.registration = vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => this.restore(panel, state),
    });
  }

  async open(result: ResultSet): Promise<void> {
    this.openPanel(result);
  }

  private openPanel(result: ResultSet): ResultGridPanel {
    const panel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, result.title, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    const grid = new ResultGridPanel(this, panel, newResultId(), result, { title: result.title, request: result.request });
    this.track(grid);
    // Not awaited: a big result takes seconds to write, and nothing waits for it but a restore (which does).
    void this.store.save(grid.id, result);
    // The setting's "add automatically": the same as the button, after the grid is open (errors reported the same way).
    if (config.conversionsAddAutomatically() && !result.conversions && result.rows.length > 0) void this.addConversions(grid);
    return grid;
  }

  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    panel.webview.options = webviewOptions(this.extensionUri);
    const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<ResultsPanelState>;
    const result = isResultId(s.resultId) ? await this.store.load(s.resultId) : undefined;
    // A second panel restored from the same state (a copy) gets rows of its own, so closing one
    // does not take the other's.
    const id = isResultId(s.resultId) && !this.panels.has(s.resultId) ? s.resultId : newResultId();
    if (result && id !== s.resultId) await this.store.save(id, result);
    const title = result?.title ?? (typeof s.title === 'string' ? s.title : 'Everflow Results');
    const request = result?.request ?? (typeof s.request === 'object' && s.request !== null ? s.request : undefined);
    if (!result) this.deps.logger.info(`Results: "${title}" was restored without its rows (no longer kept).`);
    this.track(new ResultGridPanel(this, panel, id, result, { title, request }));
  }

  private track(p: ResultGridPanel): void {
    this.panels.set(p.id, p);
    this.last = p;
  }

  /** The grid in front, else the one opened or focused last. */
  active(): ResultGridPanel | undefined {
    for (const p of this.panels.values()) if (p.panel.active) return p;
    return this.last;
  }

  find(id: unknown): ResultGridPanel | undefined {
    return typeof id === 'string' ? this.panels.get(id) : undefined;
  }

  info(): ResultPanelInfo[] {
    return [...this.panels.values()].map((p) => ({
      id: p.id,
      title: p.title,
      rows: p.result ? gridRows(p.result).length : undefined,
      truncated: p.result?.request.truncated,
      partial: p.result?.request.partial,
      active: p.panel.active,
      rendered: p.rendered,
      distinctIds: p.result ? new Set(gridRows(p.result).map((r) => r.transaction_id)).size : undefined,
      columns: p.columnIds,
      conversions: p.result?.conversions && !isConversionsResult(p.result) ? p.conversionsInfo : undefined,
      kind: p.result?.request.kind ?? p.request?.kind,
      encoded: p.encoded,
    }));
  }

  api(): ResultsApi {
    return { panels: () => this.info(), restore: (panel, state) => this.restore(panel, state) };
  }

  // ---- PanelOwner ----------------------------------------------------------------------------

  get logger(): GridDeps['logger'] {
    return this.deps.logger;
  }

  focused(panel: ResultGridPanel): void {
    this.last = panel;
  }

  disposed(panel: ResultGridPanel): void {
    this.panels.delete(panel.id);
    if (this.last === panel) this.last = [...this.panels.values()].at(-1);
    // Closed by the user: the rows go too. Not when the window closes or reloads, when the panel
    // is about to be restored from them.
    if (!this.shuttingDown) void this.store.delete(panel.id);
  }

  /** "Look up again": through the look-up command, asking Everflow anew (the point is to see the click as it is now). */
  async lookUpAgain(transactionId: string): Promise<void> {
    const id = transactionId.trim().toLowerCase();
    if (!isTransactionId(id)) throw new Error('That row has no transaction ID to look up.');
    await vscode.commands.executeCommand(CommandIds.lookUpClick, id, { fresh: true });
  }

  async openJson(panel: ResultGridPanel, rows: RowScope): Promise<void> {
    const result = panel.result;
    if (result) await openRowsAsJson(this.deps.documents, result, rows, () => exportRows(result, panel.zone(), 'json', rows, []));
  }

  // ---- what the palette commands do to a grid -------------------------------------------------

  /** Fetches every click of a capped stream into the panel; returns the rows it then holds. */
  async fetchAll(panel: ResultGridPanel): Promise<number | undefined> {
    const result = panel.result;
    if (!result || panel.isFetching) return undefined;
    panel.setFetching(true);
    // The grid's table is encoded as the pages arrive, so the grid has the rows soon after the last one.
    const arrival = new ArrivalEncoder();
    // …and posted to the grid in pieces as they are encoded, so at the end it has most of them.
    panel.streamPieces(arrival);
    let handedOver = false;
    try {
      const fetched = await runFetchAll(this.deps, result, arrival.add);
      if (!fetched) return result.rows.length;
      // Conversions added before stay: they are joined again with the clicks Fetch all brought.
      const next: ResultSet = result.conversions && !fetched.conversions ? { ...fetched, conversions: result.conversions } : fetched;
      panel.setResult(next, arrival);
      handedOver = true;
      void this.store.save(panel.id, next);
      if (next.historyId) void this.deps.history.recordFetchAll(next.historyId, next);
      return next.rows.length;
    } finally {
      if (!handedOver) arrival.dispose();
      panel.setFetching(false);
    }
  }

  /**
   * "Add Conversions": the conversion report of the result's window joined into new columns. On a
   * failure (403, 400, a page failing after retries) one message says which, and the grid stays as it
   * was. Returns what the join gave, or undefined when nothing was added.
   */
  async addConversions(panel: ResultGridPanel): Promise<ConversionsInfo | undefined> {
    const result = panel.result;
    if (!result || panel.isAddingConversions || isConversionsResult(result)) return undefined;
    panel.setAddingConversions(true);
    let last: ConversionPaging | undefined;
    try {
      const conversions = await fetchResultConversions(this.deps, result, { onPage: (p) => (last = p) });
      if (!conversions) return undefined;
      // The rows may have changed meanwhile (Fetch all): join with what the panel holds now.
      const now = panel.result ?? result;
      const next: ResultSet = { ...now, conversions };
      panel.setResult(next);
      void this.store.save(panel.id, next);
      return panel.conversionsInfo;
    } catch (e) {
      reportError(e, this.deps.logger, failureContext(last));
      return undefined;
    } finally {
      panel.setAddingConversions(false);
    }
  }

  /**
   * The conversions whose click is not in the grid's result, as a results grid of their own (rows are
   * conversions; returns its panel id) or as a JSON document.
   */
  async openUnmatchedConversions(panel: ResultGridPanel, as: 'grid' | 'json' = 'json'): Promise<string | undefined> {
    const conv = panel.result?.conversions;
    const unmatched = panel.unmatchedConversions;
    if (!conv || unmatched.length === 0 || isConversionsResult(panel.result!)) {
      void showInfo('Every conversion of this report belongs to a click of this result.');
      return undefined;
    }
    if (as === 'grid') return this.openPanel(unmatchedConversionsResult(panel.result!, unmatched)!).id;
    const { rows: _rows, exchanges: _x, ...report } = conv;
    await this.deps.documents.open(`${panel.title} conversions without their click`, {
      note: `${unmatched.length.toLocaleString('en-US')} conversion(s) of the report whose click is not in "${panel.title}" (clicks outside its window or filters, or not fetched: a capped result).`,
      report,
      conversions: unmatched,
    });
    return undefined;
  }

  /** Exports what the grid shows (its columns in order, its filtered rows). */
  async exportShown(panel: ResultGridPanel, format: ExportFormat): Promise<ExportOutcome | undefined> {
    const result = panel.result;
    if (!result) throw new Error('This grid no longer holds its rows; run the query again to export them.');
    const shown = await panel.whatIsShown(format);
    return exportRows(result, panel.zone(), format, shown?.rows ?? 'all', shown?.columns ?? []);
  }

  async runAgain(panel: ResultGridPanel): Promise<void> {
    const request = panel.request;
    if (!request) return;
    const stream = streamRequestOf({ title: '', request, rows: [] });
    const ok = stream
      ? await vscode.commands.executeCommand<boolean>(CommandIds.runClickStream, stream)
      : request.transaction_id
        ? await vscode.commands.executeCommand<boolean>(CommandIds.lookUpClick, request.transaction_id)
        : false;
    if (ok) panel.dispose();
  }

  /** Settles when the results being kept for a reload are written (a reload right after Fetch all keeps its rows). */
  flush(): Promise<void> {
    return this.store.flush();
  }

  dispose(): void {
    this.shuttingDown = true;
    this.registration.dispose();
    for (const p of [...this.panels.values()]) p.dispose();
  }
}
