// Fields Everflow sends that the extension has no name for, as a person meets them in the results grid
// (dark theme): the column chooser lists them, hidden; showing one shows its values; the row details
// and both exports carry them; hostile names stay text. The sandbox adds them (knob `unknownFields`:
// payout, offer.payout_type, relationship.affiliate/advertiser, `__proto__`, markup, a 10,000-character
// name …). Screenshots land in test-results/screenshots/unknown-fields-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gridFrame, startWorkbench, waitUntil, type Workbench } from './harness';
import { columnTexts, gridStatus } from './gridPage';
import { LONG_FIELD_NAME, MARKUP_FIELD_NAME } from '../sandbox/unknownFields';

let wb: Workbench | undefined;
const dialogs: string[] = [];

before(async () => {
  wb = await startWorkbench({
    label: 'unknown-fields',
    settings: { 'everflow.results.openIn': 'grid', 'workbench.colorTheme': 'Default Dark Modern' },
    sandbox: { knobs: { clicksPerDay: 400, unknownFields: 'hostile' } },
  });
  wb.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
}, { timeout: 180_000 });

after(async () => {
  await wb?.close();
});

/** Elements a hostile name or value could have become, in the page's own DOM under `selector` (the controls' shadow DOM draws icons). */
async function elementsIn(w: Workbench, selector: string): Promise<number> {
  return gridFrame(w)
    .locator('body')
    .evaluate((body, sel) => Array.from(body.querySelectorAll(sel)).reduce((n, root) => n + root.querySelectorAll('img, script, svg, iframe, a, object, embed').length, 0), selector);
}

/** Scrolls the grid to its last columns (the grid renders only the columns in view). */
async function scrollToEnd(w: Workbench): Promise<void> {
  await gridFrame(w)
    .locator('body')
    .evaluate((body) => body.querySelectorAll<HTMLElement>('.slick-viewport-top').forEach((v) => (v.scrollLeft = v.scrollWidth)));
  await new Promise((r) => setTimeout(r, 200));
}

const boxOf = (w: Workbench, id: string) => gridFrame(w).locator(`vscode-checkbox[data-column="${id}"]`);

test('the column chooser lists the fields Everflow added, hidden, with readable names', { timeout: 180_000 }, async () => {
  const w = wb!;
  await w.setApiKey();
  await w.runCommand('Everflow: Run Click Stream…');
  await w.waitForQuickInput({ title: /timezone/i });
  await w.quickInputType('UTC');
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /time window/i });
  await w.quickInputType('Yesterday');
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /filters/i });
  await w.quickInputAccept();
  await waitUntil('the grid', async () => /^[1-9][\d,]* rows/.test(await gridStatus(w)));
  const g = gridFrame(w);
  // Hidden at first: none of their headers is in the grid.
  assert.equal(await g.locator('.slick-column-name', { hasText: /^Payout$/ }).count(), 0);

  await g.locator('vscode-button', { hasText: 'Columns' }).click();
  await g.locator('.column-chooser').waitFor({ state: 'visible' });
  const extra = g.locator('.column-list-extra');
  await extra.waitFor({ state: 'visible' });
  assert.equal((await extra.locator('.column-list-heading').textContent())?.trim(), 'Not in the catalogue (new from Everflow)');
  const labels = await extra.locator('vscode-checkbox').evaluateAll((boxes) => boxes.map((b) => b.getAttribute('label') ?? ''));
  for (const want of ['Payout', 'Is View Through', 'Proto', 'Constructor', MARKUP_FIELD_NAME.replace('img src', 'img Src').replace('onerror', 'Onerror'), 'Offer: Payout Type', 'Geolocation: Zip Plus4', 'Affiliate: Name', 'Advertiser: Account Manager']) {
    assert.ok(labels.includes(want), `the chooser does not list "${want}": ${JSON.stringify(labels)}`);
  }
  const long = labels.find((l) => l.startsWith('Long X'))!;
  assert.ok(long && long.length <= 60 && long.endsWith('…'), `the 10,000-character name: ${long?.length}`);
  const checked = await extra.locator('vscode-checkbox').evaluateAll((boxes) => boxes.filter((b) => (b as HTMLElement & { checked: boolean }).checked).length);
  assert.equal(checked, 0, 'an unknown field is shown by default');
  assert.equal(await elementsIn(w, '.column-chooser'), 0, 'a field name became an element');
  await extra.scrollIntoViewIfNeeded();
  await w.screenshot('01-chooser');
});

test('showing a new column shows its values; the row details show every added field', { timeout: 120_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  await boxOf(w, 'extra:payout').click();
  await boxOf(w, 'extra:relationship/offer/payout_type').click();
  await boxOf(w, `extra:${encodeURIComponent(MARKUP_FIELD_NAME)}`).click();
  await waitUntil('the Payout column', async () => (await g.locator('.slick-column-name', { hasText: /^Payout$/ }).count()) === 1);
  await w.page.keyboard.press('Escape');
  await g.locator('.column-chooser').waitFor({ state: 'hidden' });
  let payouts: string[] = [];
  await waitUntil('payout values', async () => {
    await scrollToEnd(w);
    return (payouts = await columnTexts(w, 'Payout')).length > 5;
  });
  assert.ok(payouts.every((p) => /^\d+(\.\d+)?$/.test(p)), JSON.stringify(payouts));
  const types = await columnTexts(w, 'Offer: Payout Type');
  assert.ok(types.length > 5 && types.every((t) => t === 'cpa' || t === 'cpc'), JSON.stringify(types));
  const markup = await columnTexts(w, '<img Src=x Onerror="alert(1)">');
  assert.ok(markup.length > 0 && markup.every((t) => t === '<script>alert("unknown field")</script>'), JSON.stringify(markup.slice(0, 3)));
  assert.equal(await elementsIn(w, '.grid-canvas, .slick-header'), 0, 'a name or value became an element');
  await scrollToEnd(w);
  await w.screenshot('02-new-columns');

  await g.locator('.slick-cell').first().click();
  await w.page.keyboard.press('Enter');
  let json = '';
  await waitUntil('the row details', async () => (json = (await g.locator('.detail-json').textContent()) ?? '').includes('"payout"'));
  for (const want of ['"payout_type": "c', '"affiliate": {', '"advertiser": {', '"account_manager": {', '"__proto__": {', '"polluted": "yes"', `"${LONG_FIELD_NAME}": "the value of a very long name"`, '"zip_plus4":']) {
    assert.ok(json.includes(want), `the row details lack ${want.slice(0, 40)}`);
  }
  assert.equal(await elementsIn(w, '.detail-json'), 0);
  assert.equal(await g.locator('body').evaluate(() => (window as unknown as Record<string, unknown>).__pwned), undefined, 'a payload ran');
  assert.deepEqual(dialogs, [], 'a payload opened a dialog');
  // The added fields follow the known ones: the end of the JSON.
  await g.locator('.detail-json').evaluate((pre) => (pre.scrollTop = pre.scrollHeight));
  await w.screenshot('03-row-details');
});

test('the exports carry them: the shown new columns in CSV, every field in JSON', { timeout: 120_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  const total = Number(/^([\d,]+) rows/.exec(await gridStatus(w))![1].replace(/,/g, ''));
  await g.locator('vscode-button', { hasText: 'Export' }).click();
  await g.locator('.menu-item', { hasText: /Export All .* Rows to CSV/ }).click();
  const csvFile = path.join(w.workspaceDir, 'unknown-fields.csv');
  await w.answerSaveDialog(/Export .* to CSV/, csvFile);
  await w.waitForNotification(/Exported [\d,]+ row/, 30_000);
  const lines = fs.readFileSync(csvFile, 'utf8').slice(1).trimEnd().split('\r\n');
  assert.equal(lines.length - 1, total);
  const header = lines[0];
  assert.ok(header.includes(',Payout,Offer: Payout Type,"<img Src=x Onerror=""alert(1)"">"'), header);
  assert.ok(lines.slice(1).every((l) => /,\d+(\.\d+)?,cp[ac],<script>alert\(""unknown field""\)<\/script>$|,\d+(\.\d+)?,cp[ac],"<script>alert\(""unknown field""\)<\/script>"$/.test(l)), lines[1]);

  await g.locator('vscode-button', { hasText: 'Export' }).click();
  await g.locator('.menu-item', { hasText: /Export All .* Rows to JSON/ }).click();
  const jsonFile = path.join(w.workspaceDir, 'unknown-fields.json');
  await w.answerSaveDialog(/Export .* to JSON/, jsonFile);
  await w.waitForNotification(/Exported [\d,]+ row.*json/i, 30_000);
  const doc = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { clicks: Record<string, any>[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(doc.clicks.length, total);
  const c = doc.clicks[0];
  assert.equal(typeof c.payout, 'number');
  assert.deepEqual(Object.getOwnPropertyDescriptor(c, '__proto__')?.value, { polluted: 'yes' });
  assert.equal(c[LONG_FIELD_NAME], 'the value of a very long name');
  assert.ok(['cpa', 'cpc'].includes(c.relationship.offer.payout_type));
  assert.equal(c.relationship.affiliate.labels[0], 'direct');
  assert.ok(!fs.readFileSync(jsonFile, 'utf8').includes(w.sandbox.keys.valid), 'the key is in the export');
  await w.screenshot('04-exported');
});

test('"Open Results as JSON Document" shows what Everflow sent: the request beside the response, unknown fields in it', { timeout: 120_000 }, async () => {
  const w = wb!;
  await gridFrame(w).locator('.slick-cell').first().click();
  await w.runCommand('Everflow: Open Results as JSON Document');
  const text = await w.waitForEditorText(/"exchanges": \[/, 30_000);
  assert.match(text, /"method": "POST"/);
  assert.match(text, /"path": "\/v1\/affiliates\/reporting\/clicks\/stream"/);
  assert.match(text, /"status": 200/);
  // The editor holds only the lines in view; the rows as sent are checked field by field in
  // test/integration/suite/results.test.ts.
  assert.ok(!text.includes(w.sandbox.keys.valid), 'the key is in the document');
  await w.screenshot('05-open-as-json');
});
