import { LRUCache } from 'lru-cache';
import { cancelledError, isEverflowError } from './errors';

// Hovers ask for the same click again and again as the pointer moves over a log, and Everflow allows
// an account 5 requests a second in total. So answers are kept (LRU with a TTL, from lru-cache),
// "no such click" is kept for a shorter time (an id that is not a click stays one, but a click can
// appear a little after its id is logged), and callers asking for an id already being fetched share
// that one request. Other failures are never kept: a timeout or a 429 says nothing about the click.

export type CacheLookup<T> = { state: 'hit'; value: T } | { state: 'miss' } | { state: 'notFound' };

export interface LookupCacheOptions {
  /** Most entries kept (found and not found together). */
  max: number;
  /** How long a found click is kept; 0 keeps none. */
  ttlMs: number;
  /** How long "not found" is kept; 0 keeps none. */
  negativeTtlMs: number;
  /** Monotonic milliseconds (default `performance.now`); injected by tests. */
  now?: () => number;
}

export type LookupFetch<T> = (id: string, signal: AbortSignal) => Promise<T>;

type Entry<T> = { kind: 'hit'; value: T; at: number } | { kind: 'notFound'; error: unknown; at: number };

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  /** Callers still waiting; the fetch is aborted when the last one gives up. */
  waiters: number;
}

export class LookupCache<T> {
  private lru: LRUCache<string, Entry<T>>;
  private ttlMs: number;
  private negativeTtlMs: number;
  private readonly clock: () => number;
  private readonly inFlight = new Map<string, Flight<T>>();
  /** Bumped by `clear()` so fetches started before it do not refill the cache. */
  private generation = 0;

  constructor(opts: LookupCacheOptions) {
    const now = opts.now ?? (() => performance.now());
    // lru-cache reads a start time of 0 as "no TTL", so a clock that starts at 0 (as test clocks
    // do) would make the first entries immortal.
    this.clock = () => {
      const t = now();
      return t === 0 ? Number.MIN_VALUE : t;
    };
    this.ttlMs = checkTtl('ttlMs', opts.ttlMs);
    this.negativeTtlMs = checkTtl('negativeTtlMs', opts.negativeTtlMs);
    this.lru = this.createLru(checkMax(opts.max));
  }

  /** Looks in the cache only; a hit counts as a use for LRU order. */
  get(id: string): CacheLookup<T> {
    const entry = this.lru.get(id);
    if (entry === undefined) return { state: 'miss' };
    return entry.kind === 'hit' ? { state: 'hit', value: entry.value } : { state: 'notFound' };
  }

  /**
   * The cached click, or the result of `fetch`, shared with every other caller asking for `id`
   * meanwhile. A cached "not found" rejects with the error that first said so. `opts.signal` ends
   * this caller's wait with a `cancelled` error; the fetch itself is aborted only when no caller
   * is left waiting for it.
   */
  getOrFetch(id: string, fetch: LookupFetch<T>, opts: { signal?: AbortSignal } = {}): Promise<T> {
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(cancelledError());
    const entry = this.lru.get(id);
    if (entry?.kind === 'hit') return Promise.resolve(entry.value);
    if (entry?.kind === 'notFound') return Promise.reject(entry.error);
    const flight = this.inFlight.get(id) ?? this.start(id, fetch);
    return this.wait(id, flight, signal);
  }

  /** The running fetch for `id`, without joining it (so it does not keep the fetch alive). */
  peekInFlight(id: string): Promise<T> | undefined {
    return this.inFlight.get(id)?.promise;
  }

  /**
   * Applies new settings. Entries keep their age and LRU order, so a shorter TTL expires old
   * entries at once and a smaller `max` drops the least recently used.
   */
  resize(max: number, ttlMs: number, negativeTtlMs: number): void {
    const checkedMax = checkMax(max);
    this.ttlMs = checkTtl('ttlMs', ttlMs);
    this.negativeTtlMs = checkTtl('negativeTtlMs', negativeTtlMs);
    const old = this.lru;
    this.lru = this.createLru(checkedMax);
    // rkeys() runs least recently used first, so re-inserting in that order keeps the order; peek()
    // neither reorders nor returns expired entries.
    for (const id of old.rkeys()) {
      const entry = old.peek(id);
      if (entry !== undefined) this.store(id, entry);
    }
  }

  /** Forgets what is kept for `id` (found or not), so the next getOrFetch asks again. */
  forget(id: string): void {
    this.lru.delete(id);
  }

  /**
   * Forgets every entry, e.g. after the account changes. Running fetches go on for the callers
   * already waiting, but new callers start their own and the old results are not kept.
   */
  clear(): void {
    this.lru.clear();
    this.inFlight.clear();
    this.generation++;
  }

  private createLru(max: number): LRUCache<string, Entry<T>> {
    return new LRUCache<string, Entry<T>>({
      max,
      // Every entry is set with its own TTL (found and not found differ); this only turns TTL on.
      ttl: Math.max(this.ttlMs, this.negativeTtlMs, 1),
      // The default caches the clock for 1 ms behind a timer; an injected clock must be read as is.
      ttlResolution: 0,
      perf: { now: this.clock },
    });
  }

  private store(id: string, entry: Entry<T>): void {
    const ttl = entry.kind === 'hit' ? this.ttlMs : this.negativeTtlMs;
    if (ttl === 0 || this.clock() - entry.at > ttl) {
      this.lru.delete(id);
      return;
    }
    this.lru.set(id, entry, { ttl, start: entry.at });
  }

  private start(id: string, fetch: LookupFetch<T>): Flight<T> {
    const controller = new AbortController();
    const generation = this.generation;
    let promise: Promise<T>;
    try {
      promise = fetch(id, controller.signal);
    } catch (e) {
      promise = Promise.reject(e);
    }
    const flight: Flight<T> = { promise, controller, waiters: 0 };
    this.inFlight.set(id, flight);
    const settle = (): void => {
      if (this.inFlight.get(id) === flight) this.inFlight.delete(id);
    };
    promise.then(
      (value) => {
        settle();
        if (generation === this.generation) this.store(id, { kind: 'hit', value, at: this.clock() });
      },
      (error: unknown) => {
        settle();
        const notFound = isEverflowError(error) && error.reason === 'notFound';
        if (notFound && generation === this.generation) {
          this.store(id, { kind: 'notFound', error, at: this.clock() });
        }
      },
    );
    return flight;
  }

  private wait(id: string, flight: Flight<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) {
      flight.waiters++;
      return flight.promise.finally(() => flight.waiters--);
    }
    return new Promise<T>((resolve, reject) => {
      flight.waiters++;
      let waiting = true;
      const leave = (): void => {
        waiting = false;
        flight.waiters--;
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        if (!waiting) return;
        leave();
        reject(cancelledError());
        if (flight.waiters === 0) {
          // Nobody wants this answer any more: free the rate-limit slot, and let the next caller
          // start afresh rather than join a fetch that is being torn down.
          if (this.inFlight.get(id) === flight) this.inFlight.delete(id);
          flight.controller.abort();
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          if (!waiting) return;
          leave();
          resolve(value);
        },
        (error: unknown) => {
          if (!waiting) return;
          leave();
          reject(error);
        },
      );
    });
  }
}

function checkMax(max: number): number {
  if (!Number.isInteger(max) || max < 1) {
    throw new RangeError(`The look-up cache size must be a whole number of at least 1; got ${max}.`);
  }
  return max;
}

function checkTtl(name: string, ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`${name} must be a finite number of milliseconds, 0 or more; got ${ms}.`);
  }
  // lru-cache accepts whole milliseconds only; rounding up never expires an entry early.
  return Math.ceil(ms);
}
