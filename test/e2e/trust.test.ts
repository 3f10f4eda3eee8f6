// Issue #7, workspace trust. The manifest declares `untrustedWorkspaces: limited`; this opens a folder in
// Restricted Mode (workspace trust on, the folder not trusted) whose .vscode/ holds a queries file and
// settings written by someone else, and checks what "limited" means: the extension works, nothing in the
// queries file runs by itself, running one of its queries first shows what it will send and asks, Cancel
// sends nothing, and the restricted setting (`everflow.hover.idPattern`) is not read from the workspace.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { MD_COMMAND_LINK, XSS_FLAG_IMG } from '../sandbox/hostile';
import { startWorkbench, type Workbench } from './harness';
import { invokeChatTool } from './toolProbe';
import { anyLive, clearNotifications, liveElements, pwnedFrames, record, setKey, waitUntil, watchDialogs } from './securityProbe';

const QUERY_NAME = `Team report ${MD_COMMAND_LINK}`;
const QUERIES = {
  version: 1,
  queries: [
    {
      id: 'team-1',
      name: QUERY_NAME,
      window: { preset: 'yesterday' },
      timezone: 'UTC',
      filters: [{ resource_type: 'sub1', filter_id_value: XSS_FLAG_IMG }],
      exclusions: [],
      note: 'Runs every morning',
    },
  ],
};

let wb: Workbench | undefined;
let dialogs: string[] = [];
let checks = 0;
const leaks: string[] = [];

before(
  async () => {
    wb = await startWorkbench({
      label: 'trust',
      restrictedMode: true,
      files: {
        '.vscode/everflow-queries.json': JSON.stringify(QUERIES, null, 2) + '\n',
        // A pattern that finds no 32-character id at all: if it were read, no hover would show.
        '.vscode/settings.json': JSON.stringify({ 'everflow.hover.idPattern': '[0-9a-f]{16}', 'everflow.baseUrl': 'https://evil.example' }, null, 2) + '\n',
      },
      settings: { 'everflow.hover.timeBudgetMs': 3000 },
      // The chat tools are called as an agent would (vscode.lm.invokeTool) through a test-only extension.
      chatToolProbe: true,
    });
    dialogs = watchDialogs(wb.page);
  },
  { timeout: 180_000 },
);

after(async () => {
  record('trust', { payloadsTried: 2, faultsInjected: 0, leaksFound: leaks.length, checks, details: { leaks } });
  await wb?.close();
});

test('the folder opens in Restricted Mode, the extension is active, and nothing was sent by itself', { timeout: 120_000 }, async () => {
  const w = wb!;
  await w.page.locator('.statusbar-item', { hasText: /Restricted Mode/i }).first().waitFor({ state: 'visible', timeout: 30_000 });
  await w.screenshot('01-restricted');
  // Activation, the queries file and the workspace settings have been read; give them a moment more.
  await new Promise((r) => setTimeout(r, 3000));
  checks++;
  assert.deepEqual(w.sandbox.requestLog, [], 'a request went out before anyone asked');
  await setKey(w, w.sandbox.keys.valid);
  await w.waitForNotification(/API key saved for account/, 30_000);
  const afterKey = w.sandbox.requestLog.length;
  assert.equal(afterKey, 1, 'setting the key sent more than its one check');
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(w.sandbox.requestLog.length, afterKey, 'a workspace query ran without being asked to');
});

test('running a query from the workspace file asks first, showing what it sends; Cancel sends nothing', { timeout: 120_000 }, async () => {
  const w = wb!;
  const tree = w.page.locator('.pane:has(.pane-header[aria-label^="Saved Queries"]) .monaco-list').first();
  if (!(await tree.isVisible())) await w.page.locator('.activitybar [aria-label^="Everflow"]').first().click();
  const row = tree.locator('.monaco-list-row', { hasText: 'Team report' }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  const before = w.sandbox.requestLog.length;
  await row.click();
  await w.page.keyboard.press('Control+Enter');
  const dialog = w.page.locator('.monaco-dialog-box').first();
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  const text = ((await dialog.textContent()) ?? '').replace(/\s+/g, ' ');
  await w.screenshot('02-asks');
  checks++;
  const live = anyLive(await liveElements(dialog));
  // Answered before anything is asserted: a dialog left open would block every later test.
  await dialog.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  assert.match(text, /Run "Team report \[click me\] ?\(command:workbench\.action\.quit\)" from this workspace's queries file\?/);
  assert.match(text, /Restricted Mode/);
  assert.match(text, /sends a request with your API key for: sub1 "<img src=x onerror=\\"window\.__pwned=1\\">", Yesterday \(UTC\)/);
  leaks.push(...live.map((l) => `trust dialog: ${l}`));
  assert.deepEqual(live, [], 'the dialog turned the query name into something live');
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(w.sandbox.requestLog.slice(before), [], 'Cancel still sent a request');
});

test('a chat agent cannot run the workspace\'s query: the tool refuses before asking or sending, and says how the user can', { timeout: 60_000 }, async () => {
  const w = wb!;
  const before = w.sandbox.requestLog.length;
  const run = await invokeChatTool(w, 'everflow_runSavedQuery', { name: QUERY_NAME, openInGrid: false });
  checks++;
  assert.equal(run.trusted, false, 'the tool ran in a trusted workspace: the test proves nothing');
  assert.equal(run.text, undefined, 'the tool ran the query');
  assert.match(run.error ?? '', /^Not run: this workspace is in Restricted Mode, and "Team report .*" comes from its queries file \(\.vscode\/everflow-queries\.json\).*Ask the user to run it themselves from the Everflow Saved Queries view/s);
  const listed = await invokeChatTool(w, 'everflow_listSavedQueries', {});
  assert.match(listed.text ?? '', /^1 saved Everflow query\..*This workspace is in Restricted Mode: its workspace queries run only when the user runs them\./s);
  // No confirmation was shown (it refused first), and nothing was sent.
  assert.equal(await w.page.locator('.monaco-dialog-box').count(), 0, 'a dialog is open');
  assert.deepEqual(w.sandbox.requestLog.slice(before), [], 'the refused tool sent a request');
});

test('answering Run sends the one stream the dialog described', { timeout: 120_000 }, async () => {
  const w = wb!;
  await clearNotifications(w);
  const tree = w.page.locator('.pane:has(.pane-header[aria-label^="Saved Queries"]) .monaco-list').first();
  const before = w.sandbox.requestLog.length;
  await tree.locator('.monaco-list-row', { hasText: 'Team report' }).first().click();
  await w.page.keyboard.press('Control+Enter');
  const dialog = w.page.locator('.monaco-dialog-box').first();
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  await dialog.locator('.monaco-button', { hasText: /^Run$/ }).first().click();
  await w.waitForNotification(/clicks in [\d.]+ s/, 60_000);
  const streams = w.sandbox.requestLog.slice(before).filter((r) => r.path.endsWith('/clicks/stream'));
  assert.equal(streams.length, 1);
  // The workspace's base URL was not used: the request reached the sandbox.
  assert.equal(streams[0].apiKey, w.sandbox.keys.valid);
  await w.screenshot('03-ran');
});

test('the restricted setting everflow.hover.idPattern is not read from the untrusted workspace', { timeout: 120_000 }, async () => {
  const w = wb!;
  await w.runCommand('View: Close All Editors');
  await w.openFile('sample.log');
  const lines = fs.readFileSync(path.join(w.workspaceDir, 'sample.log'), 'utf8').split('\n');
  const id = w.sampleIds[0];
  const line = lines.findIndex((l) => l.includes(id));
  await w.goto(line + 1, lines[line].indexOf(id) + 11);
  let text = '';
  await waitUntil('the card', async () => /Everflow\sclick/.test((text = (await w.showHover()).replace(/\u00a0/g, ' '))), 30_000);
  await w.screenshot('04-hover-default-pattern');
  assert.match(text, new RegExp(id), 'the card is not for the id under the cursor');
});

test('nothing from the workspace ran in any frame, and no dialog of a payload opened', async () => {
  const w = wb!;
  checks++;
  const ran = await pwnedFrames(w.page);
  leaks.push(...ran, ...dialogs);
  assert.deepEqual(ran, []);
  assert.deepEqual(dialogs, []);
});
