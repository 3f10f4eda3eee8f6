import * as vscode from 'vscode';
import { showWarning } from './notifications';
import * as config from './config';
import { createIdDetector, type IdDetector } from './core/idDetection';
import type { Priority } from './core/limiter';
import type { Click } from './core/types';
import type { ResultSet } from './results/presenter';
import type { Services } from './services';

// What every way into a click look-up shares: the palette, hovers, terminal links, hover links and
// the bulk look-up all fetch through `services.clickCache`, so one id asked for from several of them
// at once makes one request, and a click seen in one is instant in the others.

export const NOT_FOUND_EXPLANATION = 'not found, or older than the 3-month raw-data retention (clicks that converted are kept forever)';

/**
 * The click for `id` through the shared cache. `signal` ends this caller's wait; the request itself
 * goes on while anyone else is waiting for it (LookupCache). A cached "not found" rejects at once
 * with the EverflowError `notFound` that first said so.
 */
export function fetchClick(services: Services, id: string, opts: { signal?: AbortSignal; priority?: Priority } = {}): Promise<Click> {
  const priority = opts.priority ?? 'interactive';
  return services.clickCache.getOrFetch(id, (tid, signal) => services.client.getClick(tid, { signal, priority }), { signal: opts.signal });
}

/** A single click as a result set, for the JSON document or the grid. */
export async function clickResultSet(services: Services, click: Click): Promise<ResultSet> {
  const account = await services.accounts.active();
  const id = click.transaction_id;
  return {
    title: `click ${id}`,
    request: { kind: 'click', transaction_id: id, account: account?.name, fetched_at: new Date().toISOString(), rows: 1 },
    rows: [click],
  };
}

let detectorFor: { pattern: string | undefined; detector: IdDetector } | undefined;
const warnedPatterns = new Set<string>();

/**
 * The detector for the `everflow.hover.idPattern` setting, rebuilt when the setting changes (read
 * on every call, so no reload is needed). An unusable pattern falls back to the default, and the
 * user hears about it once per pattern, not on every hover.
 */
export function configuredDetector(): IdDetector {
  const pattern = config.hoverIdPattern();
  if (!detectorFor || detectorFor.pattern !== pattern) {
    detectorFor = { pattern, detector: createIdDetector({ pattern }) };
    const error = detectorFor.detector.error;
    if (error && pattern !== undefined && !warnedPatterns.has(pattern)) {
      warnedPatterns.add(pattern);
      void showWarning(error, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'everflow.hover.idPattern');
      });
    }
  }
  return detectorFor.detector;
}
