import * as vscode from 'vscode';
import { escapeMarkdown } from '../hovers/escapeMarkdown';
import type { FileProblem } from '../core/queriesFile';
import { folderName } from '../core/queryCollection';
import { resourceTypeLabel } from '../core/logic';
import { windowNotes } from '../core/windowNotices';
import { describeQueryLogic, describeWindow, isPresetWindow, resolveQueryWindow, validateSavedQuery, type SavedQuery } from '../core/savedQuery';
import type { QueryFilter } from '../core/types';
import { canonicalResourceType } from '../core/validation';
import { isWorkspaceScope, scopeLabel, type QueryScope } from '../storage/queryScopeStore';

// The saved-queries tree's elements and how each looks. Names, values and notes are a team's free
// text: labels are plain text by nature, and every tooltip is an untrusted MarkdownString into which
// user text goes only through appendText (which escapes it), never as markdown or HTML.

export type QueryTreeNode =
  | { kind: 'scope'; scope: QueryScope; empty: boolean }
  | { kind: 'folder'; scope: QueryScope; path: string }
  | { kind: 'query'; scope: QueryScope; query: SavedQuery }
  | { kind: 'filter'; scope: QueryScope; query: SavedQuery; filter: QueryFilter; excluded: boolean; index: number }
  | { kind: 'problem'; scope: QueryScope; problems: FileProblem[]; uri: vscode.Uri | undefined; fileName: string }
  | { kind: 'unavailable'; scope: QueryScope; reason: string };

/** A codicon per resource type, so a query's filters read at a glance. */
const TYPE_ICONS: Readonly<Record<string, string>> = {
  offer: 'tag',
  creative: 'file-media',
  country: 'globe',
  carrier: 'radio-tower',
  device_platform: 'vm',
  device_type: 'device-mobile',
  device_make: 'tools',
  browser: 'browser',
  language: 'whole-word',
  connection_type: 'plug',
  campaign: 'megaphone',
  source_id: 'symbol-key',
  offer_url: 'link',
  device_model: 'circuit-board',
  s1: 'symbol-variable',
  s2: 'symbol-variable',
  s3: 'symbol-variable',
  s4: 'symbol-variable',
  s5: 'symbol-variable',
  coupon_code: 'credit-card',
};

export function resourceTypeIcon(type: string): string {
  return TYPE_ICONS[canonicalResourceType(type) ?? ''] ?? 'filter';
}

export function nodeId(node: QueryTreeNode): string {
  switch (node.kind) {
    case 'scope':
      return `${node.scope}`;
    case 'folder':
      return `${node.scope}/folder:${node.path}`;
    case 'query':
      return `${node.scope}/query:${node.query.id}`;
    case 'filter':
      return `${node.scope}/query:${node.query.id}/${node.excluded ? 'x' : 'f'}${node.index}`;
    case 'problem':
    case 'unavailable':
      return `${node.scope}/${node.kind}`;
  }
}

export function treeItemFor(node: QueryTreeNode): vscode.TreeItem {
  switch (node.kind) {
    case 'scope': {
      const item = new vscode.TreeItem(scopeLabel(node.scope), vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(isWorkspaceScope(node.scope) ? 'repo' : 'account');
      item.description = isWorkspaceScope(node.scope) ? '.vscode/everflow-queries.json · shared' : 'synced with Settings Sync';
      if (node.empty) item.description = `${item.description} · empty`;
      item.contextValue = isWorkspaceScope(node.scope) ? 'scope.workspace' : 'scope.user';
      return item;
    }
    case 'folder': {
      const item = new vscode.TreeItem(folderName(node.path), vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = vscode.ThemeIcon.Folder;
      item.contextValue = 'folder';
      item.tooltip = plainTooltip(`Folder ${node.path} in ${scopeLabel(node.scope)}`);
      return item;
    }
    case 'query': {
      const q = node.query;
      const hasFilters = q.filters.length + q.exclusions.length > 0;
      const item = new vscode.TreeItem(q.name, hasFilters ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.description = `${describeWindow(q.window)} · ${q.timezone}`;
      item.iconPath = new vscode.ThemeIcon('list-filter');
      item.contextValue = 'query';
      item.accessibilityInformation = { label: `Query ${q.name}, ${describeWindow(q.window)} in ${q.timezone}, ${describeQueryLogic(q)}` };
      return item;
    }
    case 'filter': {
      const { filter, excluded } = node;
      const label = `${resourceTypeLabel(filter.resource_type)} ${excluded ? '≠' : '='} ${filter.filter_id_value}`;
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(resourceTypeIcon(filter.resource_type), excluded ? new vscode.ThemeColor('list.errorForeground') : undefined);
      item.description = excluded ? 'excluded' : undefined;
      item.contextValue = excluded ? 'exclusion' : 'filter';
      item.tooltip = plainTooltip(
        excluded
          ? `Exclusion: clicks whose ${resourceTypeLabel(filter.resource_type)} is ${filter.filter_id_value} are removed.`
          : `Filter: ${resourceTypeLabel(filter.resource_type)} ${filter.filter_id_value}. Values of one type are OR-ed; different types are AND-ed.`,
      );
      return item;
    }
    case 'problem': {
      const first = node.problems[0];
      const item = new vscode.TreeItem(`${node.fileName} has an error — Open`, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
      item.description = first ? `line ${first.line + 1}, column ${first.character + 1}: ${first.message}` : undefined;
      item.contextValue = 'fileProblem';
      const tip = new vscode.MarkdownString();
      tip.appendMarkdown('**The queries file has ');
      tip.appendMarkdown(escapeMarkdown(`${node.problems.length} problem${node.problems.length === 1 ? '' : 's'}`, { maxLength: 600 }));
      tip.appendMarkdown('.** It is not changed by the extension until it is fixed.\n\n');
      for (const p of node.problems.slice(0, 8)) {
        tip.appendMarkdown(escapeMarkdown(`Line ${p.line + 1}, column ${p.character + 1}: ${p.message}`, { maxLength: 600 }));
        tip.appendMarkdown('\n\n');
      }
      item.tooltip = tip;
      if (node.uri) {
        item.command = {
          command: 'vscode.open',
          title: 'Open',
          arguments: [node.uri, first ? { selection: new vscode.Range(first.line, first.character, first.end.line, first.end.character) } : {}],
        };
      }
      return item;
    }
    case 'unavailable': {
      const item = new vscode.TreeItem('No folder open', vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('info');
      item.description = node.reason;
      item.tooltip = plainTooltip(node.reason);
      return item;
    }
  }
}

function plainTooltip(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(escapeMarkdown(text, { maxLength: 600 }));
  return md;
}

/**
 * The query's tooltip, built when the pointer rests on it so the resolved window is the one a run
 * would use now: name, plain-English logic, window with resolved from/to, zone, account, note.
 */
export function queryTooltip(scope: QueryScope, q: SavedQuery, nowMs = Date.now()): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown('**');
  md.appendMarkdown(escapeMarkdown(q.name, { maxLength: 600 }));
  md.appendMarkdown('**\n\n');
  md.appendMarkdown(escapeMarkdown(describeQueryLogic(q), { maxLength: 600 }));
  md.appendMarkdown('\n\n');
  const problems = validateSavedQuery(q);
  if (problems.length === 0) {
    const w = resolveQueryWindow(q, nowMs);
    md.appendMarkdown(escapeMarkdown(`${describeWindow(q.window)}: ${w.from} → ${w.to} (${q.timezone})`, { maxLength: 600 }));
    if (isPresetWindow(q.window)) md.appendMarkdown(escapeMarkdown(', resolved now; it moves with the clock', { maxLength: 600 }));
    for (const note of windowNotes(w, q.timezone, nowMs)) {
      md.appendMarkdown('\n\n');
      md.appendMarkdown(escapeMarkdown(note, { maxLength: 600 }));
    }
  } else {
    md.appendMarkdown(escapeMarkdown(`Cannot run: ${problems.map((p) => p.message).join(' ')}`, { maxLength: 600 }));
  }
  md.appendMarkdown('\n\n');
  md.appendMarkdown(escapeMarkdown(`${scopeLabel(scope)} query${q.folder ? ` in ${q.folder}` : ''}${q.account ? ` · account ${q.account}` : ''}`, { maxLength: 600 }));
  if (q.note) {
    md.appendMarkdown('\n\n---\n\n');
    md.appendMarkdown(escapeMarkdown(q.note, { maxLength: 600 }));
  }
  return md;
}
