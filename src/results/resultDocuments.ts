import * as vscode from 'vscode';

// Results as read-only JSON documents. A content provider's documents cannot be edited or saved
// over, which is what a fetched result should be; "Save As" still works. Contents live in memory
// only while the document is open.

export const RESULT_SCHEME = 'everflow-result';

export class ResultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];
  private counter = 0;

  constructor() {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === RESULT_SCHEME) this.contents.delete(doc.uri.toString());
      }),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '// This result is no longer in memory. Run the query or look-up again.\n';
  }

  /** Opens `value` as formatted JSON in a new read-only editor titled `title`. */
  async open(title: string, value: unknown): Promise<vscode.TextEditor> {
    // Titles become a URI path: keep them to characters that are safe in a file name.
    const safeTitle = title.replace(/[^\p{L}\p{N} ._()+,=@-]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 80) || 'result';
    const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${safeTitle}.json`, query: String(++this.counter) });
    this.contents.set(uri.toString(), JSON.stringify(value, null, 2) + '\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    const typed = doc.languageId === 'json' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'json');
    return vscode.window.showTextDocument(typed, { preview: false });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.contents.clear();
  }
}
