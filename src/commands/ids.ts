// Command ids, written once here and once in package.json; a test checks the two lists match what
// is registered.
export const CommandIds = {
  setApiKey: 'everflow.setApiKey',
  switchAccount: 'everflow.switchAccount',
  removeAccount: 'everflow.removeAccount',
  lookUpClick: 'everflow.lookUpClick',
  runClickStream: 'everflow.runClickStream',
  showLog: 'everflow.showLog',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];
