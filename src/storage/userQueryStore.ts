import * as vscode from 'vscode';
import { emptyQueriesFile } from '../core/queriesFileShape';
import { QueryScopeStore, WriteConflict, queriesCodec, type QueryScope } from './queryScopeStore';

// The user's own queries. Settings Sync carries `globalState` keys registered with
// `setKeysForSync`, and does not carry files under `globalStorageUri`, so the text lives in one
// synced globalState key. It is the same JSON text as the workspace file, and it opens in an editor
// through a small file system (`everflow-queries:/User/everflow-queries.json`), so it can be edited
// by hand, gets the JSON Schema and shows its problems like the team file.

export const USER_QUERIES_KEY = 'everflow.savedQueries.user';
export const USER_QUERIES_SCHEME = 'everflow-queries';
export const USER_QUERIES_URI = vscode.Uri.from({ scheme: USER_QUERIES_SCHEME, path: '/User/everflow-queries.json' });

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export class UserQueryStore extends QueryScopeStore implements vscode.FileSystemProvider {
  readonly scope: QueryScope = 'user';
  private readonly fileChanged = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.fileChanged.event;
  private mtime = Date.now();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly memento: vscode.Memento & { setKeysForSync(keys: readonly string[]): void }) {
    super();
    memento.setKeysForSync([USER_QUERIES_KEY]);
    this.disposables.push(
      vscode.workspace.registerFileSystemProvider(USER_QUERIES_SCHEME, this, { isCaseSensitive: true }),
      // globalState written by another window, or arriving through Settings Sync, raises no event
      // here; coming back to this window is when a person expects to see it (once the queries have
      // been read at all: the window's first focus at start-up reads nothing).
      vscode.window.onDidChangeWindowState((s) => {
        if (s.focused && this.everRead) void this.reload();
      }),
      this.onDidChange(() => {
        this.mtime = Date.now();
        this.fileChanged.fire([{ type: vscode.FileChangeType.Changed, uri: USER_QUERIES_URI }]);
      }),
    );
  }

  get uri(): vscode.Uri {
    return USER_QUERIES_URI;
  }

  get displayName(): string {
    return 'your user queries (Everflow: Open Queries File → User)';
  }

  protected async readText(): Promise<string | undefined> {
    const text = this.memento.get<unknown>(USER_QUERIES_KEY);
    return typeof text === 'string' ? text : undefined;
  }

  protected async writeText(text: string, basedOn: string | undefined): Promise<void> {
    if ((await this.readText()) !== basedOn) throw new WriteConflict(this.displayName);
    await this.memento.update(USER_QUERIES_KEY, text);
  }

  // The file system seen by the editor. Saving from the editor stores the text as typed, even with
  // an error, exactly as saving a file would; the store then shows the problem.

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (uri.path === '/' || uri.path === '/User') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    this.assertFile(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: this.mtime, size: encoder.encode(await this.editorText()).byteLength };
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    if (uri.path === '/') return [['User', vscode.FileType.Directory]];
    if (uri.path === '/User') return [['everflow-queries.json', vscode.FileType.File]];
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    this.assertFile(uri);
    return encoder.encode(await this.editorText());
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    this.assertFile(uri);
    await this.serial(async () => this.memento.update(USER_QUERIES_KEY, decoder.decode(content)));
    await this.reload();
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  private async editorText(): Promise<string> {
    const text = this.memento.get<unknown>(USER_QUERIES_KEY);
    return typeof text === 'string' ? text : (await queriesCodec()).serializeQueriesFile(emptyQueriesFile());
  }

  private assertFile(uri: vscode.Uri): void {
    if (uri.path !== USER_QUERIES_URI.path) throw vscode.FileSystemError.FileNotFound(uri);
  }

  override dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.fileChanged.dispose();
    super.dispose();
  }
}
