import { keyDestination } from './core/baseUrl';
import type { AccountStore } from './accounts';
import * as config from './config';
import type { Logger } from './logger';

/**
 * `npm run demo` starts a local sandbox API and passes its demo key in EVERFLOW_CLICKS_DEMO_KEY.
 * The key is taken only when the base URL is a loopback address (so it can only ever reach the
 * local sandbox) and only when no account exists yet, so a real setup is never touched.
 */
export async function seedDemoAccount(accounts: AccountStore, logger: Logger): Promise<void> {
  const key = process.env.EVERFLOW_CLICKS_DEMO_KEY;
  if (!key) return;
  const url = config.baseUrl();
  if (keyDestination(url) !== 'loopback') return;
  if ((await accounts.list()).length) return;
  logger.addSecret(key);
  await accounts.save('Sandbox (demo)', key);
  logger.info(`Demo account "Sandbox (demo)" created for the local sandbox at ${url}.`);
}
