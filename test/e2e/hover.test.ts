// The everyday moment: a transaction id in a log file, the pointer (here the keyboard) on it, and a card
// with the click. Set the key from the palette, open a .log file, show the hover on an id, look at the card,
// then click "Open as JSON" in it. The all-hostile click is hovered too, and the rendered card is searched
// for anything live. Screenshots land in test-results/screenshots/hover-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startWorkbench, type Workbench } from './harness';

let wb: Workbench | undefined;
let ids: string[] = [];
let hostile = '';
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const MD5_PREFIX = '2026-03-18 09:22:09.000 DEBUG sdk device idfa_md5=';
/** A 32-hex value no sandbox knows, written with no click-ID key in front (ticket.log). */
const CHECKSUM = `${'c'.repeat(24)}0000000e`;
const TICKET_PREFIX = 'Partner wrote: artifact ';

before(
  async () => {
    // The harness's sample.log holds the sandbox's sample ids (the all-hostile click among them); the
    // hash decoy goes in a file of its own, through the harness's `files`.
    wb = await startWorkbench({
      label: 'hover',
      files: { 'device.log': `${MD5_PREFIX}${MD5}\n` },
      settings: { 'everflow.hover.timeBudgetMs': 3000, 'everflow.hover.timezone': 'Europe/Berlin', 'workbench.colorTheme': 'Default Dark Modern' },
    });
    hostile = wb.sandbox.hostileSampleId();
    ids = wb.sampleIds.filter((id) => id !== hostile);
    assert.ok(wb.sampleIds.includes(hostile), 'sample.log holds the all-hostile click');
    // Written now, long before a test opens it: Quick Open can take a while to list a file made after
    // the window opened.
    const lines = [`${TICKET_PREFIX}${CHECKSUM} uploaded`, `Partner wrote: please see ${ids[2]} for the details`];
    fs.writeFileSync(path.join(wb.workspaceDir, 'ticket.log'), lines.join('\n') + '\n');
  },
  { timeout: 180_000 },
);

/** 1-based line and a column inside `id` in sample.log, read from the file the workbench shows. */
function where(id: string): { line: number; column: number } {
  const lines = fs.readFileSync(path.join(wb!.workspaceDir, 'sample.log'), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(id));
  assert.ok(line >= 0, `${id} is not in sample.log`);
  return { line: line + 1, column: lines[line].indexOf(id) + 11 };
}

async function gotoId(w: Workbench, id: string): Promise<void> {
  await w.openFile('sample.log');
  const at = where(id);
  await w.goto(at.line, at.column);
}

after(async () => {
  await wb?.close();
});

/**
 * Whether the card's links are in sight without scrolling: VS Code caps a hover's height, and a card
 * taller than that scrolls, hiding the links at its bottom.
 */
async function linksInSight(w: Workbench): Promise<{ ok: boolean; detail: string }> {
  return w.page.evaluate(() => {
    const hover = Array.from(document.querySelectorAll<HTMLElement>('.monaco-hover')).find((e) => e.offsetParent !== null);
    const link = Array.from(hover?.querySelectorAll<HTMLElement>('a') ?? []).find((a) => a.textContent === 'Open as JSON');
    if (!hover || !link) return { ok: false, detail: 'no card or no link' };
    const box = hover.getBoundingClientRect();
    const at = link.getBoundingClientRect();
    return { ok: at.top >= box.top && at.bottom <= box.bottom, detail: `card ${Math.round(box.top)}–${Math.round(box.bottom)}, link ${Math.round(at.top)}–${Math.round(at.bottom)}` };
  });
}

/** Shows the hover at the cursor until it is complete (the first look-up may still be running). */
async function completeHover(w: Workbench): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    // The card keeps its title on one line with a no-break space.
    const text = (await w.showHover()).replace(/\u00a0/g, ' ');
    if (!/Looking up/.test(text) || attempt >= 3) return text;
    await w.page.keyboard.press('Escape');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function setKey(w: Workbench): Promise<void> {
  await w.setApiKey();
}

test('hovering a transaction ID in a .log file shows the click, and "Open as JSON" opens it', { timeout: 240_000 }, async () => {
  const w = wb!;
  // Before any key: the card offers to set one, and nothing is sent.
  await gotoId(w, ids[0]);
  const before = w.sandbox.requestLog.length;
  const noKey = await completeHover(w);
  assert.match(noKey, /Connect an Everflow account/);
  assert.match(noKey, /Set API Key/);
  assert.equal(w.sandbox.requestLog.length, before, 'a request went out without a key');
  await w.screenshot('00-no-key-card');
  await w.page.keyboard.press('Escape');

  await setKey(w);
  await gotoId(w, ids[0]);
  const text = await completeHover(w);
  const shot = await w.screenshot('01-card');
  const card = w.page.locator('.monaco-hover:visible').first();
  await card.screenshot({ path: path.join(path.dirname(shot), 'hover-01-card-only.png') });

  for (const label of ['Everflow click', ids[0], 'Time', 'UTC', 'Offer', 'Location', 'Device', 'Revenue', 'Status', 'Open as JSON', 'Open in Grid', 'Copy ID', 'Copy Row as JSON']) {
    assert.ok(text.includes(label), `the card lacks "${label}":\n${text}`);
  }

  const sight = await linksInSight(w);
  assert.ok(sight.ok, `the links are scrolled out of the card (${sight.detail})`);

  await card.getByText('Open as JSON', { exact: true }).click();
  const json = await w.waitForEditorText(new RegExp(`"transaction_id"\\s*:\\s*"${ids[0]}"`), 30_000);
  assert.match(json, /"request"/);
  await w.screenshot('02-opened-json');
});

test('the hostile click renders as text: no image, script or foreign link in the card', { timeout: 120_000 }, async () => {
  const w = wb!;
  await gotoId(w, hostile);
  const text = await completeHover(w);
  const shot = await w.screenshot('03-hostile-card');
  const card = w.page.locator('.monaco-hover:visible').first();
  await card.screenshot({ path: path.join(path.dirname(shot), 'hover-03-hostile-card-only.png') });

  const found = await card.evaluate((el) => ({
    images: el.querySelectorAll('img, svg:not(.codicon), script, iframe, object').length,
    links: Array.from(el.querySelectorAll('a')).map((a) => a.getAttribute('data-href') ?? a.getAttribute('href') ?? ''),
  }));
  assert.equal(found.images, 0, 'an element that loads or runs something is in the card');
  assert.equal(found.links.length, 5, JSON.stringify(found.links));
  for (const href of found.links) assert.match(href, /^command:everflow\.(openClickAsJson|openClickInGrid|traceClick|copyTransactionId|copyClickJson)\?/, href);
  assert.match(text, /<\/?script>/, 'the script tag shows as text');
  const sight = await linksInSight(w);
  assert.ok(sight.ok, `even this card keeps its links in sight (${sight.detail})`);
});

test('the palette look-up is pre-filled with the ID under the cursor', { timeout: 60_000 }, async () => {
  const w = wb!;
  await gotoId(w, ids[1]);
  await w.runCommand('Everflow: Look Up Click by Transaction ID');
  const box = await w.waitForQuickInput({ title: /Look Up Click/i });
  assert.equal(box.value, ids[1]);
  await w.screenshot('04-palette-prefilled');
  await w.dismissQuickInput();
});

test('an idfa_md5 value gets no card', { timeout: 60_000 }, async () => {
  const w = wb!;
  await w.openFile('device.log');
  await w.goto(1, MD5_PREFIX.length + 10);
  await w.runCommand('Show or Focus Hover');
  await new Promise((r) => setTimeout(r, 1500));
  assert.doesNotMatch(await w.hoverText(), /Everflow\sclick/);
});

test('a value without a click-ID key: no card when Everflow does not know it, the card when it does', { timeout: 120_000 }, async () => {
  const w = wb!;
  const checksum = CHECKSUM;
  await w.openFile('ticket.log');
  await w.goto(1, TICKET_PREFIX.length + 10);
  const before = w.sandbox.requestLog.length;
  await w.runCommand('Show or Focus Hover');
  // The value is looked up; once Everflow has answered "not found" and the hover has settled, no card.
  await until(() => w.sandbox.requestLog.slice(before).some((r) => r.path.includes(checksum)), `the look-up of ${checksum}`);
  await until(async () => !/loading/i.test(await w.hoverText()), 'the hover to settle');
  assert.doesNotMatch(await w.hoverText(), /Everflow\sclick/);
  await w.screenshot('05-candidate-unknown-no-card');
  await w.page.keyboard.press('Escape');

  await w.goto(2, 'Partner wrote: please see '.length + 10);
  const text = await completeHover(w);
  for (const label of ['Everflow click', ids[2], 'Offer', 'Open as JSON']) assert.ok(text.includes(label), `the card lacks "${label}":\n${text}`);
  await w.screenshot('06-candidate-known-card');
  await w.page.keyboard.press('Escape');
});

/** Polls `check` until it holds (the hover widget raises no event a test can wait on). */
async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
