// Section 6 of `npm run bench`: the production build's sizes, and the extension's activation time in
// a real extension host (code-server 4.139.1 = VS Code 1.139.1, opened in headless Chromium).
//
// How activation is timed: by VS Code itself. The extension host times every activation (loading
// and compiling the main module, then the activate() call) and "Developer: Show Running Extensions"
// shows the sum as "Activation: N ms"; this reads that view in the workbench. The passes:
// - start-up: the packaged extension as is, in a window with no log open. It activates as the window
//   opens (`onStartupFinished`; the extension host's log says which event, and it is recorded), with
//   the browser, the server and the other extensions busy on the same 2 cores;
// - start-up with a log restored (`restoreLog`): the same in a window that restores a .log editor, so
//   the log's activation event fires while the window starts;
// - floors: each of those windows again with an empty extension carrying the same activation events in
//   this one's place (what VS Code shows for any extension activated at that moment);
// - quiet: the same code with its activation events removed, activated through the API by a
//   benchmark-only probe extension (bench/activation/probe) once the window has settled: the
//   extension's own cost, without the start-up crowd.
// Where the time goes: the extension marks each phase of loading and activate() with performance.now()
// (src/activationTimeline.ts) and, because this script sets EVERFLOW_BENCH_ACTIVATION_DIR for code-server
// and so for its extension hosts, writes the marks to a file once activate() has returned; VS Code's own
// marks around require() (willLoadExtensionCode/didLoadExtensionCode) give the reading and compiling.
// Work an extension defers past its return (first use, idle) is not in VS Code's figure, nor here.
// The baseline in every pass is an empty extension in the same extension host, activated by the probe
// and read from the same view. The window is reloaded between runs, so each run has a fresh
// extension host; run 0 warms the OS file cache and is left out of the median.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnSync } from 'node:child_process';
import zlib from 'node:zlib';
import { repoRoot } from './lib/paths.mjs';
import { ensureTesthost } from './lib/testhost.mjs';
import { onCleanup } from './lib/proc.mjs';
import { activationEvents, collectVscodeLogs, ensureLogsDir, openWorkbench, prepareProfile, startCodeServer } from './lib/workbench.mjs';

const PROBE_DIR = path.join(repoRoot, 'bench', 'activation');
const EVERFLOW_ID = 'everflow-clicks.everflow-clicks';
const EVERFLOW_NAME = 'Everflow Clicks';
const BASELINES = ['everflow-clicks-bench.activation-baseline-a', 'everflow-clicks-bench.activation-baseline-b'];
const BASELINE_NAMES = ['Empty extension A (benchmark baseline only)', 'Empty extension B (benchmark baseline only)'];
/** The start-up floor: an empty extension with Everflow Clicks' activation events, in its place (VS Code cuts names past about 50 characters). */
const FLOOR_NAME = 'Empty extension C (same activation events)';
/** The log a `restoreLog` window has open: a few access-log lines with click transaction IDs. */
const RESTORED_LOG = [
  '2026-12-04T07:00:01Z GET /offer?tid=3f2a9c0b7d4e4f1a8b6c5d4e3f2a1b0c 302',
  '2026-12-04T07:00:02Z GET /offer?tid=9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b 302',
  '',
].join('\n');

/**
 * `node esbuild.js --production` in a scratch folder that links to the sources, so the shared
 * dist/ (other people's watch builds) is left alone. Returns the folder holding the new dist/.
 */
export function productionBuild() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'everflow-bench-build-'));
  onCleanup(() => fs.rmSync(root, { recursive: true, force: true }));
  for (const name of ['src', 'webview', 'media', 'node_modules', 'package.json', 'tsconfig.json']) {
    if (fs.existsSync(path.join(repoRoot, name))) fs.symlinkSync(path.join(repoRoot, name), path.join(root, name));
  }
  fs.copyFileSync(path.join(repoRoot, 'esbuild.js'), path.join(root, 'esbuild.js'));
  const r = spawnSync(process.execPath, ['esbuild.js', '--production'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node esbuild.js --production failed:\n${r.stdout}${r.stderr}`);
  return root;
}

/**
 * The same production build of an earlier commit (`git archive <ref>`, built with today's node_modules),
 * for a same-run comparison against the build before a change. Undefined, with the reason logged, when
 * the commit is not in this clone or does not build.
 */
export function productionBuildAt(ref, log) {
  const rev = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repoRoot, encoding: 'utf8' });
  if (rev.status !== 0) {
    log(`no base build: ${ref} is not a commit in this clone`);
    return undefined;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'everflow-bench-base-'));
  onCleanup(() => fs.rmSync(root, { recursive: true, force: true }));
  const tar = spawnSync('git', ['archive', '--format=tar', rev.stdout.trim()], { cwd: repoRoot, maxBuffer: 1 << 30 });
  const untar = tar.status === 0 ? spawnSync('tar', ['-x', '-C', root], { input: tar.stdout }) : tar;
  if (untar.status !== 0) {
    log(`no base build: git archive ${ref} failed`);
    return undefined;
  }
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
  const r = spawnSync(process.execPath, ['esbuild.js', '--production'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    log(`no base build: node esbuild.js --production failed at ${ref}: ${(r.stderr || r.stdout).slice(0, 500)}`);
    return undefined;
  }
  return { root, ref, commit: rev.stdout.trim().slice(0, 7) };
}

/**
 * Raw and gzip -9 sizes of the shipped bundles (what .vscodeignore lets into the .vsix). The host is one
 * row per entry when the build split it (dist/host-meta.json, esbuild's metafile): activation is
 * dist/extension.js with the chunks it requires; each chunk loaded on first use (an `import()` in src/)
 * counts with the chunks it requires that activation did not already load.
 */
export function bundleSizes(buildRoot) {
  const size = (rel) => {
    const buf = fs.readFileSync(path.join(buildRoot, rel));
    return { bytes: buf.length, gzipBytes: zlib.gzipSync(buf, { level: 9 }).length };
  };
  const sum = (files) => files.map(size).reduce((a, b) => ({ bytes: a.bytes + b.bytes, gzipBytes: a.gzipBytes + b.gzipBytes }), { bytes: 0, gzipBytes: 0 });
  const rows = [];
  const metaFile = path.join(buildRoot, 'dist', 'host-meta.json');
  if (fs.existsSync(metaFile)) {
    const outputs = JSON.parse(fs.readFileSync(metaFile, 'utf8')).outputs;
    const closure = (from) => {
      const seen = new Set();
      const stack = [from];
      while (stack.length > 0) {
        const o = stack.pop();
        if (seen.has(o) || !outputs[o]) continue;
        seen.add(o);
        for (const i of outputs[o].imports) if (i.kind === 'import-statement' && !i.external) stack.push(i.path);
      }
      return [...seen];
    };
    const main = 'dist/extension.js';
    const activation = closure(main);
    const src = (p) => p?.replace(/^.*?(?=src\/)/, '');
    rows.push({ file: main, entry: src(outputs[main]?.entryPoint), loads: 'activation', chunks: activation.length - 1, ...sum(activation) });
    for (const [file, o] of Object.entries(outputs)) {
      if (file === main || !file.endsWith('.js') || !o.entryPoint) continue;
      const own = closure(file).filter((f) => !activation.includes(f));
      rows.push({ file, entry: src(o.entryPoint), loads: 'first use', chunks: own.length - 1, ...sum(own) });
    }
  } else {
    rows.push({ file: 'dist/extension.js', ...size('dist/extension.js') });
  }
  const more = [];
  const vendor = path.join(buildRoot, 'dist', 'vendor');
  if (fs.existsSync(vendor)) for (const f of fs.readdirSync(vendor).sort()) if (f.endsWith('.js')) more.push(`dist/vendor/${f}`);
  const web = path.join(buildRoot, 'dist', 'webview');
  if (fs.existsSync(web)) for (const f of fs.readdirSync(web).sort()) if (/\.(js|css)$/.test(f)) more.push(`dist/webview/${f}`);
  return [...rows, ...more.map((file) => ({ file, ...size(file) }))];
}

/** An extension folder as the .vsix would unpack it (manifest, production bundles, media); `quiet` drops its activation events. */
function packagedExtension(buildRoot, into, quiet, sourceRoot = repoRoot) {
  const pkg = JSON.parse(fs.readFileSync(path.join(sourceRoot, 'package.json'), 'utf8'));
  const dir = path.join(into, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(quiet ? { ...pkg, activationEvents: [] } : pkg, null, 2));
  fs.cpSync(path.join(buildRoot, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.cpSync(path.join(sourceRoot, 'media'), path.join(dir, 'media'), { recursive: true });
  return { folderName: path.basename(dir), dir };
}

/** bench/activation/empty as the extension `name` (publisher everflow-clicks-bench) with `manifest` over its own. */
function emptyExtension(into, name, manifest) {
  const dir = path.join(into, `everflow-clicks-bench.${name}-0.0.0`);
  fs.cpSync(path.join(PROBE_DIR, 'empty'), dir, { recursive: true });
  const own = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...own, name, ...manifest }, null, 2));
  return { folderName: path.basename(dir), dir };
}

/**
 * The start-up floor (the `floor` pass): an empty extension activated by the same events as Everflow
 * Clicks, installed instead of it. What VS Code shows for it at start-up is what any extension with
 * those events pays there, whatever its own code: the clock VS Code starts before it awaits and loads
 * the code, with whatever else the extension host runs meanwhile.
 */
function floorExtension(into, sourceRoot) {
  const manifest = JSON.parse(fs.readFileSync(path.join(sourceRoot, 'package.json'), 'utf8'));
  return emptyExtension(into, 'activation-floor', { displayName: FLOOR_NAME, activationEvents: manifest.activationEvents });
}

/** The probe and the two empty extensions, written into `into` (the probe with its config). */
function benchExtensions(into, config) {
  const probe = path.join(into, 'everflow-clicks-bench.activation-probe-0.0.0');
  fs.cpSync(path.join(PROBE_DIR, 'probe'), probe, { recursive: true });
  fs.writeFileSync(path.join(probe, 'config.json'), JSON.stringify(config, null, 2));
  return [{ folderName: path.basename(probe), dir: probe }, ...BASELINES.map((id, i) => emptyExtension(into, id.split('.')[1], { displayName: BASELINE_NAMES[i] }))];
}

async function waitForResult(dir, known, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const fresh = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !known.has(f));
    if (fresh.length > 0) {
      known.add(fresh[0]);
      return JSON.parse(fs.readFileSync(path.join(dir, fresh[0]), 'utf8'));
    }
    await sleep(200);
  }
  throw new Error(`the activation probe wrote nothing within ${timeoutMs / 1000}s`);
}

/**
 * Activation times over `runs` window loads in one pass (`quiet` or not, see above). `sourceRoot`:
 * where the manifest and media of that build are (an earlier commit's tree for a base build). `floor`:
 * the start-up pass with the floor extension in place of Everflow Clicks (see floorExtension).
 * `restoreLog`: a start-up pass in a window that restores an editor on a .log file (the probe opens it
 * on the uncounted first load), so log documents' activation event fires while the window starts.
 */
export async function benchActivation({ buildRoot, sourceRoot = repoRoot, label = '', runs, quiet, floor = false, restoreLog = false, log }) {
  const subject = floor ? FLOOR_NAME : EVERFLOW_NAME;
  const host = await ensureTesthost({ log: (m) => log(`testhost: ${m}`) });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'everflow-bench-ext-'));
  onCleanup(() => fs.rmSync(staging, { recursive: true, force: true }));
  const resultsDir = path.join(staging, 'results');
  fs.mkdirSync(resultsDir);
  // Where the extension writes its phase marks (src/activationTimeline.ts), one file per extension host.
  const phasesDir = path.join(staging, 'phases');
  fs.mkdirSync(phasesDir);
  // The probe waits for the start-up activations of the built-in extensions to finish first.
  const config = { ids: quiet ? [BASELINES[0], EVERFLOW_ID, BASELINES[1]] : BASELINES, resultsDir, settleMs: 2000, ...(restoreLog ? { open: 'app.log' } : {}) };
  const files = { 'notes.txt': 'benchmark workspace\n', ...(restoreLog ? { 'app.log': RESTORED_LOG } : {}) };
  const extensions = [floor ? floorExtension(staging, sourceRoot) : packagedExtension(buildRoot, staging, quiet, sourceRoot), ...benchExtensions(staging, config)];
  const profile = prepareProfile({ label: 'bench-activation', extensions, files });
  onCleanup(() => profile.remove());
  const logs = ensureLogsDir('bench');
  // code-server passes its environment on to the extension hosts it starts.
  process.env.EVERFLOW_BENCH_ACTIVATION_DIR = phasesDir;
  onCleanup(() => delete process.env.EVERFLOW_BENCH_ACTIVATION_DIR);
  const server = await startCodeServer({ profile, logFile: path.join(logs, 'code-server.log') });
  onCleanup(() => server.stop());
  const known = new Set();
  const perRun = [];
  // Tall enough that the Running Extensions list shows every extension without scrolling.
  const wb = await openWorkbench({ url: server.url, folder: profile.workspaceDir, browserLog: path.join(logs, 'activation-browser.log'), viewport: { width: 1280, height: 1600 } });
  onCleanup(() => wb.close());
  try {
    // Run 0 warms the OS file cache and code-server's caches; it is reported but not in the median.
    for (let run = 0; run <= runs; run++) {
      if (run > 0) await wb.page.reload({ waitUntil: 'domcontentloaded' });
      const probe = await waitForResult(resultsDir, known, 120_000);
      const shown = await runningExtensions(wb.page, [subject, ...BASELINE_NAMES], log);
      const { phases, otherLoads } = readPhases(phasesDir, probe.pid) ?? {};
      perRun.push({ run, pid: probe.pid, vscode: shown, probe: probe.results, ...(phases ? { phases, otherLoads } : {}) });
      log(`activation${label ? ` ${label}` : ''} (${floor ? 'start-up floor' : quiet ? 'quiet' : 'start-up'}${restoreLog ? ', a log restored' : ''}) run ${run}: ${floor ? 'floor extension' : 'Everflow Clicks'} ${shown[subject]?.ms} ms, empty extensions ${BASELINE_NAMES.map((n) => shown[n]?.ms).join(' / ')} ms`);
      if (phases) log(`  phases: ${phases.map((p) => `${p.phase} ${p.ms.toFixed(1)}`).join(' · ')} ms`);
      if (otherLoads?.length) log(`  loaded just before it: ${otherLoads.map((o) => `${o.id} at ${o.at} ms for ${o.ms} ms`).join(' · ')}`);
    }
  } finally {
    await wb.close();
    await server.stop();
    fs.rmSync(path.join(logs, 'vscode'), { recursive: true, force: true });
    collectVscodeLogs(profile, path.join(logs, 'vscode'));
  }
  return { codeServer: host.codeServerVersion, quiet, subject, runs: perRun, activationEvents: activationEvents(path.join(logs, 'vscode'), floor ? 'everflow-clicks-bench.activation-floor' : EVERFLOW_ID) };
}

/**
 * The extension's own phase marks in the extension host `pid` (src/activationTimeline.ts), as the
 * milliseconds each phase took, in order, and whether VS Code's figure counts it. Undefined when that build writes none (an earlier commit) or it did not run.
 */
function readPhases(dir, pid) {
  const file = path.join(dir, `${pid}.json`);
  if (!fs.existsSync(file)) return undefined;
  const { marks, vscode = [], host = [] } = JSON.parse(fs.readFileSync(file, 'utf8'));
  // VS Code's figure runs from before it loads the code to activate()'s promise settling, but leaves out
  // the wait between loading and the activate() call (VS Code preparing the extension context).
  const counted = (phase) => !phase.startsWith('later: ') && !phase.includes('not in its figure');
  const phases = marks.slice(1).map((m, i) => ({ phase: m.phase, ms: m.ms ?? m.at - marks[i].at, counted: counted(m.phase) }));
  const willLoad = vscode.find((m) => m.name === 'code/extHost/willLoadExtensionCode')?.at;
  // From VS Code's mark just before its require() to the bundle's own first line: reading and compiling
  // dist/extension.js, requiring its chunks and running the modules they hold (VS Code's marks are whole milliseconds).
  if (willLoad !== undefined) phases.unshift({ phase: 'read, compile, shared chunks', ms: Math.max(0, marks[0].at - willLoad), counted: true });
  return { phases, otherLoads: otherLoads(host, willLoad) };
}

/**
 * Other extensions whose code the same extension host loaded in the `WINDOW_MS` before this one's:
 * VS Code starts this extension's clock and then awaits before loading its code, so extensions
 * activated by the same event can load inside its figure. Each as id, start relative to this
 * extension's load (negative: before) and milliseconds spent loading.
 */
const WINDOW_MS = 300;
function otherLoads(host, willLoad) {
  if (willLoad === undefined) return [];
  const starts = new Map();
  const loads = [];
  for (const m of host) {
    const will = /^code\/extHost\/willLoadExtensionCode\/(.+)$/.exec(m.name);
    const did = /^code\/extHost\/didLoadExtensionCode\/(.+)$/.exec(m.name);
    if (will) starts.set(will[1], m.at);
    else if (did && starts.has(did[1]) && did[1] !== EVERFLOW_ID) {
      const at = starts.get(did[1]) - willLoad;
      if (at < 0 && at > -WINDOW_MS) loads.push({ id: did[1], at: Math.round(at), ms: Math.round(m.at - starts.get(did[1])) });
    }
  }
  return loads;
}

/** "Developer: Show Running Extensions", read: name → VS Code's activation time for each of `names`. */
async function runningExtensions(page, names, log) {
  let found = {};
  let seen = [];
  // The view lists what the extension host reported when it opened; reopened if a row is missing.
  for (let attempt = 0; attempt < 3 && !names.every((n) => found[n]); attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.type('Developer: Show Running Extensions');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Show Running Extensions' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.press('Enter');
    const rows = page.locator('.runtime-extensions-editor .monaco-list-row');
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline) {
      const texts = await rows.evaluateAll((els) => els.map((e) => [e.querySelector('.name')?.textContent ?? '', e.querySelector('.activation-time')?.textContent ?? '']));
      seen = texts;
      for (const [name, time] of texts) {
        const m = /(Startup )?Activation: ([\d.]+)\s*ms/.exec(time);
        if (names.includes(name.trim()) && m) found[name.trim()] = { ms: Number(m[2]), startup: Boolean(m[1]) };
      }
      if (names.every((n) => found[n])) break;
      await sleep(250);
    }
    await page.keyboard.press('Escape');
  }
  // The subject (first) must be there; the empty extensions are not yet activated in the uncounted run 0.
  if (!found[names[0]]) log(`Running Extensions has no activation time for ${names[0]}; it listed: ${seen.map(([n, t]) => `${n.trim()} (${t.trim()})`).join(' · ')}`);
  return found;
}

