// Test progress, written as it happens, so a stage stopped by its time limit can still say what it saw.
// Every test runner of `npm test` appends one JSON line per event to its own progress file:
//   {"event":"start"|"pass"|"fail"|"skip", "file": "…", "name": "…", "t": <epoch ms>}
//   {"event":"end", …}  (a suite or a file finished: closes its "start" without counting a test)
//   {"event":"timeout", "limitMin": <n>, "t": …}  (written by the stage's runner when it stops the tests)
// node:test writes it through scripts/lib/progress-reporter.mjs; the integration suites' mocha entry
// (test/integration/suite/index.ts) writes it directly. scripts/test.mjs reads it when a stage ends without
// its runner's own summary (a time-out, a crash).
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, resultsDir } from './paths.mjs';

/** The progress file of a test stage (`unit`, `integration`, `e2e`). */
export const progressFile = (stage) => path.join(resultsDir, `${stage}-progress.jsonl`);

/** node --test arguments: the spec reporter on stdout, and the progress reporter (its file comes from the env). */
export function nodeTestReporterArgs() {
  const reporter = path.join(repoRoot, 'scripts', 'lib', 'progress-reporter.mjs');
  return ['--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${reporter}`, '--test-reporter-destination=/dev/null'];
}

/** Starts a stage's progress afresh. */
export function resetProgress(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '');
}

/** Appends one event (synchronously, so a process killed right after still leaves it on disk). */
export function appendProgress(file, event) {
  fs.appendFileSync(file, `${JSON.stringify({ ...event, t: event.t ?? Date.now() })}\n`);
}

/**
 * What a progress file says: counts of finished tests, the tests started and not finished (the one
 * running when the stage stopped is the last of them), and whether the runner stopped it for time.
 */
export function readProgress(file) {
  let lines = [];
  try {
    lines = fs.readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const open = new Map();
  let timeout;
  for (const line of lines) {
    let e;
    try {
      e = JSON.parse(line);
    } catch {
      continue; // an empty line, or a half-written last one
    }
    const key = `${e.file ?? ''}\u0000${e.name ?? ''}`;
    if (e.event === 'start') open.set(key, e);
    else if (e.event === 'pass' || e.event === 'fail' || e.event === 'skip') {
      open.delete(key);
      counts[{ pass: 'passed', fail: 'failed', skip: 'skipped' }[e.event]]++;
    } else if (e.event === 'end') open.delete(key);
    else if (e.event === 'timeout') timeout = e;
  }
  return { ...counts, running: [...open.values()], timeout };
}

/** Which test was running when the stage stopped: "savedQueries.test.ts › runs … (for 42 s)". */
export function runningTest(p, now = Date.now()) {
  const last = p?.running[p.running.length - 1];
  if (!last) return 'no test was running';
  const file = last.file ? path.basename(last.file) : undefined;
  const where = last.name === last.file || !last.name ? `${file}, before its first test` : [file, last.name].filter(Boolean).join(' › ');
  return `running: ${where} (for ${Math.round(((p.timeout?.t ?? now) - last.t) / 1000)} s)`;
}

/** One line for a person: "50 passed, 0 failed, 0 skipped; running: savedQueries.test.ts › runs … (for 42 s)". */
export function describeProgress(p, now = Date.now()) {
  if (!p) return 'no test reported progress';
  return `${p.passed} passed, ${p.failed} failed, ${p.skipped} skipped; ${runningTest(p, now)}`;
}
