import type { Click, ClickExtras } from './types';

// Fields Everflow sends that the client has no name for. Everflow adds fields over time (the network
// stream already has payout, affiliate, advertiser …), so parse.ts keeps every unknown key of a row,
// of its known `relationship` objects, and every unknown `relationship` entry, as sent. This module
// says which keys are known, collects the rest, turns them into grid/export columns and puts them
// back in place for JSON.
//
// Names and values are attacker-controlled: a key may be `__proto__`, `constructor`, markup, 10,000
// characters long, or one of thousands. Maps here have no prototype (so any key is a plain own
// property), names are looked up with Set/Map or hasOwnProperty, never `in` or a bare `o[k]` on an
// ordinary object, and the columns offered are bounded (MAX_EXTRA_COLUMNS).

type Raw = Record<string, unknown>;

/** Top-level keys parse.ts reads (everything in `Click` but `extra`). */
export const KNOWN_TOP: ReadonlySet<string> = new Set([
  'transaction_id',
  'is_unique',
  'unix_timestamp',
  'tracking_url',
  'source_id',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'revenue_type',
  'revenue',
  'referer',
  'error_code',
  'error_message',
  'user_ip',
  'currency_id',
  'coupon_code',
  'idfa',
  'idfa_md5',
  'idfa_sha1',
  'google_ad_id',
  'google_ad_id_md5',
  'google_ad_id_sha1',
  'android_id',
  'android_id_md5',
  'android_id_sha1',
  'relationship',
]);

/** The known `relationship` objects and the keys parse.ts reads from each. `query_parameters` is kept whole already. */
export const KNOWN_RELATIONSHIP: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['offer', new Set(['network_offer_id', 'network_id', 'network_tracking_domain_id', 'name', 'offer_status'])],
  [
    'geolocation',
    new Set([
      'country_code',
      'country_name',
      'region_code',
      'region_name',
      'city_name',
      'dma',
      'dma_name',
      'timezone',
      'carrier_name',
      'carrier_code',
      'organization',
      'isp_name',
      'is_mobile',
      'is_proxy',
      'postal_code',
    ]),
  ],
  [
    'device_information',
    new Set([
      'is_mobile',
      'platform_name',
      'os_version',
      'brand',
      'model',
      'is_tablet',
      'browser_name',
      'browser_version',
      'device_type',
      'language',
      'http_accept_language',
      'is_robot',
      'is_filter',
    ]),
  ],
]);

const QUERY_PARAMETERS = 'query_parameters';

/**
 * At most this many unknown fields become grid columns (the first seen, in row order). The rest are
 * still in every row's details, "Open as JSON" and the JSON export; the grid says how many it left out.
 */
export const MAX_EXTRA_COLUMNS = 100;

/** The count of unknown fields left out of the columns stops here (the grid then says "at least"). */
export const MAX_COUNTED = 10_000;

const isPlainObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const own = (o: unknown, k: string): unknown => (isPlainObject(o) && hasOwn(o, k) ? o[k] : undefined);

function bag(): Raw {
  return Object.create(null) as Raw;
}

/**
 * The keys of `r` (a click row) and `rel` (its `relationship`, or an empty object) that the known
 * lists do not name, with their values as sent; undefined when there are none. Only called when
 * parse.ts's key count says there is something to find.
 */
export function collectExtras(r: Raw, rel: Raw): ClickExtras | undefined {
  let top: Raw | undefined;
  for (const k of Object.keys(r)) {
    if (!KNOWN_TOP.has(k)) (top ??= bag())[k] = r[k];
  }
  let relationship: Raw | undefined;
  for (const k of Object.keys(rel)) {
    if (k === QUERY_PARAMETERS) continue;
    const known = KNOWN_RELATIONSHIP.get(k);
    const v = rel[k];
    if (!known) {
      (relationship ??= bag())[k] = v;
      continue;
    }
    if (!isPlainObject(v)) continue;
    let fields: Raw | undefined;
    for (const f of Object.keys(v)) {
      if (!known.has(f)) (fields ??= bag())[f] = v[f];
    }
    if (fields) (relationship ??= bag())[k] = fields;
  }
  if (!top && !relationship) return undefined;
  const out: ClickExtras = {};
  if (top) out.top = top;
  if (relationship) out.relationship = relationship;
  return out;
}

// ---- columns ------------------------------------------------------------------------------------

/**
 * Where an unknown field sits: `[key]` at the top level, `['relationship', name, key]` inside a
 * `relationship` object, `['relationship', name]` for a `relationship` entry that is not an object.
 */
export type ExtraPath = readonly [string] | readonly ['relationship', string] | readonly ['relationship', string, string];

export const EXTRA_PREFIX = 'extra:';

/** A stable column id: each segment percent-encoded, so no key (`/`, `__proto__`, markup) can be mistaken for another. */
export function extraColumnId(path: ExtraPath): string {
  return EXTRA_PREFIX + path.map((s) => encodeURIComponent(s)).join('/');
}

/** The path of an `extra:` column id, or undefined for any other text. */
export function extraPathOf(id: string): ExtraPath | undefined {
  if (typeof id !== 'string' || !id.startsWith(EXTRA_PREFIX)) return undefined;
  let parts: string[];
  try {
    parts = id.slice(EXTRA_PREFIX.length).split('/').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  if (parts.length === 1) return KNOWN_TOP.has(parts[0]) ? undefined : [parts[0]];
  if (parts[0] !== 'relationship') return undefined;
  if (parts.length === 2) return ['relationship', parts[1]];
  if (parts.length === 3) return ['relationship', parts[1], parts[2]];
  return undefined;
}

/** A cell's value for the unknown field at `path`: scalars as sent, objects and arrays as JSON text, absent as "". */
export function extraValue(row: Click, path: ExtraPath): string | number | boolean {
  const x = row.extra;
  if (x === undefined) return '';
  let v: unknown;
  if (path.length === 1) v = own(x.top, path[0]);
  else {
    const g = own(x.relationship, path[1]);
    v = path.length === 2 ? g : own(g, path[2]);
  }
  return cellOf(v);
}

function cellOf(v: unknown): string | number | boolean {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : '';
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v) ?? '';
  return String(v);
}

/** The unknown fields of one row, as paths, in the order they were sent. */
function pathsOf(x: ClickExtras, visit: (path: ExtraPath) => void): void {
  if (x.top) for (const k of Object.keys(x.top)) visit([k]);
  if (!x.relationship) return;
  for (const name of Object.keys(x.relationship)) {
    const v = x.relationship[name];
    if (isPlainObject(v) && (KNOWN_RELATIONSHIP.has(name) || Object.keys(v).length > 0)) {
      for (const f of Object.keys(v)) visit(['relationship', name, f]);
    } else {
      visit(['relationship', name]);
    }
  }
}

export interface ExtraColumnScan {
  /** Column ids (`extra:…`) of the unknown fields, first seen first, at most `limit`. */
  ids: string[];
  /** Distinct unknown fields beyond the limit (not offered as columns); at most MAX_COUNTED. */
  omitted: number;
}

/**
 * The unknown fields across `rows`, as column ids. Rows without unknown fields (all of them, usually)
 * cost one property read each.
 */
export function scanExtraColumns(rows: readonly Click[], limit = MAX_EXTRA_COLUMNS): ExtraColumnScan {
  const ids: string[] = [];
  const seen = new Set<string>();
  let omitted = 0;
  // Paths repeat row after row: their ids are worked out once per distinct key.
  const topIds = new Map<string, string>();
  for (let i = 0; i < rows.length; i++) {
    const x = rows[i].extra;
    if (x === undefined) continue;
    pathsOf(x, (path) => {
      let id = path.length === 1 ? topIds.get(path[0]) : undefined;
      if (id === undefined) {
        id = extraColumnId(path);
        if (path.length === 1 && topIds.size < MAX_COUNTED) topIds.set(path[0], id);
      }
      if (seen.has(id)) return;
      // Past the limit only a count is wanted, and it stops at MAX_COUNTED ("at least").
      if (seen.size >= limit + MAX_COUNTED) return;
      seen.add(id);
      if (ids.length < limit) ids.push(id);
      else omitted++;
    });
  }
  return { ids, omitted };
}

// ---- headers ------------------------------------------------------------------------------------

const WORDS: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    id: 'ID',
    ids: 'IDs',
    ip: 'IP',
    url: 'URL',
    dma: 'DMA',
    isp: 'ISP',
    os: 'OS',
    md5: 'MD5',
    sha1: 'SHA1',
    sha256: 'SHA256',
    idfa: 'IDFA',
    api: 'API',
    utc: 'UTC',
    http: 'HTTP',
    cpa: 'CPA',
    cpc: 'CPC',
    cpm: 'CPM',
    cps: 'CPS',
    rpc: 'RPC',
    epc: 'EPC',
    ua: 'UA',
  }),
);

const GROUPS: ReadonlyMap<string, string> = new Map([
  ['offer', 'Offer'],
  ['geolocation', 'Geolocation'],
  ['device_information', 'Device'],
]);

/** Longest header shown; a longer key is cut with "…" (its id and data stay whole). */
const MAX_HEADER = 60;

/** `payout_type` → "Payout Type", `advertiserId` → "Advertiser ID"; control characters dropped; "(no name)" for "". */
export function humanizeKey(key: string): string {
  // eslint-disable-next-line no-control-regex
  const text = key.slice(0, MAX_HEADER * 2).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter((w) => w !== '')
    .map((w) => WORDS[w.toLowerCase()] ?? w.charAt(0).toUpperCase() + w.slice(1));
  const out = words.join(' ') || (key === '' ? '(no name)' : key.trim() || '(blank name)');
  return out.length > MAX_HEADER || key.length > MAX_HEADER * 2 ? `${out.slice(0, MAX_HEADER - 1)}…` : out;
}

/** A column header for an unknown field, named like the known ones: "Payout", "Offer: Payout Type", "Affiliate: Name". */
export function extraHeader(path: ExtraPath): string {
  if (path.length === 1) return humanizeKey(path[0]);
  const group = GROUPS.get(path[1]) ?? humanizeKey(path[1]);
  return path.length === 2 ? group : `${group}: ${humanizeKey(path[2])}`;
}

// ---- JSON ---------------------------------------------------------------------------------------

/**
 * The click as JSON shows it (row details, JSON export and copy): the normalised fields with every
 * unknown field back where Everflow sent it. A click without unknown fields is returned as is.
 */
export function clickAsJson(click: Click): unknown {
  const x = click.extra;
  if (x === undefined) return click;
  const out = bag();
  for (const k of Object.keys(click)) if (k !== 'extra') out[k] = (click as unknown as Raw)[k];
  if (x.relationship) {
    const rel = bag();
    const known = click.relationship as unknown as Raw;
    for (const k of Object.keys(known)) rel[k] = known[k];
    for (const name of Object.keys(x.relationship)) {
      const v = x.relationship[name];
      if (KNOWN_RELATIONSHIP.has(name) && isPlainObject(v) && isPlainObject(rel[name])) {
        const merged = bag();
        const base = rel[name] as Raw;
        for (const k of Object.keys(base)) merged[k] = base[k];
        for (const k of Object.keys(v)) if (!hasOwn(merged, k)) merged[k] = v[k];
        rel[name] = merged;
      } else if (!hasOwn(rel, name)) {
        rel[name] = v;
      }
    }
    out.relationship = rel;
  }
  if (x.top) for (const k of Object.keys(x.top)) if (!hasOwn(out, k)) out[k] = x.top[k];
  return out;
}
