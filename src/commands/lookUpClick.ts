import * as vscode from 'vscode';
import { isEverflowError } from '../core/errors';
import { isTransactionId } from '../core/validation';
import type { Services } from '../services';
import { withCancellableProgress } from './progress';

const ID_PATTERN = /[0-9a-fA-F]{32}/;

/** The ID the user most likely means: the selection, the token under the cursor, then the clipboard. */
async function suggestedId(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const selected = editor.document.getText(editor.selection).trim();
    if (isTransactionId(selected)) return selected;
    const range = editor.document.getWordRangeAtPosition(editor.selection.active, /[0-9A-Za-z_-]+/);
    const word = range ? editor.document.getText(range) : '';
    if (isTransactionId(word)) return word;
  }
  const clip = (await vscode.env.clipboard.readText()).trim();
  return isTransactionId(clip) ? clip : undefined;
}

export function validateIdInput(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'Paste a transaction ID: 32 characters, 0-9 and a-f.';
  if (isTransactionId(v)) return undefined;
  const hexRun = ID_PATTERN.exec(v);
  if (v.length !== 32) return `A transaction ID has 32 characters; this has ${v.length}.${hexRun ? ` Did you mean ${hexRun[0]}?` : ''}`;
  return 'A transaction ID uses only 0-9 and a-f.';
}

/** Look Up Click by Transaction ID: prompts (pre-filled), fetches, and opens the click as JSON. */
export async function lookUpClick(services: Services, idArg?: unknown): Promise<boolean> {
  const { client, accounts, results } = services;
  let id = typeof idArg === 'string' ? idArg.trim() : undefined;
  if (id === undefined || validateIdInput(id)) {
    id = (
      await vscode.window.showInputBox({
        title: 'Look Up Click by Transaction ID',
        prompt: 'The 32-character transaction ID of an Everflow click',
        placeHolder: 'e.g. 410da86457f54ae388a871d54a33275b',
        value: id || (await suggestedId()),
        ignoreFocusOut: true,
        validateInput: validateIdInput,
      })
    )?.trim();
  }
  if (!id) return false;
  const transactionId = id.toLowerCase();
  const account = await accounts.active();
  try {
    const click = await withCancellableProgress(`Looking up click ${transactionId}…`, (signal) =>
      client.getClick(transactionId, { signal, priority: 'interactive' }),
    );
    await results.show({
      title: `click ${transactionId}`,
      request: { kind: 'click', transaction_id: transactionId, account: account?.name, fetched_at: new Date().toISOString(), rows: 1 },
      rows: [click],
    });
    return true;
  } catch (err) {
    if (isEverflowError(err) && err.reason === 'notFound') {
      void vscode.window.showWarningMessage(
        `No click ${transactionId}: not found, or older than the 3-month raw-data retention (clicks that converted are kept forever).`,
      );
      return false;
    }
    throw err;
  }
}
