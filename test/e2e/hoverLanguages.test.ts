// A language added to `everflow.hover.languages` that the extension does not declare in its static
// activation events (here markdown): the user is told once, honestly, that hovers there start once the
// extension is active, and not again after a reload; the hover does work in such a document. Screenshots
// land in test-results/screenshots/hoverLanguages-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorkbench, waitUntil, type Workbench } from './harness';

let wb: Workbench | undefined;
const NOTICE = /Transaction-ID hovers in "markdown" documents work in this window/;

before(
  async () => {
    wb = await startWorkbench({
      label: 'hoverLanguages',
      settings: { 'everflow.hover.languages': ['log', 'plaintext', 'markdown'] },
      files: { 'ticket.md': '# Support ticket\n\nThe customer says this click never converted:\n' },
    });
  },
  { timeout: 180_000 },
);

after(async () => {
  await wb?.close();
});

/** Runs "Everflow: Show Log", which activates the extension if nothing has yet, and waits for the channel. */
async function activate(w: Workbench): Promise<void> {
  // Right after a reload the first try can land before the new extension host is ready: try twice.
  for (let attempt = 1; ; attempt++) {
    await w.runCommand('Everflow: Show Log');
    try {
      await w.page.locator('.part.panel .monaco-editor').first().waitFor({ state: 'visible', timeout: 10_000 });
      return;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}

test('a hover language the extension does not declare gets one notice, which says how hovers start there', { timeout: 180_000 }, async () => {
  const w = wb!;
  await activate(w);
  // The extension may have started with the window (a JSON document opened at start-up wakes it), so
  // its toast may already have hidden itself into the notification centre: read both.
  let text = '';
  await waitUntil(
    'the one-time notice',
    async () => (text = (await w.readAllNotifications()).find((m) => NOTICE.test(m)) ?? '') !== '',
    30_000,
  );
  assert.match(text, /start once the Everflow extension is active \(open the Everflow sidebar or run any Everflow command\)/);
  assert.match(text, /VS Code wakes an extension by itself only for the languages it declares, and Everflow declares log, /);
  assert.doesNotMatch(text, /"plaintext"|"log"/, 'a declared language was named');
  await w.screenshot('01-notice');

  // The hover itself works in the markdown document (no key yet: the card offers to set one).
  const id = w.sampleIds[0];
  await w.openFile('ticket.md');
  // The id is typed at the end of line 3, as a person pasting it from a ticket would.
  const line = 'The customer says this click never converted:';
  await w.goto(3, line.length + 1);
  await w.page.keyboard.type(` ${id}`);
  await w.goto(3, line.length + 12);
  const hover = await w.showHover();
  assert.match(hover, /Everflow\sclick/);
  assert.match(hover, /Connect an Everflow account/);
  await w.screenshot('02-markdown-hover');
  await w.page.keyboard.press('Escape');
  await w.runCommand('View: Revert and Close Editor');

  // After a reload the extension activates again, and the notice does not come back.
  // In the browser a window reload is a page reload: a new extension host, the same profile.
  await w.page.reload({ waitUntil: 'domcontentloaded' });
  await w.waitForExtensions();
  // The account status bar item appears when the extension has activated in the new extension host.
  await w.page.locator('.statusbar-item', { hasText: 'Everflow' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  await activate(w);
  // The extension writes its decision to its log, which "Show Log" has open in the panel: once it says the
  // user was told before, any notice would already be showing.
  const panelText = (): Promise<string> =>
    w.page.evaluate(() => (document.querySelector('.part.panel .monaco-editor .view-lines') as HTMLElement | null)?.innerText.replace(/\s+/g, ' ') ?? ''); // wrapped lines joined
  await waitUntil('the log to say the user was told before', async () => /does not wake the extension for: markdown \(the user was told before\)/.test(await panelText()), 30_000);
  const seen = await w.readAllNotifications();
  assert.ok(!seen.some((m) => NOTICE.test(m)), `the notice came back after a reload: ${JSON.stringify(seen)}`);
  await w.screenshot('03-after-reload');
});
