// Issue #7, hostile data, in the real workbench: clicks whose sub ids, referer, tracking URL, coupon,
// query parameters, offer name and city hold script tags, event handlers, `</script>`, markdown links and
// images, `command:` URIs, bidi and zero-width characters, 100 KB strings and formula prefixes; a
// workspace queries file whose names, folders, filter values and notes hold the same; server errors that
// carry HTML and links. Every surface that shows them is searched for elements, handlers and links that
// came from data, every frame for the `__pwned` flag the payloads set, and the page for dialogs.
// Screenshots land in test-results/screenshots/hostile-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  BIDI,
  FORMULA_DDE,
  FORMULA_HYPERLINK,
  MD_COMMAND_LINK,
  MD_IMAGE,
  XSS_ATTR_FLAG,
  XSS_BREAKOUT,
  XSS_EVENT_ATTR,
  XSS_FLAG_IMG,
  XSS_FLAG_SCRIPT,
} from '../sandbox/hostile';
import { gridFrame, startWorkbench, type Workbench } from './harness';
import {
  anyLive,
  clearNotifications,
  liveElements,
  lookUp,
  payloadsIn,
  payloadsInJson,
  pwnedFrames,
  record,
  setKey,
  toastMessages,
  waitUntil,
  watchDialogs,
} from './securityProbe';

/** A team's queries file as an attacker with push access would write it. */
const HOSTILE_QUERIES = [
  {
    id: 'h1',
    name: `${XSS_FLAG_IMG} [Run me](command:workbench.action.quit)`,
    window: { preset: 'yesterday' },
    timezone: 'UTC',
    folder: '<img src=x onerror=alert(1)>',
    filters: [
      { resource_type: 'sub1', filter_id_value: XSS_ATTR_FLAG },
      { resource_type: 'sub2', filter_id_value: MD_COMMAND_LINK },
      { resource_type: 'coupon_code', filter_id_value: FORMULA_HYPERLINK },
    ],
    exclusions: [{ resource_type: 'sub3', filter_id_value: BIDI }],
    note: `${MD_IMAGE} ${XSS_FLAG_SCRIPT} [docs](https://evil.example/phish) ${FORMULA_DDE}`,
  },
  {
    // Its stream holds the day's all-hostile click (whose sub1 is this script tag) and others like it.
    id: 'h3',
    name: 'Clicks with a script in sub1',
    window: { preset: 'yesterday' },
    timezone: 'UTC',
    filters: [{ resource_type: 'sub1', filter_id_value: '<script>alert(1)</script>' }],
    exclusions: [],
  },
  {
    id: 'h2',
    name: XSS_BREAKOUT,
    window: { preset: 'lastHour' },
    timezone: 'UTC',
    filters: [{ resource_type: 'sub4', filter_id_value: XSS_EVENT_ATTR }],
    exclusions: [],
  },
];
const NAME_1 = HOSTILE_QUERIES[0].name;
/** The results grid exists once its webview bundle is built; until then its tests are skipped. */
const gridBuilt = fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'webview', 'results.js'));
const HOVER_LINK = /^command:everflow\.(openClickAsJson|openClickInGrid|traceClick|copyTransactionId|copyClickJson)\?/;

let wb: Workbench | undefined;
let dialogs: string[] = [];
let hostileId = '';
let hostileClick: unknown;
const tally = { payloadsTried: 0, checks: 0, leaks: [] as string[], surfaces: {} as Record<string, number>, skipped: [] as string[] };

function tried(surface: string, payloads: number): void {
  tally.payloadsTried += payloads;
  tally.surfaces[surface] = (tally.surfaces[surface] ?? 0) + payloads;
}

/** The Saved Queries tree, with the Everflow sidebar open (a click on the open container's icon would close it). */
async function savedQueriesTree(w: Workbench) {
  const tree = w.page.locator('.pane:has(.pane-header[aria-label^="Saved Queries"]) .monaco-list').first();
  if (!(await tree.isVisible())) await w.page.locator('.activitybar [aria-label^="Everflow"]').first().click();
  await tree.waitFor({ state: 'visible', timeout: 20_000 });
  return tree;
}

/** What came alive on `surface` (counted as leaks), with any frame where a payload ran and any dialog. */
async function liveProblems(w: Workbench, surface: string, live: string[]): Promise<string[]> {
  tally.checks++;
  const ran = await pwnedFrames(w.page);
  const problems = [...live.map((l) => `${surface}: ${l}`), ...ran.map((f) => `${surface}: a payload ran in ${f}`), ...dialogs.map((d) => `${surface}: dialog ${d}`)];
  tally.leaks.push(...problems);
  dialogs.length = 0;
  return problems;
}

/** Fails (and counts a leak) when anything came alive; also checks every frame and the dialogs. */
async function assertInert(w: Workbench, surface: string, live: string[]): Promise<void> {
  const problems = await liveProblems(w, surface, live);
  assert.deepEqual(problems, [], `${surface}: ${problems.join('; ')}`);
}

/** Direction overrides and isolates shown as they are (not as ‹U+202E›) reorder what a person reads. */
const RAW_BIDI = /[\u202a-\u202e\u2066-\u2069]/;

before(
  async () => {
    wb = await startWorkbench({
      label: 'hostile',
      files: { '.vscode/everflow-queries.json': JSON.stringify({ version: 1, queries: HOSTILE_QUERIES }, null, 2) + '\n' },
      // Results open in the grid; the JSON document is reached through the hover's "Open as JSON" link.
      settings: { 'everflow.hover.timeBudgetMs': 3000, 'workbench.hover.delay': 300, 'everflow.results.openIn': gridBuilt ? 'grid' : 'json' },
    });
    dialogs = watchDialogs(wb.page);
    hostileId = wb.sandbox.hostileSampleId();
    const res = await fetch(`${wb.sandbox.url}/v1/affiliates/reporting/clicks/${hostileId}`, { headers: { 'X-Eflow-API-Key': wb.sandbox.keys.valid } });
    hostileClick = await res.json();
    await setKey(wb, wb.sandbox.keys.valid);
    await wb.waitForNotification(/API key saved for account/, 30_000);
  },
  { timeout: 180_000 },
);

after(async () => {
  record('hostile', {
    payloadsTried: tally.payloadsTried,
    faultsInjected: 0,
    leaksFound: tally.leaks.length,
    checks: tally.checks,
    details: { surfaces: tally.surfaces, skipped: tally.skipped, leaks: tally.leaks },
  });
  await wb?.close();
});

test('the sandbox serves one click holding every kind of hostile text, in every field the issue names', () => {
  const c = hostileClick as Record<string, unknown> & { relationship: Record<string, Record<string, unknown>> };
  const fields: [string, unknown][] = [
    ['sub1', c.sub1],
    ['sub2', c.sub2],
    ['sub3', c.sub3],
    ['sub4', c.sub4],
    ['sub5', c.sub5],
    ['referer', c.referer],
    ['tracking_url', c.tracking_url],
    ['coupon_code', c.coupon_code],
    ['query_parameters', c.relationship.query_parameters],
    ['offer name', c.relationship.offer.name],
    ['city', c.relationship.geolocation.city_name],
  ];
  for (const [name, value] of fields) assert.ok(payloadsInJson(value) >= 1, `${name} holds no hostile payload: ${JSON.stringify(value).slice(0, 80)}`);
  assert.ok(String(c.referer).length >= 100_000, 'no 100 KB string in a top-level field');
  assert.ok(payloadsInJson(hostileClick) >= 25, `only ${payloadsInJson(hostileClick)} payloads in the click`);
});

/** Shows the hover over the hostile id in sample.log until the card is complete; returns its text. */
async function hostileHover(w: Workbench): Promise<string> {
  await w.openFile('sample.log');
  const lines = fs.readFileSync(path.join(w.workspaceDir, 'sample.log'), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(hostileId));
  await w.goto(line + 1, lines[line].indexOf(hostileId) + 11);
  let text = '';
  for (let i = 0; i < 4; i++) {
    text = (await w.showHover()).replace(/\u00a0/g, ' ');
    if (!/Looking up/.test(text)) break;
    await w.page.keyboard.press('Escape');
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.match(text, /Everflow\sclick/);
  return text;
}

test('hover: the card over the hostile click is text, with the extension\'s five links and nothing else', { timeout: 120_000 }, async () => {
  const w = wb!;
  const text = await hostileHover(w);
  const card = w.page.locator('.monaco-hover:visible').first();
  const found = await liveElements(card, (h) => HOVER_LINK.test(h));
  const links = (await liveElements(card)).links;
  await w.screenshot('01-hover');
  tried('hover', payloadsInJson(hostileClick));
  assert.match(text, /<\/?script>/, 'the script tag is not shown as text');
  assert.equal(links.length, 5, `links in the card: ${links.join(' ')}`);
  await assertInert(w, 'hover', anyLive(found));
  await w.page.keyboard.press('Escape');
});

test('JSON document ("Open as JSON" in the card): the hostile click is text; no element, no command or script link', { timeout: 120_000 }, async () => {
  const w = wb!;
  await hostileHover(w);
  await w.page.locator('.monaco-hover:visible a', { hasText: 'Open as JSON' }).first().click();
  await w.waitForEditorText(/"transaction_id": "[0-9a-f]{32}"/, 30_000);
  const editor = w.page.locator('.editor-group-container.active .monaco-editor').first();
  const found = await liveElements(editor);
  // Monaco marks the URLs it detects; only web links may be among them, never command:, javascript: or data:.
  const detected = await editor.locator('.detected-link').allTextContents();
  const bad = detected.filter((t) => /^(command|javascript|data|vbscript):/i.test(t.trim()));
  await w.screenshot('02-json');
  tried('JSON document', payloadsInJson(hostileClick));
  await assertInert(w, 'JSON document', [...anyLive(found), ...bad.map((b) => `a detected link ${b}`)]);
  await w.runCommand('View: Close All Editors');
});

test('tree: names, folders, filter values and notes from a hostile queries file are plain labels and tooltips', { timeout: 120_000 }, async () => {
  const w = wb!;
  const tree = await savedQueriesTree(w);
  const row = tree.locator('.monaco-list-row', { hasText: '[Run me](command:workbench.action.quit)' }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  assert.ok(((await row.textContent()) ?? '').includes(XSS_FLAG_IMG), 'the name is not shown as typed');
  // Expand the query, so its filter rows show too.
  await row.click();
  await w.page.keyboard.press('ArrowRight');
  const filterRow = tree.locator('.monaco-list-row', { hasText: XSS_ATTR_FLAG }).first();
  await filterRow.waitFor({ state: 'visible', timeout: 10_000 });
  await assertInert(w, 'tree rows', anyLive(await liveElements(tree)));

  const tooltips: string[] = [];
  const problems: string[] = [];
  const rawBidi: string[] = [];
  if (RAW_BIDI.test((await tree.textContent()) ?? '')) rawBidi.push('tree labels');
  for (const [what, target, expect] of [
    ['query tooltip', row, 'Run me'],
    ['filter tooltip', filterRow, 'svg onload'],
    ['exclusion tooltip', tree.locator('.monaco-list-row', { hasText: 'sub3' }).first(), 'removed'],
    ['folder tooltip', tree.locator('.monaco-list-row', { hasText: 'onerror=alert(1)>' }).first(), 'Folder'],
  ] as const) {
    await w.page.mouse.move(0, 0);
    await target.hover();
    const tip = w.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: expect }).first();
    await waitUntil(`the ${what}`, async () => tip.isVisible(), 15_000).catch(async (e: unknown) => {
      await w.screenshot(`03-${what.replace(/ /g, '-')}-missing`);
      throw e;
    });
    const text = (await tip.textContent()) ?? '';
    tooltips.push(text);
    if (RAW_BIDI.test(text)) rawBidi.push(what);
    await w.screenshot(`03-${what.replace(/ /g, '-')}`);
    problems.push(...(await liveProblems(w, what, anyLive(await liveElements(tip)))));
    // The next row's tooltip must not be confused with this one.
    await w.page.mouse.move(0, 0);
    await w.page.keyboard.press('Escape');
    await tip.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  }
  tally.surfaces['bidi shown raw (display spoofing, not execution)'] = rawBidi.length;
  tried('tree and tooltips', payloadsIn(JSON.stringify(HOSTILE_QUERIES)));
  await w.page.mouse.move(0, 0);
  assert.ok(tooltips[0].includes('evil.example/phish'), 'the note is not in the query tooltip as text');
  assert.deepEqual(problems, [], problems.join('; '));
});

test('notifications: a server error carrying HTML and markdown links shows as text, with no link', { timeout: 120_000 }, async () => {
  const w = wb!;
  await clearNotifications(w);
  const errorText = `${XSS_FLAG_IMG} ${XSS_FLAG_SCRIPT} [Open settings](command:workbench.action.openSettings) [docs](https://evil.example/x) ${MD_IMAGE}`;
  w.sandbox.setKnobs({ errorText, fault: { kind: '500', count: -1, path: 'click' } });
  try {
    await lookUp(w, w.sampleIds[0]);
    const text = await w.waitForNotification(/server error/i, 60_000);
    assert.ok(text.includes('<img src=x onerror'), `the HTML is not shown as text: ${text}`);
    const toast = toastMessages(w.page).filter({ hasText: 'server error' }).first();
    await w.screenshot('04-notification');
    tried('notification (server error)', payloadsIn(errorText) + 2);
    await assertInert(w, 'error notification', anyLive(await liveElements(toast)));
  } finally {
    w.sandbox.setKnobs({ errorText: null, fault: null });
  }
});

test('notifications: a saved query\'s name from the shared file is text in the run\'s message', { timeout: 120_000 }, async () => {
  const w = wb!;
  await clearNotifications(w);
  const tree = await savedQueriesTree(w);
  const row = tree.locator('.monaco-list-row', { hasText: '[Run me](command:workbench.action.quit)' }).first();
  await row.click();
  await w.page.keyboard.press('Control+Enter');
  await w.waitForNotification(/clicks in [\d.]+ s/, 60_000);
  const toast = toastMessages(w.page).filter({ hasText: /clicks in/ }).first();
  await w.screenshot('05-run-notification');
  tried('notification (query name)', payloadsIn(NAME_1));
  await assertInert(w, 'run notification', anyLive(await liveElements(toast)));
  await w.runCommand('View: Close All Editors');
});

test('query form (webview): hostile names, filter values and notes are field values and text, never markup', { timeout: 120_000 }, async () => {
  const w = wb!;
  const tree = await savedQueriesTree(w);
  await tree.locator('.monaco-list-row', { hasText: '[Run me](command:workbench.action.quit)' }).first().click();
  await w.runCommand('Everflow: Edit Saved Query');
  const form = w.page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  await form.locator('#name input').waitFor({ state: 'attached', timeout: 30_000 });
  await waitUntil('the name in the form', async () => (await form.locator('#name input').inputValue()) === NAME_1, 15_000);
  await w.screenshot('06-form');
  tried('query form', payloadsIn(JSON.stringify(HOSTILE_QUERIES[0])));
  await assertInert(w, 'query form', anyLive(await liveElements(form.locator('body'))));
  await w.runCommand('View: Close All Editors');
});


test('grid and row detail: a stream holding the hostile click renders it as text', { timeout: 180_000, skip: gridBuilt ? false : 'no results grid bundle in dist/webview/ yet' }, async () => {
  const w = wb!;
  await w.runCommand('View: Close All Editors');
  const tree = await savedQueriesTree(w);
  await tree.locator('.monaco-list-row', { hasText: 'Clicks with a script in sub1' }).first().click();
  await w.page.keyboard.press('Control+Enter');
  const g = gridFrame(w);
  const hostileCell = g.locator('.slick-cell', { hasText: hostileId }).first();
  await waitUntil('the hostile row in the grid', async () => (await hostileCell.count()) > 0, 60_000);
  await w.screenshot('07-grid');
  await assertInert(w, 'grid', anyLive(await liveElements(g.locator('body'))));
  await hostileCell.click();
  await w.page.keyboard.press('Enter');
  await waitUntil('the row detail', async () => ((await g.locator('.detail-json').first().textContent()) ?? '').includes(hostileId), 30_000);
  const detail = (await g.locator('.detail-json').first().textContent()) ?? '';
  assert.ok(detail.includes('<script>alert(1)</script>'), 'the row detail does not show the script tag as text');
  await w.screenshot('08-row-detail');
  tried('grid and row detail', 2 * payloadsInJson(hostileClick));
  await assertInert(w, 'row detail', anyLive(await liveElements(g.locator('body'))));
});

test('export: the stream with the hostile click exported to CSV has every formula neutralised', { timeout: 180_000, skip: gridBuilt ? false : 'no results grid (and so no export) yet' }, async () => {
  const w = wb!;
  // The grid of the previous test is the active editor.
  const file = path.join(w.workspaceDir, 'hostile-export.csv');
  await w.runCommand('Everflow: Export Results to CSV…');
  await w.answerSaveDialog(/Export .* to CSV/, file);
  await w.waitForNotification(/Exported [\d,]+ row/, 30_000);
  const cells = parseCsv(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')).flat();
  const live = cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^-?\d+(\.\d+)?$/.test(c));
  tried('CSV export', payloadsIn(cells.join('\n')));
  tally.checks++;
  tally.leaks.push(...live.map((c) => `CSV cell ${JSON.stringify(c.slice(0, 40))}`));
  assert.deepEqual(live, [], 'a cell starts a formula');
  assert.ok(payloadsIn(cells.join('\n')) >= 1, 'the export holds none of the hostile values');
  assert.ok(cells.some((c) => /^'[=+\-@]/.test(c)), 'no neutralised formula in the file (is a hostile column exported?)');
});

test('after everything: no payload ran in any frame, and no dialog opened', async () => {
  const w = wb!;
  await assertInert(w, 'the whole session', []);
});

/** RFC 4180: quoted fields with commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}
