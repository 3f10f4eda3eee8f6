import type { AccountStore } from './accounts';

/**
 * What `activate` returns to other extensions (and to the integration tests): read-only facts about
 * accounts. It never exposes a key.
 */
export interface EverflowClicksApi {
  accountNames(): Promise<string[]>;
  activeAccountName(): Promise<string | undefined>;
}

export function createApi(accounts: AccountStore): EverflowClicksApi {
  return {
    accountNames: async () => (await accounts.list()).map((a) => a.name),
    activeAccountName: async () => (await accounts.active())?.name,
  };
}
