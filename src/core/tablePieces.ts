import { oneBuffer, type BinaryColumn, type BinaryTable } from './binaryTable';
import { ColumnBuilder, type Mode, type PieceColumnData, type PieceMark } from './columnBuilder';
import { buildColumn, type ColumnSource, type TableEncoder } from './tableEncoder';
import type { Click } from './types';

// Fetch all's table posted to the grid in pieces while the pages arrive, so that "rows ready" leaves
// the grid little to receive. At a million rows the finished table is some 120 MB, copied four times
// on its way (VS Code's RPC buffer, the process hop, the workbench's copy, the clone into the frame):
// most of a second, and more on a busy machine. A piece is what each column's builder
// (columnBuilder.ts) added since the last piece; the webview's reader absorbs it into builders of its
// own, which then hold what the host's hold. At the end the host says which arrived row each row is
// (Fetch all sorts by time and drops repeats) and sends the columns no piece carried (conversions
// joined after the fetch); the reader finishes its builders into the very table the host would
// have sent, and the grid decodes it as it decodes any (binaryTable.ts checks it all again).
//
// The webview is rebuilt when its panel is shown again and may miss a post: pieces say where they
// start, a reader refuses one that does not follow, and the end tells the host when the pieces did not
// make the table, which it then sends whole. A lost piece costs time, never a row.

/** What each column's builder added since the last piece, in one buffer (one argument of VS Code's IPC call). */
export interface TablePiece {
  /** Which run of pieces (one Fetch all into one grid). */
  stream: string;
  /** The run's first piece, or the first after the host started over (the webview was rebuilt). */
  restart: boolean;
  columns: string[];
  cols: PieceColumnData[];
}

/** The end of a run: the table the pieces make, in the result's order, with the columns they lack. */
export interface PiecedTable {
  pieces: string;
  /** Rows the pieces brought (every column taken from them holds this many). */
  arrived: number;
  rows: number;
  /** The arrived row each row is, when not the same rows in the same order. */
  order?: Uint32Array;
  columns: string[];
  /** Columns no piece carried (conversions joined after the fetch), as a table of their own. */
  rest: BinaryTable;
}

export function isPiecedTable(t: unknown): t is PiecedTable {
  return typeof (t as PiecedTable | undefined)?.pieces === 'string';
}

const START: PieceMark = { rows: 0, strings: 0, others: 0, rest: 0 };
const MODES: readonly Mode[] = ['numbers', 'distinct', 'dict'];
const ARRAYS = ['lens', 'tags', 'nums', 'codes', 'values', 'restRows', 'restCodes'] as const;
type Typed = Uint8Array | Uint16Array | Uint32Array | Float64Array;

/** The pieces' typed arrays moved into views of one ArrayBuffer (8-byte aligned, as Float64Array needs). */
function inOneBuffer(cols: PieceColumnData[]): PieceColumnData[] {
  const padded = (n: number): number => Math.ceil(n / 8) * 8;
  let bytes = 0;
  for (const c of cols) for (const f of ARRAYS) bytes += padded(c[f]?.byteLength ?? 0);
  const buffer = new ArrayBuffer(bytes);
  let at = 0;
  return cols.map((c) => {
    const out: Record<string, unknown> = { ...c };
    for (const f of ARRAYS) {
      const a = c[f] as Typed | undefined;
      if (!a) continue;
      const view = new (a.constructor as new (b: ArrayBuffer, o: number, n: number) => Typed)(buffer, at, a.length);
      view.set(a);
      at += padded(view.byteLength);
      out[f] = view;
    }
    return out as unknown as PieceColumnData;
  });
}

/** The host's side: takes pieces of a TableEncoder that Fetch all's pages are appended to. */
export class PieceWriter {
  private readonly marks = new Map<string, PieceMark>();

  constructor(
    readonly stream: string,
    private readonly encoder: TableEncoder,
  ) {}

  /** What was added since the last piece (everything after a restart); undefined when nothing was. `all`: the last piece. */
  next(all = false): TablePiece | undefined {
    const restart = this.marks.size === 0;
    const columns: string[] = [];
    const cols: PieceColumnData[] = [];
    for (const [id, b] of this.encoder.builders(all)) {
      const from = this.marks.get(id) ?? START;
      if (b.rows === from.rows) continue;
      cols.push(b.piece(from));
      columns.push(id);
      this.marks.set(id, b.mark());
    }
    return cols.length ? { stream: this.stream, restart, columns, cols: inOneBuffer(cols) } : undefined;
  }

  /** The webview lost what it had (rebuilt, or a post not delivered): the next piece starts from the first row. */
  restart(): void {
    this.marks.clear();
  }

  /**
   * The last piece and the end of the run for the result's `rows` in `columns`, or undefined when a
   * row was never appended (the table then goes whole).
   */
  end(rows: readonly Click[], columns: readonly ColumnSource[]): { piece?: TablePiece; table: PiecedTable } | undefined {
    const order = this.encoder.orderOf(rows);
    if (order === null) return undefined;
    const piece = this.next(true);
    const built = this.encoder.builders(true);
    const rest = columns.filter((c) => !built.has(c.id));
    const table: PiecedTable = {
      pieces: this.stream,
      arrived: this.encoder.size,
      rows: rows.length,
      ...(order ? { order } : {}),
      columns: columns.map((c) => c.id),
      rest: oneBuffer({ columns: rest.map((c) => c.id), rows: rows.length, cols: rest.map((c) => buildColumn(rows, c.get).finish(undefined, true)) }),
    };
    return { ...(piece ? { piece } : {}), table };
  }
}

/** Time a reader works before it lets the page paint (finishing a million rows' columns takes long). */
const SLICE_MS = 30;

/** The webview's side: absorbs the pieces of a run, then makes the table at its end. */
export class PieceReader {
  private stream: string | undefined;
  private builders = new Map<string, ColumnBuilder>();
  /** A piece did not fit: nothing more is taken from this run (its end asks for the whole table). */
  private broken = false;

  /** Takes a piece (never throws: a piece that does not fit marks the run broken). */
  take(piece: TablePiece): void {
    if (!piece || typeof piece.stream !== 'string') return;
    if (piece.restart === true || piece.stream !== this.stream) {
      this.stream = piece.stream;
      this.builders = new Map();
      this.broken = false;
    }
    if (this.broken) return;
    try {
      const { columns, cols } = piece;
      if (!Array.isArray(columns) || !Array.isArray(cols) || columns.length !== cols.length) throw new Error('a piece of the table is malformed');
      cols.forEach((col, i) => {
        const id = String(columns[i]);
        let b = this.builders.get(id);
        if (!b) {
          if (!MODES.includes(col?.mode)) throw new Error('a piece of the table has a column of an unknown kind');
          b = new ColumnBuilder(col.mode);
        }
        b.absorb(col);
        this.builders.set(id, b);
      });
    } catch {
      this.broken = true;
      this.builders = new Map();
    }
  }

  /**
   * The table the run's pieces make with `end`, or undefined when they do not make it (a piece lost
   * or refused, another run's end): the host then sends it whole. `pause` lets the page paint between
   * columns when finishing them has taken a while (a reordered million rows takes seconds).
   */
  async table(end: PiecedTable, pause: () => Promise<void> = () => Promise.resolve()): Promise<BinaryTable | undefined> {
    const builders = this.builders;
    const ok = !this.broken && end && end.pieces === this.stream && Number.isInteger(end.arrived) && Number.isInteger(end.rows) && Array.isArray(end.columns) && Array.isArray(end.rest?.columns) && Array.isArray(end.rest?.cols);
    this.stream = undefined;
    this.builders = new Map();
    if (!ok) return undefined;
    const { order } = end;
    if (order === undefined ? end.rows !== end.arrived : !(order instanceof Uint32Array) || order.length !== end.rows) return undefined;
    if (order) for (let i = 0; i < order.length; i++) if (order[i] >= end.arrived) return undefined;
    const cols: BinaryColumn[] = [];
    let slice = performance.now();
    for (const raw of end.columns) {
      const id = String(raw);
      const b = builders.get(id);
      if (b) {
        if (b.rows !== end.arrived) return undefined;
        cols.push(b.finish(order));
        // Let go of the builder's arrays as soon as its column is made.
        builders.delete(id);
      } else {
        const at = end.rest.columns.indexOf(id);
        if (at < 0) return undefined;
        cols.push(end.rest.cols[at]);
      }
      if (performance.now() - slice > SLICE_MS) {
        await pause();
        slice = performance.now();
      }
    }
    return { columns: end.columns.map(String), rows: end.rows, cols };
  }
}
