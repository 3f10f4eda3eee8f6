import { attributionWindow, bucketFor, conversionsOfClick, type ConversionWindow } from '../core/conversions/clickWindow';
import { ConversionCache } from '../core/conversions/conversionCache';
import type { Conversion, ConversionRequest, ConversionResult } from '../core/conversions/types';
import { cancelledError, describeError, isEverflowError } from '../core/errors';
import type { Priority } from '../core/limiter';
import type { Click } from '../core/types';

// Conversions of single clicks, for the hover line and Trace Click. One conversion query per offer
// and UTC day (src/core/conversions/clickWindow.ts), cached per account (cleared when the account or
// host changes), at hover priority through the shared limiter. When the account cannot read its
// conversions (403), or Everflow refuses the request (400), or it fails after the client's retries,
// the user is told ONCE why, hovers leave the line out, and no request is sent again for a while
// (for a 403: until the account changes), so a log full of ids does not hammer a closed door.

/** Progress of a paged fetch (fetchConversions' ConversionPaging). */
export interface PageProgress {
  page: number;
  pages: number;
  rows: number;
  totalCount: number;
}

export interface FetcherOptions {
  priority: Priority;
  signal?: AbortSignal;
  /** The most pages to read (fetchConversions' hard limit). */
  maxPages?: number;
  onPage?: (p: PageProgress) => void;
}

/** fetchConversions bound to the extension's client (src/core/conversions/fetch.ts). */
export type ConversionFetcher = (request: ConversionRequest, opts: FetcherOptions) => Promise<ConversionResult>;

export interface ClickConversions {
  /** The click's conversions and events in the window, oldest first. */
  conversions: Conversion[];
  window: ConversionWindow;
  days: number;
  /** The whole bucket's answer (its exchanges are the raw responses). */
  result: ConversionResult;
}

export type ConversionPeekState = { state: 'ready'; value: ClickConversions } | { state: 'pending' } | { state: 'miss' } | { state: 'unreadable'; why: string };

/** How long conversions stay unasked after a 400 or a failure (a 403 lasts until the account changes). */
const BLOCK_MS = 5 * 60_000;
const FOREVER = Number.POSITIVE_INFINITY;

export interface ConversionLookupsOptions {
  fetcher: ConversionFetcher;
  /** The attribution setting, read on every use. */
  days: () => number;
  /** Tells the user (once per reason and account) why conversions cannot be shown. */
  notify: (message: string) => void;
  log: (message: string) => void;
  now?: () => number;
}

export class ConversionLookups {
  private readonly cache: ConversionCache;
  private readonly now: () => number;
  private blocked: { until: number; why: string } | undefined;
  private readonly told = new Set<string>();
  /** Every message shown to the user, in order (the extension's API exposes them to tests). */
  readonly notices: string[] = [];

  constructor(private readonly opts: ConversionLookupsOptions) {
    this.now = opts.now ?? (() => Date.now());
    this.cache = new ConversionCache({ max: 200, ttlMs: 30 * 60_000, openTtlMs: 5 * 60_000, now: this.now });
  }

  /** Capped fetches started outside the cache. */
  private cappedFetches = 0;

  /** Fetches started so far (tests compare it with the sandbox's count). */
  get fetches(): number {
    return this.cache.fetches + this.cappedFetches;
  }

  /** What is known for `click` now, without sending anything. */
  peek(click: Click): ConversionPeekState {
    const why = this.blockedWhy();
    if (why) return { state: 'unreadable', why };
    const plan = this.plan(click);
    const known = this.cache.peek(plan.bucket, plan.need);
    if (known.state === 'hit') return { state: 'ready', value: this.answer(click, plan, known.value.result) };
    return { state: known.state };
  }

  /**
   * The click's conversions: cached, joined to a running fetch, or fetched. Rejects with the
   * EverflowError when they cannot be read (and remembers that, see the top of the file).
   * `signal` ends this caller's wait only: the fetch goes on for the cache.
   */
  async forClick(click: Click, opts: { priority?: Priority; signal?: AbortSignal; maxPages?: number } = {}): Promise<ClickConversions> {
    const why = this.blockedWhy();
    if (why) throw new Error(why);
    const plan = this.plan(click);
    const priority = opts.priority ?? 'interactive';
    if (opts.maxPages !== undefined && this.cache.peek(plan.bucket, plan.need).state === 'miss') {
      // A page limit the caller promised: fetched outside the cache, so no hover joins (and trusts) an
      // answer the limit may cut short; kept for them only when it turned out whole.
      this.cappedFetches++;
      const fetchedAtMs = this.now();
      const result = await this.fetch(plan.bucket.request, { priority, signal: opts.signal, maxPages: opts.maxPages });
      this.cache.put(plan.bucket, result, fetchedAtMs);
      return this.answer(click, plan, result);
    }
    const pending = this.cache.get(plan.bucket, plan.need, (request) => this.fetch(request, { priority }));
    const cached = await (opts.signal ? abortable(pending, opts.signal) : pending);
    return this.answer(click, plan, cached.result);
  }

  /** A fetch outside the cache (the trace's 365-day search), with the same failure handling. */
  async search(request: ConversionRequest, opts: { priority?: Priority; signal?: AbortSignal; onPage?: (p: PageProgress) => void } = {}): Promise<ConversionResult> {
    return this.fetch(request, { priority: opts.priority ?? 'interactive', signal: opts.signal, onPage: opts.onPage });
  }

  /** The account or host changed: forget answers, blocks and what the user was told. */
  clear(): void {
    this.cache.clear();
    this.blocked = undefined;
    this.told.clear();
  }

  private plan(click: Click): { bucket: ReturnType<typeof bucketFor>; need: ConversionWindow; days: number } {
    const days = this.opts.days();
    const nowMs = this.now();
    return { bucket: bucketFor(click.unix_timestamp, click.relationship.offer.network_offer_id, days, nowMs), need: attributionWindow(click.unix_timestamp, days, nowMs), days };
  }

  private answer(click: Click, plan: { need: ConversionWindow; days: number }, result: ConversionResult): ClickConversions {
    return { conversions: conversionsOfClick(result.rows, click.transaction_id, plan.need), window: plan.need, days: plan.days, result };
  }

  private blockedWhy(): string | undefined {
    if (this.blocked && this.now() < this.blocked.until) return this.blocked.why;
    this.blocked = undefined;
    return undefined;
  }

  private async fetch(request: ConversionRequest, opts: FetcherOptions): Promise<ConversionResult> {
    try {
      return await this.opts.fetcher(request, opts);
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  private failed(error: unknown): void {
    if (isEverflowError(error) && (error.reason === 'cancelled' || error.reason === 'invalidRequest' || error.reason === 'unauthorized')) return;
    const reason = isEverflowError(error) ? error.reason : 'other';
    const said = describeError(error);
    let why: string;
    let until: number;
    if (reason === 'forbidden') {
      why = "Everflow does not let this account read its conversion report (403 Forbidden): the network has not given this partner access. Clicks are shown as before; hovers leave out the conversion line until you switch accounts.";
      until = FOREVER;
    } else if (reason === 'badRequest') {
      why = `Everflow refused the conversion report request (400): ${said} Hovers leave out the conversion line for 5 minutes.`;
      until = this.now() + BLOCK_MS;
    } else {
      why = `Conversions could not be read: ${said} Hovers leave out the conversion line for 5 minutes.`;
      until = this.now() + BLOCK_MS;
    }
    this.blocked = { until, why };
    this.opts.log(`Conversion look-up failed (${reason}): ${said}`);
    if (this.told.has(reason)) return;
    this.told.add(reason);
    this.notices.push(why);
    this.opts.notify(why);
  }
}

/** `promise`, or a cancelled error when `signal` aborts first. The promise goes on either way. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}
