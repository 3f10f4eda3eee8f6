import * as vscode from 'vscode';
import { showInfo, showWarning } from '../notifications';
import * as config from '../config';
import { resourceTypeLabel } from '../core/logic';
import { withQuery } from '../core/queryCollection';
import { describeQueryLogic, nameProblem, normalizeSavedQuery, validateSavedQuery, type SavedQuery } from '../core/savedQuery';
import { RESOURCE_TYPES, type QueryFilter } from '../core/types';
import type { Services } from '../services';
import { scopeLabel, type QueryScope } from '../storage/queryScopeStore';
import { resourceTypeIcon } from '../views/queryTreeNodes';
import { pickPlace, placeFromArg, withQueryFileErrors } from './queryTargets';
import { newQueryId } from './savedQueryEdits';
import { pickWindow, pickZone } from './streamPickers';
import { CommandIds } from '../host/commandIds';

// New Saved Query from the palette: name → window → timezone → filters (a loop: add, remove, done)
// → where to save. Invoked on a scope or folder, that place is preselected. A `{ scope, query }`
// argument saves without prompts (scripts and tests); it is validated like everything else.

const STEPS = 5;
const title = (n: number, what: string) => `New Saved Query (${n}/${STEPS}): ${what}`;

interface NewQueryArgs {
  scope?: QueryScope;
  folder?: string;
  query?: Partial<SavedQuery>;
}

/** The zone a new query starts with: the setting, else this machine's zone. */
export function defaultZone(): string {
  return config.defaultQueryTimezone() ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export async function newSavedQuery(services: Services, arg?: unknown): Promise<string | false> {
  return withQueryFileErrors(async () => {
    const plain = arg as NewQueryArgs | undefined;
    if (plain?.query && plain.scope) {
      const query = { filters: [], exclusions: [], ...plain.query, id: plain.query.id ?? newQueryId() } as SavedQuery;
      if (plain.folder) query.folder = plain.folder;
      return save(services, plain.scope, query);
    }
    const place = placeFromArg(services, arg, false);

    const name = await vscode.window.showInputBox({
      title: title(1, 'name'),
      prompt: 'What the query is for, e.g. "Yesterday US on offers 883 and 518"',
      ignoreFocusOut: true,
      validateInput: nameProblem,
    });
    if (name === undefined) return false;

    const previewZone = defaultZone();
    const window = await pickWindow(previewZone, title(2, 'time window'));
    if (!window) return false;

    const zone = await pickZone(services, title(3, 'timezone'), previewZone);
    if (!zone) return false;

    const lists = await editFilters({ filters: [], exclusions: [] });
    if (!lists) return false;

    const dest = place ?? (await pickPlace(services, title(5, 'save to'), { scope: services.savedQueries.workspace.state().kind === 'unavailable' ? 'user' : services.savedQueries.workspace.scope, folder: undefined }));
    if (!dest) return false;

    const query: SavedQuery = { id: newQueryId(), name: name.trim(), window, timezone: zone.zone, ...lists };
    if (dest.folder) query.folder = dest.folder;
    const id = await save(services, dest.scope, query);
    void showInfo(`Saved "${query.name}" to ${scopeLabel(dest.scope)}${dest.folder ? ` / ${dest.folder}` : ''}.`, 'Run', 'Edit').then((choice) => {
      if (choice === 'Run') void vscode.commands.executeCommand(CommandIds.runSavedQuery, { scope: dest.scope, id });
      if (choice === 'Edit') void vscode.commands.executeCommand(CommandIds.editSavedQuery, { scope: dest.scope, id });
    });
    return id;
  });
}

async function save(services: Services, scope: QueryScope, query: SavedQuery): Promise<string> {
  const problems = validateSavedQuery(query);
  if (problems.length) throw new Error(`The query was not saved: ${problems.map((p) => `${p.field || 'query'}: ${p.message}`).join(' ')}`);
  const clean = normalizeSavedQuery(query);
  await services.savedQueries.store(scope).update((file) => {
    if (file.queries.some((q) => q.id === clean.id)) throw new Error(`A query with the id "${clean.id}" already exists in ${scopeLabel(scope)}.`);
    return { file: withQuery(file, clean), result: undefined };
  });
  return clean.id;
}

type Lists = Pick<SavedQuery, 'filters' | 'exclusions'>;
type LoopItem = vscode.QuickPickItem & { action: 'add' | 'exclude' | 'done' | 'remove'; excluded?: boolean; index?: number };

/** The filters loop: each current item (select to remove), Add filter, Add exclusion, Done. */
async function editFilters(start: Lists): Promise<Lists | undefined> {
  const lists: Lists = { filters: [...start.filters], exclusions: [...start.exclusions] };
  for (;;) {
    // Actions first, so Enter never removes a filter by accident; current items below, to remove.
    const items: LoopItem[] = [
      { label: '$(add) Add a filter…', description: 'same type: OR · different types: AND', action: 'add' },
      { label: '$(circle-slash) Add an exclusion…', description: 'removes matching clicks', action: 'exclude' },
      { label: '$(check) Done', description: describeQueryLogic(lists), action: 'done' },
    ];
    if (lists.filters.length + lists.exclusions.length > 0) {
      items.push(
        { label: 'select one to remove it', kind: vscode.QuickPickItemKind.Separator, action: 'done' },
        ...lists.filters.map((f, index): LoopItem => ({ label: `$(${resourceTypeIcon(f.resource_type)}) ${resourceTypeLabel(f.resource_type)} = ${f.filter_id_value}`, description: 'filter', action: 'remove', index })),
        ...lists.exclusions.map((f, index): LoopItem => ({ label: `$(${resourceTypeIcon(f.resource_type)}) ${resourceTypeLabel(f.resource_type)} ≠ ${f.filter_id_value}`, description: 'exclusion', action: 'remove', excluded: true, index })),
      );
    }
    const pick = await vscode.window.showQuickPick(items, { title: title(4, `filters — ${describeQueryLogic(lists)}`), placeHolder: 'Add filters, then Done', ignoreFocusOut: true });
    if (!pick) return undefined;
    if (pick.action === 'done') return lists;
    if (pick.action === 'remove') {
      (pick.excluded ? lists.exclusions : lists.filters).splice(pick.index!, 1);
      continue;
    }
    const excluded = pick.action === 'exclude';
    const filter = await askFilter(excluded);
    if (!filter) continue;
    const next: Lists = excluded ? { ...lists, exclusions: [...lists.exclusions, filter] } : { ...lists, filters: [...lists.filters, filter] };
    // Checked as a whole: a repeat, or a value both filtered and excluded, is refused and named.
    const problems = validateSavedQuery({ id: 'x', name: 'x', window: { preset: 'today' }, timezone: 'UTC', ...next });
    if (problems.length) {
      void showWarning(`Not added: ${problems.map((p) => p.message).join(' ')}`);
      continue;
    }
    Object.assign(lists, next);
  }
}

async function askFilter(excluded: boolean): Promise<QueryFilter | undefined> {
  const what = excluded ? 'exclusion' : 'filter';
  const type = await vscode.window.showQuickPick(
    RESOURCE_TYPES.map((t) => ({ label: `$(${resourceTypeIcon(t)}) ${resourceTypeLabel(t)}`, description: t === resourceTypeLabel(t) ? undefined : t, type: t })),
    { title: `New Saved Query (4/${STEPS}): ${what} type`, matchOnDescription: true, ignoreFocusOut: true },
  );
  if (!type) return undefined;
  const hint = type.type === 'country' ? 'the country name, e.g. United States' : type.type === 'offer' ? 'the offer id, e.g. 883' : 'the value to match';
  const value = await vscode.window.showInputBox({
    title: `New Saved Query (4/${STEPS}): ${resourceTypeLabel(type.type)} ${excluded ? '≠' : '='} …`,
    prompt: `${excluded ? 'Exclude' : 'Match'} ${hint}`,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Type a value, or press Escape to go back.'),
  });
  return value?.trim() ? { resource_type: type.type, filter_id_value: value.trim() } : undefined;
}
