// `npm test`: every check, in order — lint, typecheck, build, unit, (test host setup) integration, e2e.
// Each stage streams its output. The run stops at the first failing stage but always prints a summary, and
// the very last line is `N passed, N failed, N skipped`, summed over the test stages (lint, typecheck,
// build and setup count no tests; their failure still makes the exit code non-zero).
// `npm test -- --from unit` skips the stages before `unit`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { integrationResultsFile, repoRoot } from './lib/paths.mjs';
import { appendProgress, progressFile, readProgress, resetProgress, runningTest } from './lib/progress.mjs';

const node = process.execPath;
const script = (name) => path.join(repoRoot, 'scripts', name);

/**
 * How a test stage's counts are read: node's test runner summary, or the integration results JSON. Each
 * returns undefined when the stage ended without its summary (stopped by a time limit, crashed); then the
 * stage's progress file (scripts/lib/progress.mjs) says what it saw.
 */
const fromNodeTest = (raw) => {
  const output = stripVTControlCharacters(raw); // colours, when run in a terminal
  const last = (key) => {
    const all = [...output.matchAll(new RegExp(`^\\s*(?:ℹ|#)\\s+${key}\\s+(\\d+)\\s*$`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : undefined;
  };
  if (last('pass') === undefined) return undefined;
  const n = (key) => last(key) ?? 0;
  return { passed: n('pass'), failed: n('fail') + n('cancelled'), skipped: n('skipped') + n('todo') };
};
const fromIntegrationResults = () => {
  try {
    const r = JSON.parse(fs.readFileSync(integrationResultsFile, 'utf8'));
    return { passed: r.passed, failed: r.failed, skipped: r.skipped };
  } catch {
    return undefined;
  }
};

// Time limits, each at least twice what the stage takes on this machine kind (2 cores), measured on clean
// clones with `CI=true bash .ci/run` (see test/e2e/README.md, "Time limits"). A test stage's runner stops
// itself at `limitMin` and says what was running; the stage is killed 2 minutes later as a backstop.
// `npm test -- --limit-min <n>` sets every limit to n (to see what a stopped stage reports).
const limitArg = process.argv.indexOf('--limit-min');
const limitOverride = limitArg === -1 ? undefined : Number(process.argv[limitArg + 1]);
const limit = (min) => limitOverride ?? min;
/** Arguments for a runner that stops itself at its limit (the stage then also has `runnerStops`). */
const runnerLimit = (min) => ['--timeout-min', String(limit(min))];

const stages = [
  // eslint, then the architecture's zones and no import cycles (dependency-cruiser, .dependency-cruiser.cjs).
  { name: 'lint', cmd: 'npm', args: ['run', '--silent', 'lint'], limitMin: limit(5) },
  { name: 'typecheck', cmd: 'npm', args: ['run', '--silent', 'typecheck'], limitMin: limit(5) },
  { name: 'build', cmd: node, args: ['esbuild.js'], limitMin: limit(3) },
  { name: 'unit', cmd: node, args: [script('run-unit.mjs')], limitMin: limit(10), counts: fromNodeTest, progress: progressFile('unit') },
  { name: 'setup testhost', cmd: node, args: [script('setup-testhost.mjs')], limitMin: limit(25) },
  {
    name: 'integration',
    cmd: node,
    args: [script('run-integration.mjs'), '--no-build', '--no-setup', ...runnerLimit(10)],
    limitMin: limit(10),
    runnerStops: true,
    counts: fromIntegrationResults,
    progress: progressFile('integration'),
    before: () => fs.rmSync(integrationResultsFile, { force: true }),
  },
  {
    name: 'e2e',
    cmd: node,
    args: [script('run-e2e.mjs'), '--no-build', '--no-setup', ...runnerLimit(40)],
    limitMin: limit(40),
    runnerStops: true,
    counts: fromNodeTest,
    progress: progressFile('e2e'),
  },
];

function runStage(stage) {
  return new Promise((resolve) => {
    stage.before?.();
    if (stage.progress) resetProgress(stage.progress);
    const started = Date.now();
    let output = '';
    const child = spawn(stage.cmd, stage.args, {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so a timeout can stop everything the stage started
      env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
    });
    const keep = (chunk, stream) => {
      stream.write(chunk);
      output += chunk.toString();
      if (output.length > 4_000_000) output = output.slice(-2_000_000); // counts are at the end
    };
    child.stdout.on('data', (c) => keep(c, process.stdout));
    child.stderr.on('data', (c) => keep(c, process.stderr));
    let timedOut = false;
    const killGroup = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        /* gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      if (stage.progress) appendProgress(stage.progress, { event: 'timeout', limitMin: stage.limitMin });
      console.error(`\n[test] ${stage.name} ran over ${stage.limitMin} minutes; stopping it`);
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
    }, (stage.limitMin + (stage.runnerStops ? 2 : 0)) * 60_000);
    current = killGroup;
    child.on('error', (e) => {
      output += `\n${e.message}`;
      console.error(`[test] ${stage.name} could not start: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ code: timedOut ? 1 : (code ?? (signal ? 1 : 0)), output, seconds: (Date.now() - started) / 1000, timedOut });
    });
  });
}

let current;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    current?.('SIGTERM');
    setTimeout(() => process.exit(130), 5000).unref();
  });
}

// `npm test -- --from <stage>` starts at a later stage (for local reruns; CI runs everything).
const fromArg = process.argv.indexOf('--from');
const from = fromArg === -1 ? undefined : process.argv[fromArg + 1];
if (from !== undefined && !stages.some((s) => s.name === from)) {
  console.error(`unknown stage ${JSON.stringify(from)}; stages: ${stages.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
if (from) stages.splice(0, stages.findIndex((s) => s.name === from));

const totals = { passed: 0, failed: 0, skipped: 0 };
const rows = [];
let failedStage;
for (const stage of stages) {
  console.log(`\n━━━ ${stage.name} ━━━ ${[stage.cmd === node ? 'node' : stage.cmd, ...stage.args.map((a) => path.relative(repoRoot, a) || a)].join(' ')}`);
  const r = await runStage(stage);
  let counts = stage.counts ? stage.counts(r.output) : undefined;
  let note = r.timedOut ? 'timed out' : '';
  if (stage.counts && !counts) {
    // No summary from the runner: what the progress file saw, and the test that was running.
    const progress = stage.progress ? readProgress(stage.progress) : undefined;
    counts = { passed: progress?.passed ?? 0, failed: progress?.failed ?? 0, skipped: progress?.skipped ?? 0 };
    const limit = progress?.timeout?.limitMin;
    const why = limit !== undefined ? `timed out after ${limit} min` : r.timedOut ? `timed out after ${stage.limitMin} min` : 'ended without a summary';
    note = progress ? `${why}; ${runningTest(progress)}` : `${why}; no test reported progress`;
  }
  if (counts) {
    // A failing test stage that reported no failing test (a crash, a timeout) still counts as one failure.
    if (r.code !== 0 && counts.failed === 0) counts.failed = 1;
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
  }
  rows.push({ name: stage.name, ok: r.code === 0, seconds: r.seconds, counts, note });
  if (r.code !== 0) {
    failedStage = stage.name;
    break;
  }
}

console.log('\n━━━ summary ━━━');
for (const row of rows) {
  const counts = row.counts ? `  ${row.counts.passed} passed, ${row.counts.failed} failed, ${row.counts.skipped} skipped` : '';
  console.log(`${row.ok ? 'ok  ' : 'FAIL'}  ${row.name.padEnd(15)} ${row.seconds.toFixed(1).padStart(6)}s${counts}${row.note ? `  (${row.note})` : ''}`);
}
for (const stage of stages.slice(rows.length)) console.log(`skip  ${stage.name}`);
if (failedStage) console.log(`stopped at: ${failedStage}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = failedStage ? 1 : 0;
