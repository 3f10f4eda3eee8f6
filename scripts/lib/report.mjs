// Prints integration results (the JSON written by test/integration/suite/index.ts) the way mocha's spec
// reporter would, and turns them into the counts `scripts/test.mjs` sums.
import fs from 'node:fs';

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const c = (code) => (s) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);
const green = c(32);
const red = c(31);
const cyan = c(36);
const gray = c(90);

export function readResults(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Prints `results` in mocha's spec style. */
export function printMochaReport(results, log = console.log) {
  log('');
  let lastPath = [];
  const failures = [];
  for (const t of results.tests) {
    // fullTitle is "Suite Sub test title"; the suite path is fullTitle minus the test's own title.
    const suitePath = t.fullTitle.endsWith(t.title) ? t.fullTitle.slice(0, -t.title.length).trim() : '';
    const parts = suitePath ? [suitePath] : [];
    if (parts.join() !== lastPath.join()) {
      for (const p of parts) log(`  ${p}${t.file ? gray(`  (${t.file})`) : ''}`);
      lastPath = parts;
    }
    const indent = '    ';
    const ms = t.durationMs && t.durationMs > 75 ? gray(` (${t.durationMs}ms)`) : '';
    if (t.state === 'passed') log(`${indent}${green('✔')} ${t.title}${ms}`);
    else if (t.state === 'skipped') log(`${indent}${cyan(`- ${t.title}`)}`);
    else {
      failures.push(t);
      log(`${indent}${red(`${failures.length}) ${t.title}`)}`);
    }
  }
  log('');
  const ms = results.durationMs ?? 0;
  log(`  ${green(`${results.passed} passing`)} ${gray(`(${ms < 1000 ? `${ms}ms` : `${Math.round(ms / 1000)}s`})`)}`);
  if (results.skipped) log(`  ${cyan(`${results.skipped} pending`)}`);
  if (results.failed) log(`  ${red(`${results.failed} failing`)}`);
  log('');
  failures.forEach((t, i) => {
    log(`  ${i + 1}) ${t.fullTitle}:`);
    const msg = t.error?.message ?? '(no message)';
    log(red(msg.split('\n').map((l) => `     ${l}`).join('\n')));
    const stack = (t.error?.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 12);
    if (stack.length) log(gray(stack.map((l) => `  ${l}`).join('\n')));
    log('');
  });
  if (results.error) {
    log(red(`  ERROR: ${results.error.message}`));
    if (results.error.stack) log(gray(results.error.stack));
    log('');
  }
}
