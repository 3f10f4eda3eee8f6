import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EverflowError } from '../../../src/core/errors';
import { LookupCache, type LookupFetch } from '../../../src/core/lookupCache';

// The hover cache: TTL and LRU from lru-cache driven by an injected clock, the negative cache, and
// the shared in-flight fetch with per-caller cancellation.

interface Click {
  id: string;
  n: number;
}

/** A clock the test moves by hand; starts at 0 on purpose (lru-cache reads a 0 start as "no TTL"). */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => (t += ms) };
}

/** A fetch the test settles by hand, counting calls and recording the signals it was given. */
function controllableFetch(): {
  fetch: LookupFetch<Click>;
  calls: string[];
  signals: AbortSignal[];
  resolve: (n?: number) => void;
  reject: (e: unknown) => void;
} {
  const calls: string[] = [];
  const signals: AbortSignal[] = [];
  const pending: { id: string; resolve: (c: Click) => void; reject: (e: unknown) => void }[] = [];
  return {
    calls,
    signals,
    fetch: (id, signal) => {
      calls.push(id);
      signals.push(signal);
      return new Promise<Click>((resolve, reject) => pending.push({ id, resolve, reject }));
    },
    resolve: (n = 1) => {
      const p = pending.shift();
      assert.ok(p, 'no fetch pending');
      p.resolve({ id: p.id, n });
    },
    reject: (e) => {
      const p = pending.shift();
      assert.ok(p, 'no fetch pending');
      p.reject(e);
    },
  };
}

const immediate = (n: number): LookupFetch<Click> => async (id) => ({ id, n });
const notFound = (): EverflowError => new EverflowError('notFound', 'not found', { status: 404 });
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function cache(over: Partial<ConstructorParameters<typeof LookupCache>[0]> = {}): LookupCache<Click> {
  return new LookupCache<Click>({ max: 10, ttlMs: 60_000, negativeTtlMs: 10_000, ...over });
}

describe('LookupCache: hits, TTL and LRU', () => {
  it('fetches on a miss and answers the next call from the cache', async () => {
    const c = cache();
    let calls = 0;
    const fetch: LookupFetch<Click> = async (id) => ({ id, n: ++calls });
    assert.deepEqual(c.get('a'), { state: 'miss' });
    assert.deepEqual(await c.getOrFetch('a', fetch), { id: 'a', n: 1 });
    assert.deepEqual(await c.getOrFetch('a', fetch), { id: 'a', n: 1 });
    assert.deepEqual(c.get('a'), { state: 'hit', value: { id: 'a', n: 1 } });
    assert.equal(calls, 1);
  });

  it('expires an entry after its TTL, by the injected clock', async () => {
    const clock = manualClock();
    const c = cache({ now: clock.now, ttlMs: 1000 });
    await c.getOrFetch('a', immediate(1));
    clock.advance(1000);
    assert.equal(c.get('a').state, 'hit');
    clock.advance(1);
    assert.deepEqual(c.get('a'), { state: 'miss' });
    assert.deepEqual(await c.getOrFetch('a', immediate(2)), { id: 'a', n: 2 });
  });

  it('evicts the least recently used entry at max', async () => {
    const c = cache({ max: 2 });
    await c.getOrFetch('a', immediate(1));
    await c.getOrFetch('b', immediate(1));
    c.get('a'); // a is now the most recently used
    await c.getOrFetch('c', immediate(1));
    assert.equal(c.get('a').state, 'hit');
    assert.equal(c.get('b').state, 'miss');
    assert.equal(c.get('c').state, 'hit');
  });

  it('keeps nothing when ttlMs is 0', async () => {
    const c = cache({ ttlMs: 0 });
    await c.getOrFetch('a', immediate(1));
    assert.equal(c.get('a').state, 'miss');
  });

  it('rejects settings that make no sense', () => {
    assert.throws(() => cache({ max: 0 }), RangeError);
    assert.throws(() => cache({ max: 1.5 }), RangeError);
    assert.throws(() => cache({ ttlMs: -1 }), RangeError);
    assert.throws(() => cache({ negativeTtlMs: Number.NaN }), RangeError);
  });
});

describe('LookupCache: resize and clear', () => {
  it('keeps the most recently used entries when shrinking', async () => {
    const c = cache({ max: 5 });
    for (const id of ['a', 'b', 'c', 'd']) await c.getOrFetch(id, immediate(1));
    c.get('a');
    c.resize(2, 60_000, 10_000);
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((id) => c.get(id).state),
      ['hit', 'miss', 'miss', 'hit'],
    );
  });

  it('keeps entry ages, so a shorter TTL expires old entries at once', async () => {
    const clock = manualClock();
    const c = cache({ now: clock.now, ttlMs: 10_000, negativeTtlMs: 5_000 });
    await c.getOrFetch('old', immediate(1));
    await assert.rejects(c.getOrFetch('gone', async () => Promise.reject(notFound())));
    clock.advance(3000);
    await c.getOrFetch('new', immediate(1));
    c.resize(10, 2000, 2000);
    assert.equal(c.get('old').state, 'miss');
    assert.equal(c.get('gone').state, 'miss');
    assert.equal(c.get('new').state, 'hit');
    clock.advance(2001);
    assert.equal(c.get('new').state, 'miss');
  });

  it('clear() forgets entries, and a fetch started before it does not refill the cache', async () => {
    const c = cache();
    const f = controllableFetch();
    await c.getOrFetch('a', immediate(1));
    const early = c.getOrFetch('b', f.fetch);
    c.clear();
    assert.equal(c.get('a').state, 'miss');
    assert.equal(c.peekInFlight('b'), undefined);
    f.resolve(7);
    assert.deepEqual(await early, { id: 'b', n: 7 }, 'the caller still gets its answer');
    assert.equal(c.get('b').state, 'miss');
  });
});

describe('LookupCache: not found', () => {
  it('remembers "not found" for negativeTtlMs and rejects with the first error', async () => {
    const clock = manualClock();
    const c = cache({ now: clock.now, negativeTtlMs: 500 });
    const err = notFound();
    let calls = 0;
    const missing: LookupFetch<Click> = async () => {
      calls++;
      throw err;
    };
    await assert.rejects(c.getOrFetch('x', missing), (e) => e === err);
    assert.deepEqual(c.get('x'), { state: 'notFound' });
    await assert.rejects(c.getOrFetch('x', missing), (e) => e === err);
    assert.equal(calls, 1);
    clock.advance(501);
    assert.deepEqual(c.get('x'), { state: 'miss' });
    await assert.rejects(c.getOrFetch('x', missing));
    assert.equal(calls, 2);
  });

  it('keeps no "not found" when negativeTtlMs is 0', async () => {
    const c = cache({ negativeTtlMs: 0 });
    await assert.rejects(c.getOrFetch('x', async () => Promise.reject(notFound())));
    assert.deepEqual(c.get('x'), { state: 'miss' });
  });

  it('does not cache other errors', async () => {
    const c = cache();
    for (const err of [
      new EverflowError('rateLimited', 'slow down', { status: 429 }),
      new EverflowError('server', 'boom', { status: 503 }),
      new EverflowError('timeout', 'too slow'),
      new Error('not an Everflow error'),
    ]) {
      await assert.rejects(c.getOrFetch('x', async () => Promise.reject(err)), (e) => e === err);
      assert.deepEqual(c.get('x'), { state: 'miss' });
    }
    assert.deepEqual(await c.getOrFetch('x', immediate(3)), { id: 'x', n: 3 });
  });

  it('turns a fetch that throws synchronously into a rejection', async () => {
    const c = cache();
    const boom: LookupFetch<Click> = () => {
      throw new Error('sync');
    };
    await assert.rejects(c.getOrFetch('x', boom), /sync/);
    assert.equal(c.peekInFlight('x'), undefined);
  });
});

describe('LookupCache: one fetch for concurrent callers', () => {
  it('shares one fetch between two callers and caches its answer', async () => {
    const c = cache();
    const f = controllableFetch();
    const p1 = c.getOrFetch('a', f.fetch);
    const p2 = c.getOrFetch('a', f.fetch);
    assert.equal(f.calls.length, 1);
    assert.ok(c.peekInFlight('a'));
    f.resolve(5);
    assert.deepEqual(await p1, { id: 'a', n: 5 });
    assert.deepEqual(await p2, { id: 'a', n: 5 });
    assert.equal(c.peekInFlight('a'), undefined);
    assert.equal(c.get('a').state, 'hit');
  });

  it('shares a failure too, and lets the next call try again', async () => {
    const c = cache();
    const f = controllableFetch();
    const p1 = c.getOrFetch('a', f.fetch);
    const p2 = c.getOrFetch('a', f.fetch);
    const err = new EverflowError('network', 'offline');
    f.reject(err);
    await assert.rejects(p1, (e) => e === err);
    await assert.rejects(p2, (e) => e === err);
    const p3 = c.getOrFetch('a', f.fetch);
    assert.equal(f.calls.length, 2);
    f.resolve(1);
    await p3;
  });

  it('runs separate fetches for different ids', async () => {
    const c = cache();
    const f = controllableFetch();
    const pa = c.getOrFetch('a', f.fetch);
    const pb = c.getOrFetch('b', f.fetch);
    assert.deepEqual(f.calls, ['a', 'b']);
    f.resolve();
    f.resolve();
    await Promise.all([pa, pb]);
  });
});

describe('LookupCache: cancellation', () => {
  it('rejects at once for a signal already aborted, without fetching', async () => {
    const c = cache();
    const f = controllableFetch();
    await assert.rejects(c.getOrFetch('a', f.fetch, { signal: AbortSignal.abort() }), { reason: 'cancelled' });
    assert.equal(f.calls.length, 0);
  });

  it("ends one caller's wait without aborting the fetch another caller waits for", async () => {
    const c = cache();
    const f = controllableFetch();
    const hover1 = new AbortController();
    const p1 = c.getOrFetch('a', f.fetch, { signal: hover1.signal });
    const p2 = c.getOrFetch('a', f.fetch, { signal: new AbortController().signal });
    hover1.abort();
    await assert.rejects(p1, { reason: 'cancelled' });
    assert.equal(f.signals[0].aborted, false);
    f.resolve(9);
    assert.deepEqual(await p2, { id: 'a', n: 9 });
    assert.equal(f.calls.length, 1);
    assert.equal(c.get('a').state, 'hit');
  });

  it('keeps the fetch alive for a caller without a signal', async () => {
    const c = cache();
    const f = controllableFetch();
    const hover = new AbortController();
    const p1 = c.getOrFetch('a', f.fetch, { signal: hover.signal });
    const p2 = c.getOrFetch('a', f.fetch);
    hover.abort();
    await assert.rejects(p1, { reason: 'cancelled' });
    assert.equal(f.signals[0].aborted, false);
    f.resolve(2);
    assert.deepEqual(await p2, { id: 'a', n: 2 });
  });

  it('aborts the shared fetch when the last waiter gives up, and starts afresh after', async () => {
    const c = cache();
    const f = controllableFetch();
    const h1 = new AbortController();
    const h2 = new AbortController();
    const p1 = c.getOrFetch('a', f.fetch, { signal: h1.signal });
    const p2 = c.getOrFetch('a', f.fetch, { signal: h2.signal });
    h1.abort();
    await assert.rejects(p1, { reason: 'cancelled' });
    assert.equal(f.signals[0].aborted, false);
    h2.abort();
    await assert.rejects(p2, { reason: 'cancelled' });
    assert.equal(f.signals[0].aborted, true);
    assert.equal(c.peekInFlight('a'), undefined);

    const p3 = c.getOrFetch('a', f.fetch);
    assert.equal(f.calls.length, 2, 'a new caller does not join the aborted fetch');
    f.reject(new EverflowError('cancelled', 'The request was cancelled.'));
    f.resolve(4);
    assert.deepEqual(await p3, { id: 'a', n: 4 });
    await tick();
    assert.deepEqual(c.get('a'), { state: 'hit', value: { id: 'a', n: 4 } }, 'the aborted fetch left nothing behind');
  });

  it('ignores an abort that comes after the answer', async () => {
    const c = cache();
    const f = controllableFetch();
    const h = new AbortController();
    const p = c.getOrFetch('a', f.fetch, { signal: h.signal });
    f.resolve(1);
    assert.deepEqual(await p, { id: 'a', n: 1 });
    h.abort();
    assert.equal(f.signals[0].aborted, false);
  });

  it('does not count peekInFlight as a waiter', async () => {
    const c = cache();
    const f = controllableFetch();
    const h = new AbortController();
    const p = c.getOrFetch('a', f.fetch, { signal: h.signal });
    const peeked = c.peekInFlight('a');
    assert.ok(peeked);
    h.abort();
    await assert.rejects(p, { reason: 'cancelled' });
    assert.equal(f.signals[0].aborted, true);
    f.reject(new EverflowError('cancelled', 'The request was cancelled.'));
    await assert.rejects(peeked, { reason: 'cancelled' });
  });
});
