import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import * as config from '../../../src/config';
import { filesUnder, findInFile } from '../../support/securityReport';
import { resetSandbox, sandboxState, setSandboxKnobs, testConfig } from './env';
import { closeAllEditors, extensionApi, useSandboxAccount, waitFor } from './helpers';
import {
  MISTYPED_KEY,
  allKeys,
  everflowLog,
  everflowLogFiles,
  logMark,
  logSince,
  profileRoot,
  record,
  setUserSetting,
  smallWindow,
  userDataDir,
  userSetting,
  waitForLog,
  waitForShownError,
} from './auditSupport';

// Issue #7, the key. Over the whole integration run, every text document VS Code opens or changes (result
// documents, output channels, the queries files, settings) is searched for every key the run uses as it
// appears; at the end of the run the log files, the profile (settings, state databases, logs), the
// workspace (queries file, workspace settings), exported files and the clipboard are searched too. The
// suite itself provokes the cases where a key could slip out: a server that echoes it in errors and HTML
// pages, a mistyped key, copies and exports, and settings that try to send it elsewhere.

/** Where a key was found: "what (which key #)". */
const leaks: string[] = [];
let documentsSearched = 0;
let filesSearched = 0;
const exported: string[] = [];

function keyIndex(text: string): number {
  return allKeys().findIndex((k) => text.includes(k));
}

function searchDocument(doc: vscode.TextDocument): void {
  documentsSearched++;
  // The log and documents hold text; a key is found as written.
  const i = keyIndex(doc.getText());
  if (i >= 0) leaks.push(`document ${doc.uri.toString()} (key #${i})`);
}

/** Whether this run includes the audit: it is not forced on runs that grep for other suites. */
function auditing(): boolean {
  const grep = testConfig().grep;
  return !grep || new RegExp(grep).test('Key audit');
}

// Root-level hooks: they wrap every suite of the run, not only this file's.
let watchers: vscode.Disposable[] = [];
suiteSetup(() => {
  if (!auditing()) return;
  for (const doc of vscode.workspace.textDocuments) searchDocument(doc);
  watchers = [
    vscode.workspace.onDidOpenTextDocument(searchDocument),
    vscode.workspace.onDidChangeTextDocument((e) => searchDocument(e.document)),
  ];
});

suiteTeardown(async function () {
  if (!auditing()) return;
  this.timeout(180_000);
  const t0 = Date.now();
  for (const w of watchers) w.dispose();
  for (const doc of vscode.workspace.textDocuments) searchDocument(doc);
  const found = sweep();
  const swept = Date.now() - t0;
  // The clipboard is read through the browser here; a read that never answers must not hold the run.
  const clip = await Promise.race([vscode.env.clipboard.readText().then(undefined, () => ''), new Promise<string>((r) => setTimeout(() => r(''), 5000))]);
  if (keyIndex(clip) >= 0) found.push('the clipboard');
  leaks.push(...found);
  console.log(`[key audit] searched ${documentsSearched} documents and ${filesSearched} files in ${swept} ms`);
  record('keyAudit', {
    payloadsTried: 0,
    faultsInjected: echoFaults,
    leaksFound: leaks.length,
    checks: documentsSearched + filesSearched,
    details: { keysSearchedFor: allKeys().length, documentsSearched, filesSearched, logFiles: everflowLogFiles().length, leaks },
  });
  assert.deepStrictEqual(leaks, [], `a key was found in: ${leaks.join('; ')}`);
});

/**
 * The profile (user settings, state databases, every log) and the workspace, byte for byte in UTF-8 and
 * UTF-16. The extensions folder is left out: it holds the harness's own config (with the sandbox keys)
 * and a link to this repository.
 */
function sweep(): string[] {
  const skip = (p: string): boolean => p === path.join(profileRoot(), 'extensions') || /\.tmp$/.test(p);
  const files = [...filesUnder(profileRoot(), skip), ...exported.filter((f) => fs.existsSync(f))].filter((f) => fs.statSync(f).size < 300_000_000);
  filesSearched += files.length;
  return files.flatMap((f) => findInFile(f, allKeys()).map((hit) => `file ${hit}`));
}

let echoFaults = 0;

suite('Key audit', () => {
  let openIn: unknown;
  suiteSetup(async () => {
    openIn = userSetting('results.openIn');
    await setUserSetting('results.openIn', 'json');
    await resetSandbox();
    await useSandboxAccount('Audit');
  });
  setup(() => setSandboxKnobs({ fault: null, errorText: null }));
  teardown(closeAllEditors);
  suiteTeardown(async () => {
    await setUserSetting('results.openIn', openIn);
    await setUserSetting('baseUrl', testConfig().sandboxUrl);
    fs.rmSync(path.join(testConfig().workspaceFolder, '.vscode', 'settings.json'), { force: true });
    await resetSandbox();
  });

  test('the log is on disk where the audit reads it, and holds request lines', async () => {
    const mark = logMark();
    assert.strictEqual(await vscode.commands.executeCommand('everflow.lookUpClick', testConfig().sampleIds[0]), true);
    await waitForLog(mark, /GET \/v1\/affiliates\/reporting\/clicks\/[0-9a-f]{32} · 200/);
    assert.ok(everflowLogFiles().length >= 1);
  });

  test('a server that echoes the key in its errors: the message shown and the log say [redacted]', async function () {
    this.timeout(60_000);
    const { valid } = testConfig().keys;
    await setSandboxKnobs({ errorText: 'API key {apiKey} is not allowed here', fault: { kind: '500', count: -1, path: 'click' } });
    const before = (await sandboxState()).requestCount;
    const mark = logMark();
    assert.notStrictEqual(await vscode.commands.executeCommand('everflow.lookUpClick', testConfig().sampleIds[1]), true);
    echoFaults += (await sandboxState()).requestCount - before;
    const shown = await waitForShownError(mark);
    assert.match(shown, /API key \[redacted\] is not allowed here/);
    assert.ok(!shown.includes(valid));
    const log = logSince(mark);
    assert.match(log, /attempt \d/, 'the retries are logged');
    assert.ok(!log.includes(valid), 'the key is in the log');
  });

  test('an HTML error page that echoes the key, and a 400 that does: neither reaches a message or the log', async function () {
    this.timeout(60_000);
    const { valid } = testConfig().keys;
    await setSandboxKnobs({ errorText: '<p>Your key: {apiKey}</p>', fault: { kind: 'html-error', count: -1, path: 'stream' } });
    let before = (await sandboxState()).requestCount;
    let mark = logMark();
    assert.notStrictEqual(await vscode.commands.executeCommand('everflow.runClickStream', smallWindow()), true);
    echoFaults += (await sandboxState()).requestCount - before;
    let shown = await waitForShownError(mark);
    assert.match(shown, /Your key: \[redacted\]/);
    assert.ok(!logSince(mark).includes(valid));

    // A real 400 from the API (a bad timezone id), with the key echoed in the error body.
    await setSandboxKnobs({ fault: null, errorText: 'bad request from {apiKey}' });
    before = (await sandboxState()).requestCount;
    mark = logMark();
    assert.notStrictEqual(await vscode.commands.executeCommand('everflow.runClickStream', { ...smallWindow(), timezone_id: 99999 }), true);
    echoFaults += (await sandboxState()).requestCount - before;
    shown = await waitForShownError(mark);
    assert.match(shown, /bad request from \[redacted\]/);
    assert.ok(!logSince(mark).includes(valid));
  });

  test('a mistyped key is sent once to be checked, refused, and written nowhere, even when the server repeats it', async () => {
    const api = await extensionApi();
    await setSandboxKnobs({ errorText: 'Invalid API key {apiKey}' });
    const mark = logMark();
    const before = (await sandboxState()).requestCount;
    assert.strictEqual(await vscode.commands.executeCommand('everflow.setApiKey', { account: 'Typo', key: MISTYPED_KEY }), false);
    assert.strictEqual((await sandboxState()).requestCount, before + 1, 'the key check sent more or less than one request');
    assert.ok(!(await api.accountNames()).includes('Typo'), 'the refused key was saved');
    await waitForLog(mark, /clicks\/stream · 401/);
    const log = logSince(mark);
    assert.ok(!log.includes(MISTYPED_KEY), `the mistyped key is in the log: ${log}`);
    assert.match(log, /Invalid API key \[redacted\]/);
    assert.strictEqual(await api.activeAccountName(), 'Audit', 'a refused key changed the active account');
  });

  test('a workspace .vscode/settings.json cannot redirect the key: config.baseUrl() ignores it and the sandbox still gets the request', async function () {
    this.timeout(30_000);
    const dir = path.join(testConfig().workspaceFolder, '.vscode');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'settings.json');
    // A window-scoped setting rides along, to know when VS Code has read the file.
    fs.writeFileSync(
      file,
      JSON.stringify({ 'everflow.baseUrl': 'http://evil.example', 'everflow.requestTimeoutSeconds': 1, 'everflow.queries.defaultTimezone': 'Asia/Tokyo' }, null, 2),
    );
    try {
      await waitFor('VS Code to read the workspace settings', () => config.defaultQueryTimezone() === 'Asia/Tokyo', 15_000);
      assert.strictEqual(config.baseUrl(), testConfig().sandboxUrl, 'the workspace value redirected the base URL');
      assert.strictEqual(config.requestTimeoutMs(), 60_000, 'the workspace changed the request timeout');
      const inspected = vscode.workspace.getConfiguration('everflow').inspect<string>('baseUrl');
      assert.notStrictEqual(vscode.workspace.getConfiguration('everflow').get('baseUrl'), 'http://evil.example');
      assert.strictEqual(inspected?.globalValue, testConfig().sandboxUrl);

      const before = (await sandboxState()).requestCount;
      assert.strictEqual(await vscode.commands.executeCommand('everflow.lookUpClick', testConfig().sampleIds[2]), true);
      const state = (await sandboxState()) as unknown as { requestCount: number; requests: { path: string; keyed: boolean }[] };
      assert.strictEqual(state.requestCount, before + 1, 'the look-up did not reach the sandbox');
      assert.ok(state.requests.at(-1)?.keyed, 'the request reached the sandbox without its key');
    } finally {
      fs.rmSync(file, { force: true });
      await waitFor('the workspace settings to go away', () => config.defaultQueryTimezone() !== 'Asia/Tokyo', 15_000);
    }
  });

  test('plain http to a host other than this machine is refused with a clear message, and nothing is sent', async function () {
    this.timeout(60_000);
    const refused = ['http://evil.example', 'http://api.eflow.team', 'http://localhost.evil.example:8080', 'http://127.0.0.1.nip.io', 'http://10.0.0.8'];
    const before = (await sandboxState()).requestCount;
    try {
      for (const url of refused) {
        await setUserSetting('baseUrl', url);
        await waitFor(`the setting ${url}`, () => config.baseUrl() === url);
        const mark = logMark();
        assert.notStrictEqual(await vscode.commands.executeCommand('everflow.lookUpClick', testConfig().sampleIds[3]), true, url);
        const shown = await waitForShownError(mark);
        assert.match(shown, /plain http:\/\/ to .* would send your API key unencrypted; use https:\/\//, `${url}: ${shown}`);
        assert.doesNotMatch(logSince(mark), /GET \/v1/, `${url}: a request was logged as sent`);
      }
      assert.strictEqual((await sandboxState()).requestCount, before, 'a request reached the sandbox');
    } finally {
      await setUserSetting('baseUrl', testConfig().sandboxUrl);
      await waitFor('the sandbox base URL again', () => config.baseUrl() === testConfig().sandboxUrl);
    }
    // Loopback over plain http (the sandbox) is still allowed.
    assert.strictEqual(await vscode.commands.executeCommand('everflow.runClickStream', smallWindow()), true);
  });

  test('copies, exports, history and hover cards of a normal session hold no key', async function () {
    this.timeout(60_000);
    const keys = allKeys();
    const id = await vscode.commands.executeCommand<string>('everflow.newSavedQuery', {
      scope: 'user',
      query: { name: 'Audit query', window: { preset: 'lastHour' }, timezone: 'UTC', filters: [{ resource_type: 'offer', filter_id_value: '883' }] },
    });
    assert.ok(typeof id === 'string', 'the query was not saved');
    try {
      assert.strictEqual(await vscode.commands.executeCommand('everflow.runSavedQuery', { scope: 'user', id }), true);
      const curl = await vscode.commands.executeCommand<string>('everflow.copySavedQueryCurl', { scope: 'user', id });
      assert.ok(curl.includes('<YOUR_API_KEY>'), curl);
      const json = await vscode.commands.executeCommand<string>('everflow.copySavedQueryJson', { scope: 'user', id });
      const target = path.join(os.tmpdir(), `everflow-audit-export-${process.pid}.json`);
      exported.push(target);
      assert.strictEqual(await vscode.commands.executeCommand('everflow.exportSavedQueries', { scope: 'user', target: vscode.Uri.file(target).toString() }), vscode.Uri.file(target).toString());
      const history = (await extensionApi()) as unknown as { savedQueries?: { history(): unknown[] } };
      const logFile = path.join(testConfig().workspaceFolder, 'audit-hover.log');
      fs.writeFileSync(logFile, `click ${testConfig().sampleIds[0]} arrived\n`);
      const hoverDoc = await vscode.workspace.openTextDocument(vscode.Uri.file(logFile));
      await vscode.window.showTextDocument(hoverDoc);
      const cards = await waitFor('a hover card', async () => {
        const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', hoverDoc.uri, new vscode.Position(0, 10))) ?? [];
        const texts = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)));
        return texts.some((c) => /Everflow\sclick/.test(c)) ? texts : undefined;
      });
      const texts: [string, string][] = [
        ['cURL', curl],
        ['request JSON', json],
        ['export file', fs.readFileSync(target, 'utf8')],
        ['history', JSON.stringify(history.savedQueries?.history() ?? [])],
        ['hover cards', cards.join('\n')],
        ['clipboard', await vscode.env.clipboard.readText()],
        ['log', everflowLog()],
      ];
      for (const [what, text] of texts) {
        const i = keys.findIndex((k) => text.includes(k));
        assert.strictEqual(i, -1, `key #${i} is in the ${what}`);
      }
    } finally {
      fs.rmSync(path.join(testConfig().workspaceFolder, 'audit-hover.log'), { force: true });
      await vscode.commands.executeCommand('everflow.deleteSavedQuery', { scope: 'user', id, confirm: false });
    }
  });

  test('the profile and workspace hold no key so far (the whole run is searched again at its end)', () => {
    const found = sweep();
    assert.ok(filesSearched > 0 && fs.existsSync(userDataDir()), 'nothing was searched');
    assert.deepStrictEqual(found, []);
  });
});
