import { SlickCellSelectionModel, type Column, type FormatterResultWithText, type SlickEventData } from 'slickgrid';
import { columnById } from '../../src/core/columns';
import type { GridTable, SortSpec } from '../../src/core/gridTable';
import { el } from '../dom';
import { ClickGrid } from './clickGrid';
import { defaultWidth } from './layout';

// SlickGrid, set up for click rows: it virtualises rows and columns, so only the cells on screen
// exist in the DOM whatever the row count. Every cell goes in as text: `enableHtmlRendering: false`
// makes SlickGrid write a formatter's string with textContent (its default is innerHTML), and every
// formatter here returns the cell's plain text, so `<img src=x onerror=…>` in a sub id shows as
// those characters. Its one injected <style> element carries the page's CSP nonce.
//
// The grid's data is a list of result row indices (the current sort and filters); each grid row is
// `{ r }` and the cells read the GridTable by (column, r).

interface RowRef {
  r: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- SlickGrid types `field` as a path into the row type; ours is `{ r }`.
interface GridColumn extends Column<any> {
  /** The column's index in the GridTable. */
  c: number;
}

export interface GridEvents {
  sort(sort: SortSpec): void;
  headerFilter(column: string, text: string): void;
  cellMenu(row: number, column: string, x: number, y: number): void;
  headerMenu(column: string, x: number, y: number): void;
  activeRow(row: number | undefined): void;
  selection(): void;
  /** Columns reordered or resized by the user. */
  layout(columns: string[], widths: Record<string, number>): void;
  copy(): void;
  toggleDetail(): void;
  search(): void;
}

/** A rectangle of the selection, as result rows (view order) by column ids. */
export interface SelectedBlock {
  rows: number[];
  columns: string[];
}

/** What setColumns gives the grid: the columns, how many are frozen, the sort shown. */
interface PendingColumns {
  columns: GridColumn[];
  keep: number;
  sort: SortSpec | undefined;
}

const ROW_HEIGHT = 22;
const MAX_FIT_WIDTH = 600;

/**
 * How far a text's measured width may exceed the sum of its characters' widths (kerning can add a
 * little; ligatures and most kerning take away): an estimate this much larger still bounds it.
 */
const ESTIMATE_SLACK = 1.05;
/** Characters below this code are estimated (see estimateWidth). */
const ESTIMATED_CHARS = 0x300;
/** Widths of single characters by font and char code, for the estimates (measured once each per page; -1 not yet). */
const charWidths = new Map<string, Float64Array>();

/**
 * The sum of the widths of `text`'s characters in `font` (the context's font now), each measured on
 * its own once. Infinity for text with characters from U+0300 on (combining marks, CJK, emoji,
 * surrogates), whose shaped width a sum does not bound: such text is always measured.
 */
function estimateWidth(ctx: CanvasRenderingContext2D, font: string, text: string): number {
  let widths = charWidths.get(font);
  if (!widths) charWidths.set(font, (widths = new Float64Array(ESTIMATED_CHARS).fill(-1)));
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= ESTIMATED_CHARS) return Infinity;
    let cw = widths[code];
    if (cw < 0) widths[code] = cw = ctx.measureText(text[i]).width;
    sum += cw;
  }
  return sum;
}

export class GridView {
  private readonly grid: ClickGrid<GridColumn>;
  private readonly selection = new SlickCellSelectionModel();
  private table: GridTable | undefined;
  private rows: number[] = [];
  private contains: Record<string, string> = {};
  private readonly measure = document.createElement('canvas').getContext('2d');
  private fitNext: { max: number; sample: number } | undefined;
  /** Columns a first look left off screen, fitted once its first frame has painted (renderMargins). */
  private fitRest: { ids: Set<string>; max: number; sample: number } | undefined;
  /** Started before its table (prestart), with columns the table's first may take as they are. */
  private prestarted = false;
  /** Columns set while a fit waits for its rows: given to the grid by setRows, fitted. */
  private pendingColumns: PendingColumns | undefined;

  constructor(
    host: HTMLElement,
    private readonly events: GridEvents,
    nonce: string,
  ) {
    const data = { getLength: () => this.rows.length, getItem: (i: number): RowRef => ({ r: this.rows[i] }), getItemMetadata: () => null };
    this.grid = new ClickGrid<GridColumn>(host, data, [], {
      enableHtmlRendering: false,
      nonce,
      rowHeight: ROW_HEIGHT,
      headerRowHeight: 26,
      showHeaderRow: true,
      enableCellNavigation: true,
      enableColumnReorder: true,
      multiColumnSort: false,
      enableTextSelectionOnCells: false,
      explicitInitialization: true,
      // The grid's host is in the page and shown when the grid starts (ResultsApp.build): SlickGrid's
      // search for hidden ancestors to show while it measures (a layout read per ancestor) finds none.
      suppressCssChangesOnHiddenInit: true,
      dataItemColumnValueExtractor: (item: RowRef, col: GridColumn) => this.table?.raw(col.c, item.r),
      // The defaults alert(), which a webview cannot show; the layout code keeps frozen columns narrow.
      invalidColumnFreezeWidthCallback: () => undefined,
      invalidColumnFreezePickerCallback: () => undefined,
    });
    this.grid.setSelectionModel(this.selection);
    this.subscribe();
    // No init() here: the grid starts with its first columns (ClickGrid.setColumnsFrozen).
    // SlickGrid keeps the header in step with the rows when the rows scroll, not the other way
    // round; but the browser scrolls the (overflow-hidden) header itself when a header cell is
    // focused or clicked half off screen. Then the rows follow the header, so the two never part.
    host.addEventListener(
      'scroll',
      (e) => {
        const header = e.target as HTMLElement;
        if (!header.classList?.contains('slick-header')) return;
        const side = header.classList.contains('slick-header-left') ? 'left' : 'right';
        const viewport = host.querySelector<HTMLElement>(`.slick-viewport-top.slick-viewport-${side}`);
        if (!viewport || viewport.scrollLeft === header.scrollLeft) return;
        if (side === 'right' || this.grid.getOptions().frozenColumn! < 0) viewport.scrollLeft = header.scrollLeft;
        // The header is wider than the rows (SlickGrid pads it): where the rows cannot follow, it goes back.
        if (viewport.scrollLeft !== header.scrollLeft) header.scrollLeft = viewport.scrollLeft;
      },
      true,
    );
  }

  private subscribe(): void {
    const g = this.grid;
    g.onSort.subscribe((_e, args) => {
      const a = args as { sortCol?: Column; sortAsc?: boolean };
      if (a.sortCol) this.events.sort({ column: String(a.sortCol.id), asc: a.sortAsc !== false });
    });
    g.onHeaderRowCellRendered.subscribe((_e, args) => this.renderHeaderFilter(args.node, args.column as GridColumn));
    g.onHeaderContextMenu.subscribe((e, args) => {
      const native = e.getNativeEvent<MouseEvent>();
      native.preventDefault();
      this.events.headerMenu(String(args.column.id), native.clientX, native.clientY);
    });
    g.onContextMenu.subscribe((e) => {
      const native = e.getNativeEvent<MouseEvent>();
      const cell = g.getCellFromEvent(e);
      if (!cell) return;
      native.preventDefault();
      if (!this.inSelection(cell.row, cell.cell)) g.setActiveCell(cell.row, cell.cell);
      this.openCellMenu(cell.row, cell.cell, native.clientX, native.clientY);
    });
    g.onActiveCellChanged.subscribe((_e, args) => this.events.activeRow(this.rows[args.row]));
    this.selection.onSelectedRangesChanged.subscribe(() => this.events.selection());
    g.onColumnsReordered.subscribe(() => this.reportLayout());
    g.onColumnsResized.subscribe(() => this.reportLayout());
    g.onColumnsResizeDblClick.subscribe((_e, args) => {
      this.autoFit([args.triggeredByColumn]);
      this.reportLayout();
    });
    g.onMouseEnter.subscribe((e) => {
      // Full text on hover only where the cell cuts it off; timestamps already carry their UTC title.
      const node = (e.getNativeEvent<MouseEvent>().target as HTMLElement | null)?.closest<HTMLElement>('.slick-cell');
      if (node && !node.title && node.scrollWidth > node.clientWidth) node.title = node.textContent ?? '';
    });
    g.onKeyDown.subscribe((e, args) => this.onKey(e, args.row, args.cell));
  }

  private onKey(e: SlickEventData, row: number, cell: number): void {
    const k = e.getNativeEvent<KeyboardEvent>();
    const mod = k.ctrlKey || k.metaKey;
    let handled = true;
    if (mod && (k.key === 'c' || k.key === 'C')) this.events.copy();
    else if (mod && (k.key === 'f' || k.key === 'F')) this.events.search();
    else if (k.key === 'Enter' && !mod) this.events.toggleDetail();
    else if (k.key === 'ContextMenu' || (k.shiftKey && k.key === 'F10')) {
      const node = this.grid.getCellNode(row, cell);
      const box = node?.getBoundingClientRect();
      if (row >= 0 && cell >= 0 && box) this.openCellMenu(row, cell, box.left + 8, box.bottom);
    } else handled = false;
    if (handled) {
      k.preventDefault();
      e.stopImmediatePropagation();
    }
  }

  private openCellMenu(row: number, cell: number, x: number, y: number): void {
    const col = this.grid.getColumns()[cell];
    if (col && this.rows[row] !== undefined) this.events.cellMenu(this.rows[row], String(col.id), x, y);
  }

  private inSelection(row: number, cell: number): boolean {
    return this.selection.getSelectedRanges().some((r) => r.contains(row, cell));
  }

  private renderHeaderFilter(node: HTMLElement, col: GridColumn): void {
    node.replaceChildren();
    const header = columnById(String(col.id))?.header ?? String(col.id);
    const input = el('input', { type: 'text', class: 'header-filter', placeholder: 'Filter', 'aria-label': `Filter ${header}`, spellcheck: 'false' });
    input.value = this.contains[String(col.id)] ?? '';
    input.addEventListener('input', () => this.events.headerFilter(String(col.id), input.value));
    // Typing in the filter must not move the grid's active cell.
    input.addEventListener('keydown', (e) => e.stopPropagation());
    node.append(input);
  }

  private reportLayout(): void {
    const cols = this.grid.getColumns();
    const widths: Record<string, number> = {};
    for (const c of cols) widths[String(c.id)] = c.width ?? defaultWidth(String(c.id));
    this.events.layout(cols.map((c) => String(c.id)), widths);
  }

  setTable(table: GridTable): void {
    this.table = table;
  }

  /**
   * The next setRows sizes the columns to its rows (autoFit) before they render: a first look then
   * renders its rows once, at their fitted widths, instead of rendering, measuring and rendering again.
   */
  fitOnNextRows(max: number, sample: number): void {
    this.fitNext = { max, sample };
  }

  /** Shows these result rows, in this order. */
  setRows(rows: number[]): void {
    this.rows = rows;
    this.selection.setSelectedRanges([]);
    const fit = this.fitNext;
    const pending = this.pendingColumns;
    this.fitNext = undefined;
    this.pendingColumns = undefined;
    this.grid.fitHeightFor(rows.length, ROW_HEIGHT);
    this.grid.invalidateAllRows();
    this.grid.updateRowCount();
    // Columns set now render the rows themselves (SlickGrid resizes its canvas), so the render below
    // finds them drawn: a first look draws its rows once.
    this.fitRest = undefined;
    if (fit && pending) {
      // The columns on screen now; those past the panel's right edge after the first frame.
      const rest = this.measureWidths(pending.columns, undefined, fit.max, fit.sample, this.grid.getContainerNode().clientWidth || 800);
      // By id: the grid keeps definitions of its own (SlickGrid's copies, or a prestarted grid's).
      if (rest.length) this.fitRest = { ids: new Set(rest.map((col) => String(col.id))), ...fit };
      this.applyColumns(pending);
      this.reportLayout();
    } else if (fit) this.autoFit(undefined, fit.max, fit.sample);
    this.grid.render();
  }

  /**
   * Starts the grid before its table: SlickGrid's set-up, its measurements and the headers of the
   * columns a result is expected to show, while the host is still reading and sending the rows. The
   * table's columns replace them (setColumns, then setRows), in the grid already started.
   */
  prestart(ids: string[], widths: Record<string, number>, frozen: number): void {
    if (this.table || this.grid.getColumns().length) return;
    this.setColumns(ids, widths, frozen, {});
    this.prestarted = true;
  }

  /** Sets the visible columns, their widths, frozen count, header filters and sort indicator. */
  setColumns(ids: string[], widths: Record<string, number>, frozen: number, contains: Record<string, string>, sort?: SortSpec): void {
    const table = this.table;
    this.contains = contains;
    const columns: GridColumn[] = [];
    for (const id of ids) {
      const def = columnById(id);
      // Without a table (prestart) the columns have no data: the grid has no rows to format.
      const c = table ? table.col(id) : -1;
      if (!def || (table && c < 0)) continue;
      const header = def.kind === 'timestamp' && table ? `${def.header} (${table.zone})` : def.header;
      columns.push({
        id,
        c,
        field: id,
        name: header,
        toolTip: header,
        width: widths[id] ?? defaultWidth(id),
        minWidth: 40,
        sortable: true,
        resizable: true,
        cssClass: def.kind === 'money' || def.kind === 'number' || def.kind === 'duration' ? 'cell-num' : def.kind === 'id' || id === 'transaction_id' ? 'cell-mono' : undefined,
        formatter: (_row, _cell, _value, colDef, item: RowRef): string | FormatterResultWithText => {
          if (!table) return '';
          const cc = (colDef as GridColumn).c;
          const text = table.text(cc, item.r);
          const tip = table.tooltip(cc, item.r);
          return tip ? { text, toolTip: tip } : text;
        },
      });
    }
    // Frozen columns must leave room to scroll the rest: at most what fits with 120 px to spare.
    let keep = Math.min(frozen, Math.max(0, columns.length - 1));
    const room = (this.grid.getContainerNode().clientWidth || 800) - 120;
    while (keep > 0 && columns.slice(0, keep).reduce((w, c) => w + (c.width ?? 0), 0) > room) keep--;
    const next = { columns, keep, sort: sort && ids.includes(sort.column) ? sort : undefined };
    // Fitting before the first rows: the grid gets its columns once, at their fitted widths (setRows).
    if (this.fitNext) this.pendingColumns = next;
    else this.applyColumns(next);
  }

  private applyColumns({ columns, keep, sort }: PendingColumns): void {
    // The table's first columns, in a grid started without them: the same columns (the usual case)
    // are taken into it as they are; no header filter has text yet, so the headers' inputs stand.
    const adopt = this.prestarted && Object.values(this.contains).every((t) => !t);
    this.prestarted = false;
    if (!(adopt && this.grid.adoptColumns(columns, keep - 1))) this.grid.setColumnsFrozen(columns, keep - 1);
    if (sort) this.grid.setSortColumn(sort.column, sort.asc);
    else this.grid.setSortColumns([]);
  }

  /**
   * Sizes columns to their header and the text of the first `sample` shown rows, within 40 px and `max`.
   * Each distinct text is measured once per column (countries, offers and errors repeat), and each
   * cell font is read once, from a probe cell in the grid's canvas (styled as a row's cells are), so
   * this works before any row has rendered and reads no rendered cell.
   */
  autoFit(ids?: string[], max = MAX_FIT_WIDTH, sample = 1000): void {
    this.fitRest = undefined;
    const cols = this.grid.getColumns();
    this.measureWidths(cols, ids, max, sample);
    this.grid.setColumns(cols);
    this.reportLayout();
  }

  /**
   * Sets the `width` of `cols` (those in `ids`, or all) as autoFit describes, left to right until the
   * widths set reach `room` px; returns the columns left as they were (past `room`).
   */
  private measureWidths(cols: GridColumn[], ids: string[] | undefined, max: number, sample: number, room = Infinity): GridColumn[] {
    const table = this.table;
    const ctx = this.measure;
    if (!table || !ctx) return [];
    const measured = ids ? cols.filter((col) => ids.includes(String(col.id))) : cols;
    // One probe cell per cell class, all in the canvas at once: one style pass reads every font.
    const probes = [...new Set(measured.map((col) => col.cssClass ?? ''))].map((cls) => {
      const row = el('div', { class: 'ui-widget-content slick-row', 'aria-hidden': 'true' });
      const cell = el('div', { class: `slick-cell ${cls}`.trim() });
      row.append(cell);
      this.grid.getCanvasNode().append(row);
      return { cls, row, cell };
    });
    const fonts = new Map<string, string>();
    for (const { cls, cell } of probes) {
      const s = getComputedStyle(cell);
      fonts.set(cls, `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`);
    }
    for (const { row } of probes) row.remove();
    const rows = this.rows.length > sample ? this.rows.slice(0, sample) : this.rows;
    const rest: GridColumn[] = [];
    let used = 0;
    for (const col of measured) {
      if (used >= room) {
        rest.push(col);
        continue;
      }
      // Each column in its own font: ids are monospace, wider than the grid's font.
      const font = fonts.get(col.cssClass ?? '')!;
      ctx.font = font;
      let w = ctx.measureText(typeof col.name === 'string' ? col.name : '').width + 28;
      const seen = new Set<string>();
      for (const r of rows) seen.add(table.text(col.c, r));
      // Widest first by an estimate (the sum of the characters' own widths), measured exactly until
      // the estimate of the rest, with room to spare, cannot beat the widest so far, or the cap is met:
      // a few measured texts per column instead of every distinct one, for the same width.
      const estimates = [...seen].map((text) => ({ text, est: estimateWidth(ctx, font, text) })).sort((a, b) => b.est - a.est);
      for (const { text, est } of estimates) {
        if (w >= max || est * ESTIMATE_SLACK + 1 + 14 <= w) break;
        w = Math.max(w, ctx.measureText(text).width + 14);
      }
      col.width = Math.round(Math.max(40, Math.min(max, w)));
      used += col.width;
    }
    return rest;
  }

  /** The selection as blocks of result rows by column ids (the active cell when nothing is selected). */
  selectedBlocks(): SelectedBlock[] {
    const cols = this.grid.getColumns();
    const ranges = this.selection.getSelectedRanges();
    const active = this.grid.getActiveCell();
    const list = ranges.length ? ranges : active ? [{ fromRow: active.row, toRow: active.row, fromCell: active.cell, toCell: active.cell }] : [];
    return list.map((r) => ({
      rows: this.rows.slice(r.fromRow, r.toRow + 1),
      columns: cols.slice(r.fromCell, r.toCell + 1).map((c) => String(c.id)),
    }));
  }

  /** The result row of the active cell. */
  activeRow(): number | undefined {
    const a = this.grid.getActiveCell();
    return a ? this.rows[a.row] : undefined;
  }

  /** Visible column ids in display order. */
  columnIds(): string[] {
    return this.grid.getColumns().map((c) => String(c.id));
  }

  setSortIndicator(sort: SortSpec): void {
    if (this.grid.getColumnIndex(sort.column) >= 0) this.grid.setSortColumn(sort.column, sort.asc);
  }

  /** After the first frame of the grid: the rows and columns just off screen too (ClickGrid.renderMargins). */
  renderMargins(): void {
    const rest = this.fitRest;
    this.fitRest = undefined;
    // The columns a first look left off screen (setRows), if the grid still shows them: their widths
    // go into the headers and the column rules without building the headers again.
    const cols = rest ? this.grid.getColumns().filter((col) => rest.ids.has(String(col.id))) : [];
    if (rest && cols.length) {
      this.measureWidths(cols, undefined, rest.max, rest.sample);
      this.grid.reRenderColumns(false);
      this.reportLayout();
    }
    this.grid.renderMargins();
  }

  destroy(): void {
    this.grid.destroy(true);
  }

  resize(): void {
    this.grid.resizeCanvas();
  }

  /** After the container may have changed size (a resize observer): resizes only when it did. */
  resizeIfChanged(): void {
    this.grid.resizeIfChanged();
  }

  focus(): void {
    if (!this.grid.getActiveCell() && this.rows.length) this.grid.setActiveCell(0, 0);
    this.grid.focus();
  }

  focusHeaderFilter(column: string): void {
    const idx = this.grid.getColumnIndex(column);
    const node = idx >= 0 ? this.grid.getHeaderRowColumn(column) : undefined;
    node?.querySelector('input')?.focus();
  }
}
