// `npm run test:integration`: the suites in test/integration/suite, inside a real VS Code extension host.
//
// code-server serves the workbench and starts an extension host only when a browser connects, so this
// opens the workbench in headless Chromium. The extension under test and a test-only runner extension
// (test/integration/runnerExtension) sit in a fresh extensions dir; the runner extension runs the mocha
// suites in the extension host and writes a results JSON that this script waits for and prints.
//
// Options: --grep <regexp>   only tests whose full title matches
//          --no-build        skip `node esbuild.js` (scripts/test.mjs has just built)
//          --no-setup        skip the test host check
//          --keep            keep the temp profile (user data, extensions, workspace) for a look
//          --timeout-min <n> give up after n minutes (default 10)
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { buildExtension, buildRunnerExtension, buildSuites } from './lib/build.mjs';
import { answerDialogRequest } from './lib/dialogs.mjs';
import { integrationResultsFile as INTEGRATION_RESULTS, resultsDir, repoRoot } from './lib/paths.mjs';
import { onCleanup, runCleanups, tail } from './lib/proc.mjs';
import { appendProgress, describeProgress, progressFile, readProgress, resetProgress } from './lib/progress.mjs';
import { printMochaReport, readResults } from './lib/report.mjs';
import { ensureTesthost } from './lib/testhost.mjs';
import {
  collectVscodeLogs,
  ensureLogsDir,
  extensionUnderTest,
  openWorkbench,
  prepareProfile,
  startCodeServer,
  startSandbox,
} from './lib/workbench.mjs';

const { values: opts } = parseArgs({
  options: {
    grep: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'no-setup': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'timeout-min': { type: 'string', default: '10' },
  },
});
const overallMs = Number(opts['timeout-min']) * 60_000;
const progress = progressFile('integration');
const STARTUP_MS = 3 * 60_000; // from opening the workbench until the runner extension reports it started

const t0 = Date.now();
const log = (msg) => console.log(`[integration ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);

// A hard stop so nothing hangs past the budget, whatever is stuck.
const hardStop = setTimeout(() => {
  console.error(`\n[integration] FAILED: still running after ${opts['timeout-min']} minutes; stopping everything`);
  runCleanups().finally(() => process.exit(1));
}, overallMs + 60_000);
hardStop.unref();

let exitCode = 1;
let profile;
let logsDir;
try {
  fs.rmSync(INTEGRATION_RESULTS, { force: true });
  if (!opts['no-setup']) await ensureTesthost({ log: (m) => log(`testhost: ${m}`) });
  if (!opts['no-build']) {
    log('building the extension (node esbuild.js)');
    buildExtension();
  }
  log('bundling the suites and the test-runner extension');
  const suiteIndex = await buildSuites();

  log('starting the Everflow sandbox');
  const sandbox = await startSandbox();
  const sampleIds = sandbox.sampleIds(5);
  const hostileSampleId = typeof sandbox.hostileSampleId === 'function' ? sandbox.hostileSampleId() : undefined;
  log(`sandbox at ${sandbox.url}`);

  const ext = extensionUnderTest();
  profile = prepareProfile({
    label: 'integration',
    // Results open as JSON documents, which most suites read back; the Results suite switches to the grid.
    settings: { 'everflow.baseUrl': sandbox.url, 'everflow.results.openIn': 'json' },
    extensions: [ext],
    files: { 'sample.log': sampleLog(sampleIds) },
  });
  if (!opts.keep) onCleanup(() => profile.remove());
  logsDir = ensureLogsDir('integration');
  for (const f of fs.readdirSync(logsDir)) fs.rmSync(path.join(logsDir, f), { recursive: true, force: true });

  resetProgress(progress);
  const runner = await buildRunnerExtension(path.join(profile.extensionsDir, 'everflow-clicks-tests.integration-test-runner-0.0.0'));
  const config = {
    sandboxUrl: sandbox.url,
    keys: sandbox.keys,
    sampleIds,
    hostileSampleId,
    workspaceFolder: profile.workspaceDir,
    extensionId: ext.id,
    resultsFile: path.join(profile.root, 'results.json'),
    startedFile: path.join(profile.root, 'started.json'),
    dialogRequestFile: path.join(profile.root, 'dialog-request.json'),
    dialogAnswerFile: path.join(profile.root, 'dialog-answer.json'),
    progressFile: progress,
    suiteIndex,
    grep: opts.grep,
    testTimeoutMs: 30_000,
  };
  fs.writeFileSync(path.join(runner.dir, 'config.json'), JSON.stringify(config, null, 2));

  log('starting code-server');
  const codeServerLog = path.join(logsDir, 'code-server.log');
  const server = await startCodeServer({ profile, logFile: codeServerLog });
  log(`code-server at ${server.url} (pid ${server.pid}); opening the workbench in Chromium`);
  const wb = await openWorkbench({ url: server.url, folder: profile.workspaceDir, browserLog: path.join(logsDir, 'browser.log') });
  log('workbench loaded; waiting for the extension host to run the suites');

  const failWith = async (message) => {
    await wb.page.screenshot({ path: path.join(logsDir, 'workbench.png') }).catch(() => {});
    collectVscodeLogs(profile, path.join(logsDir, 'vscode'));
    throw new Error(
      `${message}\n` +
        `--- code-server log (last lines; full log and extension host logs in ${path.relative(repoRoot, logsDir)}) ---\n` +
        tail(codeServerLog, 30),
    );
  };

  const waitStart = Date.now();
  let announcedStart = false;
  for (;;) {
    if (fs.existsSync(config.resultsFile)) break;
    await answerDialogRequest(wb.page, config.dialogRequestFile, config.dialogAnswerFile, path.join(resultsDir, 'screenshots', 'integration'));
    if (!announcedStart && fs.existsSync(config.startedFile)) {
      announcedStart = true;
      log('the test-runner extension is running the suites');
    }
    if (server.proc.exited) await failWith('code-server exited while the tests were running');
    if (!announcedStart && Date.now() - waitStart > STARTUP_MS) {
      await failWith(`the test-runner extension did not start within ${STARTUP_MS / 60_000} minutes (is the extension host starting?)`);
    }
    if (Date.now() - t0 > overallMs) {
      appendProgress(progress, { event: 'timeout', limitMin: Number(opts['timeout-min']) });
      await failWith(`timed out after ${opts['timeout-min']} min (${describeProgress(readProgress(progress))})`);
    }
    await sleep(250);
  }
  const results = readResults(config.resultsFile);
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(INTEGRATION_RESULTS, JSON.stringify(results, null, 2));
  printMochaReport(results);
  if (results.failed > 0 || results.error) {
    await wb.page.screenshot({ path: path.join(logsDir, 'workbench.png') }).catch(() => {});
    collectVscodeLogs(profile, path.join(logsDir, 'vscode'));
    log(`logs kept in ${path.relative(repoRoot, logsDir)}`);
  }
  if (results.tests.length === 0) console.error('[integration] FAILED: no test ran');
  exitCode = results.failed === 0 && !results.error && results.tests.length > 0 ? 0 : 1;
} catch (e) {
  console.error(`\n[integration] FAILED: ${e instanceof Error ? e.message : e}`);
  if (profile && logsDir) collectVscodeLogs(profile, path.join(logsDir, 'vscode'));
  exitCode = 1;
} finally {
  log('stopping Chromium, code-server and the sandbox');
  await runCleanups();
  if (opts.keep && profile) log(`profile kept in ${profile.root}`);
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}
process.exit(exitCode);

/** A log file like the ones users hover over: a few lines that mention sandbox transaction ids. */
function sampleLog(ids) {
  const lines = [
    '2024-05-01 12:00:00.120 INFO  tracker started',
    ...ids.map((id, i) => `2024-05-01 12:00:0${i + 1}.250 INFO  postback received transaction_id=${id} offer=${100 + i}`),
    '2024-05-01 12:00:09.999 WARN  postback without transaction id',
  ];
  return lines.join('\n') + '\n';
}
