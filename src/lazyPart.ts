import type * as vscode from 'vscode';

/**
 * A part of the extension built the first time something needs it, from a chunk loaded then (an
 * `import()` in `create`); every later call gets the same one, and it is disposed with the extension.
 */
export class LazyPart<T extends vscode.Disposable> implements vscode.Disposable {
  private loaded: T | undefined;
  private loading: Promise<T> | undefined;
  private disposed = false;

  constructor(
    private readonly what: string,
    private readonly create: () => Promise<T>,
  ) {}

  load(): Promise<T> {
    this.loading ??= this.create().then((part) => {
      if (this.disposed) {
        part.dispose();
        throw new Error('The extension is shutting down.');
      }
      this.loaded = part;
      return part;
    });
    return this.loading;
  }

  /** The part once loaded; undefined before. */
  get current(): T | undefined {
    return this.loaded;
  }

  /** For code that only runs after `load()` (commands, chat tools and the hover wait for it). */
  get(): T {
    if (!this.loaded) throw new Error(`Internal error: ${this.what}: used before being loaded.`);
    return this.loaded;
  }

  dispose(): void {
    this.disposed = true;
    this.loaded?.dispose();
  }
}
