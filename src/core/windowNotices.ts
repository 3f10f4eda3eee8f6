import { chunkWindow, pieceOf, type Piece } from './windowChunks';
import { formatTimestamp } from './format';
import { formatDuration } from './validation';
import { parseEverflowDate } from './wallClock';

// What a person should be told about a window before its clicks are read: that it is longer than
// Everflow's 14 days and runs as several requests, and that it reaches back past the raw-data
// retention, where only converted clicks are left. Pure, so the stream runner, the grid banner and
// the unit tests agree on both.

/** Everflow keeps raw clicks for about three months; converted clicks are kept for good. */
export const RAW_RETENTION_DAYS = 90;

export interface WindowPlan {
  /** The ≤ 14-day pieces the window runs as (one when it fits). */
  chunks: Piece[];
  /** Wall-clock length of the window, `to` inclusive, in seconds. */
  seconds: number;
}

/** How a window runs: as itself, or cut into consecutive chunks of at most 14 days in `zone`. */
export function planWindow(req: { from: string; to: string }, zone: string): WindowPlan {
  const from = parseEverflowDate(req.from.trim());
  const to = parseEverflowDate(req.to.trim());
  const wall = (p: NonNullable<typeof from>) => Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) / 1000;
  const seconds = from && to ? wall(to) - wall(from) + 1 : 0;
  return { chunks: chunkWindow(req, zone), seconds };
}

/** "The window is 20 days long; Everflow allows 14, so it runs as 2 requests of at most 14 days each." */
export function chunkNotice(plan: WindowPlan): string | undefined {
  if (plan.chunks.length < 2) return undefined;
  return `The window is ${formatDuration(plan.seconds)} long; Everflow allows at most 14 days per request, so it runs as ${plan.chunks.length} requests of at most 14 days each.`;
}

/** The instant (epoch seconds) before which only converted clicks are kept, as of `nowMs`. */
export function retentionStart(nowMs: number): number {
  return Math.floor(nowMs / 1000) - RAW_RETENTION_DAYS * 86_400;
}

/**
 * A warning when the window starts before the raw-data retention, naming the date in the window's
 * zone; undefined when it does not (or its `from` cannot be read).
 */
export function retentionWarning(req: { from: string; to: string }, zone: string, nowMs: number = Date.now()): string | undefined {
  let fromSec: number;
  try {
    fromSec = pieceOf({ from: req.from, to: req.from }, zone).fromSec;
  } catch {
    return undefined;
  }
  const cutoff = retentionStart(nowMs);
  if (fromSec >= cutoff) return undefined;
  const when = formatTimestamp(cutoff, zone).slice(0, 10);
  return `This window reaches back past Everflow's 3-month raw-click retention: before ${when} (${zone}) only clicks that converted are kept, so clicks without a conversion are missing there.`;
}

/**
 * Everything worth saying about a window before it runs: how many requests it takes when it is over
 * 14 days, and the retention warning when it reaches back past three months. Empty when neither
 * applies or the window cannot be read (the validation names that problem).
 */
export function windowNotes(req: { from: string; to: string }, zone: string, nowMs: number = Date.now()): string[] {
  const notes: string[] = [];
  try {
    const chunks = chunkNotice(planWindow(req, zone));
    if (chunks) notes.push(chunks);
  } catch {
    return [];
  }
  const warning = retentionWarning(req, zone, nowMs);
  if (warning) notes.push(warning);
  return notes;
}
