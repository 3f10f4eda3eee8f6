// A node:test reporter that writes test progress as it happens (see progress.mjs) to the file named by
// EVERFLOW_TEST_PROGRESS. Used beside the spec reporter:
//   node --test --test-reporter=spec --test-reporter-destination=stdout
//        --test-reporter=./scripts/lib/progress-reporter.mjs --test-reporter-destination=/dev/null …
// "start" is written when node:test dequeues a test (right before it runs), so a test that hangs shows
// as running; suites and the per-file wrappers are left out of the counts, as node's own summary does.
import { appendProgress } from './progress.mjs';

const file = process.env.EVERFLOW_TEST_PROGRESS;

// It yields nothing: each event is appended synchronously (appendProgress), so it is on disk even when the
// run is killed a moment later, and the runner's own "timeout" line can be appended to the same file.
// eslint-disable-next-line require-yield
export default async function* progressReporter(source) {
  for await (const ev of source) {
    if (!file) continue;
    const d = ev.data ?? {};
    const isWrapper = d.name === d.file || d.details?.type === 'suite';
    const base = { file: d.file, name: d.name };
    if (ev.type === 'test:dequeue') appendProgress(file, { event: 'start', ...base });
    else if (isWrapper) {
      if (ev.type === 'test:pass' || ev.type === 'test:fail') appendProgress(file, { event: 'end', ...base });
    }
    else if (ev.type === 'test:pass') appendProgress(file, { event: d.skip || d.todo ? 'skip' : 'pass', ...base });
    else if (ev.type === 'test:fail') appendProgress(file, { event: 'fail', ...base });
  }
}
