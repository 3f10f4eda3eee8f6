import * as vscode from 'vscode';

/**
 * Runs `task` under a cancellable notification, turning VS Code's cancellation token into the
 * AbortSignal the client understands, so Cancel ends waits and requests at once.
 */
export function withCancellableProgress<T>(
  title: string,
  task: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    return task(controller.signal, progress).finally(() => subscription.dispose());
  });
}
