import * as vscode from 'vscode';
import { compactClick, digest, modelOf, sampleIndices } from '../core/clickDigest';
import { fetchAll } from '../core/fetchAll';
import { describeLogic } from '../core/logic';
import type { StreamRequest } from '../core/types';
import { chunkWindow } from '../core/windowChunks';
import { streamWindow } from '../commands/streamWindow';
import type { ResultSet } from '../results/resultSet';
import type { Services } from '../services';
import type { HistoryEntry } from '../storage/queryHistory';
import { accountLine, applyAccount, type AccountPlan } from './accountChoice';
import { quote, signalOf, toolResult } from './toolKit';

// A click stream a chat tool runs (an ad-hoc window, or a saved query): the confirmation's facts, the
// requests (the window, then optionally Fetch all up to a row budget and a request limit the confirmation
// names), the grid and the history like any other run, and a result sized for a model.

export const DEFAULT_ROW_BUDGET = 20_000;
export const MAX_ROW_BUDGET = 100_000;

export interface StreamJob {
  /** "Click stream", or the saved query's name. */
  label: string;
  request: StreamRequest;
  /** IANA zone of `request.timezone_id`. */
  zone: string;
  fetchAll: boolean;
  rowBudget: number;
  openInGrid: boolean;
  account: AccountPlan;
  source?: HistoryEntry['source'];
}

/** Requests the window runs as before any Fetch all (one per ≤ 14-day chunk). */
function windowRequests(job: Pick<StreamJob, 'request' | 'zone'>): number {
  try {
    return Math.max(1, chunkWindow(job.request, job.zone).length);
  } catch {
    return 1;
  }
}

/**
 * The most stream requests the job sends: the window's, plus with Fetch all one per 1,000 rows of the
 * budget and a few for planning. A hard limit, not an estimate: the job stops there (partial) and says so.
 */
export function requestLimit(job: Pick<StreamJob, 'request' | 'zone' | 'fetchAll' | 'rowBudget'>): number {
  const base = windowRequests(job);
  return job.fetchAll ? base + Math.ceil(job.rowBudget / 1000) + 5 : base;
}

/** The confirmation's lines: account, window, filters, the most requests it sends. */
export async function streamConfirmationLines(services: Services, job: StreamJob): Promise<string[]> {
  const limit = requestLimit(job);
  return [
    job.source ? `Run the saved query ${quote(job.label)} with the user's API key.` : "Run an Everflow click stream with the user's API key.",
    await accountLine(services, job.account),
    `Window: ${job.request.from} to ${job.request.to} (${job.zone}, both ends included).`,
    `Filters: ${quote(describeLogic(job.request.query))}.`,
    job.fetchAll
      ? `Fetch all: when Everflow's 5,000-row cap is reached, fetch the rest in smaller pieces, up to ${job.rowBudget.toLocaleString('en-US')} clicks.`
      : "No Fetch all: at most Everflow's 5,000-row cap per request.",
    `At most ${limit.toLocaleString('en-US')} request${limit === 1 ? '' : 's'} to Everflow (plus one for the timezone list the first time), from the account's shared budget of 5 requests a second.`,
    job.openInGrid ? 'The full result opens in the results grid.' : 'The result is not opened in the grid.',
  ];
}

export interface StreamJobOutcome {
  result: ResultSet;
  /** Stopped before every click arrived: by Cancel, the row budget or the request limit. */
  stoppedBy?: 'cancelled' | 'rowBudget' | 'requestLimit';
  requests: number;
}

/** Runs the job: the window's requests, then Fetch all when asked and needed. */
export async function runStreamJob(services: Services, job: StreamJob, token: vscode.CancellationToken): Promise<StreamJobOutcome> {
  await applyAccount(services, job.account);
  const started = performance.now();
  const cancel = signalOf(token);
  try {
    const first = await streamWindow(services, job.request, job.zone, cancel.signal);
    let rows = first.rows;
    let truncated = first.truncated;
    let requests = first.chunks;
    let stoppedBy: StreamJobOutcome['stoppedBy'];
    let fetchMeta: ResultSet['request']['fetch_all'];
    if (job.fetchAll && first.truncated) {
      const limit = requestLimit(job);
      // Our own signal: Cancel and the request limit both stop the fetch and keep what arrived.
      const stop = new AbortController();
      const onCancel = () => stop.abort();
      cancel.signal.addEventListener('abort', onCancel);
      let limitHit = false;
      try {
        const outcome = await fetchAll(job.request, {
          stream: async (req, s) => {
            if (requests >= limit) {
              limitHit = true;
              stop.abort();
            }
            requests++;
            return { ...(await services.client.streamClicks(req, { signal: s })), exchanges: undefined };
          },
          zone: job.zone,
          maxRows: job.rowBudget,
          signal: stop.signal,
          firstResult: first.chunks === 1 ? { rows: first.rows, truncated: true, cap: first.cap, durationMs: first.durationMs } : undefined,
        });
        rows = outcome.rows;
        truncated = !outcome.complete;
        stoppedBy = limitHit ? 'requestLimit' : outcome.stoppedBy === 'maxRows' ? 'rowBudget' : outcome.stoppedBy;
        fetchMeta = {
          requests: outcome.requests,
          pieces: outcome.pieces.length,
          complete: outcome.complete,
          ...(outcome.stoppedBy ? { stopped_by: outcome.stoppedBy } : {}),
          max_rows: job.rowBudget,
        };
      } finally {
        cancel.signal.removeEventListener('abort', onCancel);
      }
    }
    const account = await services.accounts.active();
    const logic = describeLogic(job.request.query);
    const time = new Date().toTimeString().slice(0, 5);
    const result: ResultSet = {
      title: `${job.label} · chat · ${time}`,
      request: {
        kind: 'stream',
        account: account?.name,
        from: job.request.from,
        to: job.request.to,
        timezone_id: job.request.timezone_id,
        timezone: job.zone,
        filters: job.request.query?.filters ?? [],
        exclusions: job.request.query?.exclusions ?? [],
        logic,
        fetched_at: new Date().toISOString(),
        duration_ms: Math.round(performance.now() - started),
        rows: rows.length,
        truncated,
        cap: first.cap,
        ...(stoppedBy ? { partial: true } : {}),
        ...(first.chunks > 1 ? { chunks: first.chunks } : {}),
        ...(fetchMeta ? { fetch_all: fetchMeta } : {}),
      },
      rows,
    };
    const entry = await services.history.add(
      {
        at: result.request.fetched_at,
        label: job.label,
        source: job.source,
        zone: job.zone,
        request: job.request,
        logic,
        account: account?.name,
        rows: rows.length,
        durationMs: result.request.duration_ms ?? 0,
        truncated,
        cap: first.cap,
        ...(fetchMeta ? { fetchedAll: true } : {}),
        ...(stoppedBy ? { partial: true } : {}),
      },
      result,
    );
    const withHistory = { ...result, historyId: entry.id };
    if (job.openInGrid) await services.grids.open(withHistory);
    return { result: withHistory, stoppedBy, requests };
  } finally {
    cancel.dispose();
  }
}

/** What the model gets: the run in words, then the digest and a sample inside the fence. */
export async function streamReport(services: Services, job: StreamJob, outcome: StreamJobOutcome): Promise<vscode.LanguageModelToolResult> {
  const { result, stoppedBy } = outcome;
  const rows = result.rows;
  const n = rows.length.toLocaleString('en-US');
  const words: string[] = [
    `${job.source ? `Saved query ${quote(job.label)}` : 'Everflow click stream'}: ${n} clicks from ${job.request.from} to ${job.request.to} (${job.zone}), filters: ${quote(describeLogic(job.request.query))}. ${outcome.requests} request(s) sent.`,
  ];
  if (stoppedBy === 'cancelled') words.push(`PARTIAL: the user cancelled, so only the ${n} clicks that had arrived are counted.`);
  else if (stoppedBy === 'rowBudget') words.push(`PARTIAL: stopped at the row budget of ${job.rowBudget.toLocaleString('en-US')} clicks; more clicks match. Ask with a larger rowBudget (up to ${MAX_ROW_BUDGET.toLocaleString('en-US')}), or narrow the window or filters.`);
  else if (stoppedBy === 'requestLimit') words.push(`PARTIAL: stopped at the request limit the user confirmed; more clicks match. Use Fetch all in the results grid for the rest, or narrow the window.`);
  else if (result.request.truncated && !result.request.fetch_all) words.push(`TRUNCATED: the response reached Everflow's ${(result.request.cap ?? 5000).toLocaleString('en-US')}-row cap, so more clicks match than were counted. Run again with fetchAll: true (more requests), or press Fetch all in the results grid, or narrow the window or filters.`);
  else if (result.request.truncated) words.push('INCOMPLETE: some one-second pieces of the window still reached the cap; their extra clicks cannot be fetched.');
  else words.push('Complete: every matching click of the window is counted.');
  words.push(
    job.openInGrid
      ? 'The full result is open in the Everflow results grid; the user can sort, filter and export it there, and everflow_summarizeGrid summarises what the grid shows.'
      : 'The result was not opened in the grid; it is in the Everflow History view.',
  );
  words.push(`The data shows top values (at most 5 per dimension) and a sample of ${Math.min(rows.length, 5)} rows, not every click.`);
  const model = modelOf(rows, job.zone);
  const sample = sampleIndices(rows.length).map((i) => compactClick(rows[i], job.zone));
  return toolResult(services, words.join('\n'), { what: 'The summary and sample rows', value: { summary: digest(model, 'all'), sample } });
}
