import { FALLBACK_TIMEZONES, zoneNameFor } from './timezones';
import type { QueryFilter, StreamRequest, Timezone } from './types';
import { canonicalResourceType } from './validation';

// Plain-English rendering of a query, following the seed's rule: filters with the same resource
// type are OR-ed, different types are AND-ed. Users read this next to a result to check that the
// query means what they think, so it favours the words they use ("sub1") over wire names ("s1").

const TYPE_NAMES: Readonly<Record<string, string>> = {
  device_platform: 'device platform',
  device_type: 'device type',
  device_make: 'device make',
  connection_type: 'connection type',
  source_id: 'source id',
  offer_url: 'offer URL',
  device_model: 'device model',
  coupon_code: 'coupon code',
  s1: 'sub1',
  s2: 'sub2',
  s3: 'sub3',
  s4: 'sub4',
  s5: 'sub5',
};

/** The readable name of a resource type: "sub1" for s1, "device platform" for device_platform. */
export function resourceTypeLabel(type: string): string {
  const canonical = canonicalResourceType(type) ?? type.trim();
  return TYPE_NAMES[canonical] ?? canonical;
}

// A value holding a comma or one of the connectives this text uses ("Trinidad and Tobago") is
// quoted, so it cannot read as two values; everything else stays bare to keep the sentence short.
const NEEDS_QUOTES = /[,"“”\n\r\t]|^\s|\s$|^$|\b(or|and|excluding)\b/i;
const MAX_VALUE = 60;

function showValue(value: unknown): string {
  let v = typeof value === 'string' ? value.trim() : String(value ?? '');
  if (v.length > MAX_VALUE) v = `${v.slice(0, MAX_VALUE - 1)}…`;
  return NEEDS_QUOTES.test(v) ? JSON.stringify(v) : v;
}

/** Groups by readable type in first-seen order; each group is "offer 883 or 518". */
function groups(list: readonly QueryFilter[] | undefined): string[] {
  if (!Array.isArray(list)) return [];
  const byType = new Map<string, string[]>();
  for (const f of list) {
    if (typeof f !== 'object' || f === null) continue;
    const label = resourceTypeLabel(String(f.resource_type ?? ''));
    const values = byType.get(label) ?? [];
    const shown = showValue(f.filter_id_value);
    if (!values.includes(shown)) values.push(shown);
    byType.set(label, values);
  }
  return [...byType].map(([label, values]) => `${label} ${values.join(' or ')}`);
}

/** "a", "a, and b", "a, b, and c": the comma before "and" keeps OR-groups apart. */
function andList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]}, and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
}

/**
 * e.g. "offer 883 or 518, and country United States, excluding sub1 internal"; "all clicks" when
 * nothing narrows the stream. Each exclusion group removes the clicks it matches on its own.
 */
export function describeLogic(query: StreamRequest['query']): string {
  const included = groups(query?.filters);
  const excluded = groups(query?.exclusions);
  const head = included.length > 0 ? andList(included) : 'all clicks';
  if (excluded.length === 0) return head;
  return `${head}, excluding ${excluded.join(', excluding ')}`;
}

/**
 * The logic plus the window and zone, e.g. "offer 883, from 2026-03-01 00:00:00 to 2026-03-14
 * 23:59:59 (America/New_York, timezone 80)". `timezones` is Everflow's list when it is known; the
 * documented ids stand in before it is fetched.
 */
export function describeRequest(
  req: StreamRequest,
  timezones: readonly Pick<Timezone, 'timezone_id' | 'timezone'>[] = FALLBACK_TIMEZONES,
): string {
  const zone = zoneNameFor(req.timezone_id, timezones) ?? zoneNameFor(req.timezone_id, FALLBACK_TIMEZONES);
  const tz = zone ? `${zone}, timezone ${req.timezone_id}` : `timezone ${req.timezone_id}`;
  return `${describeLogic(req.query)}, from ${String(req.from).trim()} to ${String(req.to).trim()} inclusive (${tz})`;
}
