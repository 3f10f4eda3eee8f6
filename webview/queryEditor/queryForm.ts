import { describeQueryLogic, resolveQueryWindow, validateSavedQuery, type SavedQuery } from '../../src/core/savedQuery';
import { windowNotes } from '../../src/core/windowNotices';
import { PRESET_LABELS, WINDOW_PRESETS } from '../../src/core/timeWindow';
import type { ValidationProblem } from '../../src/core/types';
import type { QueryEditorInit } from '../../src/protocol/queryEditor';
import { el, setText } from '../dom';
import { readRow, renderRow, rowsOf, split, type FilterRow, type RowElements } from './filterRows';

// The saved-query form. Every edit re-validates with the same src/core code the host uses, shows each
// problem under its own field and refreshes the logic preview and the window as it resolves now. It
// never saves a query with a problem: Save names the problems and moves focus to the first one.

export interface FormCallbacks {
  onEdit(draft: Record<string, unknown>): void;
  onSave(draft: Record<string, unknown>, thenRun: boolean): void;
  onCancel(): void;
}

const CUSTOM = 'custom';

export class QueryForm {
  private init!: QueryEditorInit;
  private rows: FilterRow[] = [];
  private rowEls: RowElements[] = [];
  private readonly helpers = new Map<string, HTMLElement>();

  private readonly heading = el('h1');
  private readonly scopeLine = el('p', { class: 'scope' });
  private readonly name = el('vscode-textfield', { id: 'name', 'aria-label': 'Name' });
  private readonly windowSelect = el('vscode-single-select', { id: 'window', 'aria-label': 'Time window' });
  private readonly customBox = el('div', { class: 'custom-window' });
  private readonly from = el('vscode-textfield', { id: 'from', 'aria-label': 'From', placeholder: 'YYYY-MM-DD HH:MM:SS' });
  private readonly to = el('vscode-textfield', { id: 'to', 'aria-label': 'To (inclusive)', placeholder: 'YYYY-MM-DD HH:MM:SS' });
  private readonly zone = el('vscode-single-select', { id: 'timezone', 'aria-label': 'Timezone', combobox: true });
  private readonly windowPreview = el('p', { class: 'preview', 'aria-live': 'polite' });
  private readonly rowsBox = el('div', { class: 'filter-rows' });
  private readonly logic = el('p', { class: 'logic', 'aria-live': 'polite' });
  private readonly folder = el('vscode-textfield', { id: 'folder', 'aria-label': 'Folder', placeholder: 'Team/Daily (optional)' });
  private readonly folderHint = el('div', { class: 'hint' });
  private readonly account = el('vscode-single-select', { id: 'account', 'aria-label': 'Account' });
  private readonly note = el('vscode-textarea', { id: 'note', 'aria-label': 'Note', rows: 3 });
  private readonly status = el('p', { class: 'status', role: 'status' });
  private readonly summary = el('ul', { class: 'summary' });

  constructor(
    root: HTMLElement,
    private readonly cb: FormCallbacks,
  ) {
    const field = (label: string, control: HTMLElement, key: string, hint?: string) => {
      const helper = el('div', { class: 'helper', role: 'alert' });
      this.helpers.set(key, helper);
      const box = el('div', { class: 'field' });
      box.append(el('label', { for: control.id }, label), control);
      if (hint) box.append(el('div', { class: 'hint' }, hint));
      box.append(helper);
      return box;
    };
    this.customBox.append(field('From', this.from, 'window.from'), field('To (inclusive)', this.to, 'window.to'));
    const addFilter = el('vscode-button', { secondary: true }, 'Add filter');
    const addExclusion = el('vscode-button', { secondary: true }, 'Add exclusion');
    addFilter.addEventListener('click', () => this.addRow(false));
    addExclusion.addEventListener('click', () => this.addRow(true));
    const filtersHelper = el('div', { class: 'helper', role: 'alert' });
    this.helpers.set('filters', filtersHelper);
    this.helpers.set('exclusions', filtersHelper);
    const save = el('vscode-button', { id: 'save' }, 'Save');
    const saveRun = el('vscode-button', { id: 'save-run', secondary: true }, 'Save and Run');
    const cancel = el('vscode-button', { id: 'cancel', secondary: true }, 'Close');
    save.addEventListener('click', () => this.save(false));
    saveRun.addEventListener('click', () => this.save(true));
    cancel.addEventListener('click', () => this.cb.onCancel());
    const general = el('div', { class: 'helper', role: 'alert' });
    this.helpers.set('', general);

    const filters = el('section', { class: 'filters', 'aria-label': 'Filters and exclusions' });
    filters.append(
      el('h2', {}, 'Filters and exclusions'),
      el('p', { class: 'hint' }, 'Values of the same type are OR-ed; different types are AND-ed; exclusions remove matching clicks.'),
      this.rowsBox,
      el('div', { class: 'row-buttons' }),
      filtersHelper,
      this.logic,
    );
    filters.querySelector('.row-buttons')!.append(addFilter, addExclusion);
    const buttons = el('div', { class: 'buttons' });
    buttons.append(save, saveRun, cancel);
    root.append(
      this.heading,
      this.scopeLine,
      field('Name', this.name, 'name'),
      field('Time window', this.windowSelect, 'window', 'Relative windows are resolved each time the query runs, in its timezone.'),
      this.customBox,
      field('Timezone', this.zone, 'timezone', 'Everflow reads from and to as wall-clock time in this zone.'),
      this.windowPreview,
      filters,
      field('Folder', this.folder, 'folder'),
      this.folderHint,
      field('Account', this.account, 'account', 'Optional: the Everflow account this query is meant for.'),
      field('Note', this.note, 'note'),
      general,
      this.summary,
      buttons,
      this.status,
    );
    for (const c of [this.name, this.from, this.to, this.folder, this.note]) c.addEventListener('input', () => this.changed());
    for (const c of [this.windowSelect, this.zone, this.account]) c.addEventListener('change', () => this.changed());
  }

  /** Fills the form from `query` (or a draft kept by the webview across a reload). */
  load(init: QueryEditorInit, query: SavedQuery): void {
    this.init = init;
    setText(this.heading, query.name || 'Saved query');
    setText(this.scopeLine, init.scopeLabel);
    this.name.value = query.name;
    this.windowSelect.replaceChildren(
      ...WINDOW_PRESETS.map((p) => el('vscode-option', { value: p, selected: 'preset' in query.window && query.window.preset === p }, PRESET_LABELS[p])),
      el('vscode-option', { value: CUSTOM, selected: 'from' in query.window }, 'Custom range (from → to)'),
    );
    this.from.value = 'from' in query.window ? query.window.from : '';
    this.to.value = 'to' in query.window ? query.window.to : '';
    this.setZones(init.zones, query.timezone);
    this.account.replaceChildren(
      el('vscode-option', { value: '', selected: !query.account }, '(any account)'),
      ...[...new Set([...init.accounts, ...(query.account ? [query.account] : [])])].map((a) => el('vscode-option', { value: a, selected: a === query.account }, a)),
    );
    this.folder.value = query.folder ?? '';
    setText(this.folderHint, init.folders.length ? `Existing folders: ${init.folders.join(', ')}. Nest with "/".` : 'Nest folders with "/", e.g. Team/Daily.');
    this.note.value = query.note ?? '';
    this.rows = rowsOf(query.filters, query.exclusions);
    this.renderRows();
    this.refresh();
  }

  /** Everflow's zone list arrived: offer it, keeping the current choice. */
  updateZones(init: QueryEditorInit): void {
    const current = this.zone.value;
    this.init = init;
    this.setZones(init.zones, current);
    this.refresh();
  }

  private setZones(zones: string[], selected: string): void {
    const all = zones.includes(selected) || selected === '' ? zones : [selected, ...zones];
    this.zone.replaceChildren(...all.map((z) => el('vscode-option', { value: z, selected: z === selected }, z)));
  }

  private renderRows(): void {
    this.rowEls = this.rows.map((row, i) =>
      renderRow(row, i, () => this.changed(), () => {
        this.syncRows();
        this.rows.splice(i, 1);
        this.renderRows();
        this.changed();
      }),
    );
    this.rowsBox.replaceChildren(...this.rowEls.map((r) => r.root));
    if (this.rows.length === 0) this.rowsBox.append(el('p', { class: 'hint' }, 'No filters: the query returns all clicks in the window.'));
  }

  private syncRows(): void {
    this.rows = this.rowEls.map(readRow);
  }

  private addRow(excluded: boolean): void {
    this.syncRows();
    this.rows.push({ excluded, type: 'offer', value: '' });
    this.renderRows();
    this.rowEls[this.rowEls.length - 1]?.value.focus();
    this.changed();
  }

  /** The form as a query-shaped object, not yet validated. */
  draft(): Record<string, unknown> {
    this.syncRows();
    const { filters, exclusions } = split(this.rows);
    const custom = this.windowSelect.value === CUSTOM;
    const draft: Record<string, unknown> = {
      name: this.name.value,
      window: custom ? { from: this.from.value, to: this.to.value } : { preset: this.windowSelect.value },
      timezone: this.zone.value,
      filters,
      exclusions,
    };
    if (this.account.value) draft.account = this.account.value;
    if (this.folder.value.trim() !== '') draft.folder = this.folder.value.trim();
    if (this.note.value.trim() !== '') draft.note = this.note.value;
    return draft;
  }

  private changed(): void {
    this.refresh();
    this.cb.onEdit(this.draft());
  }

  /** Re-validates and updates every helper, the previews and the summary; returns the problems. */
  refresh(extra: ValidationProblem[] = []): ValidationProblem[] {
    const draft = this.draft();
    this.customBox.hidden = this.windowSelect.value !== CUSTOM;
    const problems = [
      ...validateSavedQuery({ ...draft, id: this.init?.query.id ?? 'draft' }, { knownZones: this.init?.zonesFromEverflow ? this.init.zones : undefined }),
      ...extra,
    ];
    for (const h of this.helpers.values()) setText(h, '');
    for (const r of this.rowEls) setText(r.helper, '');
    for (const c of [this.name, this.from, this.to, this.folder]) c.invalid = false;
    const { rowOf } = split(this.rows);
    for (const p of problems) this.place(p, rowOf);
    const windowOk = !problems.some((p) => p.field.startsWith('window') || p.field === 'timezone');
    if (windowOk) {
      const w = resolveQueryWindow(draft as unknown as SavedQuery);
      const notes = windowNotes(w, String(draft.timezone));
      setText(this.windowPreview, [`If run now: ${w.from} → ${w.to} (${String(draft.timezone)}).`, ...notes].join(' '));
    } else {
      setText(this.windowPreview, '');
    }
    const listsOk = !problems.some((p) => /^(filters|exclusions)/.test(p.field));
    setText(this.logic, listsOk ? `Logic: ${describeQueryLogic(draft as unknown as SavedQuery)}` : 'Logic: fix the marked rows to see what the query matches.');
    this.summary.replaceChildren(...problems.map((p) => el('li', {}, p.message)));
    this.summary.hidden = problems.length === 0;
    return problems;
  }

  private place(p: ValidationProblem, rowOf: { filters: number[]; exclusions: number[] }): void {
    const m = /^(filters|exclusions)\[(\d+)\]/.exec(p.field);
    if (m) {
      const row = this.rowEls[rowOf[m[1] as 'filters' | 'exclusions'][Number(m[2])]];
      if (row) {
        append(row.helper, p.message);
        return;
      }
    }
    const key = p.field === 'window.preset' ? 'window' : p.field;
    append(this.helpers.get(key) ?? this.helpers.get('')!, p.message);
    const control = { name: this.name, 'window.from': this.from, 'window.to': this.to, folder: this.folder }[key];
    if (control) control.invalid = true;
  }

  private save(thenRun: boolean): void {
    const problems = this.refresh();
    if (problems.length) {
      this.setStatus(`Not saved: ${problems.length} problem${problems.length === 1 ? '' : 's'} to fix (marked above).`, 'error');
      this.focusFirstProblem();
      return;
    }
    this.setStatus('Saving…', 'info');
    this.cb.onSave(this.draft(), thenRun);
  }

  /** Problems the host found on save (it validates again): shown like the form's own. */
  showHostProblems(problems: ValidationProblem[], message?: string): void {
    this.refresh(problems);
    this.setStatus(message ?? 'Not saved.', 'error');
    this.focusFirstProblem();
  }

  private focusFirstProblem(): void {
    const first = document.querySelector<HTMLElement>('.helper:not(:empty)');
    const control = first?.parentElement?.querySelector<HTMLElement>('vscode-textfield, vscode-single-select, vscode-textarea');
    (control ?? first)?.focus();
  }

  setStatus(text: string, kind: 'info' | 'error' | 'ok'): void {
    setText(this.status, text);
    this.status.className = `status ${kind}`;
  }

  setHeading(name: string): void {
    setText(this.heading, name);
  }
}

function append(helper: HTMLElement, message: string): void {
  helper.textContent = helper.textContent ? `${helper.textContent} ${message}` : message;
}
