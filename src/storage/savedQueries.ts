import * as vscode from 'vscode';
import type { SavedQuery } from '../core/savedQuery';
import { UserFacingError } from '../core/errors';
import { workspaceScopes } from '../core/queryScope';
import { QueryScopeStore, scopeLabel, type QueryScope } from './queryScopeStore';
import { UserQueryStore } from './userQueryStore';
import { WorkspaceQueryStore } from './workspaceQueryStore';

// Every scope behind one object (the user's store, and one workspace file per workspace folder), plus
// the problems of each shown in the Problems panel at their exact place in the text.

export interface QueryRef {
  scope: QueryScope;
  id: string;
}

export interface ScopedQuery {
  scope: QueryScope;
  query: SavedQuery;
}

export class SavedQueries implements vscode.Disposable {
  /** One store per workspace folder, in the folders' order; one unavailable store when none is open. */
  private workspaces: WorkspaceQueryStore[] = [];
  private workspaceSubscriptions: vscode.Disposable[] = [];
  readonly user: UserQueryStore;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('everflow-queries');
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when any scope's queries, folders or problems change. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private loading: Promise<void> | undefined;
  /** The saved-queries tree's selection, for commands run from the keyboard or the palette. */
  selection: () => readonly unknown[] = () => [];

  constructor(globalState: vscode.Memento & { setKeysForSync(keys: readonly string[]): void }) {
    this.user = new UserQueryStore(globalState);
    this.disposables.push(this.user, this.follow(this.user));
    this.buildWorkspaces();
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.buildWorkspaces();
        void Promise.all(this.workspaces.map((w) => w.reload())).then(() => this.changed.fire());
      }),
    );
    // Nothing is read or watched here: activation only sets the stores up (and registers the user
    // store's file system, as VS Code requires). The files are read, parsed and watched on first use, see load().
  }

  /**
   * Reads every scope the first time something needs the queries (the view shown, a command, a chat
   * tool, the API); later calls get the same read. From then on the watchers reload a scope changed on
   * disk, and a broken file's problem reaches the Problems panel as soon as it is read.
   */
  load(): Promise<void> {
    if (!this.loading) for (const w of this.workspaces) w.watch();
    return (this.loading ??= this.reloadAll());
  }

  /** True once load() has run (its read may still be under way). */
  get loadStarted(): boolean {
    return this.loading !== undefined;
  }

  private follow(store: QueryScopeStore): vscode.Disposable {
    return store.onDidChange(() => {
      this.publish(store);
      this.changed.fire();
    });
  }

  /** (Re)creates the workspace stores for the folders open now. */
  private buildWorkspaces(): void {
    for (const w of this.workspaces) {
      if (w.uri) this.diagnostics.delete(w.uri);
    }
    for (const d of this.workspaceSubscriptions) d.dispose();
    const folders = vscode.workspace.workspaceFolders ?? [];
    const scopes = workspaceScopes(folders.map((f) => f.name));
    this.workspaces = folders.length ? folders.map((f, i) => new WorkspaceQueryStore(f, scopes[i])) : [new WorkspaceQueryStore(undefined)];
    if (this.loading) for (const w of this.workspaces) w.watch();
    this.workspaceSubscriptions = this.workspaces.flatMap((w) => [w, this.follow(w)]);
  }

  /** The first workspace folder's store (the only one outside multi-root workspaces). */
  get workspace(): WorkspaceQueryStore {
    return this.workspaces[0];
  }

  stores(): QueryScopeStore[] {
    return [...this.workspaces, this.user];
  }

  /** The store of `scope`; "workspace" also names the first folder of a multi-root workspace. */
  store(scope: QueryScope): QueryScopeStore {
    if (scope === 'user') return this.user;
    if (scope === 'workspace') return this.workspaces[0];
    const found = this.workspaces.find((w) => w.scope === scope);
    if (!found) throw new UserFacingError(`There is no workspace folder "${scope.slice('workspace:'.length)}" open any more.`);
    return found;
  }

  label(scope: QueryScope): string {
    return scopeLabel(scope);
  }

  async reloadAll(): Promise<void> {
    await Promise.all(this.stores().map((s) => s.reload()));
  }

  /** The query as currently loaded, or undefined. */
  /** True when `scope` names a store open now. */
  has(scope: QueryScope): boolean {
    return scope === 'user' || scope === 'workspace' || this.workspaces.some((w) => w.scope === scope);
  }

  find(ref: QueryRef): SavedQuery | undefined {
    if (!this.has(ref.scope)) return undefined;
    const state = this.store(ref.scope).state();
    return state.kind === 'ok' ? state.file.queries.find((q) => q.id === ref.id) : undefined;
  }

  /** Every loaded query of both scopes. */
  all(): ScopedQuery[] {
    return this.stores().flatMap((s) => {
      const st = s.state();
      return st.kind === 'ok' ? st.file.queries.map((query) => ({ scope: s.scope, query })) : [];
    });
  }

  /** True when neither scope holds a query, a folder or a problem: the view shows its welcome. */
  isEmpty(): boolean {
    return this.stores().every((s) => {
      const st = s.state();
      return st.kind === 'unavailable' || (st.kind === 'ok' && st.file.queries.length === 0 && st.file.folders.length === 0);
    });
  }

  private publish(store: QueryScopeStore): void {
    const uri = store.uri;
    const state = store.state();
    if (!uri) return;
    if (state.kind !== 'error') {
      this.diagnostics.delete(uri);
      return;
    }
    this.diagnostics.set(
      uri,
      state.problems.map((p) => {
        const range = new vscode.Range(p.line, p.character, p.end.line, p.end.character);
        const d = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
        d.source = 'Everflow Clicks';
        return d;
      }),
    );
  }

  dispose(): void {
    for (const d of this.workspaceSubscriptions) d.dispose();
    for (const d of this.disposables) d.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}
