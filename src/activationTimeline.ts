import * as fs from 'node:fs';
import * as path from 'node:path';

// Where activation's time goes, for the activation benchmark (scripts/bench-activation.mjs): activate()
// marks each phase with performance.now(), and when the benchmark's variable names a folder the marks
// are written there as JSON once activation has returned. Without the variable nothing is written; the
// marks are a few numbers in an array. Imported first by extension.ts, so the first mark is taken when
// the bundle's own code starts to run (what came before it is reading and compiling the files).

const ENV = 'EVERFLOW_BENCH_ACTIVATION_DIR';
const marks: { phase: string; at: number; ms?: number }[] = [{ phase: 'module evaluation starts', at: performance.now() }];
let returned = false;
let extensionId = '';
let writeQueued = false;

/** Marks the end of `phase` (the time since the previous mark is spent in it). */
export function markPhase(phase: string): void {
  marks.push({ phase, at: performance.now() });
}

/** The last mark of activate(), just before it returns; the marks are written after it has. */
export function markActivated(id: string): void {
  markPhase('activate() returns');
  extensionId = id;
  returned = true;
  queueWrite();
}

/**
 * Work done after activation returned (on first use or when idle), timed from `startedAt`
 * (a performance.now()); recorded as `later: <phase>` so it is never counted as activation.
 */
export function markLater(phase: string, startedAt: number): void {
  const at = performance.now();
  marks.push({ phase: `later: ${phase}`, at, ms: at - startedAt });
  // Written again as they come; before activation returns, its own write will hold it.
  if (returned) queueWrite();
}

function queueWrite(): void {
  if (writeQueued || !process.env[ENV]) return;
  writeQueued = true;
  setTimeout(write, 0);
}

function write(): void {
  writeQueued = false;
  const dir = process.env[ENV];
  if (!dir) return;
  try {
    const file = path.join(dir, `${process.pid}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify({ pid: process.pid, marks, vscode: vscodeMarks(), host: hostLoadMarks() }));
    fs.renameSync(`${file}.tmp`, file);
  } catch {
    // A benchmark aid: a folder that cannot be written to changes nothing for the extension.
  }
}

/**
 * VS Code's own marks around loading this extension's code (`code/extHost/willLoadExtensionCode/<id>`
 * and `didLoadExtensionCode`), on performance.now()'s scale. Internal to VS Code (its
 * vs/base/common/performance keeps them on globalThis with Date.now() times, so to the millisecond),
 * and read only for the benchmark: when they are missing the benchmark just has less detail.
 */
function vscodeMarks(): { name: string; at: number }[] {
  return performanceMarks()
    .filter((m) => extensionId !== '' && m.name.endsWith(`/${extensionId}`))
    .map((m) => ({ name: m.name.slice(0, -extensionId.length - 1), at: m.at }));
}

/**
 * Every extension's load and activate marks in this extension host, for the benchmark to see what
 * else ran while VS Code's clock for this extension was running (VS Code starts that clock, then
 * awaits before it loads the code, so other extensions activated at the same moment can load inside it).
 */
function hostLoadMarks(): { name: string; at: number }[] {
  return performanceMarks().filter((m) => /^code\/extHost\/(will|did)(Load|Activate)Extension/.test(m.name));
}

function performanceMarks(): { name: string; at: number }[] {
  const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks?: () => { name: string; startTime: number }[] } }).MonacoPerformanceMarks;
  const all = typeof perf?.getMarks === 'function' ? perf.getMarks() : [];
  return all.map((m) => ({ name: m.name, at: m.startTime - performance.timeOrigin }));
}
