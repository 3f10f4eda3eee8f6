// A log over 50 MB, as a person meets it: VS Code shows it in the editor but does not hand it to
// extensions as a document, so "Look Up All Transaction IDs in File" from the palette must find the
// file from the active tab and read it from disk. Screenshots: test-results/screenshots/bigfile-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gridFrame, startWorkbench, waitUntil, type Workbench } from './harness';

let wb: Workbench | undefined;
const MB = 1024 * 1024;
const UNKNOWN = `${'f'.repeat(24)}0000000b`;

before(
  async () => {
    wb = await startWorkbench({ label: 'bigfile', settings: { 'everflow.results.openIn': 'grid' } });
    await wb.setApiKey();
    // 60 MB of access-log noise with hash values under `etag`, and four ids with a click-id key.
    const ids = [...wb.sampleIds.slice(0, 3), UNKNOWN];
    const noise = (i: number): string => `2026-03-01T00:00:${String(i % 60).padStart(2, '0')}Z GET /static/app.${i % 7}.js 200 etag="${(i % 9973).toString(16).padStart(32, 'b')}"\n`;
    const fd = fs.openSync(path.join(wb.workspaceDir, 'big.log'), 'w');
    try {
      fs.writeSync(fd, `2026-03-01T00:00:00Z postback transaction_id=${ids[0]} status=200\n`);
      let written = 0;
      for (let i = 0; written < 60 * MB; ) {
        let chunk = '';
        while (chunk.length < MB) chunk += noise(i++);
        fs.writeSync(fd, chunk);
        written += chunk.length;
        if (written > 30 * MB && written <= 31 * MB) fs.writeSync(fd, `2026-03-01T12:00:00Z postback transaction_id=${ids[1]} status=200\n`);
      }
      fs.writeSync(fd, `2026-03-01T23:59:58Z postback transaction_id=${ids[2]} status=200\n2026-03-01T23:59:59Z postback transaction_id=${ids[3]} status=404`);
    } finally {
      fs.closeSync(fd);
    }
  },
  { timeout: 240_000 },
);

after(async () => {
  await wb?.close();
});

test('Look Up All from the palette on a 60 MB log open in the editor reads it from disk and shows the clicks', { timeout: 180_000 }, async () => {
  const w = wb!;
  // Opened from the Explorer: VS Code shows the tab but not the text ("very large"), and hands the
  // extension no document for it.
  await w.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'big.log' }).first().click();
  await waitUntil('big.log to open in a tab', async () => /big\.log/.test((await w.activeTabTitle()) ?? ''), 20_000);
  await waitUntil('the "very large" notice', async () => (await w.page.locator('.editor-group-container.active', { hasText: /very large/ }).count()) > 0, 20_000);
  const from = w.sandbox.requestLog.length;
  await w.runCommand('Everflow: Look Up All Transaction IDs in File');
  const summary = async (): Promise<string> => ((await gridFrame(w).locator('.summary-text').textContent().catch(() => '')) ?? '').trim();
  await waitUntil('the grid of 3 rows', async () => /^3 rows\b/.test(await summary()), 60_000);
  assert.match((await w.activeTabTitle()) ?? '', /IDs in big\.log/);
  const cells = await gridFrame(w).locator('.slick-cell').allTextContents();
  for (const id of w.sampleIds.slice(0, 3)) assert.ok(cells.some((c) => c.includes(id)), `${id} is not in the grid`);
  const sent = w.sandbox.requestLog.slice(from).filter((r) => r.path.startsWith('/v1/affiliates/reporting/clicks/')).map((r) => r.path.split('/').pop());
  assert.deepEqual(new Set(sent), new Set([...w.sampleIds.slice(0, 3), UNKNOWN]), 'only the four ids were sent, no etag value');
  await w.screenshot('01-grid-from-60mb-log');
});

test('the Explorer context menu looks up the IDs of a big log without opening it', { timeout: 180_000 }, async () => {
  const w = wb!;
  await w.runCommand('View: Close All Editors');
  await waitUntil('every editor to close', async () => (await w.page.locator('.editor-group-container .tab').count()) === 0, 10_000);
  const from = w.sandbox.requestLog.length;
  await w.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'big.log' }).first().click({ button: 'right' });
  const item = w.page.locator('.context-view .action-item', { hasText: 'Look Up All Transaction IDs in File' }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  // A click right after the menu opens is taken for the end of the right-click: rest on the entry first.
  await item.hover();
  await waitUntil('the entry to take the hover', async () => (await item.locator('.action-menu-item.focused, .action-menu-item:focus').count()) > 0 || (await item.evaluate((e) => e.matches(':hover'))), 5_000);
  for (let attempt = 0; attempt < 3 && (await item.isVisible()); attempt++) await item.click().catch(() => undefined);
  const summary = async (): Promise<string> => ((await gridFrame(w).locator('.summary-text').textContent().catch(() => '')) ?? '').trim();
  await waitUntil('the grid of 3 rows', async () => /^3 rows\b/.test(await summary()) && /IDs in big\.log/.test((await w.activeTabTitle()) ?? ''), 60_000);
  const tabs = await w.page.locator('.editor-group-container .tab').allTextContents();
  assert.ok(!tabs.some((t) => /^big\.log/.test(t.trim())), `big.log was opened: ${JSON.stringify(tabs)}`);
  const sent = w.sandbox.requestLog.slice(from).filter((r) => r.path.startsWith('/v1/affiliates/reporting/clicks/'));
  // The look-ups of the first test are cached: at most the unknown id is asked again.
  assert.ok(sent.length <= 1, `${sent.length} requests`);
  await w.screenshot('02-explorer-context-grid');
});
