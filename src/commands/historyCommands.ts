import * as vscode from 'vscode';
import { showInfo, showWarning } from '../notifications';
import type { Services } from '../services';
import { HISTORY_RESULT_BYTES, type HistoryEntry } from '../storage/queryHistory';
import { executeStream } from './streamRun';

// The History view's actions: re-run a past run exactly as it ran (same from/to and zone id), reopen
// its rows (kept on disk within a budget) without a request, clear the list.

async function entryFrom(services: Services, arg: unknown, title: string): Promise<HistoryEntry | undefined> {
  const { history } = services;
  const id = typeof arg === 'object' && arg !== null ? (arg as { id?: unknown }).id : undefined;
  if (typeof id === 'string') {
    const found = history.find(id);
    if (!found) throw new Error('That run is no longer in the history.');
    return found;
  }
  const selected = history.selection()[0];
  if (selected) return selected;
  const entries = history.entries();
  if (entries.length === 0) {
    void showInfo('No runs yet: run a saved query or a click stream first.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    entries.map((e) => ({ label: e.label, description: `${e.request.from} → ${e.request.to}`, detail: `${new Date(e.at).toLocaleString()} · ${e.rows} rows · ${e.logic}`, entry: e })),
    { title, matchOnDescription: true, matchOnDetail: true },
  );
  return pick?.entry;
}

/** Re-run: the same request, window and zone as the original run (not re-resolved). */
export async function rerunHistoryEntry(services: Services, arg?: unknown): Promise<boolean> {
  const entry = await entryFrom(services, arg, 'Re-run from History');
  if (!entry) return false;
  await executeStream(services, entry.request, { label: entry.label, zone: entry.zone, source: entry.source });
  return true;
}

/** Open Results: the rows of that run, if still kept; otherwise offers to re-run. */
export async function openHistoryResult(services: Services, arg?: unknown): Promise<boolean> {
  const entry = await entryFrom(services, arg, 'Open Results from History');
  if (!entry) return false;
  const result = await services.history.result(entry.id);
  if (result) {
    await services.results.show(result);
    return true;
  }
  const choice = await showInfo(
    `The rows of "${entry.label}" (${new Date(entry.at).toLocaleString()}) are no longer kept: the oldest runs' rows are dropped to stay within ${HISTORY_RESULT_BYTES / 1024 / 1024} MB. Re-run fetches the same window again.`,
    'Re-run',
  );
  return choice === 'Re-run' ? rerunHistoryEntry(services, { id: entry.id }) : false;
}

export async function clearQueryHistory(services: Services, arg?: { confirm?: boolean }): Promise<boolean> {
  if (arg?.confirm !== false) {
    const ok = await showWarning('Clear the run history?', { modal: true, detail: 'Saved queries are not affected.' }, 'Clear');
    if (ok !== 'Clear') return false;
  }
  await services.history.clear();
  return true;
}
