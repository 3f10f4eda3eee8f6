// The results store (src/results/resultStore.ts) at 100,000 and 1,000,000 rows: save and load time,
// the longest the event loop was blocked meanwhile (the extension host's other work waits that
// long), and the process's peak RSS. Baseline, same rows, same run: the one-shot load the store did
// before (gunzip the file, one string, one JSON.parse), which at a million rows meets V8's longest
// string and fails.
//
//   node out/bench/store.cjs <clicks-100000.json> <rows> <runs> <dir>

import { createReadStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PerformanceObserver, constants, performance as nodePerformance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGunzip, gunzip } from 'node:zlib';
import { parseStreamResponse } from '../../src/core/parse';
import { ResultStore } from '../../src/results/resultStore';
import type { ResultSet } from '../../src/results/resultSet';
import { PeakRss } from '../lib/peakRss';
import { scaleTo } from '../lib/replicate';
import { summarise } from '../lib/stats';

const gunzipAsync = promisify(gunzip);

/** V8's collections as Node reports them (scavenges and the final pauses of mark-compacts; not the
 * incremental marking steps done on the main thread between, which --trace-gc shows). */
const gcs: { start: number; ms: number; major: boolean; external: boolean }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const detail = (e as PerformanceEntry & { detail?: { kind?: number; flags?: number } }).detail;
    // V8 marks the collections it starts because memory outside its heap (buffers) grew past its limit.
    const external = ((detail?.flags ?? 0) & constants.NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY) !== 0;
    gcs.push({ start: e.startTime, ms: e.duration, major: detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR, external });
  }
}).observe({ entryTypes: ['gc'] });

interface GcSummary {
  minor: number;
  minorMaxMs: number;
  major: number;
  majorMaxMs: number;
  /** Of the longest block, the milliseconds Node reported as collections. */
  inLongestBlockMs: number;
  /** Collections V8 started for memory outside its heap (buffers) grown past its limit. */
  external: number;
}

/** Runs `f`, timing it and the longest event-loop block while it ran. */
async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; maxBlockMs: number; busyMs: number; gc: GcSummary; value: T }> {
  // The main thread's busy time (the event loop's active time): a reader thread's work is not in it.
  const elu0 = nodePerformance.eventLoopUtilization();
  // A 1 ms interval: the longest gap between its ticks is the longest block (less the 1 ms).
  let last = performance.now();
  let max = 0;
  let maxAt = [0, 0];
  const tick = setInterval(() => {
    const now = performance.now();
    if (now - last > max) {
      max = now - last;
      maxAt = [last, now];
    }
    last = now;
  }, 1);
  const g0 = gcs.length;
  const t0 = performance.now();
  const value = await f();
  const ms = performance.now() - t0;
  // One more tick, so a block at the very end is seen too.
  await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(tick);
  // Entries arrive a turn after the collection.
  await new Promise((resolve) => setImmediate(resolve));
  const mine = gcs.slice(g0);
  const minor = mine.filter((g) => !g.major);
  const major = mine.filter((g) => g.major);
  const [a, b] = maxAt;
  const inLongestBlockMs = mine.reduce((sum, g) => sum + Math.max(0, Math.min(g.start + g.ms, b) - Math.max(g.start, a)), 0);
  const gc = { minor: minor.length, minorMaxMs: Math.max(0, ...minor.map((g) => g.ms)), major: major.length, majorMaxMs: Math.max(0, ...major.map((g) => g.ms)), inLongestBlockMs, external: mine.filter((g) => g.external).length };
  const busyMs = nodePerformance.eventLoopUtilization(elu0).active;
  return { ms, maxBlockMs: max, busyMs, gc, value };
}

/** Bytes of the JSON inside a gzip file, counted as it streams (never held at once). */
async function jsonBytes(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file).pipe(createGunzip())) n += (chunk as Buffer).length;
  return n;
}

async function main(): Promise<void> {
  const [file, rowsArg, runsArg, dir, thread] = process.argv.slice(2);
  const n = Number(rowsArg);
  const runs = Math.max(1, Number(runsArg ?? 3));
  mkdirSync(dir, { recursive: true });
  const rows = scaleTo(parseStreamResponse(JSON.parse(readFileSync(file, 'utf8')), Infinity).rows, n);
  const result: ResultSet = { title: `${n} clicks`, request: { kind: 'stream', from: '', to: '', fetched_at: new Date(0).toISOString(), rows: n } as unknown as ResultSet['request'], rows };
  const logged: string[] = [];
  const log = (m: string): void => {
    logged.push(m);
    process.stderr.write(`${m}\n`);
  };
  const limits = { maxFiles: 5, maxBytes: 8 * 1024 ** 3 };
  // With `thread` (the built reader thread), loads read the file's bytes there, as the extension does;
  // the same load on the host's own thread is timed beside it in every run (the baseline).
  const store = new ResultStore(dir, limits, log, thread);
  const here = thread ? new ResultStore(dir, limits, log) : undefined;
  const hereLoad: number[] = [];
  const hereBlock: number[] = [];
  const hereGc: GcSummary[] = [];
  const hereBusy: number[] = [];
  const loadBusy: number[] = [];
  const sampler = new PeakRss();
  const save: number[] = [];
  const saveBlock: number[] = [];
  const load: number[] = [];
  const loadBlock: number[] = [];
  const saveGc: GcSummary[] = [];
  const loadGc: GcSummary[] = [];
  const oneShot: number[] = [];
  const oneShotBlock: number[] = [];
  let oneShotError: string | undefined;
  let loadedRows = 0;
  /** The last run's loaded result, kept until its heap is measured (after every timed run). */
  const kept: { loaded?: ResultSet } = {};
  sampler.reset();
  // A run in a function of its own: a suspended async function keeps its locals, so the last run's
  // loaded rows would stay reachable from main's frame after `kept` lets them go.
  const run = async (): Promise<void> => {
    const s = await timed(() => store.save('r-bench', result));
    save.push(s.ms);
    saveBlock.push(s.maxBlockMs);
    saveGc.push(s.gc);
    // Each load with no other loaded copy alive (as after a window reload); which goes first alternates.
    const loadWith = async (which: ResultStore): Promise<void> => {
      kept.loaded = undefined;
      const l = await timed(() => which.load('r-bench'));
      kept.loaded = l.value;
      if (which === store) {
        loadedRows = l.value?.rows.length ?? 0;
        load.push(l.ms);
        loadBlock.push(l.maxBlockMs);
        loadGc.push(l.gc);
        loadBusy.push(l.busyMs);
      } else {
        hereLoad.push(l.ms);
        hereBlock.push(l.maxBlockMs);
        hereGc.push(l.gc);
        hereBusy.push(l.busyMs);
      }
    };
    for (const which of here && save.length % 2 === 0 ? [here, store] : [store, ...(here ? [here] : [])]) await loadWith(which);
    // The one-shot read needs the whole JSON as one string: past V8's longest (2^29 - 24 UTF-16 units)
    // it cannot work, so it is not tried (it would only spend minutes gunzipping into one buffer).
    const textBytes = await jsonBytes(join(dir, 'r-bench.json.gz'));
    if (textBytes >= 2 ** 29 - 24) {
      oneShotError = `not possible: ${Math.round(textBytes / 2 ** 20)} MiB of JSON is past V8's longest string (512 MiB)`;
      return;
    }
    try {
      const o = await timed(async () => JSON.parse((await gunzipAsync(await readFile(join(dir, 'r-bench.json.gz')))).toString('utf8')) as unknown);
      oneShot.push(o.ms);
      oneShotBlock.push(o.maxBlockMs);
    } catch (e) {
      oneShotError = e instanceof Error ? e.message : String(e);
    }
  };
  for (let i = 0; i < runs; i++) await run();
  const fileBytes = (await readFile(join(dir, 'r-bench.json.gz'))).byteLength;
  rmSync(dir, { recursive: true, force: true });
  const peak = sampler.peak();
  void sampler.stop();
  // The heap a loaded result holds (live objects after a full collection, with and without it): what
  // V8 marks at each major collection while the panel is open. Measured after the timed runs, so the
  // forced collections change none of them.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const heapWithLoaded = process.memoryUsage().heapUsed;
  kept.loaded = undefined;
  gc();
  const loadedHeapBytes = heapWithLoaded - process.memoryUsage().heapUsed;
  const out = {
    rows: n,
    loadedRows,
    fileBytes,
    save: summarise(save),
    saveMaxBlockMs: Math.max(...saveBlock),
    load: summarise(load),
    loadMaxBlockMs: Math.max(...loadBlock),
    saveMaxBlocksMs: saveBlock,
    loadMaxBlocksMs: loadBlock,
    loadBusyMs: summarise(loadBusy),
    readerThread: thread !== undefined,
    threadFallbacks: logged.filter((m) => m.includes('reader thread did not start')).length,
    here: here ? { load: summarise(hereLoad), loadMaxBlockMs: Math.max(...hereBlock), loadMaxBlocksMs: hereBlock, loadGc: hereGc, loadBusyMs: summarise(hereBusy) } : undefined,
    saveGc,
    loadGc,
    oneShot: oneShot.length ? summarise(oneShot) : undefined,
    oneShotMaxBlockMs: oneShotBlock.length ? Math.max(...oneShotBlock) : undefined,
    oneShotError,
    peakRssBytes: peak,
    loadedHeapBytes,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
