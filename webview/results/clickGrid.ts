import { SlickGrid, type Column, type GridOption } from 'slickgrid';

// SlickGrid with two start-up costs taken out of a result's first paint (issue #17), same grid after it.
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
