// "Add Conversions" on a results grid as a person uses it (issue #15): the toolbar button, the new
// columns filled from the sandbox's conversion report, CVR and EPC in the status bar, the quick filter
// "Converted", Group by with CVR per value, hostile conversion text shown as text, no CSP violation.
// Screenshots land in test-results/screenshots/conversionsGrid-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gridFrame, startWorkbench, waitUntil, type Workbench } from './harness';

let wb: Workbench | undefined;
const consoleProblems: string[] = [];

before(async () => {
  wb = await startWorkbench({
    label: 'conversionsGrid',
    settings: { 'everflow.results.openIn': 'grid', 'workbench.colorTheme': 'Default Dark Modern' },
  });
  wb.page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) consoleProblems.push(m.text());
  });
}, { timeout: 180_000 });

after(async () => {
  await wb?.close();
});

// A day whose clicks have had time to convert: the sandbox converts some days after the click.
const DAY = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
const num = (t: string) => Number(t.replace(/[^0-9]/g, ''));

async function statusText(w: Workbench | ReturnType<typeof gridFrame>): Promise<string> {
  const frame = 'page' in w ? gridFrame(w) : w;
  return ((await frame.locator('.summary-text').textContent()) ?? '').trim();
}

async function headers(w: Workbench): Promise<string[]> {
  return gridFrame(w).locator('.slick-header-column').evaluateAll((hs) => hs.map((h) => h.textContent?.trim() ?? ''));
}

test('Add Conversions fills the conversion columns and puts CVR and EPC in the status bar', { timeout: 180_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  await w.setApiKey();
  await w.runCommand('Everflow: Run Click Stream…');
  await w.waitForQuickInput({ title: /timezone/i });
  await w.quickInputType('UTC');
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /time window/i });
  await w.quickInputType('Custom range');
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /custom window/i });
  await w.quickInputType(`${DAY} 00:00:00 → ${DAY} 23:59:59`);
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /filters/i });
  await w.quickInputAccept();
  await waitUntil('the grid', async () => /^[\d,]+ rows/.test(await statusText(w)));
  const clicks = num(/^([\d,]+) rows/.exec(await statusText(w))![1]);
  assert.ok(!(await headers(w)).includes('Conversions'), 'conversion columns before any were added');
  assert.doesNotMatch(await statusText(w), /CVR/);
  // A measure chosen before the conversions came is kept when they arrive.
  assert.equal(await g.locator('.measure-select option[value="cvr"]').count(), 0);
  assert.ok(await g.locator('.stack-converted').isHidden());
  await g.locator('.measure-select').selectOption('error');

  await g.locator('vscode-button.add-conversions').click();
  await g.locator('.conv-bar').waitFor({ state: 'visible', timeout: 60_000 });
  const hs = await headers(w);
  for (const h of ['Conversions', 'Events', 'Conversion Revenue', 'Sale Amount', 'First Conversion (UTC)', 'Time to Convert', 'Conversion Status']) assert.ok(hs.includes(h), `no ${h} column in ${hs.join(', ')}`);
  // The Conversions column comes right after the transaction ID.
  assert.equal(hs[hs.indexOf('Transaction ID') + 1], 'Conversions');
  const bar = ((await g.locator('.conv-text').textContent()) ?? '').trim();
  const converted = num(/([\d,]+) converted clicks?/.exec(bar)![1]);
  assert.ok(converted > 0 && converted < clicks, bar);
  const status = await statusText(w);
  const cvr = Number(/CVR ([\d.]+)%/.exec(status)![1]);
  assert.ok(Math.abs(cvr - (converted / clicks) * 100) < 0.01, `${status} vs ${converted}/${clicks}`);
  // EPC in the conversions' one currency, or a dash when they came in several (the sandbox's day decides:
  // on some days a converted click was paid in pounds or euros).
  assert.match(status, /EPC (?:— \(several currencies\)|[^\s\d—]*\s?\d[\d,]*\.\d\d(?: [A-Z]{3})?) ·/);
  assert.equal((await g.locator('vscode-button.add-conversions').textContent())?.trim(), 'Refresh Conversions');

  // The summary above the grid counts the same converted clicks: the histogram stacked converted vs
  // not, CVR per breakdown bar, the CVR card, and their screen-reader tables add up to the bar's count.
  assert.equal(await g.locator('.measure-select').inputValue(), 'error');
  await g.locator('.stack-converted').click();
  await g.locator('.measure-select').selectOption('cvr');
  const srTable = (box: string) =>
    g.locator(`${box} table.sr-only tr`).evaluateAll((trs) => trs.map((tr) => Array.from(tr.children).map((c) => c.textContent ?? '')));
  let timeRows: string[][] = [];
  let barRows: string[][] = [];
  await waitUntil(() => `the converted stack and CVR bars (${JSON.stringify(timeRows[0])} / ${JSON.stringify(barRows[0])})`, async () => {
    timeRows = await srTable('.time-box');
    barRows = await srTable('.bar-box');
    return timeRows[0]?.[3] === 'Converted' && barRows[0]?.[3] === 'CVR';
  });
  assert.equal(timeRows[0][4], 'Not converted');
  const sum = (rows: string[][], f: (r: string[]) => number) => rows.slice(1).reduce((s, r) => s + f(r), 0);
  assert.equal(sum(timeRows, (r) => num(r[3])), converted, 'converted clicks per bucket');
  assert.equal(sum(timeRows, (r) => num(r[2])), clicks, 'clicks per bucket');
  // Each bar: "CVR 2.35% (12)" — its converted clicks over its clicks.
  for (const r of barRows.slice(1)) {
    const [, p, n] = /^CVR ([\d.]+)% \(([\d,]+)\)$/.exec(r[3]) ?? [];
    assert.ok(p !== undefined, r[3]);
    assert.ok(Math.abs(Number(p) - (num(n) / num(r[1])) * 100) < 0.01, r.join(' | '));
  }
  assert.equal(sum(barRows, (r) => num(/\(([\d,]+)\)$/.exec(r[3])![1])), converted, 'converted clicks per bar');
  const cvrCard = ((await g.locator('.card', { has: g.locator('.card-label', { hasText: /^CVR$/ }) }).locator('.card-value').textContent()) ?? '').trim();
  assert.equal(`CVR ${cvrCard}`, /CVR [\d.]+%/.exec(await statusText(w))![0]);
  await w.screenshot('01b-summary-converted');
  // Sorted by Conversions, most first: the top rows converted, with a time to convert as words.
  const convIdx = hs.indexOf('Conversions');
  const ttcIdx = hs.indexOf('Time to Convert');
  await g.locator('.slick-header-column').nth(convIdx).click({ button: 'right' });
  await g.locator('.menu-item', { hasText: 'Sort Descending' }).click();
  // Rows in screen order (SlickGrid places them absolutely) of the right pane, past the frozen columns: [Conversions, Time to Convert].
  const frozen = await g.locator('.slick-header-left .slick-header-column').count();
  const top = async (): Promise<string[][]> =>
    g.locator('.slick-pane-right .slick-row').evaluateAll(
      (rows, [a, b]) =>
        rows
          .map((r) => ({ y: r.getBoundingClientRect().top, c: Array.from(r.querySelectorAll('.slick-cell')).map((c) => c.textContent?.trim() ?? '') }))
          .filter((r) => r.c.length > Math.max(a, b))
          .sort((x, y) => x.y - y.y)
          .map((r) => [r.c[a], r.c[b]]),
      [convIdx - frozen, ttcIdx - frozen],
    );
  let first: string[] = [];
  await waitUntil(() => `the converted rows first (top row: ${JSON.stringify(first)})`, async () => {
    first = (await top())[0] ?? [];
    return num(first[0] ?? '0') > 0;
  });
  assert.match(first[1], /^(\d+ (d|h|min|s))( \d+ (h|min|s))?$/);
  await w.screenshot('01-converted-columns');

  // The quick filter: only converted clicks, as many as the bar says.
  await g.locator('.conv-choice', { hasText: /^Converted$/ }).click();
  await waitUntil('the converted clicks only', async () => new RegExp(`^${converted.toLocaleString('en-US')} of ${clicks.toLocaleString('en-US')} rows`).test(await statusText(w)));
  assert.match(await statusText(w), /CVR 100\.0%/);
  await g.locator('.conv-choice', { hasText: /^Not converted$/ }).click();
  await waitUntil('the clicks without conversion', async () => /CVR 0\.0%/.test(await statusText(w)));
  await g.locator('.conv-choice', { hasText: /^All clicks$/ }).click();
  await waitUntil('every click again', async () => new RegExp(`^${clicks.toLocaleString('en-US')} rows`).test(await statusText(w)));

  // Group by Country: each value with its converted clicks, CVR and EPC.
  const countryIdx = (await headers(w)).indexOf('Country');
  await g.locator('.slick-header-column').nth(countryIdx).click({ button: 'right' });
  await g.locator('.menu-item', { hasText: 'Group by Country' }).click();
  await g.locator('.groups .group-item').first().waitFor({ state: 'visible' });
  const rates = await g.locator('.groups .group-rates').allTextContents();
  assert.ok(rates.length > 0 && rates.every((t) => /^[\d,]+ converted · CVR [\d.]+% · EPC /.test(t)), rates.slice(0, 3).join(' | '));
  const groupConverted = rates.reduce((s, t) => s + num(t.split(' converted')[0]), 0);
  assert.equal(groupConverted, converted, 'the groups\' converted clicks do not add up');
  await w.screenshot('02-group-by-cvr');

  // The quick filter's chosen state must read in a light theme too.
  await g.locator('.conv-choice', { hasText: /^Converted$/ }).click();
  await w.setColorTheme('Light Modern');
  await waitUntil('the light theme in the webview', async () => /vscode-light/.test((await g.locator('body').getAttribute('class')) ?? ''));
  await w.screenshot('03-light-converted');

  // Conversion text is the sandbox's hostile text at times: nothing of it became markup.
  assert.equal(await g.locator('.slick-cell img, .slick-cell script, .groups img').count(), 0);

  // The conversions whose click is not in this result open as a grid of their own: a row per conversion.
  const unmatched = num(((await g.locator('.conv-unmatched:not(.conv-unmatched-json)').textContent()) ?? '').split(' without')[0]);
  assert.ok(unmatched > 0);
  assert.ok(await g.locator('.conv-unmatched-json').isVisible(), 'Open as JSON is no longer offered');
  await g.locator('.conv-unmatched:not(.conv-unmatched-json)').click();
  await waitUntil('the grid of conversions', async () => new RegExp(`^${unmatched.toLocaleString('en-US')} rows?$`).test(await statusText(gridFrame(w))));
  const cg = gridFrame(w);
  const convHeaders = await headers(w);
  for (const h of ['Conversion Time (UTC)', 'Transaction ID', 'Conversion ID', 'Revenue', 'Sub 1', 'Order ID']) assert.ok(convHeaders.includes(h), `no ${h} column in ${convHeaders.join(', ')}`);
  assert.ok(await cg.locator('.summary').isHidden(), 'a click summary over conversions');
  assert.ok(await cg.locator('vscode-button.add-conversions').isHidden());
  assert.equal(await cg.locator('.slick-cell img, .slick-cell script').count(), 0);
  await w.screenshot('04-conversions-grid');
  assert.deepEqual(consoleProblems, []);
});
