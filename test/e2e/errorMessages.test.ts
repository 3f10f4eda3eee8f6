// What a person reads when things go wrong: a wrong key, a 15-day window, a malformed response and a
// 429 storm each end in one clear message, and the workbench keeps working. Screenshots of each.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorkbench, type Workbench } from './harness';

let wb: Workbench | undefined;

before(async () => {
  // A 2-second rate-limit window: after each 429 the client waits for the account's window (30 s at Everflow).
  wb = await startWorkbench({ label: 'errors', settings: { 'everflow.rateLimitWindowSeconds': 2 } });
}, { timeout: 180_000 });

after(async () => {
  await wb?.close();
});

async function setKey(w: Workbench, account: string, key: string): Promise<void> {
  await w.enterApiKey(key, account);
}

/** Run Click Stream… through its palette steps: timezone, window (a preset label), no filters. */
async function runStream(w: Workbench, windowLabel: string): Promise<void> {
  await w.runCommand('Everflow: Run Click Stream…');
  await w.waitForQuickInput({ title: /timezone/i });
  await w.quickInputType('UTC');
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /time window/i });
  await w.quickInputType(windowLabel);
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /filters/i });
  await w.quickInputAccept();
}

test('a wrong key is refused with a message that says why, and nothing is saved', { timeout: 120_000 }, async () => {
  const w = wb!;
  await setKey(w, 'Wrong', 'definitely-not-an-everflow-key');
  const message = await w.waitForNotification(/not accept this API key/i, 30_000);
  assert.match(message, /401/);
  assert.match(message, /not saved/i);
  assert.ok(!message.includes('definitely-not-an-everflow-key'), 'the message repeats the key');
  await w.screenshot('01-wrong-key');
});

test('a 15-day custom window is explained in the input: where the 14-day limit ends, and how it will run', { timeout: 120_000 }, async () => {
  const w = wb!;
  await setKey(w, 'Sandbox', w.sandbox.keys.valid);
  // Not /saved/: the previous test's toast says "The key was not saved."
  await w.waitForNotification(/API key saved for account "Sandbox"/, 30_000);
  await w.runCommand('Everflow: Run Click Stream…');
  await w.waitForQuickInput({ title: /timezone/i });
  await w.quickInputType('UTC');
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /time window/i });
  await w.quickInputType('Custom range');
  await w.quickInputAccept();
  await w.waitForQuickInput({ title: /custom window/i });
  await w.quickInputType('2026-11-01 00:00:00 → 2026-11-16 00:00:00');
  let state = await w.quickInputState();
  for (let i = 0; i < 25 && !/runs as 2 requests/.test(state?.message ?? ''); i++) {
    await new Promise((r) => setTimeout(r, 200));
    state = await w.quickInputState();
  }
  assert.match(state?.message ?? '', /at most 14 days/);
  assert.match(state?.message ?? '', /2026-11-14 23:59:59/, 'the message gives where the first 14 days end');
  assert.match(state?.message ?? '', /runs as 2 requests/, 'the message says how the window will run');
  await w.screenshot('02-fifteen-days');
  const before = w.sandbox.requestLog.filter((r) => r.path.includes('/clicks/stream')).length;
  await w.dismissQuickInput();
  assert.equal(w.sandbox.requestLog.filter((r) => r.path.includes('/clicks/stream')).length, before, 'a stream request was sent');
});

test('a malformed response gives one clear message and no retry loop', { timeout: 120_000 }, async () => {
  const w = wb!;
  w.sandbox.setKnobs({ fault: { kind: 'malformed-json', count: -1, path: 'stream' } });
  const before = w.sandbox.requestLog.length;
  await runStream(w, 'Yesterday');
  const message = await w.waitForNotification(/could not read/i, 30_000);
  assert.match(message, /Everflow sent a response/i);
  await w.screenshot('03-malformed');
  assert.equal(w.sandbox.requestLog.slice(before).filter((r) => r.path.includes('/clicks/stream')).length, 1);
  w.sandbox.resetKnobs();
});

test('a 429 storm ends in a "too many requests" message after a bounded number of tries', { timeout: 120_000 }, async () => {
  const w = wb!;
  w.sandbox.setKnobs({ fault: { kind: '429-no-headers', count: -1, path: 'stream' } });
  const before = w.sandbox.requestLog.length;
  await runStream(w, 'Last hour');
  const message = await w.waitForNotification(/too many requests/i, 60_000);
  assert.match(message, /429/);
  assert.equal(message.match(/too many requests/gi)?.length, 1, `the message says it twice: ${message}`);
  await w.screenshot('04-rate-limited');
  const tries = w.sandbox.requestLog.slice(before).filter((r) => r.path.includes('/clicks/stream')).length;
  assert.ok(tries >= 2 && tries <= 5, `${tries} tries`);
  w.sandbox.resetKnobs();

  // The workbench still works: the same stream now succeeds.
  await runStream(w, 'Last hour');
  await w.waitForNotification(/clicks in [\d.]+ s/i, 30_000);
  await w.screenshot('05-recovered');
});
