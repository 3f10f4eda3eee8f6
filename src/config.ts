import * as vscode from 'vscode';

// One typed configuration module, so every setting has one reader and one default. Settings are read when used, never cached, so a
// change applies to the next request without a reload.

export const CONFIG_SECTION = 'everflow';

export const DEFAULT_BASE_URL = 'https://api.eflow.team';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(CONFIG_SECTION);
}

/**
 * The API host. The setting is application-scoped, which VS Code already refuses to read from a
 * workspace; we still read only the user (global) value so that no workspace or folder file can
 * redirect requests that carry the key, whatever a future VS Code does with scopes.
 */
export function baseUrl(): string {
  const inspected = section().inspect<string>('baseUrl');
  const value = inspected?.globalValue ?? inspected?.defaultValue ?? DEFAULT_BASE_URL;
  return value.trim();
}

export function requestTimeoutMs(): number {
  const inspected = section().inspect<number>('requestTimeoutSeconds');
  const seconds = inspected?.globalValue ?? inspected?.defaultValue ?? 60;
  return Math.max(1, Math.min(600, Number(seconds) || 60)) * 1000;
}

export function requestsPerSecond(): number {
  const inspected = section().inspect<number>('requestsPerSecond');
  const value = inspected?.globalValue ?? inspected?.defaultValue ?? 5;
  return Math.max(0.1, Math.min(50, Number(value) || 5));
}

/** How often Everflow refills the account's rate-limit bucket: 30 s today (its rate-limiting page). */
export function rateLimitWindowMs(): number {
  const inspected = section().inspect<number>('rateLimitWindowSeconds');
  const value = inspected?.globalValue ?? inspected?.defaultValue ?? 30;
  return Math.max(1, Math.min(300, Number(value) || 30)) * 1000;
}

// ---- hovers, terminal links and bulk look-up --------------------------------------------------

export const DEFAULT_HOVER_LANGUAGES: readonly string[] = ['log', 'plaintext', 'json', 'jsonl', 'ndjson'];
export const DEFAULT_HOVER_FILE_PATTERNS: readonly string[] = ['**/*.log', '**/*.log.*'];

/** The settings that decide which documents get the hover provider (re-registered on change). */
export const HOVER_SELECTOR_KEYS = ['hover.enabled', 'hover.languages', 'hover.filePatterns'] as const;
export const HOVER_CACHE_KEYS = ['hover.cacheSize', 'hover.cacheTtlMinutes'] as const;

function stringList(key: string, fallback: readonly string[]): string[] {
  const value = section().get<unknown>(key);
  if (!Array.isArray(value)) return [...fallback];
  return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}

function clampedNumber(key: string, fallback: number, min: number, max: number): number {
  const value = Number(section().get<unknown>(key));
  return Number.isFinite(value) ? Math.max(min, Math.min(max, value)) : fallback;
}

export function hoverEnabled(): boolean {
  return section().get<boolean>('hover.enabled', true) !== false;
}

export function hoverLanguages(): string[] {
  return stringList('hover.languages', DEFAULT_HOVER_LANGUAGES);
}

export function hoverFilePatterns(): string[] {
  return stringList('hover.filePatterns', DEFAULT_HOVER_FILE_PATTERNS);
}

/**
 * The transaction-id pattern, or undefined for the default. Declared a restricted setting in
 * package.json, so an untrusted workspace cannot hand the detector a catastrophic regular expression.
 */
export function hoverIdPattern(): string | undefined {
  const value = section().get<unknown>('hover.idPattern');
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function hoverCacheSize(): number {
  return Math.round(clampedNumber('hover.cacheSize', 500, 1, 100_000));
}

export function hoverCacheTtlMs(): number {
  return clampedNumber('hover.cacheTtlMinutes', 30, 0, 24 * 60) * 60_000;
}

/**
 * "Not found" is kept for a shorter time than a click: a click can reach the API a little after its
 * id is logged, and hovering the id again should then find it.
 */
export function hoverNegativeCacheTtlMs(): number {
  return Math.min(hoverCacheTtlMs(), 5 * 60_000);
}

export function hoverTimeBudgetMs(): number {
  return Math.round(clampedNumber('hover.timeBudgetMs', 700, 0, 10_000));
}

/** An IANA zone name, or undefined for the machine's own zone. */
export function hoverTimezone(): string | undefined {
  const value = section().get<unknown>('hover.timezone');
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

// ---- saved queries ------------------------------------------------------------------------------

/**
 * The zone new saved queries start with (an IANA name), or undefined for the machine's own zone. A
 * workspace may set it: a team agrees on the zone its reports are read in.
 */
export function defaultQueryTimezone(): string | undefined {
  const value = section().get<unknown>('queries.defaultTimezone');
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

// ---- results ------------------------------------------------------------------------------------

export type ResultsOpenIn = 'grid' | 'json' | 'ask';

/** Where results open: the grid, a read-only JSON document, or ask each time. */
export function resultsOpenIn(): ResultsOpenIn {
  const value = section().get<unknown>('results.openIn');
  return value === 'json' || value === 'ask' ? value : 'grid';
}

/** Most clicks "Fetch all" keeps; it stops there and says so. */
export function resultsMaxRows(): number {
  return Math.round(clampedNumber('results.maxRows', 100_000, 5_000, 1_000_000));
}

/** Fires `listener` when any of the given `everflow.*` keys change. */
export function onDidChange(keys: readonly string[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (keys.some((k) => e.affectsConfiguration(`${CONFIG_SECTION}.${k}`))) listener();
  });
}

// ---- conversions --------------------------------------------------------------------------------

/** Days after a click its conversions are looked for (1…365, default 30); windows are capped at now. */
export function conversionsAttributionDays(): number {
  return Math.floor(clampedNumber('conversions.attributionDays', 30, 1, 365));
}

/** Whether every new results grid gets its conversions added at once ("Add Conversions"); off by default. */
export function conversionsAddAutomatically(): boolean {
  return section().get<unknown>('conversions.addAutomatically') === true;
}
