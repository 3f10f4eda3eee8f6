// A test-only extension for the e2e tests: "Everflow Tests: Invoke Chat Tool" calls one Everflow chat
// tool through vscode.lm.invokeTool, as a chat agent would, and writes what came back to a file. It lives
// in the test profile only (test/e2e/harness.ts installs it when a test asks), so the shipped extension
// needs no test command. It declares Restricted Mode support, so it also runs in an untrusted folder:
// what is tested there is the Everflow extension's refusal, not this probe being switched off.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

/** What the test writes to `request.json` in this extension's folder before running the command. */
interface ProbeRequest {
  id: string;
  name: string;
  input: object;
}

/** What this writes to `result-<id>.json`: the result's text, or the error's message. */
interface ProbeResult {
  id: string;
  text?: string;
  error?: string;
  trusted: boolean;
}

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand('everflowTests.invokeChatTool', () => invoke(context.extensionPath)));
}

export function deactivate(): void {
  // Nothing to dispose beyond the command.
}

async function invoke(dir: string): Promise<void> {
  const request = JSON.parse(fs.readFileSync(path.join(dir, 'request.json'), 'utf8')) as ProbeRequest;
  const out: ProbeResult = { id: request.id, trusted: vscode.workspace.isTrusted };
  try {
    const result = await vscode.lm.invokeTool(request.name, { input: request.input, toolInvocationToken: undefined });
    out.text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e);
  }
  const file = path.join(dir, `result-${request.id}.json`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(out));
  fs.renameSync(`${file}.tmp`, file);
}
