// First, so its first mark is taken before the rest of the bundle's modules run.
import { markActivated, markPhase } from './activationTimeline';
import * as vscode from 'vscode';
import { AccountStore } from './accounts';
import { createApi, type EverflowClicksApi } from './api';
import { registerChatTools } from './chat/chatToolRegistration';
import { registerCommands } from './commands/registry';
import * as config from './config';
import { EverflowClient } from './core/client';
import { EverflowError } from './core/errors';
import { RateLimiter } from './core/limiter';
import { watchRateLimit } from './host/progress';
import { LookupCache } from './core/lookupCache';
import { ConversionLookups } from './conversions/conversionLookups';
import { showWarning } from './notifications';
import type { Click } from './core/types';
import { HostGuard } from './hostGuard';
import { hostOf, TruncationMemory } from './results/truncationMemory';
import { ClickHoverProvider, ClickHovers } from './hovers/clickHoverProvider';
import { registerClickTerminalLinks } from './hovers/terminalLinkProvider';
import { Logger } from './logger';
import { ResultDocuments } from './results/resultDocuments';
import type { Services } from './services';
import { AccountStatusBar } from './statusBar';
import { TimezoneService } from './timezoneService';
import { seedDemoAccount } from './demoAccount';
import { SavedQueriesView, snapshotTree } from './views/savedQueriesView';
import { HistoryView } from './views/historyView';
import { HISTORY_RESULT_BYTES, MAX_HISTORY, QueryHistory } from './storage/queryHistory';
import { ResultStore } from './results/resultStore';
import { SavedQueries } from './storage/savedQueries';
import { LazyPanels } from './lazyPanels';

markPhase('modules evaluated');

// The composition root: builds the long-lived parts once and hands them to commands and views.
// Nothing here does I/O beyond reading secrets, so activation stays cheap, and what activation does
// not run is not loaded either: the grids, the query form, the commands' and chat tools' work are
// chunks of their own (`import()` below and in commands/registry.ts), loaded on first use.

export function activate(context: vscode.ExtensionContext): EverflowClicksApi {
  markPhase('waiting for VS Code (extension context; not in its figure)');
  const logger = new Logger();
  const accounts = new AccountStore(context.secrets);
  const hostGuard = new HostGuard(context.globalState);
  markPhase('logger, accounts, host guard');
  // One limiter for every request this window makes, so hovers, look-ups and streams share the
  // account's bucket (5 requests/s, refilled every 30 s, shared with every other tool on the account).
  const limiter = new RateLimiter({ perSecond: config.requestsPerSecond(), windowMs: config.rateLimitWindowMs() });
  const client = new EverflowClient({
    baseUrl: config.baseUrl,
    timeoutMs: config.requestTimeoutMs,
    limiter,
    log: (e) => logger.request(e),
    userAgent: `everflow-clicks-vscode/${context.extension.packageJSON.version ?? 'dev'}`,
    getApiKey: async () => {
      const key = await accounts.activeKey();
      logger.addSecret(key);
      if (key && !(await hostGuard.allows(config.baseUrl()))) {
        throw new EverflowError('invalidRequest', 'Nothing was sent: sending the API key to that host was not confirmed.');
      }
      return key;
    },
  });
  markPhase('client, limiter');
  const documents = new ResultDocuments();
  const timezones = new TimezoneService(client, config.baseUrl);
  // The history of runs, with their rows kept on disk.
  const historyDir = context.globalStorageUri?.fsPath;
  const history = new QueryHistory(
    context.globalState,
    new ResultStore(historyDir ? `${historyDir}/history` : undefined, { maxFiles: MAX_HISTORY, maxBytes: HISTORY_RESULT_BYTES }, (m) => logger.warn(m)),
  );
  markPhase('documents, timezones, history (ResultStore)');
  const truncation = new TruncationMemory(context.globalState, async () => {
    const account = await accounts.active();
    return account && `${account.id} ${hostOf(config.baseUrl())}`;
  });
  // The grids' reload serializer is registered here, during activation, as VS Code requires; the grids
  // themselves load with the first command, chat tool call or restored panel.
  const panels = new LazyPanels(() =>
    import('./panels.js').then((m) => () => m.createPanels(context, { client, timezones, logger, documents, history, truncation, extensionUri: context.extensionUri, savedQueries, accounts })),
  );
  const ready = () => panels.load();
  markPhase('truncation, lazy panels (grid serializer)');
  // One cache of clicks for hovers, terminal links and every look-up. Ids are per account and host,
  // so a switch of either empties it (below).
  const clickCache = new LookupCache<Click>({
    max: config.hoverCacheSize(),
    ttlMs: config.hoverCacheTtlMs(),
    negativeTtlMs: config.hoverNegativeCacheTtlMs(),
  });
  // Conversions of single clicks (hover line, Trace Click), per account and host like the clicks.
  const conversions = new ConversionLookups({
    // The report's parsing and checks load with the first conversion request, not at activation.
    fetcher: async (request, opts) => (await import('./core/conversions/fetch.js')).fetchConversions(client, request, opts),
    days: config.conversionsAttributionDays,
    notify: (message) => void showWarning(message, 'Show Log').then((choice) => choice && logger.show()),
    log: (message) => logger.warn(message),
  });
  markPhase('click cache, conversions');
  // Saved queries: the team's workspace file and the user's synced store.
  const savedQueries = new SavedQueries(context.globalState);
  markPhase('saved queries (stores, file reads started)');
  const services: Services = {
    accounts, client, logger, documents, timezones, hostGuard, clickCache, conversions, savedQueries, history,
    // Read only by commands and chat tools, which load the panels before they run.
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
  const hovers = new ClickHovers(new ClickHoverProvider(services), context, (m) => logger.info(m));
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
    savedQueriesView,
    historyView,
    config.onDidChange(['requestsPerSecond'], () => limiter.setRate(config.requestsPerSecond())),
    config.onDidChange(['rateLimitWindowSeconds'], () => limiter.setWindow(config.rateLimitWindowMs())),
    watchRateLimit(limiter, (m) => logger.info(m)),
    config.onDidChange(config.HOVER_CACHE_KEYS, () =>
      clickCache.resize(config.hoverCacheSize(), config.hoverCacheTtlMs(), config.hoverNegativeCacheTtlMs()),
    ),
    config.onDidChange(['baseUrl'], () => (clickCache.clear(), conversions.clear())),
    accounts.onDidChange(() => (clickCache.clear(), conversions.clear())),
    hovers,
    terminalLinks,
    ...commands,
    ...chatTools.disposables,
  );
  markPhase('settings listeners');
  void seedDemoAccount(accounts, logger);
  markPhase('demo account seeding started');
  const api = createApi(accounts, {
    tree: () => snapshotTree(savedQueriesView),
    history: () => history.entries().map((e) => ({ ...e, kept: history.hasResult(e.id) })),
    openEditors: () => panels.current?.queryEditors.openKeys() ?? [],
  }, {
    panels: () => panels.current?.grids.info() ?? [],
    restore: async (panel, state) => (await panels.load()).grids.restore(panel, state),
  }, chatTools.api, { notices: () => [...conversions.notices], requests: () => conversions.fetches });
  markActivated(context.extension.id);
  return api;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
