import { FALLBACK_TIMEZONES, zoneNameFor } from '../timezones';
import type { QueryFilter, ValidationProblem } from '../types';
import { canonicalResourceType, formatDuration } from '../validation';
import { daysInMonth, formatWallSeconds, instantOfWall } from '../wallClock';
import type { ConversionRequest } from './types';

// What Everflow refuses on the conversion report, caught before a request spends a rate-limit slot:
// dates in either documented form (`YYYY-MM-DD`, meaning 00:00:00, or `YYYY-MM-DD HH:MM:SS`), `from`
// not after `to`, a window of at most one calendar year, and nothing before the prior 365 days.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;
const DAY = 86_400;
/** Everflow answers only for the prior 365 days. */
export const CONVERSION_LOOKBACK_DAYS = 365;
/** Everflow's largest page ("typically 2000"). */
export const MAX_CONVERSION_PAGE_SIZE = 2000;
/** The westernmost offset in use (UTC−12), for a zone id this module cannot name: the most lenient reading. */
const WEST_MOST_OFFSET = -12 * 3600;

/** Wall seconds of either date form, or a sentence saying what is wrong. */
function wallOf(name: 'from' | 'to', value: unknown): number | string {
  if (typeof value !== 'string' || value.trim() === '') return `\`${name}\` is missing; give a date like 2026-03-01 or a date and time like 2026-03-01 00:00:00.`;
  const v = value.trim();
  const m = DATE_RE.exec(v);
  if (!m) {
    const shown = v.length > 60 ? `${v.slice(0, 59)}…` : v;
    return `\`${name}\` must look like 2026-03-01 or 2026-03-01 00:00:00; got "${shown}".`;
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  if (mo < 1 || mo > 12) return `\`${name}\` has month ${m[2]}; months run 01 to 12.`;
  if (d < 1 || d > daysInMonth(y, mo)) return `\`${name}\` is not a real date: that month has ${daysInMonth(y, mo)} days.`;
  if (h > 23 || mi > 59 || s > 59) return `\`${name}\` has a time of day out of range; use 00:00:00 to 23:59:59.`;
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
}

/** The same wall time one calendar year later (29 February → 28 February). */
function yearAfter(w: number): number {
  const d = new Date(w * 1000);
  const y = d.getUTCFullYear() + 1;
  const day = Math.min(d.getUTCDate(), daysInMonth(y, d.getUTCMonth() + 1));
  return Date.UTC(y, d.getUTCMonth(), day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000;
}

function checkFilters(filters: unknown, problems: ValidationProblem[]): void {
  if (filters === undefined || filters === null) return;
  if (!Array.isArray(filters)) {
    problems.push({ field: 'query.filters', message: '`query.filters` must be a list of { resource_type, filter_id_value } items.' });
    return;
  }
  filters.forEach((f: unknown, i: number) => {
    const where = `Filter ${i + 1}`;
    if (typeof f !== 'object' || f === null || Array.isArray(f)) {
      problems.push({ field: `filters[${i}]`, message: `${where} must be an object with resource_type and filter_id_value.` });
      return;
    }
    const { resource_type: t, filter_id_value: v } = f as Partial<QueryFilter>;
    if (typeof t !== 'string' || t.trim() === '') problems.push({ field: `filters[${i}].resource_type`, message: `${where} has no resource type.` });
    const ok = (typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v));
    if (!ok) problems.push({ field: `filters[${i}].filter_id_value`, message: `${where} has no value; filter_id_value must be text, such as "883".` });
  });
}

/**
 * Every problem with a conversion report request, in the order a user reads it; empty when it can be
 * sent. `nowMs` is the instant the 365-day rule is judged against.
 */
export function validateConversionRequest(req: ConversionRequest, nowMs: number): ValidationProblem[] {
  if (typeof req !== 'object' || req === null) return [{ field: 'request', message: 'The request is empty; it needs from, to and timezone_id.' }];
  const problems: ValidationProblem[] = [];
  const from = wallOf('from', req.from);
  const to = wallOf('to', req.to);
  if (typeof from === 'string') problems.push({ field: 'from', message: from });
  if (typeof to === 'string') problems.push({ field: 'to', message: to });
  const tz: unknown = req.timezone_id;
  const tzOk = typeof tz === 'number' && Number.isInteger(tz) && tz > 0;
  if (!tzOk) {
    problems.push({ field: 'timezone_id', message: `timezone_id must be a positive whole number such as 67 (UTC); got ${tz === undefined ? 'nothing' : JSON.stringify(tz)}.` });
  }
  if (typeof from === 'number' && typeof to === 'number') {
    if (to < from) {
      problems.push({ field: 'window', message: `\`from\` (${String(req.from).trim()}) is after \`to\` (${String(req.to).trim()}); swap them.` });
    } else if (to > yearAfter(from)) {
      problems.push({
        field: 'window',
        message: `The window is ${formatDuration(to - from)} long; Everflow reports conversions over at most one year per request. With this \`from\`, the latest allowed \`to\` is ${formatWallSeconds(yearAfter(from))}.`,
      });
    }
    if (tzOk) {
      const zone = zoneNameFor(tz, FALLBACK_TIMEZONES);
      // A zone this module cannot name is read as the one whose clocks are furthest behind: the latest
      // instant the wall time could mean, so nothing Everflow would accept is refused here.
      const fromInstant = zone ? instantOfWall(from, zone) : from - WEST_MOST_OFFSET;
      const earliest = Math.floor(nowMs / 1000) - CONVERSION_LOOKBACK_DAYS * DAY;
      if (fromInstant < earliest) {
        const shownEarliest = zone ? `${formatWallSeconds(earliest - (from - fromInstant))} (${zone})` : `${formatWallSeconds(earliest)} (UTC)`;
        problems.push({
          field: 'from',
          message: `\`from\` (${String(req.from).trim()}) is more than 365 days ago; Everflow reports conversions of the prior 365 days only. The earliest allowed \`from\` is ${shownEarliest}.`,
        });
      }
    }
  }
  for (const flag of ['show_conversions', 'show_events'] as const) {
    const v: unknown = req[flag];
    if (v !== undefined && typeof v !== 'boolean') problems.push({ field: flag, message: `\`${flag}\` must be true or false.` });
  }
  const query: unknown = req.query;
  if (query !== undefined && query !== null) {
    if (typeof query !== 'object' || Array.isArray(query)) problems.push({ field: 'query', message: '`query` must be an object with `filters`.' });
    else checkFilters((query as { filters?: unknown }).filters, problems);
  }
  return problems;
}

/** The body as it goes on the wire: trimmed dates, the seed's `s1`…`s5` spelling, no empty parts. Validate first. */
export function normalizeConversionRequest(req: ConversionRequest): ConversionRequest {
  const out: ConversionRequest = { from: req.from.trim(), to: req.to.trim(), timezone_id: req.timezone_id };
  if (req.show_conversions !== undefined) out.show_conversions = req.show_conversions;
  if (req.show_events !== undefined) out.show_events = req.show_events;
  const filters = (req.query?.filters ?? []).map((f) => ({
    resource_type: canonicalResourceType(f.resource_type) ?? f.resource_type.trim(),
    filter_id_value: String(f.filter_id_value).trim(),
  }));
  if (filters.length > 0) out.query = { filters };
  return out;
}
