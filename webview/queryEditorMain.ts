// The saved-query editor's webview: the form and the one `hostApi()` (acquireVsCodeApi) of this bundle. It
// posts `ready` first and waits for `init`; saves carry a request id and only the reply with that id
// settles them. The draft is kept in the webview state, so hiding the panel loses nothing.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { SavedQuery } from '../src/core/savedQuery';
import type { HostToQueryEditor, QueryEditorInit, QueryEditorToHost } from '../src/protocol/queryEditor';
import { hostApi } from './hostApi';
import { QueryForm } from './queryEditor/queryForm';

interface KeptState {
  queryId: string;
  draft: Record<string, unknown>;
}

const host = hostApi<QueryEditorToHost, KeptState>();
let init: QueryEditorInit | undefined;
let nextRequestId = 1;
let pendingSave: number | undefined;
let dirty = false;

const form = new QueryForm(document.getElementById('app')!, {
  onEdit(draft) {
    if (!init) return;
    dirty = true;
    host.setState({ queryId: init.query.id, draft } satisfies KeptState);
  },
  onSave(draft, thenRun) {
    pendingSave = nextRequestId++;
    host.post({ type: 'save', requestId: pendingSave, draft, thenRun });
  },
  onCancel() {
    host.post({ type: 'close' });
  },
});

function kept(queryId: string): SavedQuery | undefined {
  const state = host.getState();
  if (!state || state.queryId !== queryId) return undefined;
  return { ...(state.draft as unknown as SavedQuery), id: queryId };
}

window.addEventListener('message', (event: MessageEvent<HostToQueryEditor>) => {
  const m = event.data;
  switch (m.type) {
    case 'init': {
      const first = !init || init.query.id !== m.init.query.id;
      if (first) {
        init = m.init;
        const draft = kept(m.init.query.id);
        dirty = draft !== undefined;
        form.load(m.init, draft ?? m.init.query);
        if (dirty) form.setStatus('Unsaved changes restored.', 'info');
      } else {
        init = m.init;
        form.updateZones(m.init);
      }
      return;
    }
    case 'saved':
      if (m.requestId !== pendingSave || !init) return;
      pendingSave = undefined;
      dirty = false;
      init = { ...init, query: m.query };
      host.setState(undefined);
      form.setHeading(m.query.name);
      form.setStatus(`Saved at ${new Date().toLocaleTimeString()}.`, 'ok');
      return;
    case 'saveFailed':
      if (m.requestId !== pendingSave) return;
      pendingSave = undefined;
      form.showHostProblems(m.problems, m.message);
      return;
    case 'externalChange':
      if (!init) {
        form.setStatus('This query is no longer in its file.', 'error');
        return;
      }
      if (!m.query) {
        form.setStatus('This query was removed from its file (another window, a hand edit or git). Save puts it back.', 'error');
      } else if (!dirty) {
        init = { ...init, query: m.query };
        form.load(init, m.query);
        form.setStatus('Reloaded: the query was changed in its file.', 'info');
      } else {
        form.setStatus('The query was changed in its file meanwhile. Save replaces that change with this form; Close discards the form.', 'error');
      }
      return;
  }
});

host.post({ type: 'ready' });
