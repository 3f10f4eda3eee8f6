import * as vscode from 'vscode';
import { showWarning } from '../notifications';
import { NOT_FOUND_EXPLANATION, clickResultSet, fetchClick } from '../clickLookup';
import { isEverflowError } from '../core/errors';
import type { Click } from '../core/types';
import { isTransactionId } from '../core/validation';
import type { Services } from '../services';
import { withCancellableProgress } from '../host/progress';

// The commands behind the hover card's links. A link carries only the transaction id (a command
// URI is text anyone can write into a markdown file), so each command checks it and takes the row
// from the cache, fetching it again only when it has expired since the hover.

/** The id from a command argument: a string, or `[id]` as some callers pass it; undefined if not an id. */
function idFrom(arg: unknown): string | undefined {
  const value = Array.isArray(arg) ? arg[0] : arg;
  if (typeof value !== 'string') return undefined;
  const id = value.trim().toLowerCase();
  return isTransactionId(id) ? id : undefined;
}

async function clickFor(services: Services, arg: unknown): Promise<Click | undefined> {
  const id = idFrom(arg);
  if (!id) {
    void showWarning('Hover over a transaction ID in a log to use this command.');
    return undefined;
  }
  const cached = services.clickCache.get(id);
  if (cached.state === 'hit') return cached.value;
  try {
    return await withCancellableProgress(`Looking up click ${id}…`, (signal) => fetchClick(services, id, { signal }));
  } catch (err) {
    if (isEverflowError(err) && err.reason === 'notFound') {
      void showWarning(`No click ${id}: ${NOT_FOUND_EXPLANATION}.`);
      return undefined;
    }
    throw err;
  }
}

export async function openClickAsJson(services: Services, arg?: unknown): Promise<boolean> {
  const click = await clickFor(services, arg);
  if (!click) return false;
  await services.results.showJson(await clickResultSet(services, click));
  return true;
}

export async function openClickInGrid(services: Services, arg?: unknown): Promise<boolean> {
  const click = await clickFor(services, arg);
  if (!click) return false;
  await services.results.showGrid(await clickResultSet(services, click));
  return true;
}

export async function copyTransactionId(_services: Services, arg?: unknown): Promise<boolean> {
  const id = idFrom(arg);
  if (!id) return false;
  await vscode.env.clipboard.writeText(id);
  vscode.window.setStatusBarMessage(`Copied transaction ID ${id}`, 3000);
  return true;
}

export async function copyClickJson(services: Services, arg?: unknown): Promise<boolean> {
  const click = await clickFor(services, arg);
  if (!click) return false;
  await vscode.env.clipboard.writeText(JSON.stringify(click, null, 2));
  vscode.window.setStatusBarMessage(`Copied click ${click.transaction_id} as JSON`, 3000);
  return true;
}
