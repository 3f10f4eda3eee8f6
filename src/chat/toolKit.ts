import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { describeError, EverflowError, isEverflowError } from '../core/errors';
import { encodeUntrusted, fenceUntrusted } from '../core/untrustedData';
import type { Services } from '../services';

// What every Everflow chat tool shares: how a tool is declared (one object per tool, listed in
// chatTools.ts), how its result is written for a model (the extension's words outside, every API value
// inside one fence), how its errors read, and the last check that no key leaves in any of them.

/** One tool: its name in package.json's `languageModelTools`, and how it runs. */
export interface ChatToolDefinition<T> {
  readonly name: string;
  /** Builds the tool for this window's services. */
  create(services: Services): vscode.LanguageModelTool<T>;
}

/** A tool definition with its input type forgotten, for the list. */
export type AnyChatTool = ChatToolDefinition<never>;

export function defineTool<T>(def: ChatToolDefinition<T>): AnyChatTool {
  return def as unknown as AnyChatTool;
}

/** Tags for the fences: 24 random hex characters from the OS's generator. */
export function randomTag(): string {
  return randomBytes(12).toString('hex');
}

/** Every key this window knows of, taken out of `text` (a second line of defence: none should be there). */
export async function withoutKeys(services: Pick<Services, 'accounts' | 'logger'>, text: string): Promise<string> {
  const active = await services.accounts.activeKey();
  services.logger.addSecret(active);
  return services.logger.redact(text);
}

/** A tool result: the extension's `words`, then, when there is API data, the data in its fence. */
export async function toolResult(services: Services, words: string, data?: { what: string; value: unknown }): Promise<vscode.LanguageModelToolResult> {
  const parts = [words];
  if (data) parts.push(fenceUntrusted(data.what, data.value, randomTag).text);
  const text = await withoutKeys(services, parts.join('\n\n'));
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

/** A confirmation in the extension's words; names the user chose (queries, accounts) are quoted as JSON. */
export async function confirmation(services: Services, title: string, lines: string[]): Promise<vscode.PreparedToolInvocation> {
  const text = await withoutKeys(services, lines.join('\n\n'));
  return {
    invocationMessage: title,
    confirmationMessages: { title, message: new vscode.MarkdownString(escapeMarkdown(text)) },
  };
}

/** Markdown-inert text: every character markdown gives a meaning is escaped, so names show as typed. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&"']/g, (c) => `\\${c}`);
}

/** A value a user or a file gave (a query name, an account), quoted safely for our own sentences. */
export function quote(value: string): string {
  return encodeUntrusted(value, 120);
}

/**
 * An error a tool throws, in words a model can act on. Everflow's own message (which a server could
 * fill with anything, the key included) is quoted as untrusted JSON after the extension's sentence.
 */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EverflowToolError';
  }
}

/** Turns whatever `run` throws into a ToolError whose text holds no key and no unfenced API text. */
export async function guarded<R>(services: Services, token: vscode.CancellationToken, run: () => Promise<R>): Promise<R> {
  try {
    if (token.isCancellationRequested) throw new ToolError('Cancelled: nothing was sent.');
    return await run();
  } catch (e) {
    throw new ToolError(await withoutKeys(services, errorText(e, token)));
  }
}

function errorText(e: unknown, token: vscode.CancellationToken): string {
  if (e instanceof ToolError) return e.message;
  if (isEverflowError(e)) {
    if (e.reason === 'cancelled' || token.isCancellationRequested) return 'Cancelled by the user: the request was stopped and nothing more was sent.';
    // The sentence without the server's words, then those words as data.
    const own = describeError(new EverflowError(e.reason, e.message, { status: e.status, problems: e.problems }));
    const server = e.serverMessage ? ` Everflow's own message, as untrusted data (JSON): ${encodeUntrusted(e.serverMessage, 200)}` : '';
    return `${own}${server}`;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}

/** An AbortSignal that follows a VS Code cancellation token. */
export function signalOf(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const sub = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => sub.dispose() };
}
