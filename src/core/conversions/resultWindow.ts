import { formatWallSeconds, parseEverflowDate, wallAt, wallSeconds } from '../wallClock';

// The conversion report's window for a grid's result ("Add Conversions"): the result's own window with
// its end moved later by the attribution window, so a click near the end still has its days to
// convert; never past now, never before Everflow's 365-day horizon, never longer than one request may
// cover. Wall-clock times in the result's zone, as its request was written.

const DAY = 86_400;
/** The report reaches back 365 days; a minute's margin for the time between this and the request. */
const LOOKBACK = 365 * DAY - 60;
/** At most one year per request: 365 days is within it whatever the calendar year. */
const MAX_SPAN = 365 * DAY - 1;

export interface ResultConversionWindow {
  from: string;
  to: string;
  /** The result started before the 365-day horizon: its oldest clicks cannot be matched. */
  startClamped: boolean;
  /** The attribution window reached past now (or a year past `from`): conversions may still come. */
  endCapped: boolean;
}

/** Undefined when the result's window is unreadable or lies entirely before the horizon. */
export function resultConversionWindow(from: string, to: string, zone: string, days: number, nowMs: number): ResultConversionWindow | undefined {
  const f = parseEverflowDate(String(from).trim());
  const t = parseEverflowDate(String(to).trim());
  if (!f || !t) return undefined;
  const nowS = Math.floor(nowMs / 1000);
  const fromW = wallSeconds(f);
  const toW = wallSeconds(t);
  const earliest = wallAt(nowS - LOOKBACK, zone);
  const start = Math.max(fromW, earliest);
  const wanted = toW + Math.max(0, Math.floor(days)) * DAY;
  const end = Math.min(wanted, wallAt(nowS, zone), start + MAX_SPAN);
  if (end < start) return undefined;
  return { from: formatWallSeconds(start), to: formatWallSeconds(end), startClamped: start > fromW, endCapped: end < wanted };
}
