import { columnsForRows } from './columns';
import { describeClickError } from './errorCodes';
import { flattenRows } from './flatten';
import { formatTimestamp } from './format';
import type { ViewSpec } from './gridTable';
import { summarize, type RowSet } from './summary/aggregate';
import { NO_ERROR_LABEL, REFERER_HOST, SummaryModel } from './summary/model';
import { packTable } from './tablePack';
import type { Click } from './types';

// A result sized for a language model: the numbers of the summary above the grid (the same engine,
// src/core/summary) over a few key dimensions, plus a handful of rows cut down to the fields people ask
// about. Never thousands of rows: the model is told how many there are and where the rest is.

/** Dimensions whose top values every digest lists, when the rows have them. */
export const DIGEST_DIMENSIONS: readonly string[] = [
  'offer.name',
  'geo.country_name',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source_id',
  'device.platform_name',
  REFERER_HOST,
];

export const DIGEST_TOP = 5;
export const SAMPLE_ROWS = 5;

export interface TopValue {
  value: string;
  clicks: number;
  /** Share of the clicks counted, 0..1, rounded to 3 places. */
  share: number;
}

export interface TopList {
  dimension: string;
  title: string;
  /** Distinct values among the clicks counted. */
  distinct: number;
  top: TopValue[];
  /** Clicks of every value not listed. */
  otherClicks?: number;
}

export interface ClickDigest {
  clicks: number;
  unique: number;
  withError: number;
  revenue: Array<{ currency: string; sum: number }>;
  /** First and last click, wall-clock time in `zone`. */
  firstClick?: string;
  lastClick?: string;
  zone: string;
  peakClicksPerMinute: number;
  /** Errors by meaning ("101 · Sub1 value filtered"), most clicks first; clicks without an error are not listed. */
  errors: TopValue[];
  top: TopList[];
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** The summary model of `rows`, with every column the grid would have. */
export function modelOf(rows: readonly Click[], zone: string): SummaryModel {
  return new SummaryModel(packTable(flattenRows(rows, columnsForRows(rows).columns)), zone);
}

/** The top values of one dimension over `rows`, or undefined when the table has no such column. */
export function topValues(model: SummaryModel, rows: RowSet, dimension: string, topN: number): TopList | undefined {
  if (!model.dimension(dimension)) return undefined;
  const b = summarize(model, rows, { dimension, topN }).breakdown;
  if (!b) return undefined;
  const list: TopList = {
    dimension: b.dimension,
    title: b.title,
    distinct: b.distinct,
    top: b.items.map((i) => ({ value: i.label, clicks: i.count, share: round3(i.share) })),
  };
  if (b.other) list.otherClicks = b.other.count;
  return list;
}

/** The compact summary of `rows` of `model` (all of them, or the indices a grid shows). */
export function digest(model: SummaryModel, rows: RowSet, opts: { topN?: number; dimensions?: readonly string[] } = {}): ClickDigest {
  const topN = opts.topN ?? DIGEST_TOP;
  const { cards } = summarize(model, rows);
  const errors = topValues(model, rows, 'error', 20);
  const out: ClickDigest = {
    clicks: cards.clicks,
    unique: cards.unique,
    withError: cards.withError,
    revenue: cards.revenue,
    zone: model.zone,
    peakClicksPerMinute: cards.peakPerMinute,
    errors: (errors?.top ?? []).filter((e) => e.value !== NO_ERROR_LABEL),
    top: [],
  };
  if (cards.first !== undefined) out.firstClick = formatTimestamp(cards.first, model.zone);
  if (cards.last !== undefined) out.lastClick = formatTimestamp(cards.last, model.zone);
  for (const d of opts.dimensions ?? DIGEST_DIMENSIONS) {
    const t = topValues(model, rows, d, topN);
    if (t && t.distinct > 0) out.top.push(t);
  }
  return out;
}

/** One click cut down to what a person asks about; the full row stays in the grid. */
export function compactClick(c: Click, zone: string): Record<string, unknown> {
  const rel = c.relationship ?? {};
  const offer = rel.offer;
  const geo = rel.geolocation;
  const dev = rel.device_information;
  const out: Record<string, unknown> = {
    transaction_id: c.transaction_id,
    time: typeof c.unix_timestamp === 'number' ? `${formatTimestamp(c.unix_timestamp, zone)} (${zone})` : undefined,
    is_unique: Boolean(c.is_unique),
    offer: offer ? { id: offer.network_offer_id, name: offer.name } : undefined,
    country: geo?.country_name,
    region: geo?.region_name,
    city: geo?.city_name,
    platform: dev?.platform_name,
    device_type: dev?.device_type,
    browser: dev?.browser_name,
    source_id: c.source_id,
    sub1: c.sub1,
    sub2: c.sub2,
    sub3: c.sub3,
    sub4: c.sub4,
    sub5: c.sub5,
    error: describeClickError(c.error_code, c.error_message),
    revenue: typeof c.revenue === 'number' && c.revenue !== 0 ? { amount: c.revenue, currency: c.currency_id } : undefined,
    coupon_code: c.coupon_code,
    referer: c.referer,
    tracking_url: c.tracking_url,
    query_parameters: rel.query_parameters ?? undefined,
  };
  for (const [k, v] of Object.entries(out)) if (v === undefined || v === '' || v === null) delete out[k];
  return out;
}

/** Up to `n` rows spread over `rows` (first, last and evenly between), so a sample is not all one minute. */
export function sampleIndices(count: number, n = SAMPLE_ROWS): number[] {
  if (count <= n) return Array.from({ length: count }, (_, i) => i);
  const out = new Set<number>();
  for (let k = 0; k < n; k++) out.add(Math.round((k * (count - 1)) / (n - 1)));
  return [...out];
}

/**
 * The grid's search, filters, time range and sort as plain data for the fence (filter values are cell
 * texts, so API data). Empty when the grid shows every row in its own order.
 */
export function gridFilters(spec: ViewSpec | undefined, zone: string): Record<string, unknown> {
  if (!spec) return {};
  const out: Record<string, unknown> = {};
  if (spec.search) out.search = spec.search;
  if (spec.contains && Object.keys(spec.contains).length) out.columnContains = spec.contains;
  if (spec.values?.length) out.valueFilters = spec.values.map((v) => ({ column: v.column, [v.exclude ? 'exclude' : 'keep']: v.text }));
  if (spec.time) out.timeRange = { from: formatTimestamp(spec.time.start, zone), toBefore: formatTimestamp(spec.time.end, zone), zone };
  if (spec.sort) out.sort = `${spec.sort.column} ${spec.sort.asc ? 'ascending' : 'descending'}`;
  return out;
}
