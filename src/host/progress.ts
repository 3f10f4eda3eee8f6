import * as vscode from 'vscode';
import type { WaitState } from '../core/limiter';

/** What a progress notification needs of the rate limiter: whether it holds requests, and for how long. */
export interface RateLimitWaits {
  waitState(): WaitState | undefined;
  onWaitChange(listener: (state: WaitState | undefined) => void): () => void;
}

let waits: RateLimitWaits | undefined;

/**
 * Makes every cancellable progress (streams, Fetch all, bulk look-ups, key checks) say so while the
 * shared limiter holds requests for the account's rate-limit bucket to refill. Set once, at activation.
 */
export function watchRateLimit(source: RateLimitWaits, log?: (message: string) => void): vscode.Disposable {
  waits = source;
  let waiting = false;
  // One log line per wait (not per second of it), for the Output panel and for support.
  const unsubscribe = source.onWaitChange((state) => {
    if (state && !waiting) log?.(`${rateLimitWaitMessage(state.remainingMs)} (requests are held until then).`);
    waiting = state !== undefined;
  });
  return new vscode.Disposable(() => {
    unsubscribe();
    if (waits === source) waits = undefined;
  });
}

/** What the progress says while requests wait for the bucket; `ms` is the expected wait. */
export function rateLimitWaitMessage(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return `Everflow's rate limit is used up (shared with other tools on this account); resuming in ${seconds} s`;
}

/** The limiter's wait right now, for places without a progress notification (the hover). */
export function currentRateLimitWait(): WaitState | undefined {
  return waits?.waitState();
}

/** What a hover card says when its look-up waits for the bucket longer than a hover can. */
export function rateLimitHoverText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return `Everflow's rate limit is used up (shared with other tools on this account). This click is looked up in about ${seconds} s; hover again then.`;
}

type Report = { message?: string; increment?: number };

/**
 * Runs `task` under a cancellable notification, turning VS Code's cancellation token into the
 * AbortSignal the client understands, so Cancel ends waits and requests at once. While the rate
 * limiter holds requests, the notification counts down to when they resume, then shows the task's
 * own last message again.
 */
export function withCancellableProgress<T>(
  title: string,
  task: (signal: AbortSignal, progress: vscode.Progress<Report>) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    const countdown = new WaitCountdown(progress, waits);
    return task(controller.signal, countdown.progress)
      .finally(() => {
        subscription.dispose();
        countdown.dispose();
      });
  });
}

/** Puts the rate-limit wait into one progress notification, ticking once a second. */
class WaitCountdown {
  private lastMessage: string | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly unsubscribe: (() => void) | undefined;
  private showing = false;
  readonly progress: vscode.Progress<Report>;

  constructor(
    private readonly target: vscode.Progress<Report>,
    private readonly source: RateLimitWaits | undefined,
  ) {
    this.progress = {
      report: (value) => {
        if (value.message !== undefined) this.lastMessage = value.message;
        // While the wait is shown the task's message waits too; increments go through.
        if (this.showing) {
          if (value.increment) target.report({ increment: value.increment });
        } else {
          target.report(value);
        }
      },
    };
    this.unsubscribe = source?.onWaitChange(() => this.update());
    this.update();
  }

  private update(): void {
    const state = this.source?.waitState();
    if (state) {
      this.showing = true;
      this.target.report({ message: rateLimitWaitMessage(state.remainingMs) });
      this.timer ??= setInterval(() => this.update(), 1000);
      return;
    }
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.showing) {
      this.showing = false;
      this.target.report({ message: this.lastMessage ?? '' });
    }
  }

  dispose(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
