import * as assert from 'assert';
import * as vscode from 'vscode';
import { resetSandbox, sandboxState, setSandboxKnobs } from './env';
import type { ResultPanelInfo } from '../../../src/webviews/resultGrids';
import { closeAllEditors, resultsApi, useSandboxAccount, waitFor } from './helpers';

// "Fetch all" cancelled while pieces are still arriving, through the extension's own command in a real
// extension host: Cancel is the progress notification's primary action (run here with the workbench's
// "Accept Notification Primary Action"), the command returns the rows it kept, the grid holds them as a
// partial result, and the sandbox's request log shows nothing sent after Cancel. The e2e counterpart
// (test/e2e/fetchAllCancel.test.ts) presses the Cancel button itself.

interface LoggedRequest {
  path: string;
  status: number;
}

const LATENCY_MS = 1500;
const TOTAL = 30_000;

async function panels(): Promise<ResultPanelInfo[]> {
  return (await resultsApi()).panels();
}

async function streamRequests(): Promise<LoggedRequest[]> {
  const state = (await sandboxState()) as unknown as { requestCount: number; requests: LoggedRequest[] };
  assert.ok(state.requestCount < 500, 'the sandbox lists only its last 500 requests');
  return state.requests.filter((r) => r.path.endsWith('/clicks/stream'));
}

suite('Fetch all: Cancel', () => {
  let openIn: unknown;
  suiteSetup(async () => {
    await resetSandbox();
    await useSandboxAccount();
    openIn = vscode.workspace.getConfiguration('everflow').inspect('results.openIn')?.globalValue;
    await vscode.workspace.getConfiguration('everflow').update('results.openIn', 'grid', vscode.ConfigurationTarget.Global);
  });
  teardown(async () => {
    await resetSandbox();
    await closeAllEditors();
  });
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('everflow').update('results.openIn', openIn, vscode.ConfigurationTarget.Global);
  });

  test('Fetch all: Cancel keeps the clicks that arrived as a partial result and sends nothing more', async function () {
    this.timeout(120_000);
    const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    await setSandboxKnobs({ dayVolumes: { [day]: TOTAL } });
    const before = new Set((await panels()).map((p) => p.id));
    assert.strictEqual(await vscode.commands.executeCommand('everflow.runClickStream', { from: `${day} 00:00:00`, to: `${day} 23:59:59`, timezone_id: 67 }), true);
    const capped = await waitFor('the capped grid', async () => (await panels()).find((p) => !before.has(p.id) && p.rendered), 30_000);
    assert.strictEqual(capped.rows, 5000);
    assert.strictEqual(capped.truncated, true);

    await setSandboxKnobs({ latencyMs: LATENCY_MS });
    const sentBefore = (await streamRequests()).length;
    const fetching = vscode.commands.executeCommand<number>('everflow.results.fetchAll', { resultId: capped.id });
    // Two answered pieces: the first re-fetches the 5,000 rows in hand, the second brings new ones.
    await waitFor('two answered pieces', async () => (await streamRequests()).slice(sentBefore).filter((r) => r.status === 200).length >= 2, 60_000);
    // Time for the client to take in the second piece before Cancel.
    await new Promise((r) => setTimeout(r, 300));
    const sentAtCancel = (await streamRequests()).length - sentBefore;
    // The newest notification is the fetch's progress; its primary action is Cancel.
    await vscode.commands.executeCommand('notification.acceptPrimaryAction');
    const kept = await fetching;

    assert.ok(kept > 5000 && kept < TOTAL, `kept ${kept} clicks: not more than the first 5,000 and fewer than ${TOTAL}`);
    const after = (await panels()).find((p) => p.id === capped.id)!;
    assert.strictEqual(after.rows, kept);
    assert.strictEqual(after.distinctIds, kept, 'duplicate rows');
    assert.strictEqual(after.partial, true, 'not labelled partial');
    assert.strictEqual(after.truncated, true, 'not labelled incomplete');
    await waitFor('the grid to show the kept rows', async () => (await panels()).find((p) => p.id === capped.id && p.rendered?.total === kept), 30_000);

    const atCancel = (await streamRequests()).slice(sentBefore);
    assert.ok(atCancel.length <= sentAtCancel + 1, `${atCancel.length} stream requests by the end, ${sentAtCancel} when Cancel was pressed`);
    await new Promise((r) => setTimeout(r, 3 * LATENCY_MS));
    assert.strictEqual((await streamRequests()).length - sentBefore, atCancel.length, 'stream requests were sent after Cancel');
  });
});
