import * as vscode from 'vscode';
import type { ChatToolsApi } from '../api';

// Chat tools are registered at activation, so agents see them at once; their implementation
// (chatTools.ts and every tool under it) loads on the first call, inside the call.

export interface ChatToolsRegistration {
  disposables: vscode.Disposable[];
  api: ChatToolsApi;
}

type Tools = ReadonlyMap<string, vscode.LanguageModelTool<unknown>>;

/**
 * Registers each tool of `names` (package.json's `languageModelTools`) as a stand-in that loads the
 * tools with `load` and hands the call over.
 */
export function registerChatTools(names: readonly string[], load: () => Promise<Tools>): ChatToolsRegistration {
  let tools: Promise<Tools> | undefined;
  const tool = async (name: string): Promise<vscode.LanguageModelTool<unknown>> => {
    const found = (await (tools ??= load())).get(name);
    if (!found) throw new Error(`No chat tool called ${name}.`);
    return found;
  };
  const api: ChatToolsApi = {
    async prepare(name, input) {
      const t = await tool(name);
      const source = new vscode.CancellationTokenSource();
      try {
        const p = await t.prepareInvocation?.({ input }, source.token);
        // Plain text: the markdown escapes the confirmation uses (toolKit.escapeMarkdown) taken off again.
        const text = (m: string | vscode.MarkdownString | undefined) => (typeof m === 'string' ? m : m?.value.replace(/\\(.)/g, '$1'));
        return p ? { invocationMessage: text(p.invocationMessage), title: text(p.confirmationMessages?.title), message: text(p.confirmationMessages?.message) } : undefined;
      } finally {
        source.dispose();
      }
    },
  };
  // VS Code before 1.95 has no tools API; the manifest's engines field keeps such versions out, and
  // this keeps a host without `lm` (some forks) working without the tools.
  if (typeof vscode.lm?.registerTool !== 'function') return { disposables: [], api };
  const standIn = (name: string): vscode.LanguageModelTool<unknown> => ({
    prepareInvocation: async (options, token) => (await tool(name)).prepareInvocation?.(options, token),
    invoke: async (options, token) => (await tool(name)).invoke(options, token),
  });
  return { disposables: names.map((name) => vscode.lm.registerTool(name, standIn(name))), api };
}
