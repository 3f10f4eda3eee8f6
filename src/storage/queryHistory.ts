import * as vscode from 'vscode';
import type { StreamRequest } from '../core/types';
import type { ResultSet } from '../results/presenter';
import type { ResultStore } from '../results/resultStore';
import type { QueryScope } from './queryScopeStore';

// The last runs, newest first: the request exactly as it ran (resolved window and zone id), when,
// and what came back. Kept in this machine's globalState (not synced: it is a log of this machine's
// work, and it may name values a team would not share). The rows of each run are kept too, gzipped
// in the extension's global storage (a ResultStore with its own file and byte budget), so "Open
// Results" shows them again without spending a request, after a reload as well; the last few stay
// in memory besides. A run whose rows were evicted from the budget offers a re-run instead.

export const HISTORY_KEY = 'everflow.queryHistory';
export const MAX_HISTORY = 50;
/** The byte budget for the kept rows of past runs (the oldest go first). */
export const HISTORY_RESULT_BYTES = 128 * 1024 * 1024;
const RESULTS_IN_MEMORY = 5;

export interface HistoryEntry {
  id: string;
  /** ISO time the run finished. */
  at: string;
  /** The saved query's name, or "Click stream" for an ad-hoc run. */
  label: string;
  source?: { scope: QueryScope; queryId: string };
  /** IANA zone of the request, when known. */
  zone?: string;
  request: StreamRequest;
  logic: string;
  account?: string;
  rows: number;
  durationMs: number;
  truncated: boolean;
  cap: number;
  /** Fetch all was stopped (cancelled, or the row limit) before every click arrived. */
  partial?: boolean;
  /** Fetch all ran on the result: `rows` counts what it gathered. */
  fetchedAll?: boolean;
}

export class QueryHistory implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly results = new Map<string, ResultSet>();
  private counter = 0;
  /** The history view's selection, for commands run from the keyboard. */
  selection: () => readonly HistoryEntry[] = () => [];

  /** Ids whose rows are on disk, as last listed; refreshed after every save and delete. */
  private stored = new Set<string>();

  constructor(
    private readonly state: vscode.Memento,
    /** Where the rows of past runs are kept; without one only the last few of this session are. */
    private readonly store?: ResultStore,
  ) {
    void this.relist();
  }

  private async relist(): Promise<void> {
    if (!this.store) return;
    this.stored = new Set(await this.store.list());
    this.changed.fire();
  }

  entries(): HistoryEntry[] {
    const raw = this.state.get<unknown>(HISTORY_KEY);
    return Array.isArray(raw) ? raw.filter(isEntry) : [];
  }

  find(id: string): HistoryEntry | undefined {
    return this.entries().find((e) => e.id === id);
  }

  async add(entry: Omit<HistoryEntry, 'id'>, result?: ResultSet): Promise<HistoryEntry> {
    const full: HistoryEntry = { ...entry, id: `${Date.now().toString(36)}-${(++this.counter).toString(36)}` };
    const all = [full, ...this.entries()];
    await this.state.update(HISTORY_KEY, all.slice(0, MAX_HISTORY));
    // Kept with the entry's id, so a Fetch all on the reopened rows is recorded here too.
    if (result) result = { ...result, historyId: full.id };
    if (result) {
      this.results.set(full.id, result);
      // Maps iterate in insertion order: the first key is the oldest result.
      while (this.results.size > RESULTS_IN_MEMORY) this.results.delete(this.results.keys().next().value as string);
    }
    this.changed.fire();
    if (this.store) {
      const dropped = all.slice(MAX_HISTORY);
      const store = this.store;
      // In the background: the run's message should not wait for a few MB of gzip.
      void (async () => {
        for (const old of dropped) await store.delete(old.id);
        if (result) await store.save(full.id, result);
        await this.relist();
      })();
    }
    return full;
  }

  /**
   * Records what the user ended with after Fetch all: the entry's count and state follow the result,
   * and "Open Results" reopens these rows (the complete set, or the partial one after Cancel).
   */
  async recordFetchAll(id: string, result: ResultSet): Promise<void> {
    const all = this.entries();
    const i = all.findIndex((e) => e.id === id);
    if (i < 0) return; // cleared or pushed out meanwhile
    const r = result.request;
    all[i] = { ...all[i], rows: result.rows.length, truncated: Boolean(r.truncated), partial: Boolean(r.partial), fetchedAll: true };
    await this.state.update(HISTORY_KEY, all);
    if (this.results.has(id) || !this.store) this.results.set(id, result);
    this.changed.fire();
    if (this.store) {
      const store = this.store;
      void store.save(id, result).then(() => this.relist());
    }
  }

  /** True when "Open Results" can show the run's rows without a request (in memory or kept on disk). */
  hasResult(id: string): boolean {
    return this.results.has(id) || this.stored.has(id);
  }

  /** The rows of a past run: from memory, else from the kept files; undefined once evicted. */
  async result(id: string): Promise<ResultSet | undefined> {
    const inMemory = this.results.get(id);
    if (inMemory || !this.store) return inMemory;
    const kept = await this.store.load(id);
    if (!kept && this.stored.delete(id)) this.changed.fire();
    return kept;
  }

  async clear(): Promise<void> {
    this.results.clear();
    const ids = this.entries().map((e) => e.id);
    await this.state.update(HISTORY_KEY, []);
    this.changed.fire();
    if (this.store) {
      // Every kept file, not just those of listed runs: none belongs to a run any more.
      for (const id of new Set([...ids, ...(await this.store.list())])) await this.store.delete(id);
      await this.relist();
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function isEntry(e: unknown): e is HistoryEntry {
  const h = e as HistoryEntry;
  return typeof h === 'object' && h !== null && typeof h.id === 'string' && typeof h.at === 'string' && typeof h.request === 'object' && h.request !== null;
}
