import { SlickGrid, type Column, type GridOption } from 'slickgrid';

// SlickGrid with three start-up costs taken out of a result's first paint (issue #17), same grid after it.
//
// 1. The largest element height the browser supports: SlickGrid probes it as it starts, doubling a
//    test element's height in a loop of forced layouts (about 10 ms before any row shows). Its answer
//    matters only to a table taller than SlickGrid's own floor for it (1,000,000 px, about 45,000 rows
//    of 22 px), which it pages. So the probe runs the first time a table that tall is shown, once per
//    page, and its answer is kept for the page's later grids.
// 2. The columns: SlickGrid built its headers, CSS rules and canvas for no columns as it started, then
//    again for the first columns set; and `setOptions({ frozenColumn })` builds them all again (with
//    a render of the rows). Here the grid starts with its first columns and their freeze (SlickGrid's
//    `explicitInitialization`), and later columns are set and frozen in one pass: built once each.
// 3. The rows and columns off screen: SlickGrid renders a screen of rows below the visible ones and a
//    viewport's width of columns either side, ready for scrolling, which is about three times the cells
//    the first frame shows. A new grid renders only what is on screen (and SlickGrid's few rows of
//    margin) until `renderMargins`, which the page calls once that first frame has painted.

/** SlickGrid's starting point for the probe, which the browser always supports. */
const PROBE_FLOOR = 1_000_000;
/** The probe's answer, once a tall table needed it (the same for every grid of this page). */
let probed: number | undefined;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the row type GridView gives SlickGrid (rows are `{ r }`).
export class ClickGrid<C extends Column<any>> extends SlickGrid<any, C, GridOption<C>> {
  // Called from SlickGrid's constructor, before this class's own fields exist: module state only.
  protected override getMaxSupportedCssHeight(): number {
    return probed ?? PROBE_FLOOR;
  }

  /** Until renderMargins: each render draws only the rows and columns on screen. */
  private onScreenOnly = true;

  override getRenderedRange(viewportTop?: number, viewportLeft?: number): ReturnType<SlickGrid['getRenderedRange']> {
    const range = super.getRenderedRange(viewportTop, viewportLeft);
    if (!this.onScreenOnly) return range;
    const visible = this.getVisibleRange(viewportTop, viewportLeft);
    const margin = this.getOptions().minRowBuffer ?? 3;
    range.top = Math.max(range.top, visible.top - margin);
    range.bottom = Math.min(range.bottom, visible.bottom + margin);
    range.leftPx = Math.max(range.leftPx, visible.leftPx);
    range.rightPx = Math.min(range.rightPx, visible.rightPx);
    return range;
  }

  /** Renders SlickGrid's usual margins of rows and columns off screen, from now on (see 3 above). */
  renderMargins(): void {
    if (!this.onScreenOnly) return;
    this.onScreenOnly = false;
    // SlickGrid adds cells to rows already drawn only when it sees the grid scrolled sideways.
    this.lastRenderedScrollLeft = -1;
    this.render();
  }

  /** Probes the supported height (once per page) when `rows` rows of `rowHeight` need more than the floor. */
  fitHeightFor(rows: number, rowHeight: number): void {
    if (rows * rowHeight < PROBE_FLOOR || probed !== undefined) return;
    probed = super.getMaxSupportedCssHeight();
    this.maxSupportedCssHeight = probed;
  }

  /**
   * Resizes the canvas when the container's viewport is not the size SlickGrid last measured. A resize
   * observer reports its first size in the frame that paints the rows the grid has just sized itself
   * to: a resize then is another layout and render of the rows before that paint, for nothing.
   */
  resizeIfChanged(): void {
    if (!this.initialized) return;
    const [w, h] = [this.viewportW, this.viewportH];
    if (this.getViewportWidth() === w && this.getViewportHeight() === h) return;
    this.resizeCanvas();
  }

  /**
   * Takes `columns` into the columns shown when they are the same ones (ids, order, freeze): their data,
   * widths and header texts go into the grid's own definitions and its headers and column rules, without
   * building the headers, CSS rules and canvas again (a grid started before its table, GridView.prestart).
   * False, changing nothing, when they differ.
   */
  adoptColumns(columns: C[], frozenColumn: number): boolean {
    const own = this.columns;
    if (!this.initialized || this.getOptions().frozenColumn !== frozenColumn || own.length !== columns.length || own.some((c, i) => c.id !== columns[i].id || c.cssClass !== columns[i].cssClass)) return false;
    columns.forEach((next, i) => {
      const { name, toolTip, ...rest } = next;
      Object.assign(own[i], rest, { widthRequest: next.width });
      if (name !== own[i].name || toolTip !== own[i].toolTip) this.updateColumnHeader(own[i].id, name, toolTip);
    });
    this.updateColumnCaches();
    this.reRenderColumns(false);
    return true;
  }

  /** The columns and how many of them are frozen (`frozenColumn`: the last frozen index, -1 for none), built once. */
  setColumnsFrozen(columns: C[], frozenColumn: number): void {
    if (!this.initialized) {
      // Before init SlickGrid only records the columns; init reads the freeze from the options.
      this.setColumns(columns);
      this.getOptions().frozenColumn = frozenColumn;
      this.init();
      return;
    }
    if (this.getOptions().frozenColumn !== frozenColumn) {
      // SlickGrid checks a freeze against the columns it holds: it gets the new ones first, and the
      // full set-up of the columns (skipped here) then runs once, in setColumns, with the freeze in force.
      this.columns = columns;
      this.setOptions({ frozenColumn }, true, true);
    }
    this.setColumns(columns);
  }
}
