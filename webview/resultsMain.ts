// The results grid's webview: the one `hostApi()` (acquireVsCodeApi) of this bundle. It posts `ready` first
// and builds the grid from the host's `init`; every later `ready` (the panel was hidden and shown
// again, or the window reloaded) gets the rows again from the host, while the layout and filters
// come back from this webview's own state.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
// SlickGrid's structural styles; esbuild writes them to dist/webview/results.css beside this bundle.
import 'slickgrid/dist/styles/css/slick.grid.css';
// uPlot's styles for the summary's histogram (legend, cursor, selection), bundled the same way.
import 'uplot/dist/uPlot.min.css';
import { Sortable } from 'sortablejs';
import type { HostToResults, ResultsPanelState, ResultsToHost } from '../src/protocol/results';
import { formatMoney } from '../src/core/format';
import { isValidZone } from '../src/core/wallClock';
import { hostApi } from './hostApi';
import { ResultsApp } from './results/app';

// SlickGrid's column reordering looks for SortableJS on the global object.
(globalThis as unknown as { Sortable: typeof Sortable }).Sortable = Sortable;

const host = hostApi<ResultsToHost, ResultsPanelState>();
// The page's CSP nonce, which SlickGrid stamps on the one <style> element it injects.
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';

const app = new ResultsApp(
  document.getElementById('app')!,
  host,
  nonce,
);

window.addEventListener('message', (event: MessageEvent<HostToResults>) => app.receive(event.data));
host.post({ type: 'ready' });
// While the host reads and sends the rows: the page's first date and number formatters. The first Intl
// formatter of a page loads ICU's data (several ms, then a fraction of a millisecond for each other
// zone or currency); made here, that is not part of the first result's paint.
isValidZone('UTC');
formatMoney(0, 'USD');
// And the grid itself, with the columns the result will most likely show (ResultsApp.prestart).
app.prestart();
