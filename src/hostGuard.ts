import * as vscode from 'vscode';
import { showWarning } from './notifications';
import { checkBaseUrl, keyDestination } from './core/baseUrl';

const CONFIRMED_KEY = 'everflow.confirmedHosts';

/**
 * Before a key goes to a host that is neither Everflow's nor loopback, the user confirms it once.
 * The base URL is user-scoped already; this catches a mistyped or pasted host.
 */
export class HostGuard {
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(private readonly state: vscode.Memento) {}

  async allows(url: string): Promise<boolean> {
    // 'refused': the client refuses it with its own message, and nothing is sent.
    if (keyDestination(url) !== 'other') return true;
    const checked = checkBaseUrl(url);
    if (!checked.ok) return true;
    const host = new URL(checked.url).host.toLowerCase();
    if (this.state.get<string[]>(CONFIRMED_KEY, []).includes(host)) return true;
    let answer = this.pending.get(host);
    if (!answer) {
      answer = this.ask(host).finally(() => this.pending.delete(host));
      this.pending.set(host, answer);
    }
    return answer;
  }

  private async ask(host: string): Promise<boolean> {
    const choice = await showWarning(
      `The Everflow base URL points at ${host}, which is not an Everflow API host. Send your Everflow API key to ${host}?`,
      { modal: true, detail: 'Everflow\'s hosts are api.eflow.team and api-eu.eflow.team. Change "everflow.baseUrl" in your user settings if this is a mistake.' },
      'Send Key to This Host',
    );
    if (choice !== 'Send Key to This Host') return false;
    await this.state.update(CONFIRMED_KEY, [...this.state.get<string[]>(CONFIRMED_KEY, []), host]);
    return true;
  }
}
