// The one typed wrapper of VS Code's `acquireVsCodeApi()` for this extension's webviews. VS Code allows
// one call per page, so each bundle's entry (resultsMain.ts, queryEditorMain.ts) calls `hostApi` once and
// hands the result down. Messages are typed by the webview's protocol (src/protocol/); the state is what
// VS Code keeps for the page while it is hidden or the window reloads.

interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

export interface HostApi<ToHost, State> {
  post(message: ToHost): void;
  /** The kept state, or undefined. It was written by this page's own code, but is read defensively. */
  getState(): State | undefined;
  setState(state: State | undefined): void;
}

export function hostApi<ToHost, State>(): HostApi<ToHost, State> {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => (api.getState() as State | null | undefined) ?? undefined,
    setState: (state) => api.setState(state),
  };
}
