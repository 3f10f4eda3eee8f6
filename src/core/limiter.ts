import { cancelledError } from './errors';

// One limiter for every request the extension makes: Everflow's limit (5/s for affiliate keys) is
// per account, so a hover, a running stream and a key check all draw from the same budget.
//
// A sliding window over recorded start times, not a token bucket: a bucket refilled continuously
// allows `perSecond` starts plus whatever refilled meanwhile inside one second, which is exactly
// the burst the server counts as a violation.

export type Priority = 'normal' | 'interactive';

export interface RateLimiterOptions {
  perSecond: number;
  /** Monotonic milliseconds; injected by tests. */
  now?: () => number;
  /** Resolves after `ms`, or early when `signal` aborts (resolve or reject, either is fine). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

const WINDOW_MS = 1000;
/**
 * Starts are timed here but counted by the server on arrival; a little slack keeps network jitter
 * from squeezing two legal starts 1000 ms apart into one server-side second.
 */
const SLACK_MS = 20;

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
  private serverLimit: number | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Start times still inside the window, oldest first. */
  private readonly starts: number[] = [];
  private readonly normal: Waiter[] = [];
  private readonly interactive: Waiter[] = [];
  private pausedUntil = -Infinity;
  private lastContended: Priority = 'normal';
  private pumping = false;
  private wakeup: AbortController | undefined;

  constructor(opts: RateLimiterOptions) {
    this.configured = checkRate(opts.perSecond);
    this.now = opts.now ?? (() => performance.now());
    this.sleep = opts.sleep ?? defaultSleep;
  }

  /** Takes effect for the next start; queued waiters are re-timed at once. */
  setRate(perSecond: number): void {
    this.configured = checkRate(perSecond);
    this.wake();
  }

  /** Requests waiting for a slot (both lanes). */
  get queued(): number {
    return this.normal.length + this.interactive.length;
  }

  /**
   * Resolves when this caller may start a request. Within a lane, first come first served; an
   * interactive caller may overtake queued normal work, but while both lanes wait they alternate,
   * so hovers get at most half the slots of a running query and are never starved by it.
   */
  acquire(opts: { signal?: AbortSignal; priority?: Priority } = {}): Promise<void> {
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(cancelledError());
    const lane = opts.priority === 'interactive' ? this.interactive : this.normal;
    return new Promise<void>((resolve, reject) => {
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
      this.pump();
    });
  }

  /**
   * Feeds back `X-RateLimit-Limit` / `X-RateLimit-Remaining`. The server's limit caps the
   * configured rate (never raises it). `remaining === 0` means other users of the account used the
   * budget: nobody starts until a full window has passed, since when their window began is unknown.
   */
  noteHeaders(limit?: number, remaining?: number): void {
    if (limit !== undefined && Number.isFinite(limit) && limit > 0) this.serverLimit = limit;
    if (remaining !== undefined && remaining <= 0) this.pauseFor(WINDOW_MS);
    this.wake();
  }

  /** Holds every start (both lanes) for `ms`, e.g. after a 429. */
  pauseFor(ms: number): void {
    if (!(ms > 0)) return;
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.wake();
  }

  private effectiveRate(): number {
    return this.serverLimit === undefined ? this.configured : Math.min(this.configured, this.serverLimit);
  }

  /**
   * At most `capacity` starts per `windowMs`. For rates of 1/s or more the window is one second
   * and fractional rates round down (2.5/s → 2 per second) so no one-second window ever holds more
   * than the rate; below 1/s it is one start per 1/rate seconds.
   */
  private shape(): { capacity: number; windowMs: number } {
    const rate = this.effectiveRate();
    if (rate >= 1) return { capacity: Math.floor(rate), windowMs: WINDOW_MS + SLACK_MS };
    return { capacity: 1, windowMs: WINDOW_MS / rate + SLACK_MS };
  }

  /** Milliseconds until the next start is allowed; 0 when it is allowed now. */
  private delay(now: number): number {
    const { capacity, windowMs } = this.shape();
    while (this.starts.length > 0 && this.starts[0] <= now - windowMs) this.starts.shift();
    let wait = Math.max(0, this.pausedUntil - now);
    if (this.starts.length >= capacity) {
      wait = Math.max(wait, this.starts[this.starts.length - capacity] + windowMs - now);
    }
    return wait;
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
        const wait = this.delay(now);
        if (wait <= 0) {
          this.grant(now);
          continue;
        }
        const wakeup = new AbortController();
        this.wakeup = wakeup;
        try {
          await this.sleep(wait, wakeup.signal);
        } catch {
          // An injected sleep may reject when woken; the loop re-checks either way.
        }
        this.wakeup = undefined;
      }
    } finally {
      this.pumping = false;
    }
  }

  private wake(): void {
    this.wakeup?.abort();
  }

  private grant(now: number): void {
    let lane: Waiter[];
    if (this.normal.length > 0 && this.interactive.length > 0) {
      this.lastContended = this.lastContended === 'interactive' ? 'normal' : 'interactive';
      lane = this.lastContended === 'interactive' ? this.interactive : this.normal;
    } else {
      lane = this.interactive.length > 0 ? this.interactive : this.normal;
    }
    const waiter = lane.shift()!;
    this.starts.push(now);
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve();
  }
}

function checkRate(perSecond: number): number {
  if (!Number.isFinite(perSecond) || perSecond <= 0) {
    throw new RangeError(`The request rate must be a positive number of requests per second; got ${perSecond}.`);
  }
  return perSecond;
}
