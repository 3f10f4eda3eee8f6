import { resourceTypeLabel } from '../../src/core/logic';
import { RESOURCE_TYPES, type QueryFilter } from '../../src/core/types';
import { el } from '../dom';

// The filters and exclusions of the form as one list of rows: include/exclude, resource type, value,
// remove. Kept as one list (not two) so a user can flip a row between filter and exclusion in place;
// `split()` turns it back into the two lists and remembers which row each item came from, so a
// problem named `exclusions[1].filter_id_value` is shown on the right row.

export interface FilterRow {
  excluded: boolean;
  type: string;
  value: string;
}

export interface SplitRows {
  filters: QueryFilter[];
  exclusions: QueryFilter[];
  /** Row index of filters[i] and exclusions[i]. */
  rowOf: { filters: number[]; exclusions: number[] };
}

export function split(rows: readonly FilterRow[]): SplitRows {
  const out: SplitRows = { filters: [], exclusions: [], rowOf: { filters: [], exclusions: [] } };
  rows.forEach((r, i) => {
    const list = r.excluded ? 'exclusions' : 'filters';
    out[list].push({ resource_type: r.type, filter_id_value: r.value });
    out.rowOf[list].push(i);
  });
  return out;
}

export function rowsOf(filters: readonly QueryFilter[], exclusions: readonly QueryFilter[]): FilterRow[] {
  return [
    ...filters.map((f) => ({ excluded: false, type: f.resource_type, value: f.filter_id_value })),
    ...exclusions.map((f) => ({ excluded: true, type: f.resource_type, value: f.filter_id_value })),
  ];
}

export interface RowElements {
  root: HTMLElement;
  mode: HTMLElementTagNameMap['vscode-single-select'];
  type: HTMLElementTagNameMap['vscode-single-select'];
  value: HTMLElementTagNameMap['vscode-textfield'];
  remove: HTMLElementTagNameMap['vscode-button'];
  helper: HTMLElement;
}

function option(value: string, label: string, selected: boolean): HTMLElement {
  return el('vscode-option', { value, selected }, label);
}

/** One row's controls; `onChange` runs on every edit, `onRemove` when its button is pressed. */
export function renderRow(row: FilterRow, index: number, onChange: () => void, onRemove: () => void): RowElements {
  const root = el('div', { class: 'filter-row', 'data-row': index });
  const mode = el('vscode-single-select', { 'aria-label': `Row ${index + 1}: filter or exclusion` });
  mode.append(option('include', 'match', !row.excluded), option('exclude', 'exclude', row.excluded));
  const type = el('vscode-single-select', { 'aria-label': `Row ${index + 1}: resource type`, combobox: true });
  // A hand-written type the list does not have is kept as an option, so the problem can be shown on it.
  const types: string[] = RESOURCE_TYPES.includes(row.type as never) || row.type === '' ? [...RESOURCE_TYPES] : [row.type, ...RESOURCE_TYPES];
  for (const t of types) type.append(option(t, resourceTypeLabel(t) === t ? t : `${resourceTypeLabel(t)} (${t})`, t === row.type));
  const value = el('vscode-textfield', { 'aria-label': `Row ${index + 1}: value`, placeholder: row.type === 'country' ? 'United States' : 'value' });
  value.value = row.value;
  const remove = el('vscode-button', { secondary: true, 'aria-label': `Remove row ${index + 1}` }, 'Remove');
  const helper = el('div', { class: 'helper row-helper', role: 'alert' });
  mode.addEventListener('change', onChange);
  type.addEventListener('change', onChange);
  value.addEventListener('input', onChange);
  remove.addEventListener('click', onRemove);
  root.append(mode, type, value, remove, helper);
  return { root, mode, type, value, remove, helper };
}

/** The row as the controls show it now. */
export function readRow(r: RowElements): FilterRow {
  return { excluded: r.mode.value === 'exclude', type: r.type.value, value: r.value.value };
}
