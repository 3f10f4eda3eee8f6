// One build script, two targets (conventions §2): the extension host bundle (node, cjs, `vscode`
// external) and the webview bundle (browser). `--watch` rebuilds on change; `--production` minifies
// and drops source maps.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

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

const lazyPackages = {
  name: 'lazy-packages',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(LAZY_PACKAGES).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./${LAZY_PACKAGES[args.path]}`, external: true }));
  },
};

const host = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  // `import()` of a lazy package becomes `require()`: Node's ESM loader would hand the CommonJS file's
  // whole `module.exports` over as `default`, and VS Code's extension host loads extensions through require.
  supported: { 'dynamic-import': false },
  // jsonc-parser's `main` is a UMD build whose inner require() calls esbuild cannot follow; its
  // `module` build bundles cleanly. Packages with an `exports` map are unaffected.
  mainFields: ['module', 'main'],
};

const targets = [
  { ...host, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [...common.plugins, lazyPackages] },
  ...Object.entries(LAZY_PACKAGES).map(([pkg, file]) => ({
    ...host,
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
