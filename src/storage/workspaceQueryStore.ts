import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { QueryScopeStore, WriteConflict, type QueryScope } from './queryScopeStore';

// The team's queries: `.vscode/everflow-queries.json` in the first workspace folder, meant to be
// committed. A watcher reloads it on any outside change (git pull, a hand edit, another window).

export const WORKSPACE_QUERIES_PATH = '.vscode/everflow-queries.json';

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

export class WorkspaceQueryStore extends QueryScopeStore {
  readonly scope: QueryScope = 'workspace';
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.watch();
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watch();
        void this.reload();
      }),
    );
  }

  get uri(): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, ...WORKSPACE_QUERIES_PATH.split('/')) : undefined;
  }

  get displayName(): string {
    return WORKSPACE_QUERIES_PATH;
  }

  protected override unavailableReason(): string | undefined {
    return this.uri ? undefined : 'Open a folder to keep queries in the workspace, shared with your team through .vscode/everflow-queries.json.';
  }

  private watch(): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return;
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, WORKSPACE_QUERIES_PATH));
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
   * half a file. Just before the rename the file is read again, and if someone changed it since our
   * read the edit is re-applied to their version instead.
   */
  protected async writeText(text: string, basedOn: string | undefined): Promise<void> {
    const uri = this.uri;
    if (!uri) throw new Error(this.unavailableReason());
    const dir = vscode.Uri.joinPath(uri, '..');
    await vscode.workspace.fs.createDirectory(dir);
    const tmp = vscode.Uri.joinPath(dir, `.everflow-queries.json.${randomBytes(6).toString('hex')}.tmp`);
    await vscode.workspace.fs.writeFile(tmp, encoder.encode(text));
    try {
      if ((await this.readText()) !== basedOn) throw new WriteConflict();
      await vscode.workspace.fs.rename(tmp, uri, { overwrite: true });
    } catch (e) {
      await vscode.workspace.fs.delete(tmp).then(undefined, () => undefined);
      throw e;
    }
  }

  override dispose(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
    super.dispose();
  }
}
