import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ResultPanelInfo, ResultsApi } from '../../../src/webviews/resultGrids';
import { resetSandbox, sandboxState, setSandboxKnobs, testConfig } from './env';
import { activeResultText, closeAllEditors, resultsApi, useSandboxAccount, waitFor } from './helpers';
import { sentClicks } from './asSent';
import { LONG_FIELD_NAME, MARKUP_FIELD_NAME } from '../../sandbox/unknownFields';

// The results grid inside a real extension host: where results open (the setting), the panel and
// what its webview reports rendering, the serializer's restore path (with and without the kept
// rows), and "Fetch all" past the 5,000 cap against the sandbox.

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('everflow').update(key, value, vscode.ConfigurationTarget.Global);
}

function yesterdayUtc(): { day: string; from: string; to: string } {
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  return { day, from: `${day} 00:00:00`, to: `${day} 23:59:59` };
}

const filtered = () => ({ ...yesterdayUtc(), timezone_id: 67, query: { filters: [{ resource_type: 'offer', filter_id_value: '883' }] } });

/** Runs a stream and returns the grid panel it opened, once its webview has rendered. */
async function streamIntoGrid(api: ResultsApi, request: object): Promise<ResultPanelInfo> {
  const before = new Set(api.panels().map((p) => p.id));
  assert.strictEqual(await vscode.commands.executeCommand('everflow.runClickStream', request), true);
  const id = await waitFor('a new grid panel', () => api.panels().find((p) => !before.has(p.id))?.id);
  return waitFor('the grid to render', () => api.panels().find((p) => p.id === id && p.rendered));
}

suite('Results grid', () => {
  // The harness opens results as JSON for the other suites; this one switches to the grid and back.
  let openIn: unknown;
  suiteSetup(async () => {
    await resetSandbox();
    await useSandboxAccount();
    openIn = vscode.workspace.getConfiguration('everflow').inspect('results.openIn')?.globalValue;
    await setting('results.openIn', 'grid');
  });
  setup(resetSandbox);
  teardown(closeAllEditors);
  suiteTeardown(async () => {
    await setting('results.openIn', openIn);
    await setting('results.maxRows', undefined);
  });

  test('Results: a stream opens in a grid panel that renders every row with the default columns', async () => {
    const api = await resultsApi();
    const panel = await streamIntoGrid(api, filtered());
    assert.ok(panel.rows! > 0, 'no rows');
    assert.strictEqual(panel.rendered!.total, panel.rows);
    assert.strictEqual(panel.rendered!.shown, panel.rows);
    assert.ok(panel.active, 'the grid is not the active editor');
    assert.deepStrictEqual(panel.rendered!.columns.slice(0, 4), ['time', 'transaction_id', 'offer.name', 'geo.country_name']);
    assert.ok(!panel.rendered!.columns.includes('idfa_md5'), 'a hash column is visible by default');
    assert.match(panel.title, /clicks .* to /);
  });

  test('Results: the openIn setting chooses JSON, the grid, or asks', async () => {
    const api = await resultsApi();
    await setting('results.openIn', 'json');
    assert.strictEqual(await vscode.commands.executeCommand('everflow.runClickStream', filtered()), true);
    assert.ok(sentClicks(JSON.parse(activeResultText())).length > 0);
    await closeAllEditors();

    await setting('results.openIn', 'ask');
    const before = api.panels().length;
    const run = vscode.commands.executeCommand('everflow.runClickStream', filtered());
    // The question is a quick pick whose first item is the grid.
    await new Promise((r) => setTimeout(r, 1500));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.strictEqual(await run, true);
    await waitFor('the grid the answer chose', () => api.panels().length > before);
    await setting('results.openIn', 'grid');
  });

  test('Results: the serializer restores a grid from the kept rows, and says so when they are gone', async () => {
    const api = await resultsApi();
    const original = await streamIntoGrid(api, filtered());
    const state = { resultId: original.id, title: original.title };

    const copy = vscode.window.createWebviewPanel('everflow.results', original.title, vscode.ViewColumn.Active, { enableScripts: true });
    await api.restore(copy, state);
    const restored = await waitFor('the restored grid to render', () => api.panels().find((p) => p.id !== original.id && p.rendered));
    assert.strictEqual(restored.rows, original.rows, 'the restored grid lost rows');
    assert.strictEqual(restored.rendered!.total, original.rows);
    await closeAllEditors();
    // The extension hears of the closed panels a moment after the command returns.
    await waitFor('the closed grids to be gone', () => api.panels().length === 0);

    // Closed by the user, the rows go with the panel: a later restore has nothing to show but "Run again".
    const requests = (await sandboxState()).requestCount;
    const orphan = vscode.window.createWebviewPanel('everflow.results', original.title, vscode.ViewColumn.Active, { enableScripts: true });
    await api.restore(orphan, { ...state, request: { kind: 'stream', from: '2026-01-01 00:00:00', to: '2026-01-01 01:00:00', timezone_id: 67, fetched_at: '', rows: 0 } });
    const gone = await waitFor('the restored panel', () => api.panels().find((p) => p.title === original.title));
    assert.strictEqual(gone.rows, undefined, 'rows came back after the panel was closed');
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(api.panels().find((p) => p.id === gone.id)?.rendered, undefined, 'a grid rendered without rows');
    assert.strictEqual((await sandboxState()).requestCount, requests, 'restoring sent a request');
  });

  test('Results: Fetch all gets every click of a 30,000-click day past the cap, once each', async function () {
    this.timeout(120_000);
    const api = await resultsApi();
    const { day, from, to } = yesterdayUtc();
    await setSandboxKnobs({ dayVolumes: { [day]: 30_000 } });
    const capped = await streamIntoGrid(api, { from, to, timezone_id: 67 });
    assert.strictEqual(capped.rows, 5000);
    assert.strictEqual(capped.truncated, true);
    const before = (await sandboxState()).requestCount;
    const rows = await vscode.commands.executeCommand<number>('everflow.results.fetchAll', { resultId: capped.id });
    assert.strictEqual(rows, 30_000);
    const after = api.panels().find((p) => p.id === capped.id)!;
    assert.strictEqual(after.rows, 30_000);
    assert.strictEqual(after.distinctIds, 30_000, 'duplicate rows');
    assert.strictEqual(after.truncated, false);
    const requests = (await sandboxState()).requestCount - before;
    assert.ok(requests >= 6 && requests <= 12, `${requests} requests for 30,000 clicks (lower bound 6)`);
    await waitFor('the grid to show the fetched rows', () => api.panels().find((p) => p.id === capped.id && p.rendered?.total === 30_000));
    // Its table went to the grid in pieces as the pages came (the grid made it from them), not all at once after the last one.
    assert.strictEqual(api.panels().find((p) => p.id === capped.id)?.encoded, 'pieces');
    // 30,000 clicks are ~90 MB of JSON, more than VS Code opens as a document: refused with a way out, not an error.
    assert.strictEqual(await vscode.commands.executeCommand('everflow.results.openAsJson', { resultId: capped.id }), false);
    assert.notStrictEqual(vscode.window.activeTextEditor?.document.uri.scheme, 'everflow-result');
    // The run's history entry records what the user ended with, and reopens those rows without a request.
    const ext = (await vscode.extensions.getExtension(testConfig().extensionId)!.activate()) as {
      savedQueries?: { history(): { id: string; rows: number; truncated: boolean; fetchedAll?: boolean; partial?: boolean }[] };
    };
    const entry = await waitFor('the history entry to follow Fetch all', () => ext.savedQueries?.history().find((e) => e.rows === 30_000 && e.fetchedAll));
    assert.strictEqual(entry.truncated, false);
    assert.ok(!entry.partial);
    const reopenedBefore = new Set(api.panels().map((p) => p.id));
    const requestsBefore = (await sandboxState()).requestCount;
    assert.strictEqual(await vscode.commands.executeCommand('everflow.openHistoryResult', { id: entry.id }), true);
    const reopened = await waitFor('the reopened grid', () => api.panels().find((p) => !reopenedBefore.has(p.id)));
    assert.strictEqual(reopened.rows, 30_000, 'History reopened the capped rows, not what Fetch all gathered');
    assert.strictEqual((await sandboxState()).requestCount, requestsBefore, 'reopening sent a request');
  });

  test('Results: a grid hidden and shown again while Fetch all runs still gets every click (its pieces start over)', async function () {
    this.timeout(120_000);
    const api = await resultsApi();
    const { day, from, to } = yesterdayUtc();
    await setSandboxKnobs({ dayVolumes: { [day]: 30_000 } });
    const capped = await streamIntoGrid(api, { from, to, timezone_id: 67 });
    // Slow answers, so the grid can be hidden and shown again between pages.
    await setSandboxKnobs({ latencyMs: 700 });
    const answered = async (): Promise<number> => {
      const state = (await sandboxState()) as unknown as { requests: { path: string; status: number }[] };
      return state.requests.filter((r) => r.path.endsWith('/clicks/stream') && r.status === 200).length;
    };
    const start = await answered();
    const fetching = vscode.commands.executeCommand<number>('everflow.results.fetchAll', { resultId: capped.id });
    // Pieces went to the grid (past the rows that decide the columns' kinds)…
    await waitFor('two answered pages', async () => (await answered()) >= start + 2, 60_000);
    // …then its webview goes (hidden: it does not retain its context) and comes back while pages still arrive.
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    await waitFor('the grid to be hidden', () => api.panels().find((p) => p.id === capped.id && !p.active));
    const hiddenAt = await answered();
    await waitFor('a page answered while hidden', async () => (await answered()) > hiddenAt, 60_000);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor('the grid to be shown again', () => api.panels().find((p) => p.id === capped.id && p.active));
    assert.strictEqual(await fetching, 30_000);
    await setSandboxKnobs({ latencyMs: 0 });
    await waitFor('the grid to show every fetched row', () => api.panels().find((p) => p.id === capped.id && p.rendered?.total === 30_000), 30_000);
    const after = api.panels().find((p) => p.id === capped.id)!;
    assert.strictEqual(after.distinctIds, 30_000, 'duplicate rows');
    // In pieces started over at the rebuilt page's `ready`, or, if the last page came before it, whole.
    assert.ok(after.encoded === 'pieces' || after.encoded === 'asArrived', `sent ${after.encoded}`);
  });

  test('Results: everflow.results.maxRows stops Fetch all and the result says more match', async function () {
    this.timeout(120_000);
    const api = await resultsApi();
    const { day, from, to } = yesterdayUtc();
    await setSandboxKnobs({ dayVolumes: { [day]: 30_000 } });
    await setting('results.maxRows', 10_000);
    const capped = await streamIntoGrid(api, { from, to, timezone_id: 67 });
    const rows = await vscode.commands.executeCommand<number>('everflow.results.fetchAll', { resultId: capped.id });
    assert.strictEqual(rows, 10_000);
    const after = api.panels().find((p) => p.id === capped.id)!;
    assert.strictEqual(after.truncated, true);
    assert.strictEqual(after.distinctIds, 10_000);
    await setting('results.maxRows', undefined);
  });

  test('Results: "Look up again" (the look-up command with { fresh: true }) asks Everflow again; a plain look-up reads the cache', async () => {
    const id = testConfig().sampleIds[2];
    const api = await resultsApi();
    const requests = async (): Promise<number> => (await sandboxState()).requestCount;
    assert.strictEqual(await vscode.commands.executeCommand('everflow.lookUpClick', id), true);
    const first = await requests();
    assert.strictEqual(await vscode.commands.executeCommand('everflow.lookUpClick', id), true);
    assert.strictEqual(await requests(), first, 'a second plain look-up sent a request');
    const panels = api.panels().length;
    assert.strictEqual(await vscode.commands.executeCommand('everflow.lookUpClick', id, { fresh: true }), true);
    assert.strictEqual(await requests(), first + 1, 'Look up again did not ask Everflow');
    assert.ok(api.panels().length > panels, 'the click did not open in a grid');
  });
});

suite('Results: nothing Everflow sends is dropped', () => {
  let openIn: unknown;
  suiteSetup(async () => {
    await resetSandbox();
    await useSandboxAccount();
    openIn = vscode.workspace.getConfiguration('everflow').inspect('results.openIn')?.globalValue;
    await setting('results.openIn', 'grid');
  });
  setup(resetSandbox);
  teardown(closeAllEditors);
  suiteTeardown(async () => setting('results.openIn', openIn));

  /* eslint-disable @typescript-eslint/no-explicit-any -- documents as sent are untyped JSON */

  test('Unknown fields: the grid offers them as columns, hidden; Open as JSON shows the response as sent beside its request', async () => {
    await setSandboxKnobs({ unknownFields: 'hostile' });
    const api = await resultsApi();
    const panel = await streamIntoGrid(api, filtered());
    const extras = panel.columns!.filter((c) => c.startsWith('extra:'));
    for (const id of ['extra:payout', 'extra:__proto__', 'extra:constructor', 'extra:relationship/offer/payout_type', 'extra:relationship/affiliate/name', 'extra:relationship/advertiser/account_manager']) {
      assert.ok(extras.includes(id), `no column ${id} among ${extras.join(', ')}`);
    }
    assert.ok(extras.includes(`extra:${encodeURIComponent(LONG_FIELD_NAME)}`), 'no column for the 10,000-character name');
    assert.ok(!panel.rendered!.columns.some((c) => c.startsWith('extra:')), 'an unknown field is visible by default');

    assert.strictEqual(await vscode.commands.executeCommand('everflow.results.openAsJson', { resultId: panel.id }), true);
    const text = activeResultText();
    assert.ok(!text.includes(testConfig().keys.valid), 'the key is in the document');
    const doc = JSON.parse(text);
    assert.strictEqual(doc.request.kind, 'stream');
    assert.strictEqual(doc.exchanges.length, 1);
    const x = doc.exchanges[0];
    assert.deepStrictEqual(Object.keys(x.request), ['method', 'path', 'body']);
    assert.strictEqual(x.request.method, 'POST');
    assert.strictEqual(x.request.path, '/v1/affiliates/reporting/clicks/stream');
    assert.deepStrictEqual(x.request.body.query.filters, filtered().query.filters);
    assert.strictEqual(x.status, 200);
    const rows: any[] = x.response.table;
    assert.strictEqual(rows.length, panel.rows);
    const first = rows[0];
    assert.strictEqual(typeof first.payout, 'number');
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(first, '__proto__')?.value, { polluted: 'yes' });
    assert.strictEqual(first[MARKUP_FIELD_NAME], '<script>alert("unknown field")</script>');
    assert.strictEqual(first[LONG_FIELD_NAME], 'the value of a very long name');
    assert.ok(['cpa', 'cpc'].includes(first.relationship.offer.payout_type));
    assert.strictEqual(first.relationship.advertiser.account_manager.name, 'Jo Smith');
    // As sent, not normalised: is_unique is Everflow's 0/1.
    assert.ok(rows.every((r) => r.is_unique === 0 || r.is_unique === 1));
  });

  test('Unknown fields: a grid restored from the kept rows still has them and what Everflow sent', async () => {
    await setSandboxKnobs({ unknownFields: 'network' });
    const api = await resultsApi();
    const original = await streamIntoGrid(api, filtered());
    const copy = vscode.window.createWebviewPanel('everflow.results', original.title, vscode.ViewColumn.Active, { enableScripts: true });
    await api.restore(copy, { resultId: original.id, title: original.title });
    const restored = await waitFor('the restored grid to render', () => api.panels().find((p) => p.id !== original.id && p.rendered));
    assert.deepStrictEqual(restored.columns, original.columns);
    const requests = (await sandboxState()).requestCount;
    assert.strictEqual(await vscode.commands.executeCommand('everflow.results.openAsJson', { resultId: restored.id }), true);
    const doc = JSON.parse(activeResultText());
    assert.strictEqual(doc.exchanges[0].response.table.length, restored.rows);
    assert.strictEqual(doc.exchanges[0].response.table[0].relationship.affiliate.labels[0], 'direct');
    assert.strictEqual((await sandboxState()).requestCount, requests, 'Open as JSON asked Everflow again');
  });

  test('Look-up: Open as JSON shows the click as sent (an integer carrier_code stays an integer, omitted keys stay omitted)', async () => {
    await setSandboxKnobs({ carrierCodeAs: 'number', omitEmptyKeys: true });
    const cfg = testConfig();
    // A click with a carrier, read straight from the sandbox to know what it sends.
    let id: string | undefined;
    let sent: any;
    for (const candidate of cfg.sampleIds) {
      const res = await fetch(new URL(`/v1/affiliates/reporting/clicks/${candidate}`, cfg.sandboxUrl), { headers: { 'X-Eflow-API-Key': cfg.keys.valid } });
      const body: any = await res.json();
      if (Number.isInteger(body.relationship?.geolocation?.carrier_code)) {
        id = candidate;
        sent = body;
        break;
      }
    }
    assert.ok(id, 'no sample click has a carrier');
    const api = await resultsApi();
    const before = new Set(api.panels().map((p) => p.id));
    assert.strictEqual(await vscode.commands.executeCommand('everflow.lookUpClick', id, { fresh: true }), true);
    const panel = await waitFor('the look-up grid', () => api.panels().find((p) => !before.has(p.id) && p.rendered));
    assert.strictEqual(await vscode.commands.executeCommand('everflow.results.openAsJson', { resultId: panel.id }), true);
    const doc = JSON.parse(activeResultText());
    assert.deepStrictEqual(doc.sent_by, [{ request: { method: 'GET', path: `/v1/affiliates/reporting/clicks/${id}` }, status: 200 }]);
    assert.strictEqual(doc.click.relationship.geolocation.carrier_code, sent.relationship.geolocation.carrier_code);
    assert.ok(Number.isInteger(doc.click.relationship.geolocation.carrier_code));
    assert.deepStrictEqual(doc.click, sent, 'the click is not shown as Everflow sent it');
    const omitted = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'referer', 'coupon_code', 'idfa'].filter((k) => !(k in sent));
    assert.ok(omitted.length > 0, 'the sandbox omitted no empty key');
    for (const k of omitted) assert.ok(!(k in doc.click), `${k} was omitted by Everflow but is in the document`);
  });
});
