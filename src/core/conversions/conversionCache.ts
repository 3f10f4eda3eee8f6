import type { ConversionBucket, ConversionWindow } from './clickWindow';
import { covers } from './clickWindow';
import type { ConversionResult, ConversionRequest } from './types';

// Conversion answers per bucket (offer × UTC day × attribution days, see clickWindow.ts), so hovers
// over many clicks of one offer and day cost one request. A bucket whose window is still open (it
// reaches now) is kept only briefly, since conversions keep arriving; a closed one longer. Callers
// asking while a fetch runs share it. Failures are not kept here: the host decides what a 403 means
// for the account. One cache per account: the host clears it when the account or host changes.

export interface CachedConversions {
  result: ConversionResult;
  /** What the fetch covered. */
  covered: ConversionWindow;
  fetchedAtMs: number;
}

export type ConversionPeek = { state: 'hit'; value: CachedConversions } | { state: 'pending'; promise: Promise<CachedConversions> } | { state: 'miss' };

export interface ConversionCacheOptions {
  /** Buckets kept; the least recently used goes first. */
  max: number;
  /** How long a closed window's answer is kept. */
  ttlMs: number;
  /** How long an open window's answer is kept. */
  openTtlMs: number;
  /** Wall-clock milliseconds (default Date.now): windows are wall-clock too. */
  now?: () => number;
}

export type ConversionFetch = (request: ConversionRequest) => Promise<ConversionResult>;

export class ConversionCache {
  private readonly entries = new Map<string, CachedConversions>();
  private readonly inFlight = new Map<string, Promise<CachedConversions>>();
  private readonly now: () => number;
  private generation = 0;
  /** Requests started, for tests and the log. */
  fetches = 0;

  constructor(private readonly opts: ConversionCacheOptions) {
    this.now = opts.now ?? (() => Date.now());
  }

  /** What is known for the bucket without asking: an answer that covers `need`, a fetch under way, or nothing. */
  peek(bucket: ConversionBucket, need: ConversionWindow): ConversionPeek {
    const entry = this.fresh(bucket.key, need);
    if (entry) return { state: 'hit', value: entry };
    const flight = this.inFlight.get(bucket.key);
    return flight ? { state: 'pending', promise: flight } : { state: 'miss' };
  }

  /** The cached answer covering `need`, or the running fetch, or a new one. */
  get(bucket: ConversionBucket, need: ConversionWindow, fetch: ConversionFetch): Promise<CachedConversions> {
    const known = this.peek(bucket, need);
    if (known.state === 'hit') return Promise.resolve(known.value);
    if (known.state === 'pending') return known.promise;
    return this.start(bucket, fetch);
  }

  /** Keeps a whole answer fetched outside the cache (a capped fetch that turned out complete). */
  put(bucket: ConversionBucket, result: ConversionResult, fetchedAtMs: number): void {
    if (result.partial || result.capped) return;
    this.keep(bucket.key, { result, covered: bucket.window, fetchedAtMs });
  }

  clear(): void {
    this.entries.clear();
    this.inFlight.clear();
    this.generation++;
  }

  get size(): number {
    return this.entries.size;
  }

  private fresh(key: string, need: ConversionWindow): CachedConversions | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const ttl = entry.covered.open ? this.opts.openTtlMs : this.opts.ttlMs;
    // An open window fetched a while ago ends before a click made since: that click needs a new fetch.
    if (this.now() - entry.fetchedAtMs > ttl || !covers(entry.covered, need)) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-inserted: Map order is the LRU order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  private keep(key: string, value: CachedConversions): void {
    this.entries.set(key, value);
    while (this.entries.size > Math.max(1, this.opts.max)) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  private start(bucket: ConversionBucket, fetch: ConversionFetch): Promise<CachedConversions> {
    const generation = this.generation;
    const fetchedAtMs = this.now();
    this.fetches++;
    let promise: Promise<CachedConversions>;
    try {
      promise = fetch(bucket.request).then((result) => ({ result, covered: bucket.window, fetchedAtMs }));
    } catch (e) {
      promise = Promise.reject(e);
    }
    this.inFlight.set(bucket.key, promise);
    promise.then(
      (value) => {
        if (this.inFlight.get(bucket.key) === promise) this.inFlight.delete(bucket.key);
        // A Cancel- or cap-shortened answer is not the whole bucket: not kept.
        if (generation !== this.generation || value.result.partial || value.result.capped) return;
        this.keep(bucket.key, value);
      },
      () => {
        if (this.inFlight.get(bucket.key) === promise) this.inFlight.delete(bucket.key);
      },
    );
    return promise;
  }
}
