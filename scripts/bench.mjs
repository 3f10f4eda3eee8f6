// `npm run bench`: what people feel, measured on this machine, each figure beside a baseline
// measured in the same run. Writes bench/results.json (committed: the README's figures come from it)
// and prints the Markdown table for the README; scratch output goes to test-results/bench/.
//
// Options: --runs <n>      runs per figure (default 5; fewer is for trying the script out)
//          --only <list>   some of: core, transfer, grid, hover, fetch (or fetchAll), scan, summary, store, conversions, activation (comma-separated);
//                          the sections not run keep their figures (and dates) from the existing results file
//          --scan-mb <n>   size of the generated log the scan section reads (default 200)
//          --out <file>    where to write the results (default bench/results.json)
//
// Sections run one after another, never in parallel: there are 2 cores, and a benchmark sharing
// them with another would measure the other. Node-side measurements run in child processes
// (bench/workers/*, bundled by esbuild first) so each starts with a fresh heap; browser ones in
// headless Chromium (scripts/bench-grid.mjs); activation in code-server (scripts/bench-activation.mjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { repoRoot, resultsDir } from './lib/paths.mjs';
import { runCleanups } from './lib/proc.mjs';
import { benchActivation, bundleSizes, productionBuild, productionBuildAt } from './bench-activation.mjs';
import { benchGrid } from './bench-grid.mjs';

const SECTIONS = ['core', 'transfer', 'grid', 'hover', 'fetch', 'scan', 'summary', 'store', 'conversions', 'activation'];
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    only: { type: 'string', default: SECTIONS.join(',') },
    out: { type: 'string', default: path.join('bench', 'results.json') },
    'scan-mb': { type: 'string', default: '200' },
    // The build the grid's first paint is compared with in the same run: the last commit before the
    // summary above the grid (906ae49 added it), so "first paint does not get slower" is measured.
    'base-ref': { type: 'string', default: '906ae49^' },
    // The build activation is compared with in the same run: the last one before axios moved to a file
    // of its own (299590f).
    'activation-base-ref': { type: 'string', default: '299590f^' },
  },
});
const runs = Math.max(1, Number(opts.runs));
const only = new Set(opts.only.split(',').map((s) => s.trim()));
const scratch = path.join(resultsDir, 'bench');
const workerDir = path.join(repoRoot, 'out', 'bench');
const t0 = Date.now();
const log = (msg) => console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${msg}`);

/** The toolkit baseline lives in bench/'s own node_modules, so the extension never depends on it. */
function ensureBenchDeps() {
  if (fs.existsSync(path.join(repoRoot, 'bench', 'node_modules', '@vscode', 'webview-ui-toolkit', 'package.json'))) return;
  log('installing the benchmark-only dependencies (npm ci in bench/)');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: path.join(repoRoot, 'bench'), stdio: 'inherit', env });
  if (r.status !== 0) throw new Error('npm ci in bench/ failed');
}

async function buildWorkers() {
  const esbuild = await import('esbuild');
  const dir = path.join(repoRoot, 'bench', 'workers');
  await esbuild.build({
    entryPoints: fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f)),
    outdir: workerDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  // The results store's reader thread, built as esbuild.js builds dist/resultReader.js.
  const thread = path.join(repoRoot, 'src', 'results', 'resultReaderThread.ts');
  if (fs.existsSync(thread)) await esbuild.build({ entryPoints: [thread], outfile: path.join(workerDir, 'resultReader.cjs'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  // The hover card is built on its own so the hover section still runs while it does not exist.
  const card = path.join(repoRoot, 'src', 'hovers', 'clickCard.ts');
  if (!fs.existsSync(card)) return undefined;
  const outfile = path.join(workerDir, 'clickCard.cjs');
  await esbuild.build({ entryPoints: [card], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  return outfile;
}

/** Runs bench/workers/<name>.ts (bundled) in a child process; its last stdout line is JSON. */
function runWorker(name, args, { gc = false } = {}) {
  // 8 GiB of heap: 100,000 parsed clicks plus the JSON text they came from pass V8's default limit.
  const flags = ['--max-old-space-size=8192', ...(gc ? ['--expose-gc'] : [])];
  const r = spawnSync(process.execPath, [...flags, path.join(workerDir, `${name}.cjs`), ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr.slice(-4000)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

// Nothing here can stop other work from sharing the 2 cores, so the run records how much CPU the
// rest of the machine used meanwhile: the busy time in /proc/stat less this process's own and its
// reaped children's (code-server, Chromium and the workers are all children, waited for).
const load = () => Math.round(os.loadavg()[0] * 100) / 100;

function cpuTicks() {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const busy = cpu.reduce((a, b) => a + b, 0) - cpu[3] - cpu[4];
    const self = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
    // Fields 14–17 of /proc/[pid]/stat (utime, stime, cutime, cstime), counted after the ')'.
    return { busy, mine: f[11] + f[12] + f[13] + f[14] };
  } catch {
    return undefined;
  }
}

function machine() {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}`, node: process.version, loadBefore: load() };
}

/** Share of all cores that other processes kept busy since `start` (0–1), or undefined off Linux. */
function otherLoad(start, elapsedMs) {
  const end = cpuTicks();
  if (!start || !end) return undefined;
  const ticksPerSecond = 100; // USER_HZ on Linux
  const others = end.busy - start.busy - (end.mine - start.mine);
  return Math.max(0, Math.round((others / ticksPerSecond / (elapsedMs / 1000) / os.cpus().length) * 100) / 100);
}

async function main() {
  fs.mkdirSync(scratch, { recursive: true });
  const { tsImport } = await import('tsx/esm/api');
  const report = await tsImport(pathToFileURL(path.join(repoRoot, 'bench', 'report.ts')).href, import.meta.url);
  log('bundling the workers');
  const cardFile = await buildWorkers();
  log('writing the click-stream responses (5,000 and 100,000 rows) from the sandbox');
  const data = runWorker('data', [path.join(scratch, 'data')]);
  const sections = {};
  const info = machine();
  const ticks0 = cpuTicks();
  const section = async (name, fn) => {
    const s0 = Date.now();
    log(`${name}: load average ${load()}`);
    try {
      sections[name] = await fn();
    } catch (e) {
      log(`${name} FAILED: ${e?.stack ?? e}`);
      sections[name] = { error: String(e?.message ?? e) };
    }
    log(`${name} done in ${((Date.now() - s0) / 1000).toFixed(0)} s`);
  };

  if (only.has('core')) {
    await section('core', () => {
      const out = {};
      for (const [task, n] of [['parse', 5000], ['jsonParse', 5000], ['parse', 100_000], ['jsonParse', 100_000], ['flatten', 100_000], ['rowMajor', 100_000], ['csv', 100_000], ['naiveCsv', 100_000], ['jsonStringify', 100_000]]) {
        log(`core: ${task} ${n}`);
        out[`${task}${n}`] = runWorker('core', [task, data[n], String(runs)], { gc: true });
      }
      return out;
    });
  }
  if (only.has('transfer')) {
    await section('transfer', () => ({
      grid: runWorker('core', ['transferGrid', data[100_000], String(runs)], { gc: true }),
      rows: runWorker('core', ['transferRows', data[100_000], String(runs)], { gc: true }),
      binary: runWorker('core', ['transferBinary', data[100_000], String(runs)], { gc: true }),
      // A million rows: the 100,000-click day ten times over (bench/lib/replicate.ts); fewer runs, each is long.
      binary1m: runWorker('core', ['transferBinary', data[100_000], String(Math.min(runs, 3)), '1000000'], { gc: true }),
      grid1m: runWorker('core', ['transferGrid', data[100_000], String(Math.min(runs, 3)), '1000000'], { gc: true }),
      // Fetch all's way: the million rows arrive as 200 pages of 5,000 and are encoded as they come;
      // timed from the last page. In the result's order, and with each page newest first (every row moves).
      paged1m: runWorker('core', ['transferPaged', data[100_000], String(Math.min(runs, 3)), '1000000'], { gc: true }),
      pagedReversed1m: runWorker('core', ['transferPagedReversed', data[100_000], String(Math.min(runs, 3)), '1000000'], { gc: true }),
      // The grid's way since session 10: the table posted in pieces while the pages come; timed from the last page.
      pieces1m: runWorker('core', ['transferPieces', data[100_000], String(Math.min(runs, 3)), '1000000'], { gc: true }),
      piecesReversed1m: runWorker('core', ['transferPiecesReversed', data[100_000], String(Math.min(runs, 3)), '1000000'], { gc: true }),
    }));
  }
  let buildRoot;
  const build = () => (buildRoot ??= (log('production build (node esbuild.js --production, in a scratch folder)'), productionBuild()));
  if (only.has('grid')) {
    await section('grid', async () => {
      ensureBenchDeps();
      log(`base build for the first-paint comparison (${opts['base-ref']})`);
      const baseBuild = productionBuildAt(opts['base-ref'], log);
      const raw = await benchGrid({ buildRoot: build(), baseBuild, dataFile: data[100_000], outDir: scratch, runs, log, runWorker });
      info.chromium = raw.chromium;
      if (raw.grid.runs) raw.grid.summary = report.summariseGrid(raw.grid.runs);
      raw.toolkit.summary = report.summariseGrid(raw.toolkit.runs);
      return raw;
    });
  }
  if (only.has('hover')) {
    await section('hover', () => runWorker('hover', [data[5000], String(runs), ...(cardFile ? [cardFile] : [])]));
  }
  if (only.has('fetch') || only.has('fetchAll')) {
    await section('fetchAll', () => {
      // At most 3 seeds: each seed is 3 windows × 4 modes × 2 algorithms at 5 requests/s (minutes).
      const seeds = Array.from({ length: Math.min(runs, 3) }, (_, i) => i + 1).join(',');
      log(`fetch-all: ${seeds.split(',').length} seed(s) × 3 windows × 4 truncation modes, new and legacy, at 5 requests/s`);
      const raw = runWorker('fetchAll', [seeds, 'first,newest,arbitrary,shifting', '--legacy', '--halving']);
      return { ...raw, summary: report.summariseFetchAll(raw) };
    });
  }
  if (only.has('scan')) {
    await section('scan', () => {
      const file = path.join(scratch, `scan-${opts['scan-mb']}mb.log`);
      log(`scan: Look Up All over a ${opts['scan-mb']} MB log read from disk (${runs} runs, each pass in its own process)`);
      const { fileBytes } = runWorker('scan', ['write', file, opts['scan-mb']]);
      const passes = { baseline: [], scan: [] };
      for (let i = 0; i < runs; i++) for (const mode of ['baseline', 'scan']) passes[mode].push(runWorker('scan', [mode, file]));
      return { fileBytes, ...passes };
    });
  }
  if (only.has('summary')) {
    await section('summary', () => {
      // 100,000 sandbox clicks, and the same ten times over (each copy a window later) for the million.
      const out = {};
      for (const n of [100_000, 1_000_000]) {
        log(`summary: recompute over ${n.toLocaleString('en-US')} rows`);
        out[`rows${n}`] = runWorker('summary', [data[100_000], String(n), String(runs)]);
      }
      return out;
    });
  }
  if (only.has('store')) {
    await section('store', () => {
      // The results store's save and load (a window reload), timed with the event loop's longest block.
      const out = {};
      for (const n of [100_000, 1_000_000]) {
        log(`store: save and load ${n.toLocaleString('en-US')} rows`);
        const thread = path.join(workerDir, 'resultReader.cjs');
        out[`rows${n}`] = runWorker('store', [data[100_000], String(n), String(Math.min(runs, 3)), path.join(scratch, 'store'), ...(fs.existsSync(thread) ? [thread] : [])]);
      }
      return out;
    });
  }
  if (only.has('conversions')) {
    await section('conversions', () => {
      log('conversions: join 100,000 clicks with 10,000 conversion rows');
      return runWorker('conversions', [data[100_000], String(runs)]);
    });
  }
  if (only.has('activation')) {
    await section('activation', async () => {
      const root = build();
      const toolkit = path.join(repoRoot, 'bench', 'node_modules', '@vscode', 'webview-ui-toolkit', 'dist', 'toolkit.min.js');
      const out = { sizes: bundleSizes(root) };
      if (fs.existsSync(toolkit)) {
        const buf = fs.readFileSync(toolkit);
        out.toolkitSize = { bytes: buf.length, gzipBytes: zlib.gzipSync(buf, { level: 9 }).length };
      }
      const base = productionBuildAt(opts['activation-base-ref'], log);
      if (base) out.base = { ref: base.ref, commit: base.commit, sizes: bundleSizes(base.root) };
      for (const quiet of [false, true]) {
        // The base build first, then this one, back to back, so both see the same machine.
        if (base) {
          const pass = await benchActivation({ buildRoot: base.root, sourceRoot: base.root, label: `base ${base.commit}`, runs, quiet, log });
          out[quiet ? 'quietBase' : 'startupBase'] = { ...report.summariseActivation(pass), raw: pass.runs };
        }
        const pass = await benchActivation({ buildRoot: root, runs, quiet, log });
        info.codeServer = pass.codeServer;
        out[quiet ? 'quiet' : 'startup'] = { ...report.summariseActivation(pass), raw: pass.runs };
        if (!quiet) {
          // The start-up floor: the same window with an empty extension carrying this one's activation events in its place.
          const floor = await benchActivation({ buildRoot: root, runs, quiet, floor: true, log });
          out.startupFloor = { ...report.summariseActivation(floor), raw: floor.runs };
          // A window that restores a log editor: the log's activation event fires while the window starts.
          const withLog = await benchActivation({ buildRoot: root, runs, quiet, restoreLog: true, log });
          out.startupLog = { ...report.summariseActivation(withLog), raw: withLog.runs };
          const logFloor = await benchActivation({ buildRoot: root, runs, quiet, floor: true, restoreLog: true, log });
          out.startupLogFloor = { ...report.summariseActivation(logFloor), raw: logFloor.runs };
        }
      }
      return out;
    });
  }

  info.otherCpuShare = otherLoad(ticks0, Date.now() - t0);
  const meta = { command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`, date: new Date().toISOString(), runs };
  const outFile = path.resolve(repoRoot, opts.out);
  // A partial run (--only) replaces its own sections and keeps the others, each with the date it was measured.
  const previous = fs.existsSync(outFile) ? JSON.parse(fs.readFileSync(outFile, 'utf8')) : {};
  const measuredAt = { ...(previous.measuredAt ?? {}) };
  for (const name of Object.keys(previous.sections ?? {})) measuredAt[name] ??= previous.date;
  for (const name of Object.keys(sections)) measuredAt[name] = meta.date;
  const allSections = { ...(previous.sections ?? {}), ...report.slim(sections) };
  const { rows, goals } = report.buildReport(allSections);
  const results = { ...meta, durationSeconds: Math.round((Date.now() - t0) / 1000), machine: info, measuredAt, goals, sections: allSections };
  fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(scratch, 'raw.json'), JSON.stringify({ ...meta, machine: info, sections }));
  const table = report.markdown(rows, info, meta);
  fs.writeFileSync(path.join(scratch, 'table.md'), table);
  console.log(`\n${table}`);
  for (const g of goals) console.log(`${g.met === null ? '?' : g.met ? 'met   ' : 'MISSED'}  ${g.goal}: ${g.value}`);
  log(`wrote ${path.relative(repoRoot, outFile)} and ${path.relative(repoRoot, path.join(scratch, 'table.md'))}`);
}

let code = 0;
try {
  await main();
} catch (e) {
  console.error(`[bench] FAILED: ${e?.stack ?? e}`);
  code = 1;
} finally {
  await runCleanups();
}
process.exit(code);
