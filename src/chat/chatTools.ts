import * as vscode from 'vscode';
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

export function registerChatTools(services: Services): vscode.Disposable[] {
  // VS Code before 1.95 has no tools API; the manifest's engines field keeps such versions out, and
  // this keeps a host without `lm` (some forks) working without the tools.
  if (typeof vscode.lm?.registerTool !== 'function') return [];
  return CHAT_TOOLS.map((t) => vscode.lm.registerTool(t.name, t.create(services)));
}
