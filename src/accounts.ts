import * as vscode from 'vscode';
import { UserFacingError } from './core/errors';

// Secrets behind one module, so no other file can read or log a key. Keys live only in SecretStorage, one secret per
// account. The account list and the active account are kept in SecretStorage too (they are not
// secret, but `secrets.onDidChange` is the one store change VS Code reports across windows, so a key
// set or an account switched in another window shows up here without a reload).

const INDEX_KEY = 'everflow.accounts';
const KEY_PREFIX = 'everflow.apiKey.';

export interface Account {
  id: string;
  name: string;
}

interface AccountIndex {
  version: 1;
  active?: string;
  accounts: Account[];
}

const EMPTY_INDEX: AccountIndex = { version: 1, accounts: [] };

function parseIndex(text: string | undefined): AccountIndex {
  if (!text) return { ...EMPTY_INDEX, accounts: [] };
  try {
    const raw = JSON.parse(text) as Partial<AccountIndex>;
    const accounts = Array.isArray(raw.accounts)
      ? raw.accounts.filter((a): a is Account => typeof a?.id === 'string' && typeof a?.name === 'string')
      : [];
    const active = accounts.some((a) => a.id === raw.active) ? raw.active : accounts[0]?.id;
    return { version: 1, active, accounts };
  } catch {
    return { ...EMPTY_INDEX, accounts: [] };
  }
}

export function validateAccountName(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'Give the account a name, such as the Everflow network it belongs to.';
  if (trimmed.length > 60) return 'Keep the account name to 60 characters or fewer.';
  return undefined;
}

export class AccountStore implements vscode.Disposable {
  private index: AccountIndex = { ...EMPTY_INDEX, accounts: [] };
  private loaded = false;
  /**
   * Every read and write of the index runs in this queue. SecretStorage reports our own writes back
   * through onDidChange, and a reload that ran between a write's two `store` calls would read the
   * old index and overwrite the new one in memory; queued, a reload always sees finished writes.
   */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  /** Fires after the list, the active account or a key changed, here or in another window. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange(async (e) => {
      if (e.key === INDEX_KEY) await this.serial(() => this.reload());
      if (e.key === INDEX_KEY || e.key.startsWith(KEY_PREFIX)) this.changed.fire();
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async reload(): Promise<void> {
    this.index = parseIndex(await this.secrets.get(INDEX_KEY));
    this.loaded = true;
  }

  private current(): Promise<AccountIndex> {
    return this.serial(async () => {
      if (!this.loaded) await this.reload();
      return this.index;
    });
  }

  async list(): Promise<readonly Account[]> {
    return (await this.current()).accounts;
  }

  async active(): Promise<Account | undefined> {
    const index = await this.current();
    return index.accounts.find((a) => a.id === index.active);
  }

  async activeKey(): Promise<string | undefined> {
    const account = await this.active();
    return account ? this.secrets.get(KEY_PREFIX + account.id) : undefined;
  }

  /** Stores `key` under the account called `name` (created if new) and makes it the active one. */
  save(name: string, key: string): Promise<Account> {
    return this.update(async (index) => {
      const trimmed = name.trim();
      let account = index.accounts.find((a) => a.name.toLowerCase() === trimmed.toLowerCase());
      if (!account) {
        account = { id: newId(index.accounts), name: trimmed };
        index.accounts.push(account);
      }
      // The key first: a window that sees the new index must find its key.
      await this.secrets.store(KEY_PREFIX + account.id, key);
      index.active = account.id;
      return account;
    });
  }

  setActive(id: string): Promise<void> {
    return this.update(async (index) => {
      if (!index.accounts.some((a) => a.id === id)) throw new UserFacingError('That account no longer exists.');
      index.active = id;
    });
  }

  async remove(id: string): Promise<void> {
    await this.update(async (index) => {
      index.accounts = index.accounts.filter((a) => a.id !== id);
      if (index.active === id) index.active = index.accounts[0]?.id;
    });
    await this.secrets.delete(KEY_PREFIX + id);
  }

  /** Reads the stored index afresh (another window may have changed it), edits it, writes it back. */
  private async update<T>(edit: (index: AccountIndex) => Promise<T>): Promise<T> {
    const result = await this.serial(async () => {
      await this.reload();
      const index: AccountIndex = { ...this.index, accounts: [...this.index.accounts] };
      const value = await edit(index);
      await this.secrets.store(INDEX_KEY, JSON.stringify(index));
      this.index = index;
      return value;
    });
    this.changed.fire();
    return result;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function newId(existing: readonly Account[]): string {
  for (;;) {
    const id = Math.random().toString(36).slice(2, 10);
    if (!existing.some((a) => a.id === id)) return id;
  }
}
