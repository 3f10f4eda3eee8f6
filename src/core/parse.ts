import { EverflowError } from './errors';
import { collectExtras } from './extras';
import type { Click, Timezone } from './types';

// Lenient on fields, strict on structure. Everflow's documentation generations disagree on types
// (0/1 vs booleans, numbers vs numeric strings, missing keys vs ""), so every field is coerced to
// the one type `Click` promises. But a body that is not a list of objects is not a click stream,
// and guessing would show the user a wrong, empty result instead of an error.
//
// This runs on up to 100,000 rows: plain property reads and typeof checks, no regexes, no clones.
//
// Nothing Everflow sends is dropped: fields this list does not name are kept as sent (extras.ts).
// Finding them must cost nothing when there are none, so the readers below count the known keys
// they find (`present`), and a row is searched for unknown keys only when its objects hold more
// keys than that: one counting loop per object, no allocation, no lookups.

type Raw = Record<string, unknown>;
const EMPTY: Raw = Object.freeze({}) as Raw;

/** Known keys found in the row being normalised (a JSON value is never `undefined`, a missing key is). */
let present = 0;

function keyCount(o: Raw): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

function obj(v: unknown): Raw {
  if (v === undefined) return EMPTY;
  present++;
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : EMPTY;
}

function str(v: unknown): string {
  if (typeof v === 'string') {
    present++;
    return v;
  }
  if (v === undefined) return '';
  present++;
  // 0, like null, false and a missing key, is one of Everflow's spellings of "empty".
  if (typeof v === 'number') return Number.isFinite(v) && v !== 0 ? String(v) : '';
  if (v === true) return 'true';
  return '';
}

/** No carrier is code 0: it is "unknown" whether sent as 0, "0", "" or not at all. */
function carrierCode(v: unknown): string {
  const s = str(v).trim();
  return s === '0' ? '' : s;
}

function num(v: unknown): number {
  if (v === undefined) return 0;
  present++;
  if (typeof v === 'number') return Number.isFinite(v) ? v : 0;
  if (typeof v === 'string') {
    if (v === '') return 0;
    const n = Number(v);
    return Number.isFinite(n) ? n : 0;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return 0;
}

function bool(v: unknown): boolean {
  if (v === undefined) return false;
  present++;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    switch (v.trim().toLowerCase()) {
      case '1':
      case 'true':
      case 'yes':
      case 't':
      case 'y':
        return true;
      default:
        return false;
    }
  }
  return false;
}

/** Attacker-controlled keys: `__proto__` must become a plain property, not a prototype change. */
function queryParameters(v: unknown): Record<string, string> | null {
  if (v !== undefined) present++;
  if (typeof v !== 'object' || v === null) return null;
  const entries = Object.entries(v as object);
  // PHP encodes an empty map as `[]`.
  if (Array.isArray(v) && entries.length === 0) return null;
  const out: Record<string, string> = {};
  // These are not known keys of the row: str() must not count them.
  const counted = present;
  for (const [k, raw] of entries) {
    const value = typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : str(raw);
    if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    else out[k] = value;
  }
  present = counted;
  return out;
}

function invalid(message: string, status?: number): EverflowError {
  return new EverflowError('invalidResponse', message, status === undefined ? {} : { status });
}

function describeShape(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') {
    const keys = Object.keys(v as object);
    const shown = keys.slice(0, 5).map((k) => (k.length > 30 ? `${k.slice(0, 29)}…` : k));
    return keys.length === 0 ? 'an empty object' : `an object with keys ${shown.join(', ')}${keys.length > 5 ? ', …' : ''}`;
  }
  return typeof v === 'string' ? 'text' : `a ${typeof v}`;
}

/** One click row with every documented field present and typed; throws on a non-object. */
export function normalizeClick(raw: unknown): Click {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalid(`a click row is ${describeShape(raw)}, not an object`);
  }
  const r = raw as Raw;
  present = 0;
  const rel = obj(r.relationship);
  const offer = obj(rel.offer);
  const geo = obj(rel.geolocation);
  const dev = obj(rel.device_information);
  const click: Click = {
    transaction_id: str(r.transaction_id),
    is_unique: bool(r.is_unique),
    unix_timestamp: num(r.unix_timestamp),
    tracking_url: str(r.tracking_url),
    source_id: str(r.source_id),
    sub1: str(r.sub1),
    sub2: str(r.sub2),
    sub3: str(r.sub3),
    sub4: str(r.sub4),
    sub5: str(r.sub5),
    revenue_type: str(r.revenue_type),
    revenue: num(r.revenue),
    referer: str(r.referer),
    error_code: num(r.error_code),
    error_message: str(r.error_message),
    user_ip: str(r.user_ip),
    currency_id: str(r.currency_id),
    coupon_code: str(r.coupon_code),
    idfa: str(r.idfa),
    idfa_md5: str(r.idfa_md5),
    idfa_sha1: str(r.idfa_sha1),
    google_ad_id: str(r.google_ad_id),
    google_ad_id_md5: str(r.google_ad_id_md5),
    google_ad_id_sha1: str(r.google_ad_id_sha1),
    android_id: str(r.android_id),
    android_id_md5: str(r.android_id_md5),
    android_id_sha1: str(r.android_id_sha1),
    relationship: {
      offer: {
        network_offer_id: num(offer.network_offer_id),
        network_id: num(offer.network_id),
        network_tracking_domain_id: num(offer.network_tracking_domain_id),
        name: str(offer.name),
        offer_status: str(offer.offer_status),
      },
      geolocation: {
        country_code: str(geo.country_code),
        country_name: str(geo.country_name),
        region_code: str(geo.region_code),
        region_name: str(geo.region_name),
        city_name: str(geo.city_name),
        dma: num(geo.dma),
        dma_name: str(geo.dma_name),
        timezone: str(geo.timezone),
        carrier_name: str(geo.carrier_name),
        carrier_code: carrierCode(geo.carrier_code),
        organization: str(geo.organization),
        isp_name: str(geo.isp_name),
        is_mobile: bool(geo.is_mobile),
        is_proxy: bool(geo.is_proxy),
        postal_code: str(geo.postal_code),
      },
      device_information: {
        is_mobile: bool(dev.is_mobile),
        platform_name: str(dev.platform_name),
        os_version: str(dev.os_version),
        brand: str(dev.brand),
        model: str(dev.model),
        is_tablet: bool(dev.is_tablet),
        browser_name: str(dev.browser_name),
        browser_version: str(dev.browser_version),
        device_type: str(dev.device_type),
        language: str(dev.language),
        http_accept_language: str(dev.http_accept_language),
        is_robot: bool(dev.is_robot),
        is_filter: bool(dev.is_filter),
      },
      query_parameters: queryParameters(rel.query_parameters),
    },
  };
  // Each object holds at least the known keys counted in `present`; more keys means unknown ones.
  // Set only when there are some: a click without them has no `extra` key at all (as before).
  if (keyCount(r) + keyCount(rel) + keyCount(offer) + keyCount(geo) + keyCount(dev) > present) {
    const extra = collectExtras(r, rel);
    if (extra) click.extra = extra;
  }
  return click;
}

/** The row list under `table` (current reference), `clicks` (seed) or a bare array, in that order. */
function rowList(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (typeof body === 'object' && body !== null) {
    const b = body as Raw;
    for (const key of ['table', 'clicks'] as const) {
      if (!(key in b)) continue;
      const v = b[key];
      if (Array.isArray(v)) return v;
      // Some generations send `null` for "no rows"; try the other key before settling for empty.
      if (v === null || v === undefined) continue;
      throw invalid(`the click stream's \`${key}\` is ${describeShape(v)}, not a list`);
    }
    if (('table' in b && b.table == null) || ('clicks' in b && b.clicks == null)) return [];
  }
  throw invalid(`expected a click stream with \`table\` or \`clicks\`, got ${describeShape(body)}`);
}

/** Rows of a stream response; `truncated` when the cap was reached, so more clicks may match. */
export function parseStreamResponse(body: unknown, cap: number): { rows: Click[]; truncated: boolean } {
  const list = rowList(body);
  const rows = new Array<Click>(list.length);
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw invalid(`row ${i + 1} of the click stream is ${describeShape(item)}, not a click object`);
    }
    rows[i] = normalizeClick(item);
  }
  return { rows, truncated: rows.length >= cap };
}

/** The single-click response: the click itself, or (tolerated) wrapped in `{ click: … }`. */
export function parseClickResponse(body: unknown): Click {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid(`expected a click object, got ${describeShape(body)}`);
  }
  const b = body as Raw;
  if (!('transaction_id' in b) && typeof b.click === 'object' && b.click !== null && !Array.isArray(b.click)) {
    return normalizeClick(b.click);
  }
  // Fields are optional, but an object with none of a click's landmarks (say `{"status":"ok"}`)
  // is some other answer, and showing it as an empty click would mislead.
  if (!('transaction_id' in b) && !('relationship' in b) && !('unix_timestamp' in b)) {
    throw invalid(`expected a click object with a transaction_id, got ${describeShape(body)}`);
  }
  return normalizeClick(b);
}

/** `{ timezones: [...] }` or a bare list; entries without a usable id are dropped. */
export function parseTimezones(body: unknown): Timezone[] {
  let list: unknown;
  if (Array.isArray(body)) list = body;
  else if (typeof body === 'object' && body !== null) list = (body as Raw).timezones;
  if (!Array.isArray(list)) throw invalid(`expected a timezone list under \`timezones\`, got ${describeShape(body)}`);
  const out: Timezone[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw invalid(`a timezone entry is ${describeShape(item)}, not an object`);
    }
    const t = item as Raw;
    const id = num(t.timezone_id);
    if (!Number.isInteger(id) || id <= 0) continue;
    out.push({ timezone_id: id, timezone_name: str(t.timezone_name), timezone: str(t.timezone), utc_offset: str(t.utc_offset) });
  }
  return out;
}
