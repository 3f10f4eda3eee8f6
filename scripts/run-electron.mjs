// `npm run test:electron`: the same integration suites (test/integration/suite) through
// @vscode/test-electron, in a desktop VS Code it downloads from Microsoft's update servers. That download
// needs the internet: on the project's offline machines use `npm run test:integration` (code-server) instead.
//
// Options: --vscode-version <v>  'stable' (default), 'insiders' or a version such as 1.85.0 (engines.vscode)
//          --grep <regexp>       only tests whose full title matches
//          --no-build            skip `node esbuild.js`
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildExtension, buildSuites } from './lib/build.mjs';
import { repoRoot, resultsDir } from './lib/paths.mjs';
import { onCleanup, runCleanups, withTimeout } from './lib/proc.mjs';
import { printMochaReport, readResults } from './lib/report.mjs';
import { extensionUnderTest, prepareProfile, startSandbox } from './lib/workbench.mjs';

const { values: opts } = parseArgs({
  options: {
    'vscode-version': { type: 'string', default: 'stable' },
    grep: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

// Desktop VS Code needs a display. Without one, re-run under xvfb-run when it is installed.
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.EVERFLOW_UNDER_XVFB) {
  const hasXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
  if (hasXvfb) {
    const r = spawnSync('xvfb-run', ['-a', process.execPath, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, EVERFLOW_UNDER_XVFB: '1' },
    });
    process.exit(r.status ?? 1);
  }
  console.warn('[electron] no DISPLAY and no xvfb-run: VS Code may fail to start (apt-get install xvfb)');
}

const resultsFile = path.join(resultsDir, 'electron-results.json');
let exitCode = 1;
try {
  const { downloadAndUnzipVSCode, runTests } = await import('@vscode/test-electron');
  fs.rmSync(resultsFile, { force: true });
  if (!opts['no-build']) buildExtension();
  const suiteIndex = await buildSuites();

  let vscodeExecutablePath;
  try {
    console.log(`[electron] getting VS Code ${opts['vscode-version']} (downloads into .vscode-test/ unless cached)`);
    vscodeExecutablePath = await withTimeout(
      downloadAndUnzipVSCode({ version: opts['vscode-version'], timeout: 30_000 }),
      10 * 60_000,
      'the download took over 10 minutes',
    );
  } catch (e) {
    throw new Error(
      `could not download VS Code ${opts['vscode-version']} from Microsoft's update servers: ${e?.message ?? e}\n` +
        '  @vscode/test-electron needs the internet for that. On an offline machine run the same suites with\n' +
        '  `npm run test:integration`, which uses code-server from the npm registry instead.',
    );
  }

  const sandbox = await startSandbox();
  const ext = extensionUnderTest();
  const profile = prepareProfile({ label: 'electron', settings: { 'everflow.baseUrl': sandbox.url }, files: { 'sample.log': '' } });
  onCleanup(() => profile.remove());
  const sampleIds = sandbox.sampleIds(5);
  fs.writeFileSync(path.join(profile.workspaceDir, 'sample.log'), sampleIds.map((id) => `postback transaction_id=${id}`).join('\n') + '\n');
  const configFile = path.join(profile.root, 'config.json');
  const config = {
    sandboxUrl: sandbox.url,
    keys: sandbox.keys,
    sampleIds,
    hostileSampleId: sandbox.hostileSampleId?.(),
    workspaceFolder: profile.workspaceDir,
    extensionId: ext.id,
    resultsFile: path.join(profile.root, 'results.json'),
    startedFile: path.join(profile.root, 'started.json'),
    suiteIndex,
    grep: opts.grep,
    testTimeoutMs: 30_000,
  };
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));

  try {
    await withTimeout(
      runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: suiteIndex,
        extensionTestsEnv: { EVERFLOW_TEST_CONFIG: configFile },
        launchArgs: [
          profile.workspaceDir,
          '--user-data-dir', profile.userDataDir,
          '--extensions-dir', profile.extensionsDir,
          '--disable-workspace-trust',
          '--skip-welcome',
          '--skip-release-notes',
          '--disable-gpu',
          '--no-sandbox',
        ],
      }),
      10 * 60_000,
      'VS Code ran for over 10 minutes',
    );
  } catch (e) {
    if (!fs.existsSync(config.resultsFile)) throw e; // otherwise: some tests failed, reported below
  }
  if (!fs.existsSync(config.resultsFile)) throw new Error('VS Code exited without writing test results');
  const results = readResults(config.resultsFile);
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  printMochaReport(results);
  exitCode = results.failed === 0 && !results.error && results.tests.length > 0 ? 0 : 1;
} catch (e) {
  console.error(`[electron] FAILED: ${e instanceof Error ? e.message : e}`);
  exitCode = 1;
} finally {
  await runCleanups();
}
process.exit(exitCode);
