import * as vscode from 'vscode';
import { childFolders, queriesInFolder } from '../core/queryCollection';
import type { QueriesFile } from '../core/queriesFile';
import type { SavedQueries } from '../storage/savedQueries';
import type { QueryScope } from '../storage/queryScopeStore';
import { QueryDragAndDrop, type MoveHandler } from './queryDragAndDrop';
import type { QueryTreeNode } from './queryTreeNodes';

/**
 * How nodes are drawn (labels, descriptions, tooltips, which validate each query), loaded with the
 * first children the tree asks for: the view is registered at activation, its drawing code is not.
 * A node exists only after getChildren returned it, so getTreeItem always finds the code loaded.
 */
let drawing: typeof import('./queryTreeNodes') | undefined;
function loadDrawing(): Promise<typeof import('./queryTreeNodes')> {
  return import('./queryTreeNodes.js').then((m) => (drawing = m));
}
function drawn(): typeof import('./queryTreeNodes') {
  if (!drawing) throw new Error('Internal error: a saved-queries node was drawn before the tree listed it.');
  return drawing;
}

export const SAVED_QUERIES_VIEW = 'everflow.savedQueries';

/**
 * Scopes (Workspace, User) → folders → queries → each query's filters. When neither scope holds
 * anything the tree is empty on purpose, so the view's welcome content (package.json `viewsWelcome`)
 * offers to set a key, create a first query or import some.
 */
export class SavedQueriesView implements vscode.TreeDataProvider<QueryTreeNode>, vscode.Disposable {
  private readonly view: vscode.TreeView<QueryTreeNode>;
  private readonly changed = new vscode.EventEmitter<QueryTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly queries: SavedQueries,
    move: MoveHandler,
  ) {
    this.view = vscode.window.createTreeView(SAVED_QUERIES_VIEW, {
      treeDataProvider: this,
      dragAndDropController: new QueryDragAndDrop(move),
      canSelectMany: true,
      showCollapseAll: true,
    });
    // Keyboard and palette commands act on the selection only while the tree can be seen.
    queries.selection = () => (this.view.visible ? this.view.selection : []);
    this.disposables.push(
      this.view,
      this.changed,
      queries.onDidChange(() => {
        this.changed.fire(undefined);
        void this.updateContext();
      }),
    );
    void this.updateContext();
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'everflow.savedQueries.empty', this.queries.isEmpty());
  }

  getTreeItem(node: QueryTreeNode): vscode.TreeItem {
    const item = drawn().treeItemFor(node);
    item.id = drawn().nodeId(node);
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: QueryTreeNode): vscode.TreeItem {
    if (node.kind === 'query') item.tooltip = drawn().queryTooltip(node.scope, node.query);
    return item;
  }

  getChildren(node?: QueryTreeNode): QueryTreeNode[] | Promise<QueryTreeNode[]> {
    // The queries are read when the view is first shown (or something else needs them), not at activation.
    if (!this.queries.loadStarted || !drawing) return Promise.all([this.queries.load(), loadDrawing()]).then(() => this.childrenNow(node));
    return this.childrenNow(node);
  }

  /** The children from what is loaded now (nothing before the first load()). */
  childrenNow(node?: QueryTreeNode): QueryTreeNode[] {
    if (!node) {
      if (this.queries.isEmpty()) return [];
      return this.queries.stores().flatMap((s): QueryTreeNode[] => {
        const st = s.state();
        if (st.kind === 'unavailable') return [];
        return [{ kind: 'scope', scope: s.scope, empty: st.kind === 'ok' && st.file.queries.length + st.file.folders.length === 0 }];
      });
    }
    // A node of a folder just removed from the workspace, asked for before the refresh lands.
    if (!this.queries.has(node.scope)) return [];
    switch (node.kind) {
      case 'scope': {
        const store = this.queries.store(node.scope);
        const st = store.state();
        if (st.kind === 'error') return [{ kind: 'problem', scope: node.scope, problems: st.problems, uri: store.uri, fileName: 'everflow-queries.json' }];
        if (st.kind === 'unavailable') return [{ kind: 'unavailable', scope: node.scope, reason: st.reason }];
        return this.folderChildren(node.scope, st.file, undefined);
      }
      case 'folder': {
        const st = this.queries.store(node.scope).state();
        return st.kind === 'ok' ? this.folderChildren(node.scope, st.file, node.path) : [];
      }
      case 'query':
        return [
          ...node.query.filters.map((filter, index): QueryTreeNode => ({ kind: 'filter', scope: node.scope, query: node.query, filter, excluded: false, index })),
          ...node.query.exclusions.map((filter, index): QueryTreeNode => ({ kind: 'filter', scope: node.scope, query: node.query, filter, excluded: true, index })),
        ];
      default:
        return [];
    }
  }

  getParent(node: QueryTreeNode): QueryTreeNode | undefined {
    if (!this.queries.has(node.scope)) return undefined;
    const st = this.queries.store(node.scope).state();
    const scopeNode: QueryTreeNode = { kind: 'scope', scope: node.scope, empty: st.kind === 'ok' && st.file.queries.length + st.file.folders.length === 0 };
    const folderOf = (path: string | undefined): QueryTreeNode => (path ? { kind: 'folder', scope: node.scope, path } : scopeNode);
    switch (node.kind) {
      case 'scope':
        return undefined;
      case 'folder': {
        const i = node.path.lastIndexOf('/');
        return folderOf(i < 0 ? undefined : node.path.slice(0, i));
      }
      case 'query':
        return folderOf(node.query.folder);
      case 'filter':
        return { kind: 'query', scope: node.scope, query: node.query };
      default:
        return scopeNode;
    }
  }

  private folderChildren(scope: QueryScope, file: QueriesFile, folder: string | undefined): QueryTreeNode[] {
    return [
      ...childFolders(file, folder).map((path): QueryTreeNode => ({ kind: 'folder', scope, path })),
      ...queriesInFolder(file, folder).map((query): QueryTreeNode => ({ kind: 'query', scope, query })),
    ];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** A plain copy of a tree item, for the extension's API (integration tests read the tree with it). */
export interface TreeSnapshotNode {
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  /** The tooltip's markdown source (user text in it is escaped). */
  tooltip?: string;
  children: TreeSnapshotNode[];
}

/** The whole tree as it would render now, tooltips resolved (empty until the tree's drawing code has loaded). */
export function snapshotTree(view: SavedQueriesView, node?: QueryTreeNode): TreeSnapshotNode[] {
  if (!drawing) {
    void loadDrawing();
    return [];
  }
  return view.childrenNow(node).map((child) => {
    const item = view.resolveTreeItem(view.getTreeItem(child), child);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    const tip = item.tooltip;
    return {
      label,
      description: typeof item.description === 'string' ? item.description : undefined,
      contextValue: item.contextValue,
      icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
      tooltip: typeof tip === 'string' ? tip : tip?.value,
      children: snapshotTree(view, child),
    };
  });
}
