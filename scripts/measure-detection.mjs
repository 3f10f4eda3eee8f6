// Measures the transaction-id detector on the labelled corpus in test/fixtures/logs and explains
// each miss and false alarm by what the generator planted there.
//
//   node --import tsx scripts/measure-detection.mjs [--hash-field NAME ...]
//
// `--hash-field` adds names to the default hash-field list, to see what a setting would change.
// The unit test asserts the floors; this script is for reading the detail.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createIdDetector, DEFAULT_HASH_FIELD_NAMES, detectInText } from '../src/core/idDetection.ts';

const DIR = join(import.meta.dirname, '..', 'test', 'fixtures', 'logs');

const extra = [];
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--hash-field' && process.argv[i + 1]) extra.push(process.argv[++i]);
}
const detector = createIdDetector(extra.length ? { hashFieldNames: [...DEFAULT_HASH_FIELD_NAMES, ...extra] } : {});

const rows = [];
const fpKinds = new Map();
const fnLines = [];
for (const name of readdirSync(DIR).filter((f) => f.endsWith('.labels.json')).sort()) {
  const labels = JSON.parse(readFileSync(join(DIR, name), 'utf8'));
  const text = readFileSync(join(DIR, labels.file), 'utf8');
  const truth = new Set(labels.clickIds.map((p) => `${p.line}:${p.start}`));
  const decoyKind = new Map(labels.decoys.map((d) => [`${d.line}:${d.start}`, d.kind]));
  const found = detectInText(text, detector);
  const foundKeys = new Set(found.map((d) => `${d.line}:${d.start}`));
  let tp = 0;
  for (const d of found) {
    const key = `${d.line}:${d.start}`;
    if (truth.has(key)) tp++;
    else {
      const kind = decoyKind.get(key) ?? 'unlabelled';
      fpKinds.set(kind, (fpKinds.get(kind) ?? 0) + 1);
    }
  }
  for (const key of truth) if (!foundKeys.has(key)) fnLines.push(`${labels.file}:${key}`);
  rows.push({ kind: labels.kind, file: labels.file, truth: truth.size, found: found.length, tp });
}

const pct = (n, d) => (d === 0 ? '—' : (n / d).toFixed(3));
const total = rows.reduce((a, r) => ({ truth: a.truth + r.truth, found: a.found + r.found, tp: a.tp + r.tp }), { truth: 0, found: 0, tp: 0 });
console.log('| kind | file | true ids | detected | correct | precision | recall |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.kind} | ${r.file} | ${r.truth} | ${r.found} | ${r.tp} | ${pct(r.tp, r.found)} | ${pct(r.tp, r.truth)} |`);
console.log(`| **all** | | ${total.truth} | ${total.found} | ${total.tp} | ${pct(total.tp, total.found)} | ${pct(total.tp, total.truth)} |`);
console.log('\nFalse alarms by what was planted:', Object.fromEntries([...fpKinds].sort((a, b) => b[1] - a[1])));
console.log('Missed ids:', fnLines.length ? fnLines.join(', ') : 'none');
