import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EverflowError } from '../../../src/core/errors';
import { RateLimiter } from '../../../src/core/limiter';

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

function setup(perSecond: number) {
  const clock = new FakeClock();
  const limiter = new RateLimiter({ perSecond, now: clock.now, sleep: clock.sleep });
  const grants: { label: string; at: number }[] = [];
  const take = (label: string, opts?: Parameters<RateLimiter['acquire']>[0]) =>
    limiter.acquire(opts).then(() => {
      grants.push({ label, at: clock.t });
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

  it('waits out the window when the server says X-RateLimit-Remaining: 0', async () => {
    const { clock, limiter, grants, take } = setup(5);
    await take('a');
    await clock.advance(300);
    limiter.noteHeaders(5, 0);
    const b = take('b');
    await clock.advance(900);
    assert.equal(grants.length, 1, 'b must still wait');
    await clock.advance(200);
    await b;
    assert.ok(grants[1].at >= 1300, `b started at ${grants[1].at}`);
  });

  it('follows a server limit below its own rate, and never goes above its own rate', async () => {
    const { clock, limiter, grants, take } = setup(5);
    limiter.noteHeaders(2, 2);
    const first = [take('a'), take('b'), take('c')];
    await flush();
    assert.equal(grants.length, 2, 'the server allows 2 per second');
    limiter.noteHeaders(50, 40);
    await flush();
    assert.equal(grants.length, 3, 'back to the configured 5, not 50');
    const more = [take('d'), take('e'), take('f')];
    await flush();
    assert.equal(grants.length, 5);
    for (let i = 0; i < 20 && grants.length < 6; i++) await clock.advance(100);
    await Promise.all([...first, ...more]);
    assert.ok(grants[5].at >= 1000);
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
