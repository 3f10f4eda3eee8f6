import * as vscode from 'vscode';
import { showWarning } from '../notifications';
import { NOT_FOUND_EXPLANATION, clickResultSet, configuredDetector, fetchClick } from '../clickLookup';
import { isEverflowError } from '../core/errors';
import { detectInText } from '../core/idDetection';
import { isTransactionId } from '../core/validation';
import type { Services } from '../services';
import { withCancellableProgress } from '../host/progress';

const ID_PATTERN = /[0-9a-fA-F]{32}/;
/** The clipboard can hold a whole log; the first screenful is where a copied id would be. */
const CLIPBOARD_SCAN = 10_000;

/** The transaction id the detector finds in `text` (so `idfa_md5=…` is passed over), clicks first. */
function firstIdIn(text: string): string | undefined {
  const trimmed = text.trim();
  if (isTransactionId(trimmed)) return trimmed.toLowerCase();
  const found = detectInText(trimmed.slice(0, CLIPBOARD_SCAN), configuredDetector()).filter((d) => isTransactionId(d.id));
  // A value a click-id key names first; else the first one nothing rules out.
  return (found.find((d) => d.kind === 'click') ?? found[0])?.id;
}

/** The ID the user most likely means: the selection, the ID under the cursor, then the clipboard. */
export async function suggestedId(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const selected = editor.selection.isEmpty ? undefined : firstIdIn(editor.document.getText(editor.selection));
    if (selected) return selected;
    const at = editor.selection.active;
    const document = editor.document;
    const lines = { lineCount: document.lineCount, lineAt: (n: number) => document.lineAt(n).text };
    const underCursor = configuredDetector().idAtInDocument(lines, at.line, at.character)?.id;
    if (underCursor && isTransactionId(underCursor)) return underCursor;
  }
  // In a browser workbench (code-server, vscode.dev) reading the clipboard unasked raises a
  // permission error in front of the input box, so only the desktop app offers the clipboard's ID.
  if (vscode.env.uiKind !== vscode.UIKind.Desktop) return undefined;
  return firstIdIn(await vscode.env.clipboard.readText().then(undefined, () => ''));
}

export function validateIdInput(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'Paste a transaction ID: 32 characters, 0-9 and a-f.';
  if (isTransactionId(v)) return undefined;
  const hexRun = ID_PATTERN.exec(v);
  if (v.length !== 32) return `A transaction ID has 32 characters; this has ${v.length}.${hexRun ? ` Did you mean ${hexRun[0]}?` : ''}`;
  return 'A transaction ID uses only 0-9 and a-f.';
}

/** Options of the look-up command (its second argument). */
export interface LookUpOptions {
  /** Ask Everflow again instead of reading the cache (the grid's "Look up again"). */
  fresh?: boolean;
}

/**
 * Look Up Click by Transaction ID: prompts (pre-filled) unless given a valid id, fetches through
 * the shared cache (anew with `fresh`), and opens the click where results open.
 */
export async function lookUpClick(services: Services, idArg?: unknown, options?: unknown): Promise<boolean> {
  const fresh = typeof options === 'object' && options !== null && (options as LookUpOptions).fresh === true;
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
  try {
    if (fresh) services.clickCache.forget(transactionId);
    const cached = services.clickCache.get(transactionId);
    const click =
      cached.state === 'hit'
        ? cached.value
        : await withCancellableProgress(`Looking up click ${transactionId}…`, (signal) => fetchClick(services, transactionId, { signal }));
    await services.results.show(await clickResultSet(services, click));
    return true;
  } catch (err) {
    if (isEverflowError(err) && err.reason === 'notFound') {
      void showWarning(`No click ${transactionId}: ${NOT_FOUND_EXPLANATION}.`);
      return false;
    }
    throw err;
  }
}
