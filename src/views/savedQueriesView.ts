import * as vscode from 'vscode';

/**
 * The saved-queries view. Until saved queries exist, the tree is empty on purpose: its welcome
 * content (package.json `viewsWelcome`) shows what to do next, keyed on `everflow.hasApiKey`.
 */
export class SavedQueriesView implements vscode.TreeDataProvider<never>, vscode.Disposable {
  private readonly view: vscode.TreeView<never>;

  constructor() {
    this.view = vscode.window.createTreeView('everflow.savedQueries', { treeDataProvider: this });
  }

  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }

  getChildren(): never[] {
    return [];
  }

  dispose(): void {
    this.view.dispose();
  }
}
