import * as vscode from 'vscode';
import { AccountStore } from './accounts';
import { createApi, type EverflowClicksApi } from './api';
import { registerCommands } from './commands/registry';
import * as config from './config';
import { EverflowClient } from './core/client';
import { EverflowError } from './core/errors';
import { RateLimiter } from './core/limiter';
import { HostGuard } from './hostGuard';
import { Logger } from './logger';
import { ResultPresenter } from './results/presenter';
import { ResultDocuments } from './results/resultDocuments';
import type { Services } from './services';
import { AccountStatusBar } from './statusBar';
import { TimezoneService } from './timezoneService';
import { seedDemoAccount } from './demoAccount';
import { SavedQueriesView } from './views/savedQueriesView';

// The composition root: builds the long-lived parts once and hands them to commands and views.
// Nothing here does I/O beyond reading secrets, so activation stays cheap.

export function activate(context: vscode.ExtensionContext): EverflowClicksApi {
  const logger = new Logger();
  const accounts = new AccountStore(context.secrets);
  const hostGuard = new HostGuard(context.globalState);
  // One limiter for every request this window makes, so hovers, look-ups and streams share the
  // account's 5 requests/s.
  const limiter = new RateLimiter({ perSecond: config.requestsPerSecond() });
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
  const documents = new ResultDocuments();
  const results = new ResultPresenter(documents);
  const timezones = new TimezoneService(client, config.baseUrl);
  const services: Services = { accounts, client, logger, documents, results, timezones, hostGuard };

  context.subscriptions.push(
    logger,
    accounts,
    documents,
    new AccountStatusBar(accounts),
    new SavedQueriesView(),
    config.onDidChange(['requestsPerSecond'], () => limiter.setRate(config.requestsPerSecond())),
    ...registerCommands(services),
  );
  void seedDemoAccount(accounts, logger);
  return createApi(accounts);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
