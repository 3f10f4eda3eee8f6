import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { EverflowClient, jsonFailureKind, type ClientOptions } from '../../../src/core/client';
import { EverflowError, describeError } from '../../../src/core/errors';
import { RateLimiter } from '../../../src/core/limiter';
import type { RequestLogEntry, StreamRequest } from '../../../src/core/types';
import { startSandbox, type Sandbox } from '../../sandbox/server';

// Retries, backoff, timeouts, cancellation and the shared limiter, against the real sandbox's
// injected faults. Backoff is shortened (or fixed) so the suite stays fast.

const NOW = new Date('2026-03-20T12:00:00Z');
const ONE_HOUR: StreamRequest = { from: '2026-03-18 10:00:00', to: '2026-03-18 10:59:59', timezone_id: 67 };
const STREAM = '/v1/affiliates/reporting/clicks/stream';
const WINDOW_MS = 500;

let sb: Sandbox;
let logs: RequestLogEntry[];

function client(over: Partial<ClientOptions> = {}): EverflowClient {
  return new EverflowClient({
    baseUrl: () => sb.url,
    getApiKey: async () => sb.keys.valid,
    // A short rate-limit window, so a 429 (which holds requests until the window resets) costs 0.5 s.
    limiter: new RateLimiter({ perSecond: 100, windowMs: WINDOW_MS }),
    log: (e) => logs.push(e),
    backoff: { baseMs: 5, capMs: 20 },
    ...over,
  });
}

async function failure(p: Promise<unknown>): Promise<EverflowError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof EverflowError, `expected an EverflowError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

/** Resolves once the sandbox has received `n` API requests. */
async function requestsArrived(n: number): Promise<void> {
  for (let i = 0; i < 500 && sb.requestLog.length < n; i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(sb.requestLog.length >= n, `only ${sb.requestLog.length} requests arrived`);
}

/** The most requests the sandbox received inside any one-second window. */
function peakPerSecond(times: number[]): number {
  const t = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0; i < t.length; i++) {
    let j = i;
    while (j < t.length && t[j] < t[i] + 1000) j++;
    peak = Math.max(peak, j - i);
  }
  return peak;
}

before(async () => {
  sb = await startSandbox({ now: NOW });
});
after(async () => {
  await sb.close();
});
beforeEach(() => {
  sb.resetKnobs();
  sb.setKnobs({ rateLimit: { perSecond: 1000, enforce: false, headers: true } });
  sb.requestLog.length = 0;
  logs = [];
});
afterEach(() => sb.resetKnobs());

describe('EverflowClient: retries', () => {
  it('gives up on a 429 storm after the bounded retries', async () => {
    sb.setKnobs({ fault: { kind: '429-no-headers', count: -1 } });
    const err = await failure(client().streamClicks(ONE_HOUR));
    assert.equal(err.reason, 'rateLimited');
    assert.equal(err.status, 429);
    assert.equal(err.serverMessage, 'Too many requests');
    assert.equal(sb.requestLog.length, 5, 'one try and four retries');
    assert.deepEqual(
      logs.map((l) => [l.attempt, l.status, l.reason]),
      [1, 2, 3, 4, 5].map((n) => [n, 429, 'rateLimited']),
    );
    assert.match(describeError(err), /refills the account's bucket every 30 seconds, and every tool on the account shares it/);
  });

  it('honours maxRetries', async () => {
    sb.setKnobs({ fault: { kind: '503', count: -1 } });
    assert.equal((await failure(client({ maxRetries: 1 }).streamClicks(ONE_HOUR))).reason, 'server');
    assert.equal(sb.requestLog.length, 2);
    sb.requestLog.length = 0;
    assert.equal((await failure(client({ maxRetries: 0 }).streamClicks(ONE_HOUR))).reason, 'server');
    assert.equal(sb.requestLog.length, 1);
  });

  it('waits out the window after a 429 that says Remaining: 0, then succeeds', async () => {
    sb.setKnobs({ fault: { kind: '429', count: 1 } });
    const result = await client().streamClicks(ONE_HOUR);
    assert.ok(result.rows.length > 0);
    const [first, second] = sb.requestLog;
    assert.deepEqual([first.status, second.status, sb.requestLog.length], [429, 200, 2]);
    // No reset time is sent: after an empty bucket the client waits a whole window.
    assert.ok(second.at - first.at >= WINDOW_MS - 20, `retried after ${second.at - first.at} ms`);
  });

  for (const kind of ['500', '502', '503'] as const) {
    it(`retries ${kind} and then succeeds`, async () => {
      sb.setKnobs({ fault: { kind, count: 2 } });
      const result = await client().streamClicks(ONE_HOUR);
      assert.ok(result.rows.length > 0);
      assert.deepEqual(
        sb.requestLog.map((r) => r.status),
        [Number(kind), Number(kind), 200],
      );
      assert.deepEqual(
        logs.map((l) => l.attempt),
        [1, 2, 3],
      );
    });
  }

  it('reads an HTML error page from a proxy as a server error with its text', async () => {
    sb.setKnobs({ fault: { kind: 'html-error', count: -1 } });
    const err = await failure(client({ maxRetries: 1 }).getClick(sb.sampleIds(1)[0]));
    assert.equal(err.reason, 'server');
    assert.equal(err.status, 502);
    assert.match(err.serverMessage ?? '', /^502 Bad Gateway/);
    assert.doesNotMatch(err.serverMessage ?? '', /[<>]/);
  });

  it('retries dropped and reset connections', async () => {
    for (const kind of ['drop-connection', 'reset-mid-body'] as const) {
      sb.requestLog.length = 0;
      sb.setKnobs({ fault: { kind, count: 1 } });
      const result = await client().streamClicks(ONE_HOUR);
      assert.ok(result.rows.length > 0, kind);
      assert.equal(sb.requestLog.length, 2, kind);
    }
    sb.requestLog.length = 0;
    sb.setKnobs({ fault: { kind: 'drop-connection', count: -1 } });
    const err = await failure(client({ maxRetries: 2 }).streamClicks(ONE_HOUR));
    assert.equal(err.reason, 'network');
    assert.equal(sb.requestLog.length, 3);
  });

  for (const kind of ['malformed-json', 'truncated-json'] as const) {
    it(`reports ${kind} as invalidResponse without retrying`, async () => {
      sb.setKnobs({ fault: { kind, count: -1 } });
      const err = await failure(client().streamClicks(ONE_HOUR));
      assert.equal(err.reason, 'invalidResponse');
      assert.equal(err.status, 200);
      assert.equal(sb.requestLog.length, 1);
      assert.equal(logs[0].reason, 'invalidResponse');
    });
  }

  it('parses a very large (~50 MB) stream within the size limit', async () => {
    sb.setKnobs({ fault: { kind: 'huge', count: 1 } });
    const result = await client().streamClicks(ONE_HOUR);
    assert.ok(result.rows.length > 5000);
    assert.equal(result.truncated, true);
  });
});

describe('EverflowClient: timeouts and cancellation', () => {
  it('times out a hung request, and does not retry it', async () => {
    sb.setKnobs({ fault: { kind: 'hang', count: -1 } });
    const t0 = performance.now();
    const err = await failure(client({ timeoutMs: () => 300 }).streamClicks(ONE_HOUR));
    assert.equal(err.reason, 'timeout');
    assert.equal(err.retryable, true);
    assert.match(describeError(err), /within 0\.3 s.*requestTimeoutSeconds/);
    assert.equal(sb.requestLog.length, 1);
    assert.ok(performance.now() - t0 < 2000);
  });

  it('ends at once when cancelled during a request', async () => {
    sb.setKnobs({ fault: { kind: 'hang', count: 1 } });
    const controller = new AbortController();
    const pending = failure(client().streamClicks(ONE_HOUR, { signal: controller.signal }));
    await requestsArrived(1);
    const t0 = performance.now();
    controller.abort();
    const err = await pending;
    assert.equal(err.reason, 'cancelled');
    assert.ok(performance.now() - t0 < 500, `took ${performance.now() - t0} ms`);
    assert.equal(sb.requestLog.length, 1);
  });

  it('ends at once when cancelled during a backoff wait, and sends no retry', async () => {
    sb.setKnobs({ fault: { kind: '503', count: -1 } });
    const controller = new AbortController();
    // A fixed jitter of 1 makes the first wait the full 10 s.
    const c = client({ backoff: { baseMs: 10_000, capMs: 10_000, random: () => 1 } });
    const pending = failure(c.streamClicks(ONE_HOUR, { signal: controller.signal }));
    await requestsArrived(1);
    while (logs.length < 1) await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    controller.abort();
    const err = await pending;
    assert.equal(err.reason, 'cancelled');
    assert.ok(performance.now() - t0 < 500, `took ${performance.now() - t0} ms`);
    assert.equal(sb.requestLog.length, 1);
  });

  it('rejects an already-cancelled call without sending', async () => {
    const err = await failure(client().getClick(sb.sampleIds(1)[0], { signal: AbortSignal.abort() }));
    assert.equal(err.reason, 'cancelled');
    assert.equal(sb.requestLog.length, 0);
  });
});

describe('EverflowClient: shared limiter', () => {
  it('keeps concurrent calls from several clients under the server limit', async () => {
    sb.setKnobs({ rateLimit: { perSecond: 5, enforce: true, headers: true } });
    const limiter = new RateLimiter({ perSecond: 5 });
    const a = client({ limiter });
    const b = client({ limiter });
    const ids = sb.sampleIds(6);
    const calls = [...ids.map((id, i) => (i % 2 ? a : b).getClick(id, { priority: 'interactive' })), a.streamClicks(ONE_HOUR), b.listTimezones(), a.streamClicks(ONE_HOUR)];
    const results = await Promise.all(calls);
    assert.equal(results.length, 9);
    assert.deepEqual(
      sb.requestLog.filter((r) => r.status !== 200),
      [],
      'no request was rate limited',
    );
    assert.equal(sb.requestLog.length, 9);
    assert.ok(peakPerSecond(sb.requestLog.map((r) => r.at)) <= 5);
    assert.ok(sb.requestLog.filter((r) => r.path === STREAM).length === 2);
  });
});

describe('jsonFailureKind', () => {
  const body = JSON.stringify({ table: [{ transaction_id: 'a'.repeat(32), is_unique: 1, revenue: 1.5, sub1: 'x "q" \\ y', relationship: { offer: { network_offer_id: 883 }, query_parameters: null } }] });

  it('calls every proper prefix of a JSON body cut off, wherever the cut lands', () => {
    for (let cut = 1; cut < body.length; cut++) {
      const text = body.slice(0, cut);
      let error: unknown;
      try {
        JSON.parse(text);
      } catch (e) {
        error = e;
      }
      assert.ok(error, `prefix of ${cut} parsed`);
      assert.equal(jsonFailureKind(error, text), 'cutOff', `cut at ${cut}: ${JSON.stringify(text.slice(-12))} (${(error as Error).message})`);
    }
  });

  it('calls a complete but broken body malformed', () => {
    for (const text of ['{"table": [1,,2]}', '{"table": [] }}', '<html>', '{table: []}']) {
      let error: unknown;
      try {
        JSON.parse(text);
      } catch (e) {
        error = e;
      }
      assert.equal(jsonFailureKind(error, text), 'malformed', text);
    }
  });
});
