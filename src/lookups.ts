import type * as vscode from 'vscode';
import type { AccountStore } from './accounts';
import * as config from './config';
import { EverflowClient } from './core/client';
import { EverflowError } from './core/errors';
import { RateLimiter } from './core/limiter';
import { LookupCache } from './core/lookupCache';
import type { Click } from './core/types';
import { ConversionLookups } from './conversions/conversionLookups';
import { watchRateLimit } from './host/progress';
import type { HostGuard } from './hostGuard';
import { ClickHoverProvider } from './hovers/clickHoverProvider';
import type { Logger } from './logger';
import { showWarning } from './notifications';
import type { Services } from './services';
import { TimezoneService } from './timezoneService';

// What talks to Everflow: the client and its limiter, the click and conversion caches, the time zones
// and the hover that uses them. A chunk of its own (extension.ts imports it with `import()`), built
// with the first hover, command, chat tool call or restored grid, so activation neither loads nor
// runs any of it.

export interface LookupsDeps {
  accounts: AccountStore;
  hostGuard: HostGuard;
  logger: Logger;
  /** The extension's version, for the User-Agent header. */
  version: string;
  /** Every service, for the hover (its getters reach these lookups once built). */
  services: () => Services;
}

export interface Lookups extends vscode.Disposable {
  readonly limiter: RateLimiter;
  readonly client: EverflowClient;
  readonly clickCache: LookupCache<Click>;
  readonly conversions: ConversionLookups;
  readonly timezones: TimezoneService;
  readonly hover: ClickHoverProvider;
}

export function createLookups({ accounts, hostGuard, logger, version, services }: LookupsDeps): Lookups {
  // One limiter for every request this window makes, so hovers, look-ups and streams share the
  // account's bucket (5 requests/s, refilled every 30 s, shared with every other tool on the account).
  const limiter = new RateLimiter({ perSecond: config.requestsPerSecond(), windowMs: config.rateLimitWindowMs() });
  const client = new EverflowClient({
    baseUrl: config.baseUrl,
    timeoutMs: config.requestTimeoutMs,
    limiter,
    log: (e) => logger.request(e),
    userAgent: `everflow-clicks-vscode/${version}`,
    getApiKey: async () => {
      const key = await accounts.activeKey();
      logger.addSecret(key);
      if (key && !(await hostGuard.allows(config.baseUrl()))) {
        throw new EverflowError('invalidRequest', 'Nothing was sent: sending the API key to that host was not confirmed.');
      }
      return key;
    },
  });
  // One cache of clicks for hovers, terminal links and every look-up. Ids are per account and host,
  // so a switch of either empties it (below).
  const clickCache = new LookupCache<Click>({
    max: config.hoverCacheSize(),
    ttlMs: config.hoverCacheTtlMs(),
    negativeTtlMs: config.hoverNegativeCacheTtlMs(),
  });
  // Conversions of single clicks (hover line, Trace Click), per account and host like the clicks.
  const conversions = new ConversionLookups({
    // The report's parsing and checks load with the first conversion request.
    fetcher: async (request, opts) => (await import('./core/conversions/fetch.js')).fetchConversions(client, request, opts),
    days: config.conversionsAttributionDays,
    notify: (message) => void showWarning(message, 'Show Log').then((choice) => choice && logger.show()),
    log: (message) => logger.warn(message),
  });
  const timezones = new TimezoneService(client, config.baseUrl);
  const disposables: vscode.Disposable[] = [
    config.onDidChange(['requestsPerSecond'], () => limiter.setRate(config.requestsPerSecond())),
    config.onDidChange(['rateLimitWindowSeconds'], () => limiter.setWindow(config.rateLimitWindowMs())),
    watchRateLimit(limiter, (m) => logger.info(m)),
    config.onDidChange(config.HOVER_CACHE_KEYS, () => clickCache.resize(config.hoverCacheSize(), config.hoverCacheTtlMs(), config.hoverNegativeCacheTtlMs())),
    config.onDidChange(['baseUrl'], () => (clickCache.clear(), conversions.clear())),
    accounts.onDidChange(() => (clickCache.clear(), conversions.clear())),
  ];
  return {
    limiter,
    client,
    clickCache,
    conversions,
    timezones,
    hover: new ClickHoverProvider(services()),
    dispose: () => {
      for (const d of disposables) d.dispose();
    },
  };
}
