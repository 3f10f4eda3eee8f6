import { describeLogic } from './logic';
import { PRESET_LABELS, WINDOW_PRESETS, resolvePreset, type ResolvedWindow, type WindowPreset } from './timeWindow';
import { isValidZone } from './wallClock';
import { UTC_TIMEZONE_ID } from './timezones';
import type { QueryFilter, StreamRequest, ValidationProblem } from './types';
import { normalizeRequest, validateStreamRequest } from './validation';

// The saved query: what a person keeps to run every day. It stores the *intent* (a relative window
// and an IANA zone), never a resolved request, so "yesterday" means yesterday whenever it runs and
// the zone's id is looked up against Everflow's list at run time. No vscode, no DOM: the webview
// form validates with this same code while the user types.

export type QueryWindow = { preset: WindowPreset } | { from: string; to: string };

export interface SavedQuery {
  /** Stable across renames and moves; unique within its file. */
  id: string;
  name: string;
  window: QueryWindow;
  /** IANA zone name, e.g. `America/New_York`; resolved to Everflow's id when the query runs. */
  timezone: string;
  filters: QueryFilter[];
  exclusions: QueryFilter[];
  /** Name of the Everflow account the query is meant for. */
  account?: string;
  /** `/`-separated folder path, e.g. `Daily` or `Team/Daily`. */
  folder?: string;
  note?: string;
}

export const QUERY_FIELDS = ['id', 'name', 'window', 'timezone', 'filters', 'exclusions', 'account', 'folder', 'note'] as const;

export const MAX_NAME_LENGTH = 100;
export const MAX_NOTE_LENGTH = 2000;
export const MAX_ACCOUNT_LENGTH = 60;
export const MAX_FOLDER_SEGMENT = 60;
export const MAX_FOLDER_DEPTH = 5;

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
// Control characters would break a tree label or a one-line quick pick; tabs and newlines included.
const CONTROL_RE = /\p{Cc}/u;

export function isPresetWindow(w: QueryWindow): w is { preset: WindowPreset } {
  return typeof (w as { preset?: unknown }).preset === 'string';
}

export function isWindowPreset(value: unknown): value is WindowPreset {
  return typeof value === 'string' && (WINDOW_PRESETS as readonly string[]).includes(value);
}

/** "Yesterday", or "2026-03-01 00:00:00 → 2026-03-14 23:59:59". */
export function describeWindow(w: QueryWindow): string {
  return isPresetWindow(w) ? PRESET_LABELS[w.preset] : `${w.from} → ${w.to}`;
}

/** The plain-English logic of the query's filters and exclusions. */
export function describeQueryLogic(q: Pick<SavedQuery, 'filters' | 'exclusions'>): string {
  return describeLogic({ filters: q.filters, exclusions: q.exclusions });
}

/** The wall-clock window the query covers if it runs at `nowMs`, in its own zone. */
export function resolveQueryWindow(q: Pick<SavedQuery, 'window' | 'timezone'>, nowMs: number = Date.now()): ResolvedWindow {
  return isPresetWindow(q.window) ? resolvePreset(q.window.preset, q.timezone, nowMs) : { from: q.window.from.trim(), to: q.window.to.trim() };
}

/**
 * The request the query sends at `nowMs`: relative windows resolve now, in the query's zone, so a
 * calendar preset covers whole local days across daylight-saving changes. `timezoneId` is Everflow's
 * id for `q.timezone` (looked up by IANA name by the caller). Validate the query first.
 */
export function toStreamRequest(q: SavedQuery, timezoneId: number, nowMs: number = Date.now()): StreamRequest {
  const window = resolveQueryWindow(q, nowMs);
  return normalizeRequest({ ...window, timezone_id: timezoneId, query: { filters: q.filters, exclusions: q.exclusions } });
}

/** A folder path's problem in words, or undefined. `''`/undefined (no folder) is valid. */
export function folderProblem(folder: unknown): string | undefined {
  if (folder === undefined) return undefined;
  if (typeof folder !== 'string') return 'The folder must be text, such as "Daily" or "Team/Daily".';
  if (folder.trim() === '') return 'The folder is empty; leave it out to keep the query at the top level.';
  const segments = folder.split('/');
  if (segments.length > MAX_FOLDER_DEPTH) return `Folders nest at most ${MAX_FOLDER_DEPTH} deep.`;
  for (const s of segments) {
    if (s.trim() === '') return `The folder "${clip(folder)}" has an empty part; write folder paths like "Team/Daily".`;
    if (s !== s.trim()) return `The folder part "${clip(s)}" starts or ends with a space.`;
    if (s.length > MAX_FOLDER_SEGMENT) return `The folder part "${clip(s)}" is longer than ${MAX_FOLDER_SEGMENT} characters.`;
    if (CONTROL_RE.test(s)) return 'The folder holds a control character (a tab or a line break); remove it.';
  }
  return undefined;
}

/** A query name's problem in words, or undefined. */
export function nameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.trim() === '') return 'The query needs a name, such as "Yesterday US on offers 883 and 518".';
  if (name.trim().length > MAX_NAME_LENGTH) return `Keep the name to ${MAX_NAME_LENGTH} characters or fewer (it has ${name.trim().length}).`;
  if (CONTROL_RE.test(name)) return 'The name holds a control character (a tab or a line break); keep it on one line.';
  return undefined;
}

export interface QueryValidationOptions {
  /** Everflow's IANA zone names; when given, a zone Everflow does not list is a problem. */
  knownZones?: readonly string[];
}

/**
 * Every problem with a saved query, each naming its field (`name`, `window.preset`, `window.from`,
 * `timezone`, `filters[1].resource_type`, …) so the form and the file diagnostics can show it where
 * it is. Takes `unknown` because queries come from hand-edited files and from the webview.
 */
export function validateSavedQuery(raw: unknown, opts: QueryValidationOptions = {}): ValidationProblem[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [{ field: '', message: 'A saved query must be an object with id, name, window, timezone, filters and exclusions.' }];
  }
  const q = raw as Record<string, unknown>;
  const problems: ValidationProblem[] = [];
  for (const key of Object.keys(q)) {
    if (!(QUERY_FIELDS as readonly string[]).includes(key)) {
      problems.push({ field: key, message: `"${clip(key)}" is not a field of a saved query; the fields are ${QUERY_FIELDS.join(', ')}.` });
    }
  }
  if (typeof q.id !== 'string' || !ID_RE.test(q.id)) {
    problems.push({ field: 'id', message: 'The id must be 1 to 64 letters, digits, "-" or "_"; it identifies the query across renames.' });
  }
  const nameIssue = nameProblem(q.name);
  if (nameIssue) problems.push({ field: 'name', message: nameIssue });
  problems.push(...windowProblems(q.window));
  problems.push(...timezoneProblems(q.timezone, opts.knownZones));
  problems.push(...filterProblems(q.filters, q.exclusions));
  if (q.account !== undefined && (typeof q.account !== 'string' || q.account.trim() === '' || q.account.length > MAX_ACCOUNT_LENGTH)) {
    problems.push({ field: 'account', message: `The account must be the name of one of your Everflow accounts (1 to ${MAX_ACCOUNT_LENGTH} characters), or left out.` });
  }
  const folderIssue = folderProblem(q.folder);
  if (folderIssue) problems.push({ field: 'folder', message: folderIssue });
  if (q.note !== undefined && (typeof q.note !== 'string' || q.note.length > MAX_NOTE_LENGTH)) {
    problems.push({ field: 'note', message: `The note must be text of at most ${MAX_NOTE_LENGTH} characters.` });
  }
  return problems;
}

function windowProblems(w: unknown): ValidationProblem[] {
  const presets = WINDOW_PRESETS.join(', ');
  if (typeof w !== 'object' || w === null || Array.isArray(w)) {
    return [{ field: 'window', message: `The window must be { "preset": "yesterday" } (one of ${presets}) or { "from": "…", "to": "…" }.` }];
  }
  const win = w as Record<string, unknown>;
  const problems: ValidationProblem[] = [];
  for (const key of Object.keys(win)) {
    if (!['preset', 'from', 'to'].includes(key)) problems.push({ field: `window.${key}`, message: `"${clip(key)}" is not part of a window; use "preset", or "from" and "to".` });
  }
  if ('preset' in win) {
    if ('from' in win || 'to' in win) {
      problems.push({ field: 'window', message: 'The window has both a preset and from/to; keep one of them.' });
    } else if (!isWindowPreset(win.preset)) {
      problems.push({ field: 'window.preset', message: `"${clip(String(win.preset))}" is not a window preset; use one of ${presets}.` });
    }
    return problems;
  }
  // Absolute windows are checked as a request would be (format, real dates, order), except that one
  // longer than Everflow's 14 days is allowed: it runs as consecutive ≤ 14-day requests, and the
  // form, the tree and the run say how many.
  const found = validateStreamRequest({ from: win.from as string, to: win.to as string, timezone_id: UTC_TIMEZONE_ID }, { splitLongWindows: true });
  for (const p of found) problems.push({ field: p.field === 'window' ? 'window' : `window.${p.field}`, message: p.message });
  return problems;
}

function timezoneProblems(zone: unknown, known: readonly string[] | undefined): ValidationProblem[] {
  if (typeof zone !== 'string' || zone.trim() === '') {
    return [{ field: 'timezone', message: 'The timezone is missing; give an IANA name such as "UTC" or "America/New_York".' }];
  }
  if (!isValidZone(zone.trim())) {
    return [{ field: 'timezone', message: `"${clip(zone)}" is not an IANA timezone name; use names such as "UTC", "Europe/London" or "America/New_York".` }];
  }
  if (known && known.length > 0 && !known.some((k) => sameZone(k, zone))) {
    return [{ field: 'timezone', message: `Everflow does not list the timezone "${clip(zone)}"; pick one of the zones it offers.` }];
  }
  return [];
}

/** True when both names denote the same zone (`Etc/UTC`, `GMT` and `UTC` are one). */
export function sameZone(a: string, b: string): boolean {
  const canon = (n: string) => (/^(Etc\/)?(UTC|UCT|GMT|Zulu|Universal)$/i.test(n.trim()) ? 'UTC' : n.trim());
  return canon(a) === canon(b);
}

function filterProblems(filters: unknown, exclusions: unknown): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const [name, list] of [['filters', filters], ['exclusions', exclusions]] as const) {
    if (list !== undefined && !Array.isArray(list)) {
      problems.push({ field: name, message: `"${name}" must be a list of { "resource_type", "filter_id_value" } items.` });
    }
  }
  if (problems.length) return problems;
  // Filters are checked by the request validation, so a saved query and an ad-hoc stream agree on
  // what is allowed; only the field names are mapped to the query's own.
  const found = validateStreamRequest({
    from: '2000-01-01 00:00:00',
    to: '2000-01-01 00:00:01',
    timezone_id: UTC_TIMEZONE_ID,
    query: { filters: filters as QueryFilter[] | undefined, exclusions: exclusions as QueryFilter[] | undefined },
  });
  for (const p of found) {
    const field = p.field.startsWith('query.') ? p.field.slice('query.'.length) : p.field === 'query' ? 'exclusions' : p.field;
    problems.push({ field, message: p.message });
  }
  return problems;
}

/**
 * A clean copy of a query that passed validation: trimmed text, filter values as strings (hand-written
 * files may hold numbers), empty optional fields dropped, keys in the file's order.
 */
export function normalizeSavedQuery(q: SavedQuery): SavedQuery {
  const list = (l: readonly QueryFilter[] | undefined): QueryFilter[] =>
    (l ?? []).map((f) => ({ resource_type: String(f.resource_type).trim(), filter_id_value: String(f.filter_id_value).trim() }));
  const out: SavedQuery = {
    id: q.id,
    name: q.name.trim(),
    window: isPresetWindow(q.window) ? { preset: q.window.preset } : { from: q.window.from.trim(), to: q.window.to.trim() },
    timezone: q.timezone.trim(),
    filters: list(q.filters),
    exclusions: list(q.exclusions),
  };
  if (q.account?.trim()) out.account = q.account.trim();
  if (q.folder) out.folder = q.folder;
  if (q.note?.trim()) out.note = q.note;
  return out;
}

function clip(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
