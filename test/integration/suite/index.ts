// The suite entry shared by both routes into a real extension host: the test-runner extension under
// code-server (scripts/run-integration.mjs) and @vscode/test-electron's `extensionTestsPath`
// (scripts/run-electron.mjs). It runs every `*.test.js` bundled next to it with mocha's TDD interface
// (`suite` / `test` / `suiteSetup` …) and writes the results JSON the harness prints.
import * as fs from 'fs';
import Mocha from 'mocha';
import { findSourceMap } from 'module';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { testConfig, type IntegrationResults, type TestResult } from './env';

export async function run(): Promise<void> {
  const config = testConfig();
  // Lets mapStack() find the suites' inline source maps (the bundles are loaded after this call).
  process.setSourceMapsEnabled?.(true);
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: config.testTimeoutMs ?? 30_000, reporter: 'spec' });
  if (config.grep) mocha.grep(new RegExp(config.grep));
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const tests: TestResult[] = [];
  const started = Date.now();
  const failures = await new Promise<number>((resolve, reject) => {
    try {
      const runner = mocha.run((n) => resolve(n));
      const base = (t: Mocha.Runnable): Omit<TestResult, 'state'> => ({
        title: t.title,
        fullTitle: t.fullTitle(),
        file: t.file ? path.basename(t.file).replace(/\.js$/, '.ts') : undefined,
        durationMs: t.duration,
      });
      // Progress as it happens, in the format of scripts/lib/progress.mjs, so a run stopped by its time limit
      // can say how far it got and which test was running.
      const progress = (event: string, t: Mocha.Runnable): void => {
        if (!config.progressFile) return;
        const line = { event, file: t.file ? path.basename(t.file).replace(/\.js$/, '.ts') : undefined, name: t.fullTitle(), t: Date.now() };
        fs.appendFileSync(config.progressFile, `${JSON.stringify(line)}\n`);
      };
      runner.on(Mocha.Runner.constants.EVENT_TEST_BEGIN, (t) => progress('start', t));
      runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (t) => (progress('pass', t), tests.push({ ...base(t), state: 'passed' })));
      runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (t) => (progress('skip', t), tests.push({ ...base(t), state: 'skipped' })));
      // Also fires for failing hooks (`suiteSetup` …), which mocha counts as failures.
      runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (t, err: Error) =>
        (progress('fail', t), tests.push({ ...base(t), state: 'failed', error: { message: err?.message ?? String(err), stack: mapStack(err?.stack) } })),
      );
    } catch (e) {
      reject(e);
    }
  });
  const results: IntegrationResults = {
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    skipped: tests.filter((t) => t.state === 'skipped').length,
    durationMs: Date.now() - started,
    tests,
  };
  if (files.length === 0) results.error = { message: `no *.test.js files next to ${__filename}` };
  if (config.resultsFile) {
    fs.writeFileSync(`${config.resultsFile}.tmp`, JSON.stringify(results, null, 2));
    fs.renameSync(`${config.resultsFile}.tmp`, config.resultsFile);
  }
  if (failures > 0 || results.error) throw new Error(results.error?.message ?? `${failures} integration test(s) failed`);
}

/**
 * Points stack frames in the bundled suites back at the .ts sources. The extension host installs its own
 * Error.prepareStackTrace, so Node's source-map support does not rewrite stacks there by itself.
 */
function mapStack(stack: string | undefined): string | undefined {
  if (!stack) return stack;
  return stack.replace(/(\/[^\s():]+\.js):(\d+):(\d+)/g, (frame: string, file: string, line: string, column: string) => {
    try {
      const entry = findSourceMap(file)?.findEntry(Number(line) - 1, Number(column) - 1) as
        | { originalSource?: string; originalLine?: number; originalColumn?: number }
        | undefined;
      if (!entry?.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) return frame;
      const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : entry.originalSource;
      return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    } catch {
      return frame;
    }
  });
}
