import * as vscode from 'vscode';
import type { StreamRequest } from '../core/types';
import type { ResultSet } from '../results/presenter';
import type { QueryScope } from './queryScopeStore';

// The last runs, newest first: the request exactly as it ran (resolved window and zone id), when,
// and what came back. Kept in this machine's globalState (not synced: it is a log of this machine's
// work, and it may name values a team would not share). Rows are not stored; the last few result
// sets stay in memory so "Open Results" works without spending a request during the session.

export const HISTORY_KEY = 'everflow.queryHistory';
export const MAX_HISTORY = 50;
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
}

export class QueryHistory implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly results = new Map<string, ResultSet>();
  private counter = 0;
  /** The history view's selection, for commands run from the keyboard. */
  selection: () => readonly HistoryEntry[] = () => [];

  constructor(private readonly state: vscode.Memento) {}

  entries(): HistoryEntry[] {
    const raw = this.state.get<unknown>(HISTORY_KEY);
    return Array.isArray(raw) ? raw.filter(isEntry) : [];
  }

  find(id: string): HistoryEntry | undefined {
    return this.entries().find((e) => e.id === id);
  }

  async add(entry: Omit<HistoryEntry, 'id'>, result?: ResultSet): Promise<HistoryEntry> {
    const full: HistoryEntry = { ...entry, id: `${Date.now().toString(36)}-${(++this.counter).toString(36)}` };
    await this.state.update(HISTORY_KEY, [full, ...this.entries()].slice(0, MAX_HISTORY));
    if (result) {
      this.results.set(full.id, result);
      // Maps iterate in insertion order: the first key is the oldest result.
      while (this.results.size > RESULTS_IN_MEMORY) this.results.delete(this.results.keys().next().value as string);
    }
    this.changed.fire();
    return full;
  }

  /** The rows of a recent run, while they are still in memory. */
  result(id: string): ResultSet | undefined {
    return this.results.get(id);
  }

  async clear(): Promise<void> {
    this.results.clear();
    await this.state.update(HISTORY_KEY, []);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function isEntry(e: unknown): e is HistoryEntry {
  const h = e as HistoryEntry;
  return typeof h === 'object' && h !== null && typeof h.id === 'string' && typeof h.at === 'string' && typeof h.request === 'object' && h.request !== null;
}
