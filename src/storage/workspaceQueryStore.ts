import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { QueriesWriteError, QueryScopeStore, WriteConflict, type QueryScope } from './queryScopeStore';

// The team's queries: `.vscode/everflow-queries.json` in a workspace folder (one store per folder of
// a multi-root workspace), meant to be committed. A watcher reloads it on any outside change (git
// pull, a hand edit, another window).

export const WORKSPACE_QUERIES_PATH = '.vscode/everflow-queries.json';

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

export class WorkspaceQueryStore extends QueryScopeStore {
  private watcher: vscode.FileSystemWatcher | undefined;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** The folder whose file this is; undefined when no folder is open (the scope is unavailable). */
    readonly folder: vscode.WorkspaceFolder | undefined,
    readonly scope: QueryScope = 'workspace',
  ) {
    super();
  }

  get uri(): vscode.Uri | undefined {
    return this.folder ? vscode.Uri.joinPath(this.folder.uri, ...WORKSPACE_QUERIES_PATH.split('/')) : undefined;
  }

  get displayName(): string {
    return this.scope === 'workspace' ? WORKSPACE_QUERIES_PATH : `${WORKSPACE_QUERIES_PATH} in ${this.folder?.name ?? 'the folder'}`;
  }

  protected override unavailableReason(): string | undefined {
    return this.uri ? undefined : 'Open a folder to keep queries in the workspace, shared with your team through .vscode/everflow-queries.json.';
  }

  /**
   * Reloads on any outside change from now on. Started with the first read (SavedQueries.load), not at
   * activation: until then nothing has been read, so nothing can be out of date.
   */
  watch(): void {
    if (!this.folder || this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(this.folder, WORKSPACE_QUERIES_PATH));
    // A git checkout or a save can report create, change and delete in a burst: read once after it.
    const soon = () => {
      if (this.reloadTimer) clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => void this.reload(), 50);
    };
    this.watcher.onDidCreate(soon);
    this.watcher.onDidChange(soon);
    this.watcher.onDidDelete(soon);
  }

  protected async readText(): Promise<string | undefined> {
    const uri = this.uri;
    if (!uri) return undefined;
    try {
      // A byte-order mark from a Windows editor is not part of the JSON.
      return decoder.decode(await vscode.workspace.fs.readFile(uri)).replace(/^\uFEFF/, '');
    } catch (e) {
      if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
      throw e;
    }
  }

  /**
   * Atomic: the new text goes to a temporary file in the same folder (same file system, so the
   * rename cannot degrade to a copy), which then replaces the file in one step; a reader never sees
   * half a file, nor no file. Just before the rename the file is read again, and if someone changed
   * it since our read this throws WriteConflict and update() re-applies the edit to their version.
   */
  protected async writeText(text: string, basedOn: string | undefined): Promise<void> {
    const uri = this.uri;
    if (!uri) throw new Error(this.unavailableReason());
    if (uri.scheme === 'file') return this.writeLocal(uri.fsPath, text, basedOn);
    return this.writeOther(uri, text, basedOn);
  }

  /**
   * A local file: Node's rename(2) replaces the target atomically (vscode.workspace.fs.rename with
   * overwrite deletes the target first, leaving a moment with no file). Windows of this extension
   * serialise on a lock file next to it, so between the re-check and the rename no other window of
   * ours can write. The re-check and the rename are synchronous, so nothing else in this extension
   * host runs between them either. What remains: a writer that does not take the lock (a hand edit,
   * git checkout, another tool) and lands in the microseconds between the re-check and the rename
   * is overwritten; the file is then still whole, but that edit is lost.
   */
  private async writeLocal(target: string, text: string, basedOn: string | undefined): Promise<void> {
    const dir = path.dirname(target);
    const tmp = path.join(dir, `.everflow-queries.json.${randomBytes(6).toString('hex')}.tmp`);
    let release: (() => Promise<void>) | undefined;
    let renamed = false;
    try {
      await fs.promises.mkdir(dir, { recursive: true });
      release = await acquireLock(path.join(dir, '.everflow-queries.json.lock'));
      await fs.promises.writeFile(tmp, text, { flag: 'wx' });
      if (readLocal(target) !== basedOn) throw new WriteConflict(this.displayName);
      fs.renameSync(tmp, target);
      renamed = true;
    } catch (e) {
      throw e instanceof WriteConflict ? e : this.writeFailed(e);
    } finally {
      if (!renamed) await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
      await release?.();
    }
  }

  /** Another file system (a remote or virtual workspace): no lock, and no atomic replace to rely on. */
  private async writeOther(uri: vscode.Uri, text: string, basedOn: string | undefined): Promise<void> {
    const dir = vscode.Uri.joinPath(uri, '..');
    const tmp = vscode.Uri.joinPath(dir, `.everflow-queries.json.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await vscode.workspace.fs.createDirectory(dir);
      await vscode.workspace.fs.writeFile(tmp, encoder.encode(text));
      if ((await this.readText()) !== basedOn) throw new WriteConflict(this.displayName);
      await vscode.workspace.fs.rename(tmp, uri, { overwrite: true });
    } catch (e) {
      await vscode.workspace.fs.delete(tmp).then(undefined, () => undefined);
      throw e instanceof WriteConflict ? e : this.writeFailed(e);
    }
  }

  /** The failure in plain words, naming the real file rather than the temporary one. */
  private writeFailed(e: unknown): QueriesWriteError {
    const reason = e instanceof StaleLockError ? e.message : failureReason(e);
    return new QueriesWriteError(`Could not save ${this.displayName}: ${reason}. Your queries in the file are unchanged.`);
  }

  override dispose(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.watcher?.dispose();
    super.dispose();
  }
}

/** The file's text as readText() gives it, or undefined when there is no file. */
function readLocal(file: string): string | undefined {
  try {
    return decoder.decode(fs.readFileSync(file)).replace(/^\uFEFF/, '');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** A left-over lock file that could not be removed. */
class StaleLockError extends Error {
  constructor(name: string, cause: unknown) {
    super(`its lock file ${name} is left over and cannot be removed (${failureReason(cause)})`);
    this.name = 'StaleLockError';
  }
}

/** A lock older than this is left by a window that crashed mid-save (a save takes milliseconds). */
const LOCK_STALE_MS = 10_000;

/**
 * Takes the lock file (created exclusively), waiting while another window holds it; returns its
 * release. A lock older than LOCK_STALE_MS, or one waited on that long, is broken: best effort, as
 * two windows breaking the same stale lock at once could both go ahead.
 */
async function acquireLock(lockPath: string): Promise<() => Promise<void>> {
  const token = `${process.pid}.${randomBytes(6).toString('hex')}`;
  const started = Date.now();
  for (;;) {
    try {
      const handle = await fs.promises.open(lockPath, 'wx');
      try {
        await handle.writeFile(token);
      } catch (e) {
        await fs.promises.rm(lockPath, { force: true }).catch(() => undefined);
        throw e;
      } finally {
        await handle.close();
      }
      return async () => {
        // Not when another window broke it as stale and holds its own now.
        const held = await fs.promises.readFile(lockPath, 'utf8').catch(() => undefined);
        if (held === token) await fs.promises.rm(lockPath, { force: true }).catch(() => undefined);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let age: number;
    try {
      age = Date.now() - (await fs.promises.stat(lockPath)).mtimeMs;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
      throw e;
    }
    if (age > LOCK_STALE_MS || Date.now() - started > LOCK_STALE_MS) {
      // A lock that cannot be removed (a folder in its place, no permission) fails the save with the
      // reason, instead of being waited on for ever.
      await fs.promises.rm(lockPath, { force: true }).catch((e: unknown) => {
        throw new StaleLockError(path.basename(lockPath), e);
      });
    } else await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
  }
}

/** Why a write failed, in plain words (a Node error code, or a vscode.FileSystemError code). */
function failureReason(e: unknown): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'EPERM':
    case 'EACCES':
    case 'NoPermissions':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'EISDIR':
    case 'ERR_FS_EISDIR':
    case 'FileIsADirectory':
      return 'a folder is in its place';
    case 'ENOTDIR':
    case 'FileNotADirectory':
      return 'part of its path is a file, not a folder';
    case 'EBUSY':
      return 'the file is in use by another program';
    case 'Unavailable':
      return 'the file system is not available';
    default:
      // Not the error's own message: it names the temporary file.
      return typeof code === 'string' && code ? `the file system refused the write (${code})` : 'the file system refused the write';
  }
}
