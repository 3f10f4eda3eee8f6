// The e2e side of the chat tool probe (test/e2e/toolProbe/): bundled into the test profile's extensions
// when a test asks (`startWorkbench({ chatToolProbe: true })`), and driven through the command palette,
// so a chat tool runs in the real workbench (a filtered grid, Restricted Mode) as an agent would call it.
import fs from 'node:fs';
import path from 'node:path';

const SOURCE = path.join(__dirname, 'toolProbe');
const FOLDER = 'everflow-clicks-tests.chat-tool-probe-0.0.0';
const COMMAND = 'Everflow Tests: Invoke Chat Tool';

/** Bundles the probe into `extensionsDir`; returns its folder (where requests and results are exchanged). */
export async function installToolProbe(extensionsDir: string): Promise<string> {
  const esbuild = await import('esbuild');
  const dir = path.join(extensionsDir, FOLDER);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(SOURCE, 'package.json'), path.join(dir, 'package.json'));
  await esbuild.build({ entryPoints: [path.join(SOURCE, 'extension.ts')], outfile: path.join(dir, 'extension.js'), bundle: true, platform: 'node', format: 'cjs', target: 'node18', external: ['vscode'], logLevel: 'warning' });
  return dir;
}

export interface ProbeResult {
  text?: string;
  error?: string;
  /** vscode.workspace.isTrusted in the extension host when the tool ran. */
  trusted: boolean;
}

/** What of the harness's Workbench this needs (kept structural, so the harness can import this file). */
export interface ProbeWorkbench {
  readonly toolProbeDir: string | undefined;
  runCommand(title: string): Promise<void>;
}

let serial = 0;

/** Calls chat tool `name` with `input` through vscode.lm.invokeTool in the workbench's extension host. */
export async function invokeChatTool(w: ProbeWorkbench, name: string, input: object, timeoutMs = 30_000): Promise<ProbeResult> {
  const dir = w.toolProbeDir;
  if (!dir) throw new Error('start the workbench with chatToolProbe: true');
  const id = `${Date.now()}-${++serial}`;
  fs.writeFileSync(path.join(dir, 'request.json'), JSON.stringify({ id, name, input }));
  await w.runCommand(COMMAND);
  const file = path.join(dir, `result-${id}.json`);
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the chat tool ${name} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ProbeResult;
}
