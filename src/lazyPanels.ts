import * as vscode from 'vscode';
import type { Panels } from './panels';

/**
 * The view type of the results grids (RESULTS_VIEW_TYPE in src/webviews/resultGridPanel.ts, and the
 * `onWebviewPanel:` activation event in package.json). Written out here because importing it would
 * bring the whole grid host into activation.
 */
const RESULTS_VIEW_TYPE = 'everflow.results';

/**
 * The grids, the query form and the presenter (src/panels.ts), loaded the first time something needs
 * them. Activation only registers the grids' reload serializer, as VS Code requires of it: a grid
 * restored after a reload loads the panels and is handed to them; from then on the grids' own
 * serializer takes over.
 */
export class LazyPanels implements vscode.Disposable {
  private loaded: Panels | undefined;
  private loading: Promise<Panels> | undefined;
  private serializer: vscode.Disposable | undefined;
  private disposed = false;

  constructor(private readonly create: () => Promise<() => Panels>) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => (await this.load()).grids.restore(panel, state),
    });
  }

  /** The panels, loaded on the first call; every later call gets the same ones. */
  load(): Promise<Panels> {
    this.loading ??= this.create().then((build) => {
      if (this.disposed) throw new Error('The extension is shutting down.');
      // Handed over in one step: ResultGrids registers the same view type, which VS Code allows once.
      this.serializer?.dispose();
      this.serializer = undefined;
      this.loaded = build();
      return this.loaded;
    });
    return this.loading;
  }

  /** The panels once loaded; undefined before (then no grid or form exists yet). */
  get current(): Panels | undefined {
    return this.loaded;
  }

  /** For code that only runs after `load()` (commands and chat tools wait for it before they run). */
  get(): Panels {
    if (!this.loaded) throw new Error('Internal error: the results panels were used before they were loaded.');
    return this.loaded;
  }

  dispose(): void {
    this.disposed = true;
    this.serializer?.dispose();
    this.loaded?.grids.dispose();
    this.loaded?.queryEditors.dispose();
  }
}
