import * as assert from 'assert';
import * as vscode from 'vscode';
import { resetSandbox, testConfig } from './env';
import { closeAllEditors, removeAllAccounts, useSandboxAccount } from './helpers';

// Transaction ids where the hover suite does not look: the Output panel (documents of the `output`
// scheme) and the languages that wake the extension. Real extension host, real sandbox.

interface Manifest {
  activationEvents?: string[];
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

suite('Transaction IDs: the Output panel and the languages that wake the extension', () => {
  suiteSetup(async () => {
    await resetSandbox();
    await removeAllAccounts();
  });
  suiteTeardown(async () => {
    await removeAllAccounts();
    await closeAllEditors();
  });

  test('the Everflow log channel is an output-scheme document, and the hover providers give the click card over an id in it', async () => {
    await useSandboxAccount();
    const id = testConfig().sampleIds[0];
    // A look-up writes `GET /v1/affiliates/reporting/clicks/<id>` to the log channel; Show Log puts the
    // channel in the Output panel, which makes its model and hands the document to extensions.
    assert.strictEqual(await vscode.commands.executeCommand('everflow.lookUpClick', id), true);
    await closeAllEditors();
    await vscode.commands.executeCommand('everflow.showLog');
    const needle = `GET /v1/affiliates/reporting/clicks/${id}`;
    const doc = await until(`an output document holding "${needle}"`, () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.getText().includes(needle)),
    );
    const at = doc.positionAt(doc.getText().indexOf(needle) + needle.length - 16);
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at)) ?? [];
    const cards = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'object' && typeof (c as { value?: unknown }).value === 'string' ? (c as { value: string }).value : ''))
      .filter((v) => /Everflow\sclick/.test(v));
    assert.strictEqual(cards.length, 1, `hovers at ${doc.uri.toString()} ${at.line}:${at.character}: ${JSON.stringify(hovers.map((h) => h.contents))}`);
    assert.ok(cards[0].includes(id), cards[0]);
    assert.ok(cards[0].includes('| Offer |'), cards[0]);
    // Just past the id there is no card.
    const after = doc.positionAt(doc.getText().indexOf(needle) + needle.length + 1);
    const none = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, after)) ?? [];
    assert.ok(!none.flatMap((h) => h.contents).some((c) => /Everflow\sclick/.test(typeof c === 'string' ? c : (c as { value: string }).value)), 'a card past the id');
  });

  test('activates at once for log documents and after start-up for the rest; every onLanguage event names a language VS Code knows (ndjson: kept for extensions that add it)', async () => {
    const ext = vscode.extensions.getExtension(testConfig().extensionId);
    assert.ok(ext);
    const events = (ext.packageJSON as Manifest).activationEvents ?? [];
    // Not during every window's start: the workbench makes plaintext, json and jsonc models of its own
    // (user settings, for one) in every window, so those languages would start the extension there;
    // onStartupFinished serves every hover language once the window has started.
    assert.ok(!events.includes('*') && events.includes('onStartupFinished'), JSON.stringify(events));
    const declared = events.filter((e) => e.startsWith('onLanguage:')).map((e) => e.slice('onLanguage:'.length));
    assert.ok(declared.includes('log') && declared.includes('Log'), JSON.stringify(declared));
    assert.deepStrictEqual(declared.filter((id) => ['plaintext', 'json', 'jsonc'].includes(id)), [], JSON.stringify(declared));
    const known = await vscode.languages.getLanguages();
    const unknown = declared.filter((id) => !known.includes(id));
    // VS Code ships no `ndjson` language (it opens .ndjson files as `jsonl`); marketplace extensions do.
    assert.deepStrictEqual(unknown.filter((id) => id !== 'ndjson'), [], `known languages: ${known.join(', ')}`);
  });
});
