// The results grid as a person uses it: a 5,000-row capped stream in the grid, sorting, filtering, the
// column chooser, an export whose file is read back, a hostile click rendered as text, and "Fetch all" on
// a day with 30,000 sandbox clicks. Screenshots of each step land in test-results/screenshots/grid-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gridFrame, startWorkbench, waitUntil, type Workbench } from './harness';
import { columnTexts, gridStatus } from './gridPage';
import { invokeChatTool } from './toolProbe';
import type { Click } from '../../src/core/types';

let wb: Workbench | undefined;
const dialogs: string[] = [];

const day = (back: number): string => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  wb = await startWorkbench({
    label: 'grid',
    settings: { 'everflow.results.openIn': 'grid' },
    sandbox: { knobs: { clicksPerDay: 8000 } },
    files: { 'paste-here.txt': 'The copied row is pasted here.\n' },
    // The chat tools are called as an agent would (vscode.lm.invokeTool) through a test-only extension.
    chatToolProbe: true,
  });
  wb.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
}, { timeout: 180_000 });

after(async () => {
  await wb?.close();
});

/**
 * Scrolls the grid sideways until a cell holding `text` is rendered (the grid renders only the columns
 * in view); returns whether one was found.
 */
async function scrollToCellWith(w: Workbench, text: string): Promise<boolean> {
  const g = gridFrame(w);
  for (let step = 0; step < 40; step++) {
    const cell = g.locator('.slick-cell', { hasText: text }).first();
    if ((await cell.count()) > 0) {
      // The grid renders a column or two beyond the edge: bring the cell into view for the screenshot.
      await cell.scrollIntoViewIfNeeded();
      return true;
    }
    const moved = await g.locator('body').evaluate((body, i) => {
      // The right viewport scrolls sideways when columns are frozen, the left one otherwise.
      const vp = Array.from(body.querySelectorAll<HTMLElement>('.slick-viewport-top')).find((v) => v.scrollWidth > v.clientWidth);
      if (!vp || vp.scrollLeft + vp.clientWidth >= vp.scrollWidth) return i === 0;
      vp.scrollLeft += vp.clientWidth * 0.8;
      return true;
    }, step);
    if (!moved) return false;
    await new Promise((r) => setTimeout(r, 150));
  }
  return false;
}

/** Scrolls the grid back to its first column. */
async function scrollHome(w: Workbench): Promise<void> {
  await gridFrame(w)
    .locator('body')
    .evaluate((body) => body.querySelectorAll<HTMLElement>('.slick-viewport-top').forEach((v) => (v.scrollLeft = 0)));
  await new Promise((r) => setTimeout(r, 200));
}

async function setKey(w: Workbench): Promise<void> {
  await w.setApiKey();
}

/** Run Click Stream… in UTC over a preset or a custom "from → to", with optional filter text. */
async function runStream(w: Workbench, window: string, filters = ''): Promise<void> {
  await w.runCommand('Everflow: Run Click Stream…');
  await w.waitForQuickInput({ title: /timezone/i });
  await w.quickInputType('UTC');
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /time window/i });
  if (window.includes('→')) {
    await w.quickInputType('Custom range');
    await w.quickInputAccept();
    await w.waitForQuickInput({ title: /custom window/i });
  }
  await w.quickInputType(window);
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /filters/i });
  if (filters) await w.quickInputType(filters);
  await w.quickInputAccept();
}

test('a capped stream opens as a 5,000-row grid with the cap marked', { timeout: 180_000 }, async () => {
  const w = wb!;
  await setKey(w);
  await runStream(w, 'Yesterday');
  await waitUntil('the grid summary', async () => /^5,000 rows/.test(await gridStatus(w)));
  const banner = (await gridFrame(w).locator('.banner-warning').first().textContent()) ?? '';
  assert.match(banner, /5,000 rows: Everflow's cap — more clicks match/);
  assert.match(banner, /Fetch all/);
  const rowsInDom = await gridFrame(w).locator('.slick-row').count();
  assert.ok(rowsInDom > 10 && rowsInDom < 200, `${rowsInDom} rows in the DOM: the grid does not virtualise`);
  assert.match(await gridStatus(w), /^5,000 rows · [\d,]+ unique · Revenue .* · .* → .* \(UTC\)$/);
  // The first look is fitted: the text of the visible Offer and Time cells is not cut (the fit reads
  // the first rows' text before they render, so a fit that did not run would leave default widths).
  const fit = await gridFrame(w)
    .locator('body')
    .evaluate(() => {
      const header = Array.from(document.querySelectorAll('.slick-header-column'), (h) => h.textContent?.trim() ?? '');
      const cols = ['Offer', 'Time (UTC)'].map((name) => header.indexOf(name));
      // A row's cells sit in two rows when the Time column is frozen (one per pane): find them by row.
      const cells: (HTMLElement | null)[] = [];
      for (let r = 0; r < 10; r++) for (const c of cols) cells.push(document.querySelector<HTMLElement>(`.slick-row[data-row="${r}"] .slick-cell.l${c}`));
      return { cols, checked: cells.filter((cell) => cell?.textContent).length, cut: cells.filter((cell) => cell && cell.scrollWidth > cell.clientWidth + 1).map((cell) => cell!.textContent) };
    });
  assert.ok(fit.cols.every((c) => c >= 0) && fit.checked === 20, `checked ${fit.checked} cells of columns ${fit.cols.join(', ')}`);
  assert.deepEqual(fit.cut, [], 'cells cut on the first look: its columns were not fitted');
  // The columns past the panel's right edge are fitted once the first frame is painted: scrolled to
  // the far right, no cell of theirs is cut unless its column reached the first look's cap (320 px).
  let past: { name: string; cells: number; cut: string[] }[] = [];
  await waitUntil(
    () => `the columns past the right edge fitted: ${JSON.stringify(past)}`,
    async () => {
      past = await gridFrame(w)
        .locator('body')
        .evaluate(() => {
          const viewport = document.querySelector<HTMLElement>('.slick-viewport-top.slick-viewport-right');
          if (!viewport) return [{ name: 'no right pane', cells: 0, cut: [] }];
          // Every header in column order (the frozen pane's first): a cell's class is its column's index.
          const headers = Array.from(document.querySelectorAll<HTMLElement>('.slick-header-column'));
          const right = headers.filter((h) => h.closest('.slick-header-right'));
          // Offsets from the pane's first header (SlickGrid shifts the header row itself).
          const beyond = headers.map((h, i) => ({ h, i })).filter(({ h }) => right.includes(h) && h.offsetLeft - right[0].offsetLeft >= viewport.clientWidth && h.offsetWidth < 320);
          viewport.scrollLeft = viewport.scrollWidth;
          return beyond.map(({ h, i }) => {
            const cells = Array.from(document.querySelectorAll<HTMLElement>(`.grid-canvas-right .slick-row .slick-cell.l${i}`)).filter((cell) => cell.textContent);
            return { name: h.textContent?.trim() ?? '', cells: cells.length, cut: cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1).map((cell) => cell.textContent!) };
          });
        });
      return past.length > 0 && past.every((c) => c.cells > 0 && c.cut.length === 0);
    },
  );
  await gridFrame(w).locator('body').evaluate(() => {
    const viewport = document.querySelector<HTMLElement>('.slick-viewport-top.slick-viewport-right');
    if (viewport) viewport.scrollLeft = 0;
  });
  await w.screenshot('01-grid-5000');
});

test('sorting a column orders the rows by it, both ways', { timeout: 120_000 }, async () => {
  const w = wb!;
  const header = gridFrame(w).locator('.slick-header-column', { hasText: 'Revenue' });
  await header.click();
  const money = (t: string) => Number(t.replace(/[^0-9.-]/g, ''));
  let asc: number[] = [];
  await waitUntil('an ascending sort', async () => (asc = (await columnTexts(w, 'Revenue')).map(money)).length > 5 && asc.every((v, i) => i === 0 || asc[i - 1] <= v));
  await header.click();
  let desc: number[] = [];
  await waitUntil('a descending sort', async () => (desc = (await columnTexts(w, 'Revenue')).map(money)).length > 5 && desc.every((v, i) => i === 0 || desc[i - 1] >= v) && desc[0] > desc.at(-1)!);
  await w.screenshot('02-sorted-by-revenue');
});

test('copying a row puts TSV with headers on the clipboard', { timeout: 60_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  await scrollHome(w);
  const id = (await columnTexts(w, 'Transaction ID'))[0];
  assert.match(id, /^[0-9a-f]{32}$/);
  await g.locator('.slick-cell', { hasText: id }).first().click({ button: 'right' });
  await g.locator('.menu-item', { hasText: 'Copy Row as TSV' }).click();
  // Pasted where a person would paste it: here a text file, whose lines the harness can read.
  await w.openFile('paste-here.txt');
  await w.page.keyboard.press('ControlOrMeta+A');
  await w.page.keyboard.press('ControlOrMeta+V');
  const text = await w.waitForEditorText(new RegExp(id));
  const [header, row, ...rest] = text.trimEnd().split('\n');
  assert.match(header, /^Time \(UTC\)\s+Transaction ID\s+Offer\s/);
  assert.ok(row.includes(id), row);
  assert.deepEqual(rest, []);
  await w.screenshot('03-copied-row-pasted');
  await w.runCommand('View: Revert and Close Editor');
  await waitUntil('the grid again', async () => /^5,000 rows/.test(await gridStatus(w)));
  assert.equal(await w.quickInputState(), undefined, 'a quick input was left open');
});

test('a column filter and "Exclude this value" narrow the rows, with the count in the summary', { timeout: 120_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  const countryIdx = await g.locator('.slick-header-column').evaluateAll((hs) => hs.findIndex((h) => h.textContent?.trim() === 'Country'));
  await g.locator('.slick-headerrow-column input.header-filter').nth(countryIdx).fill('Germany');
  await waitUntil('the filtered summary', async () => /^[\d,]+ of 5,000 rows/.test(await gridStatus(w)));
  const countries = await columnTexts(w, 'Country');
  assert.ok(countries.length > 0 && countries.every((c) => c === 'Germany'), JSON.stringify(countries.slice(0, 10)));
  const before = await gridStatus(w);
  const city = (await columnTexts(w, 'City'))[0];
  await g.locator('.slick-cell', { hasText: city }).first().click({ button: 'right' });
  await g.locator('.menu-item', { hasText: 'Exclude This Value' }).click();
  await waitUntil('the exclusion chip', async () => (await g.locator('.chip-exclude').count()) === 1);
  await waitUntil('fewer rows', async () => (await gridStatus(w)) !== before);
  assert.ok(!(await columnTexts(w, 'City')).includes(city), `${city} is still shown`);
  await w.screenshot('03-filtered');
  // The column filter shows as a chip too; removing it empties the header's box and widens the rows.
  const containsChip = g.locator('.chip-contains');
  assert.equal((await containsChip.textContent())?.replace('×', '').trim(), 'Country contains “Germany”');
  const narrowed = await gridStatus(w);
  await containsChip.click();
  await waitUntil('the column filter gone', async () => (await g.locator('.chip-contains').count()) === 0 && (await gridStatus(w)) !== narrowed);
  assert.equal(await g.locator('.slick-headerrow-column input.header-filter').nth(countryIdx).inputValue(), '');
  await g.locator('.slick-headerrow-column input.header-filter').nth(countryIdx).fill('Germany');
  await waitUntil('the column filter back', async () => (await gridStatus(w)) === narrowed);
});

test('the chat tool\'s grid summary counts the rows the filtered grid shows, and lists its filters inside the fence', { timeout: 60_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  // The filters the test before left: Country contains "Germany", and one city excluded.
  const status = await gridStatus(w);
  const shown = Number(/^([\d,]+) of 5,000 rows/.exec(status)?.[1]?.replace(/,/g, ''));
  assert.ok(shown > 0, status);
  const [, city] = ((await g.locator('.chip-exclude').first().textContent()) ?? '').replace('×', '').trim().split(' ≠ ');
  assert.ok(city, 'no excluded city');
  const { text, error } = await invokeChatTool(w, 'everflow_summarizeGrid', {});
  assert.equal(error, undefined);
  const m = /<<<BEGIN UNTRUSTED EVERFLOW DATA ([0-9a-f]{16,})>>>\n/.exec(text ?? '');
  assert.ok(m && text, `no fence: ${text}`);
  const words = text.slice(0, m.index);
  const data = JSON.parse(text.slice(m.index + m[0].length, text.length - `\n<<<END UNTRUSTED EVERFLOW DATA ${m[1]}>>>`.length)) as {
    gridFilters: { columnContains?: Record<string, string>; valueFilters?: { column: string; exclude?: string }[] };
    summary: { clicks: number; unique: number; withError: number };
  };
  assert.match(words, new RegExp(`shows ${shown.toLocaleString('en-US')} of its 5,000 clicks \\(the user's grid filters are applied; they are listed in the data\\)`));
  // The filter values are the user's text: inside the fence only.
  assert.deepEqual(Object.values(data.gridFilters.columnContains ?? {}), ['Germany']);
  assert.deepEqual(data.gridFilters.valueFilters?.map((f) => f.exclude), [city]);
  assert.ok(!words.includes('Germany') && !words.includes(city), `a filter value is outside the fence: ${words}`);
  // The same numbers from the sandbox's own answer to the stream the grid came from, filtered here.
  const [, from, to] = /from (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) to (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \(UTC\)/.exec(words) ?? [];
  assert.ok(from && to, words);
  const res = await fetch(`${w.sandbox.url}/v1/affiliates/reporting/clicks/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Eflow-API-Key': w.sandbox.keys.valid },
    body: JSON.stringify({ from, to, timezone_id: 67 }),
  });
  const rows = ((await res.json()) as { table: Click[] }).table.filter((r) => r.relationship.geolocation.country_name.toLowerCase().includes('germany') && r.relationship.geolocation.city_name !== city);
  assert.equal(rows.length, shown, 'the sandbox and the grid disagree: the check proves nothing');
  assert.equal(data.summary.clicks, rows.length);
  assert.equal(data.summary.unique, rows.filter((r) => Boolean(r.is_unique)).length);
  assert.equal(data.summary.withError, rows.filter((r) => r.error_code !== 0).length);
});

test('the column chooser shows and hides columns', { timeout: 120_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  await g.locator('vscode-button', { hasText: 'Columns' }).click();
  await g.locator('.column-chooser').waitFor({ state: 'visible' });
  await g.locator('vscode-checkbox[data-column="geo.isp_name"]').click();
  await g.locator('vscode-checkbox[data-column="device.browser_name"]').click();
  await waitUntil('the ISP column', async () => (await g.locator('.slick-column-name', { hasText: /^ISP$/ }).count()) === 1);
  await waitUntil('Browser to go', async () => (await g.locator('.slick-column-name', { hasText: /^Browser$/ }).count()) === 0);
  await w.screenshot('04-column-chooser');
  await w.page.keyboard.press('Escape');
  await g.locator('.column-chooser').waitFor({ state: 'hidden' });
});

test('a click\'s error reads as words in the grid and the row details, never as "N/A"', { timeout: 120_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  // The sandbox sends code 101 with Everflow's "N/A" placeholder as its message.
  const search = g.locator('vscode-textfield.search input');
  const before = await gridStatus(w); // the filters the tests before left, which come back after
  await search.fill('Sub1 value filtered');
  await waitUntil('the clicks with error 101', async () => /^[1-9][\d,]* of 5,000 rows/.test(await gridStatus(w)) && (await gridStatus(w)) !== before);
  assert.ok(await scrollToCellWith(w, '101 · Sub1 value filtered'), 'no Error cell gives the code with its meaning');
  const errors = await columnTexts(w, 'Error');
  assert.ok(errors.length > 0 && errors.every((t) => t === '101 · Sub1 value filtered'), JSON.stringify(errors));
  await g.locator('.slick-cell', { hasText: '101 · Sub1 value filtered' }).first().click();
  await w.page.keyboard.press('Enter');
  await waitUntil('the error above the row JSON', async () => ((await g.locator('.detail-error').textContent()) ?? '') === 'Error 101 · Sub1 value filtered');
  // The row's JSON comes from the host ("Loading…" until it arrives).
  await waitUntil('the row JSON', async () => !/^Loading/.test((await g.locator('.detail-json').textContent()) ?? 'Loading'));
  assert.match((await g.locator('.detail-json').textContent()) ?? '', /"error_message": "N\/A"/, 'the JSON is not what Everflow sent');
  await w.screenshot('04b-error-in-words');
  await g.locator('vscode-button', { hasText: 'Details' }).click();
  await g.locator('.detail').waitFor({ state: 'hidden' });
  await search.fill('');
  await waitUntil('the rows from before the search', async () => (await gridStatus(w)) === before);
});

test('exporting the filtered rows to CSV writes them, with the query beside the file', { timeout: 120_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  const shown = Number(/^([\d,]+) of/.exec(await gridStatus(w))![1].replace(/,/g, ''));
  await g.locator('vscode-button', { hasText: 'Export' }).click();
  await g.locator('.menu-item', { hasText: 'Filtered Rows to CSV' }).click();
  const file = path.join(w.workspaceDir, 'germany-clicks.csv');
  await w.answerSaveDialog(/Export .* to CSV/, file);
  await w.screenshot('05-save-dialog');
  await w.waitForNotification(/Exported [\d,]+ row/, 30_000);
  const csv = fs.readFileSync(file, 'utf8');
  assert.ok(csv.startsWith('\uFEFF'), 'no UTF-8 byte order mark');
  const lines = csv.slice(1).trimEnd().split('\r\n');
  const header = lines[0].split(',');
  assert.deepEqual(header.slice(0, 3), ['Time (UTC)', 'Transaction ID', 'Offer']);
  assert.ok(header.includes('ISP') && !header.includes('Browser'), 'the export does not follow the grid columns');
  assert.equal(lines.length - 1, shown, 'rows in the file');
  const country = header.indexOf('Country');
  assert.ok(lines.slice(1, 50).every((l) => l.split(',')[country] === 'Germany'));
  const meta = JSON.parse(fs.readFileSync(`${file}.meta.json`, 'utf8'));
  assert.equal(meta.from, `${day(1)} 00:00:00`);
  assert.equal(meta.timezone_id, 67);
  assert.equal(meta.rows, shown);
  assert.equal(meta.truncated, true);
  assert.ok(!JSON.stringify(meta).includes(w.sandbox.keys.valid), 'the key is in the sidecar');
});

test('hostile values render as text: no element, no script, in the grid or the row details', { timeout: 120_000 }, async () => {
  const w = wb!;
  // The clicks whose sub1 is an image tag with a handler (Everflow filters on the exact value).
  await runStream(w, 'Last 14 days', 'sub1=<img src=x onerror=alert(1)>');
  let g = gridFrame(w);
  await waitUntil('the hostile rows', async () => /^[1-9][\d,]* rows?/.test(await gridStatus(w)));
  assert.ok(await scrollToCellWith(w, '<img src=x onerror=alert(1)>'), 'no cell shows the literal text');
  assert.equal(await g.locator('.grid-canvas').locator('img, script, svg, a, iframe').count(), 0, 'a value became an element');
  await w.screenshot('06-hostile-rows');
  await g.locator('vscode-textfield.search input').fill('onerror=alert(1)');
  await waitUntil('the quick search to keep them', async () => /^[1-9][\d,]* rows?/.test(await gridStatus(w)) && !/ of /.test(await gridStatus(w)));

  // The day's all-hostile click: script tags, attribute break-outs, markdown links, a 100 KB referer.
  await w.runCommand('Everflow: Look Up Click by Transaction ID');
  await w.waitForQuickInput({ title: /Look Up Click/i });
  await w.quickInputType(w.sandbox.hostileSampleId());
  await w.quickInputAccept();
  g = gridFrame(w);
  await waitUntil('the one-row grid', async () => /^1 row/.test(await gridStatus(w)));
  assert.equal(await g.locator('.slick-cell', { hasText: /^<img src=x onerror=.*!\[x\]\(https:\/\/evil\.example/ }).count(), 1, 'the offer name is not shown as text');
  await g.locator('.slick-cell').first().click();
  assert.ok(await scrollToCellWith(w, '<script>alert(1)</script>'), 'Sub 1 does not show the script tag as text');
  assert.equal(await g.locator('.grid-canvas').locator('img, script, svg, a, iframe').count(), 0, 'a value became an element');
  await w.page.keyboard.press('Enter');
  await waitUntil('the row details', async () => ((await g.locator('.detail-json').textContent()) ?? '').includes('"sub1": "<script>alert(1)</script>"'));
  assert.equal(await g.locator('.detail img, .detail script, .detail svg').count(), 0);
  assert.equal(await g.locator('body').evaluate(() => (window as unknown as Record<string, unknown>).__pwned), undefined, 'a payload ran');
  assert.deepEqual(dialogs, [], 'a payload opened a dialog');
  await w.screenshot('07-hostile-click-details');
});

test('"Fetch all" gets every click of a 30,000-click day past the cap', { timeout: 240_000 }, async () => {
  const w = wb!;
  const d = day(2);
  w.sandbox.setKnobs({ dayVolumes: { [d]: 30_000 } });
  await runStream(w, `${d} 00:00:00 → ${d} 23:59:59`);
  await waitUntil('the capped grid', async () => /^5,000 rows/.test(await gridStatus(w)));
  const expected = w.sandbox.countClicks({ from: `${d} 00:00:00`, to: `${d} 23:59:59`, timezone_id: 67 });
  assert.equal(expected, 30_000);
  await gridFrame(w).locator('.banner vscode-button', { hasText: 'Fetch all' }).click();
  await w.waitForNotification(/Fetching every click|All 30,000 clicks/, 30_000).catch(() => undefined);
  await w.screenshot('08-fetching');
  await waitUntil('30,000 rows in the grid', async () => /^30,000 rows/.test(await gridStatus(w)), 180_000);
  const banner = (await gridFrame(w).locator('.banner').first().textContent()) ?? '';
  assert.match(banner, /Every click of the window: 30,000 clicks, fetched in \d+ requests/);
  await w.screenshot('09-fetched-all');
});

test('the grid survives a window reload from the rows the extension kept, without asking Everflow again', { timeout: 180_000 }, async () => {
  const w = wb!;
  const streams = () => w.sandbox.requestLog.filter((r) => r.path.includes('/clicks/stream')).length;
  const before = streams();
  await w.reloadWindow();
  await waitUntil('the restored grid', async () => /^30,000 rows/.test(await gridStatus(w)), 90_000);
  assert.equal(streams(), before, 'the reload sent stream requests');
  assert.match((await gridFrame(w).locator('.banner').first().textContent()) ?? '', /Every click of the window: 30,000 clicks/);
  await w.screenshot('10-after-reload');
});

test('the grid follows the colour theme: dark and high contrast', { timeout: 120_000 }, async () => {
  const w = wb!;
  const colours = () =>
    gridFrame(w)
      .locator('body')
      .evaluate((body) => ({
        page: getComputedStyle(body).backgroundColor,
        text: getComputedStyle(body.querySelector('.slick-cell')!).color,
        header: getComputedStyle(body.querySelector('.slick-header')!).backgroundColor,
      }));
  const light = await colours();
  for (const [theme, shot] of [
    ['Dark Modern', '11-theme-dark'],
    ['Dark High Contrast', '12-theme-high-contrast'],
  ] as const) {
    await w.dismissQuickInput();
    await w.setColorTheme(theme);
    let now = light;
    await waitUntil(`the grid in ${theme}`, async () => (now = await colours()).page !== light.page && now.text !== light.text);
    assert.notEqual(now.header, light.header, `${theme}: the header kept its colour`);
    await w.screenshot(shot);
  }
});

test('a table the page cannot read is said in words, and the rows on screen stay', { timeout: 60_000 }, async () => {
  const w = wb!;
  const g = gridFrame(w);
  assert.ok((await g.locator('.slick-row').count()) > 0, 'no rows on screen before');
  // A damaged init message, as a host bug could send: a column with fewer codes than rows. Its title
  // is markup, which must stay text.
  await g.locator('body').evaluate(() => {
    const table = { columns: ['sub1'], rows: 2, cols: [{ kind: 'codes', codes: new Uint8Array(1), dict: { kind: 'json', text: '[]' } }] };
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'init', init: { title: '<b>bold</b>', table } } }));
  });
  const notice = g.locator('.unreadable[role="alert"]');
  await notice.waitFor({ state: 'visible' });
  const text = (await notice.textContent()) ?? '';
  assert.match(text, /These rows could not be shown: <b>bold<\/b>/);
  assert.match(text, /column sub1 does not have 2 rows/);
  assert.equal(await g.locator('.unreadable b').count(), 0, 'the title became markup');
  assert.ok((await g.locator('.slick-row').count()) > 0, 'the rows on screen were dropped');
  await w.screenshot('13-unreadable-table');
});
