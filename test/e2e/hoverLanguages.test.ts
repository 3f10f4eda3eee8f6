// A language added to `everflow.hover.languages` (here markdown) gets transaction-ID hovers in every
// window, with nothing else waking the extension: it activates once the window has started
// (`onStartupFinished`), also after a reload, and nothing tells the user to start it by hand.
// Screenshots land in test-results/screenshots/hoverLanguages-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorkbench, waitUntil, type Workbench } from './harness';

let wb: Workbench | undefined;

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

/** Types a click ID at the end of the ticket's line 3, as a person pasting it from a ticket would, and hovers it. */
async function hoverPastedId(w: Workbench): Promise<string> {
  const line = 'The customer says this click never converted:';
  await w.goto(3, line.length + 1);
  await w.page.keyboard.type(` ${w.sampleIds[0]}`);
  await w.goto(3, line.length + 12);
  return w.showHover();
}

test('a hover language the extension has no activation event for gets hovers in every window, with no Everflow command run', { timeout: 180_000 }, async () => {
  const w = wb!;
  // startWorkbench waited for the extension to be active; no Everflow command, view or log file woke it.
  await waitUntil('the extension host log to record the activation', async () => (await w.activationEvents()).length > 0, 30_000);
  assert.deepEqual(await w.activationEvents(), ['onStartupFinished']);
  await w.openFile('ticket.md');
  const hover = await hoverPastedId(w);
  assert.match(hover, /Everflow\sclick/);
  // No key yet: the card offers to set one.
  assert.match(hover, /Connect an Everflow account/);
  await w.screenshot('01-markdown-hover');
  await w.page.keyboard.press('Escape');
  await w.runCommand('View: Revert and Close Editor');

  // A reload is a new extension host: the extension starts again by itself, and the markdown hover works.
  await w.reloadWindow();
  await waitUntil('the new extension host log to record the activation', async () => (await w.activationEvents()).length > 1, 30_000);
  assert.deepEqual(await w.activationEvents(), ['onStartupFinished', 'onStartupFinished']);
  await w.openFile('ticket.md');
  assert.match(await hoverPastedId(w), /Everflow\sclick/);
  await w.screenshot('02-after-reload');
  await w.page.keyboard.press('Escape');
  await w.runCommand('View: Revert and Close Editor');
  const told = (await w.readAllNotifications()).filter((m) => /hovers in .* documents|wakes? an extension/i.test(m));
  assert.deepEqual(told, [], 'a notice about starting the extension by hand');
});
