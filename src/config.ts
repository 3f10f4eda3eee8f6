import * as vscode from 'vscode';

// One typed configuration module (conventions §7). Settings are read when used, never cached, so a
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

/** Fires `listener` when any of the given `everflow.*` keys change. */
export function onDidChange(keys: readonly string[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (keys.some((k) => e.affectsConfiguration(`${CONFIG_SECTION}.${k}`))) listener();
  });
}
