// Section "scan" of `npm run bench`: "Look Up All" on a log too big to open as a document, read from
// disk as a stream (src/host/fileIdScan.ts) with the real line scanner (src/core/idDetection.ts).
//
//   node out/bench/scan.cjs <file> <megabytes> <runs>
//
// Writes the log first when `<file>` is missing or of another size: a deterministic mix of access
// log lines, logfmt, JSON lines and prose, with ids drawn from a pool of 300,000 (so memory can be
// read against the number of distinct ids) beside md5 values under hash-like keys.
//
// Baseline in the same process and run: reading the same file as text and counting its lines, the
// floor any scan over it pays. Peak memory is sampled while each pass runs (bench/lib/peakRss.ts).

import { createWriteStream, createReadStream, existsSync, statSync } from 'node:fs';
import { createIdScanner } from '../../src/core/idDetection';
import { LineSplitter } from '../../src/core/lineSplitter';
import { scanFileForIds } from '../../src/host/fileIdScan';
import { PeakRss } from '../lib/peakRss';
import { summarise } from '../lib/stats';

const [file, megabytesArg, runsArg] = process.argv.slice(2);
const megabytes = Number(megabytesArg ?? 200);
const runs = Math.max(1, Number(runsArg ?? 3));
const POOL = 300_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
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
    if (!out.write(batch)) await new Promise((resolve) => out.once('drain', resolve));
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

async function main(): Promise<void> {
  const wanted = megabytes * 1024 * 1024;
  if (!existsSync(file) || Math.abs(statSync(file).size - wanted) > 2 << 20) await writeLog(file, wanted);
  const size = statSync(file).size;
  const peak = new PeakRss();
  const base: number[] = [];
  const scan: number[] = [];
  let baseRss = 0;
  let scanRss = 0;
  let result: Awaited<ReturnType<typeof scanFileForIds>> | undefined;
  let lines = 0;
  for (let i = 0; i < runs; i++) {
    peak.reset();
    let t = performance.now();
    lines = await baseline(file);
    base.push(performance.now() - t);
    baseRss = Math.max(baseRss, peak.peak());
    peak.reset();
    t = performance.now();
    result = await scanFileForIds(file, createIdScanner());
    scan.push(performance.now() - t);
    scanRss = Math.max(scanRss, peak.peak());
  }
  await peak.stop();
  const median = summarise(scan).median;
  console.log(
    JSON.stringify({
      fileBytes: size,
      lines,
      distinctClicks: result!.clickIds.length,
      distinctCandidates: result!.candidateIds.length,
      scanMs: summarise(scan),
      baselineReadMs: summarise(base),
      megabytesPerSecond: Math.round((size / 2 ** 20 / (median / 1000)) * 10) / 10,
      distinctIdsPerSecond: Math.round((result!.clickIds.length + result!.candidateIds.length) / (median / 1000)),
      peakRssMiB: Math.round(scanRss / 2 ** 20),
      baselinePeakRssMiB: Math.round(baseRss / 2 ** 20),
    }),
  );
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
