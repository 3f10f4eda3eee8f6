import * as fs from 'fs';
import * as vscode from 'vscode';
import type { ResultsApi } from '../../../src/webviews/resultGrids';
import { testConfig } from './env';

// Shared steps for suites that drive the extension: its exported API and a clean account state.

export interface ExtensionApi {
  accountNames(): Promise<string[]>;
  activeAccountName(): Promise<string | undefined>;
}

export async function extensionApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(testConfig().extensionId);
  if (!ext) throw new Error(`${testConfig().extensionId} is not installed`);
  return ext.activate();
}

/** Removes every account (without the confirmation dialog), so a suite starts from "no key". */
export async function removeAllAccounts(): Promise<void> {
  const api = await extensionApi();
  for (const name of await api.accountNames()) {
    await vscode.commands.executeCommand('everflow.removeAccount', { account: name, confirm: false });
  }
}

/** Makes `name` the active account with the sandbox's valid key. */
export async function useSandboxAccount(name = 'Sandbox'): Promise<void> {
  const ok = await vscode.commands.executeCommand<boolean>('everflow.setApiKey', { account: name, key: testConfig().keys.valid });
  if (!ok) throw new Error('the sandbox key was not accepted');
}

/** Text of the active editor, once it shows a document of the `everflow-result` scheme. */
export function activeResultText(): string {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'everflow-result') throw new Error('no result document is active');
  return editor.document.getText();
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The extension's results API (its grids, and their restore path). */
export async function resultsApi(): Promise<ResultsApi> {
  const api = (await extensionApi()) as ExtensionApi & { results?: ResultsApi };
  if (!api.results) throw new Error('the extension exports no results API');
  return api.results;
}

/** Polls `probe` until it gives a truthy value, and returns it; the error names what never came. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What a workbench dialog showed, as read from the screen by the harness. */
export interface DialogAnswer {
  title: string;
  detail: string;
  buttons: string[];
  clicked: string | null;
}

/**
 * Has the harness press `button` of the next modal dialog the workbench shows (one a suite cannot reach
 * from the extension host), and resolves with what the dialog showed. Start it before the call that opens the dialog.
 */
export async function answerDialog(button: string): Promise<DialogAnswer> {
  const { dialogRequestFile, dialogAnswerFile } = testConfig();
  if (!dialogRequestFile || !dialogAnswerFile) throw new Error('this harness cannot answer dialogs');
  fs.rmSync(dialogAnswerFile, { force: true });
  fs.writeFileSync(dialogRequestFile, JSON.stringify({ button }));
  const text = await waitFor('the harness to answer the dialog', () => fs.existsSync(dialogAnswerFile) && fs.readFileSync(dialogAnswerFile, 'utf8'), 30_000);
  fs.rmSync(dialogAnswerFile, { force: true });
  return JSON.parse(text) as DialogAnswer;
}
