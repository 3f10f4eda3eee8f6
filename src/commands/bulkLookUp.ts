import * as fs from 'fs';
import * as path from 'path';
import { showInfo, showWarning } from '../notifications';
import * as vscode from 'vscode';
import { configuredDetector, fetchClick } from '../clickLookup';
import { EverflowError, isEverflowError } from '../core/errors';
import { detectInText, idsByKind, uniqueIds } from '../core/idDetection';
import type { Click } from '../core/types';
import { isTransactionId } from '../core/validation';
import * as config from '../config';
import type { Services } from '../services';
import { scanFileForIds } from '../host/fileIdScan';
import { withCancellableProgress } from '../host/progress';
import { reportError } from '../host/errorReporting';
import { fetchResultConversions } from '../conversions/gridConversions';
import type { ResultSet } from '../results/resultSet';

// "Look Up All Transaction IDs in File / Selection": every distinct id, fetched through the shared
// cache (ids already hovered cost nothing) at the shared rate limit, in the normal lane so hovers
// and the palette stay responsive while it runs.

/** Requests in flight at once; the limiter decides when each starts, this only bounds the queue. */
const WORKERS = 4;
/** Past this many ids the user is told how long it will take before anything is sent. */
const CONFIRM_ABOVE = 100;
/** Files smaller than this are read from disk without a progress notification. */
const QUIET_SCAN_BYTES = 8 * 1024 * 1024;

/** What a bulk look-up returns to its caller (tests, other extensions): counts, never the key. */
export interface BulkSummary {
  ids: number;
  rows: number;
  notFound: string[];
  failed: number;
  partial: boolean;
  /** The user pressed Cancel; the rows are those that arrived before. */
  cancelled: boolean;
  /** When conversions were added in the same run: the report's rows and the pages (requests) read. */
  conversions?: { rows: number; pages: number };
}

/** The bulk commands' options (their last argument). */
export interface BulkOptions {
  /**
   * Add the clicks' conversions in the same run: ONE conversion report over the clicks' span plus the
   * attribution window (not one request per id). Default: the everflow.conversions.addAutomatically setting.
   */
  addConversions?: boolean;
}

function bulkOptions(arg: unknown): BulkOptions {
  return typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as BulkOptions) : {};
}

export interface BulkOutcome {
  clicks: Click[];
  notFound: string[];
  failed: { id: string; message: string }[];
  cancelled: boolean;
}

export async function lookUpAllInFile(services: Services, uriArg?: unknown, optionsArg?: unknown): Promise<BulkSummary | undefined> {
  const options = bulkOptions(optionsArg ?? uriArg);
  // VS Code hands an extension no document over 50 MB (the editor shows it, activeTextEditor is
  // undefined), so the active tab names the file too.
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const target = uriArg instanceof vscode.Uri ? uriArg : (vscode.window.activeTextEditor?.document.uri ?? (tab instanceof vscode.TabInputText ? tab.uri : undefined));
  if (!target) {
    void showInfo('Open a file with transaction IDs first.');
    return undefined;
  }
  const label = `IDs in ${path.basename(target.path) || 'file'}`;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  // A saved file is read from disk as a stream: memory stays bounded by the ids in it, whatever its
  // size. Unsaved changes, untitled files and other schemes are read from the document the user sees.
  if (target.scheme === 'file' && !open?.isDirty) {
    const found = await scanFile(target);
    return found && lookUpAll(services, found, label, options);
  }
  const document = open ?? (await vscode.workspace.openTextDocument(target));
  return lookUpAll(services, foundInText(document.getText()), label, options);
}

export async function lookUpAllInSelection(services: Services, optionsArg?: unknown): Promise<BulkSummary | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selections = editor?.selections.filter((s) => !s.isEmpty) ?? [];
  if (!editor || selections.length === 0) {
    void showInfo('Select the lines with transaction IDs first, or use "Look Up All Transaction IDs in File".');
    return undefined;
  }
  const text = selections.map((s) => editor.document.getText(s)).join('\n');
  return lookUpAll(services, foundInText(text), `IDs in selection of ${path.basename(editor.document.uri.path) || 'file'}`, bulkOptions(optionsArg));
}

/** The distinct ids of a text or file: all in first-seen order, and split by kind. */
interface FoundIds {
  ordered: string[];
  clicks: string[];
  candidates: string[];
}

function foundInText(text: string): FoundIds {
  const found = detectInText(text, configuredDetector()).filter((d) => isTransactionId(d.id));
  return { ordered: uniqueIds(found), ...idsByKind(found) };
}

const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/** Reads a file from disk for its ids, with progress and Cancel; undefined when cancelled. */
async function scanFile(uri: vscode.Uri): Promise<FoundIds | undefined> {
  const name = path.basename(uri.fsPath);
  // A small file reads in a blink: a progress toast would only flash (and linger beside the question
  // about candidates that may follow).
  const small = (await fs.promises.stat(uri.fsPath)).size < QUIET_SCAN_BYTES;
  const result = small ? await scanFileForIds(uri.fsPath, configuredDetector().createScanner()) : await withCancellableProgress(`Reading ${name} for transaction IDs`, (signal, progress) => {
    let shown = 0;
    return scanFileForIds(uri.fsPath, configuredDetector().createScanner(), {
      signal,
      onProgress: (p) => {
        const percent = p.totalBytes > 0 ? (100 * p.bytesRead) / p.totalBytes : 100;
        const more = p.candidates > 0 ? ` (and ${p.candidates.toLocaleString('en-US')} values without a click-ID key)` : '';
        progress.report({ message: `${mib(p.bytesRead)} of ${mib(p.totalBytes)}: ${p.clicks.toLocaleString('en-US')} IDs found${more}`, increment: percent - shown });
        shown = percent;
      },
    });
  });
  if (result.cancelled) {
    void showInfo(`Stopped reading ${name} after ${mib(result.bytesRead)} of ${mib(result.totalBytes)}; nothing was looked up.`);
    return undefined;
  }
  const valid = (ids: string[]): string[] => ids.filter(isTransactionId);
  return { ordered: valid(result.ids), clicks: valid(result.clickIds), candidates: valid(result.candidateIds) };
}

async function lookUpAll(services: Services, found: FoundIds, label: string, options: BulkOptions = {}): Promise<BulkSummary | undefined> {
  const { clicks, candidates } = found;
  if (clicks.length === 0 && candidates.length === 0) {
    void showInfo('No transaction IDs found (32 hexadecimal characters, outside hash fields such as idfa_md5).');
    return undefined;
  }
  // Checked before the first request so that a missing key is one message, not one per id.
  if (!(await services.accounts.activeKey())) throw new EverflowError('unauthorized', 'No Everflow API key is set. Run "Everflow: Set API Key" first.');
  let chosen = new Set(clicks);
  if (candidates.length > 0) {
    const answer = await askAboutCandidates(clicks.length, candidates.length);
    if (answer === undefined) return undefined;
    if (answer === 'all') chosen = new Set([...clicks, ...candidates]);
  }
  // In the order the file has them, whichever kind each is.
  const ids = found.ordered.filter((id) => chosen.has(id));
  if (candidates.length === 0 && ids.length > CONFIRM_ABOVE) {
    const seconds = Math.ceil(ids.length / config.requestsPerSecond());
    const go = await showWarning(
      `Look up ${ids.length.toLocaleString('en-US')} transaction IDs? At ${config.requestsPerSecond()} requests a second this takes about ${formatDuration(seconds)}.`,
      { modal: true },
      'Look Up All',
    );
    if (go !== 'Look Up All') return undefined;
  }
  const started = performance.now();
  const outcome = await withCancellableProgress(`Looking up ${ids.length} transaction IDs`, (signal, progress) =>
    fetchAll(services, ids, signal, (done) => progress.report({ message: `${done} of ${ids.length}`, increment: 100 / ids.length })),
  );
  if (outcome.cancelled && outcome.clicks.length === 0 && outcome.notFound.length === 0) return undefined;
  if (outcome.clicks.length === 0 && outcome.notFound.length === 0 && outcome.failed.length > 0) {
    throw new EverflowError('network', `None of the ${ids.length} IDs could be looked up: ${outcome.failed[0].message}`);
  }
  const account = await services.accounts.active();
  const partial = outcome.cancelled || outcome.failed.length > 0;
  const result: ResultSet = {
    title: `${label}${partial ? ' (partial)' : ''}`,
    request: {
      kind: 'bulk',
      account: account?.name,
      fetched_at: new Date().toISOString(),
      duration_ms: Math.round(performance.now() - started),
      rows: outcome.clicks.length,
      not_found: outcome.notFound,
      ...(partial ? { partial: true } : {}),
    },
    rows: outcome.clicks,
  };
  // Before the grid opens, so it opens joined (and the grid's own automatic add sees them there).
  if ((options.addConversions ?? config.conversionsAddAutomatically()) && result.rows.length > 0 && !outcome.cancelled) {
    try {
      const conversions = await fetchResultConversions(services, result);
      if (conversions) result.conversions = conversions;
    } catch (e) {
      // The clicks are what was asked for: shown all the same, with one message about the conversions.
      reportError(e, services.logger, 'Adding conversions to the look-up (the clicks are shown without them)');
    }
  }
  await services.results.showGrid(result);
  if (outcome.cancelled) {
    const answered = outcome.clicks.length + outcome.notFound.length + outcome.failed.length;
    const notFound = outcome.notFound.length > 0 ? ` (and ${outcome.notFound.length} not found)` : '';
    void showWarning(
      `Look-up cancelled: kept the ${outcome.clicks.length} click(s) that arrived${notFound}; ${ids.length - answered} of ${ids.length} IDs were not looked up, so the result is partial.`,
    );
  }
  if (outcome.failed.length > 0) {
    services.logger.warn(`Bulk look-up: ${outcome.failed.length} ID(s) failed: ${outcome.failed.map((f) => `${f.id} (${f.message})`).join('; ')}`);
    void showWarning(`${outcome.failed.length} of ${ids.length} IDs could not be looked up: ${outcome.failed[0].message}`, 'Show Log').then((c) => {
      if (c) services.logger.show();
    });
  }
  const conv = result.conversions ? { conversions: { rows: result.conversions.rows.length, pages: result.conversions.pages } } : {};
  return { ids: ids.length, rows: outcome.clicks.length, notFound: outcome.notFound, failed: outcome.failed.length, partial, cancelled: outcome.cancelled, ...conv };
}

type CandidateAnswer = 'all' | 'clicks';

/**
 * Asks before values no click-ID key names are sent: a file of checksums should not become a run
 * of "not found". A quick pick rather than a modal, so the answer can also come from the keyboard
 * alone and from tests. Undefined when the user cancels.
 */
async function askAboutCandidates(clicks: number, candidates: number): Promise<CandidateAnswer | undefined> {
  const rate = config.requestsPerSecond();
  const duration = (n: number): string | undefined => (n > CONFIRM_ABOVE ? `About ${formatDuration(Math.ceil(n / rate))} at ${rate} requests a second` : undefined);
  const values = `${candidates.toLocaleString('en-US')} ${candidates === 1 ? 'value' : 'values'}`;
  const question =
    clicks > 0
      ? `${clicks.toLocaleString('en-US')} ${clicks === 1 ? 'ID' : 'IDs'}, and ${candidates.toLocaleString('en-US')} more 32-character ${candidates === 1 ? 'value' : 'values'} without a click-ID key: look those up too?`
      : `No value has a click-ID key, but ${values} of 32 characters could be transaction IDs: look them up?`;
  type Item = vscode.QuickPickItem & { answer?: CandidateAnswer };
  const items: Item[] = [
    { label: `Look up all ${(clicks + candidates).toLocaleString('en-US')}`, detail: duration(clicks + candidates), answer: 'all' },
    ...(clicks > 0 ? [{ label: `Only the ${clicks.toLocaleString('en-US')} with a click-ID key`, detail: duration(clicks), answer: 'clicks' as const }] : []),
    { label: 'Cancel' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Look Up All Transaction IDs', placeHolder: question, ignoreFocusOut: true });
  return picked?.answer;
}

/**
 * Fetches `ids` with a few workers. Keeps the order of `ids` in the result, whatever order the
 * answers come in. Key problems stop everything (every other id would fail the same way); other
 * failures are noted per id. On cancel, what arrived is kept.
 */
export async function fetchAll(services: Services, ids: readonly string[], signal: AbortSignal, onDone: (done: number) => void): Promise<BulkOutcome> {
  const found = new Map<string, Click>();
  const notFound = new Set<string>();
  const failed: BulkOutcome['failed'] = [];
  let next = 0;
  let done = 0;
  let fatal: unknown;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const worker = async (): Promise<void> => {
    while (next < ids.length && !stop.signal.aborted) {
      const id = ids[next++];
      try {
        found.set(id, await fetchClick(services, id, { signal: stop.signal, priority: 'normal' }));
      } catch (err) {
        if (isEverflowError(err) && err.reason === 'notFound') notFound.add(id);
        else if (isEverflowError(err) && err.reason === 'cancelled') return;
        else if (isEverflowError(err) && (err.reason === 'unauthorized' || err.reason === 'forbidden' || err.reason === 'invalidRequest')) {
          fatal ??= err;
          stop.abort();
          return;
        } else failed.push({ id, message: err instanceof Error ? err.message : String(err) });
      }
      onDone(++done);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(WORKERS, ids.length) }, worker));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (fatal) throw fatal;
  return {
    clicks: ids.filter((id) => found.has(id)).map((id) => found.get(id)!),
    notFound: ids.filter((id) => notFound.has(id)),
    failed,
    cancelled: signal.aborted,
  };
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `${minutes} minutes` : `${(minutes / 60).toFixed(1)} hours`;
}
