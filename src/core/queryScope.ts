// The places saved queries live, named without VS Code types so the webviews can share them.

/**
 * Where queries live: the user's synced store, or a workspace folder's `.vscode/everflow-queries.json`.
 * With one folder open its scope is "workspace"; in a multi-root workspace each folder has its own,
 * "workspace:<folder name>" (and "workspace" still names the first, so scripts keep working).
 */
export type QueryScope = 'user' | 'workspace' | `workspace:${string}`;

export const SCOPE_LABELS = { workspace: 'Workspace', user: 'User' } as const;

export function isQueryScope(v: unknown): v is QueryScope {
  return v === 'user' || v === 'workspace' || (typeof v === 'string' && /^workspace:./.test(v));
}

export function isWorkspaceScope(scope: QueryScope): boolean {
  return scope !== 'user';
}

/** "User", "Workspace", or "Workspace · api" for a folder of a multi-root workspace. */
export function scopeLabel(scope: QueryScope): string {
  if (scope === 'user') return SCOPE_LABELS.user;
  return scope === 'workspace' ? SCOPE_LABELS.workspace : `${SCOPE_LABELS.workspace} · ${scope.slice('workspace:'.length)}`;
}

/**
 * The scope of each workspace folder, in order: "workspace" for a single folder; in a multi-root
 * workspace "workspace:<name>", with " (2)", " (3)" … after a name two folders share.
 */
export function workspaceScopes(folderNames: readonly string[]): QueryScope[] {
  if (folderNames.length <= 1) return folderNames.map(() => 'workspace');
  const seen = new Map<string, number>();
  return folderNames.map((raw) => {
    const name = raw.trim() || 'folder';
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return `workspace:${n === 1 ? name : `${name} (${n})`}` as QueryScope;
  });
}
