import { withCancellableProgress } from '../host/progress';
import * as config from '../config';
import type { EverflowClient } from '../core/client';
import { fetchConversions, type ConversionPaging } from '../core/conversions/fetch';
import { resultConversionWindow } from '../core/conversions/resultWindow';
import type { ConversionRequest } from '../core/conversions/types';
import { isEverflowError, UserFacingError, withTopic } from '../core/errors';
import { UTC_TIMEZONE_ID } from '../core/timezones';
import { formatWallSeconds } from '../core/wallClock';
import type { Logger } from '../logger';
import type { ResultConversions, ResultSet } from '../results/resultSet';
import type { TimezoneService } from '../timezoneService';

// "Add Conversions" on a grid (issue #15): one conversion report over the result's window, its end
// extended by the attribution window (src/core/conversions/resultWindow.ts), read page by page through
// the shared client with progress and Cancel. Cancel after some pages keeps them, marked partial. The
// join into the grid's columns happens where the grid is built (resultGridPanel.ts), from the rows
// kept here, so a reload joins them again.

export interface GridConversionDeps {
  readonly client: EverflowClient;
  readonly timezones: TimezoneService;
  readonly logger: Logger;
}

/** The report request for a result, or why there is none. Look-ups have no window: their clicks' span is used, in UTC. */
async function requestFor(deps: GridConversionDeps, result: ResultSet, days: number, nowMs: number): Promise<ConversionRequest> {
  const r = result.request;
  let from = r.from;
  let to = r.to;
  let timezoneId = r.timezone_id;
  let zone: string | undefined;
  if (r.kind === 'stream' && from && to && typeof timezoneId === 'number') {
    zone = await deps.timezones.zoneOf(timezoneId, r.timezone);
    if (!zone) throw new UserFacingError(`The timezone of this result (id ${timezoneId}) is not in Everflow's list, so its conversion window cannot be worked out.`);
  } else {
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of result.rows) {
      if (typeof c.unix_timestamp !== 'number' || !(c.unix_timestamp > 0)) continue;
      lo = Math.min(lo, c.unix_timestamp);
      hi = Math.max(hi, c.unix_timestamp);
    }
    if (lo === Infinity) throw new UserFacingError('This result has no click with a time, so there is no window to read conversions for.');
    from = formatWallSeconds(lo);
    to = formatWallSeconds(hi);
    timezoneId = UTC_TIMEZONE_ID;
    zone = 'UTC';
  }
  const w = resultConversionWindow(from!, to!, zone, days, nowMs);
  if (!w) throw new UserFacingError('The clicks of this result are more than 365 days old: Everflow reports conversions of the prior 365 days only.');
  const filters = (r.filters ?? []).filter((f) => f.resource_type && f.filter_id_value);
  return { from: w.from, to: w.to, timezone_id: timezoneId!, show_conversions: true, show_events: true, ...(filters.length ? { query: { filters } } : {}) };
}

/**
 * The conversions of a result's window, or undefined when Cancel came before the first page. Errors
 * carry the conversions topic (for their message); `onPage` tells the caller how far the paging got.
 */
export async function fetchResultConversions(
  deps: GridConversionDeps,
  result: ResultSet,
  opts: { nowMs?: number; onPage?: (p: ConversionPaging) => void } = {},
): Promise<ResultConversions | undefined> {
  const nowMs = opts.nowMs ?? Date.now();
  const days = config.conversionsAttributionDays();
  const req = await requestFor(deps, result, days, nowMs);
  try {
    const res = await withCancellableProgress(`Adding conversions to "${result.title}"`, (signal, progress) =>
      fetchConversions(deps.client, req, {
        signal,
        nowMs,
        onPage: (p) => {
          opts.onPage?.(p);
          progress.report({ message: `page ${p.page.toLocaleString('en-US')} of ${Math.max(p.page, p.pages).toLocaleString('en-US')} · ${p.rows.toLocaleString('en-US')} conversions` });
        },
      }),
    );
    deps.logger.info(`Conversions: ${res.rows.length} row(s) in ${res.pages} page(s) for "${result.title}" (${req.from} – ${req.to}, timezone ${req.timezone_id})${res.partial ? ', cancelled: partial' : ''}.`);
    return {
      from: req.from,
      to: req.to,
      timezone_id: req.timezone_id,
      attribution_days: days,
      fetched_at: new Date(nowMs).toISOString(),
      pages: res.pages,
      total_count: res.totalCount,
      partial: res.partial,
      rows: res.rows,
      ...(res.exchanges?.length ? { exchanges: res.exchanges } : {}),
    };
  } catch (e) {
    if (isEverflowError(e) && e.reason === 'cancelled') return undefined;
    throw withTopic(e, 'conversions');
  }
}

/**
 * The context a failure is reported with: which page failed when some had arrived (a report with a
 * hole in it is not shown, so the pages before it are let go), and that the grid is as it was.
 */
export function failureContext(last: ConversionPaging | undefined): string {
  return last ? `Add Conversions (page ${last.page + 1} of ${Math.max(last.pages, last.page + 1)} failed; the grid is unchanged)` : 'Add Conversions (the grid is unchanged)';
}
