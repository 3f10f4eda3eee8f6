import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { testConfig } from './env';
import { closeAllEditors, waitFor } from './helpers';
import { logMark, record, waitForShownError } from './auditSupport';

// Issue #7, saved data: nothing a user wrote is lost. The workspace queries file is written by this
// window, by other windows, by git and by hand. This suite steps in at the exact moment the extension has
// read the file and is writing its new text (it watches .vscode/ for the extension's temporary file and
// acts when it appears), and compares bytes afterwards.

const USER_URI = vscode.Uri.parse('everflow-queries:/User/everflow-queries.json');
const EMPTY = '{\n  "version": 1,\n  "queries": []\n}\n';
const TMP = /^\.everflow-queries\.json\..+\.tmp$/;

interface Query {
  id: string;
  name: string;
  window: { preset: string };
  timezone: string;
  filters: unknown[];
  exclusions: unknown[];
  folder?: string;
}

const dir = (): string => path.join(testConfig().workspaceFolder, '.vscode');
const wsFile = (): string => path.join(dir(), 'everflow-queries.json');
const names = (): string[] => (JSON.parse(fs.readFileSync(wsFile(), 'utf8')) as { queries: Query[] }).queries.map((q) => q.name);

function query(id: string, name: string): Query {
  return { id, name, window: { preset: 'today' }, timezone: 'UTC', filters: [], exclusions: [] };
}

/**
 * The queries file as another window of this extension would read it: no file reads as no queries (the
 * store's readText() returns undefined for a missing file, and an edit starts from an empty file).
 */
function readAsAnotherWindow(): Query[] {
  try {
    return (JSON.parse(fs.readFileSync(wsFile(), 'utf8')) as { queries: Query[] }).queries;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      vanished++;
      return [];
    }
    throw e;
  }
}

/** Times another writer found no file at all while this window was saving (a replace that is not atomic). */
let vanished = 0;

/** Writes a whole queries file the way another editor or git does: a new file renamed into place. */
function writeAtomically(queries: Query[]): void {
  const tmp = path.join(dir(), `.other-writer-${process.pid}-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(tmp, JSON.stringify({ version: 1, queries }, null, 2) + '\n');
  fs.renameSync(tmp, wsFile());
}

function leftovers(): string[] {
  return fs.existsSync(dir()) ? fs.readdirSync(dir()).filter((f) => f !== 'everflow-queries.json') : [];
}

/**
 * Calls `act` when the extension's temporary file appears in .vscode/ (it has read the file, edited it
 * and is about to check and replace it), after `delay`: 'sync' in the watcher's callback, 'tick' on the
 * next turn of the event loop, or a number of milliseconds.
 */
function whenSaving(act: (n: number) => void, delay: 'sync' | 'tick' | number = 'sync', times = 1): { count(): number; stop(): void } {
  let n = 0;
  const seenTmp = new Set<string>();
  const watcher = fs.watch(dir(), (_event, filename) => {
    const name = String(filename ?? '');
    // One act per temporary file: its creation and its write both raise events.
    if (!TMP.test(name) || seenTmp.has(name) || n >= times || !fs.existsSync(path.join(dir(), name))) return;
    seenTmp.add(name);
    const k = n++;
    if (delay === 'sync') act(k);
    else if (delay === 'tick') setImmediate(() => act(k));
    else setTimeout(() => act(k), delay);
  });
  return { count: () => n, stop: () => watcher.close() };
}

async function resetScopes(): Promise<void> {
  fs.rmSync(dir(), { recursive: true, force: true });
  await vscode.workspace.fs.writeFile(USER_URI, new TextEncoder().encode(EMPTY));
  await vscode.commands.executeCommand('everflow.refreshSavedQueries');
}

async function newQuery(scope: 'workspace' | 'user', name: string): Promise<unknown> {
  return vscode.commands.executeCommand('everflow.newSavedQuery', { scope, query: { name, window: { preset: 'today' }, timezone: 'UTC' } });
}

let lost = 0;
let interventions = 0;
const cases: Record<string, string> = {};

suite('Saved data', () => {
  suiteSetup(resetScopes);
  teardown(closeAllEditors);
  suiteTeardown(async () => {
    if (canChattr()) spawnSync('chattr', ['-i', dir()]);
    await resetScopes();
    record('savedData', { payloadsTried: 0, faultsInjected: interventions, leaksFound: lost, checks: Object.keys(cases).length, details: cases });
  });

  test('another window saves between this window\'s read and write: both edits are kept, at every timing', async function () {
    this.timeout(120_000);
    await resetScopes();
    fs.mkdirSync(dir(), { recursive: true });
    writeAtomically([query('base', 'Base')]);
    await vscode.commands.executeCommand('everflow.refreshSavedQueries');
    const timings: ('sync' | 'tick' | number)[] = ['sync', 'sync', 'tick', 'tick', 0, 1, 2, 5, 10, 20];
    const missing: string[] = [];
    for (const [i, delay] of timings.entries()) {
      const theirs = query(`theirs-${i}`, `Theirs ${i}`);
      const hook = whenSaving(() => {
        // The other window reads the file, adds its query and saves.
        writeAtomically([...readAsAnotherWindow(), theirs]);
      }, delay);
      try {
        const id = await newQuery('workspace', `Mine ${i}`);
        assert.strictEqual(typeof id, 'string', `timing ${delay}: the save failed`);
      } finally {
        hook.stop();
      }
      interventions += hook.count();
      // Give a late write (timing > 0) its moment, then look at what is on disk.
      await new Promise((r) => setTimeout(r, 50));
      const now = names();
      for (const want of [`Mine ${i}`, ...(hook.count() ? [`Theirs ${i}`] : [])]) if (!now.includes(want)) missing.push(`${want} (timing ${delay})`);
    }
    if (!names().includes('Base')) missing.push('Base (written before the test)');
    lost += missing.length;
    cases['two windows'] = `${timings.length} saves interleaved with another window's; the file was missing ${vanished} time(s) mid-save; lost: ${missing.join(', ') || 'none'}`;
    assert.ok(interventions >= timings.length - 2, `the other window stepped in only ${interventions} times`);
    assert.deepStrictEqual(missing, [], `an edit was lost (the other window found no file ${vanished} time(s): the replace is a delete, then a rename)`);
    assert.strictEqual(vanished, 0, 'the other window found no queries file while this one replaced it (the replace is a delete, then a rename)');
    assert.deepStrictEqual(leftovers(), [], 'a temporary file was left behind');
  });

  test('another window that keeps saving: this window gives up with a clear message and keeps the other\'s text', async function () {
    this.timeout(60_000);
    let last: Query[] = [];
    const hook = whenSaving(
      (k) => {
        last = [...readAsAnotherWindow(), query(`busy-${k}`, `Busy ${k}`)];
        writeAtomically(last);
      },
      'sync',
      10,
    );
    const mark = logMark();
    let result: unknown;
    try {
      result = await newQuery('workspace', 'Contended');
    } finally {
      hook.stop();
    }
    interventions += hook.count();
    const now = names();
    for (const q of last) assert.ok(now.includes(q.name), `the other window's "${q.name}" was lost`);
    if (typeof result === 'string') {
      assert.ok(now.includes('Contended'));
      cases['busy other window'] = `saved after ${hook.count()} interruptions`;
      return;
    }
    const shown = await waitForShownError(mark);
    cases['busy other window'] = `gave up after ${hook.count()} interruptions: "${shown}"`;
    assert.match(shown, /changed|another|try again|queries file/i, `not a clear message: "${shown}"`);
  });

  test('git checks out another branch while a save is in flight: the checked-out file is kept and the edit is applied to it', async function () {
    this.timeout(30_000);
    await resetScopes();
    fs.mkdirSync(dir(), { recursive: true });
    writeAtomically([query('main-1', 'On main')]);
    await vscode.commands.executeCommand('everflow.refreshSavedQueries');
    const branch = [query('feat-1', 'On the branch'), query('feat-2', 'Also on the branch')];
    const hook = whenSaving(() => writeAtomically(branch));
    try {
      assert.strictEqual(typeof (await newQuery('workspace', 'Saved during checkout')), 'string');
    } finally {
      hook.stop();
    }
    interventions += hook.count();
    assert.strictEqual(hook.count(), 1);
    const now = names();
    for (const want of ['On the branch', 'Also on the branch', 'Saved during checkout']) assert.ok(now.includes(want), `${want} is missing: ${now}`);
    cases['checkout replaces the file'] = `kept: ${now.join(', ')}`;
    assert.deepStrictEqual(leftovers(), []);
  });

  test('git deletes the file while a save is in flight: the new query is still saved, nothing half-written is left', async function () {
    this.timeout(30_000);
    const hook = whenSaving(() => fs.rmSync(wsFile(), { force: true }));
    let result: unknown;
    try {
      result = await newQuery('workspace', 'Saved while deleted');
    } finally {
      hook.stop();
    }
    interventions += hook.count();
    assert.strictEqual(hook.count(), 1);
    assert.strictEqual(typeof result, 'string', 'the save failed');
    assert.deepStrictEqual(names(), ['Saved while deleted']);
    cases['checkout deletes the file'] = `kept: ${names().join(', ')}`;
    assert.deepStrictEqual(leftovers(), []);
  });

  test('a file with a syntax error is never written, whatever is tried, and a move out of it loses nothing', async function () {
    this.timeout(60_000);
    await resetScopes();
    fs.mkdirSync(dir(), { recursive: true });
    // A hand edit with a BOM, CRLF line ends, non-ASCII text and a missing comma.
    const broken = Buffer.from('\ufeff{\r\n  "version": 1,\r\n  "queries": [\r\n    { "id": "a", "name": "Zürich 東京 <img src=x onerror=alert(1)>" "window": {} }\r\n  ]\r\n}\r\n', 'utf8');
    fs.writeFileSync(wsFile(), broken);
    await vscode.commands.executeCommand('everflow.refreshSavedQueries');
    const userId = await newQuery('user', 'Mine, in my user queries');
    assert.strictEqual(typeof userId, 'string');
    const importFile = path.join(os.tmpdir(), `everflow-import-${process.pid}.json`);
    fs.writeFileSync(importFile, JSON.stringify({ version: 1, queries: [query('imp', 'Imported')] }));
    const attempts: [string, () => Thenable<unknown>][] = [
      ['new query', () => newQuery('workspace', 'x')],
      ['new folder', () => vscode.commands.executeCommand('everflow.newQueryFolder', { scope: 'workspace', name: 'F' })],
      ['import', () => vscode.commands.executeCommand('everflow.importSavedQueries', { source: vscode.Uri.file(importFile).toString(), scope: 'workspace' })],
      ['move in', () => vscode.commands.executeCommand('everflow.moveSavedQuery', { scope: 'user', id: userId, toScope: 'workspace' })],
      ['open file', () => vscode.commands.executeCommand('everflow.openSavedQueriesFile', { scope: 'workspace' })],
    ];
    try {
      for (const [what, attempt] of attempts) {
        const result = await attempt();
        assert.ok(fs.readFileSync(wsFile()).equals(broken), `${what} changed the broken file (result ${String(result)})`);
      }
      assert.deepStrictEqual(leftovers(), [], 'a temporary file was left behind');
      const user = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(USER_URI))) as { queries: Query[] };
      assert.ok(user.queries.some((q) => q.id === userId), 'the query that could not move was lost from the user queries');
      cases['syntax error'] = `${attempts.length} writes refused, bytes unchanged, the moved query kept`;
    } finally {
      fs.rmSync(importFile, { force: true });
      await vscode.commands.executeCommand('everflow.deleteSavedQuery', { scope: 'user', id: userId, confirm: false });
    }
  });

  test('a write that fails (the folder refuses new files): the file is unchanged byte for byte, the user is told, a retry works', async function () {
    if (!canChattr()) this.skip(); // needs root and chattr on an ext2/3/4 file system: an immutable folder refuses even root
    this.timeout(30_000);
    await resetScopes();
    fs.mkdirSync(dir(), { recursive: true });
    writeAtomically([query('keep', 'Keep me')]);
    await vscode.commands.executeCommand('everflow.refreshSavedQueries');
    const before = fs.readFileSync(wsFile());
    assert.strictEqual(spawnSync('chattr', ['+i', dir()]).status, 0);
    const mark = logMark();
    let result: unknown;
    try {
      result = await newQuery('workspace', 'Refused by the disk');
      assert.notStrictEqual(typeof result, 'string', 'the save claims to have worked');
    } finally {
      spawnSync('chattr', ['-i', dir()]);
    }
    assert.ok(fs.readFileSync(wsFile()).equals(before), 'the file changed');
    const shown = await waitForShownError(mark);
    assert.match(shown, /everflow-queries|permi|not permitted/i, `the message does not say what failed: "${shown}"`);
    assert.deepStrictEqual(leftovers(), []);
    assert.strictEqual(typeof (await newQuery('workspace', 'Refused by the disk')), 'string', 'the retry failed');
    assert.deepStrictEqual(names(), ['Keep me', 'Refused by the disk']);
    cases['failed write'] = `refused with "${shown}", bytes unchanged, retry saved`;
  });

  test('a folder where the queries file should be: shown as a problem, nothing inside it touched, writes refused', async function () {
    this.timeout(30_000);
    await resetScopes();
    fs.mkdirSync(wsFile(), { recursive: true });
    const inside = path.join(wsFile(), 'notes.txt');
    fs.writeFileSync(inside, 'a person keeps notes here');
    try {
      await vscode.commands.executeCommand('everflow.refreshSavedQueries');
      const api = (await vscode.extensions.getExtension(testConfig().extensionId)!.activate()) as { savedQueries?: { tree(): { label: string; contextValue?: string; children: unknown[] }[] } };
      await waitFor('the problem node', () => api.savedQueries?.tree().find((n) => n.label === 'Workspace')?.children.length);
      const result = await newQuery('workspace', 'Nowhere to go');
      assert.notStrictEqual(typeof result, 'string', 'the save claims to have worked');
      assert.strictEqual(fs.readFileSync(inside, 'utf8'), 'a person keeps notes here');
      assert.deepStrictEqual(fs.readdirSync(wsFile()), ['notes.txt']);
      assert.deepStrictEqual(leftovers(), []);
      cases['folder in the way'] = 'refused, folder untouched';
    } finally {
      fs.rmSync(wsFile(), { recursive: true, force: true });
      await vscode.commands.executeCommand('everflow.refreshSavedQueries');
    }
  });
});

let chattrOk: boolean | undefined;
/** chattr +i works here (root, ext4): probed once on a scratch folder. */
function canChattr(): boolean {
  if (chattrOk !== undefined) return chattrOk;
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'everflow-chattr-'));
  try {
    chattrOk = spawnSync('chattr', ['+i', probe]).status === 0;
    if (chattrOk) {
      try {
        fs.writeFileSync(path.join(probe, 'x'), 'x');
        chattrOk = false; // the attribute is not enforced here
      } catch {
        // refused, as wanted
      }
    }
  } catch {
    chattrOk = false;
  } finally {
    spawnSync('chattr', ['-i', probe]);
    fs.rmSync(probe, { recursive: true, force: true });
  }
  return chattrOk;
}
