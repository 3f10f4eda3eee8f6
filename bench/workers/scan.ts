// Section "scan" of `npm run bench`: "Look Up All" on a log too big to open as a document, read from
// disk as a stream (src/host/fileIdScan.ts) with the real line scanner (src/core/idDetection.ts).
//
//   node out/bench/scan.cjs write <file> <megabytes>   writes the log unless it is there already
//   node out/bench/scan.cjs baseline <file>            one baseline pass
//   node out/bench/scan.cjs scan <file>                one scan pass
//
// Each pass runs in a process of its own, so its peak RSS is its own. The log is a deterministic mix of access
// log lines, logfmt, JSON lines and prose, with ids drawn from a pool of 300,000 (so memory can be
// read against the number of distinct ids) beside md5 values under hash-like keys.
//
// Baseline in the same process and run: reading the same file as text and counting its lines, the
// floor any scan over it pays, in alternating processes with the scan.

import { createWriteStream, createReadStream, existsSync, statSync } from 'node:fs';
import { createIdScanner } from '../../src/core/idDetection';
import { LineSplitter } from '../../src/core/lineSplitter';
import { scanFileForIds } from '../../src/host/fileIdScan';
import { Rng } from '../../test/sandbox/rng';

const [mode, file, megabytesArg] = process.argv.slice(2);
const megabytes = Number(megabytesArg ?? 200);
const POOL = 300_000;

/** Seeded uniform numbers in [0, 1), from the sandbox's generator. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

const hex32 = (r: () => number): string => {
  let s = '';
  for (let i = 0; i < 4; i++) s += Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0');
  return s;
};

async function writeLog(path: string, bytes: number): Promise<void> {
  const r = rng(7);
  const ids = Array.from({ length: POOL }, () => hex32(r));
  const pick = (): string => ids[Math.floor(r() * POOL)];
  const out = createWriteStream(path);
  let written = 0;
  let n = 0;
  const line = (): string => {
    n++;
    const ts = new Date(Date.UTC(2026, 2, 1) + n * 37).toISOString();
    switch (n % 5) {
      case 0:
        return `203.0.113.${n % 250} - - [${ts}] "GET /click?tid=${pick()}&sub1=s${n % 97} HTTP/1.1" 302 0 "-" "Mozilla/5.0"\n`;
      case 1:
        return `time=${ts} level=info msg="postback sent" transaction_id=${pick()} etag="${hex32(r)}" took_ms=${n % 900}\n`;
      case 2:
        return `{"ts":"${ts}","level":"debug","click_id":"${pick()}","checksum":"${hex32(r)}","status":200}\n`;
      case 3:
        return `${ts} worker[${n % 16}] retry queued for ${pick()} after timeout\n`;
      default:
        return `${ts} cache hit key=${hex32(r)} size=${n % 4096}\n`;
    }
  };
  while (written < bytes) {
    let batch = '';
    while (batch.length < 1 << 20) batch += line();
    written += Buffer.byteLength(batch);
    if (!out.write(batch)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

async function baseline(path: string): Promise<number> {
  let lines = 0;
  const splitter = new LineSplitter(() => lines++);
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) splitter.push(chunk as string);
  splitter.end();
  return lines;
}

/** One pass in this (fresh) process: its time and the process's peak RSS, which nothing else here adds to. */
async function main(): Promise<void> {
  if (mode === 'write') {
    const wanted = megabytes * 1024 * 1024;
    if (!existsSync(file) || Math.abs(statSync(file).size - wanted) > 2 << 20) await writeLog(file, wanted);
    console.log(JSON.stringify({ fileBytes: statSync(file).size }));
    return;
  }
  const t = performance.now();
  let out: Record<string, number>;
  if (mode === 'baseline') out = { lines: await baseline(file) };
  else {
    const r = await scanFileForIds(file, createIdScanner());
    out = { lines: r.lines, clicks: r.clickIds.length, candidates: r.candidateIds.length };
  }
  const ms = performance.now() - t;
  console.log(JSON.stringify({ ...out, ms, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), fileBytes: statSync(file).size }));
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
