import { digest, gridFilters, modelOf, topValues } from '../core/clickDigest';
import { defineTool, guarded, quote, toolResult, ToolError } from './toolKit';

// everflow_summarizeGrid: what the active results grid shows now (its search, column filters and time
// range applied, as the grid itself reports them), as the compact summary or a breakdown by one column.
// Reads rows the extension already holds: no request, so no confirmation.

export interface GridSummaryInput {
  column?: string;
  top?: number;
}

export const summarizeGridTool = defineTool<GridSummaryInput>({
  name: 'everflow_summarizeGrid',
  create: (services) => ({
    invoke: (options, token) =>
      guarded(services, token, async () => {
        const { column, top } = options.input ?? {};
        if (top !== undefined && (!Number.isInteger(top) || top < 1 || top > 50)) throw new ToolError('top must be a whole number from 1 to 50.');
        const panel = services.grids.active();
        if (!panel) throw new ToolError('No Everflow results grid is open. Run a click stream or a saved query first (everflow_runClickStream, everflow_runSavedQuery).');
        const result = panel.result;
        if (!result) throw new ToolError('The active results grid no longer holds its rows (it was restored without them); ask the user to press Run again in it.');
        const shown = await panel.whatIsShown('json');
        if (token.isCancellationRequested) throw new ToolError('Cancelled.');
        if (!shown) throw new ToolError('The results grid did not answer (it may be hidden and still loading); ask the user to show it, then try again.');
        const zone = panel.zone();
        const model = modelOf(result.rows, zone);
        const rows = shown.rows === 'all' ? 'all' : shown.rows;
        const shownCount = rows === 'all' ? result.rows.length : rows.length;
        const view = gridFilters(shown.view, zone);
        const r = result.request;
        const words = [
          `The active Everflow results grid ${quote(result.title)} shows ${shownCount.toLocaleString('en-US')} of its ${result.rows.length.toLocaleString('en-US')} clicks${Object.keys(view).length ? ' (the user\'s grid filters are applied; they are listed in the data)' : ' (no grid filters)'}.`,
          r.kind === 'stream' && r.from ? `It came from a click stream from ${r.from} to ${r.to} (${r.timezone ?? zone}).` : '',
          r.partial ? 'PARTIAL: its Fetch all was stopped before every click arrived.' : r.truncated ? "TRUNCATED: it reached Everflow's row cap, so more clicks match than it holds; Fetch all in the grid gets the rest." : '',
        ].filter(Boolean);
        if (column !== undefined) {
          const dims = model.dimensions();
          const want = String(column).trim().toLowerCase();
          const dim = dims.find((d) => d.id.toLowerCase() === want) ?? dims.find((d) => d.title.toLowerCase() === want);
          if (!dim) {
            throw new ToolError(`The grid has no column ${quote(String(column))}. Columns to break down by: ${dims.slice(0, 40).map((d) => `${d.id} (${d.title})`).join(', ')}${dims.length > 40 ? ', …' : ''}.`);
          }
          const breakdown = topValues(model, rows, dim.id, top ?? 10);
          words.push(`Breakdown by ${dim.title} (${dim.id}): the top ${top ?? 10} values by clicks, and the clicks of all other values together.`);
          return toolResult(services, words.join('\n'), { what: 'The breakdown and the grid filters', value: { gridFilters: view, breakdown } });
        }
        words.push('The summary lists top values (at most 5 per dimension); ask for a breakdown by a column for more.');
        return toolResult(services, words.join('\n'), { what: 'The summary and the grid filters', value: { gridFilters: view, summary: digest(model, rows, { topN: top }) } });
      }),
  }),
});
