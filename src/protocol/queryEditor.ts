// The saved-query form's messages: src/webviews/queryEditorPanel.ts ↔ webview/queryEditorMain.ts. Typed
// messages between the extension host and the webview, checked at run time on arrival and imported by both
// sides, so it holds types and small pure guards only: no vscode, no DOM. Discriminated unions on
// `type`, a `ready` handshake before the host posts any data (src/webviews/webviewHost.ts), and request
// ids echoed in replies so a late answer is never taken for the current one.

import type { QueryScope } from '../core/queryScope';
import type { SavedQuery } from '../core/savedQuery';
import type { ValidationProblem } from '../core/types';

export interface QueryEditorInit {
  scope: QueryScope;
  /** e.g. "Workspace · .vscode/everflow-queries.json". */
  scopeLabel: string;
  query: SavedQuery;
  /** Everflow's IANA zone names (its list when fetched, else the documented ones). */
  zones: string[];
  /** True when `zones` is Everflow's own list, so a zone outside it is a problem. */
  zonesFromEverflow: boolean;
  /** Names of the Everflow accounts in this VS Code (a query may name one). */
  accounts: string[];
  /** Existing folders of the scope, offered as suggestions. */
  folders: string[];
}

/** Webview → host. */
export type QueryEditorToHost =
  | { type: 'ready' }
  /** `draft` is whatever the form holds; the host validates it again before writing anything. */
  | { type: 'save'; requestId: number; draft: unknown; thenRun: boolean }
  | { type: 'close' };

/** Host → webview. */
export type HostToQueryEditor =
  | { type: 'init'; init: QueryEditorInit }
  | { type: 'saved'; requestId: number; query: SavedQuery }
  /** Nothing was written: the problems by field, and/or a message (e.g. the file has an error). */
  | { type: 'saveFailed'; requestId: number; problems: ValidationProblem[]; message?: string }
  /** The query changed or disappeared in the file while the form was open. */
  | { type: 'externalChange'; query: SavedQuery | undefined };

/** True when `m` is a message the query editor webview may send (checked before the host acts). */
export function isQueryEditorToHost(m: unknown): m is QueryEditorToHost {
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as { type?: unknown; requestId?: unknown; thenRun?: unknown };
  switch (msg.type) {
    case 'ready':
    case 'close':
      return true;
    case 'save':
      return typeof msg.requestId === 'number' && typeof msg.thenRun === 'boolean' && 'draft' in msg;
    default:
      return false;
  }
}
