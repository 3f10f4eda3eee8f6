import { COLUMNS, columnById, type ColumnDef, type ColumnKind } from '../../src/core/columns';
import type { ValueFilter, ViewSpec } from '../../src/core/gridTable';

// The grid's layout and filters: what the webview keeps in its state (so hiding the panel or
// reloading the window finds the grid as it was left) and restores only for the same result.

export interface GridLayout {
  /** Visible column ids, in display order. */
  columns: string[];
  /** Widths the user set or auto-fitted, by column id. */
  widths: Record<string, number>;
  /** How many of the first visible columns are frozen (0 = none). */
  frozen: number;
  spec: ViewSpec;
  groupBy?: string;
  detailOpen: boolean;
  /** Set once the conversion columns were put into `columns` (after that, hiding them is the user's choice). */
  conversionColumns?: boolean;
  /** The summary's choices: breakdown dimension, second measure, bucket size, unique-vs-duplicate view. */
  summary?: { dimension?: string; measure?: string; bucket?: string; uniques?: boolean; converted?: boolean };
}

/** `base`: the table's catalogue (the clicks', or a conversions result's CONVERSION_ROW_COLUMNS). */
export function defaultLayout(base: readonly ColumnDef[] = COLUMNS): GridLayout {
  return {
    columns: base.filter((c) => c.visibleByDefault).map((c) => c.id),
    widths: {},
    frozen: 1,
    spec: { search: '', contains: {}, values: [] },
    detailOpen: false,
  };
}

/** A starting width that fits a typical value of the column's kind. */
export function defaultWidth(id: string): number {
  if (id === 'transaction_id') return 270;
  if (id === 'time') return 160;
  if (id === 'tracking_url' || id === 'referer' || id === 'query_parameters') return 260;
  const kind: ColumnKind = columnById(id)?.kind ?? 'text';
  switch (kind) {
    case 'boolean':
      return 72;
    case 'money':
      return 90;
    case 'number':
      return 80;
    case 'id':
      return 110;
    default:
      return 130;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A layout read back from state, with anything unknown or malformed dropped (state may come from an older version). */
export function sanitizeLayout(raw: unknown, catalogue: readonly ColumnDef[] = COLUMNS): GridLayout {
  const base = defaultLayout(catalogue);
  if (!isObject(raw)) return base;
  const known = (id: unknown): id is string => typeof id === 'string' && columnById(id) !== undefined;
  const columns = Array.isArray(raw.columns) ? [...new Set(raw.columns.filter(known))] : base.columns;
  const widths: Record<string, number> = {};
  if (isObject(raw.widths)) {
    for (const [id, w] of Object.entries(raw.widths)) if (known(id) && typeof w === 'number' && w >= 30 && w <= 2000) widths[id] = Math.round(w);
  }
  const spec = isObject(raw.spec) ? raw.spec : {};
  const contains: Record<string, string> = {};
  if (isObject(spec.contains)) for (const [id, t] of Object.entries(spec.contains)) if (known(id) && typeof t === 'string' && t) contains[id] = t;
  const values: ValueFilter[] = Array.isArray(spec.values)
    ? spec.values.filter((f): f is ValueFilter => isObject(f) && known(f.column) && typeof f.text === 'string' && typeof f.exclude === 'boolean')
    : [];
  const time =
    isObject(spec.time) && Number.isFinite(spec.time.start) && Number.isFinite(spec.time.end) && (spec.time.end as number) > (spec.time.start as number)
      ? { start: spec.time.start as number, end: spec.time.end as number }
      : undefined;
  const sort = isObject(spec.sort) && known(spec.sort.column) && typeof spec.sort.asc === 'boolean' ? { column: spec.sort.column, asc: spec.sort.asc } : undefined;
  return {
    columns: columns.length ? columns : base.columns,
    widths,
    frozen: typeof raw.frozen === 'number' && raw.frozen >= 0 ? Math.min(Math.floor(raw.frozen), 5) : base.frozen,
    spec: { search: typeof spec.search === 'string' ? spec.search : '', contains, values, ...(time ? { time } : {}), ...(sort ? { sort } : {}) },
    ...(known(raw.groupBy) ? { groupBy: raw.groupBy } : {}),
    detailOpen: raw.detailOpen === true,
    ...(raw.conversionColumns === true ? { conversionColumns: true } : {}),
    ...(isObject(raw.summary) ? { summary: summaryChoices(raw.summary) } : {}),
  };
}

function summaryChoices(raw: Record<string, unknown>): NonNullable<GridLayout['summary']> {
  const str = (v: unknown) => (typeof v === 'string' && v.length < 200 ? v : undefined);
  const out: NonNullable<GridLayout['summary']> = {};
  const dimension = str(raw.dimension);
  const measure = str(raw.measure);
  const bucket = str(raw.bucket);
  if (dimension) out.dimension = dimension;
  if (measure) out.measure = measure;
  if (bucket) out.bucket = bucket;
  if (raw.uniques === true) out.uniques = true;
  if (raw.converted === true) out.converted = true;
  return out;
}

/** True when any filter (search, column text, value) hides rows. */
export function isFiltered(spec: ViewSpec): boolean {
  return Boolean(spec.search?.trim()) || Object.values(spec.contains ?? {}).some((t) => t.trim()) || (spec.values?.length ?? 0) > 0 || spec.time !== undefined;
}
