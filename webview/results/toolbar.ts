import { COLUMNS, columnById, type ColumnDef } from '../../src/core/columns';
import { formatTimestamp } from '../../src/core/format';
import type { TimeRange, ValueFilter } from '../../src/core/gridTable';
import { el } from '../dom';

// The toolbar above the grid: quick search over every cell, "Group by", the column chooser, row
// details, copy and export menus, and the filters in force as removable chips.

export interface ToolbarActions {
  search(text: string): void;
  groupBy(column: string | undefined): void;
  columns(): void;
  details(): void;
  copyMenu(anchor: HTMLElement): void;
  exportMenu(anchor: HTMLElement): void;
  autoFit(): void;
  removeFilter(index: number): void;
  removeContains(column: string): void;
  removeTimeRange(): void;
  clearFilters(): void;
}

type ValueElement = HTMLElement & { value: string };

export class Toolbar {
  readonly root: HTMLElement;
  readonly chips: HTMLElement;
  readonly searchBox: ValueElement;
  private readonly group: ValueElement;
  /** What stands in for Group by until the first paint: its face (label and chevron), same size, no web component. */
  private readonly groupFace: HTMLElement;
  /** The catalogue Group by offers, and the one its options were built for. */
  private groupBase: readonly ColumnDef[] = COLUMNS;
  private groupOptionsOf: readonly ColumnDef[] | undefined;
  private readonly detailsButton: HTMLElement;

  constructor(private readonly actions: ToolbarActions) {
    this.root = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Results' });
    this.searchBox = el('vscode-textfield', { class: 'search', placeholder: 'Search all cells', 'aria-label': 'Search all cells (Ctrl+F)', type: 'search' }) as ValueElement;
    this.searchBox.addEventListener('input', () => actions.search(this.searchBox.value));
    this.group = el('vscode-single-select', { class: 'group-select', 'aria-label': 'Group by', title: 'Group by a column to count clicks per value' }) as ValueElement;
    this.group.addEventListener('change', () => actions.groupBy(this.group.value || undefined));
    this.groupFace = groupFace();
    const button = (label: string, title: string, run: (b: HTMLElement) => void, attrs: Record<string, string> = {}): HTMLElement => {
      const b = el('vscode-button', { secondary: true, title, ...attrs }, label);
      b.addEventListener('click', () => run(b));
      return b;
    };
    this.detailsButton = button('Details', 'Show the selected row as JSON (Enter)', () => actions.details(), { 'aria-pressed': 'false' });
    this.root.append(
      this.searchBox,
      this.groupFace,
      button('Columns', 'Show, hide and find columns', () => actions.columns(), { 'data-opens': 'columns' }),
      button('Auto-fit', 'Size every column to its content', () => actions.autoFit()),
      this.detailsButton,
      button('Copy ▾', 'Copy rows or the selection', (b) => actions.copyMenu(b), { 'aria-haspopup': 'menu' }),
      button('Export ▾', 'Export all or the filtered rows to CSV or JSON', (b) => actions.exportMenu(b), { 'aria-haspopup': 'menu' }),
    );
    // Hidden until there is a filter: shown empty (its padding) until the first view's setFilters, it
    // would take 4 px from the grid after the grid has sized itself, and cost a resize in the first frame.
    this.chips = el('div', { class: 'chips', 'aria-label': 'Filters', hidden: true });
  }

  setSearch(text: string): void {
    if (this.searchBox.value !== text) this.searchBox.value = text;
  }

  /** The columns Group by offers: the table's catalogue (clicks', or a conversions result's). */
  setGroupColumns(base: readonly ColumnDef[]): void {
    this.groupBase = base;
    if (this.group.isConnected) this.fillGroupOptions();
  }

  /** The select's options for the catalogue, built when the select is in the page and the catalogue changed. */
  private fillGroupOptions(): void {
    const base = this.groupBase;
    if (this.groupOptionsOf === base) return;
    this.groupOptionsOf = base;
    this.group.replaceChildren(
      el('vscode-option', { value: '', selected: true }, 'Group by: none'),
      ...base.filter((c) => c.kind !== 'timestamp').map((c) => el('vscode-option', { value: c.id }, `Group by: ${c.header}`)),
    );
  }

  setGroupBy(column: string | undefined): void {
    this.group.value = column ?? '';
    const header = column === undefined ? undefined : columnById(column)?.header;
    this.groupFace.firstElementChild!.textContent = `Group by: ${header ?? 'none'}`;
  }

  /**
   * Group by in place of its stand-in. The select renders itself and its 60-odd options when it joins
   * the page (some 20 ms of a first paint), so the first frame shows its face and the select joins
   * after that frame (webview/results/afterPaint.ts); the value set before then is kept by the select.
   */
  attachGroupBy(): void {
    if (this.group.isConnected) return;
    this.fillGroupOptions();
    this.groupFace.replaceWith(this.group);
  }

  setDetailsPressed(pressed: boolean): void {
    this.detailsButton.setAttribute('aria-pressed', String(pressed));
    this.detailsButton.toggleAttribute('secondary', !pressed);
  }

  /**
   * Shows the filters in force as chips: a time range brushed on the summary, the column filters typed
   * under the headers and the value filters; the last chip clears them all.
   */
  setFilters(values: ValueFilter[], anyFilter: boolean, time?: TimeRange, zone = 'UTC', contains: Record<string, string> = {}): void {
    const chip = (text: string, cls: string, remove: () => void): HTMLElement => {
      const b = el('button', { class: cls, type: 'button', title: `Remove the filter ${text}`, 'aria-label': `Remove filter ${text}` });
      b.append(el('span', { class: 'chip-text' }, text), el('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×'));
      b.addEventListener('click', remove);
      return b;
    };
    const header = (id: string): string => columnById(id)?.header ?? id;
    const chips: HTMLElement[] = [];
    if (time) {
      chips.push(chip(`Time ${formatTimestamp(time.start, zone)} – ${formatTimestamp(time.end, zone)}`, 'chip chip-time', () => this.actions.removeTimeRange()));
    }
    for (const [id, text] of Object.entries(contains)) {
      if (text.trim()) chips.push(chip(`${header(id)} contains “${text}”`, 'chip chip-contains', () => this.actions.removeContains(id)));
    }
    values.forEach((f, i) => {
      const text = `${header(f.column)} ${f.exclude ? '≠' : '='} ${f.text === '' ? '(empty)' : f.text}`;
      chips.push(chip(text, f.exclude ? 'chip chip-exclude' : 'chip', () => this.actions.removeFilter(i)));
    });
    if (anyFilter) {
      const clear = el('button', { class: 'chip chip-clear', type: 'button' }, 'Clear all filters');
      clear.addEventListener('click', () => this.actions.clearFilters());
      chips.push(clear);
    }
    this.chips.replaceChildren(...chips);
    this.chips.hidden = chips.length === 0;
  }

  /** Ctrl+F (Cmd+F) anywhere focuses the search box; Escape or the Down arrow there goes back to the grid. */
  bindSearchKeys(focusGrid: () => void): void {
    document.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && (e.key === 'f' || e.key === 'F')) {
        e.preventDefault();
        this.searchBox.focus();
      } else if (e.key === 'Escape' && this.searchBox.contains(document.activeElement as Node | null)) {
        focusGrid();
      }
    });
    this.searchBox.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' || e.key === 'ArrowDown') focusGrid();
    });
  }
}

/**
 * The closed face of a `vscode-single-select` (media/results.css `.group-face` copies its styles): a
 * label and the same chevron. Not focusable or clickable: it is on screen for a frame.
 */
function groupFace(): HTMLElement {
  const face = el('div', { class: 'group-face', 'aria-hidden': 'true' });
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('fill', 'currentColor');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('fill-rule', 'evenodd');
  path.setAttribute('clip-rule', 'evenodd');
  path.setAttribute('d', 'M7.976 10.072l4.357-4.357.62.618L8.284 11h-.618L3 6.333l.619-.618 4.357 4.357z');
  svg.append(path);
  face.append(el('span', { class: 'group-face-text' }, 'Group by: none'), svg);
  return face;
}
