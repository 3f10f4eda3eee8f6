import { showInfo, showWarning } from '../notifications';
import { keepWithinBudget } from '../core/asSent';
import { describeLogic } from '../core/logic';
import type { StreamRequest } from '../core/types';
import type { Services } from '../services';
import type { ResultSet } from '../results/resultSet';
import type { HistoryEntry } from '../storage/queryHistory';
import { withCancellableProgress } from '../host/progress';
import { streamWindow } from './streamWindow';

// The run step every click stream shares (ad-hoc "Run Click Stream", saved queries, history re-runs):
// one request under a cancellable progress notification, results opened where the user wants them,
// the run recorded in the history, and a message with rows, duration and whether the cap was hit.

export interface StreamRunInfo {
  /** Names the run in the progress, the result's title and the history: a query name or "Click stream". */
  label: string;
  /** IANA zone of the request, when the caller knows it. */
  zone?: string;
  source?: HistoryEntry['source'];
}

export interface StreamRunOutcome {
  rows: number;
  truncated: boolean;
  durationMs: number;
  historyId: string;
}

export async function executeStream(services: Services, request: StreamRequest, info: StreamRunInfo): Promise<StreamRunOutcome> {
  const { accounts, results, timezones, history } = services;
  const account = await accounts.active();
  // Windows over 14 days run as ≤ 14-day chunks, and old ones get the retention warning (commands/streamWindow.ts).
  const result = await withCancellableProgress(`Running ${info.label}…`, async (signal) =>
    streamWindow(services, request, await timezones.zoneOf(request.timezone_id, info.zone, signal), signal),
  );
  const rows = result.rows.length;
  const seconds = (result.durationMs / 1000).toFixed(1);
  const zoneName = info.zone ?? timezones.nameFor(request.timezone_id);
  const logic = describeLogic(request.query);
  const time = new Date().toTimeString().slice(0, 5);
  const resultSet = {
    title: info.source ? `${info.label} · ${time}` : `clicks ${request.from} to ${request.to}`,
    request: {
      kind: 'stream' as const,
      account: account?.name,
      from: request.from,
      to: request.to,
      timezone_id: request.timezone_id,
      timezone: zoneName,
      filters: request.query?.filters ?? [],
      exclusions: request.query?.exclusions ?? [],
      logic,
      fetched_at: new Date().toISOString(),
      duration_ms: Math.round(result.durationMs),
      rows,
      truncated: result.truncated,
      cap: result.cap,
      ...(result.chunks > 1 ? { chunks: result.chunks } : {}),
    },
    rows: result.rows,
    // What Everflow sent, for "Open as JSON" (response texts within the budget of src/core/asSent.ts).
    ...(result.exchanges ? { exchanges: keepWithinBudget(result.exchanges) } : {}),
  } satisfies ResultSet;
  const entry = await history.add(
    {
      at: resultSet.request.fetched_at,
      label: info.label,
      source: info.source,
      zone: zoneName,
      request,
      logic,
      account: account?.name,
      rows,
      durationMs: Math.round(result.durationMs),
      truncated: result.truncated,
      cap: result.cap,
    },
    resultSet,
  );
  // Opened after the history has it, so a Fetch all in the grid is recorded in the same entry.
  await results.show({ ...resultSet, historyId: entry.id });
  const what = info.source ? `"${info.label}": ` : '';
  if (result.truncated) {
    void showWarning(
      `${what}${rows.toLocaleString('en-US')} clicks in ${seconds} s: the response reached Everflow's ${result.cap.toLocaleString('en-US')}-row cap, so more clicks match than were returned. Use Fetch all in the results grid to get them all, or narrow the window or add filters.`,
    );
  } else {
    void showInfo(`${what}${rows.toLocaleString('en-US')} clicks in ${seconds} s.`);
  }
  return { rows, truncated: result.truncated, durationMs: result.durationMs, historyId: entry.id };
}
