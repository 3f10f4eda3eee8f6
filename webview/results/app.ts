import { groupCounts, selectionStats, summarize, typingPauseMs, type CellBlock } from '../../src/core/gridStats';
import { GridTable, narrows, type SortSpec, type ViewSpec } from '../../src/core/gridTable';
import { COLUMNS, CONVERSION_COLUMNS, CONVERSION_ROW_COLUMNS, isExtraColumnId, type ColumnDef } from '../../src/core/columns';
import { conversionRates, groupRates, ratesText } from '../../src/core/conversions/rates';
import { decodeTable, type BinaryTable } from '../../src/core/binaryTable';
import { isPiecedTable, PieceReader, type PiecedTable } from '../../src/core/tablePieces';
import type { PackedTable } from '../../src/core/tablePack';
import { requestWindow, SummaryModel, type WindowSpec } from '../../src/core/summary/model';
import type { CopyFormat, ExportFormat, HostToResults, ResultsInit, ResultsPanelState, ResultsToHost, RowScope } from '../../src/protocol/results';
import { el } from '../dom';
import { ColumnChooser } from './columnChooser';
import { DetailPanel } from './detailPanel';
import { GroupPanel } from './groupPanel';
import { GridView, type GridEvents } from './gridView';
import { defaultLayout, isFiltered, sanitizeLayout, type GridLayout } from './layout';
import { closeMenu, showMenu } from './contextMenu';
import { cellMenu, copyMenu, exportMenu, headerMenu } from './gridMenus';
import { emptyText, missingPage, renderBanners, selectionText, summaryText, unreadableNotice } from './statusParts';
import { Toolbar } from './toolbar';
import { afterPaint } from './afterPaint';
import { ConversionsBar, convertedFilterOf, withConvertedFilter } from './conversionsBar';
import { SummaryPanel } from './summaryPanel';
import type { HostApi } from '../hostApi';

// The results webview: builds the page for each `init` from the host (the rows are the host's; the
// layout and filters come back from this webview's state when it is the same result), and turns
// what the user does into views of the table and messages to the host.

const CONVERSION_WIDTHS: Record<string, number> = {
  'conversion.count': 100,
  'conversion.events': 70,
  'conversion.revenue': 150,
  'conversion.sale_amount': 110,
  'conversion.first': 190,
  'conversion.time_to_convert': 125,
  'conversion.status': 150,
};

/** The grid's side of the host (webview/hostApi.ts). */
export type HostBridge = HostApi<ResultsToHost, ResultsPanelState>;

/** Rows a first look sizes the columns by: the first few screens, measured before the first paint. */
const FIRST_LOOK_ROWS = 200;

export class ResultsApp {
  private init: ResultsInit | undefined;
  /** Fetch all's table as it comes, a piece per few pages (src/core/tablePieces.ts). */
  private readonly pieces = new PieceReader();
  /** Counts the `init`s taken, so a table still being made from pieces gives way to a newer one. */
  private inits = 0;
  private table: GridTable | undefined;
  private layout: GridLayout = defaultLayout();
  private rows: number[] = [];
  private lastSpec: ViewSpec | undefined;
  private fetching = false;
  private grid: GridView | undefined;
  private readonly toolbar: Toolbar;
  private readonly detail: DetailPanel;
  private readonly groups: GroupPanel;
  private readonly chooser: ColumnChooser;
  private readonly summaryPanel: SummaryPanel;
  private readonly conversionsBar: ConversionsBar;
  private addingConversions = false;
  /** The summary's typed columns, kept across a Fetch all of the same result (only new rows prepared). */
  private summaryModel: { resultId: string; model: SummaryModel; window: WindowSpec | undefined } | undefined;
  /** The table the summary has yet to read (it reads it after the table's first paint). */
  private summaryTable: PackedTable | undefined;
  private readonly banners = el('div', { class: 'banners' });
  private readonly summary = el('span', { class: 'summary-text', role: 'status' });
  private readonly selectionInfo = el('span', { class: 'selection-text', role: 'status' });
  private readonly empty = el('div', { class: 'empty', hidden: true });
  private readonly statusBar = el('div', { class: 'statusbar' });
  /** The grid started before the first result (prestart), until that result takes it. */
  private spare: { main: HTMLDivElement; gridHost: HTMLDivElement; view: GridView } | undefined;
  /** The grid's area of the page (grid, group counts, row details): built anew for each result. */
  private main = el('div', { class: 'main' });
  private viewTimer: ReturnType<typeof setTimeout> | undefined;
  /** How long the last search or filter typed took, for the next typing pause. */
  private lastTypedViewMs: number | undefined;
  private stateTimer: ReturnType<typeof setTimeout> | undefined;
  private selectionFrame = 0;
  private indexTask = 0;
  private resizeObserver: ResizeObserver | undefined;
  /** Cancels what the last build left to run after its first paint. */
  private cancelLate: () => void = () => undefined;
  /** Cancels the status line's figures waiting for a first paint (a later view shows its own). */
  private cancelStatus: () => void = () => undefined;
  /** The next view is the page's first table's first: its status line follows its first paint. */
  private firstView = false;
  private readonly bannerActions = { fetchAll: () => this.fetchAll(), copyText: (text: string) => this.host.post({ type: 'copyText', text }) };

  constructor(
    private readonly root: HTMLElement,
    private readonly host: HostBridge,
    private readonly nonce: string,
  ) {
    this.toolbar = new Toolbar({
      search: (text) => this.setSpec({ search: text }, true),
      groupBy: (column) => this.groupBy(column),
      columns: () => {
        this.attachChooser();
        this.chooser.toggle(this.layout.columns);
      },
      details: () => this.toggleDetail(),
      copyMenu: (b) => this.menuAt(b, copyMenu(this.selectedRows(), this.rows, { copyRows: (f, r) => this.copyRows(f, r), copySelection: () => this.copySelection() })),
      exportMenu: (b) => this.menuAt(b, exportMenu(this.table?.rowCount ?? 0, this.rows, isFiltered(this.layout.spec), (f, r) => this.exportRows(f, r))),
      autoFit: () => this.grid?.autoFit(),
      removeFilter: (i) => this.setSpec({ values: (this.layout.spec.values ?? []).filter((_, j) => j !== i) }),
      removeContains: (column) => {
        const contains = { ...this.layout.spec.contains };
        delete contains[column];
        this.layout.spec = { ...this.layout.spec, contains };
        this.applyColumns();
        this.recompute();
      },
      removeTimeRange: () => this.setSpec({ time: undefined }),
      clearFilters: () => this.clearFilters(),
    });
    this.detail = new DetailPanel({
      requestJson: (row, requestId) => this.host.post({ type: 'rowJson', requestId, row }),
      openJson: (row) => this.host.post({ type: 'openJson', rows: [row] }),
      lookUp: (id) => this.host.post({ type: 'lookUp', transactionId: id }),
      close: () => this.toggleDetail(false),
    });
    this.groups = new GroupPanel({ filter: (c, t, x) => this.addValueFilter(c, t, x), close: () => this.groupBy(undefined) });
    this.chooser = new ColumnChooser({
      apply: (columns) => this.setColumns(columns),
      defaults: () => this.setColumns(defaultLayout(this.catalogue()).columns),
    });
    this.toolbar.bindSearchKeys(() => this.grid?.focus());
    this.conversionsBar = new ConversionsBar({
      add: () => {
        this.conversionsBar.setRunning(true);
        this.host.post({ type: 'addConversions' });
      },
      setFilter: (which) => this.setSpec({ values: withConvertedFilter(this.layout.spec.values ?? [], which) }),
      openUnmatched: (as) => this.host.post({ type: 'openUnmatchedConversions', as }),
    });
    this.toolbar.root.append(this.conversionsBar.button);
    this.summaryPanel = new SummaryPanel({
      filter: (c, t, x) => this.addValueFilter(c, t, x),
      brush: (start, end) => this.setSpec({ time: { start, end } }),
      toggled: (open) => {
        if (this.init) this.init.summaryOpen = open;
        this.host.post({ type: 'summaryOpen', open });
      },
      choices: (c) => {
        this.layout.summary = c;
        this.saveState();
      },
      copy: (text) => this.host.post({ type: 'copyText', text }),
      save: (chart, format, data) => this.host.post({ type: 'saveChart', chart, format, data }),
    });
    this.statusBar.append(this.summary, this.selectionInfo);
    // The page's chrome (toolbar, summary, status bar) joins the page as it loads, unseen until the
    // first result: its web components render themselves, and the page's first style and layout
    // passes run, while the host is still sending the rows rather than before they can paint (#17).
    this.root.classList.add('starting');
    this.root.replaceChildren(...this.chrome());
  }

  /** The page's parts, top to bottom. */
  private chrome(): HTMLElement[] {
    return [this.banners, this.toolbar.root, this.toolbar.chips, this.conversionsBar.root, this.summaryPanel.root, this.main, this.statusBar];
  }

  receive(m: HostToResults): void {
    switch (m.type) {
      case 'init': {
        const turn = ++this.inits;
        const { table } = m.init;
        if (isPiecedTable(table)) {
          void this.fromPieces(m.init, table, turn);
          return;
        }
        try {
          this.start(m.init, table);
        } catch (e) {
          this.showUnreadable(m.init.title, e);
        }
        return;
      }
      case 'tablePiece':
        this.pieces.take(m.piece);
        return;
      case 'missing':
        this.showMissing(m.title, m.canRunAgain);
        this.host.setState({ resultId: this.host.getState()?.resultId ?? '', title: m.title, request: m.request });
        return;
      case 'fetching':
        this.fetching = m.running;
        if (this.init) renderBanners(this.banners, this.init, this.fetching, this.bannerActions);
        return;
      case 'addingConversions':
        this.addingConversions = m.running;
        this.conversionsBar.setRunning(m.running);
        return;
      case 'exportRequest':
        this.host.post({ type: 'export', requestId: m.requestId, format: m.format, rows: isFiltered(this.layout.spec) ? this.rows : 'all', columns: this.grid?.columnIds() ?? [], view: this.layout.spec });
        return;
      case 'rowJson':
        this.detail.receive(m.requestId, m.row, m.json);
        return;
    }
  }

  /**
   * The end of Fetch all's pieces: the table they make (made between paints, a reordered million
   * rows takes a while), shown as any `init`'s. When they do not make it (a piece lost, the page
   * rebuilt meanwhile) the host is asked for the whole table; the grid shows what it did until then.
   */
  private async fromPieces(init: ResultsInit, end: PiecedTable, turn: number): Promise<void> {
    const table = await this.pieces.table(end, () => new Promise((resolve) => setTimeout(resolve, 0))).catch(() => undefined);
    if (turn !== this.inits) return;
    if (!table) {
      this.host.post({ type: 'needTable', resultId: init.resultId });
      return;
    }
    try {
      this.start(init, table);
    } catch (e) {
      this.showUnreadable(init.title, e);
    }
  }

  /** The table's catalogue: the clicks' columns, or a conversions result's (its rows are conversions). */
  private catalogue(): readonly ColumnDef[] {
    return this.init?.rowKind === 'conversions' ? CONVERSION_ROW_COLUMNS : COLUMNS;
  }

  private start(init: ResultsInit, table: BinaryTable): void {
    // First, so a table the page cannot read changes nothing here (see `receive`).
    const packed = decodeTable(table);
    const state = this.host.getState();
    this.init = init;
    // Only the page's first table: a table that replaces one (Fetch all, conversions added) keeps its
    // status line in step with its rows, as a view of it does.
    this.firstView = this.table === undefined;
    this.table = new GridTable(packed, init.zone);
    this.chooser.setExtras(packed.columns.filter(isExtraColumnId), init.omittedColumns ?? 0);
    this.chooser.setConversions(init.conversions !== undefined);
    const catalogue = this.catalogue();
    this.chooser.setBase(catalogue);
    this.toolbar.setGroupColumns(catalogue);
    this.layout = state?.resultId === init.resultId ? sanitizeLayout(state.view, catalogue) : defaultLayout(catalogue);
    if (init.conversions && !this.layout.conversionColumns) this.showConversionColumns();
    this.conversionsBar.set(init.canAddConversions === true, init.conversions);
    this.conversionsBar.setRunning(this.addingConversions);
    this.lastSpec = undefined;
    // The summary's columns are read after the first paint (build): the charts draw a frame after the rows.
    this.summaryTable = packed;
    this.build();
    this.saveState(true);
    this.indexWhenIdle(this.table);
  }

  /**
   * Builds the table's search index in the page's idle time after it is shown, so a search finds
   * it ready; a search that comes first indexes what is missing itself. A new table (new rows, or
   * "Fetch all" replacing them) ends the work for the old one.
   */
  private indexWhenIdle(table: GridTable): void {
    cancelIdleCallback(this.indexTask);
    const step = (deadline: IdleDeadline): void => {
      if (this.table !== table) return;
      if (!table.prepareSearch(() => deadline.timeRemaining() > 2)) this.indexTask = requestIdleCallback(step, { timeout: 1000 });
    };
    this.indexTask = requestIdleCallback(step, { timeout: 1000 });
  }

  private build(): void {
    const table = this.table!;
    this.resizeObserver?.disconnect();
    this.grid?.destroy();
    closeMenu();
    // The grid started while the rows were on their way (prestart), when it is still in the page; else a new one.
    const spare = this.spare?.main === this.main && this.main.parentElement === this.root && this.toolbar.root.parentElement === this.root ? this.spare : undefined;
    if (!spare) this.spare?.view.destroy();
    this.spare = undefined;
    const { main, gridHost } = spare ?? this.gridArea();
    // Only the grid's area is new: the toolbar's web components stay as they are (taken out and put
    // back, each would set itself up again), unless the no-rows page replaced them.
    if (!spare) {
      if (this.main.parentElement === this.root && this.toolbar.root.parentElement === this.root) this.main.replaceWith(main);
      else this.root.replaceChildren(...this.chrome().map((part) => (part === this.main ? main : part)));
    }
    this.main = main;
    this.root.classList.remove('starting');
    // The column chooser (a hidden popover of some 70 checkboxes, each a web component that renders
    // itself when connected) and the Group by select (its face stands in) join the page after the
    // first frame, so the rows do not wait for them.
    // So does the summary's reading of the table (its charts are drawn in the frame after the rows'):
    // until then it has no model, and draws nothing of the table before.
    this.cancelLate();
    this.summaryPanel.setModel(undefined);
    this.cancelLate = afterPaint(() => {
      this.grid?.renderMargins();
      this.prepareSummary();
      this.toolbar.attachGroupBy();
      this.attachChooser();
    });
    // The summary counts clicks (their times, errors, uniques): a grid of conversions has none.
    const conversionRows = this.init!.rowKind === 'conversions';
    this.summaryPanel.setOpen(this.init!.summaryOpen !== false && !conversionRows);
    this.summaryPanel.root.hidden = conversionRows;
    renderBanners(this.banners, this.init!, this.fetching, this.bannerActions);
    this.grid = spare?.view ?? new GridView(gridHost, this.gridEvents(), this.nonce);
    this.grid.setTable(table);
    this.toolbar.setSearch(this.layout.spec.search ?? '');
    this.toolbar.setGroupBy(this.layout.groupBy);
    this.detail.setVisible(this.layout.detailOpen);
    this.toolbar.setDetailsPressed(this.layout.detailOpen);
    // A first look fits the columns to what the first screens hold (kept narrow); a restored layout keeps
    // its widths. Fitted as the rows are set, before they render, so columns and rows render once.
    if (Object.keys(this.layout.widths).length === 0) this.grid.fitOnNextRows(320, FIRST_LOOK_ROWS);
    this.applyColumns();
    this.recompute();
    this.resizeObserver = new ResizeObserver(() => this.grid?.resizeIfChanged());
    this.resizeObserver.observe(main);
  }

  /** A new grid area: the grid's host (with the no-rows note) beside the group counts and row details. */
  private gridArea(): { main: HTMLDivElement; gridHost: HTMLDivElement } {
    const gridHost = el('div', { class: 'grid', role: 'presentation' });
    const main = el('div', { class: 'main' });
    main.append(el('div', { class: 'grid-wrap' }), this.groups.root, this.detail.root);
    main.firstElementChild!.append(gridHost, this.empty);
    return { main, gridHost };
  }

  /**
   * Starts the page's grid while the host reads and sends the first result (called once `ready` is
   * posted): SlickGrid's set-up and the headers of the columns it will most likely show (this panel's
   * saved layout, else the default), unseen like the rest of the page until the rows come. The first
   * result then fills this grid instead of starting one (#17: first paint).
   */
  prestart(): void {
    if (this.grid || this.spare) return;
    const state = this.host.getState();
    const layout = state?.view ? sanitizeLayout(state.view, COLUMNS) : defaultLayout(COLUMNS);
    const { main, gridHost } = this.gridArea();
    this.main.replaceWith(main);
    this.main = main;
    const view = new GridView(gridHost, this.gridEvents(), this.nonce);
    view.prestart(layout.columns, layout.widths, layout.frozen);
    this.spare = { main, gridHost, view };
  }

  /** The summary's model of the table last started (extended when Fetch all grew the same result), given to the panel. */
  private prepareSummary(): void {
    const packed = this.summaryTable;
    const init = this.init;
    if (!packed || !init) return;
    this.summaryTable = undefined;
    const kept = this.summaryModel;
    if (!(kept && kept.resultId === init.resultId && kept.model.zone === init.zone && kept.model.extend(packed))) {
      const r = init.request;
      this.summaryModel = { resultId: init.resultId, model: new SummaryModel(packed, init.zone), window: requestWindow(r.from, r.to, r.timezone ?? init.zone) };
    }
    const sm = this.summaryModel!;
    this.summaryPanel.setModel(sm.model, sm.window, this.layout.summary ?? {});
  }

  /** The column chooser in the page (it joins after the first paint, or when opened before that). */
  private attachChooser(): void {
    if (!this.grid || this.chooser.root.isConnected) return;
    this.root.append(this.chooser.root);
    this.chooser.update(this.layout.columns);
  }

  private gridEvents(): GridEvents {
    return {
      sort: (sort) => this.sort(sort),
      headerFilter: (column, text) => this.setSpec({ contains: { ...this.layout.spec.contains, [column]: text } }, true),
      cellMenu: (row, column, x, y) => this.openCellMenu(row, column, x, y),
      headerMenu: (column, x, y) => this.openHeaderMenu(column, x, y),
      activeRow: (row) => this.showDetail(row),
      selection: () => this.updateSelection(),
      layout: (columns, widths) => {
        this.layout.columns = columns;
        this.layout.widths = { ...this.layout.widths, ...widths };
        this.chooser.update(columns);
        this.saveState();
      },
      copy: () => this.copySelection(),
      toggleDetail: () => this.toggleDetail(),
      search: () => this.toolbar.searchBox.focus(),
    };
  }

  // ---- the view -------------------------------------------------------------------------------

  private setSpec(patch: Partial<ViewSpec>, typing = false): void {
    this.layout.spec = { ...this.layout.spec, ...patch };
    clearTimeout(this.viewTimer);
    // Typing recomputes the view once the keys pause; how long scales with what a search costs here.
    if (typing) this.viewTimer = setTimeout(() => this.recompute(true), typingPauseMs(this.table?.rowCount ?? 0, this.lastTypedViewMs));
    else this.recompute();
  }

  /** `typed`: run for typing in the search box or a column filter, whose cost sets the next pause. */
  private recompute(typed = false): void {
    const table = this.table;
    if (!table || !this.grid) return;
    const spec = this.layout.spec;
    const base = this.lastSpec && narrows(this.lastSpec, spec) ? this.rows : undefined;
    const started = performance.now();
    this.rows = table.view(spec, base);
    if (typed) this.lastTypedViewMs = performance.now() - started;
    this.lastSpec = JSON.parse(JSON.stringify(spec)) as ViewSpec;
    this.grid.setRows(this.rows);
    this.toolbar.setFilters(spec.values ?? [], isFiltered(spec), spec.time, table.zone, spec.contains);
    this.summaryPanel.setRows(isFiltered(spec) ? this.rows : 'all', JSON.stringify({ ...spec, sort: undefined }));
    this.empty.hidden = this.rows.length > 0;
    this.empty.replaceChildren(el('span', {}, table.rowCount === 0 && this.init ? emptyText(this.init) : 'No rows match the filters.'));
    if (table.rowCount > 0 && this.rows.length === 0) {
      const clear = el('vscode-button', { secondary: true }, 'Clear all filters');
      clear.addEventListener('click', () => this.clearFilters());
      this.empty.append(clear);
    }
    // The status line's figures are a pass over every shown row: the page's first rows paint without
    // waiting for them (the line keeps its height, media/results.css), and they follow that paint.
    this.cancelStatus();
    this.cancelStatus = () => undefined;
    if (this.firstView) {
      this.summary.textContent = '';
      this.cancelStatus = afterPaint(() => this.showStatus());
    } else this.showStatus();
    this.firstView = false;
    this.conversionsBar.setFilter(convertedFilterOf(spec.values ?? []));
    this.updateSelection();
    this.updateGroups();
    this.showDetail(this.grid.activeRow());
    this.saveState();
    this.host.post({ type: 'rendered', shown: this.rows.length, total: table.rowCount, columns: this.layout.columns });
  }

  /** The status line: row counts, uniques, revenue, conversion rates and time span of the rows shown. */
  private showStatus(): void {
    const table = this.table;
    if (!table) return;
    const rates = conversionRates(table, this.rows);
    // CVR and EPC right after the row counts: the line is cut at the panel's edge, the time span last.
    const all = summaryText(summarize(table, this.rows), table.zone);
    // A grid of conversions: its row count only (the rest counts clicks' fields).
    const parts = this.init?.rowKind === 'conversions' ? all.slice(0, 1) : all;
    if (rates) parts.splice(2, 0, ratesText(rates));
    this.summary.textContent = parts.join(' · ');
  }

  private sort(sort: SortSpec): void {
    this.layout.spec = { ...this.layout.spec, sort };
    this.grid?.setSortIndicator(sort);
    this.recompute();
  }

  private clearFilters(): void {
    this.layout.spec = { search: '', contains: {}, values: [], ...(this.layout.spec.sort ? { sort: this.layout.spec.sort } : {}) };
    this.toolbar.setSearch('');
    this.applyColumns();
    this.recompute();
  }

  private addValueFilter(column: string, text: string, exclude: boolean): void {
    const values = (this.layout.spec.values ?? []).filter((f) => !(f.column === column && f.text === text));
    this.setSpec({ values: [...values, { column, text, exclude }] });
  }

  private applyColumns(): void {
    const l = this.layout;
    this.grid?.setColumns(l.columns, l.widths, l.frozen, l.spec.contains ?? {}, l.spec.sort);
  }

  private setColumns(columns: string[]): void {
    this.layout.columns = columns;
    this.applyColumns();
    this.chooser.update(columns);
    this.saveState();
    if (this.table) this.host.post({ type: 'rendered', shown: this.rows.length, total: this.table.rowCount, columns });
  }

  /** The first time a result shows its conversions, their columns go in after the transaction ID. */
  private showConversionColumns(): void {
    const l = this.layout;
    const add = CONVERSION_COLUMNS.filter((c) => c.visibleByDefault && !l.columns.includes(c.id)).map((c) => c.id);
    const at = l.columns.indexOf('transaction_id') + 1;
    l.columns = [...l.columns.slice(0, at), ...add, ...l.columns.slice(at)];
    // Wide enough for their headers: the first auto-fit ran before these columns existed.
    l.widths = { ...CONVERSION_WIDTHS, ...l.widths };
    l.conversionColumns = true;
  }

  private groupBy(column: string | undefined): void {
    this.layout.groupBy = column;
    this.toolbar.setGroupBy(column);
    this.updateGroups();
    this.grid?.resize();
    this.saveState();
  }

  private updateGroups(): void {
    const column = this.layout.groupBy;
    if (!column || !this.table) return this.groups.hide();
    this.groups.show(column, groupCounts(this.table, column, this.rows), this.rows.length, groupRates(this.table, column, this.rows));
  }

  // ---- selection, details, copy and export ------------------------------------------------------

  private blocks(): CellBlock[] {
    const table = this.table;
    if (!table || !this.grid) return [];
    return this.grid.selectedBlocks().map((b) => ({ rows: b.rows, columns: b.columns.map((id) => table.col(id)) }));
  }

  private updateSelection(): void {
    cancelAnimationFrame(this.selectionFrame);
    this.selectionFrame = requestAnimationFrame(() => {
      if (this.table) this.selectionInfo.textContent = selectionText(selectionStats(this.table, this.blocks()));
    });
  }

  /** Rows of the selection (or the active row), in view order, each once. */
  private selectedRows(): number[] {
    return [...new Set(this.grid?.selectedBlocks().flatMap((b) => b.rows) ?? [])];
  }

  private copySelection(): void {
    const blocks = this.grid?.selectedBlocks() ?? [];
    const table = this.table;
    if (!table || blocks.length === 0) return;
    if (blocks.length === 1 && blocks[0].rows.length === 1 && blocks[0].columns.length === 1) {
      this.host.post({ type: 'copyText', text: table.text(table.col(blocks[0].columns[0]), blocks[0].rows[0]) });
      return;
    }
    const order = this.grid!.columnIds();
    const columns = order.filter((id) => blocks.some((b) => b.columns.includes(id)));
    this.host.post({ type: 'copy', format: 'tsv', rows: [...new Set(blocks.flatMap((b) => b.rows))], columns });
  }

  private copyRows(format: CopyFormat, rows: number[]): void {
    if (rows.length) this.host.post({ type: 'copy', format, rows, columns: this.grid?.columnIds() ?? [] });
  }

  private exportRows(format: ExportFormat, rows: RowScope): void {
    this.host.post({ type: 'export', format, rows, columns: this.grid?.columnIds() ?? [] });
  }

  private fetchAll(): void {
    if (this.fetching) return;
    this.fetching = true;
    if (this.init) renderBanners(this.banners, this.init, true, this.bannerActions);
    this.host.post({ type: 'fetchAll' });
  }

  private toggleDetail(open = !this.layout.detailOpen): void {
    this.layout.detailOpen = open;
    this.detail.setVisible(open);
    this.toolbar.setDetailsPressed(open);
    this.grid?.resize();
    if (open) this.showDetail(this.grid?.activeRow() ?? this.rows[0]);
    else this.grid?.focus();
    this.saveState();
  }

  private showDetail(row: number | undefined): void {
    if (!this.detail.visible || !this.table) return;
    const table = this.table;
    const cell = (column: string): string => (row === undefined || table.col(column) < 0 ? '' : String(table.raw(table.col(column), row) ?? ''));
    this.detail.show(row, cell('transaction_id'), cell('error'));
  }

  // ---- menus ---------------------------------------------------------------------------------

  private menuAt(anchor: HTMLElement, entries: Parameters<typeof showMenu>[0]): void {
    const box = anchor.getBoundingClientRect();
    showMenu(entries, box.left, box.bottom + 2);
  }

  private openCellMenu(row: number, column: string, x: number, y: number): void {
    const table = this.table;
    if (!table) return;
    const selected = this.selectedRows();
    const rows = selected.includes(row) ? selected : [row];
    const cells = this.grid?.selectedBlocks().reduce((n, b) => n + b.rows.length * b.columns.length, 0) ?? 0;
    const text = table.text(table.col(column), row);
    const transactionId = String(table.raw(table.col('transaction_id'), row) ?? '');
    showMenu(
      cellMenu(
        { column, text, rows, hasSelection: cells > 1, transactionId },
        {
          copyText: (t) => this.host.post({ type: 'copyText', text: t }),
          copyRows: (f, r) => this.copyRows(f, r),
          copySelection: () => this.copySelection(),
          filter: (c, t, x) => this.addValueFilter(c, t, x),
          details: () => this.toggleDetail(true),
          openJson: (r) => this.host.post({ type: 'openJson', rows: r }),
          lookUp: (id) => this.host.post({ type: 'lookUp', transactionId: id }),
          trace: (id) => this.host.post({ type: 'traceClick', transactionId: id }),
          groupBy: (c) => this.groupBy(c),
        },
      ),
      x,
      y,
      'Cell',
    );
  }

  private openHeaderMenu(column: string, x: number, y: number): void {
    const frozen = this.layout.frozen > 0 && this.layout.columns.indexOf(column) < this.layout.frozen;
    showMenu(
      headerMenu(column, frozen, {
        sort: (c, asc) => this.sort({ column: c, asc }),
        hide: (c) => this.layout.columns.length > 1 && this.setColumns(this.layout.columns.filter((id) => id !== c)),
        autoFit: (ids) => this.grid?.autoFit(ids),
        freezeThrough: (c) => {
          this.layout.frozen = c === undefined ? 0 : this.layout.columns.indexOf(c) + 1;
          this.applyColumns();
          this.saveState();
        },
        groupBy: (c) => this.groupBy(c),
        filter: (c) => this.grid?.focusHeaderFilter(c),
        chooseColumns: () => {
          this.attachChooser();
          this.chooser.open(this.layout.columns);
        },
      }),
      x,
      y,
      'Column',
    );
  }

  // ---- state and the no-rows page -------------------------------------------------------------

  private saveState(now = false): void {
    clearTimeout(this.stateTimer);
    const write = () => {
      if (this.init) this.host.setState({ resultId: this.init.resultId, title: this.init.title, request: this.init.request, view: this.layout });
    };
    if (now) write();
    else this.stateTimer = setTimeout(write, 300);
  }

  /**
   * A table this page cannot read (a damaged message): said in words instead of a blank panel. Rows
   * already on screen stay, with the notice above them; the host keeps the result either way.
   */
  private showUnreadable(title: string, error: unknown): void {
    const notice = unreadableNotice(title, error instanceof Error ? error.message : String(error));
    this.root.classList.remove('starting');
    if (this.grid) {
      this.root.querySelector(':scope > .unreadable')?.remove();
      this.root.prepend(notice);
      return;
    }
    this.cancelLate();
    this.cancelStatus();
    this.root.replaceChildren(notice);
  }

  private showMissing(title: string, canRunAgain: boolean): void {
    this.cancelLate();
    this.cancelStatus();
    this.grid?.destroy();
    this.grid = undefined;
    this.root.classList.remove('starting');
    this.root.replaceChildren(missingPage(title, canRunAgain ? () => this.host.post({ type: 'runAgain' }) : undefined));
  }
}
