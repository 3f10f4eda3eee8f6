import { cancelledError } from './errors';

// One limiter for every request the extension makes. Everflow limits the customer, not the key: one
// bucket per account, shared by every key, user and tool (Everflow's own AI-agent server included),
// refilled every 30 seconds, at most 5 requests a second. `X-RateLimit-Limit` is the bucket's size per
// window and `X-RateLimit-Remaining` what is left of it; when it is empty every request gets 429 until
// the window resets. The reset time is not sent, so it is estimated here.
//
// Two rules, both enforced before a request starts:
//  1. Pacing: at most `perSecond` starts in any one second (a sliding window over recorded starts, not
//     a token bucket, which would allow a burst the server counts as a violation).
//  2. The bucket: what the server says remains is spread over what is left of the window, so a bucket
//     another tool nearly emptied lasts until the reset instead of being spent at once; after a 429 or
//     `Remaining: 0` nobody starts until the window is expected to be fresh, then ONE request goes out
//     as a probe and the rest wait for its answer (no storm of retries into an empty bucket).
//
// The window's phase: `windowStart` is always a LATEST bound on when the current window began (the
// time of the first answer seen in it, or of the answer where Remaining jumped back up), so the
// estimated reset `windowStart + windowMs` is never earlier than the real one. Answers seen densely
// across a reset (a running Fetch all) pin it to within one request.

export type Priority = 'normal' | 'interactive';

export interface RateLimiterOptions {
  perSecond: number;
  /** The server's window; Everflow's is 30 s. Tests against a short-window sandbox pass theirs. */
  windowMs?: number;
  /** Monotonic milliseconds; injected by tests. */
  now?: () => number;
  /** Resolves after `ms`, or early when `signal` aborts (resolve or reject, either is fine). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What `acquire` hands out; give it back to `settle` with what the server answered. */
export interface Grant {
  readonly id: number;
  /** The one request sent to find out whether an exhausted bucket has been refilled. */
  readonly probe: boolean;
  /** When it was granted, on the limiter's clock. */
  readonly at: number;
}

/** What one attempt learned from the server; every field is optional (a network failure has none). */
export interface Outcome {
  status?: number;
  limit?: number;
  remaining?: number;
  /** A `Retry-After` the server sent, in ms. Not documented by Everflow, honoured when present. */
  retryAfterMs?: number;
}

/** The limiter's waiting state, for progress reporters: what they show while starts are held. */
export interface WaitState {
  /** Milliseconds until starts are expected to resume. */
  remainingMs: number;
  /** Why: the account's bucket is empty (429 / Remaining 0 / Retry-After). */
  reason: 'bucketEmpty';
}

interface Waiter {
  resolve: (g: Grant) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export const DEFAULT_WINDOW_MS = 30_000;
const SECOND_MS = 1000;
/**
 * Starts are timed here but counted by the server on arrival; a little slack keeps network jitter
 * from squeezing two legal starts 1000 ms apart into one server-side second.
 */
const SLACK_MS = 20;
/** Waited past an estimated reset, for the same reason. */
const RESET_SLACK_MS = 100;
/** Waits shorter than this are pacing, not worth a "used up" message. */
const VISIBLE_WAIT_MS = 1500;

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export class RateLimiter {
  private configured: number;
  private windowMs: number;
  /**
   * The window as observed: refills seen closer together than `windowMs` (a server counting per
   * second, as some do) shorten it; a failed probe puts it back.
   */
  private period: number;
  private lastRefillAt: number | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Start times still inside the one-second window, oldest first. */
  private readonly starts: number[] = [];
  private readonly normal: Waiter[] = [];
  private readonly interactive: Waiter[] = [];
  private lastContended: Priority = 'normal';
  private pumping = false;
  private wakeup: AbortController | undefined;
  private nextId = 1;
  private lastStart = -Infinity;

  // What the server said about the bucket.
  private limit: number | undefined;
  private remaining: number | undefined;
  private remainingAt = -Infinity;
  /** Starts since `remaining` was read (they are not in it yet). */
  private startsSince = 0;
  /** A latest bound on when the current window began; undefined until the first answer. */
  private windowStart: number | undefined;
  /** No start before this (bucket empty, Retry-After, pauseFor). */
  private heldUntil = -Infinity;
  private holdVisible = false;
  /** When the bucket was first seen empty in this episode; undefined while it is not empty. */
  private emptySince: number | undefined;
  /** The next start is a probe (the bucket was empty). */
  private probeNext = false;
  private probe: { id: number; at: number } | undefined;
  /** Grants not settled yet (id → start): the server may not have counted them in the last Remaining. */
  private readonly unsettled = new Map<number, number>();
  private readonly listeners = new Set<(state: WaitState | undefined) => void>();
  private lastNotified: number | undefined;

  constructor(opts: RateLimiterOptions) {
    this.configured = checkRate(opts.perSecond);
    this.windowMs = checkWindow(opts.windowMs ?? DEFAULT_WINDOW_MS);
    this.period = this.windowMs;
    this.now = opts.now ?? (() => performance.now());
    this.sleep = opts.sleep ?? defaultSleep;
  }

  /** Takes effect for the next start; queued waiters are re-timed at once. */
  setRate(perSecond: number): void {
    this.configured = checkRate(perSecond);
    this.wake();
  }

  /** A new window length (Everflow changed its limits): what was learned of the old one is dropped. */
  setWindow(windowMs: number): void {
    const next = checkWindow(windowMs);
    if (next === this.windowMs) return;
    this.windowMs = next;
    this.period = next;
    this.lastRefillAt = undefined;
    this.windowStart = undefined;
    this.remaining = undefined;
    const now = this.now();
    if (this.holdVisible && this.heldUntil > now + next) this.heldUntil = now + next;
    this.changed();
  }

  /** Requests waiting for a slot (both lanes). */
  get queued(): number {
    return this.normal.length + this.interactive.length;
  }

  /**
   * Resolves when this caller may start a request. Within a lane, first come first served; an
   * interactive caller may overtake queued normal work, and is not held back by the spreading of a
   * low bucket (it may use what remains at once), but while both lanes are ready they alternate, so
   * hovers get at most half the slots of a running query and are never starved by it.
   */
  acquire(opts: { signal?: AbortSignal; priority?: Priority } = {}): Promise<Grant> {
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(cancelledError());
    const lane = opts.priority === 'interactive' ? this.interactive : this.normal;
    return new Promise<Grant>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = lane.indexOf(waiter);
          if (i >= 0) lane.splice(i, 1);
          reject(cancelledError());
          // The pump may be sleeping for this waiter alone; let it notice the queue emptied.
          this.wake();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      lane.push(waiter);
      // The loop may be asleep for the other lane's (longer) wait.
      if (this.pumping) this.wake();
      else this.pump();
    });
  }

  /** Reports what the attempt started under `grant` got back (call once per grant, also on failure). */
  settle(grant: Grant | undefined, outcome: Outcome): void {
    const now = this.now();
    // An answer to a request started before the bucket was seen empty says nothing about now.
    const stale = grant !== undefined && this.emptySince !== undefined && grant.at <= this.emptySince && (outcome.remaining ?? 0) > 0;
    if (!stale) this.observe(now, outcome.limit, outcome.remaining);
    if (outcome.status === 429) this.bucketEmpty(now, outcome.retryAfterMs);
    else if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > 0) this.holdUntil(now + Math.min(outcome.retryAfterMs, this.windowMs), true);
    if (grant && this.probe?.id === grant.id) this.probe = undefined;
    if (grant) this.unsettled.delete(grant.id);
    this.changed();
  }

  /** Feeds back `X-RateLimit-Limit` (per window) and `X-RateLimit-Remaining` outside of `settle`. */
  noteHeaders(limit?: number, remaining?: number): void {
    this.observe(this.now(), limit, remaining);
    this.changed();
  }

  /** Holds every start (both lanes) for `ms`. */
  pauseFor(ms: number): void {
    if (!(ms > 0)) return;
    this.holdUntil(this.now() + ms, ms >= VISIBLE_WAIT_MS);
    this.changed();
  }

  /** The server's bucket size per window, once an answer said it. */
  get windowLimit(): number | undefined {
    return this.limit;
  }

  /** Set while starts are held for the bucket to refill (long enough to tell a person about). */
  waitState(): WaitState | undefined {
    const ms = this.heldUntil - this.now();
    return this.holdVisible && ms > 0 ? { remainingMs: ms, reason: 'bucketEmpty' } : undefined;
  }

  /** Called when a wait starts, is extended or ends; returns an unsubscribe function. */
  onWaitChange(listener: (state: WaitState | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private observe(now: number, limit: number | undefined, remaining: number | undefined): void {
    if (limit !== undefined && Number.isFinite(limit) && limit > 0) this.limit = limit;
    if (remaining === undefined || !Number.isFinite(remaining) || remaining < 0) return;
    const fresh = this.remainingFresh(now);
    const expected = fresh ? Math.max(0, this.remaining! - this.startsSince) : undefined;
    // Only other users spend the bucket, so more than expected means it was refilled since the last
    // answer. Answers to concurrent requests arrive out of order (by at most the requests in flight),
    // hence the margin.
    const margin = Math.max(2, this.unsettled.size + 1);
    // A small bucket refills by less than the margin: one that is (nearly) full again counts too.
    const full = this.limit !== undefined && remaining >= this.limit - this.unsettled.size - 1;
    const refilled =
      (expected !== undefined && (remaining > expected + margin || (full && remaining > expected))) || (this.emptySince !== undefined && remaining > 0);
    if (refilled) this.learnPeriod(now);
    if (this.windowStart === undefined || refilled) this.windowStart = now;
    this.remaining = Math.floor(remaining);
    this.remainingAt = now;
    this.startsSince = 0;
    if (this.remaining <= 0) {
      this.bucketEmpty(now, undefined);
    } else {
      this.emptySince = undefined;
      this.probeNext = false;
      // The bucket has room again: anything held for it may go (a pauseFor hold stays).
      if (this.holdVisible && this.heldUntil > now) {
        this.heldUntil = now;
        this.holdVisible = false;
      }
    }
  }

  private learnPeriod(now: number): void {
    const gap = this.lastRefillAt === undefined ? undefined : now - this.lastRefillAt;
    // Two refills less than a window apart: the server's window is at most that long.
    if (gap !== undefined && gap >= 200 && gap < this.period * 0.9) this.period = gap;
    this.lastRefillAt = now;
  }

  /** A 429 or `Remaining: 0`: hold everyone until the window is expected to be fresh, then probe once. */
  private bucketEmpty(now: number, retryAfterMs: number | undefined): void {
    // An empty answer after the hold already ran out (a failed probe) starts a new episode: the
    // estimate was wrong or someone emptied the new window at once, and nothing more is known.
    if (this.emptySince === undefined || now >= this.heldUntil) {
      if (this.emptySince !== undefined) {
        this.windowStart = undefined;
        this.period = this.windowMs;
        this.lastRefillAt = undefined;
      }
      this.emptySince = now;
    }
    let until: number;
    if (retryAfterMs !== undefined && retryAfterMs > 0) {
      until = now + Math.min(retryAfterMs, this.windowMs);
    } else if (this.windowStart !== undefined && this.windowStart <= now) {
      until = this.nextReset(now) + RESET_SLACK_MS;
    } else {
      until = this.emptySince + this.period + RESET_SLACK_MS;
    }
    this.holdUntil(Math.min(until, now + this.windowMs + RESET_SLACK_MS), true);
    this.remaining = 0;
    this.remainingAt = now;
    this.startsSince = 0;
    this.probeNext = true;
  }

  private holdUntil(t: number, visible: boolean): void {
    if (t > this.heldUntil) {
      this.heldUntil = t;
      this.holdVisible = visible;
    }
  }

  /** The first estimated reset after `now` (windowStart is defined). */
  private nextReset(now: number): number {
    const start = this.windowStart!;
    return start + (Math.floor((now - start) / this.period) + 1) * this.period;
  }

  /** Whether the last Remaining still describes the current window (no reset estimated since). */
  private remainingFresh(now: number): boolean {
    if (this.remaining === undefined || this.windowStart === undefined) return false;
    return this.remainingAt >= this.nextReset(now) - this.period;
  }

  /**
   * At most `capacity` starts per `windowMs`. For rates of 1/s or more the window is one second
   * and fractional rates round down (2.5/s → 2 per second) so no one-second window ever holds more
   * than the rate; below 1/s it is one start per 1/rate seconds.
   */
  private shape(): { capacity: number; windowMs: number } {
    const rate = this.configured;
    if (rate >= 1) return { capacity: Math.floor(rate), windowMs: SECOND_MS + SLACK_MS };
    return { capacity: 1, windowMs: SECOND_MS / rate + SLACK_MS };
  }

  /** Milliseconds until the next start in `lane` is allowed; 0 when it is allowed now. */
  private delay(now: number, lane: Priority): number {
    const { capacity, windowMs } = this.shape();
    while (this.starts.length > 0 && this.starts[0] <= now - windowMs) this.starts.shift();
    let wait = Math.max(0, this.heldUntil - now);
    if (this.starts.length >= capacity) wait = Math.max(wait, this.starts[this.starts.length - capacity] + windowMs - now);
    // A probe is out: everyone else waits for its answer (bounded, in case it never reports).
    if (this.probe && now - this.probe.at < this.windowMs) return Math.max(wait, this.windowMs - (now - this.probe.at));
    if (this.remainingFresh(now)) {
      const left = this.remaining! - Math.max(this.startsSince, this.inFlight(now));
      const untilReset = this.nextReset(now) - now;
      if (left <= 0) {
        // Spent by our own starts whose answers are not in yet: wait for them or for the reset.
        wait = Math.max(wait, untilReset + RESET_SLACK_MS);
      } else if (lane === 'normal') {
        // Spread what is left over the rest of the window.
        wait = Math.max(wait, this.lastStart + untilReset / left - now);
      }
    }
    return Math.max(0, wait);
  }

  /** Unsettled grants; one that never settles stops counting after a window. */
  private inFlight(now: number): number {
    for (const [id, at] of this.unsettled) if (at <= now - this.windowMs) this.unsettled.delete(id);
    return this.unsettled.size;
  }

  private pump(): void {
    if (this.pumping) return; // the running loop picks new waiters up on its next pass
    this.pumping = true;
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      while (this.queued > 0) {
        const now = this.now();
        const dI = this.interactive.length > 0 ? this.delay(now, 'interactive') : Infinity;
        const dN = this.normal.length > 0 ? this.delay(now, 'normal') : Infinity;
        if (dI <= 0 || dN <= 0) {
          this.grant(now, dI <= 0, dN <= 0);
          continue;
        }
        this.changed();
        const wakeup = new AbortController();
        this.wakeup = wakeup;
        try {
          await this.sleep(Math.min(dI, dN), wakeup.signal);
        } catch {
          // An injected sleep may reject when woken; the loop re-checks either way.
        }
        this.wakeup = undefined;
      }
    } finally {
      this.pumping = false;
      this.changed();
    }
  }

  private wake(): void {
    this.wakeup?.abort();
  }

  private grant(now: number, interactiveReady: boolean, normalReady: boolean): void {
    let lane: Waiter[];
    if (interactiveReady && normalReady) {
      this.lastContended = this.lastContended === 'interactive' ? 'normal' : 'interactive';
      lane = this.lastContended === 'interactive' ? this.interactive : this.normal;
    } else {
      lane = interactiveReady ? this.interactive : this.normal;
    }
    const waiter = lane.shift()!;
    this.starts.push(now);
    this.lastStart = now;
    this.startsSince++;
    const id = this.nextId++;
    this.unsettled.set(id, now);
    const probe = this.probeNext;
    if (probe) {
      this.probeNext = false;
      this.probe = { id, at: now };
    }
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve({ id, probe, at: now });
  }

  /** Tells listeners when the visible hold starts, moves or ends. */
  private changed(): void {
    this.wake();
    const state = this.waitState();
    const until = state ? Math.round(this.heldUntil) : undefined;
    if (until === this.lastNotified) return;
    this.lastNotified = until;
    for (const l of this.listeners) {
      try {
        l(state);
      } catch {
        // A broken listener must not stop the limiter.
      }
    }
  }
}

function checkRate(perSecond: number): number {
  if (!Number.isFinite(perSecond) || perSecond <= 0) {
    throw new RangeError(`The request rate must be a positive number of requests per second; got ${perSecond}.`);
  }
  return perSecond;
}

function checkWindow(windowMs: number): number {
  if (!Number.isFinite(windowMs) || windowMs < 100) throw new RangeError(`The rate-limit window must be at least 100 ms; got ${windowMs}.`);
  return windowMs;
}
