import type * as vscode from 'vscode';
import type { Services } from '../services';
import { summarizeGridTool } from './gridSummaryTool';
import { lookUpClicksTool } from './lookUpClicksTool';
import { runClickStreamTool } from './runClickStreamTool';
import { listSavedQueriesTool, runSavedQueryTool } from './savedQueryTools';
import type { AnyChatTool } from './toolKit';
import { traceClickTool } from './traceClickTool';

// The tools VS Code's chat agents can call (contributes.languageModelTools in package.json names the
// same ones, with their input schemas). A new tool is one file exporting a `defineTool(...)`, one line
// here and its entry in package.json. This file is loaded on the first tool call; the tools are
// registered at activation by name (chatToolRegistration.ts).

export const CHAT_TOOLS: readonly AnyChatTool[] = [lookUpClicksTool, runClickStreamTool, runSavedQueryTool, listSavedQueriesTool, summarizeGridTool, traceClickTool];

/** The tools built for this window's services, by name (loaded on the first call: chatToolRegistration.ts). */
export function createChatTools(services: Services): ReadonlyMap<string, vscode.LanguageModelTool<unknown>> {
  return new Map(CHAT_TOOLS.map((t) => [t.name, t.create(services) as vscode.LanguageModelTool<unknown>] as const));
}
