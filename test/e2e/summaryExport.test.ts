// The summary's charts leave the panel: "Copy chart data" puts TSV on the clipboard (pasted into a file
// and compared with the chart's own numbers), "Save chart as PNG/SVG" writes a file through the save
// dialog (a real PNG; an SVG the page's DOMParser reads as well-formed, with a hostile label as escaped
// text), and a time range is picked on the histogram with the keyboard alone. The result is the clicks
// whose Sub 3 is a hostile one: a spreadsheet formula with quotes. Screenshots: summaryExport-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gridFrame, startWorkbench, waitUntil, type Workbench } from './harness';
import { gridStatus, shownRows } from './gridPage';

let wb: Workbench | undefined;
/** The sandbox's formula sub ID (test/sandbox/hostile.ts): a spreadsheet would run it; quotes an SVG must escape. */
const HOSTILE = '=HYPERLINK("http://evil.example","click")';

before(async () => {
  wb = await startWorkbench({
    label: 'summaryExport',
    settings: { 'everflow.results.openIn': 'grid', 'workbench.colorTheme': 'Default Dark Modern' },
    files: { 'breakdown-paste.txt': 'The breakdown is pasted here.\n', 'histogram-paste.txt': 'The histogram is pasted here.\n' },
  });
}, { timeout: 180_000 });

after(async () => {
  await wb?.close();
});

const num = (t: string) => Number(t.replace(/[^0-9]/g, ''));

/** The histogram's screen-reader table: start, end, clicks per bucket. */
async function bucketRows(w: Workbench): Promise<[string, string, number][]> {
  return gridFrame(w)
    .locator('.time-box table.sr-only tr')
    .evaluateAll((trs) => trs.slice(1).map((tr) => [tr.children[0].textContent ?? '', tr.children[1].textContent ?? '', Number((tr.children[2].textContent ?? '').replace(/,/g, ''))] as [string, string, number]));
}

/** The breakdown's bars as shown: full label (title's first line) and count. */
async function bars(w: Workbench): Promise<{ full: string; count: number }[]> {
  return gridFrame(w)
    .locator('.bars .bar')
    .evaluateAll((nodes) => nodes.map((b) => ({ full: (b.getAttribute('title') ?? '').split('\n')[0], count: Number((b.querySelector('.bar-count')?.textContent ?? '').split('·')[0].replace(/[^0-9]/g, '')) })));
}

async function chartMenu(w: Workbench, chart: 'time' | 'breakdown', item: string): Promise<void> {
  const g = gridFrame(w);
  await g.locator(`.chart-actions[data-chart="${chart}"]`).click();
  await g.locator('.menu-item', { hasText: item }).click();
}

/**
 * Pastes the clipboard into a workspace file and saves it, where a person would paste it; returns the
 * file's text read from disk (the editor's DOM shows tabs as spaces).
 */
async function pasted(w: Workbench, name: string, expect: RegExp): Promise<string> {
  await w.openFile(name);
  await w.page.keyboard.press('ControlOrMeta+A');
  await w.page.keyboard.press('ControlOrMeta+V');
  await w.page.keyboard.press('ControlOrMeta+S');
  const file = path.join(w.workspaceDir, name);
  let text = '';
  await waitUntil(() => `${name} on disk to match ${expect} (it holds ${JSON.stringify(text.slice(0, 200))})`, () => expect.test((text = fs.readFileSync(file, 'utf8'))));
  await w.runCommand('View: Revert and Close Editor');
  return text;
}

/** The suggested file name of the save dialog now open, then answered with `file`. */
async function saveAs(w: Workbench, title: RegExp, file: string): Promise<string> {
  await w.waitForQuickInput({ title });
  const suggested = path.basename((await w.quickInputState())?.value ?? '');
  await w.answerSaveDialog(title, file);
  return suggested;
}

test('a result whose only Sub 3 is hostile; the breakdown by Sub 3 shows it', { timeout: 120_000 }, async () => {
  const w = wb!;
  await w.setApiKey();
  await w.runCommand('Everflow: Run Click Stream…');
  await w.waitForQuickInput({ title: /timezone/i });
  await w.quickInputType('UTC');
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /time window/i });
  await w.quickInputType('Last 14 days');
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /filters/i });
  await w.quickInputType(`sub3=${HOSTILE}`);
  await w.quickInputAccept();
  const g = gridFrame(w);
  await waitUntil('the rows', async () => /^[1-9][\d,]* rows?/.test(await gridStatus(w)));
  await g.locator('select.dimension-select').selectOption('sub3');
  await waitUntil('the hostile bar', async () => (await bars(w)).some((b) => b.full === HOSTILE));
});

test('"Copy chart data" puts the breakdown and the histogram on the clipboard as TSV, formulas made inert', { timeout: 120_000 }, async () => {
  const w = wb!;
  const shown = await shownRows(w);
  const [bar] = await bars(w);
  await chartMenu(w, 'breakdown', 'Copy Chart Data (TSV)');
  const tsv = (await pasted(w, 'breakdown-paste.txt', /^Sub 3\tClicks/)).trimEnd().split('\n');
  assert.deepEqual(tsv[0].split('\t'), ['Sub 3', 'Clicks', 'Share', 'Unique share', 'Error share']);
  assert.equal(tsv.length, 2, tsv.join('\n'));
  const cells = tsv[1].split('\t');
  assert.equal(cells[0], `'${HOSTILE}`, 'the formula is not neutralised');
  assert.doesNotMatch(cells[0], /^[=+\-@]/);
  assert.equal(Number(cells[1]), bar.count);
  assert.equal(Number(cells[1]), shown);
  assert.equal(cells[2], '100.0%');

  const buckets = await bucketRows(w);
  await chartMenu(w, 'time', 'Copy Chart Data (TSV)');
  const lines = (await pasted(w, 'histogram-paste.txt', /^Start \(UTC\)\tEnd \(UTC\)\tClicks/)).trimEnd().split('\n');
  const rows = lines.slice(1).map((l) => l.split('\t'));
  assert.equal(rows.length, buckets.length, 'a line per bucket');
  rows.forEach((r, i) => {
    assert.ok(buckets[i][0].startsWith(r[0]), `${r[0]} vs ${buckets[i][0]}`);
    assert.equal(Number(r[2]), buckets[i][2], `clicks of ${r[0]}`);
    assert.equal(Number(r[3]) + Number(r[4]), Number(r[2]), 'valid + with error = clicks');
  });
  assert.equal(
    rows.reduce((a, r) => a + Number(r[2]), 0),
    shown,
  );
  await waitUntil('the grid again', async () => (await shownRows(w)) === shown);
});

test('"Save chart as PNG" writes a PNG named after the result; "as SVG" a well-formed SVG with the label escaped', { timeout: 180_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  await g.locator('.chart-actions[data-chart="time"]').click();
  await g.locator('.menu-item', { hasText: 'Save Chart as PNG' }).waitFor();
  await w.screenshot('01-chart-menu');
  await g.locator('.menu-item', { hasText: 'Save Chart as PNG' }).click();
  const png = path.join(w.workspaceDir, 'time-chart.png');
  const suggested = await saveAs(w, /Save the clicks over time chart as PNG/, png);
  assert.match(suggested, / - clicks over time\.png$/);
  assert.ok(suggested.length > ' - clicks over time.png'.length, `no result title in ${suggested}`);
  await w.waitForNotification(/Saved the clicks over time chart to time-chart\.png/, 30_000);
  const bytes = fs.readFileSync(png);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'not a PNG');
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  assert.ok(bytes.readUInt32BE(16) >= 200 && bytes.readUInt32BE(20) >= 150, `${bytes.readUInt32BE(16)}×${bytes.readUInt32BE(20)}`);

  await chartMenu(w, 'breakdown', 'Save Chart as PNG');
  const barPng = path.join(w.workspaceDir, 'bars.png');
  assert.match(await saveAs(w, /Save the breakdown chart as PNG/, barPng), / - breakdown\.png$/);
  await w.waitForNotification(/Saved the breakdown chart to bars\.png/, 30_000);
  assert.equal(fs.readFileSync(barPng).subarray(1, 4).toString('latin1'), 'PNG');

  await chartMenu(w, 'breakdown', 'Save Chart as SVG');
  const svgFile = path.join(w.workspaceDir, 'bars.svg');
  assert.match(await saveAs(w, /Save the breakdown chart as SVG/, svgFile), / - breakdown\.svg$/);
  await w.waitForNotification(/Saved the breakdown chart to bars\.svg/, 30_000);
  const svg = fs.readFileSync(svgFile, 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(svg.includes('=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)'), 'the label is not escaped');
  assert.ok(!svg.includes(HOSTILE), 'the label is in the file unescaped');
  const parsed = await g.locator('body').evaluate((_b, text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      errors: doc.getElementsByTagName('parsererror').length,
      root: doc.documentElement.localName,
      elements: Array.from(new Set(Array.from(doc.querySelectorAll('*')).map((e) => e.localName))).sort(),
      handlers: Array.from(doc.querySelectorAll('*')).some((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name))),
      titles: Array.from(doc.querySelectorAll('g > title')).map((t) => t.textContent ?? ''),
    };
  }, svg);
  assert.equal(parsed.errors, 0, 'the SVG is not well-formed');
  assert.equal(parsed.root, 'svg');
  assert.deepEqual(parsed.elements, ['g', 'rect', 'svg', 'text', 'title']);
  assert.equal(parsed.handlers, false);
  const [bar] = await bars(w);
  assert.ok(parsed.titles.some((t) => t.startsWith(`${HOSTILE}: ${bar.count.toLocaleString('en-US')} · 100.0%`)), JSON.stringify(parsed.titles));

  await chartMenu(w, 'time', 'Save Chart as SVG');
  const timeSvg = path.join(w.workspaceDir, 'time-chart.svg');
  await saveAs(w, /Save the clicks over time chart as SVG/, timeSvg);
  await w.waitForNotification(/Saved the clicks over time chart to time-chart\.svg/, 30_000);
  const histogram = await g.locator('body').evaluate((_b, text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { errors: doc.getElementsByTagName('parsererror').length, bars: Array.from(doc.querySelectorAll('g > title')).map((t) => t.textContent ?? '') };
  }, fs.readFileSync(timeSvg, 'utf8'));
  assert.equal(histogram.errors, 0);
  const withClicks = (await bucketRows(w)).filter((b) => b[2] > 0);
  assert.equal(histogram.bars.length, withClicks.length, 'a bar per bucket with clicks');
  const drawn = histogram.bars.reduce((a, t) => a + Number(/: ([\d,]+) clicks/.exec(t)![1].replace(/,/g, '')), 0);
  assert.equal(drawn, await shownRows(w));
});

test('a time range is picked on the histogram with the keyboard alone', { timeout: 120_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  const total = await shownRows(w);
  // From the Unique-vs-duplicate button, Tab reaches the chart's "⋯" and then the chart itself.
  await g.locator('.summary-button', { hasText: 'Unique vs duplicate' }).focus();
  await w.page.keyboard.press('Tab');
  await w.page.keyboard.press('Tab');
  await waitUntil('the chart to have focus', async () => g.locator('.time-chart').evaluate((c) => document.activeElement === c));
  const buckets = await bucketRows(w);
  // From the first bucket, right to the first one with clicks, then Shift+Right over three more.
  const k = buckets.findIndex((b) => b[2] > 0);
  assert.ok(k >= 0 && k + 3 < buckets.length, `${buckets.length} buckets, clicks from ${k}`);
  await w.page.keyboard.press('Home');
  for (let i = 0; i < k; i++) await w.page.keyboard.press('ArrowRight');
  await waitUntil(`the cursor on bucket ${k}`, async () => (await g.locator('.time-chart').getAttribute('data-range')) === `${k}-${k}`);
  assert.match((await g.locator('.time-cursor').textContent()) ?? '', new RegExp(`^${buckets[k][0]} – ${buckets[k][1]}: ${buckets[k][2].toLocaleString('en-US')} clicks$`));
  for (let i = 0; i < 3; i++) await w.page.keyboard.press('Shift+ArrowRight');
  await waitUntil('a range of four buckets', async () => (await g.locator('.time-chart').getAttribute('data-range')) === `${k}-${k + 3}`);
  // Escape drops the range; picking it again from the keyboard brings it back.
  await w.page.keyboard.press('Escape');
  await waitUntil('no range', async () => (await g.locator('.time-chart').getAttribute('data-range')) === null);
  await w.page.keyboard.press('Home');
  for (let i = 0; i < k; i++) await w.page.keyboard.press('ArrowRight');
  for (let i = 0; i < 3; i++) await w.page.keyboard.press('Shift+ArrowRight');
  await waitUntil('the range again', async () => (await g.locator('.time-chart').getAttribute('data-range')) === `${k}-${k + 3}`);
  const [a, b] = [buckets[k], buckets[k + 3]];
  const expected = buckets.slice(k, k + 4).reduce((s, x) => s + x[2], 0);
  assert.equal((await g.locator('.time-cursor').textContent()) ?? '', `4 buckets, ${a[0]} – ${b[1]}: ${expected.toLocaleString('en-US')} clicks. Enter filters the grid to this range`);
  await w.screenshot('02-keyboard-range');
  await w.page.keyboard.press('Enter');
  await waitUntil('the time chip', async () => (await g.locator('.chip-time').count()) === 1);
  assert.ok(((await g.locator('.chip-time').textContent()) ?? '').startsWith(`Time ${a[0]} – ${b[1]}`), 'the chip is not the range picked');
  await waitUntil('the rows of that range', async () => (await shownRows(w)) === expected);
  assert.equal(num((await g.locator('.card', { hasText: /^Clicks/ }).locator('.card-value').textContent()) ?? ''), expected);
  await w.screenshot('03-keyboard-range-applied');
  // The chip goes with Enter on it, from the keyboard too.
  await g.locator('.chip-time').focus();
  await w.page.keyboard.press('Enter');
  await waitUntil('every row again', async () => (await shownRows(w)) === total);
});
