import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { EverflowClient } from '../../../src/core/client';
import { EverflowError } from '../../../src/core/errors';
import { fetchAll } from '../../../src/core/fetchAll';
import { RateLimiter } from '../../../src/core/limiter';
import type { Click, StreamRequest } from '../../../src/core/types';
import { startSandbox, type Sandbox } from '../../sandbox/server';

// Issue #13: Everflow's bucket is per account and refilled every 30 s; another tool on the account
// (Everflow's AI agent, a teammate's script) can use most of it. Over real HTTP to the sandbox, with a
// 1-second window so the runs take seconds: another client spends 75 % of every window as it begins,
// and a Fetch all and a bulk look-up must still finish complete, with few 429s.

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY: StreamRequest = { from: '2026-11-19 00:00:00', to: '2026-11-19 23:59:59', timezone_id: 67 };
const WINDOW_MS = 1000;
const PER_SECOND = 100;
const OTHER_SHARE = 0.75;
/** The bulk look-up's workers (src/commands/bulkLookUp.ts). */
const WORKERS = 4;

let sb: Sandbox;
const lines: string[] = [];

function newClient(limiter: RateLimiter, key?: string): EverflowClient {
  return new EverflowClient({
    baseUrl: () => sb.url,
    getApiKey: async () => key ?? sb.keys.valid,
    limiter,
    backoff: { baseMs: 5, capMs: 20 },
    maxRetries: 6,
  });
}

function served(status: number): number {
  return sb.requestLog.filter((r) => r.status === status).length;
}

before(async () => {
  sb = await startSandbox({ seed: 13, now: NOW });
});
after(async () => {
  console.log(['', 'rate limit with another client using 75 % of each 1-second window:', ...lines].join('\n'));
  await sb.close();
});
beforeEach(() => {
  sb.resetKnobs();
  sb.setKnobs({ rateLimit: { perSecond: PER_SECOND, enforce: true, headers: true, windowMs: WINDOW_MS, otherClientShare: OTHER_SHARE } });
  sb.requestLog.length = 0;
});

describe('the 30-second bucket, over HTTP with another client on the account', () => {
  it('the sandbox counts every key of an account in one bucket and sends the window in the headers', async () => {
    sb.setKnobs({ rateLimit: { windowMs: 60_000, perWindow: 6, otherClientShare: 0 } });
    const get = (key: string) => fetch(`${sb.url}/v1/meta/timezones`, { headers: { 'X-Eflow-API-Key': key } });
    const statuses: number[] = [];
    const remaining: (string | null)[] = [];
    for (const key of [sb.keys.valid, sb.keys.sameAccount, sb.keys.valid, sb.keys.sameAccount, sb.keys.valid, sb.keys.sameAccount, sb.keys.valid]) {
      const res = await get(key);
      statuses.push(res.status);
      remaining.push(res.headers.get('x-ratelimit-remaining'));
      assert.equal(res.headers.get('x-ratelimit-limit'), '6');
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 429]);
    assert.deepEqual(remaining, ['5', '4', '3', '2', '1', '0', '0']);
    // Another account has its own bucket.
    assert.equal((await get(sb.keys.second)).status, 200);
  });

  it('Fetch all of a 30,000-click day finishes complete with few 429s', async () => {
    // A small bucket: 12 a window, 9 of them the other client's, so the dozen requests need four windows.
    sb.setKnobs({ dayVolumes: { '2026-11-19': 30_000 }, rateLimit: { perWindow: 12 } });
    const limiter = new RateLimiter({ perSecond: PER_SECOND, windowMs: WINDOW_MS });
    const client = newClient(limiter);
    const started = performance.now();
    const r = await fetchAll(DAY, { stream: (q, signal) => client.streamClicks(q, { signal }), zone: 'UTC' });
    const ms = Math.round(performance.now() - started);
    assert.equal(r.complete, true);
    assert.equal(r.rows.length, 30_000);
    assert.equal(new Set(r.rows.map((c) => c.transaction_id)).size, 30_000);
    const tooMany = served(429);
    lines.push(`  Fetch all, 30,000 clicks: ${r.requests} stream requests answered, ${tooMany} × 429 of ${sb.requestLog.length} sent, other client ${sb.otherClientRequests()} requests, ${ms} ms`);
    assert.ok(tooMany <= 1, `${tooMany} 429s`);
    assert.ok(ms >= (Math.ceil(r.requests / 3) - 1) * WINDOW_MS - 200, `${ms} ms: more than the bucket allowed`);
  });

  it('a bulk look-up of 200 IDs with four workers finishes complete with few 429s', async () => {
    const ids = sb.sampleIds(200);
    assert.equal(ids.length, 200);
    const limiter = new RateLimiter({ perSecond: PER_SECOND, windowMs: WINDOW_MS });
    const client = newClient(limiter);
    const found = new Map<string, Click>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (next < ids.length) {
          const id = ids[next++];
          found.set(id, await client.getClick(id, { priority: 'normal' }));
        }
      }),
    );
    const ms = Math.round(performance.now() - started);
    assert.equal(found.size, 200);
    for (const id of ids) assert.equal(found.get(id)?.transaction_id, id);
    const tooMany = served(429);
    const ours = sb.requestLog.length;
    lines.push(`  bulk look-up, 200 IDs: ${ours} requests sent, ${tooMany} × 429, other client ${sb.otherClientRequests()} requests, ${ms} ms`);
    // 25 requests are ours per window: 200 need 8 windows. Without spreading, every window would end
    // in a 429; a storm would be several per window.
    assert.ok(tooMany <= 2, `${tooMany} 429s`);
    // What remained of the bucket was used, not left idle: at most twice the windows needed.
    assert.ok(ms < (200 / ((1 - OTHER_SHARE) * PER_SECOND)) * WINDOW_MS * 2, `${ms} ms`);
  });

  it('Cancel ends a wait for the bucket at once, after the one request that found it empty', async () => {
    sb.setKnobs({ rateLimit: { otherClientShare: 1 } });
    const limiter = new RateLimiter({ perSecond: PER_SECOND, windowMs: 5000 });
    const client = newClient(limiter);
    const id = sb.sampleIds(1)[0];
    const controller = new AbortController();
    const call = client.getClick(id, { signal: controller.signal });
    // The other client took the whole bucket: the first request gets 429 and the limiter holds.
    await new Promise<void>((resolve) => {
      const off = limiter.onWaitChange((s) => {
        if (s) {
          off();
          resolve();
        }
      });
    });
    assert.ok(limiter.waitState()!.remainingMs > 4000);
    const t0 = performance.now();
    controller.abort();
    await assert.rejects(call, (e: unknown) => e instanceof EverflowError && e.reason === 'cancelled');
    assert.ok(performance.now() - t0 < 200, 'cancel took too long');
    assert.equal(served(429), 1, 'one request went out, then the limiter held');
  });
});
