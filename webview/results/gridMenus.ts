import { columnById } from '../../src/core/columns';
import type { CopyFormat, ExportFormat, RowScope } from '../../src/protocol/results';
import type { MenuEntry } from './contextMenu';

// The grid's menus, as data: what a right-click on a cell or a header offers, and the toolbar's
// Copy and Export menus. The app supplies the actions; these only decide what is offered and how
// it reads.

export interface CellMenuContext {
  column: string;
  /** The cell's text, as shown. */
  text: string;
  /** Rows the copy items act on: the selection's rows, or the clicked row. */
  rows: number[];
  /** More than one cell is selected. */
  hasSelection: boolean;
  transactionId: string;
}

export interface CellMenuActions {
  copyText(text: string): void;
  copyRows(format: CopyFormat, rows: number[]): void;
  copySelection(): void;
  filter(column: string, text: string, exclude: boolean): void;
  details(): void;
  openJson(rows: number[]): void;
  lookUp(transactionId: string): void;
  trace(transactionId: string): void;
  groupBy(column: string): void;
}

const clip = (s: string, max = 40): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const quoted = (s: string): string => (s === '' ? '(empty)' : `“${clip(s)}”`);

export function cellMenu(ctx: CellMenuContext, a: CellMenuActions): MenuEntry[] {
  const header = columnById(ctx.column)?.header ?? ctx.column;
  const rows = ctx.rows.length === 1 ? 'Row' : `${ctx.rows.length.toLocaleString('en-US')} Rows`;
  return [
    { label: 'Copy Cell', run: () => a.copyText(ctx.text) },
    ...(ctx.hasSelection ? [{ label: 'Copy Selection as TSV', hint: 'Ctrl+C', run: () => a.copySelection() }] : []),
    { label: `Copy ${rows} as TSV (with headers)`, hint: ctx.hasSelection ? undefined : 'Ctrl+C', run: () => a.copyRows('tsv', ctx.rows) },
    { label: `Copy ${rows} as JSON`, run: () => a.copyRows('json', ctx.rows) },
    { label: `Copy ${rows} as Markdown`, run: () => a.copyRows('markdown', ctx.rows) },
    'separator',
    { label: `Filter by This Value: ${header} = ${quoted(ctx.text)}`, run: () => a.filter(ctx.column, ctx.text, false) },
    { label: `Exclude This Value: ${header} ≠ ${quoted(ctx.text)}`, run: () => a.filter(ctx.column, ctx.text, true) },
    { label: `Group by ${header}`, run: () => a.groupBy(ctx.column) },
    'separator',
    { label: 'Show Row Details', hint: 'Enter', run: () => a.details() },
    { label: ctx.rows.length === 1 ? 'Open Row as JSON Document' : `Open ${rows} as JSON Document`, run: () => a.openJson(ctx.rows) },
    { label: 'Look Up Again by ID', disabled: !/^[0-9a-f]{32}$/i.test(ctx.transactionId), run: () => a.lookUp(ctx.transactionId) },
    { label: 'Trace Click…', disabled: !/^[0-9a-f]{32}$/i.test(ctx.transactionId), run: () => a.trace(ctx.transactionId) },
  ];
}

export interface HeaderMenuActions {
  sort(column: string, asc: boolean): void;
  hide(column: string): void;
  autoFit(columns?: string[]): void;
  freezeThrough(column: string | undefined): void;
  groupBy(column: string): void;
  filter(column: string): void;
  chooseColumns(): void;
}

export function headerMenu(column: string, frozen: boolean, a: HeaderMenuActions): MenuEntry[] {
  return [
    { label: 'Sort Ascending', run: () => a.sort(column, true) },
    { label: 'Sort Descending', run: () => a.sort(column, false) },
    { label: 'Filter This Column…', run: () => a.filter(column) },
    { label: `Group by ${columnById(column)?.header ?? column}`, run: () => a.groupBy(column) },
    'separator',
    { label: 'Hide Column', run: () => a.hide(column) },
    { label: 'Auto-Fit Width', run: () => a.autoFit([column]) },
    { label: 'Auto-Fit All Columns', run: () => a.autoFit() },
    frozen ? { label: 'Unfreeze Columns', run: () => a.freezeThrough(undefined) } : { label: 'Freeze Columns up to Here', run: () => a.freezeThrough(column) },
    'separator',
    { label: 'Choose Columns…', run: () => a.chooseColumns() },
  ];
}

export function copyMenu(selectionRows: number[], shown: number[], a: { copyRows(format: CopyFormat, rows: number[]): void; copySelection(): void }): MenuEntry[] {
  const sel = selectionRows.length;
  const n = (v: number) => v.toLocaleString('en-US');
  return [
    { label: 'Copy Selection as TSV', hint: 'Ctrl+C', disabled: sel === 0, run: () => a.copySelection() },
    'separator',
    ...(['tsv', 'json', 'markdown'] as const).map((f) => ({
      label: `Copy ${n(sel)} Selected Row${sel === 1 ? '' : 's'} as ${f === 'tsv' ? 'TSV' : f === 'json' ? 'JSON' : 'Markdown'}`,
      disabled: sel === 0,
      run: () => a.copyRows(f, selectionRows),
    })),
    'separator',
    { label: `Copy All ${n(shown.length)} Shown Rows as TSV`, disabled: shown.length === 0, run: () => a.copyRows('tsv', shown) },
  ];
}

export function exportMenu(total: number, shown: number[], filtered: boolean, run: (format: ExportFormat, rows: RowScope) => void): MenuEntry[] {
  const n = (v: number) => v.toLocaleString('en-US');
  const entries: MenuEntry[] = [
    { label: `Export All ${n(total)} Rows to CSV…`, run: () => run('csv', 'all') },
    { label: `Export All ${n(total)} Rows to JSON…`, run: () => run('json', 'all') },
  ];
  if (filtered) {
    entries.push(
      'separator',
      { label: `Export the ${n(shown.length)} Filtered Rows to CSV…`, disabled: shown.length === 0, run: () => run('csv', shown) },
      { label: `Export the ${n(shown.length)} Filtered Rows to JSON…`, disabled: shown.length === 0, run: () => run('json', shown) },
    );
  }
  return entries;
}
