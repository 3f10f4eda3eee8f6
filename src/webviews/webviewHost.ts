import * as vscode from 'vscode';
import { reportError } from '../host/errorReporting';
import type { Logger } from '../logger';

// The one way a webview panel of this extension is hosted (the results grid, the saved-query form):
// every message from the webview is checked against its protocol at run time, then handled inside one
// error boundary. An error is reported to the user (reportError) and the webview is answered through
// `failed`, so an action it is waiting on settles instead of spinning. `ready` is the handshake: the
// webview posts it when its script runs (again after the panel was hidden and shown), and the host
// answers with what the page needs. Disposal is once, from either side.

export interface WebviewHostOptions<In> {
  /** Names the webview in messages and the log ("Results", "Query editor"). */
  label: string;
  /** The run-time check of the webview's messages (its file in src/protocol/). */
  isMessage: (m: unknown) => m is In;
  logger: Logger;
}

export abstract class WebviewHost<In extends { type: string }, Out> implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  private isDisposed = false;
  private isReady = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly options: WebviewHostOptions<In>,
  ) {
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
    );
  }

  /** True once the webview's script has said `ready` (the first time). */
  protected get ready(): boolean {
    return this.isReady;
  }

  protected get disposed(): boolean {
    return this.isDisposed;
  }

  protected post(message: Out): void {
    if (!this.isDisposed) void this.panel.webview.postMessage(message);
  }

  /** `post`, answering whether VS Code delivered it (false: the webview was not there to take it). */
  protected postDelivered(message: Out): Promise<boolean> {
    if (this.isDisposed) return Promise.resolve(false);
    return Promise.resolve(this.panel.webview.postMessage(message)).catch(() => false);
  }

  /** Handles one message of the webview; returns when it is settled. Exposed for tests of the boundary. */
  async receive(m: unknown): Promise<void> {
    if (!this.options.isMessage(m)) {
      this.options.logger.warn(`${this.options.label}: ignored a message of unknown shape from the webview.`);
      return;
    }
    try {
      if (m.type === 'ready') {
        this.isReady = true;
        await this.onReady();
      } else {
        await this.handle(m as Exclude<In, { type: 'ready' }>);
      }
    } catch (err) {
      reportError(err, this.options.logger, this.options.label);
      if (!this.isDisposed) this.failed(m, err);
    }
  }

  /** The webview's script is running (first load, or shown again after being hidden). */
  protected abstract onReady(): Promise<void> | void;

  /** Every message but `ready`, already checked against the protocol. */
  protected abstract handle(m: Exclude<In, { type: 'ready' }>): Promise<void> | void;

  /** Answers the webview after `handle` threw, so what it waits on settles. Nothing to answer by default. */
  protected failed(_m: In, _err: unknown): void {}

  /** Called once, before the panel and listeners go. */
  protected onDisposed(): void {}

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.onDisposed();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
