import { COLUMNS, CONVERSION_COLUMNS, columnById, type ColumnDef } from '../../src/core/columns';
import { MAX_COUNTED } from '../../src/core/extras';
import { el } from '../dom';

// The column chooser: every field of a click as a checkbox (the grid starts with the sensible
// dozen), a box to find one among the 62, and one-click "defaults" and "all". Shown as a popover
// under the toolbar's Columns button; Escape or a click elsewhere closes it.
//
// Fields Everflow sent that the catalogue does not name follow under "Not in the catalogue", hidden
// until chosen. Their names are API data: they go in as attribute and text values only.

export interface ColumnChooserActions {
  /** The new visible columns, in display order (newly shown ones are appended). */
  apply(columns: string[]): void;
  defaults(): void;
}

export class ColumnChooser {
  readonly root: HTMLElement;
  private readonly list: HTMLElement;
  private readonly find: HTMLElement & { value: string };
  private visible: string[] = [];
  private boxes: (HTMLElement & { checked: boolean })[];
  /** The table's catalogue: the clicks' columns, or a conversions result's. */
  private base: readonly ColumnDef[] = COLUMNS;
  private extraBoxes: (HTMLElement & { checked: boolean })[] = [];
  private extraIds: string[] = [];
  /** The conversion columns' ids when the result has them (conversions added). */
  private conversionIds: string[] = [];
  private conversionBoxes: (HTMLElement & { checked: boolean })[] = [];
  private readonly extraList: HTMLElement;
  private onOutside = (e: MouseEvent): void => {
    if (!this.root.contains(e.target as Node) && !(e.target as HTMLElement).closest?.('[data-opens="columns"]')) this.close();
  };

  constructor(private readonly actions: ColumnChooserActions) {
    this.root = el('div', { class: 'popover column-chooser', role: 'dialog', 'aria-label': 'Choose columns', hidden: true });
    this.find = el('vscode-textfield', { placeholder: 'Find a column', 'aria-label': 'Find a column' }) as HTMLElement & { value: string };
    this.find.addEventListener('input', () => this.filter());
    const buttons = el('div', { class: 'popover-buttons' });
    const defaults = el('vscode-button', { secondary: true }, 'Defaults');
    const all = el('vscode-button', { secondary: true }, 'Show all');
    defaults.addEventListener('click', () => actions.defaults());
    all.addEventListener('click', () =>
      actions.apply([...this.visible, ...this.base.map((c) => c.id), ...this.conversionIds, ...this.extraIds].filter((id, i, ids) => ids.indexOf(id) === i)),
    );
    buttons.append(defaults, all);
    this.list = el('div', { class: 'column-list', role: 'group', 'aria-label': 'Columns' });
    this.boxes = COLUMNS.map((col) => this.box(col.id, col.header));
    this.list.append(...this.boxes);
    this.extraList = el('div', { class: 'column-list column-list-extra', role: 'group', 'aria-label': 'Fields not in the catalogue', hidden: true });
    this.root.append(this.find, buttons, this.list, this.extraList);
    // On the document: a click may have left focus on the page rather than in the popover.
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.isOpen) {
        e.stopPropagation();
        this.close();
      }
    });
  }

  private box(id: string, header: string): HTMLElement & { checked: boolean } {
    const box = el('vscode-checkbox', { label: header, 'data-column': id, title: header }) as HTMLElement & { checked: boolean };
    box.addEventListener('change', () => {
      const next = box.checked ? [...this.visible, id] : this.visible.filter((v) => v !== id);
      // The grid keeps at least one column.
      if (next.length === 0) {
        box.checked = true;
        return;
      }
      this.actions.apply(next);
    });
    return box;
  }

  /** The catalogue offered: the clicks' columns, or a conversions result's (its rows are conversions). */
  setBase(base: readonly ColumnDef[]): void {
    if (base === this.base) return;
    this.base = base;
    for (const b of this.boxes) b.remove();
    this.boxes = base.map((col) => this.box(col.id, col.header));
    this.list.prepend(...this.boxes);
    this.update(this.visible);
  }

  /** Offers the conversion columns (after the catalogue's) while the result has conversions added. */
  setConversions(on: boolean): void {
    if (on === this.conversionIds.length > 0) return;
    for (const b of this.conversionBoxes) b.remove();
    this.conversionIds = on ? CONVERSION_COLUMNS.map((c) => c.id) : [];
    this.conversionBoxes = on ? CONVERSION_COLUMNS.map((c) => this.box(c.id, c.header)) : [];
    this.list.append(...this.conversionBoxes);
    this.update(this.visible);
  }

  /**
   * The columns of fields the catalogue does not name that this result has (ids `extra:…`), and how
   * many more were left out of the columns by the limit; replaces those of the previous result.
   */
  setExtras(ids: readonly string[], omitted: number): void {
    this.extraIds = ids.filter((id) => columnById(id) !== undefined);
    this.extraBoxes = this.extraIds.map((id) => this.box(id, columnById(id)!.header));
    const heading = el('div', { class: 'column-list-heading' }, 'Not in the catalogue (new from Everflow)');
    const parts: HTMLElement[] = [heading, ...this.extraBoxes];
    if (omitted > 0) {
      const more = omitted >= MAX_COUNTED ? `At least ${MAX_COUNTED.toLocaleString('en-US')}` : omitted.toLocaleString('en-US');
      parts.push(
        el(
          'p',
          { class: 'column-list-note' },
          `${more} more field(s) are not offered as columns (${this.extraIds.length} at most); every field is in row details, Open as JSON and exports.`,
        ),
      );
    }
    this.extraList.replaceChildren(...parts);
    this.extraList.hidden = this.extraIds.length === 0 && omitted === 0;
    this.update(this.visible);
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  open(visible: string[]): void {
    this.update(visible);
    this.root.hidden = false;
    this.find.value = '';
    this.filter();
    setTimeout(() => {
      this.find.focus();
      document.addEventListener('mousedown', this.onOutside, true);
    });
  }

  close(): void {
    if (this.root.hidden) return;
    this.root.hidden = true;
    document.removeEventListener('mousedown', this.onOutside, true);
    document.querySelector<HTMLElement>('[data-opens="columns"]')?.focus();
  }

  toggle(visible: string[]): void {
    if (this.isOpen) this.close();
    else this.open(visible);
  }

  /**
   * Marks the visible columns (the boxes stay, so the one being clicked keeps focus). While the chooser
   * is not in the page (it joins after a result's first paint) only the list is kept: `open` and the
   * page's `attach` mark the boxes.
   */
  update(visible: string[]): void {
    this.visible = visible;
    if (!this.root.isConnected) return;
    for (const box of [...this.boxes, ...this.conversionBoxes, ...this.extraBoxes]) box.checked = visible.includes(box.dataset.column ?? '');
  }

  private filter(): void {
    const needle = (this.find.value ?? '').trim().toLowerCase();
    for (const box of [...this.boxes, ...this.conversionBoxes, ...this.extraBoxes]) {
      box.hidden = needle !== '' && !(box.getAttribute('label') ?? '').toLowerCase().includes(needle);
    }
  }
}
