// The test stages' progress files (scripts/lib/progress.mjs): node:test's events written as they happen by
// the progress reporter, read back as counts and the test that was running when a stage was stopped.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';

const withoutTestContext = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'progress-'));

// scripts/lib is ES modules and these tests compile as CommonJS, so the module is loaded with import().
const load = () => import('../../../scripts/lib/progress.mjs');
let lib: Awaited<ReturnType<typeof load>>;
before(async () => {
  lib = await load();
});

describe('test progress', () => {
  test('a run stopped in a hanging test reports what passed, failed and was skipped, and names the running test', { timeout: 60_000 }, async () => {
    const dir = tmp();
    const file = path.join(dir, 'sample.test.mjs');
    fs.writeFileSync(
      file,
      [
        "import { describe, test } from 'node:test';",
        "describe('group', () => {",
        "  test('passes', () => {});",
        "  test('is skipped', { skip: true }, () => {});",
        "  test('fails', () => { throw new Error('no'); });",
        '});',
        "test('hangs', () => new Promise(() => setInterval(() => {}, 1000)));",
      ].join('\n'),
    );
    const progress = path.join(dir, 'progress.jsonl');
    lib.resetProgress(progress);
    const child = spawn(process.execPath, ['--test', ...lib.nodeTestReporterArgs(), file], {
      // Without the parent run's NODE_TEST_CONTEXT, which would make this run report to its parent instead.
      env: { ...withoutTestContext(process.env), EVERFLOW_TEST_PROGRESS: progress },
      stdio: 'ignore',
      detached: true, // its own process group: node --test runs the file in a child process of its own
    });
    // Waits on the event (the hanging test's start written to the file), not on a delay.
    await new Promise<void>((resolve, reject) => {
      const watcher = setInterval(() => {
        if (lib.readProgress(progress)?.running.some((e) => e.name === 'hangs')) {
          clearInterval(watcher);
          resolve();
        }
      }, 50);
      child.on('exit', () => (clearInterval(watcher), reject(new Error('the test run ended before the hanging test started'))));
    });
    process.kill(-child.pid!, 'SIGKILL');
    lib.appendProgress(progress, { event: 'timeout', limitMin: 1 });
    const p = lib.readProgress(progress)!;
    assert.deepEqual({ passed: p.passed, failed: p.failed, skipped: p.skipped }, { passed: 1, failed: 1, skipped: 1 });
    assert.equal(p.timeout?.limitMin, 1);
    assert.match(lib.describeProgress(p), /^1 passed, 1 failed, 1 skipped; running: sample\.test\.mjs › hangs \(for \d+ s\)$/);
  });

  test('a file whose set-up never ends is named as such; a half-written last line is ignored', () => {
    const dir = tmp();
    const progress = path.join(dir, 'progress.jsonl');
    lib.resetProgress(progress);
    lib.appendProgress(progress, { event: 'start', file: '/x/a.test.ts', name: 'one' });
    lib.appendProgress(progress, { event: 'pass', file: '/x/a.test.ts', name: 'one' });
    lib.appendProgress(progress, { event: 'start', file: '/x/b.test.ts', name: '/x/b.test.ts', t: 1000 });
    fs.appendFileSync(progress, '{"event":"pass","fi');
    const p = lib.readProgress(progress)!;
    assert.equal(p.passed, 1);
    assert.equal(lib.describeProgress({ ...p, timeout: { event: 'timeout', t: 61_000 } }), '1 passed, 0 failed, 0 skipped; running: b.test.ts, before its first test (for 60 s)');
  });

  test('no progress file reads as nothing reported', () => {
    assert.equal(lib.readProgress(path.join(tmp(), 'missing.jsonl')), undefined);
    assert.equal(lib.describeProgress(undefined), 'no test reported progress');
  });
});
