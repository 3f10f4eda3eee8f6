import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

// Webview hygiene in one place, so no page can differ: CSP `default-src 'none'`, scripts only by a fresh
// nonce, styles only from the extension's own files (plus the nonce'd element styles that web
// components inject), images only from the extension and data: URIs, no network at all. Every
// webview of the extension gets its HTML here, so no page can loosen the policy by accident.

export interface WebviewPage {
  /** Shown as the document title (screen readers); plain text. */
  title: string;
  /** Bundle name: `dist/webview/<script>.js` built from `webview/<script>Main.ts`. */
  script: string;
  /** Extra style sheets under `media/` or `dist/webview/`, relative to the extension root. */
  styles?: string[];
}

/** Resource roots a webview may load from: the webview bundles and `media/`. */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: webviewRoots(extensionUri), enableCommandUris: false };
}

export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const asUri = (rel: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...rel.split('/'))).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  const styles = (page.styles ?? []).map((s) => `<link rel="stylesheet" href="${escapeAttr(asUri(s))}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <meta name="csp-nonce" content="${nonce}">
    ${styles}
    <title>${escapeText(page.title)}</title>
  </head>
  <body>
    <div id="app"></div>
    <script nonce="${nonce}" src="${escapeAttr(asUri(`dist/webview/${page.script}.js`))}"></script>
  </body>
</html>`;
}

function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string);
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
