import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EverflowError } from '../../../src/core/errors';
import { RateLimiter, type Grant, type WaitState } from '../../../src/core/limiter';

/** A manual clock: sleeps resolve only when the test advances time past them. */
class FakeClock {
  t = 0;
  private timers: { at: number; resolve: () => void }[] = [];

  now = (): number => this.t;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const timer = { at: this.t + ms, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((x) => x !== timer);
          resolve();
        },
        { once: true },
      );
    });

  /** Moves time forward, firing due sleeps in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await flush();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.resolve();
      await flush();
    }
    this.t = target;
    await flush();
  }
}

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function setup(perSecond: number, windowMs?: number) {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ perSecond, windowMs, now: clock.now, sleep: clock.sleep });
  const grants: { label: string; at: number; grant: Grant }[] = [];
  const take = (label: string, opts?: Parameters<RateLimiter['acquire']>[0]) =>
    limiter.acquire(opts).then((grant) => {
      grants.push({ label, at: clock.t, grant });
    });
  return { clock, limiter, grants, take };
}

/** The most starts inside any half-open one-second window. */
function maxPerSecond(times: number[]): number {
  let max = 0;
  for (let i = 0; i < times.length; i++) {
    let n = 0;
    for (let j = i; j < times.length && times[j] < times[i] + 1000; j++) n++;
    max = Math.max(max, n);
  }
  return max;
}

describe('RateLimiter', () => {
  it('never starts more than perSecond in any one-second window', async () => {
    const { clock, grants, take } = setup(5);
    const all = Array.from({ length: 23 }, (_, i) => take(`n${i}`));
    for (let i = 0; i < 60 && grants.length < 23; i++) await clock.advance(100);
    await Promise.all(all);
    const times = grants.map((g) => g.at);
    assert.equal(maxPerSecond(times), 5);
    // FIFO within the lane.
    assert.deepEqual(
      grants.map((g) => g.label),
      Array.from({ length: 23 }, (_, i) => `n${i}`),
    );
    // 23 starts at 5 per second need at least four full windows.
    assert.ok(times[22] >= 4000, `last start at ${times[22]}`);
  });

  it('starts immediately while there is room', async () => {
    const { grants, take } = setup(5);
    await Promise.all([take('a'), take('b'), take('c')]);
    assert.deepEqual(
      grants.map((g) => g.at),
      [0, 0, 0],
    );
  });

  it('lets interactive work overtake queued normal work, but only every other slot', async () => {
    const { clock, grants, take } = setup(2);
    const normal = Array.from({ length: 10 }, (_, i) => take(`n${i}`));
    await flush();
    const interactive = Array.from({ length: 6 }, (_, i) => take(`i${i}`, { priority: 'interactive' }));
    for (let i = 0; i < 200 && grants.length < 16; i++) await clock.advance(100);
    await Promise.all([...normal, ...interactive]);
    const order = grants.map((g) => g.label);
    // The first two went at once; then both lanes wait and alternate, interactive first.
    assert.deepEqual(order.slice(0, 2), ['n0', 'n1']);
    assert.deepEqual(order.slice(2, 14), ['i0', 'n2', 'i1', 'n3', 'i2', 'n4', 'i3', 'n5', 'i4', 'n6', 'i5', 'n7']);
    assert.deepEqual(order.slice(14), ['n8', 'n9']);
    assert.equal(maxPerSecond(grants.map((g) => g.at)), 2);
  });

  it('gives every slot to interactive work when nothing else waits', async () => {
    const { clock, grants, take } = setup(1);
    const all = [take('i0', { priority: 'interactive' }), take('i1', { priority: 'interactive' }), take('i2', { priority: 'interactive' })];
    for (let i = 0; i < 40 && grants.length < 3; i++) await clock.advance(100);
    await Promise.all(all);
    assert.deepEqual(
      grants.map((g) => g.label),
      ['i0', 'i1', 'i2'],
    );
  });

  it('rejects an aborted waiter at once with cancelled and gives its place to the next', async () => {
    const { clock, limiter, grants, take } = setup(1);
    await take('a');
    const controller = new AbortController();
    const b = take('b', { signal: controller.signal });
    const c = take('c');
    await flush();
    assert.equal(limiter.queued, 2);
    controller.abort();
    await assert.rejects(b, (e: unknown) => e instanceof EverflowError && e.reason === 'cancelled');
    assert.equal(limiter.queued, 1);
    for (let i = 0; i < 20 && grants.length < 2; i++) await clock.advance(100);
    await c;
    assert.deepEqual(
      grants.map((g) => g.label),
      ['a', 'c'],
    );
    assert.ok(grants[1].at >= 1000 && grants[1].at <= 1100, `c started at ${grants[1].at}`);
  });

  it('rejects an already-aborted signal without queueing', async () => {
    const { limiter } = setup(1);
    await assert.rejects(limiter.acquire({ signal: AbortSignal.abort() }), (e: unknown) => e instanceof EverflowError && e.reason === 'cancelled');
    assert.equal(limiter.queued, 0);
  });

  it('holds every start during pauseFor', async () => {
    const { clock, limiter, grants, take } = setup(5);
    limiter.pauseFor(2000);
    const a = take('a', { priority: 'interactive' });
    await clock.advance(1900);
    assert.equal(grants.length, 0);
    await clock.advance(200);
    await a;
    assert.equal(grants[0].at, 2000);
  });

  it('applies setRate to queued waiters, including rates below one per second', async () => {
    const { clock, limiter, grants, take } = setup(0.5);
    const all = [take('a'), take('b')];
    await clock.advance(1500);
    assert.equal(grants.length, 1, 'one start per two seconds');
    limiter.setRate(10);
    await clock.advance(100);
    await Promise.all(all);
    assert.equal(grants.length, 2);
    assert.throws(() => limiter.setRate(0), RangeError);
    assert.throws(() => new RateLimiter({ perSecond: Number.NaN }), RangeError);
  });

  it('works on the real clock', async () => {
    const limiter = new RateLimiter({ perSecond: 20 });
    const started: number[] = [];
    await Promise.all(Array.from({ length: 25 }, () => limiter.acquire().then(() => started.push(performance.now()))));
    assert.equal(started.length, 25);
    assert.ok(maxPerSecond(started) <= 20);
    const slow = new RateLimiter({ perSecond: 1 });
    await slow.acquire();
    const controller = new AbortController();
    const waiting = slow.acquire({ signal: controller.signal });
    const t0 = performance.now();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(waiting, (e: unknown) => e instanceof EverflowError && e.reason === 'cancelled');
    assert.ok(performance.now() - t0 < 500);
  });
});

// Everflow's bucket: one per account, refilled every 30 s, shared with every other tool on the account.
describe('RateLimiter: the 30-second bucket', () => {
  /** Advances in steps until `done()` or `maxMs` have passed. */
  async function runUntil(clock: FakeClock, done: () => boolean, maxMs: number, step = 100): Promise<void> {
    for (let waited = 0; waited < maxMs && !done(); waited += step) await clock.advance(step);
  }

  it('after Remaining: 0 nobody starts until the window that began at the first answer has passed', async () => {
    const { clock, limiter, grants, take } = setup(5);
    limiter.noteHeaders(150, 40);
    await clock.advance(5000);
    limiter.noteHeaders(150, 0);
    const all = [take('a'), take('b', { priority: 'interactive' })];
    await clock.advance(24_900);
    assert.equal(grants.length, 0, 'nothing may start before the window that began at t=0 resets');
    assert.ok(limiter.waitState(), 'the wait is visible');
    await runUntil(clock, () => grants.length > 0, 1000);
    assert.equal(grants.length, 1, 'one probe');
    assert.ok(grants[0].at >= 30_000 && grants[0].at <= 30_200, `probe at ${grants[0].at}`);
    assert.equal(grants[0].grant.probe, true);
    assert.equal(grants[0].label, 'b', 'the hover is the one that probes');
    limiter.settle(grants[0].grant, { status: 200, limit: 150, remaining: 149 });
    await runUntil(clock, () => grants.length === 2, 1000);
    await Promise.all(all);
    assert.equal(grants[1].grant.probe, false);
    assert.equal(limiter.waitState(), undefined);
  });

  it('after a 429 sends one probe when the window should be fresh, not a storm, and waits again if it fails', async () => {
    const { clock, limiter, grants, take } = setup(5, 2000);
    await take('first');
    limiter.settle(grants[0].grant, { status: 429 });
    const queued = Array.from({ length: 8 }, (_, i) => take(`q${i}`));
    await runUntil(clock, () => grants.length > 1, 3000);
    assert.equal(grants.length, 2);
    assert.ok(grants[1].at >= 2000 && grants[1].at <= 2200, `probe at ${grants[1].at} (no headers: a full window from the 429)`);
    assert.equal(grants[1].grant.probe, true);
    // The probe's answer is not in yet: nobody else goes, however long it takes (up to a window).
    await clock.advance(1500);
    assert.equal(grants.length, 2, 'others wait for the probe');
    // The probe finds the bucket still empty (another tool emptied the new window): a full window again.
    limiter.settle(grants[1].grant, { status: 429, limit: 10, remaining: 0 });
    const failedAt = clock.t;
    await runUntil(clock, () => grants.length > 2, 3000);
    assert.equal(grants.length, 3);
    assert.ok(grants[2].at - failedAt >= 2000, `second probe ${grants[2].at - failedAt} ms after the failed one`);
    assert.equal(grants[2].grant.probe, true);
    limiter.settle(grants[2].grant, { status: 200, limit: 10, remaining: 9 });
    await runUntil(clock, () => grants.length === 10, 10_000);
    await Promise.all(queued);
    assert.equal(grants.filter((g) => g.grant.probe).length, 2, 'two probes in all');
  });

  it('learns the phase of the window from Remaining jumping back up, and waits only until the next reset', async () => {
    const { clock, limiter } = setup(5);
    limiter.noteHeaders(150, 100);
    await clock.advance(4000);
    limiter.noteHeaders(150, 20);
    await clock.advance(8000);
    // t = 12 s: the bucket was refilled since the last answer (4 s): a window began by now.
    limiter.noteHeaders(150, 148);
    await clock.advance(10_000);
    limiter.noteHeaders(150, 0);
    const wait = limiter.waitState();
    assert.ok(wait, 'a visible wait');
    // The next reset is 12 s + 30 s = 42 s; it is 22 s now.
    assert.ok(wait.remainingMs >= 20_000 && wait.remainingMs <= 20_200, `waits ${wait.remainingMs} ms`);
  });

  it('spreads a low bucket over the rest of the window, while a hover may use it at once', async () => {
    const { clock, limiter, grants, take } = setup(5);
    limiter.noteHeaders(150, 10);
    const normal = Array.from({ length: 5 }, (_, i) => take(`n${i}`));
    await flush();
    await clock.advance(100);
    const hover = take('hover', { priority: 'interactive' });
    await flush();
    assert.ok(grants.some((g) => g.label === 'hover' && g.at <= 100), 'the hover went at once');
    await runUntil(clock, () => grants.length === 6, 20_000);
    await Promise.all([...normal, hover]);
    const times = grants.filter((g) => g.label !== 'hover').map((g) => g.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // 10 left for 30 s: about 3 s apart (less as the window runs out), never the 200 ms of 5/s.
    for (const gap of gaps) assert.ok(gap >= 2500, `gaps ${gaps.join(', ')}`);
    assert.ok(times[4] < 30_000, 'they all still went in this window');
  });

  it('paces at the full rate when the bucket is ample', async () => {
    const { clock, limiter, grants, take } = setup(5);
    limiter.noteHeaders(150, 150);
    const all = Array.from({ length: 10 }, (_, i) => take(`n${i}`));
    await runUntil(clock, () => grants.length === 10, 5000);
    await Promise.all(all);
    assert.ok(grants[9].at <= 2100, `10 starts took ${grants[9].at} ms`);
  });

  it('cancel works during the wait, at once', async () => {
    const { clock, limiter, take } = setup(5);
    limiter.settle(undefined, { status: 429, limit: 150, remaining: 0 });
    const controller = new AbortController();
    const waiting = take('w', { signal: controller.signal });
    await clock.advance(3000);
    assert.equal(limiter.queued, 1);
    controller.abort();
    await assert.rejects(waiting, (e: unknown) => e instanceof EverflowError && e.reason === 'cancelled');
    assert.equal(limiter.queued, 0);
  });

  it('honours Retry-After when the server sends one', async () => {
    const { clock, limiter, grants, take } = setup(5);
    limiter.settle(undefined, { status: 429, retryAfterMs: 4000 });
    const a = take('a');
    await runUntil(clock, () => grants.length > 0, 10_000);
    await a;
    assert.ok(grants[0].at >= 4000 && grants[0].at < 4300, `started at ${grants[0].at}`);
  });

  it('keeps the hold when an answer to a request sent before the 429 arrives late', async () => {
    const { clock, limiter, grants, take } = setup(5);
    await Promise.all([take('a'), take('b')]);
    limiter.settle(grants[0].grant, { status: 429, limit: 150, remaining: 0 });
    await clock.advance(50);
    limiter.settle(grants[1].grant, { status: 200, limit: 150, remaining: 3 });
    assert.ok(limiter.waitState(), 'a stale Remaining: 3 lifted the hold');
  });

  it('tells listeners when a wait starts and ends', async () => {
    const { clock, limiter, grants, take } = setup(5, 1000);
    const seen: (WaitState | undefined)[] = [];
    const off = limiter.onWaitChange((s) => seen.push(s));
    limiter.settle(undefined, { status: 429 });
    assert.equal(seen.length, 1);
    assert.ok(seen[0] && seen[0].remainingMs > 1000 && seen[0].remainingMs <= 1100);
    const a = take('a');
    await runUntil(clock, () => grants.length > 0, 2000);
    await a;
    limiter.settle(grants[0].grant, { status: 200, remaining: 5 });
    assert.equal(seen.at(-1), undefined, 'the end of the wait is told');
    off();
    limiter.settle(undefined, { status: 429 });
    assert.equal(seen.filter((s) => s).length, 1, 'no calls after unsubscribing');
  });

  it('learns a shorter window from refills seen a second apart (a server that counts per second)', async () => {
    const { clock, limiter, grants, take } = setup(5);
    // Two requests a second against a bucket of 5 that is refilled every second.
    for (let second = 0; second < 3; second++) {
      for (const remaining of [4, 3]) {
        // Interactive: not held back by spreading, which with a 30-second guess would space these out.
        await take(`s${second}-${remaining}`, { priority: 'interactive' });
        limiter.settle(grants.at(-1)!.grant, { status: 200, limit: 5, remaining });
        await clock.advance(100);
      }
      await clock.advance(800);
    }
    // Now someone empties it: the wait is until the next second, not 30 s.
    await clock.advance(300);
    limiter.settle(undefined, { status: 429, limit: 5, remaining: 0 });
    const wait = limiter.waitState();
    assert.ok(wait && wait.remainingMs <= 1000, `waits ${wait?.remainingMs} ms`);
  });

  it('never waits more than one window, whatever it is told', async () => {
    const { limiter } = setup(5, 2000);
    limiter.settle(undefined, { status: 429, retryAfterMs: 3_600_000 });
    assert.ok(limiter.waitState()!.remainingMs <= 2000);
    assert.throws(() => new RateLimiter({ perSecond: 5, windowMs: 0 }), RangeError);
  });
});
