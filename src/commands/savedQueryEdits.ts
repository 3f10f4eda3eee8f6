import { randomBytes } from 'crypto';
import { showWarning } from '../notifications';
import * as vscode from 'vscode';
import {
  countInFolder,
  findQuery,
  folderName,
  folderPaths,
  isInFolder,
  joinFolder,
  parentFolder,
  uniqueName,
  withFolder,
  withFolderRenamed,
  withoutFolder,
  withoutQuery,
  withQuery,
} from '../core/queryCollection';
import type { QueriesFile } from '../core/queriesFile';
import { folderProblem, nameProblem, type SavedQuery } from '../core/savedQuery';
import type { Services } from '../services';
import { isWorkspaceScope, scopeLabel, type QueryScope } from '../storage/queryScopeStore';
import type { DragItem, DropTarget } from '../views/queryDragAndDrop';
import { reportError } from '../host/errorReporting';
import { nodeOf, pickPlace, placeFromArg, queryFromArg, resolveQuery, withQueryFileErrors } from './queryTargets';

// New Folder, Rename, Duplicate, Delete and Move (also what a drag and drop does). Every edit is a
// function of the file as re-read at write time, found by id, so a concurrent edit elsewhere is kept.

/** 8 URL-safe random characters: unique enough within one file, short enough to read in a diff. */
export function newQueryId(): string {
  return randomBytes(6).toString('base64url');
}

function gone(name: string): Error {
  return new Error(`"${name}" is no longer in the file (it was changed elsewhere); refresh and try again.`);
}

interface NameArgs {
  name?: string;
}

/** New Folder: in the scope or folder it was invoked on, or wherever the user picks. */
export async function newQueryFolder(services: Services, arg?: unknown): Promise<string | false> {
  return withQueryFileErrors(async () => {
    const place = placeFromArg(services, arg, false) ?? (await pickPlace(services, 'New Folder: where?'));
    if (!place) return false;
    const store = services.savedQueries.store(place.scope);
    const state = store.state();
    const existing = state.kind === 'ok' ? folderPaths(state.file) : [];
    const check = (name: string) => {
      const path = joinFolder(place.folder, name.trim());
      return folderProblem(path) ?? (existing.includes(path) ? `There is already a folder "${path}".` : undefined);
    };
    const name =
      (arg as NameArgs | undefined)?.name ??
      (await vscode.window.showInputBox({
        title: `New Folder in ${scopeLabel(place.scope)}${place.folder ? ` / ${place.folder}` : ''}`,
        prompt: 'Folder name',
        ignoreFocusOut: true,
        validateInput: (v) => (v.includes('/') ? 'A folder name cannot hold "/".' : check(v)),
      }));
    if (name === undefined) return false;
    const problem = name.includes('/') ? 'A folder name cannot hold "/".' : check(name);
    if (problem) throw new Error(problem);
    const path = joinFolder(place.folder, name.trim());
    await store.update((file) => ({ file: withFolder(file, path), result: undefined }));
    return path;
  });
}

/** Rename a query (its id stays, so history and open editors keep pointing at it) or a folder. */
export async function renameSavedQuery(services: Services, arg?: unknown): Promise<boolean> {
  return withQueryFileErrors(async () => {
    const node = nodeOf(services, arg);
    const given = (arg as NameArgs | undefined)?.name;
    if (node?.kind === 'folder' || (!node && (arg as { folder?: string } | undefined)?.folder && !(arg as { id?: string }).id)) {
      const place = placeFromArg(services, arg)!;
      const from = place.folder!;
      const name = given ?? (await vscode.window.showInputBox({ title: `Rename Folder ${from}`, value: folderName(from), ignoreFocusOut: true, validateInput: (v) => folderProblem(joinFolder(parentFolder(from), v.trim())) }));
      if (name === undefined) return false;
      const to = joinFolder(parentFolder(from), name.trim());
      const problem = folderProblem(to);
      if (problem) throw new Error(problem);
      await services.savedQueries.store(place.scope).update((file) => ({ file: withFolderRenamed(file, from, to), result: undefined }));
      return true;
    }
    const target = await resolveQuery(services, arg, 'Rename Saved Query');
    if (!target) return false;
    const name = given ?? (await vscode.window.showInputBox({ title: `Rename "${target.query.name}"`, value: target.query.name, ignoreFocusOut: true, validateInput: nameProblem }));
    if (name === undefined) return false;
    const problem = nameProblem(name);
    if (problem) throw new Error(problem);
    await services.savedQueries.store(target.scope).update((file) => {
      const current = findQuery(file, target.query.id);
      if (!current) throw gone(target.query.name);
      return { file: withQuery(file, { ...current, name: name.trim() }), result: undefined };
    });
    return true;
  });
}

/** Duplicate: a copy beside the original, named "… (copy)"; returns the copy's id. */
export async function duplicateSavedQuery(services: Services, arg?: unknown): Promise<string | false> {
  return withQueryFileErrors(async () => {
    const target = await resolveQuery(services, arg, 'Duplicate Saved Query');
    if (!target) return false;
    const id = newQueryId();
    await services.savedQueries.store(target.scope).update((file) => {
      const current = findQuery(file, target.query.id);
      if (!current) throw gone(target.query.name);
      return { file: withQuery(file, { ...current, id, name: uniqueName(file, current.name) }), result: undefined };
    });
    return id;
  });
}

interface DeleteArgs {
  /** false skips the confirmation (scripts and tests). */
  confirm?: boolean;
}

async function confirmDelete(what: string, detail: string, args: DeleteArgs | undefined): Promise<boolean> {
  if (args?.confirm === false) return true;
  return (await showWarning(`Delete ${what}?`, { modal: true, detail }, 'Delete')) === 'Delete';
}

/** Delete a query or a folder with everything in it, after confirming. */
export async function deleteSavedQuery(services: Services, arg?: unknown): Promise<boolean> {
  return withQueryFileErrors(async () => {
    const node = nodeOf(services, arg);
    const args = node ? undefined : (arg as DeleteArgs | undefined);
    const shared = (scope: QueryScope) => (isWorkspaceScope(scope) ? ' It is removed from .vscode/everflow-queries.json, which your team shares.' : '');
    if (node?.kind === 'folder' || (!node && (arg as { folder?: string } | undefined)?.folder && !(arg as { id?: string }).id)) {
      const place = placeFromArg(services, arg)!;
      const state = services.savedQueries.store(place.scope).state();
      const n = state.kind === 'ok' ? countInFolder(state.file, place.folder!) : 0;
      if (!(await confirmDelete(`the folder "${place.folder}"`, `It holds ${n} quer${n === 1 ? 'y' : 'ies'}, which are deleted with it.${shared(place.scope)}`, args))) return false;
      await services.savedQueries.store(place.scope).update((file) => ({ file: withoutFolder(file, place.folder!), result: undefined }));
      return true;
    }
    const target = await resolveQuery(services, arg, 'Delete Saved Query');
    if (!target) return false;
    if (!(await confirmDelete(`"${target.query.name}"`, `The query is deleted from ${scopeLabel(target.scope)}.${shared(target.scope)}`, args))) return false;
    await services.savedQueries.store(target.scope).update((file) => ({ file: withoutQuery(file, target.query.id), result: undefined }));
    return true;
  });
}

interface MoveArgs {
  toScope?: DropTarget['scope'];
  toFolder?: string;
}

/** Move to Folder…: the keyboard's way to do what a drag and drop does. */
export async function moveSavedQuery(services: Services, arg?: unknown): Promise<boolean> {
  return withQueryFileErrors(async () => {
    const node = nodeOf(services, arg);
    let item: DragItem | undefined;
    if (node?.kind === 'folder') item = { type: 'folder', scope: node.scope, path: node.path };
    else {
      const target = queryFromArg(services, arg) ?? (await resolveQuery(services, undefined, 'Move Saved Query'));
      if (!target) return false;
      item = { type: 'query', scope: target.scope, id: target.query.id };
    }
    const args = node ? undefined : (arg as MoveArgs | undefined);
    const destination = args?.toScope ? { scope: args.toScope, folder: args.toFolder || undefined } : await pickPlace(services, 'Move to…');
    if (!destination) return false;
    await moveItems(services, [item], destination);
    return true;
  });
}

/** What a drag and drop in the tree does; errors are reported here, as there is no command around it. */
export async function moveByDrop(services: Services, items: DragItem[], to: DropTarget): Promise<void> {
  try {
    await withQueryFileErrors(() => moveItems(services, items, to));
  } catch (e) {
    reportError(e, services.logger, 'Move');
  }
}

/** Moves queries and folders to `to`, within a scope or across scopes. */
export async function moveItems(services: Services, items: DragItem[], target: DropTarget): Promise<void> {
  // Scopes as their stores name them, so "workspace" (the first folder) and "workspace:<name>" of the
  // same folder compare equal: a move within one file must never copy-then-delete.
  const toStore = services.savedQueries.store(target.scope);
  const to: DropTarget = { ...target, scope: toStore.scope };
  for (const given of items) {
    const fromStore = services.savedQueries.store(given.scope);
    const item: DragItem = { ...given, scope: fromStore.scope };
    if (item.type === 'folder') {
      const dest = joinFolder(to.folder, folderName(item.path));
      if (to.scope === item.scope) {
        if (to.folder && isInFolder(to.folder, item.path)) throw new Error(`The folder "${item.path}" cannot move into itself.`);
        if (dest !== item.path) await toStore.update((file) => ({ file: withFolderRenamed(file, item.path, dest), result: undefined }));
        continue;
      }
      const state = fromStore.state();
      if (state.kind !== 'ok') continue;
      const moved = state.file.queries.filter((q) => isInFolder(q.folder, item.path));
      const folders = folderPaths(state.file).filter((f) => isInFolder(f, item.path));
      const reroot = (p: string) => dest + p.slice(item.path.length);
      await crossScope(services, item.scope, to.scope, moved.map((q) => ({ ...q, folder: reroot(q.folder!) })), folders.map(reroot), (file) => withoutFolder(file, item.path));
      continue;
    }
    const query = services.savedQueries.find({ scope: item.scope, id: item.id });
    if (!query) continue;
    if (item.scope === to.scope) {
      await toStore.update((file) => {
        const current = findQuery(file, item.id);
        if (!current) throw gone(query.name);
        return { file: withQuery(file, withFolderOf(current, to.folder)), result: undefined };
      });
    } else {
      await crossScope(services, item.scope, to.scope, [withFolderOf(query, to.folder)], to.folder ? [to.folder] : [], (file) => withoutQuery(file, item.id));
    }
  }
}

function withFolderOf(q: SavedQuery, folder: string | undefined): SavedQuery {
  const { folder: _old, ...rest } = q;
  return folder ? { ...rest, folder } : rest;
}

/**
 * Adds to the destination first and only then removes from the source: if the second write is
 * refused (a broken file), the queries exist twice rather than not at all.
 */
async function crossScope(
  services: Services,
  from: DropTarget['scope'],
  to: DropTarget['scope'],
  queries: SavedQuery[],
  folders: string[],
  remove: (file: QueriesFile) => QueriesFile,
): Promise<void> {
  if (isWorkspaceScope(from) && to === 'user' && !vscode.workspace.isTrusted) {
    const ok = await showWarning(
      'Copy queries from this restricted workspace into your user queries?',
      { modal: true, detail: 'Queries in your user scope run without asking, wherever you open VS Code.' },
      'Move',
    );
    if (ok !== 'Move') return;
  }
  await services.savedQueries.store(to).update((file) => {
    let next = file;
    for (const f of folders) next = withFolder(next, f);
    for (const q of queries) next = withQuery(next, findQuery(next, q.id) ? { ...q, id: newQueryId() } : q);
    return { file: next, result: undefined };
  });
  await services.savedQueries.store(from).update((file) => ({ file: remove(file), result: undefined }));
}
