import * as vscode from 'vscode';
import type { Services } from '../services';
import { reportError } from '../host/errorReporting';
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

// Every command, by id, two hops from activate() (extension.ts → registerCommands).
// Arguments arrive untyped from executeCommand, keybindings and menus; each handler checks its own.
type Handler = (services: Services, ...args: never[]) => unknown;

const handlers: Record<CommandId, Handler> = {
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

/** Registers every command with one error boundary; returns the disposables. */
export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(handlers).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (handler as (s: Services, ...a: unknown[]) => unknown)(services, ...args);
      } catch (err) {
        reportError(err, services.logger);
        return undefined;
      }
    }),
  );
}
