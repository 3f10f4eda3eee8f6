// `npm run test:unit`: every test/unit/**/*.test.ts under node's own test runner, through tsx.
// Node 20's --test does not expand globs of .ts files, so the files are listed here.
// Extra arguments are passed to node (e.g. --test-name-pattern=…); paths given after `--` replace the list.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib/paths.mjs';
import { nodeTestReporterArgs, progressFile, resetProgress } from './lib/progress.mjs';

const unitDir = path.join(repoRoot, 'test', 'unit');

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(p));
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

const args = process.argv.slice(2);
const dashDash = args.indexOf('--');
const nodeArgs = dashDash === -1 ? args : args.slice(0, dashDash);
const files = dashDash === -1 ? findTests(unitDir) : args.slice(dashDash + 1).map((f) => path.resolve(f));

if (files.length === 0) {
  console.log('[unit] no test/unit/**/*.test.ts files');
  console.log('ℹ tests 0\nℹ pass 0\nℹ fail 0');
  process.exit(0);
}
console.log(`[unit] ${files.length} file(s): ${files.map((f) => path.relative(repoRoot, f)).join(', ')}`);
const progress = progressFile('unit');
resetProgress(progress);
const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...nodeTestReporterArgs(), ...nodeArgs, ...files], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, EVERFLOW_TEST_PROGRESS: progress },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
