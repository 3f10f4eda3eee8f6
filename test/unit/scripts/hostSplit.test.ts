// The host build's split (esbuild.js): activation (dist/extension.js and the chunks it requires) holds
// none of what loads on first use, so a static import added in the wrong place cannot quietly bring the
// grids, the query form, the exporters or the command and chat-tool work back into activation.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { readResultFile } from '../../../src/results/resultFile';
import type { ResultSet } from '../../../src/results/resultSet';
import { readerThreadOf, ResultStore } from '../../../src/results/resultStore';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

interface Output {
  imports: { path: string; kind: string; external?: boolean }[];
  inputs: Record<string, unknown>;
  entryPoint?: string;
}

/** What activation must not load: each is reached only through an `import()`. */
const LAZY = [
  'src/panels.ts',
  'src/webviews/resultGrids.ts',
  'src/webviews/resultGridPanel.ts',
  'src/webviews/queryEditorPanel.ts',
  'src/webviews/resultsActions.ts',
  'src/results/presenter.ts',
  'src/results/fetchAllRun.ts',
  'src/core/exporters.ts',
  'src/core/summary/model.ts',
  'src/core/conversions/join.ts',
  'src/conversions/gridConversions.ts',
  'src/conversions/traceClick.ts',
  'src/commands/handlers.ts',
  'src/commands/bulkLookUp.ts',
  'src/commands/savedQueryEdits.ts',
  'src/chat/chatTools.ts',
  'src/chat/traceClickTool.ts',
  'src/chat/streamJob.ts',
  // What talks to Everflow (src/lookups.ts): the client, its limiter and caches, the hover's work.
  'src/lookups.ts',
  'src/core/client.ts',
  'src/core/limiter.ts',
  'src/core/lookupCache.ts',
  'src/core/httpFailure.ts',
  'src/conversions/conversionLookups.ts',
  'src/hovers/clickHoverProvider.ts',
  'src/hovers/clickCard.ts',
  'src/timezoneService.ts',
  // The id detection behind terminal links, loaded with the first terminal line asked about.
  'src/hovers/terminalLinkProvider.ts',
  'src/clickLookup.ts',
  'src/core/idDetection.ts',
  'src/core/idScanner.ts',
  // The as-sent documents, loaded with the first result document or kept result.
  'src/results/exchanges.ts',
  // A kept result's file, read and written from the first save or reload (with zlib, streams, worker threads).
  'src/results/resultFile.ts',
  'src/results/resultFileParts.ts',
  'src/results/repeatedValues.ts',
  'src/core/asSent.ts',
];

describe('host bundle split', () => {
  let dist: string;
  let outputs: Record<string, Output>;
  const src = (p: string): string => p.replace(/^.*?(?=(src|node_modules)\/)/, '');

  before(() => {
    // A build of its own, in a scratch folder linked to the sources, so dist/ (someone's watch build) is left alone.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'host-split-'));
    for (const name of ['src', 'webview', 'media', 'node_modules', 'package.json', 'tsconfig.json']) fs.symlinkSync(path.join(repoRoot, name), path.join(root, name));
    fs.copyFileSync(path.join(repoRoot, 'esbuild.js'), path.join(root, 'esbuild.js'));
    const r = spawnSync(process.execPath, ['esbuild.js', '--production'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, `node esbuild.js --production failed:\n${r.stdout}${r.stderr}`);
    dist = path.join(root, 'dist');
    outputs = JSON.parse(fs.readFileSync(path.join(dist, 'host-meta.json'), 'utf8')).outputs;
  });

  const activation = (): string[] => {
    const seen = new Set<string>();
    const stack = ['dist/extension.js'];
    while (stack.length > 0) {
      const o = stack.pop()!;
      if (seen.has(o)) continue;
      seen.add(o);
      for (const i of outputs[o].imports) if (i.kind === 'import-statement' && !i.external) stack.push(i.path);
    }
    return [...seen];
  };

  test('activation loads none of the modules meant for first use', () => {
    const loaded = new Set(activation().flatMap((o) => Object.keys(outputs[o].inputs).map(src)));
    assert.ok(loaded.has('src/extension.ts') && loaded.has('src/hovers/clickHovers.ts') && loaded.has('src/commands/registry.ts'), 'activation lost what it runs');
    assert.deepEqual(LAZY.filter((m) => loaded.has(m)), []);
    assert.ok(![...loaded].some((m) => m.startsWith('node_modules/csv-stringify/')), 'the CSV writer is in activation');
    assert.ok(![...loaded].some((m) => m.startsWith('node_modules/lru-cache/')), 'the click cache (lru-cache) is in activation');
  });

  test('each first-use entry is a chunk of its own, shipped and written as CommonJS', () => {
    const entries = Object.entries(outputs).filter(([f, o]) => o.entryPoint && f !== 'dist/extension.js').map(([f, o]) => [f, src(o.entryPoint!)] as const);
    for (const e of ['src/panels.ts', 'src/lookups.ts', 'src/commands/handlers.ts', 'src/chat/chatTools.ts']) assert.ok(entries.some(([, p]) => p === e), `${e} is not a chunk of its own`);
    const ignore = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!dist\/chunks\/\*\.js$/m, '.vscodeignore does not ship the chunks');
    for (const f of Object.keys(outputs).filter((f) => f.endsWith('.js'))) {
      assert.ok(f === 'dist/extension.js' || f.startsWith('dist/chunks/'), `${f} is outside the shipped folders`);
      const code = fs.readFileSync(path.join(dist, path.relative('dist', f)), 'utf8');
      // VS Code require()s the extension: an ES module's `import`/`export` statement would not load.
      assert.doesNotMatch(code, /(^|[;}])\s*(import\s*[{*\w]|export\s*[{*])/m, `${f} is not CommonJS`);
      // VS Code's API and Node's built-ins are required as they are, never wrapped in a namespace copy
      // (a getter per export, made at load: VS Code's API has hundreds).
      const wrapped = [...code.matchAll(/[\w$]+\(require\("([^"]+)"\)/g)].map((m) => m[1]).filter((s) => s === 'vscode' || builtinModules.includes(s.replace(/^node:/, '')));
      assert.deepEqual(wrapped, [], `${f} wraps what it requires`);
    }
  });

  test('activation reads two files, and the chunks merged into one are each one module, shared with what loads on first use', () => {
    // extension.js and the merged file of the shared chunks it requires (esbuild.js, oneActivationChunk).
    assert.deepEqual(activation().sort(), ['dist/chunks/activation.js', 'dist/extension.js']);
    const stubs = Object.entries(outputs).filter(([, o]) => o.imports.length === 1 && o.imports[0].path === 'dist/chunks/activation.js' && Object.keys(o.inputs).length === 0).map(([f]) => path.join(dist, path.relative('dist', f)));
    assert.ok(stubs.length > 1, 'no chunk was merged');
    const lazy = Object.entries(outputs).filter(([f, o]) => o.entryPoint && f !== 'dist/extension.js').map(([f]) => path.join(dist, path.relative('dist', f)));
    // With a stand-in API (the rewrite to plain requires reads every export from the required object
    // itself, so a namespace copy would find none): load activation, then every chunk meant for first
    // use, and see that each merged chunk's file hands out the module activation made, made once.
    const script = `
      const Module = require('module');
      const load = Module._load;
      const deep = () => new Proxy(function () {}, { get: (_, k) => (k === Symbol.toPrimitive ? () => 0 : k === 'then' ? undefined : deep()), apply: () => deep(), construct: () => deep() });
      Module._load = function (request) { return request === 'vscode' ? deep() : load.apply(this, arguments); };
      const ext = require(${JSON.stringify(path.join(dist, 'extension.js'))});
      const merged = require(${JSON.stringify(path.join(dist, 'chunks', 'activation.js'))});
      const stubs = ${JSON.stringify(stubs)};
      const before = stubs.map((f) => merged(require('path').basename(f)));
      for (const f of ${JSON.stringify(lazy)}) require(f);
      const same = stubs.filter((f, i) => require(f) === before[i] && merged(require('path').basename(f)) === before[i]).length;
      process.stdout.write([typeof ext.activate, typeof ext.deactivate, same === stubs.length].join(' '));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'function function true');
  });

  test('the kept results\' reader thread is a file of its own, shipped, where the host looks for it, and starts', async () => {
    const file = path.join(dist, 'resultReader.js');
    assert.ok(fs.existsSync(file), 'dist/resultReader.js is not built');
    assert.equal(readerThreadOf({ extensionPath: path.dirname(dist) }), file);
    const ignore = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!dist\/resultReader\.js$/m, '.vscodeignore does not ship the reader thread');
    // The built file reads a kept result in a worker thread.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reader-thread-'));
    await new ResultStore(dir).save('r-built', { title: 't', request: { kind: 'stream' }, rows: [{ transaction_id: 'a'.repeat(32) }] } as unknown as ResultSet);
    const read = await readResultFile(path.join(dir, 'r-built.json.gz'), file);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(read.inThread, true);
    assert.deepEqual((read.value as ResultSet).rows, [{ transaction_id: 'a'.repeat(32) }]);
  });
});
