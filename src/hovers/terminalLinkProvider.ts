import * as vscode from 'vscode';
import { configuredDetector } from '../clickLookup';
import { CommandIds } from '../host/commandIds';
import { isTransactionId } from '../core/validation';

// Transaction ids in the integrated terminal (`tail -f app.log`, a CLI's output) become links to the
// same look-up as the palette, so they open wherever results open. Finding links sends nothing;
// only a click does.

export interface ClickTerminalLink extends vscode.TerminalLink {
  transactionId: string;
}

/** Terminal lines can be whole minified JSON documents; past this, only the start is scanned. */
const MAX_LINE = 20_000;

export class ClickTerminalLinkProvider implements vscode.TerminalLinkProvider<ClickTerminalLink> {
  provideTerminalLinks(context: vscode.TerminalLinkContext, token: vscode.CancellationToken): ClickTerminalLink[] {
    if (token.isCancellationRequested) return [];
    const line = context.line.length > MAX_LINE ? context.line.slice(0, MAX_LINE) : context.line;
    return configuredDetector()
      .detectInLine(line)
      .filter((d) => isTransactionId(d.id))
      .map((d) => ({ startIndex: d.start, length: d.end - d.start, tooltip: 'Look up this Everflow click', transactionId: d.id }));
  }

  handleTerminalLink(link: ClickTerminalLink): void {
    void vscode.commands.executeCommand(CommandIds.lookUpClick, link.transactionId);
  }
}
