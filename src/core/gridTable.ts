import { columnById, type CellValue, type ColumnKind } from './columns';
import type { FlatTable } from './flatten';
import { formatBoolean, formatMoney, formatTimestamp, formatUtc } from './format';

// The results grid's model: a flat table (column-major, raw values) plus the zone its timestamps are
// shown in, and the filtering and sorting of row indices over it. No DOM here, so it is unit-tested
// in node and runs unchanged in the webview.
//
// Rows are always named by their index in the result (the host's row order), whatever the current
// sort and filters: copies, exports and the row detail send those indices back to the host, which
// holds the full clicks.
//
// Text is what a person sees (Yes/No, $1.50, local time) and is what searching and "filter by this
// value" compare, so a filter matches exactly what the cell shows. It is computed per cell on first
// use and kept; lower-cased copies for searching are built per column only once a search needs them.

export interface ValueFilter {
  column: string;
  /** The cell text to keep (or, with `exclude`, to drop). */
  text: string;
  exclude: boolean;
}

export interface SortSpec {
  column: string;
  asc: boolean;
}

export interface ViewSpec {
  /** Case-insensitive text any cell of a row must contain. */
  search?: string;
  /** Column id → case-insensitive text that column's cell must contain. */
  contains?: Record<string, string>;
  values?: ValueFilter[];
  sort?: SortSpec;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export class GridTable {
  readonly rowCount: number;
  readonly columns: readonly string[];
  private readonly kinds: ColumnKind[];
  private readonly index = new Map<string, number>();
  private readonly texts: (string | undefined)[][];
  private readonly lowered: (string[] | undefined)[];
  private readonly currency: number;

  constructor(
    readonly table: FlatTable,
    /** IANA zone of the timestamp columns. */
    readonly zone: string,
  ) {
    this.columns = table.columns;
    this.rowCount = table.data[0]?.length ?? 0;
    this.kinds = table.columns.map((id) => columnById(id)?.kind ?? 'text');
    table.columns.forEach((id, c) => this.index.set(id, c));
    this.texts = table.columns.map(() => []);
    this.lowered = table.columns.map(() => undefined);
    this.currency = this.index.get('currency_id') ?? -1;
  }

  /** Column index of `id`, or -1. */
  col(id: string): number {
    return this.index.get(id) ?? -1;
  }

  kind(c: number): ColumnKind {
    return this.kinds[c];
  }

  raw(c: number, r: number): CellValue {
    return this.table.data[c][r];
  }

  /** The cell as shown. */
  text(c: number, r: number): string {
    const v = this.table.data[c][r];
    if (typeof v === 'string') return v;
    const cache = this.texts[c];
    let t = cache[r];
    if (t === undefined) {
      t = this.format(c, r, v);
      cache[r] = t;
    }
    return t;
  }

  /** What a cell's hover adds: the time in UTC for timestamps. */
  tooltip(c: number, r: number): string | undefined {
    const v = this.table.data[c][r];
    if (this.kinds[c] === 'timestamp' && typeof v === 'number') return `${formatUtc(v)} UTC`;
    return undefined;
  }

  private format(c: number, r: number, v: CellValue): string {
    switch (this.kinds[c]) {
      case 'timestamp':
        return typeof v === 'number' ? formatTimestamp(v, this.zone) : String(v);
      case 'money': {
        const cur = this.currency >= 0 ? this.table.data[this.currency][r] : '';
        return typeof v === 'number' ? formatMoney(v, typeof cur === 'string' ? cur : '') : String(v);
      }
      default:
        return typeof v === 'boolean' ? formatBoolean(v) : String(v);
    }
  }

  /** Lower-cased cell texts of a column, built on first use. */
  private lower(c: number): string[] {
    let out = this.lowered[c];
    if (!out) {
      out = [];
      // Columns repeat a few values; lower-casing each distinct one once keeps one string per value.
      const seen = new Map<string, string>();
      for (let r = 0; r < this.rowCount; r++) {
        const t = this.text(c, r);
        let l = seen.get(t);
        if (l === undefined) {
          l = t.toLowerCase();
          if (seen.size < 50_000) seen.set(t, l);
        }
        out.push(l);
      }
      this.lowered[c] = out;
    }
    return out;
  }

  /**
   * The rows `spec` keeps, in its order: filters, then the search, then a stable sort. `base`, when
   * given, is a previous view that this spec only narrows (see `narrows`), so typing into the search
   * box rescans the rows still shown, not the whole result.
   */
  view(spec: ViewSpec, base?: readonly number[]): number[] {
    let rows: number[] = base ? [...base] : Array.from({ length: this.rowCount }, (_, r) => r);
    for (const f of spec.values ?? []) {
      const c = this.col(f.column);
      if (c < 0) continue;
      rows = rows.filter((r) => (this.text(c, r) === f.text) !== f.exclude);
    }
    for (const [id, needle] of Object.entries(spec.contains ?? {})) {
      const c = this.col(id);
      const n = needle.trim().toLowerCase();
      if (c < 0 || !n) continue;
      const lower = this.lower(c);
      rows = rows.filter((r) => lower[r].includes(n));
    }
    const search = (spec.search ?? '').trim().toLowerCase();
    if (search) {
      const lowers = this.columns.map((_, c) => this.lower(c));
      rows = rows.filter((r) => lowers.some((l) => l[r].includes(search)));
    }
    if (spec.sort) {
      // With a base the order is the base's; re-sorting keeps it right if the sort changed too.
      this.sortRows(rows, spec.sort);
    } else if (base) {
      rows.sort((a, b) => a - b);
    }
    return rows;
  }

  /** Sorts row indices in place by a column, stable (ties keep result order). */
  sortRows(rows: number[], sort: SortSpec): void {
    const c = this.col(sort.column);
    if (c < 0) return;
    const dir = sort.asc ? 1 : -1;
    const kind = this.kinds[c];
    const data = this.table.data[c];
    const byText = kind === 'text' || kind === 'id';
    rows.sort((a, b) => {
      const va = data[a];
      const vb = data[b];
      let d: number;
      if (typeof va === 'number' && typeof vb === 'number') d = va - vb;
      else if (typeof va === 'boolean' && typeof vb === 'boolean') d = Number(va) - Number(vb);
      else if (byText || typeof va !== typeof vb) d = collator.compare(this.text(c, a), this.text(c, b));
      else d = collator.compare(String(va), String(vb));
      return d * dir || a - b;
    });
  }
}

/**
 * True when every row `next` keeps is also kept by `prev`: the same value filters and sort, and each
 * text filter (search, per-column) only grown. Then `next` may be computed from `prev`'s rows.
 */
export function narrows(prev: ViewSpec, next: ViewSpec): boolean {
  const grown = (a = '', b = ''): boolean => b.trim().toLowerCase().includes(a.trim().toLowerCase());
  if (JSON.stringify(prev.values ?? []) !== JSON.stringify(next.values ?? [])) return false;
  if (!grown(prev.search, next.search)) return false;
  for (const [id, text] of Object.entries(prev.contains ?? {})) {
    if (!grown(text, next.contains?.[id])) return false;
  }
  return true;
}
