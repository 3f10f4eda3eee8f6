// The click-stream request: validation (as strict as Everflow documents, so client bugs surface as
// 400s here rather than in production), filter/exclusion matching over a day's columns, and the cap.

import { BROWSERS, CAMPAIGNS, CONNECTION_TYPES, COUNTRIES, DEVICES, OFFERS, SOURCE_IDS } from './catalog';
import { CARRIERS, COUPON_POOL, CREATIVES, ClickSource, ColumnName, DAY_SECONDS, DayColumns, LANGUAGES, OFFER_URLS, SUB_FILTER_POOLS, isServed } from './clicks';
import { Knobs } from './knobs';
import { Rng, hash32 } from './rng';
import { timezoneById, wallClockToUtc } from './timezones';

/** A request Everflow would answer with 400; the message goes into the error body. */
export class BadRequest extends Error {}

export const MAX_WINDOW_SECONDS = 14 * DAY_SECONDS - 1;
export const RETENTION_DAYS = 90;

interface FilterField {
  column: ColumnName;
  size: number;
  /** The filter values that select column value k. */
  keys: (k: number) => string[];
}

const nonEmpty = (s: string): string[] => (s ? [s] : []);
const subField = (k: number): FilterField => ({ column: `s${k + 1}` as ColumnName, size: SUB_FILTER_POOLS[k].length, keys: (v) => [SUB_FILTER_POOLS[k][v]] });

/** How each resource type maps onto the row (or onto a hidden attribute the row does not show). */
const FILTER_FIELDS: Record<string, FilterField> = {
  offer: { column: 'offer', size: OFFERS.length, keys: (k) => [String(OFFERS[k].id)] },
  creative: { column: 'creative', size: CREATIVES.length, keys: (k) => [String(CREATIVES[k])] },
  campaign: { column: 'campaign', size: CAMPAIGNS.length, keys: (k) => [String(CAMPAIGNS[k])] },
  offer_url: { column: 'offerUrl', size: OFFER_URLS.length, keys: (k) => [String(OFFER_URLS[k])] },
  country: { column: 'country', size: COUNTRIES.length, keys: (k) => [COUNTRIES[k].name] },
  carrier: { column: 'carrier', size: CARRIERS.length, keys: (k) => (k === 0 ? [] : [CARRIERS[k].name, String(CARRIERS[k].code)]) },
  device_platform: { column: 'device', size: DEVICES.length, keys: (k) => [DEVICES[k].platform] },
  device_type: { column: 'device', size: DEVICES.length, keys: (k) => [DEVICES[k].deviceType] },
  device_make: { column: 'device', size: DEVICES.length, keys: (k) => nonEmpty(DEVICES[k].brand) },
  device_model: { column: 'device', size: DEVICES.length, keys: (k) => nonEmpty(DEVICES[k].model) },
  browser: { column: 'browser', size: BROWSERS.length, keys: (k) => [BROWSERS[k][0]] },
  language: { column: 'language', size: LANGUAGES.length, keys: (k) => [LANGUAGES[k]] },
  connection_type: { column: 'connection', size: CONNECTION_TYPES.length, keys: (k) => [CONNECTION_TYPES[k]] },
  source_id: { column: 'source', size: SOURCE_IDS.length, keys: (k) => [SOURCE_IDS[k]] },
  s1: subField(0),
  s2: subField(1),
  s3: subField(2),
  s4: subField(3),
  s5: subField(4),
  coupon_code: { column: 'coupon', size: COUPON_POOL.length, keys: (k) => [COUPON_POOL[k]] },
};

/** `sub1`…`sub5` are other Everflow pages' spelling of `s1`…`s5`. */
function canonicalType(t: string): string {
  const m = /^sub([1-5])$/.exec(t);
  return m ? `s${m[1]}` : t;
}

export interface Clause {
  column: ColumnName;
  /** allowed[v] = 1 when column value v matches one of the clause's values. */
  allowed: Uint8Array;
}

export interface StreamQuery {
  fromSec: number;
  toSec: number;
  /** Filters: every clause must match (AND across types; each clause ORs its values). */
  filters: Clause[];
  /** Exclusions: no clause may match. */
  exclusions: Clause[];
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Parses `YYYY-MM-DD HH:MM:SS` into wall-clock milliseconds (as if UTC), rejecting impossible dates. */
function parseWallClock(value: unknown, field: string): number {
  if (typeof value !== 'string') throw new BadRequest(`${field} is required, in YYYY-MM-DD HH:MM:SS format`);
  const m = DATE_RE.exec(value);
  if (!m) throw new BadRequest(`${field} date "${value}" is not in YYYY-MM-DD HH:MM:SS format`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over into March; a round trip that changes the fields means invalid.
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59 || back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new BadRequest(`${field} date "${value}" is not a valid date`);
  }
  return ms;
}

export function compileClauses(items: unknown, name: string): Clause[] {
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) throw new BadRequest(`query.${name} must be an array`);
  const byType = new Map<string, Set<string>>();
  items.forEach((item, idx) => {
    if (item === null || typeof item !== 'object') throw new BadRequest(`query.${name}[${idx}] must be an object`);
    const { resource_type, filter_id_value } = item as Record<string, unknown>;
    if (typeof resource_type !== 'string') throw new BadRequest(`query.${name}[${idx}].resource_type is required`);
    const type = canonicalType(resource_type);
    if (!FILTER_FIELDS[type]) throw new BadRequest(`query.${name}[${idx}].resource_type "${resource_type}" is not a valid resource type`);
    if (typeof filter_id_value !== 'string') throw new BadRequest(`query.${name}[${idx}].filter_id_value must be a string`);
    if (!byType.has(type)) byType.set(type, new Set());
    byType.get(type)!.add(filter_id_value);
  });
  return [...byType].map(([type, values]) => {
    const field = FILTER_FIELDS[type];
    const allowed = new Uint8Array(field.size);
    for (let v = 0; v < field.size; v++) if (field.keys(v).some((k) => values.has(k))) allowed[v] = 1;
    return { column: field.column, allowed };
  });
}

/** Validates a stream body and turns it into UTC bounds plus compiled filters; throws BadRequest. */
export function parseStreamRequest(body: unknown): StreamQuery {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('Request body must be a JSON object');
  const b = body as Record<string, unknown>;
  const fromWall = parseWallClock(b.from, 'from');
  const toWall = parseWallClock(b.to, 'to');
  if (typeof b.timezone_id !== 'number' || !Number.isInteger(b.timezone_id)) throw new BadRequest('timezone_id is required and must be an integer');
  const tz = timezoneById(b.timezone_id);
  if (!tz) throw new BadRequest(`timezone_id ${b.timezone_id} is not a valid timezone`);
  if (fromWall > toWall) throw new BadRequest('from must be before to');
  // The window is judged on the times as written (wall clock), so "00:00:00 → 13 days later 23:59:59"
  // is accepted in every zone even when a daylight-saving change makes it an hour longer in real time.
  if ((toWall - fromWall) / 1000 > MAX_WINDOW_SECONDS) throw new BadRequest('The time range cannot exceed 14 days');
  const q = b.query;
  if (q !== undefined && q !== null && (typeof q !== 'object' || Array.isArray(q))) throw new BadRequest('query must be an object');
  const qq = (q ?? {}) as Record<string, unknown>;
  return {
    fromSec: Math.floor(wallClockToUtc(tz.timezone, fromWall) / 1000),
    toSec: Math.floor(wallClockToUtc(tz.timezone, toWall) / 1000),
    filters: compileClauses(qq.filters, 'filters'),
    exclusions: compileClauses(qq.exclusions, 'exclusions'),
  };
}

function lowerBound(ts: Uint32Array, value: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A click that matched, packed into one number as day × 2²¹ + index (day volumes stay below 2²¹), so
 * a million matches cost a plain number array rather than a million objects.
 */
export type Hit = number;
const INDEX_SPAN = 2 ** 21;
export const packHit = (day: number, index: number): Hit => day * INDEX_SPAN + index;
export const unpackHit = (h: Hit): { day: number; index: number } => ({ day: Math.floor(h / INDEX_SPAN), index: h % INDEX_SPAN });

/** Every served click matching the query, in time order (no cap). */
export function findMatches(source: ClickSource, q: StreamQuery, volume: (day: number) => number, nowSec: number): Hit[] {
  const hits: Hit[] = [];
  const last = Math.min(q.toSec, nowSec);
  for (let day = Math.floor(q.fromSec / DAY_SECONDS); day <= Math.floor(last / DAY_SECONDS); day++) {
    const n = volume(day);
    if (n === 0) continue;
    const cols: DayColumns = source.columns(day, n);
    const end = lowerBound(cols.ts, last + 1);
    for (let i = lowerBound(cols.ts, q.fromSec); i < end; i++) {
      if (!isServed(cols.ts[i], cols.converted[i] === 1, nowSec, RETENTION_DAYS)) continue;
      if (matches(cols, i, q)) hits.push(packHit(day, i));
    }
  }
  return hits;
}

function matches(cols: DayColumns, i: number, q: StreamQuery): boolean {
  for (const c of q.filters) if (!c.allowed[cols.cols[c.column][i]]) return false;
  for (const c of q.exclusions) if (c.allowed[cols.cols[c.column][i]]) return false;
  return true;
}

const SHIFTS = ['first', 'newest', 'arbitrary'] as const;

/**
 * Applies the cap the way the `truncation` knob says. Everflow documents only "will not be returned",
 * so the sandbox can play each plausible behaviour. In 'arbitrary' mode rows are always shuffled (not
 * just when truncated), so a client that assumes time order is caught either way.
 */
export function applyCap(hits: Hit[], knobs: Knobs, shuffleSeed: number, serial = 0): Hit[] {
  const cap = knobs.cap;
  const truncation = knobs.truncation === 'shifting' ? SHIFTS[(hash32(shuffleSeed, serial) >>> 0) % SHIFTS.length] : knobs.truncation;
  if (truncation === 'arbitrary') {
    const pool = hits.slice();
    const rng = new Rng(shuffleSeed);
    const take = Math.min(cap, pool.length);
    // Partial Fisher–Yates: the first `take` slots end up a uniformly random, randomly ordered sample.
    for (let k = 0; k < take; k++) {
      const j = k + rng.int(pool.length - k);
      [pool[k], pool[j]] = [pool[j], pool[k]];
    }
    return pool.slice(0, take);
  }
  if (hits.length <= cap) return hits;
  return truncation === 'newest' ? hits.slice(hits.length - cap) : hits.slice(0, cap);
}
