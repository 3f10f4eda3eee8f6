import { UTC_TIMEZONE_ID } from '../timezones';
import { formatWallSeconds } from '../wallClock';
import type { Conversion, ConversionRequest } from './types';

// Which conversions belong to one click, and which request fetches them. A click's conversions are
// those carrying its transaction_id within [click time, click time + attribution window], the window
// capped at now. A hover runs over many clicks of the same offer on the same day, so instead of one
// request per click the request covers the click's whole UTC day plus the window ("a bucket"): every
// click of that offer and day reads its answer from the same fetch.

export const DAY_SECONDS = 86_400;
/** Everflow's conversion report reaches back this far and no further. */
export const REPORT_DAYS = 365;
export const DEFAULT_ATTRIBUTION_DAYS = 30;
export const MAX_ATTRIBUTION_DAYS = 365;

/** Epoch seconds, UTC, both inclusive. */
export interface ConversionWindow {
  fromS: number;
  toS: number;
  /** The window would reach past now and was cut there: conversions may still come. */
  open: boolean;
}

/** The attribution setting as a whole number of days within 1…365 (default for anything unusable). */
export function attributionDays(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) return DEFAULT_ATTRIBUTION_DAYS;
  return Math.min(MAX_ATTRIBUTION_DAYS, Math.floor(value));
}

/** [click, click + days], capped at now. */
export function attributionWindow(clickS: number, days: number, nowMs: number): ConversionWindow {
  const nowS = Math.floor(nowMs / 1000);
  const end = clickS + days * DAY_SECONDS;
  return { fromS: clickS, toS: Math.min(end, nowS), open: end > nowS };
}

export interface ConversionBucket {
  /** Same key, same request: clicks of one offer on one UTC day share it. */
  key: string;
  /** What the request covers (UTC day start … day end + attribution, capped at now and at 365 days back). */
  window: ConversionWindow;
  request: ConversionRequest;
}

/**
 * The request covering every click of `offerId` on the UTC day of `clickS`, attribution included.
 * `offerId` 0 (unknown) asks without the offer filter.
 */
export function bucketFor(clickS: number, offerId: number, days: number, nowMs: number): ConversionBucket {
  const nowS = Math.floor(nowMs / 1000);
  const dayStart = Math.floor(clickS / DAY_SECONDS) * DAY_SECONDS;
  // A day ahead of the report's reach is still asked from its start; before it only the reachable part.
  const earliest = nowS - REPORT_DAYS * DAY_SECONDS + DAY_SECONDS;
  const fromS = Math.min(Math.max(dayStart, Math.ceil(earliest / DAY_SECONDS) * DAY_SECONDS), nowS);
  const end = dayStart + (days + 1) * DAY_SECONDS - 1;
  const toS = Math.max(fromS, Math.min(end, nowS));
  const offer = Number.isInteger(offerId) && offerId > 0 ? offerId : 0;
  const request: ConversionRequest = {
    from: formatWallSeconds(fromS),
    to: formatWallSeconds(toS),
    timezone_id: UTC_TIMEZONE_ID,
    show_conversions: true,
    show_events: true,
  };
  if (offer) request.query = { filters: [{ resource_type: 'offer', filter_id_value: String(offer) }] };
  return { key: `${offer}|${dayStart}|${days}`, window: { fromS, toS, open: end > nowS }, request };
}

/**
 * Whether a fetch that covered `covered` answers for `window`. An open window's end is "now", which
 * moves on: a fetch of an open bucket still answers for clicks made before it ran (the cache keeps it
 * only briefly, so conversions since then show up soon), but not for a click made after it.
 */
export function covers(covered: ConversionWindow, window: ConversionWindow): boolean {
  if (covered.fromS > window.fromS) return false;
  return covered.toS >= window.toS || (covered.open && window.fromS <= covered.toS);
}

/**
 * The click's conversions and events, oldest first: its transaction id, within the window. A
 * conversion whose time is missing (0) is kept when its id matches: it is the click's all the same.
 */
export function conversionsOfClick(rows: readonly Conversion[], transactionId: string, window?: ConversionWindow): Conversion[] {
  const id = transactionId.toLowerCase();
  const out = rows.filter((c) => {
    if (c.transaction_id.toLowerCase() !== id) return false;
    const t = c.conversion_unix_timestamp;
    return !window || !(t > 0) || (t >= window.fromS && t <= window.toS);
  });
  return out.sort((a, b) => a.conversion_unix_timestamp - b.conversion_unix_timestamp || Number(a.is_event) - Number(b.is_event));
}

/** "45 s", "12 min", "3 h", "2 d": how long after the click, for the hover and the trace. */
export function formatDelay(seconds: number): string {
  if (!Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}
