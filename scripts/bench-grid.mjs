// Section 2 of `npm run bench`: the results grid in headless Chromium, from the production webview
// bundle, in a page shaped like the one VS Code builds (src/webviews/html.ts: CSP with a nonce, the
// bundle's CSS, `<div id="app">`), with a stand-in host (bench/grid/host.ts) that answers the
// grid's `ready` with the `init` message the extension sends. The baseline is the toolkit's
// vscode-data-grid (bench/grid/toolkitMain.ts) with the same 5,000 rows, through the same host.
//
// Each run opens fresh pages (nothing cached in the JS heap from the run before): the results grid
// with 5,000 rows, then scrolling; 5,000 rows with the summary collapsed; with 100,000 rows, then scrolling, a sort and a search there; 100,000
// rows again, searched the moment they are painted; the toolkit grid with 5,000 rows, then scrolling. Frames of all runs are pooled for the median and p95.
/* global window -- inside page.evaluate() callbacks, which run in the page */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromiumPath, repoRoot } from './lib/paths.mjs';
import { mapBundle, profileSelfTime } from './lib/cpuProfile.mjs';
import { onCleanup } from './lib/proc.mjs';
import { chromiumArgs } from './lib/workbench.mjs';

const VIEWPORT = { width: 1200, height: 800 };
const SCROLL = { frames: 180, step: 220 };
const TIMEOUT_MS = 60_000;
/** More opens per run of the 5,000-row pages, the floor and the base build (see benchGrid). */
const EXTRA_OPENS = 2;
/** The webview bundles' names (esbuild.js writes dist/webview/<name>.js from webview/<name>Main.ts). */
export const GRID_BUNDLE = 'results';

// A few of the variables VS Code sets on a webview's <html> (Dark Modern), so themed CSS resolves.
const THEME = `html { --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace;
  --vscode-editor-background: #1f1f1f; --vscode-editor-foreground: #cccccc; --vscode-foreground: #cccccc;
  --vscode-focusBorder: #0078d4; --vscode-panel-border: #2b2b2b; --vscode-list-hoverBackground: #2a2d2e;
  --vscode-list-activeSelectionBackground: #04395e; --vscode-input-background: #313131; --vscode-input-foreground: #cccccc;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-badge-background: #616161; }
body { margin: 0; background: var(--vscode-editor-background); color: var(--vscode-editor-foreground);
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }`;

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.html': 'text/html' };

/**
 * The page for one webview bundle; `styles` are served paths. Mirrors renderWebviewHtml. `deferred`:
 * the bundle's script element is inert and the stand-in host loads it once it has the payload (the
 * "at ready" pages, bench/grid/host.ts).
 */
function pageHtml(script, styles, deferred = false) {
  const nonce = randomBytes(16).toString('base64');
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'; font-src 'self'; img-src 'self' data:; connect-src 'self'`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="csp-nonce" content="${nonce}">
<style nonce="${nonce}">${THEME}</style>
${styles.map((s) => `<link rel="stylesheet" href="${s}">`).join('\n')}
<title>bench</title></head><body><div id="app"></div>
<script nonce="${nonce}" src="/bench/host.js"></script>
${deferred ? `<script nonce="${nonce}" type="text/plain" data-bundle="${script}"></script>` : `<script nonce="${nonce}" src="${script}"></script>`}</body></html>`;
}

/** A static server on loopback for the pages, bundles and payloads; only the listed roots are served. */
async function serve(roots, pages) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://bench');
    if (pages[url.pathname]) {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' });
      return res.end(pages[url.pathname]());
    }
    const [, root, ...rest] = url.pathname.split('/');
    const base = roots[root];
    const file = base && path.join(base, ...rest);
    if (!file || !file.startsWith(base) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${server.address().port}`;
}

async function bundleBrowserCode(outDir) {
  const esbuild = await import('esbuild');
  const common = { bundle: true, platform: 'browser', format: 'iife', target: 'es2022', minify: true, logLevel: 'warning' };
  await esbuild.build({ ...common, entryPoints: [path.join(repoRoot, 'bench', 'grid', 'host.ts')], outfile: path.join(outDir, 'host.js') });
  await esbuild.build({ ...common, entryPoints: [path.join(repoRoot, 'bench', 'grid', 'toolkitMain.ts')], outfile: path.join(outDir, 'toolkit.js') });
}

async function heapBytes(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/**
 * One page: load it, post the payload (its init patched with `init`), wait for painted rows. With
 * `tracePath`, Chromium's performance trace of it is written there and summarised.
 */
async function openAndPaint(browser, base, pagePath, payload, cellSelector, log, init, tracePath, resolve) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`[page error] ${e.message}`));
  await page.goto(base + pagePath, { waitUntil: 'load' });
  if (tracePath) await browser.startTracing(page, { path: tracePath, categories: TRACE_CATEGORIES });
  const paint = await page.evaluate(([u, s, t, i]) => window.__bench.firstPaint(u, s, t, i), [`/data/${payload}`, cellSelector, TIMEOUT_MS, init]);
  const trace = tracePath ? summariseTrace(await browser.stopTracing(), resolve) : undefined;
  return { context, page, paint, heapBytes: await heapBytes(page), ...(trace ? { trace } : {}) };
}

/**
 * One "at ready" page: the stand-in host answers the page's `ready` with the payload at once, and the
 * interval runs from `ready` to the first frame with rows (the page's work after `ready` included).
 */
async function openAtReady(browser, base, pagePath, payload, cellSelector, log) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`[page error] ${e.message}`));
  await page.goto(`${base}${pagePath}?atReady=${encodeURIComponent(`/data/${payload}`)}&cell=${encodeURIComponent(cellSelector)}`, { waitUntil: 'load' });
  const paint = await page.evaluate((t) => window.__bench.firstPaintAtReady(t), TIMEOUT_MS);
  await context.close();
  return paint;
}

// The cpu_profiler category adds V8's sampling profile (ProfileChunk events): which functions the
// FunctionCall time is spent in. Sampling at its default interval costs a few percent of the interval.
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'];
/** The renderer's main-thread work a first paint is made of, by trace event name. */
const TRACE_WORK = new Set(['FunctionCall', 'EvaluateScript', 'v8.compile', 'RunMicrotasks', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'HitTest', 'ParseHTML', 'MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'V8.GC_MARK_COMPACTOR', 'FireAnimationFrame', 'EventDispatch', 'TimerFire']);

/**
 * Where the time between the page's `bench:post` and `bench:painted` marks went on the renderer's main
 * thread: the summed duration of each kind of work (events nest: a FunctionCall holds the Layout it
 * forced, so the figures overlap and are not meant to add up), the forced style and layout passes, and
 * the JS sampling profile's self time by function (scripts/lib/cpuProfile.mjs).
 */
function summariseTrace(buffer, resolve = () => undefined) {
  const events = JSON.parse(buffer.toString('utf8')).traceEvents ?? [];
  const mark = (name) => events.find((e) => e.name === name && (e.ph === 'R' || e.ph === 'I' || e.ph === 'n' || e.ph === 'b' || e.ph === 'e'));
  const post = mark('bench:post');
  const painted = mark('bench:painted');
  if (!post || !painted) return { error: 'the user-timing marks are not in the trace' };
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === post.pid);
  const byName = {};
  const work = [];
  for (const e of events) {
    if (e.ph !== 'X' || e.pid !== post.pid || (main && e.tid !== main.tid) || e.ts < post.ts || e.ts > painted.ts || !TRACE_WORK.has(e.name)) continue;
    byName[e.name] = (byName[e.name] ?? 0) + (e.dur ?? 0) / 1000;
    work.push(e);
  }
  // Forced: style or layout done inside a script call (a read after a write), not in the frame's own
  // rendering steps. Chromium does not always give these a stack trace, so nesting decides.
  const calls = work.filter((e) => e.name === 'FunctionCall' || e.name === 'RunMicrotasks' || e.name === 'EvaluateScript');
  const forced = work.filter((e) => (e.name === 'Layout' || e.name === 'UpdateLayoutTree') && calls.some((c) => c.ts <= e.ts && e.ts + (e.dur ?? 0) <= c.ts + (c.dur ?? 0)));
  const forcedLayouts = forced.filter((e) => e.name === 'Layout').length;
  const forcedStyles = forced.filter((e) => e.name === 'UpdateLayoutTree').length;
  const forcedMs = Math.round(forced.reduce((n, e) => n + (e.dur ?? 0), 0) / 100) / 10;
  for (const k of Object.keys(byName)) byName[k] = Math.round(byName[k] * 10) / 10;
  const profile = profileSelfTime(events, post.pid, main?.tid, post.ts, painted.ts, resolve);
  return { intervalMs: Math.round((painted.ts - post.ts) / 100) / 10, byName, forcedLayouts, forcedStyles, forcedMs, profile };
}

const scrollIn = (page, selector) => page.evaluate(([s, f, st]) => window.__bench.scroll(s, f, st), [selector, SCROLL.frames, SCROLL.step]);

/**
 * Names positions in the served grid bundle by their sources: the same entry built again, minified the
 * same way, with a source map (esbuild.js --production writes none). Used only when the code matches.
 */
async function gridResolver(buildRoot, outDir) {
  const esbuild = await import('esbuild');
  const outfile = path.join(outDir, 'grid-map', `${GRID_BUNDLE}.js`);
  try {
    const r = await esbuild.build({ entryPoints: [path.join(buildRoot, 'webview', `${GRID_BUNDLE}Main.ts`)], outfile, bundle: true, minify: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: 'external', sourcesContent: false, logLevel: 'silent', write: false });
    const js = r.outputFiles.find((f) => f.path.endsWith('.js'));
    const map = r.outputFiles.find((f) => f.path.endsWith('.js.map'));
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    fs.writeFileSync(`${outfile}.map`, map.text);
    const byPosition = mapBundle(path.join(buildRoot, 'dist', 'webview', `${GRID_BUNDLE}.js`), js.text, `${outfile}.map`);
    return byPosition ? (url, line, column) => (url.endsWith(`/dist/webview/${GRID_BUNDLE}.js`) ? byPosition(line, column) : undefined) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the section. `dataFile` is the 100,000-row response; `buildRoot` holds the production dist/.
 * Returns raw per-run figures; scripts/bench.mjs summarises them.
 */
export async function benchGrid({ buildRoot, baseBuild, dataFile, outDir, runs, log, runWorker }) {
  const gridBundle = path.join(buildRoot, 'dist', 'webview', `${GRID_BUNDLE}.js`);
  const hasGrid = fs.existsSync(gridBundle);
  const dataDir = path.join(outDir, 'grid-data');
  const payloads = runWorker('gridData', [dataFile, dataDir]);
  const benchDir = path.join(outDir, 'grid-page');
  await bundleBrowserCode(benchDir);
  const gridStyles = ['dist', 'media'].flatMap((root) => {
    const rel = root === 'dist' ? `webview/${GRID_BUNDLE}.css` : `${GRID_BUNDLE}.css`;
    return fs.existsSync(path.join(root === 'dist' ? path.join(buildRoot, 'dist') : path.join(repoRoot, 'media'), rel)) ? [`/${root}/${rel}`] : [];
  });
  const hasBase = Boolean(baseBuild && fs.existsSync(path.join(baseBuild.root, 'dist', 'webview', `${GRID_BUNDLE}.js`)));
  // A base build from after the binary hand-over (a same-run A/B of a change) reads the binary payload.
  const baseBinary = hasBase && fs.existsSync(path.join(baseBuild.root, 'src', 'core', 'binaryTable.ts'));
  const baseStyles = hasBase ? gridStyles.map((p) => p.replace(/^\/(dist|media)\//, '/base-$1/')) : [];
  const base = await serve(
    {
      dist: path.join(buildRoot, 'dist'),
      media: path.join(repoRoot, 'media'),
      bench: benchDir,
      data: dataDir,
      ...(hasBase ? { 'base-dist': path.join(baseBuild.root, 'dist'), 'base-media': path.join(baseBuild.root, 'media') } : {}),
    },
    {
      '/grid': () => pageHtml(`/dist/webview/${GRID_BUNDLE}.js`, gridStyles),
      '/grid-at-ready': () => pageHtml(`/dist/webview/${GRID_BUNDLE}.js`, gridStyles, true),
      '/toolkit': () => pageHtml('/bench/toolkit.js', []),
      ...(hasBase ? { '/grid-base': () => pageHtml(`/base-dist/webview/${GRID_BUNDLE}.js`, baseStyles) } : {}),
    },
  );
  const resolve = hasGrid ? await gridResolver(buildRoot, outDir) : undefined;
  if (hasGrid && !resolve) log('grid trace: no source map matches the served bundle; the profile names minified positions');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  onCleanup(() => browser.close().catch(() => {}));
  const out = { chromium: browser.version(), viewport: VIEWPORT, scroll: SCROLL, ...(hasBase ? { base: { ref: baseBuild.ref, commit: baseBuild.commit } } : {}), grid: hasGrid ? { bundle: `dist/webview/${GRID_BUNDLE}.js`, runs: [] } : { missing: `dist/webview/${GRID_BUNDLE}.js is not built (no webview/${GRID_BUNDLE}Main.ts)` }, toolkit: { runs: [] } };
  try {
    for (let run = 0; run < runs; run++) {
      if (hasGrid) {
        if (run === 0) {
          // The trace is taken on an extra open of the same page that no figure counts: a trace, with its
          // sampling profiler, slows the page it records (by a third or more here).
          const traced = await openAndPaint(browser, base, '/grid', payloads.grid5000, '.slick-cell', log, undefined, path.join(outDir, 'trace-grid-5000.json'), resolve);
          await traced.context.close();
          out.grid.trace5000 = { file: 'test-results/bench/trace-grid-5000.json', firstPaintTracedMs: traced.paint.toPaintMs, ...traced.trace };
          log(`grid trace (5,000 rows, first paint, not counted): ${JSON.stringify(out.grid.trace5000)}`);
        }
        const small = await openAndPaint(browser, base, '/grid', payloads.grid5000, '.slick-cell', log);
        // Also scrolled, to compare like with like against the toolkit's 5,000 rows.
        const smallFrames = await scrollIn(small.page, '.slick-viewport');
        await small.context.close();
        // The same 5,000 rows with the summary collapsed (as a user who hid it has it): rows paint first
        // either way, so the two first paints should be within a few ms of each other.
        const collapsed = await openAndPaint(browser, base, '/grid', payloads.grid5000, '.slick-cell', log, { summaryOpen: false });
        await collapsed.context.close();
        // The floor: the same panel (CSP, styles, toolbar, summary, column headers) with no rows, painted
        // once its headers are: what a first paint costs before any row is shown.
        const floor = await openAndPaint(browser, base, '/grid', payloads.grid0, '.slick-header-column', log);
        await floor.context.close();
        // The same 5,000 rows in the build before the summary existed (--base-ref), opened the same way.
        let before;
        if (hasBase) {
          before = await openAndPaint(browser, base, '/grid-base', baseBinary ? payloads.grid5000 : payloads.grid5000Packed, '.slick-cell', log);
          await before.context.close();
        }
        // These first paints spread widely on a shared 2-core machine (60 to 180 ms for the same page in
        // one run): each page is opened EXTRA_OPENS more times, in turn, and every open counts in the median.
        const extra = { paint5000Extra: [], paint5000CollapsedExtra: [], paint0Extra: [], paint5000BaseExtra: [], paint5000AtReadyExtra: [] };
        for (let i = 0; i < EXTRA_OPENS + 1; i++) {
          // The host answering `ready` at once: the page's work after `ready` counts (see openAtReady).
          extra.paint5000AtReadyExtra.push(await openAtReady(browser, base, '/grid-at-ready', payloads.grid5000, '.slick-cell', log));
          if (i === EXTRA_OPENS) break;
          const pages = [
            ['paint5000Extra', '/grid', payloads.grid5000, '.slick-cell', undefined],
            ['paint5000CollapsedExtra', '/grid', payloads.grid5000, '.slick-cell', { summaryOpen: false }],
            ['paint0Extra', '/grid', payloads.grid0, '.slick-header-column', undefined],
            ...(hasBase ? [['paint5000BaseExtra', '/grid-base', baseBinary ? payloads.grid5000 : payloads.grid5000Packed, '.slick-cell', undefined]] : []),
          ];
          for (const [key, pagePath, payload, selector, init] of pages) {
            const one = await openAndPaint(browser, base, pagePath, payload, selector, log, init);
            await one.context.close();
            extra[key].push(one.paint);
          }
        }
        const big = await openAndPaint(browser, base, '/grid', payloads.grid100000, '.slick-cell', log);
        const frames = await scrollIn(big.page, '.slick-viewport');
        await big.page.evaluate(() => window.__bench.arm());
        await big.page.locator('.slick-column-name', { hasText: /^Country$/ }).first().click();
        const sort = await big.page.evaluate((t) => window.__bench.afterInput(t), TIMEOUT_MS);
        await big.page.evaluate(() => window.__bench.arm());
        await big.page.locator('vscode-textfield.search input').fill(payloads.searchId);
        const search = await big.page.evaluate((t) => window.__bench.afterInput(t), TIMEOUT_MS);
        // The summary follows the search: input → its charts redrawn and painted (after the rows).
        const summarySearch = await big.page.evaluate(([g, t]) => window.__bench.afterCharts(g, t), [search.toPaintMs, TIMEOUT_MS]);
        const shown = await big.page.evaluate(() => window.__bench.received.filter((r) => r.message.type === 'rendered').at(-1)?.message);
        if (run === 0) await big.page.screenshot({ path: path.join(outDir, 'grid-100000-search.png') });
        await big.context.close();
        // The same search typed the moment the rows are painted, before the page has had idle time to
        // build its search index: the search builds what is missing itself (the worst case).
        const early = await openAndPaint(browser, base, '/grid', payloads.grid100000, '.slick-cell', log);
        await early.page.evaluate(() => window.__bench.arm());
        await early.page.locator('vscode-textfield.search input').fill(payloads.searchId);
        const searchAtOnce = await early.page.evaluate((t) => window.__bench.afterInput(t), TIMEOUT_MS);
        await early.context.close();
        // A million rows (the day ten times over): first paint, scroll, sort and search, heap.
        const million = await openAndPaint(browser, base, '/grid', payloads.grid1000000, '.slick-cell', log);
        const frames1m = await scrollIn(million.page, '.slick-viewport');
        await million.page.evaluate(() => window.__bench.arm());
        await million.page.locator('.slick-column-name', { hasText: /^Country$/ }).first().click();
        const sort1m = await million.page.evaluate((t) => window.__bench.afterInput(t), TIMEOUT_MS);
        await million.page.evaluate(() => window.__bench.arm());
        await million.page.locator('vscode-textfield.search input').fill(payloads.searchId);
        const search1m = await million.page.evaluate((t) => window.__bench.afterInput(t), TIMEOUT_MS);
        const heap1m = await heapBytes(million.page);
        if (run === 0) await million.page.screenshot({ path: path.join(outDir, 'grid-1000000-search.png') });
        await million.context.close();
        log(`grid run ${run + 1} at 1,000,000: first paint ${million.paint.toPaintMs.toFixed(0)} ms, sort ${sort1m.toPaintMs.toFixed(0)} ms, search ${search1m.toPaintMs.toFixed(0)} ms, heap ${(heap1m / 1e6).toFixed(0)} MB`);
        out.grid.runs.push({ ...extra, paint1m: million.paint, heap1m: million.heapBytes, heap1mAfter: heap1m, frames1m, sort1m, search1m, paint5000: small.paint, paint5000Collapsed: collapsed.paint, paint0: floor.paint, ...(before ? { paint5000Base: before.paint } : {}), heap5000: small.heapBytes, frames5000: smallFrames, paint100000: big.paint, heap100000: big.heapBytes, frames, sort, search, summarySearch, searchShown: shown, searchAtOnce });
        log(`grid run ${run + 1}: first paint ${small.paint.toPaintMs.toFixed(0)} ms (5,000, summary shown) / ${collapsed.paint.toPaintMs.toFixed(0)} ms (5,000, collapsed) / ${floor.paint.toPaintMs.toFixed(0)} ms (no rows: the floor)${before ? ` / ${before.paint.toPaintMs.toFixed(0)} ms (5,000, base build)` : ''} / ${big.paint.toPaintMs.toFixed(0)} ms (100,000), sort ${sort.toPaintMs.toFixed(0)} ms, search ${search.toPaintMs.toFixed(0)} ms, summary charts ${summarySearch.toPaintMs.toFixed(0)} ms (${summarySearch.afterGridMs.toFixed(0)} ms after the rows) (${searchAtOnce.toPaintMs.toFixed(0)} ms typed at once after paint)`);
      }
      const tk = await openAndPaint(browser, base, '/toolkit', payloads.toolkit5000, 'vscode-data-grid-cell[cell-type="default"]', log);
      const tkFrames = await scrollIn(tk.page, '#app');
      if (run === 0) await tk.page.screenshot({ path: path.join(outDir, 'toolkit-5000.png') });
      await tk.context.close();
      out.toolkit.runs.push({ paint5000: tk.paint, heap5000: tk.heapBytes, frames: tkFrames });
      log(`toolkit run ${run + 1}: first paint ${tk.paint.toPaintMs.toFixed(0)} ms (5,000)`);
    }
  } finally {
    await browser.close().catch(() => {});
  }
  return out;
}
