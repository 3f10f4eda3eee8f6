// `npm run test:e2e`: end-to-end tests (test/e2e/*.test.ts, node:test) that drive the real workbench in
// headless Chromium through test/e2e/harness.ts. Files run one at a time (each starts its own code-server
// and browser; the machines have 2 cores). Screenshots go to test-results/screenshots/, logs to
// test-results/logs/e2e/.
//
// Options: --no-build        skip `node esbuild.js` (scripts/test.mjs has just built)
//          --no-setup        skip the test host check
//          --timeout-min <n> stop everything after n minutes (default 10)
//          [files…]          only these test files
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildExtension } from './lib/build.mjs';
import { logsDir, repoRoot, screenshotsDir } from './lib/paths.mjs';
import { killTrackedGroups, pidDirEnv } from './lib/proc.mjs';
import { appendProgress, describeProgress, nodeTestReporterArgs, progressFile, readProgress, resetProgress } from './lib/progress.mjs';
import { ensureTesthost } from './lib/testhost.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'no-build': { type: 'boolean', default: false },
    'no-setup': { type: 'boolean', default: false },
    'timeout-min': { type: 'string', default: '10' },
  },
});
const log = (m) => console.log(`[e2e] ${m}`);

let files = positionals.map((f) => path.resolve(f));
if (files.length === 0) {
  const dir = path.join(repoRoot, 'test', 'e2e');
  files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}
if (files.length === 0) {
  console.error('[e2e] FAILED: no test/e2e/*.test.ts files');
  process.exit(1);
}

try {
  if (!opts['no-setup']) await ensureTesthost({ log: (m) => log(`testhost: ${m}`) });
  if (!opts['no-build']) {
    log('building the extension (node esbuild.js)');
    buildExtension();
  }
} catch (e) {
  console.error(`[e2e] FAILED: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}

fs.rmSync(screenshotsDir, { recursive: true, force: true });
fs.mkdirSync(screenshotsDir, { recursive: true });
fs.rmSync(path.join(logsDir, 'e2e'), { recursive: true, force: true });
const pidDir = path.join(logsDir, 'e2e-pids');

const progress = progressFile('e2e');
resetProgress(progress);
log(`running ${files.map((f) => path.relative(repoRoot, f)).join(', ')}`);
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', ...nodeTestReporterArgs(), '--test-concurrency=1', ...files],
  { cwd: repoRoot, stdio: 'inherit', detached: true, env: { ...process.env, ...pidDirEnv(pidDir), EVERFLOW_TEST_PROGRESS: progress } },
);

const stopAll = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* gone */
  }
};
const limitMs = Number(opts['timeout-min']) * 60_000;
let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  appendProgress(progress, { event: 'timeout', limitMin: Number(opts['timeout-min']) });
  console.error(`\n[e2e] FAILED: timed out after ${opts['timeout-min']} min (${describeProgress(readProgress(progress))}); stopping the tests`);
  stopAll('SIGTERM');
  setTimeout(() => stopAll('SIGKILL'), 10_000).unref();
}, limitMs);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stopAll(sig));

const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
clearTimeout(timer);
stopAll('SIGKILL'); // stragglers in the test runner's group
const killed = killTrackedGroups(pidDir);
if (killed.length) log(`stopped leftover processes: ${killed.join(', ')}`);
fs.rmSync(pidDir, { recursive: true, force: true });
log(`screenshots in ${path.relative(repoRoot, screenshotsDir)}, logs in ${path.relative(repoRoot, path.join(logsDir, 'e2e'))}`);
process.exit(timedOut ? 1 : code);
