import * as vscode from 'vscode';
import { showError } from '../notifications';
import { describeError, isEverflowError } from '../core/errors';
import { defuseLinks } from '../core/plainText';
import type { Logger } from '../logger';
import { CommandIds } from './commandIds';

// Errors are typed at the API boundary and handled once here, at the command boundary
// (the host's boundary, where the user is): a short message with the action that fixes it.

const SET_KEY = 'Set API Key';
const SHOW_LOG = 'Show Log';

export function reportError(err: unknown, logger: Logger, context?: string): void {
  if (err instanceof vscode.CancellationError || (isEverflowError(err) && err.reason === 'cancelled')) {
    logger.info(`${context ?? 'Operation'} cancelled.`);
    return;
  }
  // The context may name a saved query from a shared file: defused again, as a whole.
  const message = defuseLinks(logger.redact(contextual(describeError(err), context)));
  logger.error(message);
  const actions = isEverflowError(err) && (err.reason === 'unauthorized' || err.reason === 'forbidden') ? [SET_KEY, SHOW_LOG] : [SHOW_LOG];
  // Not awaited: the command finishes now; the buttons act whenever the user gets to them.
  void showError(message, ...actions).then((choice) => {
    if (choice === SET_KEY) void vscode.commands.executeCommand(CommandIds.setApiKey);
    else if (choice === SHOW_LOG) logger.show();
  });
}

function contextual(message: string, context: string | undefined): string {
  return context ? `${context}: ${message}` : message;
}
