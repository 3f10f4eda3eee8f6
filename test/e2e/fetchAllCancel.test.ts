// "Fetch all" cancelled from its progress notification while pieces are still arriving (issue #4:
// "Cancel keeps what arrived and labels it partial"): the grid then holds more than the first capped
// 5,000 rows and fewer than the day's total, says "Partial", and the sandbox's control API shows that
// no stream request was sent after the Cancel. Pressing "Fetch all" again then gets every click.
// Then Add Conversions is cancelled the same way while its pages arrive: the clicks stay, the pages that
// arrived are joined and marked partial (issue #15).
// Screenshots land in test-results/screenshots/fetchAllCancel-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gridFrame, startWorkbench, waitUntil, type Workbench } from './harness';
import { runStream } from './securityProbe';

let wb: Workbench | undefined;

/** Each stream request takes this long in the sandbox, so Cancel lands while pieces are arriving. */
const LATENCY_MS = 1500;
const TOTAL = 30_000;
const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
const span = { from: `${day} 00:00:00`, to: `${day} 23:59:59` };

before(async () => {
  wb = await startWorkbench({ label: 'fetchAllCancel', settings: { 'everflow.results.openIn': 'grid' }, sandbox: { knobs: { dayVolumes: { [day]: TOTAL } } } });
}, { timeout: 180_000 });

after(async () => {
  await wb?.close();
});



async function summary(w: Workbench): Promise<string> {
  return ((await gridFrame(w).locator('.summary-text').textContent()) ?? '').trim();
}

async function bannerText(w: Workbench): Promise<string> {
  return ((await gridFrame(w).locator('.banner').first().textContent()) ?? '').trim();
}

const num = (s: string): number => Number(s.replace(/,/g, ''));

interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  at: number;
}

/** Stream requests the sandbox has seen, read from its control API (`GET /__sandbox/state`). */
async function streamRequests(w: Workbench): Promise<LoggedRequest[]> {
  const res = await fetch(new URL('/__sandbox/state', w.sandbox.url));
  assert.equal(res.status, 200);
  const state = (await res.json()) as { requestCount: number; requests: LoggedRequest[] };
  assert.ok(state.requestCount < 500, 'the control API lists only the last 500 requests');
  return state.requests.filter((r) => r.path.endsWith('/clicks/stream'));
}

async function knobs(w: Workbench, patch: Record<string, unknown>): Promise<void> {
  const res = await fetch(new URL('/__sandbox/knobs', w.sandbox.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
  assert.equal(res.status, 200, await res.text());
}

test('Cancel during "Fetch all" keeps the clicks that arrived, labelled partial, and sends nothing more', { timeout: 240_000 }, async () => {
  const w = wb!;
  await w.setApiKey();
  assert.equal(w.sandbox.countClicks({ ...span, timezone_id: 67 }), TOTAL);

  // The capped first response: 5,000 of the day's 30,000 clicks.
  await runStream(w, 'Custom range', `${span.from} → ${span.to}`);
  await waitUntil('the capped grid', async () => /^5,000 rows/.test(await summary(w)));
  assert.match(await bannerText(w), /5,000 rows: Everflow's cap — more clicks match/);

  await knobs(w, { latencyMs: LATENCY_MS });
  const beforeFetch = (await streamRequests(w)).length;
  await gridFrame(w).locator('.banner vscode-button', { hasText: 'Fetch all' }).click();
  const toast = w.page.locator('.notifications-toasts .notification-toast', { hasText: /Fetching every click of/ }).first();
  await toast.waitFor({ state: 'visible', timeout: 30_000 });

  // Wait until pieces beyond the first 5,000 rows are in (the first piece re-fetches those rows).
  let soFar = 0;
  let progress = '';
  await waitUntil(
    () => `progress past 5,000 clicks (last seen: "${progress}")`,
    async () => {
      progress = ((await toast.textContent()) ?? '').replace(/\s+/g, ' ');
      const m = /([\d,]+) clicks so far/.exec(progress);
      soFar = m ? num(m[1]) : 0;
      return soFar > 5000;
    },
    90_000,
  );
  assert.ok(soFar < TOTAL, `the fetch was already complete (${soFar}) before Cancel could be pressed`);
  await w.screenshot('01-fetching');

  const cancel = toast.locator('.monaco-button', { hasText: 'Cancel' }).first();
  await cancel.waitFor({ state: 'visible', timeout: 10_000 });
  const sentBeforeCancel = (await streamRequests(w)).length - beforeFetch;
  await cancel.click();
  await toast.waitFor({ state: 'hidden', timeout: 10_000 });

  const said = await w.waitForNotification(/Fetch all cancelled: kept the [\d,]+ clicks that arrived \(partial\)/, 15_000);
  const kept = num(/kept the ([\d,]+) clicks/.exec(said)![1]);
  assert.ok(kept > 5000 && kept < TOTAL, `kept ${kept} clicks: not more than the first 5,000 and fewer than ${TOTAL}`);
  assert.ok(kept >= soFar, `kept ${kept} clicks, but ${soFar} had arrived before Cancel`);

  // The grid shows exactly those rows, and says they are partial, with Fetch all offered again.
  await waitUntil(() => `the grid to show ${kept} rows`, async () => (await summary(w)).startsWith(`${kept.toLocaleString('en-US')} rows`));
  const banner = await bannerText(w);
  assert.match(banner, new RegExp(`^Partial: fetching all was cancelled after ${kept.toLocaleString('en-US')} clicks — more clicks match\\.`));
  assert.match(banner, /Fetch all$/, 'Fetch all is not offered again');
  assert.equal(await gridFrame(w).locator('.slick-column-name', { hasText: /^Time/ }).count(), 1);

  // Nothing was sent after Cancel: at most the request that was in flight when it was pressed, and the
  // count stays put for longer than one request takes (a loop that went on would have sent its next one).
  const atCancel = (await streamRequests(w)).slice(beforeFetch);
  assert.ok(atCancel.length <= sentBeforeCancel + 1, `${atCancel.length} stream requests after Cancel; ${sentBeforeCancel} before it`);
  await new Promise((r) => setTimeout(r, LATENCY_MS + 1000));
  const later = (await streamRequests(w)).slice(beforeFetch);
  assert.equal(later.length, atCancel.length, 'stream requests were sent after Cancel');
  // Every request was answered or (the one in flight at Cancel) abandoned, and at least the two that
  // brought rows past the first 5,000 were answered.
  assert.ok(later.every((r) => r.status === 200 || r.status === 0), JSON.stringify(later.map((r) => r.status)));
  assert.ok(later.filter((r) => r.status === 200).length >= 2, JSON.stringify(later.map((r) => r.status)));
  await w.screenshot('02-cancelled-partial');

  // Fetch all from the partial result gets every click after all.
  await knobs(w, { latencyMs: 0 });
  await gridFrame(w).locator('.banner vscode-button', { hasText: 'Fetch all' }).click();
  await waitUntil('all 30,000 rows', async () => /^30,000 rows/.test(await summary(w)), 120_000);
  assert.match(await bannerText(w), /^Every click of the window: 30,000 clicks, fetched in \d+ requests/);
  await w.screenshot('03-fetched-all-after-cancel');

  // Add Conversions cancelled while its pages arrive (issue #15): the clicks stay as they were and the
  // pages that arrived are joined, said to be partial. Small, slow pages so Cancel lands between two.
  await knobs(w, { conversions: { maxPageSize: 20, latencyMs: LATENCY_MS } });
  await gridFrame(w).locator('vscode-button.add-conversions').click();
  const convToast = w.page.locator('.notifications-toasts .notification-toast', { hasText: /Adding conversions to/ }).first();
  await convToast.waitFor({ state: 'visible', timeout: 30_000 });
  let convProgress = '';
  await waitUntil(
    () => `a first page of conversions (last seen: "${convProgress}")`,
    async () => {
      convProgress = ((await convToast.textContent()) ?? '').replace(/\s+/g, ' ');
      const m = /page ([\d,]+) of ([\d,]+)/.exec(convProgress);
      return !!m && num(m[2]) > num(m[1]);
    },
    60_000,
  );
  await convToast.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
  await convToast.waitFor({ state: 'hidden', timeout: 10_000 });
  const convText = async (): Promise<string> => ((await gridFrame(w).locator('.conv-text').first().textContent()) ?? '').trim();
  await waitUntil('the partial conversions in the grid', async () => /partial: stopped after [\d,]+ pages?/.test(await convText()), 30_000);
  assert.match(await summary(w), /^30,000 rows/, 'the clicks changed');
  assert.equal(await gridFrame(w).locator('.slick-column-name', { hasText: /^Conversions$/ }).count(), 1, 'no Conversions column for the pages that arrived');
  await w.screenshot('04-conversions-cancelled-partial');
  await knobs(w, { conversions: { maxPageSize: 2000, latencyMs: 0 } });
});
