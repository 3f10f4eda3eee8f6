import { EverflowError } from '../errors';
import type { Conversion } from './types';

// One page of Everflow's affiliate conversion report, normalised. Lenient on fields (three documentation
// generations disagree: `conversion_id` string or `network_conversion_id` integer, a status field or none,
// numbers sent as strings, `is_event` absent), strict on structure: a body that is not a list of objects
// is not a conversion report, and an empty result would tell the user "no conversions" when the truth is
// "Everflow answered something else".
//
// Nothing is dropped: every field the normalised row does not name is kept as sent in `other`. Keys are
// attacker-controlled (`__proto__`, markup), so `other` has no prototype and keys are always data.

type Raw = Record<string, unknown>;

/** The paging block of a response, when Everflow sent one. */
export interface ReportPaging {
  page: number;
  page_size: number;
  total_count: number;
}

export interface ConversionPage {
  rows: Conversion[];
  paging?: ReportPaging;
}

/** Top-level keys the normalised row reads; `relationship` is read for the offer and also kept whole. */
const KNOWN: ReadonlySet<string> = new Set([
  'conversion_id',
  'network_conversion_id',
  'transaction_id',
  'conversion_unix_timestamp',
  'click_unix_timestamp',
  'revenue',
  'sale_amount',
  'currency_id',
  'event',
  'is_event',
  'conversion_status',
  'status',
  'revenue_type',
  'source_id',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'order_id',
  'coupon_code',
  'country',
  'platform',
  'device_type',
]);

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const own = (o: Raw, k: string): unknown => (hasOwn(o, k) ? o[k] : undefined);

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : '';
  return '';
}

function num(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : 0;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : 0;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return 0;
}

function bool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return ['1', 'true', 'yes', 't', 'y'].includes(v.trim().toLowerCase());
  return false;
}

function invalid(message: string): EverflowError {
  return new EverflowError('invalidResponse', message);
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

/** One conversion row with every field present and typed; throws `invalidResponse` on a non-object. */
export function normalizeConversion(raw: unknown): Conversion {
  if (!isObject(raw)) throw invalid(`a conversion row is ${describeShape(raw)}, not an object`);
  const r = raw;
  const rel = own(r, 'relationship');
  const offer = isObject(rel) && isObject(own(rel, 'offer')) ? (own(rel, 'offer') as Raw) : undefined;
  const id = own(r, 'conversion_id') ?? own(r, 'network_conversion_id');
  const event = str(own(r, 'event'));
  const isEvent = own(r, 'is_event');
  const status = own(r, 'conversion_status') ?? own(r, 'status');
  const other = Object.create(null) as Raw;
  for (const k of Object.keys(r)) if (!KNOWN.has(k)) other[k] = r[k];
  return {
    conversion_id: str(id),
    transaction_id: str(own(r, 'transaction_id')).trim(),
    conversion_unix_timestamp: num(own(r, 'conversion_unix_timestamp')),
    click_unix_timestamp: num(own(r, 'click_unix_timestamp')),
    revenue: num(own(r, 'revenue')),
    sale_amount: num(own(r, 'sale_amount')),
    currency_id: str(own(r, 'currency_id')),
    event,
    is_event: isEvent === undefined || isEvent === null ? event !== '' : bool(isEvent),
    status: str(status),
    revenue_type: str(own(r, 'revenue_type')),
    source_id: str(own(r, 'source_id')),
    sub1: str(own(r, 'sub1')),
    sub2: str(own(r, 'sub2')),
    sub3: str(own(r, 'sub3')),
    sub4: str(own(r, 'sub4')),
    sub5: str(own(r, 'sub5')),
    order_id: str(own(r, 'order_id')),
    coupon_code: str(own(r, 'coupon_code')),
    country: str(own(r, 'country')),
    platform: str(own(r, 'platform')),
    device_type: str(own(r, 'device_type')),
    offer_id: offer ? num(own(offer, 'network_offer_id')) : 0,
    offer_name: offer ? str(own(offer, 'name')) : '',
    other,
  };
}

/** The row list under `conversions` (reference), `table` or a bare array. */
function rowList(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (isObject(body)) {
    for (const key of ['conversions', 'table'] as const) {
      if (!hasOwn(body, key)) continue;
      const v = body[key];
      if (Array.isArray(v)) return v;
      if (v === null) return [];
      throw invalid(`the conversion report's \`${key}\` is ${describeShape(v)}, not a list`);
    }
  }
  throw invalid(`expected a conversion report with \`conversions\`, got ${describeShape(body)}`);
}

function pagingOf(body: unknown): ReportPaging | undefined {
  if (!isObject(body)) return undefined;
  const p = own(body, 'paging');
  if (!isObject(p)) return undefined;
  return { page: num(own(p, 'page')), page_size: num(own(p, 'page_size')), total_count: num(own(p, 'total_count')) };
}

/** One page of the report: its rows and, when sent, its paging block. */
export function parseConversionPage(body: unknown): ConversionPage {
  const list = rowList(body);
  const rows = new Array<Conversion>(list.length);
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isObject(item)) throw invalid(`row ${i + 1} of the conversion report is ${describeShape(item)}, not a conversion object`);
    rows[i] = normalizeConversion(item);
  }
  const paging = pagingOf(body);
  return paging ? { rows, paging } : { rows };
}

/** `GET …/conversions/{id}`: the conversion itself, or (tolerated) wrapped in `conversion` or a one-row report. */
export function parseConversionResponse(body: unknown): Conversion {
  if (!isObject(body)) throw invalid(`expected a conversion object, got ${describeShape(body)}`);
  const landmark = (o: Raw): boolean => hasOwn(o, 'conversion_id') || hasOwn(o, 'network_conversion_id') || hasOwn(o, 'transaction_id');
  if (landmark(body)) return normalizeConversion(body);
  const wrapped = own(body, 'conversion');
  if (isObject(wrapped)) return normalizeConversion(wrapped);
  const list = own(body, 'conversions');
  if (Array.isArray(list) && list.length === 1) return normalizeConversion(list[0]);
  throw invalid(`expected a conversion object with a conversion_id, got ${describeShape(body)}`);
}
