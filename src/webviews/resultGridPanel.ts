import * as vscode from 'vscode';
import * as config from '../config';
import { flattenRows } from '../core/flatten';
import { packTable, type PackedTable } from '../core/tablePack';
import { isValidZone } from '../core/timeWindow';
import { isResultsToHost, type ExportFormat, type HostToResults, type ResultsToHost } from '../protocol';
import { streamRequestOf } from '../results/fetchAllRun';
import type { ResultRequestMeta, ResultSet } from '../results/resultSet';
import { renderWebviewHtml } from './html';

// One results grid: a webview panel per result. The host keeps the rows (the webview is rebuilt
// whenever the panel is shown again, since it does not retain its context when hidden) and posts
// them after every `ready`; the webview keeps only its layout and filters, in its own state.

export const RESULTS_VIEW_TYPE = 'everflow.results';

type ExportReply = Extract<ResultsToHost, { type: 'export' }>;

/** What a panel needs from its owner (ResultGrids): the actions that take the extension's services. */
export interface PanelOwner {
  readonly extensionUri: vscode.Uri;
  act(panel: ResultGridPanel, message: ResultsToHost): Promise<void>;
  log(message: string): void;
  disposed(panel: ResultGridPanel): void;
  focused(panel: ResultGridPanel): void;
}

export interface RenderedInfo {
  shown: number;
  total: number;
  columns: string[];
}

/** How long a palette command waits for the grid to say what it shows before giving up. */
const REPLY_TIMEOUT_MS = 15_000;

export class ResultGridPanel implements vscode.Disposable {
  private packed: PackedTable | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly replies = new Map<number, (m: ExportReply) => void>();
  private nextRequestId = 1;
  private fetching = false;
  private disposed = false;
  /** What the grid last reported showing (tests and the log read it). */
  rendered: RenderedInfo | undefined;

  constructor(
    private readonly owner: PanelOwner,
    readonly panel: vscode.WebviewPanel,
    readonly id: string,
    private current: ResultSet | undefined,
    /** Title and request of a panel restored without its rows, for the "Run again" offer. */
    private readonly fallback: { title: string; request?: ResultRequestMeta },
  ) {
    panel.iconPath = vscode.Uri.joinPath(owner.extensionUri, 'media', 'everflow.svg');
    panel.webview.html = renderWebviewHtml(panel.webview, owner.extensionUri, {
      title: 'Everflow Results',
      script: 'results',
      styles: ['dist/webview/results.css', 'media/results.css'],
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState((e) => e.webviewPanel.active && owner.focused(this)),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
    );
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

  get isFetching(): boolean {
    return this.fetching;
  }

  /** The zone timestamps are shown in: the query's, else the hover setting's, else this machine's. */
  zone(): string {
    const wanted = this.current?.request.timezone ?? config.hoverTimezone();
    return wanted && isValidZone(wanted) ? wanted : Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  }

  /** Replaces the rows (after "Fetch all") and shows them. */
  setResult(result: ResultSet): void {
    this.current = result;
    this.packed = undefined;
    this.sendInit();
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

  private post(message: HostToResults): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private sendInit(): void {
    const result = this.current;
    if (!result) {
      const request = this.fallback.request;
      const canRunAgain = Boolean(request && (streamRequestOf({ title: '', request, rows: [] }) || request.transaction_id));
      this.post({ type: 'missing', title: this.fallback.title, request, canRunAgain });
      return;
    }
    // Flattened and packed once per result: the webview asks again each time the panel is shown.
    this.packed ??= packTable(flattenRows(result.rows));
    this.post({
      type: 'init',
      init: {
        resultId: this.id,
        title: result.title,
        request: result.request,
        zone: this.zone(),
        table: this.packed,
        canFetchAll: streamRequestOf(result) !== undefined,
        maxRows: config.resultsMaxRows(),
      },
    });
    if (this.fetching) this.post({ type: 'fetching', running: true });
  }

  private async onMessage(m: unknown): Promise<void> {
    if (!isResultsToHost(m)) {
      this.owner.log('Results: ignored a message of unknown shape from the grid.');
      return;
    }
    switch (m.type) {
      case 'ready':
        this.sendInit();
        return;
      case 'rendered':
        this.rendered = { shown: m.shown, total: m.total, columns: m.columns };
        return;
      case 'rowJson': {
        const click = this.current?.rows[m.row];
        if (click) this.post({ type: 'rowJson', requestId: m.requestId, row: m.row, json: JSON.stringify(click, null, 2) });
        return;
      }
      case 'export':
        if (m.requestId !== undefined) {
          const reply = this.replies.get(m.requestId);
          this.replies.delete(m.requestId);
          reply?.(m);
          if (reply) return;
        }
        await this.owner.act(this, m);
        return;
      default:
        await this.owner.act(this, m);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.owner.disposed(this);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
