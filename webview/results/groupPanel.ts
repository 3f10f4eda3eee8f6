import { columnById } from '../../src/core/columns';
import { ratesText, type ConversionRates } from '../../src/core/conversions/rates';
import type { GroupCount } from '../../src/core/gridStats';
import { el } from '../dom';

// "Group by": clicks per value of one column (by country, offer, sub1 …) over the rows the grid
// shows, most frequent first, each with its share. A value's row filters the grid to it. Columns with
// thousands of distinct values list the first 500; the heading says how many there are.

const MAX_LISTED = 500;

export interface GroupActions {
  filter(column: string, text: string, exclude: boolean): void;
  close(): void;
}

export class GroupPanel {
  readonly root: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly actions: GroupActions) {
    this.root = el('aside', { class: 'groups', 'aria-label': 'Group counts', hidden: true });
    const bar = el('div', { class: 'panel-title' });
    this.heading = el('span', { class: 'panel-heading' });
    const close = el('button', { class: 'icon-button', type: 'button', 'aria-label': 'Stop grouping', title: 'Stop grouping' }, '×');
    close.addEventListener('click', () => actions.close());
    bar.append(this.heading, close);
    this.body = el('div', { class: 'group-list', role: 'list' });
    this.root.append(bar, this.body);
  }

  hide(): void {
    this.root.hidden = true;
  }

  /** `rates`: CVR and EPC per value, when conversions were added to the result. */
  show(column: string, groups: GroupCount[], total: number, rates?: Map<string, ConversionRates>): void {
    const header = columnById(column)?.header ?? column;
    this.root.hidden = false;
    this.heading.textContent = `${header}: ${groups.length.toLocaleString('en-US')} value${groups.length === 1 ? '' : 's'}`;
    const items = groups.slice(0, MAX_LISTED).map((g) => {
      const share = total > 0 ? g.count / total : 0;
      const item = el('div', {
        class: 'group-item',
        role: 'listitem',
        tabindex: 0,
        title: `${g.text === '' ? '(empty)' : g.text}: ${g.count.toLocaleString('en-US')} click(s). Enter or click filters the grid to it; Delete excludes it.`,
      });
      const bar = el('div', { class: 'group-bar' });
      bar.style.width = `${Math.max(1, Math.round(share * 100))}%`;
      item.append(
        bar,
        el('span', { class: g.text === '' ? 'group-value empty' : 'group-value' }, g.text === '' ? '(empty)' : g.text),
        el('span', { class: 'group-count' }, g.count.toLocaleString('en-US')),
        el('span', { class: 'group-share' }, `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`),
      );
      const r = rates?.get(g.text);
      if (r) item.append(el('span', { class: 'group-rates' }, `${r.converted.toLocaleString('en-US')} converted · ${ratesText(r)}`));
      item.addEventListener('click', () => this.actions.filter(column, g.text, false));
      item.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') this.actions.filter(column, g.text, false);
        else if (e.key === 'Delete') this.actions.filter(column, g.text, true);
        else if (e.key === 'ArrowDown') (item.nextElementSibling as HTMLElement | null)?.focus();
        else if (e.key === 'ArrowUp') (item.previousElementSibling as HTMLElement | null)?.focus();
        else return;
        e.preventDefault();
      });
      return item;
    });
    if (groups.length > MAX_LISTED) {
      items.push(el('div', { class: 'group-more' }, `… and ${(groups.length - MAX_LISTED).toLocaleString('en-US')} more values`));
    }
    if (groups.length === 0) items.push(el('div', { class: 'group-more' }, 'No rows to count.'));
    this.body.replaceChildren(...items);
  }
}
