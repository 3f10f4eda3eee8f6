import * as vscode from 'vscode';

// Secrets behind one module (conventions §10). Keys live only in SecretStorage, one secret per
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
  private loaded: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  /** Fires after the list, the active account or a key changed, here or in another window. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange(async (e) => {
      if (e.key === INDEX_KEY || e.key.startsWith(KEY_PREFIX)) {
        await this.reload();
        this.changed.fire();
      }
    });
  }

  private async reload(): Promise<void> {
    this.index = parseIndex(await this.secrets.get(INDEX_KEY));
  }

  private ensureLoaded(): Promise<void> {
    this.loaded ??= this.reload();
    return this.loaded;
  }

  async list(): Promise<readonly Account[]> {
    await this.ensureLoaded();
    return this.index.accounts;
  }

  async active(): Promise<Account | undefined> {
    await this.ensureLoaded();
    return this.index.accounts.find((a) => a.id === this.index.active);
  }

  async activeKey(): Promise<string | undefined> {
    const account = await this.active();
    return account ? this.secrets.get(KEY_PREFIX + account.id) : undefined;
  }

  /** Stores `key` under the account called `name` (created if new) and makes it the active one. */
  async save(name: string, key: string): Promise<Account> {
    await this.reload();
    const trimmed = name.trim();
    let account = this.index.accounts.find((a) => a.name.toLowerCase() === trimmed.toLowerCase());
    if (!account) {
      account = { id: newId(this.index.accounts), name: trimmed };
      this.index.accounts.push(account);
    }
    // The key first: a window that sees the new index must find its key.
    await this.secrets.store(KEY_PREFIX + account.id, key);
    this.index.active = account.id;
    await this.writeIndex();
    return account;
  }

  async setActive(id: string): Promise<void> {
    await this.reload();
    if (!this.index.accounts.some((a) => a.id === id)) throw new Error('That account no longer exists.');
    this.index.active = id;
    await this.writeIndex();
  }

  async remove(id: string): Promise<void> {
    await this.reload();
    this.index.accounts = this.index.accounts.filter((a) => a.id !== id);
    if (this.index.active === id) this.index.active = this.index.accounts[0]?.id;
    await this.writeIndex();
    await this.secrets.delete(KEY_PREFIX + id);
  }

  private async writeIndex(): Promise<void> {
    await this.secrets.store(INDEX_KEY, JSON.stringify(this.index));
    this.changed.fire();
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
