// "Look Up All Transaction IDs in File / Selection" as a person uses it: from the editor's context menu
// (right-click in a .log file, pick the entry, see the grid), and a long run cancelled with the Cancel
// button of its progress notification, which keeps the rows already fetched and labels the result partial.
// Screenshots land in test-results/screenshots/bulk-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSandbox } from '../sandbox/server';
import { gridFrame, startWorkbench, waitUntil as until, type Workbench } from './harness';

let wb: Workbench | undefined;
/** Ids for the long run, known before the workbench starts (same seed, same day as its sandbox). */
let many: string[] = [];
const MANY = 24;
const LATENCY_MS = 1500;
/** Transaction IDs no sandbox knows (their hex is outside what its generator makes). */
const UNKNOWN = Array.from({ length: 7 }, (_, i) => `${'f'.repeat(24)}0000000${i}`);
/** 32-hex values no sandbox knows, written with no click-ID key in front. */
const CANDIDATES = [`${'c'.repeat(24)}0000000a`, `${'c'.repeat(24)}0000000b`];

before(
  async () => {
    const probe = await startSandbox();
    try {
      many = probe.sampleIds(MANY, { daysAgo: 2 });
    } finally {
      await probe.close();
    }
    assert.equal(new Set(many).size, MANY);
    wb = await startWorkbench({
      label: 'bulk',
      // Bulk results always open in the grid; say so anyway, so a change of default does not hide that.
      settings: { 'everflow.results.openIn': 'grid' },
      files: {
        'many.log': many.map((id, i) => `2026-03-18 10:00:${String(i).padStart(2, '0')} INFO postback transaction_id=${id}`).join('\n') + '\n',
        'paste-here.txt': 'IDs go here\n',
        // Two values with a click-ID key, three without: one Everflow knows, two it does not.
        'mixed.log':
          [
            `2026-03-18 12:00:00 INFO postback transaction_id=${many[20]}`,
            `2026-03-18 12:00:01 INFO postback tid=${many[21]}`,
            `2026-03-18 12:00:02 INFO partner wrote: see ${many[22]}`,
            `2026-03-18 12:00:03 INFO artifact ${CANDIDATES[0]} uploaded`,
            `2026-03-18 12:00:04 INFO cache warm ${CANDIDATES[1]}`,
          ].join('\n') + '\n',
        'unknown.log': UNKNOWN.map((id, i) => `2026-03-18 11:00:0${i} WARN postback for transaction_id=${id} rejected`).join('\n') + '\n',
      },
    });
    // The probe and the workbench's sandbox share the seed, so they know the same clicks.
    assert.deepEqual(wb.sandbox.sampleIds(MANY, { daysAgo: 2 }), many, 'the sandbox knows other ids than the probe');
    await wb.setApiKey();
  },
  { timeout: 240_000 },
);

after(async () => {
  await wb?.close();
});

/** Waits as the harness does; on a timeout the error says what the grid, the tab and the toasts showed. */
async function waitUntil(what: string | (() => string), check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  await until(what, check, timeoutMs).catch(async (e: unknown) => {
    const w = wb!;
    const shot = await w.screenshot(`failed-${Date.now()}`).catch(() => '');
    const seen = `summary ${JSON.stringify(await summary(w).catch(() => ''))}, tab ${JSON.stringify(await w.activeTabTitle().catch(() => ''))}, notifications ${JSON.stringify(await w.readNotifications().catch(() => []))}`;
    throw new Error(`${e instanceof Error ? e.message : String(e)} (${seen}; ${shot})`);
  });
}

async function summary(w: Workbench): Promise<string> {
  return ((await gridFrame(w).locator('.summary-text').textContent()) ?? '').trim();
}

async function banners(w: Workbench): Promise<string[]> {
  return (await gridFrame(w).locator('.banner-text').allTextContents()).map((t) => t.trim());
}

/** Click-look-up requests the sandbox has answered or is answering, from `from` on. */
function clickRequests(w: Workbench, from: number): number {
  return w.sandbox.requestLog.slice(from).filter((r) => r.path.startsWith('/v1/affiliates/reporting/clicks/')).length;
}

/** Right-clicks the rendered line holding `text` in the active editor and picks `entry` from the context menu. */
async function contextMenu(w: Workbench, text: string, entry: string): Promise<void> {
  const line = w.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: text }).first();
  await line.click({ button: 'right', position: { x: 30, y: 5 } });
  const item = w.page.locator('.context-view .action-item', { hasText: entry }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  // The menu ignores a click that comes right after it opened (it takes it for the end of the opening
  // right-click): rest on the entry first, then click, and click again while the menu is still open.
  await item.hover();
  await new Promise((r) => setTimeout(r, 300));
  for (let attempt = 0; attempt < 3 && (await item.isVisible()); attempt++) {
    await item.click().catch(() => undefined);
    await w.page.locator('.context-view .monaco-menu').first().waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
  }
  assert.ok(!(await item.isVisible()), `the context menu is still open after choosing "${entry}"`);
}

async function closeAllEditors(w: Workbench): Promise<void> {
  await w.runCommand('View: Close All Editors');
  await waitUntil('every editor to close', async () => (await w.page.locator('.editor-group-container .tab').count()) === 0, 10_000);
}

test('the editor context menu looks up every ID in the file and shows them in the grid', { timeout: 180_000 }, async () => {
  const w = wb!;
  await w.openFile('sample.log');
  const before = clickRequests(w, 0);
  await contextMenu(w, w.sampleIds[0], 'Look Up All Transaction IDs in File');
  await waitUntil('the grid of 5 rows', async () => /^5 rows\b/.test(await summary(w)), 60_000);
  assert.match((await w.activeTabTitle()) ?? '', /IDs in sample\.log/);
  assert.doesNotMatch((await w.activeTabTitle()) ?? '', /partial/);
  const cells = await gridFrame(w).locator('.slick-cell').allTextContents();
  for (const id of w.sampleIds) assert.ok(cells.some((c) => c.includes(id)), `${id} is not in the grid`);
  assert.equal(clickRequests(w, before), 5, 'one request per id');
  assert.ok(!(await banners(w)).some((b) => /Partial/.test(b)), 'a complete look-up is labelled partial');
  await w.screenshot('01-context-menu-file-grid');
  await closeAllEditors(w);
});

test('with a selection, the context menu offers the selection look-up and fetches only the selected IDs', { timeout: 180_000 }, async () => {
  const w = wb!;
  await w.openFile('sample.log');
  // Lines 2 and 3 hold sampleIds[0] and [1]: select from the start of line 2 to the start of line 4.
  await w.goto(2, 1);
  await w.page.keyboard.press('Shift+ArrowDown');
  await w.page.keyboard.press('Shift+ArrowDown');
  await contextMenu(w, w.sampleIds[0], 'Look Up All Transaction IDs in Selection');
  await waitUntil('the grid of 2 rows', async () => /^2 rows\b/.test(await summary(w)), 60_000);
  assert.match((await w.activeTabTitle()) ?? '', /IDs in selection of sample\.log/);
  const cells = await gridFrame(w).locator('.slick-cell').allTextContents();
  for (const id of w.sampleIds.slice(0, 2)) assert.ok(cells.some((c) => c.includes(id)), `${id} is not in the grid`);
  for (const id of w.sampleIds.slice(2)) assert.ok(!cells.some((c) => c.includes(id)), `${id} was not selected but is in the grid`);
  await w.screenshot('02-context-menu-selection-grid');
  await closeAllEditors(w);
});

test('Cancel on the progress notification keeps the rows already fetched and labels the result partial', { timeout: 180_000 }, async () => {
  const w = wb!;
  w.sandbox.setKnobs({ latencyMs: LATENCY_MS });
  try {
    await w.openFile('many.log');
    const before = clickRequests(w, 0);
    await w.runCommand('Everflow: Look Up All Transaction IDs in File');
    const toast = w.page.locator('.notifications-toasts .notification-toast', { hasText: `Looking up ${MANY} transaction IDs` }).first();
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    // Wait for the first answers, so there is something to keep, then press Cancel.
    let done = 0;
    await waitUntil(
      () => `progress past 0 of ${MANY}`,
      async () => {
        const m = new RegExp(`(\\d+) of ${MANY}`).exec((await toast.innerText()).replace(/\u00a0/g, ' '));
        done = m ? Number(m[1]) : 0;
        return done >= 1;
      },
      30_000,
    );
    await w.screenshot('03-progress-before-cancel');
    await toast.hover();
    const cancel = toast.locator('.monaco-button', { hasText: 'Cancel' }).first();
    await cancel.click();
    const sentAtCancel = clickRequests(w, before);

    await waitUntil('a partial grid', async () => /partial/.test((await w.activeTabTitle()) ?? '') && /^\d+ rows?\b/.test(await summary(w)), 30_000);
    const rows = Number(/^(\d+) rows?\b/.exec(await summary(w))![1]);
    assert.ok(rows >= done && rows < MANY, `${rows} rows kept; ${done} were done when Cancel was pressed, of ${MANY}`);
    assert.match((await w.activeTabTitle()) ?? '', /IDs in many\.log \(partial\)/);
    assert.ok((await banners(w)).some((b) => /^Partial: the look-up was cancelled/.test(b)), JSON.stringify(await banners(w)));
    // The rows kept are ids of the file, in the file's order.
    const cells = await gridFrame(w).locator('.slick-cell').allTextContents();
    const shown = many.filter((id) => cells.some((c) => c.includes(id)));
    assert.ok(shown.length > 0, 'none of the fetched ids is in the grid');
    assert.ok(!(await toast.isVisible()), 'the progress notification is still showing');
    const cancelledToast = await w.waitForNotification(/cancel/i, 10_000);
    assert.match(cancelledToast, new RegExp(`kept the ${rows} click`));
    await w.screenshot('04-cancelled-partial-grid');

    // Nothing more is sent after Cancel: at most the requests already under way were answered.
    await new Promise((r) => setTimeout(r, LATENCY_MS * 2));
    const sent = clickRequests(w, before);
    assert.ok(sent <= sentAtCancel + 4 && sent < MANY, `${sent} requests sent in all, ${sentAtCancel} when Cancel was pressed`);
  } finally {
    w.sandbox.setKnobs({ latencyMs: 0 });
  }
});

test('a file whose IDs Everflow does not know: the grid says so in words about IDs, and the whole list can be copied', { timeout: 120_000 }, async () => {
  const w = wb!;
  await closeAllEditors(w);
  await w.openFile('unknown.log');
  const before = clickRequests(w, 0);
  await w.runCommand('Everflow: Look Up All Transaction IDs in File');
  const empty = gridFrame(w).locator('.empty');
  await waitUntil('the empty grid to explain', async () => /None of the 7 IDs were found/.test((await empty.textContent().catch(() => '')) ?? ''), 60_000);
  assert.doesNotMatch((await empty.textContent()) ?? '', /No clicks matched this query/);
  assert.equal(clickRequests(w, before), 7, 'one request per id');
  const banner = gridFrame(w).locator('.banner', { hasText: 'not found' }).first();
  assert.match((await banner.textContent()) ?? '', /7 ID\(s\) not found/);
  await w.screenshot('04-none-found');
  await banner.locator('vscode-button', { hasText: 'Copy all 7 IDs' }).click();
  // Pasted where a person would paste it: a text file, whose lines the harness can read.
  await w.openFile('paste-here.txt');
  await w.page.keyboard.press('ControlOrMeta+A');
  await w.page.keyboard.press('ControlOrMeta+V');
  const text = await w.waitForEditorText(new RegExp(UNKNOWN[6]));
  assert.deepEqual(text.trim().split('\n').sort(), [...UNKNOWN].sort());
  await w.runCommand('View: Revert and Close Editor');
});

test('Look Up All asks before values without a click-ID key: "Only the 2" sends none of them, "Look up all" sends them too', { timeout: 180_000 }, async () => {
  const w = wb!;
  await closeAllEditors(w);
  await w.openFile('mixed.log');
  const before = w.sandbox.requestLog.length;
  await w.runCommand('Everflow: Look Up All Transaction IDs in File');
  const question = await w.waitForQuickInput({ title: /Look Up All Transaction IDs/ });
  assert.equal(question.placeholder, '2 IDs, and 3 more 32-character values without a click-ID key: look those up too?');
  const choices = await w.page.locator('.quick-input-widget .monaco-list-row .label-name').allTextContents();
  assert.deepEqual(choices.map((c) => c.trim()), ['Look up all 5', 'Only the 2 with a click-ID key', 'Cancel']);
  assert.equal(w.sandbox.requestLog.length, before, 'a request went out before the answer');
  await w.screenshot('05-candidates-question');
  await w.quickInputType('Only the 2');
  await w.quickInputAccept();
  await waitUntil('the grid of 2 rows', async () => /^2 rows\b/.test(await summary(w)), 60_000);
  const sent = w.sandbox.requestLog.slice(before).map((r) => r.path);
  for (const v of [many[22], ...CANDIDATES]) assert.ok(!sent.some((p) => p.includes(v)), `${v} was looked up without asking`);
  await w.screenshot('06-only-clicks-grid');
  await closeAllEditors(w);

  await w.openFile('mixed.log');
  await w.runCommand('Everflow: Look Up All Transaction IDs in File');
  await w.waitForQuickInput({ title: /Look Up All Transaction IDs/ });
  await w.quickInputAccept();
  await waitUntil('the grid of 3 rows', async () => /^3 rows\b/.test(await summary(w)), 60_000);
  const banner = gridFrame(w).locator('.banner', { hasText: 'not found' }).first();
  assert.match((await banner.textContent()) ?? '', /2 ID\(s\) not found/);
  await w.screenshot('07-all-grid');
  await closeAllEditors(w);
});
