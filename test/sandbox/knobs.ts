// Run-time switches that make the sandbox behave like the different Everflow generations and failure
// modes a client must survive. Tests flip them programmatically (`setKnobs`) or over HTTP
// (`POST /__sandbox/knobs`) from inside a VS Code extension host.

import { UNKNOWN_FIELD_MODES, type UnknownFieldMode } from './unknownFields';

export type FaultKind =
  | '429'
  | '429-no-headers'
  | '500'
  | '502'
  | '503'
  | 'malformed-json'
  | 'truncated-json'
  | 'html-error'
  | 'drop-connection'
  | 'reset-mid-body'
  | 'hang'
  | 'huge';

export const FAULT_KINDS: readonly FaultKind[] = ['429', '429-no-headers', '500', '502', '503', 'malformed-json', 'truncated-json', 'html-error', 'drop-connection', 'reset-mid-body', 'hang', 'huge'];

export type FaultPath = 'stream' | 'click' | 'timezones' | 'conversions' | 'any';

export interface Fault {
  kind: FaultKind;
  /** How many of the next matching requests get the fault; -1 = until cleared. */
  count: number;
  /** Which requests it applies to; default 'any' (every API request, never the control API). */
  path?: FaultPath;
}

/** Everflow's limit per customer (see api.ts RateLimiter). */
export interface RateLimitKnobs {
  perSecond: number;
  /** Answer 429 when over a limit; when false the limits are only counted (and sent in the headers). */
  enforce: boolean;
  /** Send `X-RateLimit-Limit` (the bucket per window) and `X-RateLimit-Remaining`. */
  headers: boolean;
  /** How often the bucket is refilled; Everflow's is 30 s. Tests use a short one. */
  windowMs: number;
  /** The bucket per window; null: `perSecond` for every second of the window (150 per 30 s). */
  perWindow: number | null;
  /** The part (0–1) of every window's bucket another client of the same account spends as it begins. */
  otherClientShare: number;
}

/** The conversion report's variants and failures (conversions.ts). */
export interface ConversionKnobs {
  /** Where `page`/`page_size` are read: the query string (the endpoint's page), the body (the generic guide) or either. */
  paging: 'query' | 'body' | 'either';
  /** `conversion_id` (string, current reference) or `network_conversion_id` (integer, older draft). */
  idStyle: 'string' | 'network';
  /** `conversion_status` sent (older draft) or not (current reference). */
  status: 'absent' | 'present';
  /** 403 on every conversions path, as for a partner the network does not let read its report. */
  forbidden: boolean;
  /** This page of the report answers 500 every time (null: none). */
  failPage: number | null;
  /** The largest page served (Everflow documents "typically 2000"); larger asks are served this many. */
  maxPageSize: number;
  /** Extra delay on conversions paths, on top of `latencyMs`. */
  latencyMs: number;
  /** Hostile order ids, coupons and user agents on about 1 conversion in 10 and on every hostile click's. */
  hostile: boolean;
  /**
   * A network_offer_id every valid click of which converts (null: none): one offer with many thousand
   * conversions a month, for clients that must page through, or stop at a limit. The click rows are unchanged.
   */
  busyOffer: number | null;
}

export interface Knobs {
  /** Where the stream puts its rows: `{table: [...]}`, `{clicks: [...]}` or a bare array. */
  responseKey: 'table' | 'clicks' | 'bare';
  /**
   * Which rows come back when more than `cap` match. 'shifting' plays a server that does not stick
   * to one: each stream request picks first, newest or arbitrary afresh (from its serial number).
   */
  truncation: 'first' | 'newest' | 'arbitrary' | 'shifting';
  cap: number;
  latencyMs: number;
  isUniqueAs: 'number' | 'boolean';
  carrierCodeAs: 'number' | 'string';
  /** Drop keys whose value is '' / 0 / false, as some Everflow generations do. */
  omitEmptyKeys: boolean;
  /** Fields no client has heard of, added to every row (unknownFields.ts). */
  unknownFields: UnknownFieldMode;
  errorKeyCasing: 'error' | 'Error' | 'message';
  /**
   * Replaces the message of every error reply (and is put, unescaped, into the body of the
   * `html-error` page), as a hostile or careless server or proxy might: `{apiKey}` in it becomes the
   * request's own key, to test that nothing echoes a key back to the user. null: the normal messages.
   */
  errorText: string | null;
  rateLimit: RateLimitKnobs;
  conversions: ConversionKnobs;
  fault: Fault | null;
  clicksPerDay: number;
  /** Per-UTC-day click counts (`YYYY-MM-DD` → clicks) that override `clicksPerDay`. */
  dayVolumes: Record<string, number>;
}

/** A partial update: `rateLimit` merges field by field, so it may be partial too. */
export type KnobsPatch = Partial<Omit<Knobs, 'rateLimit' | 'conversions'>> & { rateLimit?: Partial<RateLimitKnobs>; conversions?: Partial<ConversionKnobs> };

export function defaultKnobs(): Knobs {
  return {
    responseKey: 'table',
    truncation: 'first',
    cap: 5000,
    latencyMs: 0,
    isUniqueAs: 'number',
    carrierCodeAs: 'number',
    omitEmptyKeys: false,
    unknownFields: 'none',
    errorKeyCasing: 'error',
    errorText: null,
    rateLimit: { perSecond: 5, enforce: false, headers: true, windowMs: 30_000, perWindow: null, otherClientShare: 0 },
    conversions: { paging: 'either', idStyle: 'string', status: 'absent', forbidden: false, failPage: null, maxPageSize: 2000, latencyMs: 0, hostile: true, busyOffer: null },
    fault: null,
    clicksPerDay: 2000,
    dayVolumes: {},
  };
}

// Volumes beyond this would need more than 32 bits of index or gigabytes of columns.
const MAX_DAY_VOLUME = 2_000_000;

/**
 * Merges a partial update into `current` and returns the result, or throws with a message that says
 * which knob is wrong (the control API turns it into a 400). `rateLimit` merges field by field;
 * every other knob, `fault` and `dayVolumes` included, is replaced whole.
 */
export function mergeKnobs(current: Knobs, patch: unknown): Knobs {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new Error('knobs must be a JSON object');
  const p = patch as Record<string, unknown>;
  const next: Knobs = { ...current, rateLimit: { ...current.rateLimit }, conversions: { ...current.conversions }, dayVolumes: { ...current.dayVolumes } };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T => {
    if (!allowed.includes(p[name] as T)) throw new Error(`${name} must be one of ${allowed.join(', ')}`);
    return p[name] as T;
  };
  const count = (name: string, v: unknown, max = Number.MAX_SAFE_INTEGER): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new Error(`${name} must be an integer from 0 to ${max}`);
    return v;
  };
  for (const key of Object.keys(p)) {
    switch (key) {
      case 'responseKey': next.responseKey = oneOf(key, ['table', 'clicks', 'bare'] as const); break;
      case 'truncation': next.truncation = oneOf(key, ['first', 'newest', 'arbitrary', 'shifting'] as const); break;
      case 'isUniqueAs': next.isUniqueAs = oneOf(key, ['number', 'boolean'] as const); break;
      case 'carrierCodeAs': next.carrierCodeAs = oneOf(key, ['number', 'string'] as const); break;
      case 'unknownFields': next.unknownFields = oneOf(key, UNKNOWN_FIELD_MODES); break;
      case 'errorKeyCasing': next.errorKeyCasing = oneOf(key, ['error', 'Error', 'message'] as const); break;
      case 'cap': next.cap = count(key, p[key]); break;
      case 'latencyMs': next.latencyMs = count(key, p[key], 600_000); break;
      case 'clicksPerDay': next.clicksPerDay = count(key, p[key], MAX_DAY_VOLUME); break;
      case 'errorText':
        if (p[key] !== null && typeof p[key] !== 'string') throw new Error('errorText must be a string or null');
        next.errorText = p[key] as string | null;
        break;
      case 'omitEmptyKeys':
        if (typeof p[key] !== 'boolean') throw new Error('omitEmptyKeys must be true or false');
        next.omitEmptyKeys = p[key] as boolean;
        break;
      case 'rateLimit': next.rateLimit = mergeRateLimit(next.rateLimit, p[key]); break;
      case 'conversions': next.conversions = mergeConversions(next.conversions, p[key]); break;
      case 'fault': next.fault = parseFault(p[key]); break;
      case 'dayVolumes': next.dayVolumes = parseVolumes(p[key], count); break;
      default: throw new Error(`unknown knob "${key}"`);
    }
  }
  return next;
}

function mergeRateLimit(current: Knobs['rateLimit'], v: unknown): Knobs['rateLimit'] {
  if (v === null || typeof v !== 'object') throw new Error('rateLimit must be an object');
  const r = v as Record<string, unknown>;
  const out = { ...current };
  if ('perSecond' in r) {
    if (typeof r.perSecond !== 'number' || !(r.perSecond > 0)) throw new Error('rateLimit.perSecond must be a positive number');
    out.perSecond = r.perSecond;
  }
  if ('windowMs' in r) {
    if (typeof r.windowMs !== 'number' || !Number.isInteger(r.windowMs) || r.windowMs < 100 || r.windowMs > 3_600_000) throw new Error('rateLimit.windowMs must be an integer from 100 to 3600000');
    out.windowMs = r.windowMs;
  }
  if ('perWindow' in r) {
    if (r.perWindow !== null && (typeof r.perWindow !== 'number' || !Number.isInteger(r.perWindow) || r.perWindow < 0)) throw new Error('rateLimit.perWindow must be null or a non-negative integer');
    out.perWindow = r.perWindow as number | null;
  }
  if ('otherClientShare' in r) {
    if (typeof r.otherClientShare !== 'number' || !(r.otherClientShare >= 0 && r.otherClientShare <= 1)) throw new Error('rateLimit.otherClientShare must be a number from 0 to 1');
    out.otherClientShare = r.otherClientShare;
  }
  for (const flag of ['enforce', 'headers'] as const) {
    if (flag in r) {
      if (typeof r[flag] !== 'boolean') throw new Error(`rateLimit.${flag} must be true or false`);
      out[flag] = r[flag] as boolean;
    }
  }
  return out;
}

function mergeConversions(current: ConversionKnobs, v: unknown): ConversionKnobs {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('conversions must be an object');
  const r = v as Record<string, unknown>;
  const out = { ...current };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T => {
    if (!allowed.includes(r[name] as T)) throw new Error(`conversions.${name} must be one of ${allowed.join(', ')}`);
    return r[name] as T;
  };
  for (const key of Object.keys(r)) {
    switch (key) {
      case 'paging': out.paging = oneOf(key, ['query', 'body', 'either'] as const); break;
      case 'idStyle': out.idStyle = oneOf(key, ['string', 'network'] as const); break;
      case 'status': out.status = oneOf(key, ['absent', 'present'] as const); break;
      case 'forbidden':
      case 'hostile':
        if (typeof r[key] !== 'boolean') throw new Error(`conversions.${key} must be true or false`);
        out[key] = r[key] as boolean;
        break;
      case 'failPage':
        if (r[key] !== null && (typeof r[key] !== 'number' || !Number.isInteger(r[key]) || (r[key] as number) < 1)) throw new Error('conversions.failPage must be null or a page number from 1');
        out.failPage = r[key] as number | null;
        break;
      case 'latencyMs':
        if (typeof r[key] !== 'number' || !Number.isInteger(r[key]) || (r[key] as number) < 0 || (r[key] as number) > 600_000) throw new Error('conversions.latencyMs must be an integer from 0 to 600000');
        out.latencyMs = r[key] as number;
        break;
      case 'maxPageSize':
        if (typeof r[key] !== 'number' || !Number.isInteger(r[key]) || (r[key] as number) < 1 || (r[key] as number) > 100_000) throw new Error('conversions.maxPageSize must be an integer from 1 to 100000');
        out.maxPageSize = r[key] as number;
        break;
      case 'busyOffer':
        if (r[key] !== null && (typeof r[key] !== 'number' || !Number.isInteger(r[key]) || (r[key] as number) < 1)) throw new Error('conversions.busyOffer must be null or a network_offer_id');
        out.busyOffer = r[key] as number | null;
        break;
      default: throw new Error(`unknown knob "conversions.${key}"`);
    }
  }
  return out;
}

function parseFault(v: unknown): Fault | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object') throw new Error('fault must be an object or null');
  const f = v as Record<string, unknown>;
  if (!FAULT_KINDS.includes(f.kind as FaultKind)) throw new Error(`fault.kind must be one of ${FAULT_KINDS.join(', ')}`);
  const count = f.count ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < -1) throw new Error('fault.count must be -1 or a positive integer');
  const path = f.path ?? 'any';
  if (!['stream', 'click', 'timezones', 'conversions', 'any'].includes(path as string)) throw new Error('fault.path must be stream, click, timezones, conversions or any');
  // A fault for zero requests is no fault at all.
  if (count === 0) return null;
  return { kind: f.kind as FaultKind, count, path: path as FaultPath };
}

function parseVolumes(v: unknown, count: (name: string, v: unknown, max?: number) => number): Record<string, number> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('dayVolumes must be an object of YYYY-MM-DD → clicks');
  const out: Record<string, number> = {};
  for (const [day, n] of Object.entries(v as Record<string, unknown>)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new Error(`dayVolumes key "${day}" is not a YYYY-MM-DD date`);
    out[day] = count(`dayVolumes["${day}"]`, n, MAX_DAY_VOLUME);
  }
  return out;
}

/** A deep copy that callers cannot use to change the sandbox behind its back. */
export function frozenKnobs(k: Knobs): Readonly<Knobs> {
  const copy: Knobs = { ...k, rateLimit: Object.freeze({ ...k.rateLimit }), conversions: Object.freeze({ ...k.conversions }), fault: k.fault ? Object.freeze({ ...k.fault }) : null, dayVolumes: Object.freeze({ ...k.dayVolumes }) };
  return Object.freeze(copy);
}
