import * as vscode from 'vscode';
import type { AccountStore } from '../accounts';
import { findQuery, folderPaths, withQuery } from '../core/queryCollection';
import { normalizeSavedQuery, validateSavedQuery, type SavedQuery } from '../core/savedQuery';
import type { ValidationProblem } from '../core/types';
import type { Logger } from '../logger';
import { describeError } from '../core/errors';
import { isQueryEditorToHost, type HostToQueryEditor, type QueryEditorInit, type QueryEditorToHost } from '../protocol/queryEditor';
import { QueriesFileError, isWorkspaceScope, scopeLabel } from '../storage/queryScopeStore';
import type { QueryRef, SavedQueries } from '../storage/savedQueries';
import type { TimezoneService } from '../timezoneService';
import { renderWebviewHtml, webviewOptions } from './html';
import { CommandIds } from '../host/commandIds';
import { WebviewHost } from './webviewHost';

// The saved-query form: one panel per query (opening it again reveals it). The webview validates as
// the user types with the same src/core code; the host validates again before it writes, because a
// webview's message is input like any other, and writes through the store (re-read, refuse while the
// file has an error, atomic).

const VIEW_TYPE = 'everflow.queryEditor';

export interface QueryEditorDeps {
  extensionUri: vscode.Uri;
  savedQueries: SavedQueries;
  timezones: TimezoneService;
  accounts: AccountStore;
  logger: Logger;
}

export class QueryEditors implements vscode.Disposable {
  private readonly panels = new Map<string, QueryEditorPanel>();

  constructor(private readonly deps: QueryEditorDeps) {}

  /** Opens (or reveals) the form for a query; returns once the panel exists. */
  open(ref: QueryRef): QueryEditorPanel {
    const key = `${ref.scope}:${ref.id}`;
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = new QueryEditorPanel(this.deps, ref, () => this.panels.delete(key));
    this.panels.set(key, panel);
    return panel;
  }

  /** Open forms, by `scope:id` (tests look at them). */
  openKeys(): string[] {
    return [...this.panels.keys()];
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
  }
}

export class QueryEditorPanel extends WebviewHost<QueryEditorToHost, HostToQueryEditor> {
  private lastSent: string | undefined;

  constructor(
    private readonly deps: QueryEditorDeps,
    private readonly ref: QueryRef,
    private readonly onDispose: () => void,
  ) {
    const query = deps.savedQueries.find(ref);
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, title(query), vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    super(panel, { label: 'Query editor', isMessage: isQueryEditorToHost, logger: deps.logger });
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'everflow.svg');
    panel.webview.html = renderWebviewHtml(panel.webview, deps.extensionUri, { title: 'Edit Saved Query', script: 'queryEditor', styles: ['media/queryEditor.css'] });
    this.disposables.push(deps.savedQueries.store(ref.scope).onDidChange(() => this.onFileChange()));
  }

  reveal(): void {
    this.panel.reveal();
  }

  protected async handle(m: Exclude<QueryEditorToHost, { type: 'ready' }>): Promise<void> {
    switch (m.type) {
      case 'close':
        this.panel.dispose();
        return;
      case 'save':
        await this.save(m.requestId, m.draft, m.thenRun);
        return;
    }
  }

  /**
   * A save that threw (the file could not be written, a write conflict repeated): the form hears why,
   * keeps its edits (they are the webview's draft) and can save again.
   */
  protected override failed(m: QueryEditorToHost, err: unknown): void {
    if (m.type === 'save') this.post({ type: 'saveFailed', requestId: m.requestId, problems: [], message: `Not saved: ${this.deps.logger.redact(describeError(err))}` });
  }

  protected async onReady(): Promise<void> {
    const { savedQueries, timezones, accounts } = this.deps;
    const query = savedQueries.find(this.ref);
    if (!query) {
      this.post({ type: 'externalChange', query: undefined });
      return;
    }
    // The form opens at once with the zones known so far; Everflow's own list follows if it comes.
    const state = savedQueries.store(this.ref.scope).state();
    const init: QueryEditorInit = {
      scope: this.ref.scope,
      scopeLabel: isWorkspaceScope(this.ref.scope) ? `${scopeLabel(this.ref.scope)} · .vscode/everflow-queries.json` : `${scopeLabel(this.ref.scope)} · synced with Settings Sync`,
      query,
      zones: timezones.known().map((z) => z.timezone),
      zonesFromEverflow: false,
      accounts: (await accounts.list()).map((a) => a.name),
      folders: state.kind === 'ok' ? folderPaths(state.file) : [],
    };
    this.lastSent = JSON.stringify(query);
    this.post({ type: 'init', init });
    try {
      const zones = await timezones.all();
      this.post({ type: 'init', init: { ...init, zones: zones.map((z) => z.timezone), zonesFromEverflow: true } });
    } catch {
      // No key or no network: the documented zones stay, and the host's check on save decides.
    }
  }

  private async knownZones(): Promise<string[] | undefined> {
    try {
      return (await this.deps.timezones.all()).map((z) => z.timezone);
    } catch {
      return undefined;
    }
  }

  private async save(requestId: number, draft: unknown, thenRun: boolean): Promise<void> {
    const fail = (problems: ValidationProblem[], message?: string) => this.post({ type: 'saveFailed', requestId, problems, message });
    if (typeof draft !== 'object' || draft === null) return fail([], 'The form sent nothing to save.');
    // The id is the host's: a form cannot retarget its save to another query.
    const candidate = { ...(draft as Record<string, unknown>), id: this.ref.id };
    const problems = validateSavedQuery(candidate, { knownZones: await this.knownZones() });
    if (problems.length) return fail(problems, 'Not saved: fix the problems marked in the form.');
    const query = normalizeSavedQuery(candidate as unknown as SavedQuery);
    try {
      await this.deps.savedQueries.store(this.ref.scope).update((file) => {
        // Deleted elsewhere while the form was open: saving puts it back, which is what Save means.
        if (!findQuery(file, query.id)) this.deps.logger.info(`Query editor: "${query.name}" was re-added (it had been removed from the file).`);
        return { file: withQuery(file, query), result: undefined };
      });
    } catch (e) {
      if (e instanceof QueriesFileError) return fail([], e.message);
      throw e;
    }
    this.lastSent = JSON.stringify(query);
    this.panel.title = title(query);
    this.post({ type: 'saved', requestId, query });
    if (thenRun) void vscode.commands.executeCommand(CommandIds.runSavedQuery, { scope: this.ref.scope, id: this.ref.id });
  }

  /** Tells the form when the query changed in the file (another window, a hand edit, git). */
  private onFileChange(): void {
    if (!this.ready) return;
    const query = this.deps.savedQueries.find(this.ref);
    const text = query ? JSON.stringify(query) : undefined;
    if (text === this.lastSent) return;
    this.lastSent = text;
    if (query) this.panel.title = title(query);
    this.post({ type: 'externalChange', query });
  }

  protected override onDisposed(): void {
    this.onDispose();
  }
}

function title(q: SavedQuery | undefined): string {
  return q ? `Query: ${q.name}` : 'Query';
}
