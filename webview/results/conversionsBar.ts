import type { ValueFilter } from '../../src/core/gridTable';
import type { ConversionsInfo } from '../../src/protocol/results';
import { el } from '../dom';

// The grid's conversions (issue #15): the toolbar's "Add Conversions" button, and once they are added
// a bar with what the join gave, the quick filter "All / Converted / Not converted" (a value filter
// on the hidden Converted column, so it is a chip, is saved and combines like any other filter) and
// the conversions whose click is not in the result, offered as a grid of their own or as JSON.

export const CONVERTED_COLUMN = 'conversion.converted';

export type ConvertedFilter = 'all' | 'converted' | 'not';

export interface ConversionsActions {
  add(): void;
  setFilter(which: ConvertedFilter): void;
  openUnmatched(as: 'grid' | 'json'): void;
}

/** Which quick filter the value filters amount to. */
export function convertedFilterOf(values: readonly ValueFilter[]): ConvertedFilter {
  const f = values.find((v) => v.column === CONVERTED_COLUMN && v.text === 'Yes');
  return f ? (f.exclude ? 'not' : 'converted') : 'all';
}

/** The value filters with the quick filter set to `which` (other filters kept). */
export function withConvertedFilter(values: readonly ValueFilter[], which: ConvertedFilter): ValueFilter[] {
  const rest = values.filter((v) => v.column !== CONVERTED_COLUMN);
  return which === 'all' ? rest : [...rest, { column: CONVERTED_COLUMN, text: 'Yes', exclude: which === 'not' }];
}

const n = (v: number): string => v.toLocaleString('en-US');

export class ConversionsBar {
  readonly button: HTMLElement;
  readonly root: HTMLElement;
  private readonly text = el('span', { class: 'conv-text' });
  private readonly unmatched: HTMLElement;
  private readonly unmatchedJson: HTMLElement;
  private readonly filters: Record<ConvertedFilter, HTMLElement>;
  private running = false;
  private added = false;

  constructor(actions: ConversionsActions) {
    this.button = el('vscode-button', { secondary: true, class: 'add-conversions', title: 'Fetch the conversions of this result\'s window (plus the attribution window) and join them by transaction ID' }, 'Add Conversions');
    this.button.addEventListener('click', () => !this.running && actions.add());
    this.root = el('div', { class: 'conv-bar', role: 'group', 'aria-label': 'Conversions', hidden: true });
    const group = el('div', { class: 'conv-filter', role: 'radiogroup', 'aria-label': 'Show clicks' });
    const make = (which: ConvertedFilter, label: string): HTMLElement => {
      const b = el('button', { type: 'button', class: 'conv-choice', role: 'radio', 'aria-checked': 'false', 'data-filter': which }, label);
      b.addEventListener('click', () => actions.setFilter(which));
      group.append(b);
      return b;
    };
    this.filters = { all: make('all', 'All clicks'), converted: make('converted', 'Converted'), not: make('not', 'Not converted') };
    this.unmatched = el('button', { type: 'button', class: 'conv-unmatched', hidden: true, title: 'Open the conversions whose click is not in this result as a grid of their own' });
    this.unmatched.addEventListener('click', () => actions.openUnmatched('grid'));
    this.unmatchedJson = el('button', { type: 'button', class: 'conv-unmatched conv-unmatched-json', hidden: true, title: 'Open the conversions whose click is not in this result as a JSON document' }, 'Open as JSON');
    this.unmatchedJson.addEventListener('click', () => actions.openUnmatched('json'));
    this.root.append(group, this.text, this.unmatched, this.unmatchedJson);
  }

  /** Shows the state of a new table: whether it can add conversions, and what was added. */
  set(canAdd: boolean, info: ConversionsInfo | undefined): void {
    this.added = info !== undefined;
    this.button.hidden = !canAdd;
    this.setRunning(this.running);
    this.root.hidden = !info;
    if (!info) return;
    const parts = [
      `${n(info.rows)} conversion${info.rows === 1 ? '' : 's'} and events from ${info.from} to ${info.to} (clicks + ${info.attributionDays} day${info.attributionDays === 1 ? '' : 's'})`,
      `${n(info.convertedClicks)} converted click${info.convertedClicks === 1 ? '' : 's'}`,
    ];
    if (info.partial) parts.push(`partial: stopped after ${n(info.pages)} page${info.pages === 1 ? '' : 's'}`);
    this.text.textContent = parts.join(' · ');
    this.unmatched.hidden = this.unmatchedJson.hidden = info.unmatched === 0;
    this.unmatched.textContent = `${n(info.unmatched)} without their click in this result…`;
  }

  setRunning(running: boolean): void {
    this.running = running;
    this.button.toggleAttribute('disabled', running);
    this.button.textContent = running ? 'Adding Conversions…' : this.added ? 'Refresh Conversions' : 'Add Conversions';
  }

  setFilter(which: ConvertedFilter): void {
    for (const [k, b] of Object.entries(this.filters)) {
      b.setAttribute('aria-checked', String(k === which));
      b.classList.toggle('selected', k === which);
    }
  }
}
