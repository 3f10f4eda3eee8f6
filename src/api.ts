import type { AccountStore } from './accounts';
import type { HistoryEntry } from './storage/queryHistory';
import type { TreeSnapshotNode } from './views/savedQueriesView';
import type { ResultsApi } from './webviews/resultGrids';

/**
 * What `activate` returns to other extensions (and to the integration tests): read-only facts about
 * accounts. It never exposes a key.
 */
export interface EverflowClicksApi {
  accountNames(): Promise<string[]>;
  activeAccountName(): Promise<string | undefined>;
  /** The saved-queries tree, the run history and the open query forms, as plain data. */
  savedQueries?: SavedQueriesApi;
  /** The open results grids, and their restore path (what the serializer runs after a reload). */
  results?: ResultsApi;
  /** The chat tools' confirmations, as VS Code would show them before a run (tests read them). */
  chatTools?: ChatToolsApi;
  /** Single-click conversion look-ups (hover line, Trace Click): what the user was told, requests sent. */
  conversions?: ConversionsApi;
}

export interface ChatToolsApi {
  /** What `prepareInvocation` of tool `name` answers for `input`: its title and message as plain text. */
  prepare(name: string, input: object): Promise<{ invocationMessage?: string; title?: string; message?: string } | undefined>;
}

export interface ConversionsApi {
  notices(): string[];
  requests(): number;
}

export interface SavedQueriesApi {
  tree(): TreeSnapshotNode[];
  history(): (HistoryEntry & { kept: boolean })[];
  /** `scope:id` of each open query form. */
  openEditors(): string[];
}

export function createApi(accounts: AccountStore, savedQueries?: SavedQueriesApi, results?: ResultsApi, chatTools?: ChatToolsApi, conversions?: ConversionsApi): EverflowClicksApi {
  return {
    accountNames: async () => (await accounts.list()).map((a) => a.name),
    activeAccountName: async () => (await accounts.active())?.name,
    savedQueries,
    results,
    chatTools,
    conversions,
  };
}
