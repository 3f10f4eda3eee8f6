// The hover over a transaction ID in the Output panel (the provider is registered for the `output` scheme
// as well as for log languages). A look-up of a sample click makes the extension's own "Everflow" log
// channel print the request path `GET /v1/affiliates/reporting/clicks/<id>`; "Everflow: Show Log" opens
// that channel in the Output panel, and the real mouse rests on the ID there. Screenshots land in
// test-results/screenshots/outputHover-*.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { startWorkbench, type Workbench } from './harness';

let wb: Workbench | undefined;
let id = '';

before(
  async () => {
    wb = await startWorkbench({
      label: 'outputHover',
      settings: { 'everflow.hover.timeBudgetMs': 3000, 'everflow.hover.timezone': 'Europe/Berlin', 'workbench.colorTheme': 'Default Dark Modern' },
    });
    id = wb.sampleIds.filter((s) => s !== wb!.sandbox.hostileSampleId())[0];
  },
  { timeout: 180_000 },
);

after(async () => {
  await wb?.close();
});

/** The Output panel's editor (the panel part, not the editor area). */
function outputEditor(w: Workbench): Locator {
  return w.page.locator('.part.panel .monaco-editor').first();
}

/** The screen point in the middle of `text` on a rendered line of the Output panel, or undefined. */
async function pointOf(w: Workbench, text: string): Promise<{ x: number; y: number } | undefined> {
  return outputEditor(w).evaluate((editor, needle) => {
    for (const line of Array.from(editor.querySelectorAll<HTMLElement>('.view-lines .view-line'))) {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      // The id may be split over several token spans; find the text node holding its middle character.
      let offset = 0;
      const nodes: { node: Text; start: number }[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push({ node: n as Text, start: offset });
        offset += (n as Text).data.length;
      }
      const full = nodes.map((n) => n.node.data).join('');
      const at = full.indexOf(needle);
      if (at < 0) continue;
      const middle = at + Math.floor(needle.length / 2);
      const hit = nodes.find((n) => middle >= n.start && middle < n.start + n.node.data.length);
      if (!hit) continue;
      const range = document.createRange();
      range.setStart(hit.node, middle - hit.start);
      range.setEnd(hit.node, middle - hit.start + 1);
      const box = range.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    }
    return undefined;
  }, text);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a transaction ID in the Everflow log channel gets the click card on mouse hover in the Output panel', { timeout: 240_000 }, async () => {
  const w = wb!;
  await w.setApiKey();

  // A look-up writes the request path, id included, to the extension's log channel.
  const before = w.sandbox.requestLog.length;
  await w.runCommand('Everflow: Look Up Click by Transaction ID');
  await w.waitForQuickInput({ title: /Look Up Click/i });
  await w.quickInputType(id);
  await w.quickInputAccept();
  await w.waitForEditorText(new RegExp(`"transaction_id"\\s*:\\s*"${id}"`), 30_000);
  assert.ok(
    w.sandbox.requestLog.slice(before).some((r) => r.path === `/v1/affiliates/reporting/clicks/${id}`),
    'the look-up did not reach the sandbox',
  );
  await w.runCommand('View: Close All Editors');

  // "Everflow: Show Log" opens the channel in the Output panel.
  await w.runCommand('Everflow: Show Log');
  await outputEditor(w).waitFor({ state: 'visible', timeout: 20_000 });
  const line = await waitFor('the request line in the Output panel', async () => {
    const texts = await outputEditor(w).locator('.view-line').allInnerTexts();
    return texts.map((t) => t.replace(/\u00a0/g, ' ')).find((t) => t.includes(`GET /v1/affiliates/reporting/clicks/${id}`));
  });
  // The Output panel wraps long lines, so the status and duration may sit on the next visual line.
  assert.match(line, /\[info\] GET \/v1\/affiliates\/reporting\/clicks\/[0-9a-f]{32}/);
  // Nothing is hovered yet: no Everflow card before the pointer rests on the id.
  assert.doesNotMatch(await w.hoverText(), /Everflow\sclick/);

  // The real mouse: move onto the id's middle and rest there (editor.hover.delay is 300 ms).
  const point = await waitFor('the id to be rendered in the Output panel', () => pointOf(w, id));
  await w.page.mouse.move(point.x - 40, point.y - 60);
  await w.page.mouse.move(point.x, point.y, { steps: 5 });
  let text = '';
  await waitFor('the Everflow card over the Output panel', async () => /Everflow\sclick/.test((text = (await w.hoverText()).replace(/\u00a0/g, ' '))), 15_000);
  const shot = await w.screenshot('01-output-card');
  const card = w.page.locator('.monaco-hover:visible', { hasText: /Everflow\sclick/ }).first();
  await card.screenshot({ path: path.join(path.dirname(shot), 'outputHover-01-card-only.png') });

  for (const label of ['Everflow click', id, 'Time', 'UTC', 'Offer', 'Location', 'Device', 'Revenue', 'Status', 'Open as JSON', 'Open in Grid', 'Copy ID', 'Copy Row as JSON']) {
    assert.ok(text.includes(label), `the card lacks "${label}":\n${text}`);
  }
  // The card hovers over the Output panel, not the editor area: its box overlaps the panel.
  const overlaps = await w.page.evaluate(() => {
    const panel = document.querySelector('.part.panel')?.getBoundingClientRect();
    const hover = Array.from(document.querySelectorAll<HTMLElement>('.monaco-hover')).find((e) => e.offsetParent !== null && /Everflow\sclick/.test(e.innerText));
    const box = hover?.getBoundingClientRect();
    return !!panel && !!box && box.bottom > panel.top && box.top < panel.bottom;
  });
  assert.ok(overlaps, 'the card is not over the Output panel');

  // The card's links work from here too: "Open as JSON" opens the click.
  await card.getByText('Open as JSON', { exact: true }).click();
  await w.waitForEditorText(new RegExp(`"transaction_id"\\s*:\\s*"${id}"`), 30_000);
  await w.screenshot('02-opened-json');
});
