// Benchmark-only extension: times `vscode.Extension.activate()` of other extensions in the extension
// host that code-server started for the browser, and writes the times to a file the benchmark waits
// for. That call is what VS Code itself does on an activation event: read and compile the module,
// call its activate(), wait for the promise. scripts/bench-activation.mjs installs it next to the
// production build of Everflow Clicks and two empty extensions (the baseline), and reloads the window
// once per run so every run gets a fresh extension host.
/* global performance */
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

function activate(context) {
  const config = JSON.parse(fs.readFileSync(path.join(context.extensionPath, 'config.json'), 'utf8'));
  // Let the start-up activations of the built-in extensions finish first: they share the thread.
  setTimeout(() => void measure(config), config.settleMs);
}

async function measure(config) {
  // A window that restores a log editor (the bench's `restoreLog` passes): the first load opens the
  // log (a path in the workspace folder), pinned, so every reload after it restores the editor while
  // the window starts.
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (config.open && folder) {
    const file = vscode.Uri.joinPath(folder.uri, config.open);
    if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === file.toString())) await vscode.window.showTextDocument(file, { preview: false });
  }
  const results = [];
  for (const id of config.ids) {
    const ext = vscode.extensions.getExtension(id);
    if (!ext) {
      results.push({ id, error: 'not installed' });
      continue;
    }
    const wasActive = ext.isActive;
    const t0 = performance.now();
    try {
      await ext.activate();
      results.push({ id, wasActive, ms: performance.now() - t0 });
    } catch (e) {
      results.push({ id, wasActive, error: String(e && e.stack ? e.stack : e) });
    }
  }
  const file = path.join(config.resultsDir, `${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ pid: process.pid, results }));
  fs.renameSync(`${file}.tmp`, file);
}

module.exports = { activate, deactivate: () => {} };
