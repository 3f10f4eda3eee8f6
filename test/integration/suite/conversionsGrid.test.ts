import * as assert from 'assert';
import * as vscode from 'vscode';
import { parseStreamResponse } from '../../../src/core/parse';
import type { ResultPanelInfo, ResultsApi } from '../../../src/webviews/resultGrids';
import { resetSandbox, sandboxState, setSandboxKnobs, testConfig } from './env';
import { activeResultText, closeAllEditors, resultsApi, useSandboxAccount, waitFor } from './helpers';

// "Add Conversions" on a results grid (issue #15) inside a real extension host against the sandbox:
// the numbers in the grid's conversion columns against the sandbox's own conversion report read here
// over HTTP, the number of report requests, a 403 that leaves the grid as it was, and a restore after
// a reload that keeps the columns.

/* eslint-disable @typescript-eslint/no-explicit-any -- the sandbox's answers are untyped JSON */

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('everflow').update(key, value, vscode.ConfigurationTarget.Global);
}

/** A day 20 days back: its clicks have had time to convert (the sandbox converts some days after the click). */
function pastDayUtc(): { from: string; to: string } {
  const day = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
  return { from: `${day} 00:00:00`, to: `${day} 23:59:59` };
}

const FILTERS = [{ resource_type: 'offer', filter_id_value: '883' }];

async function sandboxPost(path: string, body: unknown, query = ''): Promise<any> {
  const res = await fetch(new URL(path + query, testConfig().sandboxUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Eflow-API-Key': testConfig().keys.valid },
    body: JSON.stringify(body),
  });
  assert.strictEqual(res.status, 200, `${path} answered ${res.status}`);
  return res.json();
}

/** Every row of the sandbox's conversion report for a window, read page by page here, de-duplicated by id. */
async function sandboxConversions(from: string, to: string): Promise<any[]> {
  const out = new Map<string, any>();
  for (let page = 1; page < 100; page++) {
    const body = { from, to, timezone_id: 67, show_conversions: true, show_events: true, query: { filters: FILTERS }, page, page_size: 500 };
    const json = await sandboxPost('/v1/affiliates/reporting/conversions', body, `?page=${page}&page_size=500`);
    const rows: any[] = json.conversions ?? [];
    for (const r of rows) out.set(String(r.conversion_id ?? r.network_conversion_id), r);
    if (rows.length < 500 || out.size >= (json.paging?.total_count ?? 0)) break;
  }
  return [...out.values()];
}

async function streamIntoGrid(api: ResultsApi, request: object): Promise<ResultPanelInfo> {
  const before = new Set(api.panels().map((p) => p.id));
  assert.strictEqual(await vscode.commands.executeCommand('everflow.runClickStream', request), true);
  const id = await waitFor('a new grid panel', () => api.panels().find((p) => !before.has(p.id))?.id);
  return waitFor('the grid to render', () => api.panels().find((p) => p.id === id && p.rendered));
}

const conversionRequests = (state: any, since: number): number =>
  (state.requests as { path: string; at: number }[]).filter((r) => r.at >= since && r.path.startsWith('/v1/affiliates/reporting/conversions')).length;

suite('Results grid: Add Conversions', () => {
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

  test('Conversions: Add Conversions fills the columns with the sandbox report\'s numbers, in ⌈rows / page size⌉ requests, and survives a restore', async function () {
    this.timeout(90_000);
    const api = await resultsApi();
    const { from, to } = pastDayUtc();
    const panel = await streamIntoGrid(api, { from, to, timezone_id: 67, query: { filters: FILTERS } });
    assert.ok(!panel.columns!.some((c) => c.startsWith('conversion.')), 'conversion columns before any were added');

    const since = Date.now();
    const info = await vscode.commands.executeCommand<any>('everflow.addConversions', { resultId: panel.id });
    assert.ok(info, 'Add Conversions gave nothing');
    const after = await waitFor('the grid to render the conversion columns', () => api.panels().find((p) => p.id === panel.id && p.rendered?.columns.includes('conversion.count')));
    for (const id of ['conversion.count', 'conversion.events', 'conversion.revenue', 'conversion.sale_amount', 'conversion.first', 'conversion.time_to_convert', 'conversion.status']) {
      assert.ok(after.rendered!.columns.includes(id), `${id} is not shown`);
    }
    assert.strictEqual(after.rendered!.total, panel.rows, 'the clicks changed');
    assert.strictEqual(info.from, from, 'the report does not start with the result');
    // Paging: one request per page of 2,000 (the largest Everflow allows), no more (counted before this test asks the sandbox itself).
    const requests = conversionRequests(await sandboxState(), since);
    assert.strictEqual(requests, Math.max(1, Math.ceil(info.rows / 2000)), `${requests} requests for ${info.rows} conversions`);

    // The same report read here, and the result's clicks read here, joined by hand.
    const report = await sandboxConversions(info.from, info.to);
    const stream = await sandboxPost('/v1/affiliates/reporting/clicks/stream', { from, to, timezone_id: 67, query: { filters: FILTERS } });
    const ids = new Set<string>(parseStreamResponse(stream, Infinity).rows.map((c) => c.transaction_id));
    assert.strictEqual(ids.size, panel.rows);
    const joined = report.filter((r) => ids.has(r.transaction_id));
    const isEvent = (r: any): boolean => (r.is_event === undefined ? Boolean(r.event) : Boolean(r.is_event));
    assert.ok(joined.length > 0, `the sandbox has no conversion for these clicks: nothing is tested (${JSON.stringify(info)}, report ${report.length}, clicks ${ids.size}, first ${JSON.stringify(report[0])?.slice(0, 300)})`);
    assert.strictEqual(info.rows, report.length);
    assert.strictEqual(info.matched, joined.length);
    assert.strictEqual(info.unmatched, report.length - joined.length);
    assert.strictEqual(info.convertedClicks, new Set(joined.map((r) => r.transaction_id)).size);
    assert.strictEqual(info.baseConversions, joined.filter((r) => !isEvent(r)).length);
    assert.strictEqual(info.events, joined.filter(isEvent).length);
    const revenue = joined.reduce((s, r) => s + Number(r.revenue ?? 0), 0);
    const got = Object.values(info.revenue as Record<string, number>).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(got - revenue) < 0.005, `revenue ${got} ≠ ${revenue}`);


    // Open as JSON carries the conversion report's exchanges beside the clicks'.
    assert.strictEqual(await vscode.commands.executeCommand('everflow.results.openAsJson', { resultId: panel.id }), true);
    const doc = JSON.parse(activeResultText());
    assert.ok(doc.conversions?.exchanges?.length >= 1, 'no conversion exchanges in Open as JSON');
    assert.strictEqual(doc.conversions.exchanges[0].request.path.split('?')[0], '/v1/affiliates/reporting/conversions');
    assert.ok(!activeResultText().includes(testConfig().keys.valid), 'the key is in the document');

    // A reload: the serializer restores the grid from the kept result, conversions and all, without asking Everflow.
    const before = (await sandboxState()).requestCount;
    const copy = vscode.window.createWebviewPanel('everflow.results', panel.title, vscode.ViewColumn.Active, { enableScripts: true });
    await api.restore(copy, { resultId: panel.id, title: panel.title });
    const restored = await waitFor('the restored grid to render', () => api.panels().find((p) => p.id !== panel.id && p.rendered));
    assert.ok(restored.columns!.includes('conversion.count'), 'the restored grid lost the conversion columns');
    assert.deepStrictEqual(
      { ...restored.conversions, revenue: undefined },
      { ...info, revenue: undefined },
      'the restored join differs',
    );
    assert.strictEqual((await sandboxState()).requestCount, before, 'restoring sent a request');
  });

  test('Conversions: a big day pages the report in ⌈rows / 2,000⌉ requests', async function () {
    this.timeout(120_000);
    const api = await resultsApi();
    const { from, to } = pastDayUtc();
    await setSandboxKnobs({ dayVolumes: { [from.slice(0, 10)]: 500_000 } });
    const panel = await streamIntoGrid(api, { from, to, timezone_id: 67 });
    const since = Date.now();
    const info = await vscode.commands.executeCommand<any>('everflow.addConversions', { resultId: panel.id });
    assert.ok(info, 'Add Conversions gave nothing');
    const requests = conversionRequests(await sandboxState(), since);
    assert.ok(info.rows > 2000, `only ${info.rows} conversions: one page, nothing about paging is tested`);
    assert.strictEqual(requests, Math.ceil(info.rows / 2000), `${requests} requests for ${info.rows} conversions`);
    // The capped result holds 5,000 of the day's clicks: the others' conversions are counted, not dropped.
    assert.strictEqual(info.matched + info.unmatched, info.rows);
    assert.ok(info.unmatched > 0);
  });

  test('Conversions: a 403 on the report leaves the grid as it was and says why once', async function () {
    this.timeout(60_000);
    const api = await resultsApi();
    const { from, to } = pastDayUtc();
    const panel = await streamIntoGrid(api, { from, to, timezone_id: 67, query: { filters: FILTERS } });
    await setSandboxKnobs({ conversions: { forbidden: true } });
    const since = Date.now();
    const info = await vscode.commands.executeCommand<any>('everflow.addConversions', { resultId: panel.id });
    assert.strictEqual(info, undefined);
    const state = await sandboxState();
    assert.strictEqual(conversionRequests(state, since), 1, 'a 403 was retried');
    const now = api.panels().find((p) => p.id === panel.id)!;
    assert.deepStrictEqual(now.columns, panel.columns, 'the grid changed');
    assert.strictEqual(now.conversions, undefined);
    assert.strictEqual(now.rows, panel.rows);
  });

  test('Conversions: a page that keeps failing leaves the grid as it was', async function () {
    this.timeout(120_000);
    const api = await resultsApi();
    const { from, to } = pastDayUtc();
    const panel = await streamIntoGrid(api, { from, to, timezone_id: 67, query: { filters: FILTERS } });
    await setSandboxKnobs({ conversions: { failPage: 1 } });
    const info = await vscode.commands.executeCommand<any>('everflow.addConversions', { resultId: panel.id });
    assert.strictEqual(info, undefined);
    const now = api.panels().find((p) => p.id === panel.id)!;
    assert.deepStrictEqual(now.columns, panel.columns, 'the grid changed');
    assert.strictEqual(now.conversions, undefined);
  });

  test('Conversions: Cancel during paging keeps the clicks as they were and the pages that arrived, marked partial', async function () {
    this.timeout(120_000);
    const api = await resultsApi();
    const { from, to } = pastDayUtc();
    const panel = await streamIntoGrid(api, { from, to, timezone_id: 67, query: { filters: FILTERS } });
    // Small, slow pages: several of them, each taking long enough to press Cancel between two.
    const PAGE = 10;
    const LATENCY = 1500;
    await setSandboxKnobs({ conversions: { maxPageSize: PAGE, latencyMs: LATENCY } });
    const log = async (): Promise<{ path: string; status: number; at: number }[]> =>
      ((await sandboxState()).requests as { path: string; status: number; at: number }[]).filter((r) => r.path.startsWith('/v1/affiliates/reporting/conversions'));
    const since = Date.now();
    const adding = vscode.commands.executeCommand<any>('everflow.addConversions', { resultId: panel.id });
    await waitFor('the first page of conversions', async () => (await log()).filter((r) => r.at >= since && r.status === 200).length >= 1, 60_000);
    const sentAtCancel = (await log()).filter((r) => r.at >= since).length;
    // The newest notification is the paging's progress; its primary action is Cancel.
    await vscode.commands.executeCommand('notification.acceptPrimaryAction');
    const info = await adding;
    // The paging has ended: nothing was asked after Cancel but the page already under way.
    const sentByEnd = (await log()).filter((r) => r.at >= since).length;
    assert.ok(sentByEnd <= sentAtCancel + 1, `${sentByEnd} conversion requests, ${sentAtCancel} when Cancel was pressed`);

    assert.ok(info, 'Cancel after a page kept nothing');
    assert.strictEqual(info.partial, true, 'not marked partial');
    const report = await (async () => {
      await setSandboxKnobs({ conversions: { maxPageSize: 2000, latencyMs: 0 } });
      return sandboxConversions(info.from, info.to);
    })();
    assert.ok(report.length > 2 * PAGE, `only ${report.length} conversions: one or two pages, Cancel has nothing to stop`);
    assert.ok(info.pages >= 1 && info.pages < Math.ceil(report.length / PAGE), `${info.pages} pages of ${Math.ceil(report.length / PAGE)}`);
    assert.strictEqual(info.rows, info.pages * PAGE, 'the rows kept are not the pages that arrived');
    assert.strictEqual(info.matched + info.unmatched, info.rows);
    // The grid: the same clicks, now with the conversion columns of what arrived.
    const after = await waitFor('the grid with the partial conversions', () => api.panels().find((p) => p.id === panel.id && p.rendered?.columns.includes('conversion.count')));
    assert.strictEqual(after.rows, panel.rows, 'the clicks changed');
    assert.strictEqual(after.rendered!.total, panel.rows);
    assert.strictEqual(after.partial, panel.partial, 'the clicks were marked otherwise');
    assert.deepStrictEqual(after.conversions, info);
  });

  test('Conversions: those without their click in the result open as a grid of conversions (and still as JSON), and survive a restore', async function () {
    this.timeout(90_000);
    const api = await resultsApi();
    const { from, to } = pastDayUtc();
    const panel = await streamIntoGrid(api, { from, to, timezone_id: 67, query: { filters: FILTERS } });
    const info = await vscode.commands.executeCommand<any>('everflow.addConversions', { resultId: panel.id });
    // The report runs 30 days past the day: later days' clicks converting in it are not in this result.
    assert.ok(info?.unmatched > 0, `no conversion without its click: nothing is tested (${JSON.stringify(info)})`);

    // Which ones, by hand: the report read here minus the conversions of the result's clicks.
    const report = await sandboxConversions(info.from, info.to);
    const stream = await sandboxPost('/v1/affiliates/reporting/clicks/stream', { from, to, timezone_id: 67, query: { filters: FILTERS } });
    const ids = new Set<string>(parseStreamResponse(stream, Infinity).rows.map((c) => c.transaction_id));
    const expected = report.filter((r) => !ids.has(r.transaction_id)).map((r) => String(r.conversion_id ?? r.network_conversion_id)).sort();
    assert.strictEqual(expected.length, info.unmatched);

    const gridId = await vscode.commands.executeCommand<string>('everflow.openUnmatchedConversions', { resultId: panel.id });
    assert.ok(gridId && gridId !== panel.id, 'no grid of conversions opened');
    const grid = await waitFor('the conversions grid to render', () => api.panels().find((p) => p.id === gridId && p.rendered));
    assert.strictEqual(grid.kind, 'conversions');
    assert.strictEqual(grid.rows, info.unmatched);
    assert.strictEqual(grid.rendered!.total, info.unmatched);
    assert.strictEqual(grid.conversions, undefined, 'a grid of conversions has no conversions added to it');
    for (const id of ['cv.conversion_unix_timestamp', 'cv.transaction_id', 'cv.conversion_id', 'cv.revenue', 'cv.sub1', 'cv.order_id', 'cv.coupon_code']) assert.ok(grid.columns!.includes(id), `${id} is not a column`);
    assert.ok(grid.rendered!.columns.includes('cv.conversion_id'), 'the conversion ID is not shown');
    assert.ok(!grid.columns!.some((c) => c.startsWith('conversion.') || c === 'is_unique'), 'click columns in a grid of conversions');
    // Fetch All and Add Conversions do nothing to it.
    assert.strictEqual(await vscode.commands.executeCommand('everflow.addConversions', { resultId: gridId }), undefined);

    // Its Open as JSON: exactly the conversions without their click, as normalised, with the report's request.
    assert.strictEqual(await vscode.commands.executeCommand('everflow.results.openAsJson', { resultId: gridId }), true);
    const doc = JSON.parse(activeResultText());
    assert.strictEqual(doc.request.kind, 'conversions');
    assert.deepStrictEqual(doc.conversions.map((c: any) => c.conversion_id).sort(), expected);
    assert.ok(!activeResultText().includes(testConfig().keys.valid), 'the key is in the document');

    // The JSON document of the parent grid is still offered.
    await vscode.commands.executeCommand('everflow.openUnmatchedConversions', { resultId: panel.id, as: 'json' });
    const json = await waitFor('the JSON document', () => {
      try {
        const d = JSON.parse(activeResultText());
        return Array.isArray(d.conversions) && d.note ? d : undefined;
      } catch {
        return undefined;
      }
    });
    assert.deepStrictEqual(json.conversions.map((c: any) => c.conversion_id).sort(), expected);

    // A reload: the grid of conversions comes back from the kept result, without asking Everflow.
    const before = (await sandboxState()).requestCount;
    const known = new Set(api.panels().map((p) => p.id));
    const copy = vscode.window.createWebviewPanel('everflow.results', grid.title, vscode.ViewColumn.Active, { enableScripts: true });
    await api.restore(copy, { resultId: gridId, title: grid.title });
    const restored = await waitFor('the restored conversions grid to render', () => api.panels().find((p) => !known.has(p.id) && p.rendered));
    assert.strictEqual(restored.kind, 'conversions');
    assert.strictEqual(restored.rows, info.unmatched);
    assert.ok(restored.rendered!.columns.includes('cv.conversion_id'));
    assert.strictEqual((await sandboxState()).requestCount, before, 'restoring sent a request');
  });
});
