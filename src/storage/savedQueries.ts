import * as vscode from 'vscode';
import type { SavedQuery } from '../core/savedQuery';
import { QueryScopeStore, SCOPE_LABELS, type QueryScope } from './queryScopeStore';
import { UserQueryStore } from './userQueryStore';
import { WorkspaceQueryStore } from './workspaceQueryStore';

// Both scopes behind one object, plus the problems of each shown in the Problems panel at their exact
// place in the text.

export interface QueryRef {
  scope: QueryScope;
  id: string;
}

export interface ScopedQuery {
  scope: QueryScope;
  query: SavedQuery;
}

export class SavedQueries implements vscode.Disposable {
  readonly workspace: WorkspaceQueryStore;
  readonly user: UserQueryStore;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('everflow-queries');
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when either scope's queries, folders or problems change. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** The saved-queries tree's selection, for commands run from the keyboard or the palette. */
  selection: () => readonly unknown[] = () => [];

  constructor(globalState: vscode.Memento & { setKeysForSync(keys: readonly string[]): void }) {
    this.workspace = new WorkspaceQueryStore();
    this.user = new UserQueryStore(globalState);
    for (const store of this.stores()) {
      this.disposables.push(
        store,
        store.onDidChange(() => {
          this.publish(store);
          this.changed.fire();
        }),
      );
    }
    void this.reloadAll();
  }

  stores(): QueryScopeStore[] {
    return [this.workspace, this.user];
  }

  store(scope: QueryScope): QueryScopeStore {
    return scope === 'workspace' ? this.workspace : this.user;
  }

  label(scope: QueryScope): string {
    return SCOPE_LABELS[scope];
  }

  async reloadAll(): Promise<void> {
    await Promise.all(this.stores().map((s) => s.reload()));
  }

  /** The query as currently loaded, or undefined. */
  find(ref: QueryRef): SavedQuery | undefined {
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
    for (const d of this.disposables) d.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}
