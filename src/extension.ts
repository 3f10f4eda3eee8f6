// First, so its first mark is taken before the rest of the bundle's modules run.
import { markActivated, markPhase } from './activationTimeline';
import * as vscode from 'vscode';
import { AccountStore } from './accounts';
import { createApi, type EverflowClicksApi } from './api';
import { registerChatTools } from './chat/chatToolRegistration';
import { registerCommands } from './commands/registry';
import * as config from './config';
import { HostGuard } from './hostGuard';
import { hostOf, TruncationMemory } from './results/truncationMemory';
import { ClickHovers } from './hovers/clickHovers';
import { registerClickTerminalLinks } from './hovers/terminalLinkRegistration';
import { Logger } from './logger';
import { ResultDocuments } from './results/resultDocuments';
import type { Services } from './services';
import { AccountStatusBar } from './statusBar';
import { seedDemoAccount } from './demoAccount';
import { SavedQueriesView, snapshotTree } from './views/savedQueriesView';
import { HistoryView } from './views/historyView';
import { HISTORY_RESULT_BYTES, MAX_HISTORY, QueryHistory } from './storage/queryHistory';
import { readerThreadOf, ResultStore } from './results/resultStore';
import { SavedQueries } from './storage/savedQueries';
import { LazyPanels } from './lazyPanels';
import { LazyPart } from './lazyPart';

markPhase('modules evaluated');

// The composition root: builds the long-lived parts once and hands them to commands and views.
// Activation registers what must be there before the user can act (commands, views, the hover, the
// chat tools, the grids' serializer) and reads nothing: the client and its caches, the hover's work
// (lookups.ts), the grids and the query form (panels.ts), the commands' and chat tools' work are
// chunks of their own (`import()` below and in commands/registry.ts), and the saved-queries files
// are read when the view is first shown or a command needs them.

export function activate(context: vscode.ExtensionContext): EverflowClicksApi {
  markPhase('waiting for VS Code (extension context; not in its figure)');
  const logger = new Logger();
  const accounts = new AccountStore(context.secrets);
  const hostGuard = new HostGuard(context.globalState);
  markPhase('logger, accounts, host guard');
  const lookups = new LazyPart('the Everflow client', () =>
    import('./lookups.js').then((m) =>
      m.createLookups({ accounts, hostGuard, logger, version: context.extension.packageJSON.version ?? 'dev', services: () => services }),
    ),
  );
  const documents = new ResultDocuments();
  // The history of runs, with their rows kept on disk.
  const historyDir = context.globalStorageUri?.fsPath;
  const history = new QueryHistory(
    context.globalState,
    new ResultStore(historyDir ? `${historyDir}/history` : undefined, { maxFiles: MAX_HISTORY, maxBytes: HISTORY_RESULT_BYTES }, (m) => logger.warn(m), readerThreadOf(context)),
  );
  markPhase('documents, history (ResultStore)');
  const truncation = new TruncationMemory(context.globalState, async () => {
    const account = await accounts.active();
    return account && `${account.id} ${hostOf(config.baseUrl())}`;
  });
  // The grids' reload serializer is registered here, during activation, as VS Code requires; the grids
  // themselves load with the first command, chat tool call or restored panel.
  const panels = new LazyPanels(() =>
    Promise.all([import('./panels.js'), lookups.load()]).then(([m, l]) => () =>
      m.createPanels(context, { client: l.client, timezones: l.timezones, logger, documents, history, truncation, extensionUri: context.extensionUri, savedQueries, accounts }),
    ),
  );
  flushResults = () => panels.current?.grids.flush();
  // What commands and chat tools wait for before they run: the client, the panels, the saved queries read.
  const ready = () => Promise.all([lookups.load(), panels.load(), savedQueries.load()]);
  markPhase('truncation, lazy panels (grid serializer)');
  // Saved queries: the team's workspace file and the user's synced store.
  const savedQueries = new SavedQueries(context.globalState);
  markPhase('saved queries (stores; read on first use)');
  const services: Services = {
    accounts, logger, documents, hostGuard, savedQueries, history,
    // Read only by the hover, commands and chat tools, which load what they read before they run.
    get client() { return lookups.get().client; },
    get clickCache() { return lookups.get().clickCache; },
    get conversions() { return lookups.get().conversions; },
    get timezones() { return lookups.get().timezones; },
    get results() { return panels.get().results; },
    get queryEditors() { return panels.get().queryEditors; },
    get grids() { return panels.get().grids; },
  };
  const toolNames = ((context.extension.packageJSON.contributes?.languageModelTools ?? []) as { name: string }[]).map((t) => t.name);
  const chatTools = registerChatTools(toolNames, async () => {
    const [m] = await Promise.all([import('./chat/chatTools.js'), ready()]);
    return m.createChatTools(services);
  });
  markPhase('chat tools registered');
  const savedQueriesView = new SavedQueriesView(savedQueries, async (items, target) => {
    const [m] = await Promise.all([import('./commands/savedQueryEdits.js'), ready()]);
    await m.moveByDrop(services, items, target);
  });
  markPhase('saved queries view (tree view created)');
  const statusBar = new AccountStatusBar(accounts);
  const historyView = new HistoryView(history);
  markPhase('status bar, history view');
  // The hover is registered now, so it is there for the first log; what it does loads with the first hover.
  const hovers = new ClickHovers({ provideHover: async (document, position, token) => (await lookups.load()).hover.provideHover(document, position, token) });
  const terminalLinks = registerClickTerminalLinks();
  markPhase('hovers, terminal links');
  const commands = registerCommands(services, ready);
  markPhase('commands registered');
  context.subscriptions.push(
    logger,
    accounts,
    documents,
    statusBar,
    savedQueries,
    history,
    panels,
    lookups,
    savedQueriesView,
    historyView,
    hovers,
    terminalLinks,
    ...commands,
    ...chatTools.disposables,
  );
  void seedDemoAccount(accounts, logger);
  markPhase('demo account seeding started');
  const api = createApi(accounts, {
    // The tree as loaded now; the first call starts the read, as showing the view would.
    tree: () => (void savedQueries.load(), snapshotTree(savedQueriesView)),
    history: () => history.entries().map((e) => ({ ...e, kept: history.hasResult(e.id) })),
    openEditors: () => panels.current?.queryEditors.openKeys() ?? [],
  }, {
    panels: () => panels.current?.grids.info() ?? [],
    restore: async (panel, state) => (await panels.load()).grids.restore(panel, state),
  }, chatTools.api, { notices: () => [...(lookups.current?.conversions.notices ?? [])], requests: () => lookups.current?.conversions.fetches ?? 0 });
  markActivated(context.extension.id);
  return api;
}

/** Results still being written, when the grids were loaded (set by `activate`). */
let flushResults: (() => Promise<void> | undefined) | undefined;

/** How long a closing or reloading window waits for results still being written (VS Code bounds it too). */
const FLUSH_MS = 4000;

export function deactivate(): Promise<void> | undefined {
  // Everything is disposed through context.subscriptions; first, results still being kept for a
  // reload are written (a reload right after Fetch all would otherwise restore the rows from before it).
  const writing = flushResults?.();
  if (!writing) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, FLUSH_MS)));
  return Promise.race([writing, late]).finally(() => clearTimeout(timer));
}
