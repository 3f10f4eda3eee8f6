import * as vscode from 'vscode';
import { showInfo, showWarning } from '../notifications';
import * as config from '../config';
import { renderCurls, requestsForWindow, requestsJson } from '../core/requestText';
import { describeQueryLogic, describeWindow, toStreamRequest, validateSavedQuery, type SavedQuery } from '../core/savedQuery';
import { timezoneIdFor } from '../core/timezones';
import type { StreamRequest } from '../core/types';
import { validateStreamRequest } from '../core/validation';
import type { Services } from '../services';
import { isQueryScope, isWorkspaceScope, scopeLabel, type QueryScope } from '../storage/queryScopeStore';
import type { ScopedQuery } from '../storage/savedQueries';
import { withCancellableProgress } from '../host/progress';
import { availableScopes, nodeOf, resolveQuery, withQueryFileErrors } from './queryTargets';
import { executeStream } from './streamRun';

// Run a saved query, copy it as a request or cURL, open the queries file, refresh.

interface RunArgs {
  /** Tests and scripts: answers the restricted-mode confirmation. */
  confirmUntrusted?: boolean;
  /** Tests and scripts: 'switch' to the query's account, or run with the 'active' one, without asking. */
  accountChoice?: 'switch' | 'active';
}

/** Everflow's id for the query's zone, fetched (and cached) from /v1/meta/timezones. */
async function zoneIdFor(services: Services, zone: string, offline: boolean): Promise<number> {
  let id: number | undefined;
  try {
    id = await withCancellableProgress('Looking up the Everflow timezone…', (signal) => services.timezones.idFor(zone, signal));
  } catch (e) {
    // Copying text needs no request: with no key or no network, the documented ids will do.
    if (!offline) throw e;
    id = timezoneIdFor(zone, services.timezones.known());
  }
  if (id === undefined) throw new Error(`Everflow does not list the timezone "${zone}"; edit the query and pick one of the zones it offers.`);
  return id;
}

function assertRunnable(q: SavedQuery): void {
  const problems = validateSavedQuery(q);
  if (problems.length) throw new Error(`"${q.name}" cannot run: ${problems.map((p) => p.message).join(' ')}`);
}

/** The stream request the query sends now. */
export async function requestFor(services: Services, q: SavedQuery, offline = false): Promise<StreamRequest> {
  assertRunnable(q);
  const request = toStreamRequest(q, await zoneIdFor(services, q.timezone, offline));
  const problems = validateStreamRequest(request, { splitLongWindows: true });
  if (problems.length) throw new Error(`"${q.name}" cannot run: ${problems.map((p) => p.message).join(' ')}`);
  return request;
}

/**
 * Restricted Mode: a workspace's queries file is written by whoever controls the repository, so a
 * query from it sends a request with the user's key only after the user has seen what it asks for.
 */
async function trustAllows(target: ScopedQuery, args: RunArgs | undefined): Promise<boolean> {
  if (!isWorkspaceScope(target.scope) || vscode.workspace.isTrusted) return true;
  if (args?.confirmUntrusted !== undefined) return args.confirmUntrusted;
  const q = target.query;
  const choice = await showWarning(
    `Run "${q.name}" from this workspace's queries file?`,
    {
      modal: true,
      detail:
        'This workspace is in Restricted Mode, and its queries come from .vscode/everflow-queries.json, which anyone who can change the repository can edit. ' +
        `Running it sends a request with your API key for: ${describeQueryLogic(q)}, ${describeWindow(q.window)} (${q.timezone}).`,
    },
    'Run',
  );
  return choice === 'Run';
}

/** A query meant for another account: switch to it, or run with the active one. */
async function accountAllows(services: Services, q: SavedQuery, args: RunArgs | undefined): Promise<boolean> {
  if (!q.account) return true;
  const [all, active] = await Promise.all([services.accounts.list(), services.accounts.active()]);
  if (!active || active.name === q.account) return true;
  const wanted = all.find((a) => a.name === q.account);
  const SWITCH = `Switch to ${q.account} and Run`;
  const ACTIVE = `Run with ${active.name}`;
  const choice =
    args?.accountChoice === 'switch' ? SWITCH
    : args?.accountChoice === 'active' ? ACTIVE
    : await showWarning(
        `"${q.name}" is meant for the account "${q.account}", but "${active.name}" is active.`,
        { modal: true, detail: wanted ? undefined : `There is no account called "${q.account}" in this VS Code.` },
        ...(wanted ? [SWITCH, ACTIVE] : [ACTIVE]),
      );
  if (choice === SWITCH && wanted) {
    await services.accounts.setActive(wanted.id);
    return true;
  }
  return choice === ACTIVE;
}

/** Run Saved Query: progress with Cancel, then rows, duration and the cap; results open as set. */
export async function runSavedQuery(services: Services, arg?: unknown): Promise<boolean> {
  const target = await resolveQuery(services, arg, 'Run Saved Query');
  if (!target) return false;
  // Menus pass a tree node (and the selection as a second argument, ignored); scripts pass one object.
  const options = arg && typeof arg === 'object' && !('kind' in arg) ? (arg as RunArgs) : undefined;
  assertRunnable(target.query);
  if (!(await trustAllows(target, options))) return false;
  if (!(await accountAllows(services, target.query, options))) return false;
  const request = await requestFor(services, target.query);
  await executeStream(services, request, { label: target.query.name, zone: target.query.timezone, source: { scope: target.scope, queryId: target.query.id } });
  return true;
}

/** Copy Request as JSON: the body the query would send now (window resolved now). */
export async function copySavedQueryJson(services: Services, arg?: unknown): Promise<string | false> {
  const target = await resolveQuery(services, arg, 'Copy Request as JSON');
  if (!target) return false;
  const reqs = requestsForWindow(await requestFor(services, target.query, true), target.query.timezone);
  const text = requestsJson(reqs);
  await vscode.env.clipboard.writeText(text);
  void showInfo(
    reqs.length === 1
      ? `Copied the request of "${target.query.name}" (window resolved now) as JSON.`
      : `Copied the ${reqs.length} requests of "${target.query.name}" (window resolved now) as a JSON array: Everflow takes at most 14 days per request.`,
  );
  return text;
}

/** Copy as cURL: the same request as a command, with <YOUR_API_KEY> where the key goes. */
export async function copySavedQueryCurl(services: Services, arg?: unknown): Promise<string | false> {
  const target = await resolveQuery(services, arg, 'Copy as cURL');
  if (!target) return false;
  const reqs = requestsForWindow(await requestFor(services, target.query, true), target.query.timezone);
  const text = renderCurls(reqs, config.baseUrl());
  await vscode.env.clipboard.writeText(text);
  const what = reqs.length === 1 ? 'as cURL' : `as ${reqs.length} cURL commands (Everflow takes at most 14 days per request)`;
  void showInfo(`Copied "${target.query.name}" ${what}. Replace <YOUR_API_KEY> with your key when you run it; the key is never copied.`);
  return text;
}

async function pickScope(services: Services, title: string): Promise<QueryScope | undefined> {
  const scopes = availableScopes(services);
  if (scopes.length <= 1) return scopes[0];
  const pick = await vscode.window.showQuickPick(
    scopes.map((scope) => ({ label: scopeLabel(scope), description: isWorkspaceScope(scope) ? '.vscode/everflow-queries.json' : 'synced with Settings Sync', scope })),
    { title },
  );
  return pick?.scope;
}

/** Open Queries File: the workspace file (created when missing) or the user's queries, at the first problem if any. */
export async function openSavedQueriesFile(services: Services, arg?: unknown): Promise<string | false> {
  return withQueryFileErrors(async () => {
    const node = nodeOf(services, arg);
    const plain = arg as { scope?: QueryScope } | undefined;
    const scope = node?.scope ?? (isQueryScope(plain?.scope) ? plain.scope : await pickScope(services, 'Open Queries File'));
    if (!scope) return false;
    const store = services.savedQueries.store(scope);
    const state = await store.read();
    if (state.kind === 'unavailable') throw new Error(state.reason);
    if (state.kind === 'ok' && !state.exists) await store.update((file) => ({ file, result: undefined }));
    const uri = store.uri!;
    const first = state.kind === 'error' ? state.problems[0] : undefined;
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, first ? { selection: new vscode.Range(first.line, first.character, first.end.line, first.end.character) } : {});
    return uri.toString();
  });
}

export async function refreshSavedQueries(services: Services): Promise<boolean> {
  await services.savedQueries.reloadAll();
  return true;
}

/** Edit: opens the query's form; returns `scope:id` of the open form. */
export async function editSavedQuery(services: Services, arg?: unknown): Promise<string | false> {
  const target = await resolveQuery(services, arg, 'Edit Saved Query');
  if (!target) return false;
  services.queryEditors.open({ scope: target.scope, id: target.query.id });
  return `${target.scope}:${target.query.id}`;
}
