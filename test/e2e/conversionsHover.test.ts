// "Did it convert?" at a glance: hover a converted click's id in a log and read the card's conversion
// line, hover one that did not convert, then follow the card's "Trace" link to the trace document (and
// its Markdown preview), then the other verdicts from the palette (not converted, rejected, not found).
// Screenshots land in test-results/screenshots/conversionsHover-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startWorkbench, waitUntil, type Workbench } from './harness';
import { rejectedClickId } from '../sandbox/probe';

let wb: Workbench | undefined;
let converted = '';
let none = '';
const FILE = 'postbacks.log';

before(
  async () => {
    wb = await startWorkbench({
      label: 'conversionsHover',
      settings: { 'everflow.hover.timeBudgetMs': 3000, 'everflow.hover.timezone': 'Europe/Berlin', 'workbench.colorTheme': 'Default Dark Modern' },
    });
    converted = wb.sandbox.convertedSampleIds(1, { daysAgo: 2, kind: 'minutes' })[0]!;
    none = wb.sandbox.convertedSampleIds(1, { daysAgo: 40, kind: 'none' })[0]!;
    assert.ok(converted && none, 'the sandbox has a converted and a not-converted click');
    // Written long before a test opens it: Quick Open may not list a file made just now.
    const lines = [`2026-03-18 09:22:07 INFO postback transaction_id=${converted} status=ok`, `2026-03-18 09:22:09 INFO click transaction_id=${none}`];
    fs.writeFileSync(path.join(wb.workspaceDir, FILE), lines.join('\n') + '\n');
  },
  { timeout: 180_000 },
);

after(async () => {
  await wb?.close();
});

async function gotoId(w: Workbench, id: string): Promise<void> {
  const lines = fs.readFileSync(path.join(w.workspaceDir, FILE), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(id));
  await w.goto(line + 1, lines[line]!.indexOf(id) + 11);
}

/** Shows the hover until its conversion line has an answer (the first hover may still be looking). */
async function hoverWithAnswer(w: Workbench): Promise<string> {
  let text = '';
  await waitUntil(
    () => `the conversion line to be answered; the card says:\n${text}`,
    async () => {
      await w.page.keyboard.press('Escape');
      text = (await w.showHover()).replace(/\u00a0/g, ' ');
      return /Conversions/.test(text) && !/Looking up/.test(text);
    },
    60_000,
  );
  return text;
}

test('the card says whether the click converted, and "Trace" opens the trace', { timeout: 300_000 }, async () => {
  const w = wb!;
  await w.setApiKey();
  await w.openFile(FILE);

  await gotoId(w, converted);
  const text = await hoverWithAnswer(w);
  assert.match(text, /Conversions\s+Converted: \d+ \(base .+ after the click/, text);
  assert.match(text, /Trace/);
  await w.screenshot('01-converted-card');

  await gotoId(w, none);
  const noneText = await hoverWithAnswer(w);
  assert.match(noneText, /Conversions\s+No conversion within 30 days of the click/, noneText);
  await w.screenshot('02-not-converted-card');

  await gotoId(w, converted);
  await hoverWithAnswer(w);
  const card = w.page.locator('.monaco-hover:visible').first();
  await card.getByText('Trace', { exact: true }).click();
  const doc = await w.waitForEditorText(/Verdict: Converted/, 30_000);
  assert.match(doc, /In time order/);
  assert.match(doc, /\*\*Click\*\*/);
  await w.screenshot('03-trace-document');

  // The same document rendered: what the backslashes in the source are for.
  // The editor title's "Open Preview to the Side" (the built-in Markdown extension's button).
  await w.page.locator('.editor-actions a[aria-label^="Open Preview to the Side"]').first().click();
  // The preview is a webview: wait for its rendered heading inside the frames.
  await waitUntil('the rendered preview', async () => {
    for (const frame of w.page.frames()) if (await frame.locator('h1', { hasText: 'Trace of click' }).first().isVisible().catch(() => false)) return true;
    return false;
  }, 20_000);
  // The webview paints after its DOM is there: wait for the next frames.
  await w.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await w.screenshot('04-trace-preview');
  let body = '';
  for (const frame of w.page.frames()) {
    const html = await frame.locator('.markdown-body').first().innerHTML({ timeout: 1000 }).catch(() => '');
    if (html.includes('Trace of click')) body = html;
  }
  assert.match(body, /<table/, 'no rendered timeline table in the preview');
  assert.doesNotMatch(body, /<(img|script|iframe)\b|href=/i, 'the preview has an image, a script or a link');
  for (const key of Object.values(w.sandbox.keys)) assert.ok(!doc.includes(key), 'an API key is in the trace');

  // The other verdicts, each from the palette with the ID typed in: a click that did not convert in
  // its window, a rejected click (its error code's meaning), and an ID Everflow does not know.
  const cases: Array<[string, string, RegExp]> = [
    // The editor's text as shown: wrapped lines, Markdown's escapes.
    ['not-converted', none, /## Verdict: Not converted within 30\s+days\s+of\s+the\s+click/],
    ['rejected', await rejectedClickId(w.sandbox.url, w.sandbox.keys.valid), /## Verdict: Click rejected\\?: \d+\s+·\s+\S/],
    ['not-found', 'f'.repeat(32), /## Verdict: Click not found/],
  ];
  for (const [name, id, verdict] of cases) {
    await w.runCommand('Everflow: Trace Click…');
    await w.waitForQuickInput({ title: /Trace Click/ });
    await w.quickInputType(id);
    await w.quickInputAccept();
    const text = await w.waitForEditorText(verdict, 30_000);
    assert.ok(text.includes(id), `the ${name} trace is not of ${id}`);
    await w.screenshot(`05-trace-${name}`);
  }
});

