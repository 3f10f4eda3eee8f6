// One build script, two targets (conventions §2): the extension host bundle (node, cjs, `vscode`
// external) and the webview bundle (browser). `--watch` rebuilds on change; `--production` minifies
// and drops source maps.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');
const { builtinModules } = require('module');
const acorn = require('acorn');
const { SourceMapConsumer, SourceMapGenerator } = require('source-map-js');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints esbuild's problems in the form VS Code's `$esbuild-watch` problem matcher reads. */
const problemReporter = {
  name: 'problem-reporter',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemReporter],
};

/**
 * Packages the host loads on first use from a file of their own, so activation does not compile them:
 * axios and the HTTP stack under it (form-data, mime-db, follow-redirects, proxy agents) are about half
 * of the host bundle, and only a request needs them (src/core/client.ts imports axios dynamically). Each
 * is self-contained, so a second copy of shared code cannot arise.
 */
const LAZY_PACKAGES = { axios: 'vendor/axios.js' };
/** Stands for dist/ in the path of a lazy package until each output file knows where it sits (see below). */
const DIST = '@everflow-dist';

const lazyPackages = {
  name: 'lazy-packages',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(LAZY_PACKAGES).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `${DIST}/${LAZY_PACKAGES[args.path]}`, external: true }));
  },
};

/** What a namespace import may be a plain require of: VS Code's API and Node's built-ins, CommonJS objects. */
const PLAIN_REQUIRE = new Set(['vscode', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * `import * as vscode from 'vscode'` (or a Node built-in), which the split output keeps once per source
 * module, becomes one `const vscode=require('vscode');` at the head of the file. The CommonJS pass would
 * otherwise wrap each in a namespace copy (`__toESM`: a getter per export, made while the file loads),
 * and VS Code's API has hundreds of exports: twenty copies of it were part of what activation spent
 * loading its code. The statements are found by parsing (acorn), not by pattern; each is blanked in
 * place (same length, so a source map still lines up) and its require goes first, before any code that
 * could read it. Default and named imports keep their usual form.
 */
function plainRequires(code) {
  const ast = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  let head = '';
  let out = '';
  let at = 0;
  for (const node of ast.body) {
    const [only, ...more] = node.type === 'ImportDeclaration' ? node.specifiers : [];
    if (!only || more.length > 0 || only.type !== 'ImportNamespaceSpecifier' || !PLAIN_REQUIRE.has(node.source.value)) continue;
    head += `const ${only.local.name}=require(${JSON.stringify(node.source.value)});`;
    out += code.slice(at, node.start) + ' '.repeat(node.end - node.start);
    at = node.end;
  }
  return head + out + code.slice(at);
}

/** The file that holds every shared chunk activation requires (see oneActivationChunk). */
const ACTIVATION_CHUNK = 'chunks/activation.js';

/**
 * The shared chunks `dist/extension.js` requires when it loads (14 small files) become one file,
 * `dist/chunks/activation.js`: each chunk's code is a function in it, run once, on its first require,
 * as Node would run the file. Activation then reads one file instead of fourteen (each file Node loads
 * costs a look-up, a read and a compile of its own, and each chunk carried its own copy of esbuild's
 * helpers). The chunks' own files stay, each a line that hands out the same module from that file, for
 * the chunks loaded on first use, so every module still exists once in the host. `built` (path → code,
 * map) is changed in place; returns the metafile as it now is (the merged file holds the chunks' inputs;
 * what requires a chunk requires the merged file).
 */
function oneActivationChunk(built, metafile, outdir) {
  const outputs = metafile.outputs;
  const rel = (file) => path.relative(process.cwd(), file).split(path.sep).join('/');
  const main = rel(path.join(outdir, 'extension.js'));
  const chunks = [];
  const stack = [...(outputs[main]?.imports ?? [])];
  while (stack.length > 0) {
    const i = stack.shift();
    if (i.kind !== 'import-statement' || i.external || chunks.includes(i.path)) continue;
    chunks.push(i.path);
    stack.push(...outputs[i.path].imports);
  }
  if (chunks.length < 2) return metafile;
  const merged = path.join(outdir, ACTIVATION_CHUNK);
  const name = (chunk) => path.basename(chunk);
  // The loader: a chunk's module, made on its first require. Inside a chunk, `require('./chunk-….js')`
  // of another merged chunk is that chunk's module; anything else is a real require from this folder.
  let code =
    'var __chunkCode={},__chunkModules={};function __chunk(n){var m=__chunkModules[n];if(m)return m.exports;m=__chunkModules[n]={exports:{}};' +
    '__chunkCode[n](m,m.exports,function(id){return id.slice(0,2)==="./"&&__chunkCode[id.slice(2)]?__chunk(id.slice(2)):require(id)});return m.exports}module.exports=__chunk;\n';
  const sections = [];
  for (const chunk of chunks) {
    const file = path.resolve(chunk);
    const { code: text, map } = built.get(file);
    code += `__chunkCode[${JSON.stringify(name(chunk))}]=function(module,exports,require){\n`;
    if (map) sections.push({ offset: { line: code.split('\n').length - 1, column: 0 }, map: JSON.parse(map) });
    code += `${text.endsWith('\n') ? text : `${text}\n`}};\n`;
    // For the chunks loaded on first use: the same module, from the merged file.
    built.set(file, { code: `module.exports=require(${JSON.stringify(`./${path.basename(merged)}`)})(${JSON.stringify(name(chunk))});\n` });
  }
  // One plain map for the merged file, made from the chunks' maps placed at their lines (an index map,
  // flattened: Node's --enable-source-maps does not read index maps).
  const map = sections.length > 0 ? SourceMapGenerator.fromSourceMap(new SourceMapConsumer({ version: 3, file: path.basename(merged), sections })).toString() : undefined;
  built.set(merged, { code, map });
  // extension.js requires the merged file instead of each chunk.
  const mainFile = path.resolve(main);
  let mainCode = built.get(mainFile).code;
  for (const chunk of chunks) {
    const from = `require(${JSON.stringify(`./chunks/${name(chunk)}`)})`;
    mainCode = mainCode.replaceAll(from, `require(${JSON.stringify(`./${ACTIVATION_CHUNK}`)})(${JSON.stringify(name(chunk))})`);
  }
  built.set(mainFile, { ...built.get(mainFile), code: mainCode });
  // The metafile as the files now are.
  const mergedRel = rel(merged);
  const imports = [];
  for (const chunk of chunks) for (const i of outputs[chunk].imports) if (!chunks.includes(i.path) && !imports.some((j) => j.path === i.path && j.kind === i.kind)) imports.push(i);
  const out = { ...outputs };
  out[mergedRel] = { imports, exports: [], inputs: Object.assign({}, ...chunks.map((c) => outputs[c].inputs)), bytes: Buffer.byteLength(code) };
  for (const chunk of chunks) out[chunk] = { ...outputs[chunk], imports: [{ path: mergedRel, kind: 'import-statement' }], inputs: {} };
  const toMerged = (list) => {
    const kept = list.filter((i) => !chunks.includes(i.path));
    return kept.length < list.length ? [{ path: mergedRel, kind: 'import-statement' }, ...kept] : list;
  };
  out[main] = { ...outputs[main], imports: toMerged(outputs[main].imports) };
  return { ...metafile, outputs: out };
}

/**
 * The host's own code is split where activation ends: what `activate()` runs is `dist/extension.js`
 * and the chunks it requires; every `import()` in src/ (the grids, the query form, the command and
 * chat-tool implementations) becomes a chunk of its own under `dist/chunks/`, required on first use.
 * esbuild splits only ES modules, while VS Code loads extensions with require(), so the split output is
 * turned into CommonJS file by file: `import` between chunks becomes `require`, so each module still
 * exists once in the host (one EverflowError class, one config) however many chunks use it.
 */
const toCommonJs = {
  name: 'esm-chunks-to-cjs',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length > 0 || !result.outputFiles) return;
      const outdir = path.resolve(build.initialOptions.outdir);
      fs.rmSync(path.join(outdir, 'chunks'), { recursive: true, force: true });
      /** Each output as CommonJS: its code and, in a development build, its source map. */
      const built = new Map();
      for (const file of result.outputFiles) {
        if (!file.path.endsWith('.js')) continue;
        const { code, map } = await esbuild.transform(plainRequires(file.text), {
          format: 'cjs',
          loader: 'js',
          platform: 'node',
          target: 'node18',
          supported: { 'dynamic-import': false },
          minify: production,
          sourcemap: production ? false : 'external',
          sourcefile: file.path,
        });
        // A lazy package's path, relative to the file that requires it.
        const toDist = path.relative(path.dirname(file.path), outdir).split(path.sep).join('/') || '.';
        built.set(file.path, { code: code.replaceAll(`"${DIST}/`, `"${toDist.startsWith('.') ? toDist : `./${toDist}`}/`), map: map || undefined });
      }
      const metafile = result.metafile && oneActivationChunk(built, result.metafile, outdir);
      for (const [file, { code, map }] of built) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, map ? `${code}//# sourceMappingURL=${path.basename(file)}.map\n` : code);
        if (map) fs.writeFileSync(`${file}.map`, map);
      }
      // What each output holds, for the bench's size per entry and the test that activation stays small.
      if (metafile) fs.writeFileSync(path.join(outdir, 'host-meta.json'), JSON.stringify(metafile));
    });
  },
};

const host = {
  ...common,
  platform: 'node',
  target: 'node18',
  external: ['vscode'],
  // jsonc-parser's `main` is a UMD build whose inner require() calls esbuild cannot follow; its
  // `module` build bundles cleanly. Packages with an `exports` map are unaffected.
  mainFields: ['module', 'main'],
};

const targets = [
  {
    ...host,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // Inline, so the CommonJS pass above carries the mapping through to the file it writes.
    sourcemap: production ? false : 'inline',
    write: false,
    metafile: true,
    plugins: [...common.plugins, lazyPackages, toCommonJs],
  },
  // The reader thread of kept results (src/results/resultFile.ts): a file of its own, started as a worker.
  { ...host, format: 'cjs', entryPoints: { resultReader: 'src/results/resultReaderThread.ts' }, outdir: 'dist' },
  ...Object.entries(LAZY_PACKAGES).map(([pkg, file]) => ({
    ...host,
    format: 'cjs',
    stdin: { contents: `export { default } from '${pkg}';`, resolveDir: __dirname, loader: 'js' },
    outfile: `dist/${file}`,
  })),
];

// The webview app is added as soon as it has an entry point.
for (const entry of fs.existsSync('webview') ? fs.readdirSync('webview') : []) {
  const m = /^(\w+)Main\.ts$/.exec(entry);
  if (!m) continue;
  targets.push({
    ...common,
    entryPoints: [path.join('webview', entry)],
    outfile: `dist/webview/${m[1]}.js`,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

async function main() {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
