import * as vscode from 'vscode';
import { showError, showInfo } from '../notifications';
import { folderPaths } from '../core/queryCollection';
import { describeQueryLogic, describeWindow } from '../core/savedQuery';
import type { Services } from '../services';
import { QueriesFileError, isQueryScope, isWorkspaceScope, scopeLabel, type QueryScope } from '../storage/queryScopeStore';
import type { ScopedQuery } from '../storage/savedQueries';
import type { DropTarget } from '../views/queryDragAndDrop';
import type { QueryTreeNode } from '../views/queryTreeNodes';
import { CommandIds } from '../host/commandIds';

// What a saved-query command acts on. Commands are reached four ways: a tree item (its node), the
// keyboard (the tree's selection), the palette (nothing: ask) and scripts and tests (a plain
// `{ scope, id, … }` object, which also carries answers to any prompt the command would show).

export interface QueryArgs {
  scope?: QueryScope;
  id?: string;
  folder?: string;
}

const isScope = isQueryScope;

function asNode(arg: unknown): QueryTreeNode | undefined {
  return typeof arg === 'object' && arg !== null && typeof (arg as { kind?: unknown }).kind === 'string' ? (arg as QueryTreeNode) : undefined;
}

/** The tree node in `arg`, or else the first selected node of the tree. */
export function nodeOf(services: Services, arg: unknown): QueryTreeNode | undefined {
  return asNode(arg) ?? (arg === undefined ? (services.savedQueries.selection()[0] as QueryTreeNode | undefined) : undefined);
}

/** The query `arg` names (a query or filter node, `{ scope, id }`, or the selection), else undefined. */
export function queryFromArg(services: Services, arg: unknown): ScopedQuery | undefined {
  const node = nodeOf(services, arg);
  if (node?.kind === 'query' || node?.kind === 'filter') {
    const query = services.savedQueries.find({ scope: node.scope, id: node.query.id });
    return query ? { scope: node.scope, query } : undefined;
  }
  const plain = arg as QueryArgs | undefined;
  if (!node && plain && isScope(plain.scope) && typeof plain.id === 'string') {
    const query = services.savedQueries.find({ scope: plain.scope, id: plain.id });
    if (!query) throw new Error(`There is no ${scopeLabel(plain.scope).toLowerCase()} query with id "${plain.id}".`);
    // As the store names itself: "workspace" is the first folder's "workspace:<name>" in a multi-root workspace.
    return { scope: services.savedQueries.store(plain.scope).scope, query };
  }
  return undefined;
}

/** The query for a command, asking with a quick pick when nothing names one. */
export async function resolveQuery(services: Services, arg: unknown, title: string): Promise<ScopedQuery | undefined> {
  const found = queryFromArg(services, arg);
  if (found) return found;
  const all = services.savedQueries.all();
  if (all.length === 0) {
    void showInfo('There are no saved queries yet.', 'New Query').then((c) => {
      if (c) void vscode.commands.executeCommand(CommandIds.newSavedQuery);
    });
    return undefined;
  }
  type Item = vscode.QuickPickItem & { target: ScopedQuery };
  const items: Item[] = all.map((t) => ({
    label: t.query.name,
    description: `${scopeLabel(t.scope)}${t.query.folder ? ` / ${t.query.folder}` : ''} · ${describeWindow(t.query.window)}`,
    detail: describeQueryLogic(t.query),
    target: t,
  }));
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true }))?.target;
}

/**
 * The scope and folder `arg` points into (a scope, folder or query node, or `{ scope, folder }`).
 * Creating commands pass `useSelection: false`: the view's "+" button sends no node, and a new query
 * should not land silently in whatever folder happens to be selected.
 */
export function placeFromArg(services: Services, arg: unknown, useSelection = true): DropTarget | undefined {
  const node = useSelection ? nodeOf(services, arg) : asNode(arg);
  if (node) {
    if (node.kind === 'scope') return { scope: node.scope, folder: undefined };
    if (node.kind === 'folder') return { scope: node.scope, folder: node.path };
    if (node.kind === 'query' || node.kind === 'filter') return { scope: node.scope, folder: node.query.folder };
    return { scope: node.scope, folder: undefined };
  }
  const plain = arg as QueryArgs | undefined;
  return plain && isScope(plain.scope) ? { scope: plain.scope, folder: plain.folder || undefined } : undefined;
}

/** Scopes that can hold queries now (the workspace one needs an open folder). */
export function availableScopes(services: Services): QueryScope[] {
  return services.savedQueries.stores().filter((s) => s.state().kind !== 'unavailable').map((s) => s.scope);
}

/** Asks for a scope and folder: "Workspace", "Workspace / Daily", "User" … */
export async function pickPlace(services: Services, title: string, preselect?: DropTarget): Promise<DropTarget | undefined> {
  type Item = vscode.QuickPickItem & { place: DropTarget };
  const items: Item[] = [];
  for (const scope of availableScopes(services)) {
    const state = services.savedQueries.store(scope).state();
    const detail = isWorkspaceScope(scope) ? 'Shared with your team in .vscode/everflow-queries.json' : 'Only you; synced by Settings Sync';
    items.push({ label: scopeLabel(scope), description: state.kind === 'error' ? 'the file has an error' : undefined, detail, place: { scope, folder: undefined } });
    if (state.kind === 'ok') {
      for (const folder of folderPaths(state.file)) items.push({ label: `${scopeLabel(scope)} / ${folder}`, iconPath: vscode.ThemeIcon.Folder, place: { scope, folder } });
    }
  }
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = title;
  pick.items = items;
  pick.ignoreFocusOut = true;
  const pre = preselect && items.find((i) => i.place.scope === preselect.scope && i.place.folder === preselect.folder);
  if (pre) pick.activeItems = [pre];
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.place);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

/**
 * Runs a command body, turning a refused write into a message with an "Open File" action that jumps
 * to the problem; other errors go on to the registry's error boundary.
 */
export async function withQueryFileErrors<T>(body: () => Promise<T>): Promise<T | false> {
  try {
    return await body();
  } catch (e) {
    if (!(e instanceof QueriesFileError)) throw e;
    const open = e.uri ? ['Open File'] : [];
    void showError(e.message, ...open).then((choice) => {
      if (choice && e.uri) {
        const p = e.problem;
        void vscode.window.showTextDocument(e.uri, p ? { selection: new vscode.Range(p.line, p.character, p.end.line, p.end.character) } : {});
      }
    });
    return false;
  }
}
