// Builds what the tests run: the extension itself (the repository's esbuild.js) and the integration test
// bundles (suites, their entry, and the test-runner extension), with `vscode` and `mocha` left external.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { outTestDir, repoRoot } from './paths.mjs';

export const integrationSrcDir = path.join(repoRoot, 'test', 'integration');
export const suiteOutDir = path.join(outTestDir, 'integration', 'suite');

/** Runs `node esbuild.js` (the extension's own build) and throws if it fails. */
export function buildExtension() {
  const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`node esbuild.js failed (exit ${r.status ?? r.signal})`);
  const main = path.join(repoRoot, 'dist', 'extension.js');
  if (!fs.existsSync(main)) throw new Error(`node esbuild.js did not produce ${path.relative(repoRoot, main)}`);
}

/** The suite files: every `test/integration/suite/*.test.ts`. */
export function suiteFiles() {
  const dir = path.join(integrationSrcDir, 'suite');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * Bundles the suites and their entry into out/test/integration/suite/ (one file per suite, so mocha knows
 * which file a test came from). Mocha stays external: out/ is inside the repository, so `require('mocha')`
 * resolves to the repository's node_modules from the extension host too. Returns the entry's path.
 */
export async function buildSuites() {
  const esbuild = await import('esbuild');
  fs.rmSync(suiteOutDir, { recursive: true, force: true });
  const files = suiteFiles();
  if (files.length === 0) throw new Error('no test/integration/suite/*.test.ts files');
  await esbuild.build({
    entryPoints: [path.join(integrationSrcDir, 'suite', 'index.ts'), ...files],
    outdir: suiteOutDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
  });
  return path.join(suiteOutDir, 'index.js');
}

/** Bundles the test-runner extension into `destDir` (with its package.json). */
export async function buildRunnerExtension(destDir) {
  const esbuild = await import('esbuild');
  const src = path.join(integrationSrcDir, 'runnerExtension');
  fs.mkdirSync(destDir, { recursive: true });
  fs.copyFileSync(path.join(src, 'package.json'), path.join(destDir, 'package.json'));
  await esbuild.build({
    entryPoints: [path.join(src, 'extension.ts')],
    outfile: path.join(destDir, 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8'));
  return { id: `${manifest.publisher}.${manifest.name}`, folderName: `${manifest.publisher}.${manifest.name}-${manifest.version}`, dir: destDir };
}
