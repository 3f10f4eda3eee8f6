// Plain-text formatting of click values. The grid, the clipboard copies and the exports all show
// text only (never HTML), so everything here returns a string and nothing here escapes: escaping
// belongs to the one place that knows the target format (exporters.ts). Time arithmetic is wallClock.ts's.

import { formatInstant } from './wallClock';

/**
 * `YYYY-MM-DD HH:MM:SS` wall-clock time in `zone` (an IANA name) — the same shape Everflow's
 * `from`/`to` use, so a time copied from the grid can be pasted into a query. Empty for a
 * timestamp that is not a finite number.
 */
export function formatTimestamp(unixSeconds: number, zone: string): string {
  if (typeof unixSeconds !== 'number' || !Number.isFinite(unixSeconds)) return '';
  return formatInstant(unixSeconds, zone);
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
