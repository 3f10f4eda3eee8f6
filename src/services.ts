import type { AccountStore } from './accounts';
import type { EverflowClient } from './core/client';
import type { LookupCache } from './core/lookupCache';
import type { ConversionLookups } from './conversions/conversionLookups';
import type { Click } from './core/types';
import type { Logger } from './logger';
import type { ResultPresenter } from './results/presenter';
import type { ResultDocuments } from './results/resultDocuments';
import type { TimezoneService } from './timezoneService';
import type { HostGuard } from './hostGuard';
import type { QueryHistory } from './storage/queryHistory';
import type { SavedQueries } from './storage/savedQueries';
import type { QueryEditors } from './webviews/queryEditorPanel';
import type { ResultGrids } from './webviews/resultGrids';

/** What commands and providers are given: the long-lived parts built once in `activate`. */
export interface Services {
  readonly accounts: AccountStore;
  readonly client: EverflowClient;
  readonly logger: Logger;
  readonly documents: ResultDocuments;
  /** Opens results where the user wants them (grid or JSON). */
  readonly results: ResultPresenter;
  readonly timezones: TimezoneService;
  readonly hostGuard: HostGuard;
  /** Clicks by transaction id, shared by hovers, terminal links and every look-up; cleared when the account or host changes. */
  readonly clickCache: LookupCache<Click>;
  /** Conversions of single clicks (hover line, Trace Click), cached per offer and day; cleared with the click cache. */
  readonly conversions: ConversionLookups;
  /** Saved queries of both scopes (workspace file, synced user store). */
  readonly savedQueries: SavedQueries;
  /** The last runs, for re-running and reopening. */
  readonly history: QueryHistory;
  /** The saved-query forms (webview panels). */
  readonly queryEditors: QueryEditors;
  /** The results grids (webview panels), restored after a reload. */
  readonly grids: ResultGrids;
}
