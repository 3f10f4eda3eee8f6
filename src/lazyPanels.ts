import * as vscode from 'vscode';
import { LazyPart } from './lazyPart';
import type { Panels } from './panels';

/**
 * The view type of the results grids (RESULTS_VIEW_TYPE in src/webviews/resultGridPanel.ts, and the
 * `onWebviewPanel:` activation event in package.json). Written out here because importing it would
 * bring the whole grid host into activation.
 */
const RESULTS_VIEW_TYPE = 'everflow.results';

/**
 * The grids, the query form and the presenter (src/panels.ts), a lazy part like the client: loaded
 * the first time something needs them. Activation only registers the grids' reload serializer, as
 * VS Code requires of it: a grid restored after a reload loads the panels and is handed to them; from
 * then on the grids' own serializer takes over.
 */
export class LazyPanels implements vscode.Disposable {
  private readonly part: LazyPart<Panels>;
  private serializer: vscode.Disposable | undefined;

  constructor(create: () => Promise<() => Panels>) {
    this.part = new LazyPart('the results panels', async () => {
      const build = await create();
      // Handed over in one step: ResultGrids registers the same view type, which VS Code allows once.
      this.serializer?.dispose();
      this.serializer = undefined;
      return build();
    });
    this.serializer = vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => (await this.load()).grids.restore(panel, state),
    });
  }

  /** The panels, loaded on the first call; every later call gets the same ones. */
  load(): Promise<Panels> {
    return this.part.load();
  }

  /** The panels once loaded; undefined before (then no grid or form exists yet). */
  get current(): Panels | undefined {
    return this.part.current;
  }

  /** For code that only runs after `load()` (commands and chat tools wait for it before they run). */
  get(): Panels {
    return this.part.get();
  }

  dispose(): void {
    this.serializer?.dispose();
    this.serializer = undefined;
    this.part.dispose();
  }
}
