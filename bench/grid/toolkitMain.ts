// The baseline webview of the grid benchmark: `@vscode/webview-ui-toolkit`'s vscode-data-grid, the
// design card's first choice (since archived; bench/package.json is the only place it is installed),
// fed the same rows through the same stand-in host and handshake as the real grid.

import { provideVSCodeDesignSystem, vsCodeDataGrid, vsCodeDataGridCell, vsCodeDataGridRow } from '@vscode/webview-ui-toolkit';

interface RowsMessage {
  type: 'rows';
  columns: string[];
  rows: Record<string, string>[];
}

declare function acquireVsCodeApi(): { postMessage(m: unknown): void };

provideVSCodeDesignSystem().register(vsCodeDataGrid(), vsCodeDataGridRow(), vsCodeDataGridCell());

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
// A webview panel's body scrolls; the benchmark needs one known element to scroll instead.
app.style.height = '100vh';
app.style.overflow = 'auto';
const grid = document.createElement('vscode-data-grid') as HTMLElement & {
  columnDefinitions: { columnDataKey: string; title: string }[];
  rowsData: Record<string, string>[];
};
grid.setAttribute('aria-label', 'Results');
grid.setAttribute('generate-header', 'sticky');
app.append(grid);

window.addEventListener('message', (event: MessageEvent<RowsMessage>) => {
  if (event.data?.type !== 'rows') return;
  grid.columnDefinitions = event.data.columns.map((c) => ({ columnDataKey: c, title: c }));
  grid.rowsData = event.data.rows;
});
vscode.postMessage({ type: 'ready' });
