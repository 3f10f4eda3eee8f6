import * as vscode from 'vscode';
import { showInfo, showWarning } from '../notifications';
import { withCancellableProgress } from '../host/progress';
import * as config from '../config';
import { keepWithinBudget, MAX_KEPT_RESPONSE_CHARS } from '../core/asSent';
import { fetchAll } from '../core/fetchAll';
import type { ApiExchange, Click, StreamRequest } from '../core/types';
import type { EverflowClient } from '../core/client';
import type { Logger } from '../logger';
import type { TimezoneService } from '../timezoneService';
import type { TruncationMemory } from './truncationMemory';
import type { ResultSet } from './resultSet';

// "Fetch all": every click of a capped stream's window, through the shared client (so its limiter
// keeps the whole window within the account's rate limit), with progress and Cancel. Cancel keeps
// what arrived and labels the result partial; the `everflow.results.maxRows` setting caps the total
// and the result says when it did.

/** The stream request a result came from, or undefined for look-ups (nothing to fetch "all" of). */
export function streamRequestOf(result: ResultSet): StreamRequest | undefined {
  const r = result.request;
  if (r.kind !== 'stream' || !r.from || !r.to || typeof r.timezone_id !== 'number') return undefined;
  return {
    from: r.from,
    to: r.to,
    timezone_id: r.timezone_id,
    query: { filters: r.filters ?? [], exclusions: r.exclusions ?? [] },
  };
}

/** What Fetch all needs: the client (and its shared limiter), the timezone list, the log. */
export interface FetchAllDeps {
  readonly client: EverflowClient;
  readonly timezones: TimezoneService;
  readonly logger: Logger;
  /** Which rows a capped stream holds, as learned by earlier runs on this account and host. */
  readonly truncation?: Pick<TruncationMemory, 'recall' | 'remember'>;
}

/** The result with every click of its window, or undefined when nothing arrived (cancelled at once). */
export async function runFetchAll(services: FetchAllDeps, result: ResultSet, onRows?: (rows: readonly Click[]) => void): Promise<ResultSet | undefined> {
  const request = streamRequestOf(result);
  if (!request) throw new Error('Only click streams can be fetched in full; a look-up already has every row.');
  const zone = await services.timezones.zoneOf(request.timezone_id, result.request.timezone);
  if (!zone) throw new Error(`The timezone of this result (id ${request.timezone_id}) is not in Everflow's list, so its window cannot be split.`);
  const maxRows = config.resultsMaxRows();
  const truncationHint = await services.truncation?.recall();
  const started = performance.now();
  // A stream that ran as one request is the first piece already: fetchAll re-plans from its rows.
  const first = result.request.truncated && !result.request.chunks && !result.request.fetch_all && result.request.cap
    ? { rows: result.rows, truncated: true, cap: result.request.cap, durationMs: result.request.duration_ms ?? 0 }
    : undefined;
  // Every request and response, for "Open as JSON": the first piece's when fetchAll starts from it.
  // Response texts past the budget are let go as they arrive, so a long fetch does not hold them all.
  const exchanges: ApiExchange[] = first ? [...(result.exchanges ?? [])] : [];
  let kept = exchanges.reduce((n, x) => n + (x.response?.length ?? 0), 0);
  const record = (list: readonly ApiExchange[] | undefined): void => {
    for (const x of list ?? []) {
      kept += x.response?.length ?? 0;
      exchanges.push(kept <= MAX_KEPT_RESPONSE_CHARS ? x : keepWithinBudget([x], 0)[0]);
    }
  };
  const outcome = await withCancellableProgress(`Fetching every click of "${result.title}"`, (signal, progress) =>
    fetchAll(request, {
      stream: async (req, s) => {
        const res = await services.client.streamClicks(req, { signal: s });
        record(res.exchanges);
        return { ...res, exchanges: undefined };
      },
      zone,
      maxRows,
      signal,
      firstResult: first,
      truncationHint,
      ...(onRows ? { onRows } : {}),
      onProgress: (p) => progress.report({ message: `${p.piecesDone.toLocaleString('en-US')} piece(s) done, ${p.rows.toLocaleString('en-US')} clicks so far` }),
    }),
  );
  if (outcome.truncation && outcome.truncation !== truncationHint) await services.truncation?.remember(outcome.truncation);
  if (outcome.rows.length === 0 && outcome.stoppedBy === 'cancelled') return undefined;
  const capped = outcome.pieces.filter((p) => p.capped).length;
  const next: ResultSet = {
    title: result.title,
    ...(result.historyId ? { historyId: result.historyId } : {}),
    request: {
      ...result.request,
      timezone: zone,
      fetched_at: new Date().toISOString(),
      duration_ms: Math.round(performance.now() - started),
      rows: outcome.rows.length,
      truncated: !outcome.complete,
      partial: outcome.stoppedBy === 'cancelled' ? true : undefined,
      fetch_all: {
        requests: outcome.requests,
        pieces: outcome.pieces.length,
        complete: outcome.complete,
        ...(outcome.stoppedBy ? { stopped_by: outcome.stoppedBy } : {}),
        max_rows: maxRows,
        ...(capped ? { capped_pieces: capped } : {}),
      },
    },
    rows: outcome.rows,
    exchanges,
  };
  if (next.request.partial === undefined) delete next.request.partial;
  const n = outcome.rows.length.toLocaleString('en-US');
  const sent = `${outcome.requests} request${outcome.requests === 1 ? '' : 's'}`;
  if (outcome.stoppedBy === 'cancelled') {
    void showWarning(`Fetch all cancelled: kept the ${n} clicks that arrived (partial).`);
  } else if (outcome.stoppedBy === 'maxRows') {
    void showWarning(
      `Stopped at ${n} clicks, the everflow.results.maxRows limit; more clicks match this window.`,
      'Open Settings',
    ).then((c) => c && vscode.commands.executeCommand('workbench.action.openSettings', 'everflow.results.maxRows'));
  } else if (capped) {
    void showWarning(`${n} clicks in ${sent}, but ${capped} one-second piece(s) still reached the cap: the clicks beyond it cannot be fetched.`);
  } else {
    void showInfo(`All ${n} clicks of the window, in ${sent}.`);
  }
  services.logger.info(`Fetch all "${result.title}": ${n} clicks, ${sent}, ${outcome.pieces.length} pieces${outcome.stoppedBy ? `, stopped by ${outcome.stoppedBy}` : ''}.`);
  return next;
}
