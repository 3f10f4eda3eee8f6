// The summary above the results grid, as a person uses it: cards and charts over a 5,000-row result,
// a country bar that filters the grid (and one that excludes), a time range brushed on the histogram,
// the charts following the search box, hostile sub IDs as bar labels, no CSP violation, and screenshots
// in dark, light and high-contrast themes. Screenshots land in test-results/screenshots/summary-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gridFrame, startWorkbench, waitUntil, type Workbench } from './harness';
import { gridStatus, shownRows } from './gridPage';

let wb: Workbench | undefined;
const consoleProblems: string[] = [];
let probeSeen = false;

before(async () => {
  wb = await startWorkbench({
    label: 'summary',
    settings: { 'everflow.results.openIn': 'grid', 'workbench.colorTheme': 'Default Dark Modern' },
    sandbox: { knobs: { clicksPerDay: 8000 } },
  });
  // Messages of every frame, the webview's included: a CSP refusal is logged there.
  wb.page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) consoleProblems.push(m.text());
    if (m.text() === 'summary-e2e console probe') probeSeen = true;
  });
}, { timeout: 180_000 });

after(async () => {
  await wb?.close();
});

const day = (back: number): string => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
const num = (t: string) => Number(t.replace(/[^0-9]/g, ''));

async function card(w: Workbench, label: string): Promise<string> {
  const c = gridFrame(w).locator('.card', { has: gridFrame(w).locator('.card-label', { hasText: new RegExp(`^${label}$`) }) });
  return ((await c.locator('.card-value').textContent()) ?? '').trim();
}

/** The summary's numbers agree with the grid: the Clicks card is the rows shown. */
async function waitForAgreement(w: Workbench, what: string): Promise<number> {
  let n = NaN;
  await waitUntil(what, async () => {
    n = await shownRows(w);
    return Number.isFinite(n) && num(await card(w, 'Clicks')) === n;
  });
  return n;
}

/** Bars of the breakdown: label, full label (title's first line), count. */
async function bars(w: Workbench): Promise<{ label: string; full: string; count: number }[]> {
  return gridFrame(w)
    .locator('.bars .bar:not(.bar-other)')
    .evaluateAll((nodes) =>
      nodes.map((b) => ({
        label: b.querySelector('.bar-label')?.textContent ?? '',
        full: (b.getAttribute('title') ?? '').split('\n')[0],
        count: Number((b.querySelector('.bar-count')?.textContent ?? '').split('·')[0].replace(/[^0-9]/g, '')),
      })),
    );
}

async function runStream(w: Workbench, window: string, filters = ''): Promise<void> {
  await w.runCommand('Everflow: Run Click Stream…');
  await w.waitForQuickInput({ title: /timezone/i });
  await w.quickInputType('UTC');
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /time window/i });
  await w.quickInputType(window);
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /filters/i });
  if (filters) await w.quickInputType(filters);
  await w.quickInputAccept();
}

async function setTheme(w: Workbench, name: string): Promise<void> {
  await w.setColorTheme(name);
  await waitUntil(`the ${name} theme in the webview`, async () => {
    const cls = await gridFrame(w).locator('body').getAttribute('class');
    if (name.includes('Light High Contrast')) return /vscode-high-contrast-light/.test(cls ?? '');
    if (name.includes('High Contrast')) return /vscode-high-contrast(?!-light)/.test(cls ?? '') && !/vscode-high-contrast-light/.test(cls ?? '');
    return name.includes('Light') ? /vscode-light/.test(cls ?? '') : /vscode-dark/.test(cls ?? '');
  });
  // The chart reads the theme's colours on the body's class change, then draws.
  await gridFrame(w).locator('.time-chart canvas').first().waitFor({ state: 'attached' });
}

test('the summary describes a 5,000-row result: cards, clicks over time, top countries', { timeout: 120_000 }, async () => {
  const w = wb!;
  await w.setApiKey();
  await runStream(w, 'Yesterday');
  await waitUntil('the grid', async () => /^5,000 rows/.test(await gridStatus(w)));
  const g = gridFrame(w);
  assert.equal(await waitForAgreement(w, 'the Clicks card'), 5000);
  assert.match(await card(w, 'Unique'), /^\d+\.\d%$/);
  assert.match(await card(w, 'With error'), /^\d+\.\d%$/);
  assert.match(await card(w, 'Revenue'), /\d/);
  assert.match(await card(w, 'First click'), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  assert.ok(num(await card(w, 'Peak / minute')) >= 1);
  // The histogram: a uPlot canvas, and its text equivalent whose buckets add up to every click.
  await g.locator('.time-chart canvas').first().waitFor();
  const buckets = await g.locator('.time-box table.sr-only tr').evaluateAll((trs) => trs.slice(1).map((tr) => Number((tr.children[2]?.textContent ?? '').replace(/,/g, ''))));
  assert.ok(buckets.length >= 30, `${buckets.length} buckets`);
  assert.equal(
    buckets.reduce((a, b) => a + b, 0),
    5000,
  );
  // The breakdown starts on countries: ten bars at most, most clicks first, an "Other" and a distinct count.
  assert.equal(await g.locator('select.dimension-select').inputValue(), 'geo.country_name');
  const top = await bars(w);
  assert.ok(top.length > 1 && top.length <= 10, JSON.stringify(top));
  assert.ok(top.every((b, i) => i === 0 || top[i - 1].count >= b.count));
  assert.match((await g.locator('.bar-box .chart-note').textContent()) ?? '', /^[\d,]+ distinct values of Country in 5,000 clicks$/);
  // Hovering a bucket shows its range and counts in the legend.
  const over = g.locator('.time-chart .u-over');
  const box = (await over.boundingBox())!;
  await w.page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await waitUntil('the legend for a bucket', async () => /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d – \d{4}/.test((await g.locator('.time-chart .u-legend').textContent()) ?? ''));
  await w.screenshot('01-summary-dark');
});

test('clicking a country bar filters the grid to it; Alt-click excludes it; chips remove them', { timeout: 90_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  const [first] = await bars(w);
  await g.locator('.bars .bar', { hasText: first.label }).first().click();
  await waitUntil('the country chip', async () => (await g.locator('.chip:not(.chip-clear)').count()) === 1);
  const kept = await waitForAgreement(w, 'the filtered summary');
  assert.equal(kept, first.count, 'rows shown = the bar count');
  const top = await bars(w);
  assert.deepEqual(top.map((b) => [b.full, b.count]), [[first.full, first.count]], 'the breakdown shows that country alone');
  await w.screenshot('02-country-filtered');
  // Removing the chip brings every row back; Alt-click on the same bar excludes it.
  await g.locator('.chip:not(.chip-clear)').first().click();
  await waitUntil('every row again', async () => (await shownRows(w)) === 5000);
  await g.locator('.bars .bar', { hasText: first.label }).first().click({ modifiers: ['Alt'] });
  await waitUntil('the exclusion chip', async () => (await g.locator('.chip-exclude').count()) === 1);
  assert.equal(await waitForAgreement(w, 'the rows without that country'), 5000 - first.count);
  assert.ok(!(await bars(w)).some((b) => b.full === first.full), 'the excluded country still has a bar');
  await g.locator('.chip-clear').click();
  await waitUntil('every row again', async () => (await shownRows(w)) === 5000);
  // The bar's context menu excludes too; and from the keyboard, Enter on a focused bar keeps its value.
  await g.locator('.bars .bar', { hasText: first.label }).first().click({ button: 'right' });
  await g.locator('.menu-item', { hasText: 'Exclude' }).click();
  await waitUntil('the exclusion chip from the menu', async () => (await g.locator('.chip-exclude').count()) === 1);
  assert.equal(await waitForAgreement(w, 'the rows without that country'), 5000 - first.count);
  await g.locator('.chip-clear').click();
  await waitUntil('every row again', async () => (await shownRows(w)) === 5000);
  await g.locator('.bars .bar', { hasText: first.label }).first().focus();
  await w.page.keyboard.press('Enter');
  await waitUntil('the rows of that country', async () => (await shownRows(w)) === first.count);
  await g.locator('.chip:not(.chip-clear)').first().focus();
  await w.page.keyboard.press('Enter');
  await waitUntil('every row again', async () => (await shownRows(w)) === 5000);
});

test('the bucket size can be changed, and the bars can show unique vs duplicate', { timeout: 60_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  assert.match((await g.locator('.time-box .chart-note').textContent()) ?? '', /^288 buckets of 5 minutes \(UTC\)/);
  await g.locator('select.bucket-select').selectOption('hour');
  await waitUntil('hour buckets', async () => /^24 buckets of 1 hour \(UTC\)/.test((await g.locator('.time-box .chart-note').textContent()) ?? ''));
  await g.locator('.summary-button', { hasText: 'Unique vs duplicate' }).click();
  await waitUntil('the unique/duplicate legend', async () => /Duplicate/.test((await g.locator('.time-chart .u-legend').textContent()) ?? ''));
  assert.equal(await g.locator('.summary-button', { hasText: 'Unique vs duplicate' }).getAttribute('aria-pressed'), 'true');
  const head = await g.locator('.time-box table.sr-only tr').first().textContent();
  assert.match(head ?? '', /Unique.*Duplicate/);
  await w.screenshot('03b-hours-unique');
  await g.locator('.summary-button', { hasText: 'Unique vs duplicate' }).click();
  await g.locator('select.bucket-select').selectOption('');
  await waitUntil('automatic buckets again', async () => /^288 buckets/.test((await g.locator('.time-box .chart-note').textContent()) ?? ''));
});

test('dragging across the histogram filters the grid to that time range', { timeout: 90_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  const over = g.locator('.time-chart .u-over');
  const box = (await over.boundingBox())!;
  await w.page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
  await w.page.mouse.down();
  await w.page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2, { steps: 5 });
  await w.page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 5 });
  await w.page.mouse.up();
  await waitUntil('the time chip', async () => (await g.locator('.chip-time').count()) === 1);
  const chip = (await g.locator('.chip-time').textContent()) ?? '';
  const m = /Time (\S+ \S+) – (\S+ \S+)/.exec(chip);
  assert.ok(m, chip);
  const n = await waitForAgreement(w, 'the brushed rows');
  assert.ok(n > 0 && n < 5000, `${n} rows in the range`);
  // Every bucket outside the range is empty now, and those inside add up to the rows shown.
  const rows = await g.locator('.time-box table.sr-only tr').evaluateAll((trs) => trs.slice(1).map((tr) => [tr.children[0].textContent ?? '', tr.children[1].textContent ?? '', Number((tr.children[2].textContent ?? '').replace(/,/g, ''))] as const));
  const [from, to] = [m[1], m[2]];
  for (const [start, end, clicks] of rows) if (end <= from || start >= to) assert.equal(clicks, 0, `${start} has clicks outside the range`);
  assert.equal(
    rows.reduce((a, r) => a + r[2], 0),
    n,
  );
  const first = await card(w, 'First click');
  const last = await card(w, 'Last click');
  assert.ok(first >= from && last < to, `${first}…${last} not within ${from}…${to}`);
  await w.screenshot('03-brushed');
  await g.locator('.chip-time').click();
  await waitUntil('every row again', async () => (await shownRows(w)) === 5000);
});

test('typing in the search box updates the charts; the chosen dimension stays', { timeout: 90_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  await g.locator('select.dimension-select').selectOption('device.browser_name');
  await waitUntil('browser bars', async () => /distinct values of Browser/.test((await g.locator('.bar-box .chart-note').textContent()) ?? ''));
  const country = (await g.locator('.slick-cell').allTextContents()).find((t) => /^(Germany|France|Canada|United States|United Kingdom)$/.test(t)) ?? 'Germany';
  await g.locator('vscode-textfield.search input').fill(country);
  await waitUntil('the search to narrow the rows', async () => (await shownRows(w)) < 5000);
  const n = await waitForAgreement(w, 'the searched rows');
  assert.ok(n > 0 && n < 5000, `${n}`);
  assert.equal(await g.locator('select.dimension-select').inputValue(), 'device.browser_name');
  const total = (await bars(w)).reduce((a, b) => a + b.count, 0) + num((await g.locator('.bar-other .bar-count').allTextContents())[0]?.split('·')[0] ?? '0');
  assert.equal(total, n, 'the bars add up to the rows shown');
  await w.screenshot('04-search');
  await g.locator('vscode-textfield.search input').fill('');
  await waitUntil('every row again', async () => (await shownRows(w)) === 5000);
});

test('Fetch all grows the histogram, keeps the chosen dimension, and a country bar matches the data', { timeout: 120_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  const d = day(1);
  const all = w.sandbox.countClicks({ from: `${d} 00:00:00`, to: `${d} 23:59:59`, timezone_id: 67 });
  assert.ok(all > 5000, `${all} clicks yesterday`);
  await g.locator('.banner vscode-button', { hasText: 'Fetch all' }).click();
  await waitUntil('every click of the day', async () => (await shownRows(w)) === all, 90_000);
  assert.equal(await waitForAgreement(w, 'the Clicks card after Fetch all'), all);
  const buckets = await g.locator('.time-box table.sr-only tr').evaluateAll((trs) => trs.slice(1).map((tr) => Number((tr.children[2]?.textContent ?? '').replace(/,/g, ''))));
  assert.equal(
    buckets.reduce((a, b) => a + b, 0),
    all,
  );
  assert.equal(await g.locator('select.dimension-select').inputValue(), 'device.browser_name', 'Fetch all reset the chosen dimension');
  await w.screenshot('05-fetched-all');
  await g.locator('select.dimension-select').selectOption('geo.country_name');
  await waitUntil('country bars', async () => /distinct values of Country/.test((await g.locator('.bar-box .chart-note').textContent()) ?? ''));
  const [top] = await bars(w);
  await g.locator('.bars .bar', { hasText: top.label }).first().click();
  const shown = await waitForAgreement(w, 'the country filter');
  const inData = w.sandbox.countClicks({ from: `${d} 00:00:00`, to: `${d} 23:59:59`, timezone_id: 67, query: { filters: [{ resource_type: 'country', filter_id_value: top.full }] } });
  assert.equal(shown, inData, `rows of ${top.full} in the grid vs in the sandbox`);
  assert.equal(shown, top.count);
  await g.locator('.chip-clear').click();
  await waitUntil('every row again', async () => (await shownRows(w)) === all);
});

test('light and high-contrast themes; collapsing the summary', { timeout: 90_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  await setTheme(w, 'Light Modern');
  await w.screenshot('06-summary-light');
  await setTheme(w, 'Dark High Contrast');
  await w.screenshot('07-summary-high-contrast');
  await setTheme(w, 'Light High Contrast');
  await w.screenshot('07b-summary-high-contrast-light');
  await g.locator('.summary-toggle').click();
  await g.locator('.summary-body').waitFor({ state: 'hidden' });
  assert.equal(await g.locator('.summary-toggle').getAttribute('aria-expanded'), 'false');
  await setTheme(w, 'Dark Modern');
});

test('hostile sub IDs as bar labels render as text; no CSP violation was reported', { timeout: 120_000 }, async () => {
  const w = wb!;
  const hostile = '<img src=x onerror=alert(1)>';
  await runStream(w, 'Last 14 days', `sub1=${hostile}`);
  const g = gridFrame(w);
  await waitUntil('the hostile rows', async () => /^[1-9][\d,]* rows?/.test(await gridStatus(w)));
  // Collapsed in the other result, the summary stays collapsed in this workspace's new one.
  assert.equal(await g.locator('.summary-toggle').getAttribute('aria-expanded'), 'false');
  assert.equal(await g.locator('.summary-body').isVisible(), false);
  await g.locator('.summary-toggle').click();
  await g.locator('.summary-body').waitFor({ state: 'visible' });
  await g.locator('select.dimension-select').selectOption('sub1');
  await waitUntil('the sub1 bar', async () => (await bars(w)).some((b) => b.full === hostile));
  const bar = (await bars(w)).find((b) => b.full === hostile)!;
  assert.equal(bar.label, hostile, 'the label is the literal text');
  assert.equal(await g.locator('.summary').locator('img, script, iframe, a, object').count(), 0, 'a value became an element');
  await w.screenshot('08-hostile-labels');
  // The webview's console reaches this listener (so a CSP refusal logged there would have been seen).
  await g.locator('body').evaluate(() => console.warn('summary-e2e console probe'));
  await waitUntil('the console probe from the webview', () => probeSeen);
  assert.deepEqual(consoleProblems, [], 'the console reported a CSP violation');
});
