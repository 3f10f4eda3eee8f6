import * as vscode from 'vscode';
import type { Services } from '../services';
import { reportError } from '../host/errorReporting';
import { CommandIds } from '../host/commandIds';

// Every command is registered at activation, two hops from activate() (extension.ts → registerCommands),
// so each appears at once; what it does (handlers.ts) loads on the first call, inside the command.

/**
 * Registers every command with one error boundary; returns the disposables. `ready` loads what the
 * handlers use lazily (the results panels) and runs before each, at once after the first time.
 */
export function registerCommands(services: Services, ready: () => Promise<unknown>): vscode.Disposable[] {
  let handlers: Promise<typeof import('./handlers.js').COMMAND_HANDLERS> | undefined;
  return Object.values(CommandIds).map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        handlers ??= import('./handlers.js').then((m) => m.COMMAND_HANDLERS);
        const [table] = await Promise.all([handlers, ready()]);
        return await (table[id] as (s: Services, ...a: unknown[]) => unknown)(services, ...args);
      } catch (err) {
        reportError(err, services.logger);
        return undefined;
      }
    }),
  );
}
