import * as vscode from 'vscode';
import { UserFacingError } from '../core/errors';
import { emptyQueriesFile, type FileProblem, type ParsedQueriesFile, type QueriesFile } from '../core/queriesFileShape';

// One scope's queries (the workspace file, or the user's synced store), with the rule the issue sets
// for a team file: a text that does not parse or validate is shown as a problem and is never
// overwritten by the extension until it parses again. Every edit re-reads the text first and applies
// the change to what it finds, so an edit made meanwhile elsewhere (another window, git pull) is kept.

export { SCOPE_LABELS, isQueryScope, isWorkspaceScope, scopeLabel, type QueryScope } from '../core/queryScope';
import type { QueryScope } from '../core/queryScope';

export type ScopeState =
  | { kind: 'ok'; file: QueriesFile; exists: boolean }
  | { kind: 'error'; problems: FileProblem[] }
  /** The workspace scope with no folder open. */
  | { kind: 'unavailable'; reason: string };

/** A write refused because the stored text has a problem; names the first one and where it is. */
export class QueriesFileError extends UserFacingError {
  constructor(
    message: string,
    readonly uri: vscode.Uri | undefined,
    readonly problem?: FileProblem,
  ) {
    super(message);
    this.name = 'QueriesFileError';
  }
}

/**
 * The stored text changed between our read and our write: the edit is re-applied to the new text.
 * Only after repeated conflicts does it reach the user, so its message is written for them.
 */
export class WriteConflict extends UserFacingError {
  constructor(displayName = 'the queries file') {
    super(
      `Nothing was saved: ${displayName} kept changing while saving (another window or a git operation was writing it). ` +
        'Nothing was overwritten; try again.',
    );
    this.name = 'WriteConflict';
  }
}

/** A write the file system refused; the message names the file and the reason, the stored text is unchanged. */
export class QueriesWriteError extends UserFacingError {
  constructor(message: string) {
    super(message);
    this.name = 'QueriesWriteError';
  }
}

const MAX_ATTEMPTS = 3;

/**
 * The queries file's parser and writer (jsonc-parser and the query validation under it), loaded with
 * the first read or edit rather than at activation: nothing is read before the queries are first needed.
 */
let codec: typeof import('../core/queriesFile') | undefined;
export async function queriesCodec(): Promise<typeof import('../core/queriesFile')> {
  return (codec ??= await import('../core/queriesFile.js'));
}

export abstract class QueryScopeStore implements vscode.Disposable {
  abstract readonly scope: QueryScope;
  /** Where the text can be opened in an editor (undefined when the scope is unavailable). */
  abstract get uri(): vscode.Uri | undefined;
  /** How the place is named in messages: ".vscode/everflow-queries.json", "your user queries". */
  abstract get displayName(): string;

  protected readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private current: ScopeState = { kind: 'ok', file: emptyQueriesFile(), exists: false };
  private lastText: string | undefined | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** True once reload() has run: before that nothing was read, so nothing shown can be out of date. */
  protected everRead = false;

  /** The stored text, or undefined when there is none yet. */
  protected abstract readText(): Promise<string | undefined>;
  /** Replaces the text; throws WriteConflict when it is no longer `basedOn`. */
  protected abstract writeText(text: string, basedOn: string | undefined): Promise<void>;
  /** Why the scope cannot hold queries right now, if so. */
  protected unavailableReason(): string | undefined {
    return undefined;
  }

  state(): ScopeState {
    return this.current;
  }

  /** Re-reads the text; fires onDidChange when it differs from what was last seen. */
  reload(): Promise<void> {
    this.everRead = true;
    return this.serial(async () => {
      const reason = this.unavailableReason();
      if (reason) {
        this.lastText = null;
        this.setState({ kind: 'unavailable', reason });
        return;
      }
      const { parseQueriesFile } = await queriesCodec();
      let text: string | undefined;
      try {
        text = await this.readText();
      } catch (e) {
        // Unreadable (permissions, a folder in its place): shown like any other problem of the file.
        this.lastText = null;
        const at = { line: 0, character: 0 };
        this.setState({ kind: 'error', problems: [{ message: `The file cannot be read: ${e instanceof Error ? e.message : String(e)}`, offset: 0, length: 0, ...at, end: at }] });
        return;
      }
      if (text === this.lastText && this.current.kind !== 'unavailable') return;
      this.accept(text, parseQueriesFile);
    });
  }

  /**
   * Applies `edit` to the freshly read file and writes the result atomically. Refuses (throws
   * QueriesFileError) while the stored text has a problem, leaving it byte for byte as it is.
   */
  update<T>(edit: (file: QueriesFile) => { file: QueriesFile; result: T }): Promise<T> {
    return this.serial(async () => {
      const { parseQueriesFile, serializeQueriesFile } = await queriesCodec();
      for (let attempt = 1; ; attempt++) {
        const reason = this.unavailableReason();
        if (reason) throw new QueriesFileError(reason, undefined);
        const before = await this.readText();
        const parsed = parseQueriesFile(before ?? '');
        if (!parsed.ok) {
          this.accept(before, parseQueriesFile);
          const p = parsed.problems[0];
          throw new QueriesFileError(
            `Nothing was saved: ${this.displayName} has an error at line ${p.line + 1}, column ${p.character + 1} (${p.message}) ` +
              'It is never overwritten while it has an error; fix it, or undo the last edit, and try again.',
            this.uri,
            p,
          );
        }
        const { file, result } = edit(parsed.file);
        const text = serializeQueriesFile(file);
        try {
          if (text !== before) await this.writeText(text, before);
        } catch (e) {
          if (e instanceof WriteConflict && attempt < MAX_ATTEMPTS) continue;
          throw e;
        }
        this.accept(text, parseQueriesFile);
        return result;
      }
    });
  }

  /** Reads the file as it is now (after any pending edit), for commands that only look. */
  async read(): Promise<ScopeState> {
    await this.reload();
    return this.current;
  }

  private accept(text: string | undefined, parseQueriesFile: (text: string) => ParsedQueriesFile): void {
    this.lastText = text;
    const parsed = parseQueriesFile(text ?? '');
    this.setState(parsed.ok ? { kind: 'ok', file: parsed.file, exists: text !== undefined } : { kind: 'error', problems: parsed.problems });
  }

  private setState(next: ScopeState): void {
    const same = JSON.stringify(next) === JSON.stringify(this.current);
    this.current = next;
    if (!same) this.changed.fire();
  }

  /** Reads and writes of one scope never interleave within this window. */
  protected serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
