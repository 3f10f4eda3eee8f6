import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { resetSandbox, sandboxState, testConfig } from './env';
import { closeAllEditors, useSandboxAccount } from './helpers';

// "Look Up All Transaction IDs in File" on a log VS Code will not hand an extension as a document
// (over 50 MB): the command reads it from disk as a stream, so the ids in it are still found, and
// only those are sent to Everflow (the hash values under hash-like keys beside them are not).

const UNKNOWN_ID = 'ffffffffffffffffffffffffffffffff';
const MB = 1024 * 1024;

interface BulkSummary {
  ids: number;
  rows: number;
  notFound: string[];
  partial: boolean;
  cancelled: boolean;
}

function bigLog(file: string, ids: string[], bytes: number): void {
  const noise = (i: number): string => `2026-03-01T00:00:${String(i % 60).padStart(2, '0')}Z GET /static/app.${i % 7}.js 200 etag="${(i % 9973).toString(16).padStart(32, 'a')}" bytes=${i % 4096}\n`;
  const fd = fs.openSync(file, 'w');
  try {
    let written = 0;
    let i = 0;
    // One id near the start, one in the middle, one at the very end (no newline after it).
    const at = [0.001, 0.5].map((f) => Math.floor(bytes * f));
    const pending = [...ids];
    while (written < bytes) {
      let chunk = '';
      while (chunk.length < MB) chunk += noise(i++);
      if (pending.length > 1 && written >= at[ids.length - pending.length]) chunk += `postback ok transaction_id=${pending.shift()} status=200\n`;
      fs.writeSync(fd, chunk);
      written += chunk.length;
    }
    while (pending.length > 0) fs.writeSync(fd, `last click transaction_id=${pending.shift()}${pending.length > 0 ? '\n' : ''}`);
  } finally {
    fs.closeSync(fd);
  }
}

suite('Look Up All on a file too big to open as a document', () => {
  let file: string;

  suiteSetup(async () => {
    await resetSandbox();
    await useSandboxAccount();
    file = path.join(testConfig().workspaceFolder, 'big-postbacks.log');
    bigLog(file, [...testConfig().sampleIds.slice(0, 3), UNKNOWN_ID], 60 * MB);
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    fs.rmSync(file, { force: true });
  });

  test('a 60 MB log named from the Explorer is read from disk: every id found, nothing else sent', async () => {
    const uri = vscode.Uri.file(file);
    const before = (await sandboxState()).requestCount;
    const summary = await vscode.commands.executeCommand<BulkSummary>('everflow.lookUpAllInFile', uri);
    assert.ok(summary, 'the bulk look-up returned nothing');
    assert.strictEqual(summary.ids, 4, 'three sample ids and one unknown; the etag values are not ids');
    assert.strictEqual(summary.rows, 3);
    assert.deepStrictEqual(summary.notFound, [UNKNOWN_ID]);
    assert.strictEqual(summary.partial, false);
    const sent = (await sandboxState()).requestCount - before;
    assert.ok(sent <= 4, `${sent} requests for 4 ids`);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === uri.fsPath), 'the big file was not opened as a document');
  });
});
