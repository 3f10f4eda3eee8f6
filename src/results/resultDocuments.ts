import * as vscode from 'vscode';
import type { Click } from '../core/types';
import type { ResultSet } from './resultSet';

// Results as read-only JSON documents. A content provider's documents cannot be edited or saved
// over, which is what a fetched result should be; "Save As" still works. Contents live in memory
// only while the document is open.

export const RESULT_SCHEME = 'everflow-result';

/** VS Code does not sync documents over 50 MB to extensions, so it cannot open bigger ones for us. */
export const MAX_DOCUMENT_CHARS = 50 * 1024 * 1024;

/** Thrown by `open` for a value whose JSON is over MAX_DOCUMENT_CHARS; callers offer the grid or an export. */
export class DocumentTooLargeError extends Error {
  constructor(readonly chars: number) {
    super(`As a JSON document this is ${Math.ceil(chars / 1024 / 1024)} MB, more than the 50 MB VS Code can open.`);
  }
}

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
    return this.openText(title, JSON.stringify(value, null, 2) + '\n', 'json');
  }

  /** Opens `text` (already written for reading: a trace) as a read-only Markdown document. */
  openMarkdown(title: string, text: string): Promise<vscode.TextEditor> {
    return this.openText(title, text, 'markdown');
  }

  private async openText(title: string, text: string, language: 'json' | 'markdown'): Promise<vscode.TextEditor> {
    // Titles become a URI path: keep them to characters that are safe in a file name.
    const safeTitle = title.replace(/[^\p{L}\p{N} ._()+,=@-]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 80) || 'result';
    const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${safeTitle}.${language === 'json' ? 'json' : 'md'}`, query: String(++this.counter) });
    if (text.length > MAX_DOCUMENT_CHARS) throw new DocumentTooLargeError(text.length);
    this.contents.set(uri.toString(), text);
    const doc = await vscode.workspace.openTextDocument(uri);
    const typed = doc.languageId === language ? doc : await vscode.languages.setTextDocumentLanguage(doc, language);
    return vscode.window.showTextDocument(typed, { preview: false });
  }

  /**
   * A result as a document of what Everflow sent: the result's record, then each request beside its
   * response as received (src/core/asSent.ts); for look-ups, each click as received with the requests
   * that fetched them. With `rows`, only those rows, each as sent.
   */
  async openResult(result: ResultSet, rows?: readonly Click[], title = result.title): Promise<vscode.TextEditor> {
    // Loaded with the first such document, not at activation (they bring the client's request code along).
    const [{ exchangesOf, withConversionExchanges }, { asSentDocument, rowsAsSentDocument }] = await Promise.all([import('./exchanges.js'), import('../core/asSent.js')]);
    const exchanges = exchangesOf(result);
    // A look-up's response is the click itself: the clicks as sent, with the requests that fetched them.
    const lookUp = result.request.kind === 'click' || result.request.kind === 'bulk';
    const single = result.request.kind === 'click' && (rows ?? result.rows).length === 1;
    const body = rows
      ? rowsAsSentDocument({ request: { ...result.request, rows: rows.length }, exchanges, rows, single })
      : lookUp
        ? rowsAsSentDocument({ request: result.request, exchanges, rows: result.rows, single })
        : asSentDocument({ request: result.request, exchanges, rows: result.rows });
    return this.open(title, withConversionExchanges(body, result));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.contents.clear();
  }
}
