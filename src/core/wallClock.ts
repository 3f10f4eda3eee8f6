// Wall-clock time, in one place: Everflow's `YYYY-MM-DD HH:MM:SS` strings, which it reads as the time
// on the clocks of the request's zone, and the arithmetic between those and real instants (zone
// offsets, daylight saving, the 14-day window limit). Validation, time windows, formatting, window
// splitting and the window notices all use this module; the test sandbox keeps an implementation of its
// own on purpose (test/sandbox/query.ts), so the two check each other.
//
// Two kinds of number appear: instants (epoch seconds, or epoch milliseconds where named `ms`) and wall
// seconds (the same fields read as if the zone were UTC: `Date.UTC(y, mo - 1, d, h, mi, s) / 1000`).
// A zone's offset at an instant is read from Intl once per UTC minute and cached: every offset change in
// the tz database since 1970 falls on a whole minute, so that is exact, and formatting 100,000 timestamps
// costs 100,000 map look-ups rather than 100,000 Intl calls.

/** A wall-clock time's fields (month 1–12). */
export interface WallTime {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

/** Everflow's window limit with `to` inclusive: 14 days less one second, in seconds. */
export const MAX_WINDOW_SECONDS = 14 * 86_400 - 1;

/** Everflow's date-time shape; its groups are year, month, day, hour, minute, second. */
export const EVERFLOW_DATE_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

export function daysInMonth(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** Parts of a `YYYY-MM-DD HH:MM:SS` string that names a real calendar second, else undefined. */
export function parseEverflowDate(s: string): WallTime | undefined {
  const m = EVERFLOW_DATE_RE.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) return undefined;
  return { y, mo, d, h, mi, s: sec };
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD HH:MM:SS` of wall seconds. The hot path of formatting (exports, the grid): no object made. */
export function formatWallSeconds(w: number): string {
  const d = new Date(w * 1000);
  const y = d.getUTCFullYear();
  const year = y >= 0 && y < 10_000 ? String(y).padStart(4, '0') : String(y);
  return `${year}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

export function formatEverflowDate(p: WallTime): string {
  return formatWallSeconds(wallSeconds(p));
}

/** Wall seconds of a wall time (see the top of this file). */
export function wallSeconds(p: WallTime): number {
  return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) / 1000;
}

/** The wall time of wall seconds; also normalises fields out of range (a 32nd day, hour 24). */
export function fromWallSeconds(t: number): WallTime {
  const d = new Date(t * 1000);
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds() };
}

/** Wall seconds of a `YYYY-MM-DD HH:MM:SS` string; throws RangeError for anything else. */
export function parseWallSeconds(s: string): number {
  const p = parseEverflowDate(s.trim());
  if (!p) throw new RangeError(`Not a YYYY-MM-DD HH:MM:SS date and time: "${s}"`);
  return wallSeconds(p);
}

// ---- zones ----------------------------------------------------------------------------------------

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(zone: string): Intl.DateTimeFormat {
  let f = offsetFormatters.get(zone);
  if (!f) {
    // Throws RangeError for an unknown zone, which is what callers should see.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(zone, f);
  }
  return f;
}

/** True when Intl knows the zone name. */
export function isValidZone(zone: string): boolean {
  try {
    offsetFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Offsets in seconds by zone, then by UTC minute. Bounded: a long export never grows it past a few MB. */
const offsetCache = new Map<string, Map<number, number>>();
const MAX_CACHED_MINUTES = 50_000;

/** The zone's offset from UTC, in seconds, during the UTC minute that holds the instant `unixSeconds`. */
export function zoneOffsetSeconds(unixSeconds: number, zone: string): number {
  const minute = Math.floor(unixSeconds / 60);
  let byMinute = offsetCache.get(zone);
  if (!byMinute) {
    byMinute = new Map();
    offsetCache.set(zone, byMinute);
  }
  const hit = byMinute.get(minute);
  if (hit !== undefined) return hit;
  const at = minute * 60;
  const parts: Record<string, number> = {};
  for (const p of offsetFormatter(zone).formatToParts(new Date(at * 1000))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const offset = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second) / 1000 - at;
  if (byMinute.size >= MAX_CACHED_MINUTES) byMinute.clear();
  byMinute.set(minute, offset);
  return offset;
}

/** Wall seconds in `zone` at the instant `t` (epoch seconds). */
export function wallAt(t: number, zone: string): number {
  return t + zoneOffsetSeconds(t, zone);
}

/** The wall time in `zone` at the instant `ms` (epoch milliseconds). */
export function wallTimeAt(ms: number, zone: string): WallTime {
  return fromWallSeconds(wallAt(Math.floor(ms / 1000), zone));
}

/** Every instant at which the zone's clock shows wall second `w`: two in a repeated hour, none in a skipped one. */
export function instantsShowing(w: number, zone: string): number[] {
  const offsets = new Set([zoneOffsetSeconds(w - 172_800, zone), zoneOffsetSeconds(w, zone), zoneOffsetSeconds(w + 172_800, zone)]);
  const out: number[] = [];
  for (const o of offsets) if (zoneOffsetSeconds(w - o, zone) === o && !out.includes(w - o)) out.push(w - o);
  return out.sort((a, b) => a - b);
}

/**
 * The instant (epoch seconds) wall second `w` names in `zone`: the earlier one in a repeated hour, as
 * the sandbox and Temporal's "compatible" rule read it; a time in a skipped hour moves forward by the gap.
 */
export function instantOfWall(w: number, zone: string): number {
  return instantsShowing(w, zone)[0] ?? w - zoneOffsetSeconds(w - 86_400, zone);
}

/** The instant (epoch milliseconds) at which `zone`'s clocks show `w`, read as instantOfWall does. */
export function instantOf(w: WallTime, zone: string): number {
  return instantOfWall(wallSeconds(w), zone) * 1000;
}

/** `YYYY-MM-DD HH:MM:SS` in `zone` at the instant `unixSeconds` (whole seconds). */
export function formatInstant(unixSeconds: number, zone: string): string {
  const t = Math.floor(unixSeconds);
  return formatWallSeconds(zone === 'UTC' || zone === 'Etc/UTC' ? t : wallAt(t, zone));
}
