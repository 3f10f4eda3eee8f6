import { el } from '../dom';

// The row detail side panel: the selected row's whole click as formatted JSON, shown as text (a
// <pre> filled with textContent), with "Open as JSON document" and "Look up again by ID". The JSON
// comes from the host, which holds the clicks as the API returned them; requests carry an id and
// only the answer to the latest one is shown, so fast arrowing through rows never shows a stale row.

export interface DetailActions {
  requestJson(row: number, requestId: number): void;
  openJson(row: number): void;
  lookUp(transactionId: string): void;
  close(): void;
}

export class DetailPanel {
  readonly root: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly pre: HTMLElement;
  private readonly error: HTMLElement;
  private readonly openButton: HTMLElement;
  private readonly lookUpButton: HTMLElement;
  private row: number | undefined;
  private transactionId = '';
  private requestId = 0;

  constructor(private readonly actions: DetailActions) {
    this.root = el('aside', { class: 'detail', 'aria-label': 'Row details', hidden: true });
    const bar = el('div', { class: 'panel-title' });
    this.heading = el('span', { class: 'panel-heading' }, 'Row details');
    const close = el('button', { class: 'icon-button', type: 'button', 'aria-label': 'Close row details', title: 'Close (Escape)' }, '×');
    close.addEventListener('click', () => actions.close());
    bar.append(this.heading, close);
    const buttons = el('div', { class: 'panel-buttons' });
    this.openButton = el('vscode-button', { secondary: true, title: 'This click as a read-only JSON document, with the request beside it' }, 'Open as JSON document');
    this.lookUpButton = el('vscode-button', { secondary: true, title: 'Ask Everflow for this click again by its transaction ID' }, 'Look up again by ID');
    this.openButton.addEventListener('click', () => this.row !== undefined && actions.openJson(this.row));
    this.lookUpButton.addEventListener('click', () => this.transactionId && actions.lookUp(this.transactionId));
    buttons.append(this.openButton, this.lookUpButton);
    this.pre = el('pre', { class: 'detail-json', tabindex: 0, 'aria-label': 'The row as JSON' });
    // The error code's meaning (the JSON below has only the code, and Everflow's message is often "N/A").
    this.error = el('p', { class: 'detail-error', hidden: true });
    this.root.append(bar, buttons, this.error, this.pre);
    this.root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') actions.close();
    });
  }

  get visible(): boolean {
    return !this.root.hidden;
  }

  setVisible(visible: boolean): void {
    this.root.hidden = !visible;
  }

  /** Shows row `row` (a result row index), asking the host for its JSON; `error` is its error in words, or "". */
  show(row: number | undefined, transactionId: string, error = ''): void {
    if (row === this.row) return;
    this.row = row;
    this.error.textContent = error ? `Error ${error}` : '';
    this.error.hidden = !error;
    this.transactionId = transactionId;
    this.heading.textContent = row === undefined ? 'Row details' : `Row details · ${transactionId || `row ${row + 1}`}`;
    this.lookUpButton.toggleAttribute('disabled', !/^[0-9a-f]{32}$/i.test(transactionId));
    this.openButton.toggleAttribute('disabled', row === undefined);
    if (row === undefined) {
      this.pre.textContent = 'Select a row to see all of its fields.';
      return;
    }
    this.pre.textContent = 'Loading…';
    this.actions.requestJson(row, ++this.requestId);
  }

  /** The host's answer; ignored unless it answers the latest request. */
  receive(requestId: number, row: number, json: string): void {
    if (requestId !== this.requestId || row !== this.row) return;
    this.pre.textContent = json;
  }
}
