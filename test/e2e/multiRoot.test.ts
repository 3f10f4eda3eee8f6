// Saved queries in a multi-root workspace, as a person meets them: each folder's
// .vscode/everflow-queries.json is its own "Workspace · <folder>" scope in the tree; a query of the
// second folder runs from the tree; dragging it onto the first folder moves it from one file to the
// other. Screenshots: test-results/screenshots/multi-root-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startWorkbench, waitUntil, type Workbench } from './harness';

let wb: Workbench | undefined;
const REPORTS_QUERY = 'Reports: yesterday UTC';

function queriesFile(queries: unknown[]): string {
  return JSON.stringify({ version: 1, queries }, null, 2);
}

before(async () => {
  wb = await startWorkbench({
    label: 'multi-root',
    settings: { 'everflow.results.openIn': 'json' },
    files: { '.vscode/everflow-queries.json': queriesFile([{ id: 'main-1', name: 'Main: today UTC', window: { preset: 'today' }, timezone: 'UTC', filters: [], exclusions: [] }]) },
    moreFolders: {
      reports: {
        '.vscode/everflow-queries.json': queriesFile([
          { id: 'rep-1', name: REPORTS_QUERY, window: { preset: 'yesterday' }, timezone: 'UTC', filters: [{ resource_type: 'offer', filter_id_value: '883' }], exclusions: [] },
        ]),
      },
    },
  });
}, { timeout: 180_000 });

after(async () => {
  await wb?.close();
});

test('each folder is its own scope; a query runs from its folder and moves to the other by drag and drop', { timeout: 240_000 }, async () => {
  const w = wb!;
  await w.setApiKey();
  const reportsFile = path.join(path.dirname(w.workspaceDir), 'folders', 'reports', '.vscode', 'everflow-queries.json');
  const mainFile = path.join(w.workspaceDir, '.vscode', 'everflow-queries.json');
  const names = (file: string) => (JSON.parse(fs.readFileSync(file, 'utf8')) as { queries: { name: string }[] }).queries.map((q) => q.name);

  await w.page.locator('.activitybar [aria-label^="Everflow"]').first().click();
  const tree = w.page.locator('.pane:has(.pane-header[aria-label^="Saved Queries"]) .monaco-list').first();
  const rowOf = (text: string | RegExp) => tree.locator('.monaco-list-row', { hasText: text }).first();
  await rowOf(REPORTS_QUERY).waitFor({ state: 'visible', timeout: 30_000 });
  const labels = (await tree.locator('.monaco-list-row .label-name').allTextContents()).map((l) => l.replace(/\u00a0/g, ' '));
  assert.deepEqual(
    labels.filter((l) => /^(Workspace|User)/.test(l)),
    ['Workspace · workspace', 'Workspace · reports', 'User'],
    `the scopes in the tree: ${labels.join(' | ')}`,
  );
  assert.ok(labels.indexOf(REPORTS_QUERY) > labels.indexOf('Workspace · reports'), `the reports query is not under its folder: ${labels.join(' | ')}`);
  await w.screenshot('01-two-folders');

  await w.runQueryFromTree(rowOf(REPORTS_QUERY), REPORTS_QUERY);
  const text = await w.waitForEditorText(/"logic": "offer 883"/, 30_000);
  assert.match(text, /"exchanges": \[/, 'the stream opens as what Everflow sent, request beside response');

  // Drag it onto the first folder's scope: out of one file, into the other.
  await rowOf(REPORTS_QUERY).dragTo(rowOf(/^Workspace · workspace/));
  // A move writes the query into its new file first and then takes it out of the old one (so a failed
  // second write loses nothing): wait for both files.
  await waitUntil('the query in the first folder\'s file and out of its own', () => names(mainFile).includes(REPORTS_QUERY) && names(reportsFile).length === 0);
  assert.deepEqual(names(reportsFile), []);
  assert.deepEqual(names(mainFile), ['Main: today UTC', REPORTS_QUERY]);
  await w.screenshot('02-moved-between-folders');
});
