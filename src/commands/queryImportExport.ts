import * as vscode from 'vscode';
import { showError, showInfo } from '../notifications';
import { emptyQueriesFile, parseQueriesFile, serializeQueriesFile, type QueriesFile } from '../core/queriesFile';
import { mergeQueries } from '../core/queryCollection';
import type { Services } from '../services';
import { isWorkspaceScope, scopeLabel, type QueryScope } from '../storage/queryScopeStore';
import { availableScopes, nodeOf, withQueryFileErrors } from './queryTargets';
import { newQueryId } from './savedQueryEdits';

// Export and Import: a queries file in the same format as the workspace file, through the save and
// open dialogs. Imports add queries and never replace one; a file with problems imports nothing.

interface ExportArgs {
  scope?: QueryScope | 'all';
  /** A file URI (string); skips the save dialog. */
  target?: string;
}

interface ImportArgs {
  /** A file URI (string); skips the open dialog. */
  source?: string;
  scope?: QueryScope;
}

const FILTERS = { 'Everflow queries': ['json'] };

function defaultFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

export async function exportSavedQueries(services: Services, arg?: unknown): Promise<string | false> {
  const node = nodeOf(services, arg);
  const args = node ? undefined : (arg as ExportArgs | undefined);
  let scope: QueryScope | 'all' | undefined = node?.scope ?? args?.scope;
  if (!scope) {
    const items = [
      ...availableScopes(services).map((s) => ({ label: scopeLabel(s), scope: s as QueryScope | 'all' })),
      { label: 'Both', scope: 'all' as const },
    ];
    scope = (await vscode.window.showQuickPick(items, { title: 'Export Queries: which?' }))?.scope;
  }
  if (!scope) return false;
  let file: QueriesFile = emptyQueriesFile();
  for (const s of scope === 'all' ? availableScopes(services) : [scope]) {
    const state = await services.savedQueries.store(s).read();
    if (state.kind === 'error') throw new Error(`${scopeLabel(s)} queries have an error; fix the file before exporting (Everflow: Open Queries File).`);
    if (state.kind === 'ok') file = mergeQueries(file, state.file, newQueryId).file;
  }
  if (file.queries.length === 0) {
    void showInfo('There are no queries to export.');
    return false;
  }
  const base = defaultFolder();
  const target = args?.target
    ? vscode.Uri.parse(args.target)
    : await vscode.window.showSaveDialog({
        title: `Export ${file.queries.length} Everflow quer${file.queries.length === 1 ? 'y' : 'ies'}`,
        defaultUri: base ? vscode.Uri.joinPath(base, 'everflow-queries.export.json') : undefined,
        filters: FILTERS,
        saveLabel: 'Export',
      });
  if (!target) return false;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(serializeQueriesFile(file)));
  void showInfo(`Exported ${file.queries.length} quer${file.queries.length === 1 ? 'y' : 'ies'} to ${target.fsPath || target.toString()}. The file holds no API key.`);
  return target.toString();
}

export async function importSavedQueries(services: Services, arg?: unknown): Promise<number | false> {
  return withQueryFileErrors(async () => {
    const node = nodeOf(services, arg);
    const args = node ? undefined : (arg as ImportArgs | undefined);
    const source = args?.source
      ? vscode.Uri.parse(args.source)
      : (await vscode.window.showOpenDialog({ title: 'Import Everflow queries', canSelectMany: false, filters: FILTERS, defaultUri: defaultFolder(), openLabel: 'Import' }))?.[0];
    if (!source) return false;
    const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(source)).replace(/^\uFEFF/, '');
    const parsed = parseQueriesFile(text);
    if (!parsed.ok) {
      const p = parsed.problems[0];
      const more = parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more)` : '';
      void showError(`Nothing was imported: the file has an error at line ${p.line + 1}, column ${p.character + 1}: ${p.message}${more}`, 'Open File').then((c) => {
        if (c) void vscode.window.showTextDocument(source, { selection: new vscode.Range(p.line, p.character, p.end.line, p.end.character) });
      });
      return false;
    }
    if (parsed.file.queries.length === 0) {
      void showInfo('The file holds no queries.');
      return 0;
    }
    let scope = node?.scope ?? args?.scope;
    if (!scope) {
      const scopes = availableScopes(services);
      scope =
        scopes.length === 1
          ? scopes[0]
          : (await vscode.window.showQuickPick(
              scopes.map((s) => ({ label: scopeLabel(s), description: isWorkspaceScope(s) ? 'shared with your team' : 'only you', scope: s })),
              { title: `Import ${parsed.file.queries.length} queries into…` },
            ))?.scope;
    }
    if (!scope) return false;
    const result = await services.savedQueries.store(scope).update((file) => {
      const merged = mergeQueries(file, parsed.file, newQueryId);
      return { file: merged.file, result: merged };
    });
    const skipped = result.unchanged ? ` (${result.unchanged} already there)` : '';
    void showInfo(`Imported ${result.added.length} quer${result.added.length === 1 ? 'y' : 'ies'} into ${scopeLabel(scope)}${skipped}.`);
    return result.added.length;
  });
}
