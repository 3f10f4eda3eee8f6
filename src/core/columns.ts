import { conversionOf } from './conversions/clickConversions';
import { formatDuration } from './conversions/duration';
import type { Conversion } from './conversions/types';
import { describeClickError } from './errorCodes';
import { extraHeader, extraPathOf, extraValue, scanExtraColumns, type ExtraPath } from './extras';
import { formatBoolean, formatMoney, formatTimestamp } from './format';
import type { Click } from './types';

// Every field of a normalised Click as one column, in the order a person scans a click: when, which
// click, what offer, where, on what device, the sub ids, the money, then the long tail of ids and
// hashes. Ids are stable strings (saved column layouts and webview state refer to them), headers are
// for people and may change.

export type ColumnKind = 'text' | 'number' | 'boolean' | 'timestamp' | 'money' | 'id' | 'duration';

export type CellValue = string | number | boolean;

export interface ColumnDef {
  /** Stable, e.g. `geo.country_name`. */
  id: string;
  header: string;
  kind: ColumnKind;
  visibleByDefault: boolean;
  /**
   * The raw value: numbers stay numbers (sorting, CSV), timestamps are epoch seconds (the zone is
   * the viewer's choice), money is the amount without currency. `cellText` turns it into text.
   */
  get(row: Click): CellValue;
  /** Set on a column of a field Everflow sent that the catalogue does not name (extras.ts). */
  extra?: ExtraPath;
  /** For money: the column whose value is this amount's currency (default `currency_id`, the click's). */
  currencyColumn?: string;
}

type Rel = Click['relationship'];
type Geo = Rel['geolocation'];
type Device = Rel['device_information'];
type Offer = Rel['offer'];

/** The top-level keys whose values are cells (everything but `relationship`). */
type ScalarKey = { [P in keyof Click]-?: Click[P] extends CellValue ? P : never }[keyof Click];

function top<K extends ScalarKey>(key: K, header: string, kind: ColumnKind, visible = false): ColumnDef {
  return { id: key, header, kind, visibleByDefault: visible, get: (r) => r[key] };
}

function offer<K extends keyof Offer>(key: K, header: string, kind: ColumnKind, visible = false): ColumnDef {
  return { id: `offer.${key}`, header, kind, visibleByDefault: visible, get: (r) => r.relationship.offer[key] };
}

function geo<K extends keyof Geo>(key: K, header: string, kind: ColumnKind, visible = false): ColumnDef {
  return { id: `geo.${key}`, header, kind, visibleByDefault: visible, get: (r) => r.relationship.geolocation[key] };
}

function device<K extends keyof Device>(key: K, header: string, kind: ColumnKind, visible = false): ColumnDef {
  return { id: `device.${key}`, header, kind, visibleByDefault: visible, get: (r) => r.relationship.device_information[key] };
}

/**
 * `k=v&k=v`, keys in the order Everflow sent them, percent-encoding only what would make the text
 * ambiguous (`&`, `=`, `%`, and control characters). A readable one-cell summary, not a URL to
 * follow: the values are attacker-controlled.
 */
export function formatQueryParameters(qp: Record<string, string> | null | undefined): string {
  if (!qp || typeof qp !== 'object') return '';
  const parts: string[] = [];
  for (const key of Object.keys(qp)) {
    const v = qp[key];
    parts.push(`${encodePart(key)}=${encodePart(typeof v === 'string' ? v : v == null ? '' : String(v))}`);
  }
  return parts.join('&');
}

// eslint-disable-next-line no-control-regex
const AMBIGUOUS = /[%&=\u0000-\u001f\u007f]/g;

function encodePart(s: string): string {
  return s.replace(AMBIGUOUS, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export const COLUMNS: readonly ColumnDef[] = Object.freeze([
  { id: 'time', header: 'Time', kind: 'timestamp', visibleByDefault: true, get: (r: Click) => r.unix_timestamp },
  top('transaction_id', 'Transaction ID', 'id', true),
  offer('name', 'Offer', 'text', true),
  offer('network_offer_id', 'Offer ID', 'id'),
  offer('offer_status', 'Offer Status', 'text'),
  offer('network_id', 'Network ID', 'id'),
  offer('network_tracking_domain_id', 'Tracking Domain ID', 'id'),
  geo('country_name', 'Country', 'text', true),
  geo('country_code', 'Country Code', 'text'),
  geo('region_name', 'Region', 'text'),
  geo('region_code', 'Region Code', 'text'),
  geo('city_name', 'City', 'text', true),
  geo('postal_code', 'Postal Code', 'text'),
  geo('dma', 'DMA', 'id'),
  geo('dma_name', 'DMA Name', 'text'),
  geo('timezone', 'Visitor Timezone', 'text'),
  geo('carrier_name', 'Carrier', 'text'),
  geo('carrier_code', 'Carrier Code', 'id'),
  geo('isp_name', 'ISP', 'text'),
  geo('organization', 'Organization', 'text'),
  geo('is_mobile', 'Mobile Connection', 'boolean'),
  geo('is_proxy', 'Is Proxy', 'boolean'),
  device('platform_name', 'Platform', 'text', true),
  device('os_version', 'OS Version', 'text'),
  device('device_type', 'Device Type', 'text'),
  device('brand', 'Brand', 'text'),
  device('model', 'Model', 'text'),
  device('browser_name', 'Browser', 'text', true),
  device('browser_version', 'Browser Version', 'text'),
  device('language', 'Language', 'text'),
  device('http_accept_language', 'Accept-Language', 'text'),
  device('is_mobile', 'Is Mobile', 'boolean'),
  device('is_tablet', 'Is Tablet', 'boolean'),
  device('is_robot', 'Is Robot', 'boolean'),
  device('is_filter', 'Is Filtered', 'boolean'),
  top('sub1', 'Sub 1', 'text', true),
  top('sub2', 'Sub 2', 'text', true),
  top('sub3', 'Sub 3', 'text', true),
  top('sub4', 'Sub 4', 'text'),
  top('sub5', 'Sub 5', 'text'),
  top('source_id', 'Source ID', 'text'),
  top('revenue', 'Revenue', 'money', true),
  top('revenue_type', 'Revenue Type', 'text'),
  top('currency_id', 'Currency', 'text'),
  top('is_unique', 'Unique', 'boolean', true),
  // The code with its meaning: Everflow's own message is often a placeholder ("N/A") even with a code.
  { id: 'error', header: 'Error', kind: 'text', visibleByDefault: true, get: (r: Click) => describeClickError(r.error_code, r.error_message) },
  top('error_code', 'Error Code', 'number'),
  top('error_message', 'Error Message', 'text'),
  top('coupon_code', 'Coupon Code', 'text'),
  top('user_ip', 'User IP', 'text'),
  top('referer', 'Referer', 'text'),
  top('tracking_url', 'Tracking URL', 'text'),
  {
    id: 'query_parameters',
    header: 'Query Parameters',
    kind: 'text',
    visibleByDefault: false,
    get: (r: Click) => formatQueryParameters(r.relationship.query_parameters),
  },
  top('unix_timestamp', 'Unix Timestamp', 'number'),
  top('idfa', 'IDFA', 'id'),
  top('idfa_md5', 'IDFA MD5', 'id'),
  top('idfa_sha1', 'IDFA SHA1', 'id'),
  top('google_ad_id', 'Google Ad ID', 'id'),
  top('google_ad_id_md5', 'Google Ad ID MD5', 'id'),
  top('google_ad_id_sha1', 'Google Ad ID SHA1', 'id'),
  top('android_id', 'Android ID', 'id'),
  top('android_id_md5', 'Android ID MD5', 'id'),
  top('android_id_sha1', 'Android ID SHA1', 'id'),
] satisfies ColumnDef[]);

// What a result's clicks joined with their conversions add (issue #15; conversions/join.ts): present
// only in a result that has had conversions added. A click without conversions shows 0 and blanks.
const none = (r: Click) => conversionOf(r);
const blankNaN = (v: number | undefined): CellValue => (v === undefined || Number.isNaN(v) ? '' : v);

export const CONVERSION_COLUMNS: readonly ColumnDef[] = Object.freeze([
  { id: 'conversion.count', header: 'Conversions', kind: 'number', visibleByDefault: true, get: (r: Click) => none(r)?.conversions ?? 0 },
  { id: 'conversion.events', header: 'Events', kind: 'number', visibleByDefault: true, get: (r: Click) => none(r)?.events ?? 0 },
  { id: 'conversion.revenue', header: 'Conversion Revenue', kind: 'money', visibleByDefault: true, currencyColumn: 'conversion.currency', get: (r: Click) => none(r)?.revenue ?? 0 },
  { id: 'conversion.sale_amount', header: 'Sale Amount', kind: 'money', visibleByDefault: true, currencyColumn: 'conversion.currency', get: (r: Click) => none(r)?.saleAmount ?? 0 },
  { id: 'conversion.first', header: 'First Conversion', kind: 'timestamp', visibleByDefault: true, get: (r: Click) => blankNaN(none(r)?.first) },
  { id: 'conversion.time_to_convert', header: 'Time to Convert', kind: 'duration', visibleByDefault: true, get: (r: Click) => blankNaN(none(r)?.timeToConvert) },
  { id: 'conversion.status', header: 'Conversion Status', kind: 'text', visibleByDefault: true, get: (r: Click) => none(r)?.status ?? '' },
  // The quick filter "Converted / Not converted" is a value filter on this column.
  { id: 'conversion.converted', header: 'Converted', kind: 'boolean', visibleByDefault: false, get: (r: Click) => none(r) !== undefined },
  // An amount's currency; a click without conversions shows its own, so its 0 reads "$0.00".
  { id: 'conversion.currency', header: 'Conversion Currency', kind: 'text', visibleByDefault: false, get: (r: Click) => { const c = none(r); return c ? c.currency : r.currency_id; } },
] satisfies ColumnDef[]);

// A conversions result (the conversions whose click is not in a result, opened as a grid of their
// own) goes through the same table, grid, copies and exports as clicks do. Its rows are conversions
// carried where a result's rows go, so these getters read each row as the conversion it is. Every
// free-text field is attacker-controlled and stays text (kind 'text'); unknown fields are one cell of
// JSON text.
const asConversion = (r: Click): Conversion => r as unknown as Conversion;

function cv<K extends Exclude<keyof Conversion, 'other'>>(key: K, header: string, kind: ColumnKind, visible = false): ColumnDef {
  return { id: `cv.${key}`, header, kind, visibleByDefault: visible, get: (r) => asConversion(r)[key] };
}

/** The columns of a conversions result, in the order a person scans a conversion. */
export const CONVERSION_ROW_COLUMNS: readonly ColumnDef[] = Object.freeze([
  cv('conversion_unix_timestamp', 'Conversion Time', 'timestamp', true),
  cv('transaction_id', 'Transaction ID', 'id', true),
  cv('conversion_id', 'Conversion ID', 'id', true),
  cv('event', 'Event', 'text', true),
  cv('is_event', 'Is Event', 'boolean'),
  cv('status', 'Status', 'text', true),
  { ...cv('revenue', 'Revenue', 'money', true), currencyColumn: 'cv.currency_id' },
  { ...cv('sale_amount', 'Sale Amount', 'money', true), currencyColumn: 'cv.currency_id' },
  cv('currency_id', 'Currency', 'text'),
  // 0 when Everflow sent no click time: blank, not 1970.
  { id: 'cv.click_unix_timestamp', header: 'Click Time', kind: 'timestamp', visibleByDefault: true, get: (r: Click) => asConversion(r).click_unix_timestamp || '' },
  cv('offer_name', 'Offer', 'text', true),
  cv('offer_id', 'Offer ID', 'number'),
  cv('source_id', 'Source ID', 'text'),
  cv('sub1', 'Sub 1', 'text', true),
  cv('sub2', 'Sub 2', 'text', true),
  cv('sub3', 'Sub 3', 'text'),
  cv('sub4', 'Sub 4', 'text'),
  cv('sub5', 'Sub 5', 'text'),
  cv('order_id', 'Order ID', 'text', true),
  cv('coupon_code', 'Coupon Code', 'text', true),
  cv('country', 'Country', 'text', true),
  cv('platform', 'Platform', 'text'),
  cv('device_type', 'Device Type', 'text'),
  cv('revenue_type', 'Revenue Type', 'text'),
  {
    id: 'cv.other',
    header: 'Other Fields',
    kind: 'text',
    visibleByDefault: false,
    get: (r: Click) => {
      const o = asConversion(r).other;
      return o && Object.keys(o).length > 0 ? JSON.stringify(o) : '';
    },
  },
] satisfies ColumnDef[]);

/** True for the id of a column the conversions add. */
export function isConversionColumnId(id: string): boolean {
  return id.startsWith('conversion.');
}

const byId = new Map([...COLUMNS, ...CONVERSION_COLUMNS, ...CONVERSION_ROW_COLUMNS].map((c) => [c.id, c]));

/** Columns of unknown fields made so far, by id; bounded, since ids come from API data. */
const extraById = new Map<string, ColumnDef>();
const MAX_CACHED_EXTRAS = 2000;

/**
 * The column of a field Everflow sent that the catalogue does not name, from its `extra:` id (see
 * extras.ts): hidden by default, text, named like the others ("Offer: Payout Type").
 */
function extraColumn(id: string): ColumnDef | undefined {
  const cached = extraById.get(id);
  if (cached) return cached;
  const path = extraPathOf(id);
  if (!path) return undefined;
  const col: ColumnDef = { id, header: extraHeader(path), kind: 'text', visibleByDefault: false, extra: path, get: (r: Click) => extraValue(r, path) };
  if (extraById.size >= MAX_CACHED_EXTRAS) extraById.clear();
  extraById.set(id, col);
  return col;
}

/** A catalogue column, or the column of an unknown field (`extra:…`), by id. */
export function columnById(id: string): ColumnDef | undefined {
  return byId.get(id) ?? extraColumn(id);
}

/** True for the id of an unknown field's column. */
export function isExtraColumnId(id: string): boolean {
  return extraPathOf(id) !== undefined;
}

export interface ResultColumns {
  /** The catalogue, then a column per unknown field the rows carry (at most MAX_EXTRA_COLUMNS). */
  columns: ColumnDef[];
  /** Unknown fields left out of the columns by that limit (still in details, JSON and exports). */
  omitted: number;
}

/**
 * Every column for these rows: the catalogue's, the conversions' when they were added (`conversions`),
 * plus the unknown fields the rows carry (extras.ts).
 */
export function columnsForRows(rows: readonly Click[], opts: { conversions?: boolean } = {}): ResultColumns {
  const base = opts.conversions ? [...COLUMNS, ...CONVERSION_COLUMNS] : [...COLUMNS];
  const scan = scanExtraColumns(rows);
  if (scan.ids.length === 0) return { columns: base, omitted: scan.omitted };
  const extras: ColumnDef[] = [];
  for (const id of scan.ids) {
    const c = extraColumn(id);
    if (c) extras.push(c);
  }
  return { columns: [...base, ...extras], omitted: scan.omitted };
}

/** The columns a new grid or export shows, in catalogue order. */
export function defaultColumns(): ColumnDef[] {
  return COLUMNS.filter((c) => c.visibleByDefault);
}

/**
 * Columns for a list of ids (a saved layout), in the order given; unknown ids are dropped so a
 * layout saved by a newer version still opens.
 */
export function columnsByIds(ids: readonly string[]): ColumnDef[] {
  const out: ColumnDef[] = [];
  for (const id of ids) {
    const c = columnById(id);
    if (c) out.push(c);
  }
  return out;
}

export interface CellTextOptions {
  /** IANA zone for timestamp columns. */
  zone: string;
  /** `words` (Yes/No, $1.50) for people; `literal` (true/false, 1.5) for files read back by tools. */
  style?: 'words' | 'literal';
}

/** The plain text of one cell, as the grid and the clipboard show it. */
export function cellText(col: ColumnDef, row: Click, opts: CellTextOptions): string {
  const v = col.get(row);
  const style = opts.style ?? 'words';
  switch (col.kind) {
    case 'timestamp':
      return typeof v === 'number' ? formatTimestamp(v, opts.zone) : String(v);
    case 'money':
      if (typeof v !== 'number') return String(v);
      return style === 'words' ? formatMoney(v, currencyOfRow(col, row)) : String(v);
    case 'duration':
      return typeof v === 'number' ? formatDuration(v) : String(v);
    case 'boolean':
      return typeof v === 'boolean' ? formatBoolean(v, style) : String(v);
    default:
      return typeof v === 'boolean' ? formatBoolean(v, style) : String(v);
  }
}

/** The currency of a money cell: the column named by `currencyColumn`, else the click's. */
function currencyOfRow(col: ColumnDef, row: Click): string {
  if (!col.currencyColumn) return row.currency_id;
  const v = columnById(col.currencyColumn)?.get(row);
  return typeof v === 'string' ? v : '';
}
