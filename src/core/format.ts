// Plain-text formatting of click values. The grid, the clipboard copies and the exports all show
// text only (never HTML), so everything here returns a string and nothing here escapes: escaping
// belongs to the one place that knows the target format (exporters.ts).
//
// Timestamps are formatted up to 100,000 at a time, and Intl's formatToParts costs microseconds per
// call, so the zone's UTC offset is cached per UTC minute: every offset change in the tz database
// since 1970 happens on a whole minute, so one Intl call per minute of data is exact.

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

/** Offsets in seconds by zone, then by UTC minute. Bounded: a long export never grows it past a few MB. */
const offsetCache = new Map<string, Map<number, number>>();
const MAX_CACHED_MINUTES = 50_000;

/** The zone's offset from UTC, in seconds, during the UTC minute that holds `unixSeconds`. */
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
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second) / 1000;
  const offset = wall - at;
  if (byMinute.size >= MAX_CACHED_MINUTES) byMinute.clear();
  byMinute.set(minute, offset);
  return offset;
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD HH:MM:SS` for epoch seconds read as UTC wall-clock fields. */
function wallText(wallSeconds: number): string {
  const d = new Date(wallSeconds * 1000);
  const y = d.getUTCFullYear();
  const year = y >= 0 && y < 10_000 ? String(y).padStart(4, '0') : String(y);
  return `${year}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/**
 * `YYYY-MM-DD HH:MM:SS` wall-clock time in `zone` (an IANA name) — the same shape Everflow's
 * `from`/`to` use, so a time copied from the grid can be pasted into a query. Empty for a
 * timestamp that is not a finite number.
 */
export function formatTimestamp(unixSeconds: number, zone: string): string {
  if (typeof unixSeconds !== 'number' || !Number.isFinite(unixSeconds)) return '';
  const t = Math.floor(unixSeconds);
  if (zone === 'UTC' || zone === 'Etc/UTC') return wallText(t);
  return wallText(t + zoneOffsetSeconds(t, zone));
}

export function formatUtc(unixSeconds: number): string {
  return formatTimestamp(unixSeconds, 'UTC');
}

const moneyFormatters = new Map<string, Intl.NumberFormat | null>();

function moneyFormatter(currency: string, locale: string): Intl.NumberFormat | null {
  const key = `${locale}\u0000${currency}`;
  let f = moneyFormatters.get(key);
  if (f === undefined) {
    try {
      // Intl accepts any well-formed three-letter code, even one that is not a currency, and
      // prints the code itself ("XYZ 1.50"), which is a fine fallback; malformed codes throw.
      f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      f = null;
    }
    moneyFormatters.set(key, f);
  }
  return f;
}

/**
 * An amount in full currency units (Everflow's `revenue` is not in cents) with its ISO 4217
 * `currency`. Codes Intl cannot use (empty, malformed) fall back to the bare number with two
 * decimals and the code after it, so the value is never lost.
 */
export function formatMoney(amount: number, currency: string, locale = 'en-US'): string {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return '';
  const code = typeof currency === 'string' ? currency.trim().toUpperCase() : '';
  const f = /^[A-Z]{3}$/.test(code) ? moneyFormatter(code, locale) : null;
  if (f) return f.format(amount);
  const plain = amount.toFixed(2);
  return code ? `${plain} ${code}` : plain;
}

/** `Yes`/`No` for people; `true`/`false` where a machine reads it back (CSV, TSV). */
export function formatBoolean(value: boolean, style: 'words' | 'literal' = 'words'): string {
  if (style === 'literal') return value ? 'true' : 'false';
  return value ? 'Yes' : 'No';
}
