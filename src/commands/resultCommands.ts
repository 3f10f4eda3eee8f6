import { showInfo } from '../notifications';
import type { ConversionsInfo, ExportFormat } from '../protocol/results';
import type { Services } from '../services';
import { openRowsAsJson, type ExportOutcome } from '../webviews/resultsActions';
import type { ResultGridPanel } from '../webviews/resultGridPanel';

// The results grid's commands. Each acts on the grid in front (or the one named by `{ resultId }`,
// as tests and menus may pass); from the palette they show only while a grid is the active editor.

function gridFor(services: Services, arg: unknown): ResultGridPanel | undefined {
  const id = typeof arg === 'object' && arg !== null ? (arg as { resultId?: unknown }).resultId : undefined;
  const panel = id !== undefined ? services.grids.find(id) : services.grids.active();
  if (!panel) void showInfo('Open a results grid first: run a click stream or a saved query.');
  return panel;
}

/** Fetch All: every click of the grid's window past the 5,000 cap. Returns the rows the grid then holds. */
export async function fetchAllResults(services: Services, arg?: unknown): Promise<number | undefined> {
  const panel = gridFor(services, arg);
  if (!panel) return undefined;
  if (!panel.result?.request.truncated) {
    void showInfo('This result already holds every matching click.');
    return panel.result?.rows.length;
  }
  return services.grids.fetchAll(panel);
}

/** Add Conversions: the conversion report of the grid's window joined into new columns. Returns what the join gave. */
export async function addConversionsToResults(services: Services, arg?: unknown): Promise<ConversionsInfo | undefined> {
  const panel = gridFor(services, arg);
  return panel ? services.grids.addConversions(panel) : undefined;
}

/**
 * The conversions of the grid's report whose click is not in it, as a grid of their own (`{ as: 'json' }`:
 * a JSON document). Returns the new grid's id.
 */
export async function openUnmatchedConversions(services: Services, arg?: unknown): Promise<string | undefined> {
  const panel = gridFor(services, arg);
  const as = typeof arg === 'object' && arg !== null && (arg as { as?: unknown }).as === 'json' ? 'json' : 'grid';
  return panel ? services.grids.openUnmatchedConversions(panel, as) : undefined;
}

function exportWith(format: ExportFormat) {
  return async (services: Services, arg?: unknown): Promise<ExportOutcome | undefined> => {
    const panel = gridFor(services, arg);
    return panel ? services.grids.exportShown(panel, format) : undefined;
  };
}

export const exportResultsCsv = exportWith('csv');
export const exportResultsJson = exportWith('json');

/** The grid's whole result as a JSON document (or, past 50 MB, the offer of a JSON export). */
export async function openResultsAsJson(services: Services, arg?: unknown): Promise<boolean> {
  const panel = gridFor(services, arg);
  if (!panel?.result) return false;
  return openRowsAsJson(services.documents, panel.result, 'all', () => services.grids.exportShown(panel, 'json'));
}
