import type * as vscode from 'vscode';
import { ResultPresenter } from './results/presenter';
import type { ResultDocuments } from './results/resultDocuments';
import { QueryEditors, type QueryEditorDeps } from './webviews/queryEditorPanel';
import { ResultGrids, type GridDeps } from './webviews/resultGrids';

// The webview side of the host (the results grids with everything under them, the saved-query form,
// where results open), built on first use: src/lazyPanels.ts loads this file, a chunk of its own,
// the first time a command, a chat tool or a restored grid needs it, so activation does not compile it.

export interface Panels extends vscode.Disposable {
  readonly grids: ResultGrids;
  readonly results: ResultPresenter;
  readonly queryEditors: QueryEditors;
}

export type PanelDeps = GridDeps & QueryEditorDeps & { readonly documents: ResultDocuments };

export function createPanels(context: vscode.ExtensionContext, deps: PanelDeps): Panels {
  const grids = new ResultGrids(context, deps);
  const queryEditors = new QueryEditors(deps);
  return {
    grids,
    results: new ResultPresenter(deps.documents, grids),
    queryEditors,
    dispose: () => {
      grids.dispose();
      queryEditors.dispose();
    },
  };
}
