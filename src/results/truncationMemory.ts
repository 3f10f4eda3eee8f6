import type * as vscode from 'vscode';
import type { Truncation } from '../core/fetchAll';

// What Fetch all learned about which rows a capped stream holds, per account and API host, so the
// next run starts from it (one request less when it is right; fetchAll.ts finds out when it is
// wrong, at the cost of requests, and the run's finding replaces it). Account ids, never keys.

/** globalState key: `accountId host` → truncation. */
export const TRUNCATION_KEY = 'everflow.fetchAll.truncation';
const MODES: readonly Truncation[] = ['first', 'newest', 'arbitrary'];
/** Entries kept: a handful of accounts and hosts, bounded so the store cannot grow without end. */
const MAX_ENTRIES = 50;

export class TruncationMemory {
  constructor(
    private readonly state: vscode.Memento,
    /** `accountId host` of the account and host requests go to now, or undefined without an account. */
    private readonly scope: () => Promise<string | undefined>,
  ) {}

  async recall(): Promise<Truncation | undefined> {
    const scope = await this.scope();
    const v = scope === undefined ? undefined : this.entries()[scope];
    return MODES.includes(v as Truncation) ? (v as Truncation) : undefined;
  }

  async remember(t: Truncation): Promise<void> {
    const scope = await this.scope();
    if (scope === undefined) return;
    const entries = this.entries();
    delete entries[scope];
    entries[scope] = t;
    const keep = Object.entries(entries).slice(-MAX_ENTRIES);
    await this.state.update(TRUNCATION_KEY, Object.fromEntries(keep));
  }

  private entries(): Record<string, string> {
    const raw = this.state.get<unknown>(TRUNCATION_KEY);
    return raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Record<string, string>) } : {};
  }
}

/** The host part of the API base URL (scheme included), or the text itself when it is not a URL. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return baseUrl;
  }
}
