import type { QueriesFile } from './queriesFile';
import type { SavedQuery } from './savedQuery';

// Folders and edits on a queries file, as pure functions: the stores apply them to the text they have
// just re-read, so an edit made in another window meanwhile is kept rather than overwritten.

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });

export function parentFolder(path: string): string | undefined {
  const i = path.lastIndexOf('/');
  return i < 0 ? undefined : path.slice(0, i);
}

export function folderName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinFolder(parent: string | undefined, name: string): string {
  return parent ? `${parent}/${name}` : name;
}

/** True when `path` is `folder` or lies inside it. */
export function isInFolder(path: string | undefined, folder: string): boolean {
  return path !== undefined && (path === folder || path.startsWith(`${folder}/`));
}

/** Every folder of the file: the declared ones, the queries' ones and all their ancestors, sorted. */
export function folderPaths(file: QueriesFile): string[] {
  const all = new Set<string>();
  const add = (p: string | undefined) => {
    for (let cur = p; cur; cur = parentFolder(cur)) all.add(cur);
  };
  file.folders.forEach(add);
  file.queries.forEach((q) => add(q.folder));
  return [...all].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true }));
}

/** The folders directly inside `parent` (top-level folders when undefined), by name. */
export function childFolders(file: QueriesFile, parent?: string): string[] {
  return folderPaths(file).filter((p) => parentFolder(p) === parent);
}

/** The queries directly in `folder` (top-level queries when undefined), by name. */
export function queriesInFolder(file: QueriesFile, folder?: string): SavedQuery[] {
  return file.queries.filter((q) => (q.folder ?? undefined) === folder).sort(byName);
}

export function findQuery(file: QueriesFile, id: string): SavedQuery | undefined {
  return file.queries.find((q) => q.id === id);
}

/** The file with `query` replacing the query of the same id, or added at the end. */
export function withQuery(file: QueriesFile, query: SavedQuery): QueriesFile {
  const i = file.queries.findIndex((q) => q.id === query.id);
  const queries = i < 0 ? [...file.queries, query] : file.queries.map((q, j) => (j === i ? query : q));
  return { ...file, queries };
}

export function withoutQuery(file: QueriesFile, id: string): QueriesFile {
  return { ...file, queries: file.queries.filter((q) => q.id !== id) };
}

/** Declares `path` (kept even while empty); no change when it exists already. */
export function withFolder(file: QueriesFile, path: string): QueriesFile {
  if (folderPaths(file).includes(path)) return file;
  return { ...file, folders: [...file.folders, path] };
}

/** Removes `folder`, its subfolders and every query in them. */
export function withoutFolder(file: QueriesFile, folder: string): QueriesFile {
  return {
    ...file,
    folders: file.folders.filter((f) => !isInFolder(f, folder)),
    queries: file.queries.filter((q) => !isInFolder(q.folder, folder)),
  };
}

/** Renames or moves `from` (with everything inside it) to `to`. */
export function withFolderRenamed(file: QueriesFile, from: string, to: string): QueriesFile {
  const move = (p: string) => (isInFolder(p, from) ? to + p.slice(from.length) : p);
  const folders = [...new Set(file.folders.map(move))];
  if (!folders.includes(to)) folders.push(to);
  return {
    ...file,
    folders,
    queries: file.queries.map((q) => (q.folder && isInFolder(q.folder, from) ? { ...q, folder: move(q.folder) } : q)),
  };
}

/** How many queries `folder` holds, subfolders included. */
export function countInFolder(file: QueriesFile, folder: string): number {
  return file.queries.filter((q) => isInFolder(q.folder, folder)).length;
}

/** `name`, or `name (copy)`, `name (copy 2)` … whichever no query of the file has yet. */
export function uniqueName(file: QueriesFile, name: string, suffix = 'copy'): string {
  const taken = new Set(file.queries.map((q) => q.name.toLowerCase()));
  if (!taken.has(name.toLowerCase())) return name;
  for (let n = 1; ; n++) {
    const candidate = `${name} (${suffix}${n === 1 ? '' : ` ${n}`})`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/** The query's content without its id, to compare two queries. */
function contentKey(q: SavedQuery): string {
  const { id: _id, ...rest } = q;
  return JSON.stringify(rest);
}

export interface MergeResult {
  file: QueriesFile;
  added: SavedQuery[];
  /** Queries already in the file with the same content. */
  unchanged: number;
}

/**
 * Adds imported queries to `target`. A query whose content is already there is skipped; one whose id
 * is taken by a different query gets a fresh id from `newId`, so importing never replaces a query.
 */
export function mergeQueries(target: QueriesFile, incoming: QueriesFile, newId: () => string): MergeResult {
  let file = target;
  const added: SavedQuery[] = [];
  let unchanged = 0;
  for (const q of incoming.queries) {
    if (file.queries.some((t) => contentKey(t) === contentKey(q))) {
      unchanged++;
      continue;
    }
    const taken = new Set(file.queries.map((t) => t.id));
    let id = q.id;
    while (taken.has(id)) id = newId();
    const copy = { ...q, id };
    file = withQuery(file, copy);
    added.push(copy);
  }
  for (const f of incoming.folders) file = withFolder(file, f);
  return { file, added, unchanged };
}
