import * as vscode from 'vscode';
import type { ChatToolsApi } from '../api';
import type { Services } from '../services';
import { summarizeGridTool } from './gridSummaryTool';
import { lookUpClicksTool } from './lookUpClicksTool';
import { runClickStreamTool } from './runClickStreamTool';
import { listSavedQueriesTool, runSavedQueryTool } from './savedQueryTools';
import type { AnyChatTool } from './toolKit';

// The tools VS Code's chat agents can call (contributes.languageModelTools in package.json names the
// same ones, with their input schemas). A new tool is one file exporting a `defineTool(...)`, one line
// here and its entry in package.json.

export const CHAT_TOOLS: readonly AnyChatTool[] = [lookUpClicksTool, runClickStreamTool, runSavedQueryTool, listSavedQueriesTool, summarizeGridTool];

export interface ChatToolsRegistration {
  disposables: vscode.Disposable[];
  api: ChatToolsApi;
}

export function registerChatTools(services: Services): ChatToolsRegistration {
  const tools = new Map(CHAT_TOOLS.map((t) => [t.name, t.create(services)] as const));
  const api: ChatToolsApi = {
    async prepare(name, input) {
      const tool = tools.get(name);
      if (!tool) throw new Error(`No chat tool called ${name}.`);
      const source = new vscode.CancellationTokenSource();
      try {
        const p = await tool.prepareInvocation?.({ input: input as never }, source.token);
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
  return { disposables: [...tools].map(([name, tool]) => vscode.lm.registerTool(name, tool)), api };
}
