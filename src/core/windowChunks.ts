import { formatTimestamp } from './format';
import type { StreamRequest } from './types';
import { instantOfWall, instantsShowing, MAX_WINDOW_SECONDS, parseWallSeconds, wallAt, zoneOffsetSeconds } from './wallClock';

// Cutting a window into pieces whose boundaries Everflow reads the same way we do: a piece's `to` is the
// next piece's `from` minus one second on the wall clock of the request's zone as well as in real time
// (see `boundaryOk`), so the pieces together cover exactly what Everflow reads for the whole window,
// daylight saving included. Fetch all (fetchAll.ts) splits capped ranges with it; windows over
// Everflow's 14-day limit run as consecutive chunks of at most that (`chunkWindow`).

/** `from`/`to` as sent (wall clock in the zone), `fromSec`/`toSec` the instants they name, inclusive. */
export interface Piece {
  from: string;
  to: string;
  fromSec: number;
  toSec: number;
}

/**
 * Whether a piece may start at instant `b` (the previous one ending at b − 1). The two wall
 * seconds must be consecutive, each must name its instant as read above, and both or neither may
 * be in a repeated hour. That rules out the edges of a repeated or skipped hour: with `to`
 * 01:59:59 and `from` 02:00:00 around a fall-back, a server reading the earlier 01:59:59 skips the
 * whole second 1 o'clock hour. Inside a repeated hour, pieces stay contiguous whichever occurrence
 * a server picks, as long as it picks the same one for both strings.
 *
 * What wall-clock windows cannot do: address the second pass of a repeated hour on its own. A
 * server reading 01:30 as the first pass returns the second pass only inside a window spanning
 * 01:59:59 → 02:00:00, so when that hour alone holds more than the cap, that two-second piece stays
 * capped and the fetch is incomplete (a server picking the later pass has the mirror problem).
 */
export function boundaryOk(b: number, zone: string): boolean {
  const o = zoneOffsetSeconds(b, zone);
  if (zoneOffsetSeconds(b - 172_800, zone) === o && zoneOffsetSeconds(b + 172_800, zone) === o) return true;
  const w0 = wallAt(b - 1, zone);
  const w1 = wallAt(b, zone);
  if (w1 - w0 !== 1) return false;
  const i0 = instantsShowing(w0, zone);
  const i1 = instantsShowing(w1, zone);
  return i0[0] === b - 1 && i1[0] === b && i0.length === i1.length;
}

/** The valid boundary in (lo, hi] nearest `b`, or nearest on one side of it; undefined if none within 3 hours. */
export function snapBoundary(b: number, lo: number, hi: number, zone: string, side: 'nearest' | 'before' | 'after' = 'nearest'): number | undefined {
  for (let d = 0; d <= 10_800; d++) {
    const down = b - d;
    const up = b + d;
    if (side !== 'after' && down > lo && down <= hi && boundaryOk(down, zone)) return down;
    if (side !== 'before' && up > lo && up <= hi && boundaryOk(up, zone)) return up;
    if ((side === 'after' || down <= lo) && (side === 'before' || up > hi)) return undefined;
  }
  return undefined;
}

export function pieceOf(req: Pick<StreamRequest, 'from' | 'to'>, zone: string): Piece {
  return { from: req.from.trim(), to: req.to.trim(), fromSec: instantOfWall(parseWallSeconds(req.from), zone), toSec: instantOfWall(parseWallSeconds(req.to), zone) };
}

/** Cuts `p` at the given starts of new pieces (ascending, valid): `p`'s own strings stay at its ends. */
export function cutAt(p: Piece, starts: number[], zone: string): Piece[] {
  const out: Piece[] = [];
  let from = p.from;
  let fromSec = p.fromSec;
  for (const b of starts) {
    out.push({ from, to: formatTimestamp(b - 1, zone), fromSec, toSec: b - 1 });
    from = formatTimestamp(b, zone);
    fromSec = b;
  }
  out.push({ from, to: p.to, fromSec, toSec: p.toSec });
  return out;
}

/**
 * Windows over Everflow's limit (14 days − 1 s of wall-clock time, `to` inclusive) as consecutive
 * chunks of at most that, each starting 14 calendar days after the last in the zone.
 */
export function chunkWindow(req: Pick<StreamRequest, 'from' | 'to'>, zone: string): Piece[] {
  const whole = pieceOf(req, zone);
  const starts: number[] = [];
  let startWall = parseWallSeconds(whole.from);
  const endWall = parseWallSeconds(whole.to);
  let prev = whole.fromSec;
  while (endWall - startWall > MAX_WINDOW_SECONDS) {
    const limit = startWall + MAX_WINDOW_SECONDS;
    let b = snapBoundary(instantOfWall(limit + 1, zone), prev, whole.toSec, zone, 'before');
    while (b !== undefined && wallAt(b - 1, zone) > limit) b = snapBoundary(b - 1, prev, whole.toSec, zone, 'before');
    if (b === undefined) throw new RangeError(`Cannot cut the window at ${formatTimestamp(prev, zone)} into 14-day chunks`);
    starts.push(b);
    prev = b;
    startWall = wallAt(b, zone);
  }
  return cutAt(whole, starts, zone);
}
