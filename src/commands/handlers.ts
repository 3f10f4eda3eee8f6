import type { Services } from '../services';
import { CommandIds, type CommandId } from '../host/commandIds';
import { lookUpClick } from './lookUpClick';
import { lookUpAllInFile, lookUpAllInSelection } from './bulkLookUp';
import { copyClickJson, copyTransactionId, openClickAsJson, openClickInGrid } from './clickCommands';
import { removeAccount, setApiKey, switchAccount } from './accountCommands';
import { runClickStream } from './runClickStream';
import { clearQueryHistory, openHistoryResult, rerunHistoryEntry } from './historyCommands';
import { newSavedQuery } from './newQueryFlow';
import { exportSavedQueries, importSavedQueries } from './queryImportExport';
import { copySavedQueryCurl, copySavedQueryJson, editSavedQuery, openSavedQueriesFile, refreshSavedQueries, runSavedQuery } from './savedQueryCommands';
import { deleteSavedQuery, duplicateSavedQuery, moveSavedQuery, newQueryFolder, renameSavedQuery } from './savedQueryEdits';
import { openTraceAsJson, traceClick } from '../conversions/traceClick';
import { addConversionsToResults, exportResultsCsv, exportResultsJson, fetchAllResults, openResultsAsJson, openUnmatchedConversions } from './resultCommands';

// Every command, by id. Loaded on the first command (a chunk of its own, see registry.ts), so
// activation compiles none of what the commands do.
// Arguments arrive untyped from executeCommand, keybindings and menus; each handler checks its own.
export type Handler = (services: Services, ...args: never[]) => unknown;

export const COMMAND_HANDLERS: Record<CommandId, Handler> = {
  [CommandIds.setApiKey]: setApiKey,
  [CommandIds.switchAccount]: switchAccount,
  [CommandIds.removeAccount]: removeAccount,
  [CommandIds.lookUpClick]: lookUpClick,
  [CommandIds.lookUpAllInFile]: lookUpAllInFile,
  [CommandIds.lookUpAllInSelection]: lookUpAllInSelection,
  [CommandIds.openClickAsJson]: openClickAsJson,
  [CommandIds.openClickInGrid]: openClickInGrid,
  [CommandIds.copyTransactionId]: copyTransactionId,
  [CommandIds.copyClickJson]: copyClickJson,
  [CommandIds.traceClick]: traceClick,
  [CommandIds.openTraceAsJson]: openTraceAsJson,
  [CommandIds.runClickStream]: runClickStream,
  [CommandIds.showLog]: (s) => s.logger.show(),
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
  [CommandIds.resultsFetchAll]: fetchAllResults,
  [CommandIds.resultsExportCsv]: exportResultsCsv,
  [CommandIds.resultsExportJson]: exportResultsJson,
  [CommandIds.resultsOpenAsJson]: openResultsAsJson,
  [CommandIds.addConversions]: addConversionsToResults,
  [CommandIds.openUnmatchedConversions]: openUnmatchedConversions,
};

