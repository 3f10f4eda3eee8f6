import type { AccountStore } from './accounts';
import type { EverflowClient } from './core/client';
import type { Logger } from './logger';
import type { ResultPresenter } from './results/presenter';
import type { ResultDocuments } from './results/resultDocuments';
import type { TimezoneService } from './timezoneService';
import type { HostGuard } from './hostGuard';

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
}
