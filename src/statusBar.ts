import * as vscode from 'vscode';
import type { AccountStore } from './accounts';
import { CommandIds } from './host/commandIds';

/** Shows the active account; a click switches accounts (or sets a key when there is none). */
export class AccountStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('everflow.account', vscode.StatusBarAlignment.Left, 20);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly accounts: AccountStore) {
    this.item.name = 'Everflow Account';
    this.subscription = accounts.onDidChange(() => void this.refresh());
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const [active, all, key] = await Promise.all([this.accounts.active(), this.accounts.list(), this.accounts.activeKey()]);
    const hasKey = !!active && !!key;
    await vscode.commands.executeCommand('setContext', 'everflow.hasApiKey', hasKey);
    if (hasKey) {
      // Account names are the user's own text, but the status bar renders `$(icon)` syntax: strip it.
      this.item.text = `$(pulse) Everflow: ${active.name.replace(/\$\(/g, '(')}`;
      this.item.tooltip = all.length > 1 ? `Everflow account "${active.name}". Click to switch accounts (${all.length}).` : `Everflow account "${active.name}". Click to add or switch accounts.`;
      this.item.command = CommandIds.switchAccount;
    } else {
      this.item.text = '$(key) Everflow: Set API Key';
      this.item.tooltip = 'No Everflow API key is set. Click to set one.';
      this.item.command = CommandIds.setApiKey;
    }
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
