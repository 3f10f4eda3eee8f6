import * as assert from 'assert';
import * as vscode from 'vscode';
import { PROMPT_INJECTIONS } from '../../sandbox/hostile';
import { resultsApi, useSandboxAccount, waitFor } from './helpers';
import { USER_URI, day, invoke, invokeConfirmed, invokeError, split, assertNoKey, directStream, countBy, type Digest, assertDigestMatches, chatToolsHooks } from './lmToolsSupport';

// Issue #16: the chat tools over saved queries and the open results grid, through vscode.lm.invokeTool,
// against the sandbox. The grid's own filters applied by a person (search, column filter, "Exclude this
// value") are in the grid e2e test (test/e2e/grid.test.ts), the only tier that can type into the grid.

suite('Chat tools: saved queries and the grid summary', () => {
  const { chat } = chatToolsHooks('chatTools.gridQueries');

  test('grid summary: what the open grid shows, and a breakdown by a named column, against the sandbox', async function () {
    this.timeout(60_000);
    await useSandboxAccount();
    const input = { from: `${day(2)} 00:00:00`, to: `${day(2)} 11:59:59`, timezone: 'UTC' };
    await invokeConfirmed('everflow_runClickStream', input);
    await waitFor('the grid to render', async () => (await resultsApi()).panels().find((p) => p.active && p.rendered));
    const expected = await directStream({ from: input.from, to: input.to, timezone_id: 67 });
    const summary = split(await invoke('everflow_summarizeGrid', {}));
    assert.match(summary.words, new RegExp(`shows ${expected.length.toLocaleString('en-US')} of its`));
    assertDigestMatches((summary.data as { summary: Digest }).summary, expected);
    const text = await invoke('everflow_summarizeGrid', { column: 'sub1', top: 3 });
    assertNoKey(text);
    const b = (split(text).data as { breakdown: { top: { value: string; clicks: number }[]; otherClicks?: number } }).breakdown;
    const subs = countBy(expected, (r) => (r.sub1 === '' ? '(empty)' : r.sub1));
    assert.strictEqual(b.top.length, 3);
    for (const t of b.top) assert.strictEqual(t.clicks, subs.get(t.value), `sub1 ${t.value}`);
    assert.strictEqual(b.top.reduce((n, t) => n + t.clicks, 0) + (b.otherClicks ?? 0), expected.length);
    assert.match(await invokeError('everflow_summarizeGrid', { column: 'no such column' }), /The grid has no column "no such column"\. Columns to break down by: offer\.name/);
  });

  test('saved queries: listed inside the fence (names are data), run by name with the same numbers', async function () {
    this.timeout(60_000);
    await useSandboxAccount();
    const injected = PROMPT_INJECTIONS[0].slice(0, 90);
    const file = {
      version: 1,
      queries: [
        { id: 'q1', name: 'US offer 518', window: { from: `${day(1)} 00:00:00`, to: `${day(1)} 05:59:59` }, timezone: 'UTC', filters: [{ resource_type: 'offer', filter_id_value: '518' }, { resource_type: 'country', filter_id_value: 'United States' }], exclusions: [] },
        { id: 'q2', name: injected, window: { preset: 'yesterday' }, timezone: 'UTC', filters: [], exclusions: [], note: PROMPT_INJECTIONS[3] },
      ],
    };
    await vscode.workspace.fs.writeFile(USER_URI, new TextEncoder().encode(JSON.stringify(file, null, 2)));
    await vscode.commands.executeCommand('everflow.refreshSavedQueries');
    const listed = split(await invoke('everflow_listSavedQueries', {}));
    assert.match(listed.words, /^2 saved Everflow queries/);
    assert.ok(!listed.words.includes(injected), 'a query name is outside the fence');
    const names = (listed.data as { name: string; note?: string }[]).map((q) => q.name).sort();
    assert.deepStrictEqual(names, ['US offer 518', injected].sort());
    const confirm = await chat().prepare('everflow_runSavedQuery', { name: 'us OFFER 518' });
    assert.ok(confirm?.message?.includes('offer 518, and country United States'), confirm?.message);
    assert.ok(confirm?.message?.startsWith('Run the saved query "US offer 518"'), confirm?.message);
    const { text } = await invokeConfirmed('everflow_runSavedQuery', { name: ' us offer 518 ', openInGrid: false });
    const expected = await directStream({ from: `${day(1)} 00:00:00`, to: `${day(1)} 05:59:59`, timezone_id: 67, query: { filters: file.queries[0].filters } });
    assertDigestMatches((split(text).data as { summary: Digest }).summary, expected);
    const err = await invokeError('everflow_runSavedQuery', { name: 'No such query' });
    assert.match(err, /There is no saved query called "No such query"\. The saved queries are: /);
  });
});
