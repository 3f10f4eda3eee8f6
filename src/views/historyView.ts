import * as vscode from 'vscode';
import { escapeMarkdown } from '../hovers/escapeMarkdown';
import type { HistoryEntry, QueryHistory } from '../storage/queryHistory';

export const HISTORY_VIEW = 'everflow.queryHistory';

/** The last 50 runs, newest first: re-run one exactly as it ran, or reopen its results. */
export class HistoryView implements vscode.TreeDataProvider<HistoryEntry>, vscode.Disposable {
  private readonly view: vscode.TreeView<HistoryEntry>;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly history: QueryHistory) {
    this.view = vscode.window.createTreeView(HISTORY_VIEW, { treeDataProvider: this });
    this.subscription = history.onDidChange(() => this.changed.fire());
    history.selection = () => this.view.selection;
  }

  getTreeItem(e: HistoryEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(e.label, vscode.TreeItemCollapsibleState.None);
    item.id = e.id;
    const when = new Date(e.at);
    // Runs over different windows or filters told apart at a glance; the count is what the user ended with.
    const filters = e.logic && e.logic !== 'all clicks' ? ` · ${brief(e.logic, 40)}` : '';
    item.description = `${formatWhen(when)} · ${windowBrief(e.request.from, e.request.to)}${filters} · ${e.rows.toLocaleString('en-US')} rows${rowsState(e)}`;
    item.iconPath = new vscode.ThemeIcon(e.truncated || e.partial ? 'warning' : 'history');
    const kept = this.history.hasResult(e.id);
    item.contextValue = kept ? 'historyEntry.withResult' : 'historyEntry';
    const tip = new vscode.MarkdownString();
    tip.isTrusted = false;
    tip.appendMarkdown('**');
    tip.appendMarkdown(escapeMarkdown(e.label, { maxLength: 600 }));
    tip.appendMarkdown('**\n\n');
    tip.appendMarkdown(escapeMarkdown(e.logic, { maxLength: 600 }));
    tip.appendMarkdown('\n\n');
    tip.appendMarkdown(escapeMarkdown(`${e.request.from} → ${e.request.to} (${e.zone ?? 'timezone'} ${e.request.timezone_id})`, { maxLength: 600 }));
    tip.appendMarkdown('\n\n');
    tip.appendMarkdown(escapeMarkdown(
      `Ran ${when.toLocaleString()}${e.account ? ` with ${e.account}` : ''} in ${(e.durationMs / 1000).toFixed(1)} s: ` +
        (e.fetchedAll
          ? `Fetch all gathered ${e.rows.toLocaleString('en-US')} rows${e.partial ? ', then was stopped before every click arrived (partial).' : e.truncated ? '; more clicks match.' : ', every click of the window.'}`
          : `${e.rows.toLocaleString('en-US')} rows${e.truncated ? `; the ${e.cap.toLocaleString('en-US')}-row cap was reached, so more clicks match.` : '.'}`),
      { maxLength: 600 },
    ));
    tip.appendMarkdown('\n\n');
    tip.appendMarkdown(escapeMarkdown(kept ? 'Open Results shows these rows again without a request; Re-run fetches this exact window again.' : 'The rows of this run are no longer kept; Re-run fetches this exact window again.', { maxLength: 600 }));
    item.tooltip = tip;
    return item;
  }

  getChildren(e?: HistoryEntry): HistoryEntry[] {
    return e ? [] : this.history.entries();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.view.dispose();
  }
}

function formatWhen(d: Date): string {
  const today = new Date();
  const time = d.toTimeString().slice(0, 5);
  return d.toDateString() === today.toDateString() ? time : `${d.toISOString().slice(0, 10)} ${time}`;
}

/** "(cap reached)", "(all fetched)", "(partial)" or nothing: how complete the kept rows are. */
function rowsState(e: HistoryEntry): string {
  if (e.fetchedAll) return e.partial ? ' (partial)' : e.truncated ? ' (more match)' : ' (all fetched)';
  return e.truncated ? ' (cap reached)' : '';
}

/** "12-01 00:00–23:59" within a day, else "11-28 00:00 → 12-01 23:59" (the zone is in the tooltip). */
function windowBrief(from: string, to: string): string {
  const short = (t: string): string => t.slice(5, 16);
  if (from.slice(0, 10) === to.slice(0, 10)) return `${short(from)}–${to.slice(11, 16)}`;
  return `${short(from)} → ${short(to)}`;
}

function brief(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
