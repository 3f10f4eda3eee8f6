import type { Services } from '../services';
import { clearQueryHistory, openHistoryResult, rerunHistoryEntry } from './historyCommands';
import { CommandIds } from '../host/commandIds';
import { newSavedQuery } from './newQueryFlow';
import { exportSavedQueries, importSavedQueries } from './queryImportExport';
import { resolveQuery } from './queryTargets';
import { copySavedQueryCurl, copySavedQueryJson, openSavedQueriesFile, refreshSavedQueries, runSavedQuery } from './savedQueryCommands';
import { deleteSavedQuery, duplicateSavedQuery, moveSavedQuery, newQueryFolder, renameSavedQuery } from './savedQueryEdits';

// The saved-query and history commands, spread into the one registry (src/commands/registry.ts).

/** Edit: opens the query's form; returns `scope:id` of the open form. */
async function editSavedQuery(services: Services, arg?: unknown): Promise<string | false> {
  const target = await resolveQuery(services, arg, 'Edit Saved Query');
  if (!target) return false;
  services.queryEditors.open({ scope: target.scope, id: target.query.id });
  return `${target.scope}:${target.query.id}`;
}

export const savedQueryHandlers = {
  [CommandIds.runSavedQuery]: runSavedQuery,
  [CommandIds.newSavedQuery]: newSavedQuery,
  [CommandIds.newQueryFolder]: newQueryFolder,
  [CommandIds.editSavedQuery]: editSavedQuery,
  [CommandIds.renameSavedQuery]: renameSavedQuery,
  [CommandIds.duplicateSavedQuery]: duplicateSavedQuery,
  [CommandIds.deleteSavedQuery]: deleteSavedQuery,
  [CommandIds.moveSavedQuery]: moveSavedQuery,
  [CommandIds.copySavedQueryJson]: copySavedQueryJson,
  [CommandIds.copySavedQueryCurl]: copySavedQueryCurl,
  [CommandIds.exportSavedQueries]: exportSavedQueries,
  [CommandIds.importSavedQueries]: importSavedQueries,
  [CommandIds.openSavedQueriesFile]: openSavedQueriesFile,
  [CommandIds.refreshSavedQueries]: refreshSavedQueries,
  [CommandIds.rerunHistoryEntry]: rerunHistoryEntry,
  [CommandIds.openHistoryResult]: openHistoryResult,
  [CommandIds.clearQueryHistory]: clearQueryHistory,
} as const;
