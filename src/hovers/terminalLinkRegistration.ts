import * as vscode from 'vscode';
import type { ClickTerminalLink, ClickTerminalLinkProvider } from './terminalLinkProvider';

// Registered at activation, so transaction ids in a terminal become links from the start; the id
// detection behind them (terminalLinkProvider.ts) loads with the first terminal line VS Code asks about.

export function registerClickTerminalLinks(): vscode.Disposable {
  let provider: Promise<ClickTerminalLinkProvider> | undefined;
  const load = () => (provider ??= import('./terminalLinkProvider.js').then((m) => new m.ClickTerminalLinkProvider()));
  const standIn: vscode.TerminalLinkProvider<ClickTerminalLink> = {
    provideTerminalLinks: async (context, token) => (await load()).provideTerminalLinks(context, token),
    handleTerminalLink: async (link) => (await load()).handleTerminalLink(link),
  };
  return vscode.window.registerTerminalLinkProvider(standIn);
}
