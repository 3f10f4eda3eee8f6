// A test-only extension that runs the integration suites inside the extension host that code-server starts
// for the browser (code-server ignores `--extensionTestsPath`). The harness (scripts/run-integration.mjs)
// bundles this file next to a `config.json` it writes; the config names the suite entry to load and the
// file to write results to. The suites read the same config through `suite/env.ts`.
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import type * as vscode from 'vscode';
import { CONFIG_ENV, type IntegrationTestConfig, type IntegrationResults } from '../suite/env';

export function activate(context: vscode.ExtensionContext): void {
  const configFile = path.join(context.extensionPath, 'config.json');
  let config: IntegrationTestConfig;
  try {
    config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as IntegrationTestConfig;
  } catch (e) {
    console.error(`[integration-runner] cannot read ${configFile}: ${String(e)}`);
    return;
  }
  // Same process as the suites: this is how they find the config (env vars given to code-server are not
  // relied on to reach the extension host).
  process.env[CONFIG_ENV] = configFile;
  // Run after activation returns, so the extension host finishes starting up first.
  setTimeout(() => void runOnce(config), 0);
}

export function deactivate(): void {
  // Nothing to dispose: the harness kills the whole server when the results file appears.
}

async function runOnce(config: IntegrationTestConfig): Promise<void> {
  // A reconnecting browser can start a second extension host; only the first one runs the suites.
  if (fs.existsSync(config.resultsFile) || fs.existsSync(config.startedFile)) return;
  fs.writeFileSync(config.startedFile, JSON.stringify({ pid: process.pid, at: new Date().toISOString() }));
  try {
    const load = createRequire(__filename);
    const entry = load(config.suiteIndex) as { run(): Promise<void> };
    await entry.run();
  } catch (e) {
    // run() writes the results itself; a rejection after that only means some tests failed.
    if (!fs.existsSync(config.resultsFile)) {
      const err = e instanceof Error ? e : new Error(String(e));
      const results: IntegrationResults = {
        passed: 0,
        failed: 0,
        skipped: 0,
        durationMs: 0,
        tests: [],
        error: { message: `the suites could not be run: ${err.message}`, stack: err.stack },
      };
      writeJsonAtomic(config.resultsFile, results);
    }
  }
}

function writeJsonAtomic(file: string, value: unknown): void {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(value, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}
