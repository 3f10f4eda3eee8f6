import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { resetSandbox, sandboxState, setSandboxKnobs, testConfig } from './env';
import { activeResultText, closeAllEditors, extensionApi, removeAllAccounts, useSandboxAccount, waitFor } from './helpers';
import { sentClicks } from './asSent';
import { QueryDragAndDrop, type DragItem, type DropTarget } from '../../../src/views/queryDragAndDrop';
import type { QueryTreeNode } from '../../../src/views/queryTreeNodes';

// Saved queries in a real extension host: the tree, every command (with arguments where a prompt
// would block), the workspace file on disk, the user scope, file watching and the broken-file rule.

interface TreeNode {
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  tooltip?: string;
  children: TreeNode[];
}

interface SavedQueriesApi {
  tree(): TreeNode[];
  history(): { id: string; label: string; rows: number; truncated: boolean; kept: boolean; request: { from: string; to: string; timezone_id: number } }[];
  openEditors(): string[];
}

const USER_URI = vscode.Uri.parse('everflow-queries:/User/everflow-queries.json');
const EMPTY = '{\n  "version": 1,\n  "queries": []\n}\n';

function wsFile(): string {
  return path.join(testConfig().workspaceFolder, '.vscode', 'everflow-queries.json');
}

async function sq(): Promise<SavedQueriesApi> {
  const api = (await extensionApi()) as unknown as { savedQueries?: SavedQueriesApi };
  assert.ok(api.savedQueries, 'the extension API has no savedQueries');
  return api.savedQueries;
}

function find(nodes: TreeNode[], label: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.label === label) return n;
    const inner = find(n.children, label);
    if (inner) return inner;
  }
  return undefined;
}

function readWs(): { queries: { id: string; name: string; folder?: string }[]; folders?: string[] } {
  return JSON.parse(fs.readFileSync(wsFile(), 'utf8'));
}

async function readUser(): Promise<{ queries: { id: string; name: string; folder?: string }[] }> {
  return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(USER_URI)));
}

async function resetScopes(): Promise<void> {
  fs.rmSync(path.join(testConfig().workspaceFolder, '.vscode'), { recursive: true, force: true });
  await vscode.workspace.fs.writeFile(USER_URI, new TextEncoder().encode(EMPTY));
  await vscode.commands.executeCommand('everflow.refreshSavedQueries');
  const api = await sq();
  await waitFor('an empty tree', () => api.tree().length === 0);
}

const usYesterday = {
  name: 'Yesterday US on 883 and 518',
  window: { preset: 'yesterday' },
  timezone: 'America/New_York',
  filters: [
    { resource_type: 'offer', filter_id_value: '883' },
    { resource_type: 'offer', filter_id_value: '518' },
    { resource_type: 'country', filter_id_value: 'United States' },
  ],
  exclusions: [{ resource_type: 'sub1', filter_id_value: 'internal' }],
};

/** Results open as JSON documents in this suite (the grid, once it exists, is tested on its own). */
async function setResultsOpenIn(value: string | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration('everflow')
    .update('results.openIn', value, vscode.ConfigurationTarget.Global)
    .then(undefined, () => undefined); // not a registered setting before the grid exists
}

suite('Saved queries', () => {
  let openIn: unknown;
  suiteSetup(async () => {
    openIn = vscode.workspace.getConfiguration('everflow').inspect('results.openIn')?.globalValue;
    await setResultsOpenIn('json');
    await resetSandbox();
    await useSandboxAccount();
    await vscode.commands.executeCommand('everflow.clearQueryHistory', { confirm: false });
    await resetScopes();
  });
  teardown(closeAllEditors);
  suiteTeardown(async () => {
    await setResultsOpenIn(openIn as string | undefined);
    await resetScopes();
    await vscode.commands.executeCommand('everflow.clearQueryHistory', { confirm: false });
    await removeAllAccounts();
  });

  test('with no queries the tree is empty, so the welcome ("Create your first query") shows', async () => {
    assert.deepStrictEqual((await sq()).tree(), []);
  });

  test('a new query is written to .vscode/everflow-queries.json and shown: scope → folder → query → filters', async () => {
    const id = await vscode.commands.executeCommand<string>('everflow.newSavedQuery', { scope: 'workspace', folder: 'Daily', query: usYesterday });
    assert.ok(typeof id === 'string' && id.length > 0, `no id returned: ${id}`);
    const file = readWs();
    assert.strictEqual(file.queries.length, 1);
    assert.strictEqual(file.queries[0].folder, 'Daily');
    assert.ok(!fs.readFileSync(wsFile(), 'utf8').includes(testConfig().keys.valid), 'the key is in the queries file');

    const tree = await waitFor('the query in the tree', async () => {
      const t = (await sq()).tree();
      return find(t, usYesterday.name) ? t : undefined;
    });
    assert.deepStrictEqual(tree.map((n) => n.label), ['Workspace', 'User']);
    const daily = tree[0].children[0];
    assert.strictEqual(daily.label, 'Daily');
    assert.strictEqual(daily.contextValue, 'folder');
    const q = daily.children[0];
    assert.strictEqual(q.label, usYesterday.name);
    assert.strictEqual(q.description, 'Yesterday · America/New_York');
    assert.strictEqual(q.contextValue, 'query');
    assert.deepStrictEqual(
      q.children.map((c) => [c.label, c.icon, c.contextValue]),
      [
        ['offer = 883', 'tag', 'filter'],
        ['offer = 518', 'tag', 'filter'],
        ['country = United States', 'globe', 'filter'],
        ['sub1 ≠ internal', 'symbol-variable', 'exclusion'],
      ],
    );
    // appendText escapes markdown punctuation with backslashes and spaces as &nbsp;; read past both.
    const tip = (q.tooltip ?? '').replace(/&nbsp;/g, ' ').replace(/\\/g, '');
    assert.match(tip, /offer 883 or 518, and country United States, excluding sub1 internal/);
    assert.match(tip, /Yesterday: \d{4}-\d\d-\d\d 00:00:00 → \d{4}-\d\d-\d\d 23:59:59 \(America\/New_York\)/);
  });

  test('tooltips escape what the team typed: no markdown links or emphasis from names and values', async () => {
    const name = 'Evil **bold** [click](command:everflow.removeAccount)';
    await vscode.commands.executeCommand('everflow.newSavedQuery', {
      scope: 'user',
      query: { name, window: { preset: 'today' }, timezone: 'UTC', filters: [{ resource_type: 'sub2', filter_id_value: '<img src=x onerror=alert(1)>' }] },
    });
    const node = await waitFor('the user query', async () => find((await sq()).tree(), name));
    const tip = (node.tooltip ?? '').replace(/&nbsp;/g, ' ');
    // Every markdown-significant character is backslash-escaped, so the text reads as typed...
    assert.ok(tip.replace(/\\(.)/g, '$1').includes(name), tip);
    // ...and no unescaped emphasis or link syntax is left.
    // (The tooltip's own bold title wraps the first line; that markup is the extension's, not the data's.)
    const data = tip.replace(/^\*\*|\*\*$/gm, '');
    assert.ok(!/(^|[^\\])\*\*/.test(data), `unescaped emphasis: ${tip}`);
    assert.ok(!/(^|[^\\])\[click(^|[^\\])?\]\(/.test(tip) && !tip.includes('[click](command:'), `the link survived unescaped: ${tip}`);
  });

  test('Run: progress, then the rows open as a result, and the run is in the history', async () => {
    const api = await sq();
    const ws = readWs().queries[0];
    assert.strictEqual(await vscode.commands.executeCommand('everflow.runSavedQuery', { scope: 'workspace', id: ws.id }), true);
    const doc = JSON.parse(activeResultText());
    assert.ok(sentClicks(doc).length > 0, 'no clicks came back');
    assert.strictEqual(doc.request.logic, 'offer 883 or 518, and country United States, excluding sub1 internal');
    assert.strictEqual(doc.request.timezone_id, 80);
    assert.match(doc.request.from, / 00:00:00$/);
    assert.strictEqual(doc.request.truncated, false);
    const last = api.history()[0];
    assert.strictEqual(last.label, usYesterday.name);
    assert.strictEqual(last.rows, sentClicks(doc).length);
    assert.strictEqual(last.request.from, doc.request.from);
  });

  test('a run that reaches the 5,000-row cap is recorded as truncated', async function () {
    this.timeout(60_000);
    await setSandboxKnobs({ clicksPerDay: 8000 });
    const id = await vscode.commands.executeCommand<string>('everflow.newSavedQuery', {
      scope: 'user',
      query: { name: 'Everything, last 24 hours', window: { preset: 'last24Hours' }, timezone: 'UTC' },
    });
    assert.strictEqual(await vscode.commands.executeCommand('everflow.runSavedQuery', { scope: 'user', id }), true);
    const last = (await sq()).history()[0];
    assert.strictEqual(last.rows, 5000);
    assert.strictEqual(last.truncated, true);
    await resetSandbox();
  });

  test('History: re-run sends the same window again; Open Results reopens the rows without a request', async () => {
    const api = await sq();
    const before = api.history().length;
    const entry = api.history().find((h) => h.label === usYesterday.name)!;
    assert.strictEqual(await vscode.commands.executeCommand('everflow.rerunHistoryEntry', { id: entry.id }), true);
    assert.strictEqual(api.history().length, before + 1);
    assert.deepStrictEqual(api.history()[0].request, entry.request);
    await closeAllEditors();
    const requests = (await sandboxState()).requestCount;
    assert.strictEqual(await vscode.commands.executeCommand('everflow.openHistoryResult', { id: api.history()[0].id }), true);
    assert.ok(sentClicks(JSON.parse(activeResultText())).length > 0);
    assert.strictEqual((await sandboxState()).requestCount, requests, 'reopening sent a request');
  });

  test('History: Open Results of an older run (past the few kept in memory) reads its kept rows, still without a request', async function () {
    this.timeout(60_000);
    const api = await sq();
    const oldest = api.history().find((h) => h.label === usYesterday.name)!;
    const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    // Six more runs push the older one out of the in-memory few.
    for (let h = 0; h < 6; h++) {
      const hh = String(h).padStart(2, '0');
      assert.strictEqual(await vscode.commands.executeCommand('everflow.runClickStream', { from: `${day} ${hh}:00:00`, to: `${day} ${hh}:59:59`, timezone_id: 67 }), true);
    }
    await closeAllEditors();
    const requests = (await sandboxState()).requestCount;
    // The rows are written to disk after the run's message; the history marks them kept when done.
    await waitFor('the last run\'s rows kept on disk', () => api.history()[0].kept, 20_000);
    assert.ok(api.history().find((h) => h.id === oldest.id)?.kept, 'the older run\'s rows are not kept');
    assert.strictEqual(await vscode.commands.executeCommand('everflow.openHistoryResult', { id: oldest.id }), true);
    const doc = JSON.parse(activeResultText());
    assert.strictEqual(doc.request.from, oldest.request.from);
    assert.strictEqual(sentClicks(doc).length, oldest.rows);
    assert.strictEqual((await sandboxState()).requestCount, requests, 'reopening sent a request');
  });

  test('a saved query over 14 days is valid: its tooltip says how many requests, and a run sends them', async () => {
    const day = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
    const name = 'Last 20 days, absolute';
    const id = await vscode.commands.executeCommand<string>('everflow.newSavedQuery', {
      scope: 'user',
      query: { name, window: { from: `${day(20)} 00:00:00`, to: `${day(1)} 23:59:59` }, timezone: 'UTC', filters: [{ resource_type: 'offer', filter_id_value: '883' }] },
    });
    assert.ok(typeof id === 'string', 'the long query was refused');
    const node = await waitFor('the long query', async () => find((await sq()).tree(), name));
    const tip = (node.tooltip ?? '').replace(/&nbsp;/g, ' ').replace(/\\/g, '');
    assert.match(tip, /20 days long; Everflow allows at most 14 days per request, so it runs as 2 requests/);
    const before = (await sandboxState()).requestCount;
    assert.strictEqual(await vscode.commands.executeCommand('everflow.runSavedQuery', { scope: 'user', id }), true);
    assert.strictEqual((await sandboxState()).requestCount - before, 2);
    const doc = JSON.parse(activeResultText());
    assert.strictEqual(doc.request.chunks, 2);
    assert.ok(sentClicks(doc).length > 0);
    const json = JSON.parse(await vscode.commands.executeCommand<string>('everflow.copySavedQueryJson', { scope: 'user', id }));
    assert.ok(Array.isArray(json) && json.length === 2, 'the copy is not the two requests a run sends');
    assert.strictEqual(json[0].from, `${day(20)} 00:00:00`);
    assert.strictEqual(json[1].to, `${day(1)} 23:59:59`);
    await vscode.commands.executeCommand('everflow.deleteSavedQuery', { scope: 'user', id, confirm: false });
  });

  test('Copy Request as JSON and Copy as cURL: the resolved request, a placeholder, never the key', async () => {
    const id = readWs().queries[0].id;
    const json = await vscode.commands.executeCommand<string>('everflow.copySavedQueryJson', { scope: 'workspace', id });
    const body = JSON.parse(json);
    assert.strictEqual(body.timezone_id, 80);
    assert.deepStrictEqual(body.query.exclusions, [{ resource_type: 's1', filter_id_value: 'internal' }]);
    assert.strictEqual(await vscode.env.clipboard.readText(), json);
    const curl = await vscode.commands.executeCommand<string>('everflow.copySavedQueryCurl', { scope: 'workspace', id });
    assert.ok(curl.includes("X-Eflow-API-Key: <YOUR_API_KEY>'"), curl);
    assert.ok(curl.includes(`${testConfig().sandboxUrl.replace(/\/$/, '')}/v1/affiliates/reporting/clicks/stream`));
    assert.ok(!curl.includes(testConfig().keys.valid), 'the key is in the cURL command');
  });

  test('New Folder, Rename, Duplicate, Move between folders and scopes, Delete', async () => {
    const id = readWs().queries[0].id;
    assert.strictEqual(await vscode.commands.executeCommand('everflow.newQueryFolder', { scope: 'workspace', name: 'Weekly' }), 'Weekly');
    assert.deepStrictEqual(readWs().folders, ['Weekly']);
    assert.strictEqual(await vscode.commands.executeCommand('everflow.renameSavedQuery', { scope: 'workspace', id, name: 'US, yesterday' }), true);
    assert.strictEqual(readWs().queries[0].name, 'US, yesterday');
    const copy = await vscode.commands.executeCommand<string>('everflow.duplicateSavedQuery', { scope: 'workspace', id });
    assert.deepStrictEqual(readWs().queries.map((q) => q.name), ['US, yesterday', 'US, yesterday (copy)']);
    assert.strictEqual(await vscode.commands.executeCommand('everflow.moveSavedQuery', { scope: 'workspace', id: copy, toScope: 'workspace', toFolder: 'Weekly' }), true);
    assert.strictEqual(readWs().queries.find((q) => q.id === copy)?.folder, 'Weekly');
    assert.strictEqual(await vscode.commands.executeCommand('everflow.moveSavedQuery', { scope: 'workspace', id: copy, toScope: 'user' }), true);
    assert.ok(!readWs().queries.some((q) => q.id === copy), 'still in the workspace file');
    assert.ok((await readUser()).queries.some((q) => q.name === 'US, yesterday (copy)' && !q.folder), 'not in the user queries');
    await waitFor('the moved query under User', async () => {
      const user = (await sq()).tree().find((n) => n.label === 'User');
      return user?.children.some((c) => c.label === 'US, yesterday (copy)');
    });
    assert.strictEqual(await vscode.commands.executeCommand('everflow.renameSavedQuery', { scope: 'workspace', folder: 'Weekly', name: 'Week' }), true);
    assert.deepStrictEqual(readWs().folders, ['Week']);
    assert.strictEqual(await vscode.commands.executeCommand('everflow.deleteSavedQuery', { scope: 'workspace', folder: 'Week', confirm: false }), true);
    assert.deepStrictEqual(readWs().folders, undefined);
    assert.strictEqual(await vscode.commands.executeCommand('everflow.deleteSavedQuery', { scope: 'user', id: (await readUser()).queries.find((q) => q.name === 'US, yesterday (copy)')!.id, confirm: false }), true);
    assert.ok(!(await readUser()).queries.some((q) => q.name === 'US, yesterday (copy)'));
  });

  test('drag and drop: dragged queries and folders travel by id, and a drop on a query means its folder', async () => {
    let got: { items: DragItem[]; target: DropTarget } | undefined;
    const dnd = new QueryDragAndDrop(async (items, target) => {
      got = { items, target };
    });
    const query = { id: 'q1', name: 'Q', window: { preset: 'today' as const }, timezone: 'UTC', filters: [], exclusions: [], folder: 'Daily' };
    const data = new vscode.DataTransfer();
    const dragged: QueryTreeNode[] = [
      { kind: 'query', scope: 'workspace', query },
      { kind: 'folder', scope: 'workspace', path: 'Team/Weekly' },
      { kind: 'scope', scope: 'user', empty: true },
    ];
    dnd.handleDrag(dragged, data);
    await dnd.handleDrop({ kind: 'query', scope: 'user', query: { ...query, id: 'q2', folder: 'Later' } }, data);
    assert.deepStrictEqual(got, {
      items: [
        { type: 'query', scope: 'workspace', id: 'q1' },
        { type: 'folder', scope: 'workspace', path: 'Team/Weekly' },
      ],
      target: { scope: 'user', folder: 'Later' },
    });
    got = undefined;
    await dnd.handleDrop(undefined, data);
    assert.strictEqual(got, undefined, 'a drop on empty space moved something');
  });

  test('an invalid query given by argument is refused and nothing is written', async () => {
    const before = fs.readFileSync(wsFile(), 'utf8');
    const result = await vscode.commands.executeCommand('everflow.newSavedQuery', {
      scope: 'workspace',
      query: { name: 'Backwards', window: { from: '2026-03-20 00:00:00', to: '2026-03-01 00:00:00' }, timezone: 'UTC' },
    });
    assert.notStrictEqual(typeof result, 'string');
    assert.strictEqual(fs.readFileSync(wsFile(), 'utf8'), before);
  });

  test('Export then Import: a file round trip into the other scope, identical queries skipped', async () => {
    const target = vscode.Uri.file(path.join(os.tmpdir(), `everflow-export-${Date.now()}.json`));
    assert.strictEqual(await vscode.commands.executeCommand('everflow.exportSavedQueries', { scope: 'workspace', target: target.toString() }), target.toString());
    const exported = JSON.parse(fs.readFileSync(target.fsPath, 'utf8'));
    assert.strictEqual(exported.version, 1);
    assert.strictEqual(exported.queries.length, readWs().queries.length);
    const userBefore = (await readUser()).queries.length;
    assert.strictEqual(await vscode.commands.executeCommand('everflow.importSavedQueries', { source: target.toString(), scope: 'user' }), exported.queries.length);
    assert.strictEqual((await readUser()).queries.length, userBefore + exported.queries.length);
    assert.strictEqual(await vscode.commands.executeCommand('everflow.importSavedQueries', { source: target.toString(), scope: 'user' }), 0, 'a second import added duplicates');
    fs.rmSync(target.fsPath, { force: true });
  });

  test('file watching: a query written to the file from outside shows up, and a deletion goes away', async () => {
    const file = readWs();
    const outside = { id: 'from-git', name: 'Pulled from git', window: { preset: 'lastHour' }, timezone: 'UTC', filters: [], exclusions: [] };
    fs.writeFileSync(wsFile(), JSON.stringify({ ...file, queries: [...file.queries, outside] }, null, 2));
    await waitFor('the outside query in the tree', async () => find((await sq()).tree(), 'Pulled from git'), 15_000);
    fs.writeFileSync(wsFile(), JSON.stringify(file, null, 2));
    await waitFor('the outside query to go away', async () => !find((await sq()).tree(), 'Pulled from git'), 15_000);
  });

  test('an edit re-reads the file first: a change made elsewhere a moment before is kept', async () => {
    const file = readWs();
    const mine = file.queries[0];
    const theirs = { id: 'other-window', name: 'Added in another window', window: { preset: 'today' }, timezone: 'UTC', filters: [], exclusions: [] };
    // Written and edited at once, before any watcher event can have reloaded the tree.
    fs.writeFileSync(wsFile(), JSON.stringify({ ...file, queries: [...file.queries, theirs] }, null, 2));
    assert.strictEqual(await vscode.commands.executeCommand('everflow.renameSavedQuery', { scope: 'workspace', id: mine.id, name: 'Renamed here' }), true);
    const after = readWs();
    assert.deepStrictEqual(after.queries.map((q) => q.name), ['Renamed here', 'Added in another window']);
    fs.writeFileSync(wsFile(), JSON.stringify(file, null, 2));
    await waitFor('the tree to settle', async () => !find((await sq()).tree(), 'Added in another window'), 15_000);
  });

  test('a broken file: a diagnostic at the exact place, a problem node, and saves refused with the file unchanged', async () => {
    const broken = '{\n  "version": 1,\n  "queries": [\n    { "id": "a" "name": "missing comma" }\n  ]\n}\n';
    fs.writeFileSync(wsFile(), broken);
    const uri = vscode.Uri.file(wsFile());
    const diagnostics = await waitFor('a diagnostic on the file', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Everflow Clicks');
      return d.length ? d : undefined;
    }, 15_000);
    assert.strictEqual(diagnostics[0].range.start.line, 3);
    assert.strictEqual(diagnostics[0].range.start.character, broken.split('\n')[3].indexOf('"name"'));
    assert.match(diagnostics[0].message, /comma is missing/);
    const problem = await waitFor('the problem node', async () => (await sq()).tree().find((n) => n.label === 'Workspace')?.children[0]);
    assert.strictEqual(problem.contextValue, 'fileProblem');
    assert.match(problem.label, /has an error — Open/);
    assert.match(problem.description ?? '', /^line 4, column \d+/);

    const before = fs.readFileSync(wsFile());
    assert.strictEqual(await vscode.commands.executeCommand('everflow.newSavedQuery', { scope: 'workspace', query: { name: 'x', window: { preset: 'today' }, timezone: 'UTC' } }), false);
    assert.strictEqual(await vscode.commands.executeCommand('everflow.newQueryFolder', { scope: 'workspace', name: 'Nope' }), false);
    assert.ok(fs.readFileSync(wsFile()).equals(before), 'the broken file was changed');
    assert.deepStrictEqual(fs.readdirSync(path.dirname(wsFile())), ['everflow-queries.json'], 'a temporary file was left behind');

    // Open Queries File jumps to the problem; fixing the file clears the diagnostic and the node.
    const opened = await vscode.commands.executeCommand<string>('everflow.openSavedQueriesFile', { scope: 'workspace' });
    assert.strictEqual(opened, uri.toString());
    assert.strictEqual(vscode.window.activeTextEditor?.selection.start.line, 3);
    fs.writeFileSync(wsFile(), EMPTY);
    await waitFor('the diagnostic to clear', () => vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Everflow Clicks').length === 0, 15_000);
    await waitFor('the problem node to go', async () => (await sq()).tree().find((n) => n.label === 'Workspace')?.children[0]?.contextValue !== 'fileProblem');
  });

  test('two scopes: user queries stay out of the workspace and open in their own editor', async () => {
    const id = await vscode.commands.executeCommand<string>('everflow.newSavedQuery', {
      scope: 'user',
      query: { name: 'Only mine', window: { preset: 'last15Minutes' }, timezone: 'Europe/London' },
    });
    assert.ok((await readUser()).queries.some((q) => q.id === id));
    assert.ok(!fs.readFileSync(wsFile(), 'utf8').includes('Only mine'));
    assert.strictEqual(await vscode.commands.executeCommand('everflow.openSavedQueriesFile', { scope: 'user' }), USER_URI.toString());
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), USER_URI.toString());
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /"Only mine"/);
    const user = (await sq()).tree().find((n) => n.label === 'User')!;
    assert.ok(user.children.some((c) => c.label === 'Only mine' && c.description === 'Last 15 minutes · Europe/London'));
  });

  test('Edit opens the query form, once per query', async () => {
    const id = (await readUser()).queries[0].id;
    assert.strictEqual(await vscode.commands.executeCommand('everflow.editSavedQuery', { scope: 'user', id }), `user:${id}`);
    await vscode.commands.executeCommand('everflow.editSavedQuery', { scope: 'user', id });
    assert.deepStrictEqual((await sq()).openEditors(), [`user:${id}`]);
  });
});
