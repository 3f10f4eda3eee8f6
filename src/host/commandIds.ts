// Command ids, written once here and once in package.json. test/unit/manifest.test.ts compares the two
// (commands, menus, keybindings, links) in both directions and finds ids spelled out elsewhere in src/;
// the integration suite checks that each is registered.
export const CommandIds = {
  setApiKey: 'everflow.setApiKey',
  switchAccount: 'everflow.switchAccount',
  removeAccount: 'everflow.removeAccount',
  lookUpClick: 'everflow.lookUpClick',
  lookUpAllInFile: 'everflow.lookUpAllInFile',
  lookUpAllInSelection: 'everflow.lookUpAllInSelection',
  // Behind the hover card's links; hidden from the palette, where there is no id to act on.
  openClickAsJson: 'everflow.openClickAsJson',
  openClickInGrid: 'everflow.openClickInGrid',
  copyTransactionId: 'everflow.copyTransactionId',
  copyClickJson: 'everflow.copyClickJson',
  // Conversions (src/conversions/).
  traceClick: 'everflow.traceClick',
  openTraceAsJson: 'everflow.openTraceAsJson',
  runClickStream: 'everflow.runClickStream',
  showLog: 'everflow.showLog',
  // Saved queries and run history.
  runSavedQuery: 'everflow.runSavedQuery',
  newSavedQuery: 'everflow.newSavedQuery',
  newQueryFolder: 'everflow.newQueryFolder',
  editSavedQuery: 'everflow.editSavedQuery',
  renameSavedQuery: 'everflow.renameSavedQuery',
  duplicateSavedQuery: 'everflow.duplicateSavedQuery',
  deleteSavedQuery: 'everflow.deleteSavedQuery',
  moveSavedQuery: 'everflow.moveSavedQuery',
  copySavedQueryJson: 'everflow.copySavedQueryJson',
  copySavedQueryCurl: 'everflow.copySavedQueryCurl',
  exportSavedQueries: 'everflow.exportSavedQueries',
  importSavedQueries: 'everflow.importSavedQueries',
  openSavedQueriesFile: 'everflow.openSavedQueriesFile',
  refreshSavedQueries: 'everflow.refreshSavedQueries',
  rerunHistoryEntry: 'everflow.rerunHistoryEntry',
  openHistoryResult: 'everflow.openHistoryResult',
  clearQueryHistory: 'everflow.clearQueryHistory',
  // The results grid; they act on the grid in front.
  resultsFetchAll: 'everflow.results.fetchAll',
  resultsExportCsv: 'everflow.results.exportCsv',
  resultsExportJson: 'everflow.results.exportJson',
  resultsOpenAsJson: 'everflow.results.openAsJson',
  addConversions: 'everflow.addConversions',
  openUnmatchedConversions: 'everflow.openUnmatchedConversions',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];
