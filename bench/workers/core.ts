// Section 1 (core) and section 3 (host → webview) of `npm run bench`, one task per process.
//
//   node --expose-gc out/bench/core.cjs <task> <clicks.json> <runs>
//
// scripts/bench.mjs starts one process per task and input, so no task inherits another's heap or
// JIT state, and prints one JSON line. Each task runs once to warm up and measure peak memory
// (the first run is the one that grows the heap), then `runs` timed runs with a GC in between.

import { readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { COLUMNS, columnsForRows } from '../../src/core/columns';
import { toCsv } from '../../src/core/exporters';
import { flattenRows } from '../../src/core/flatten';
import { parseStreamResponse } from '../../src/core/parse';
import { decodeTable, type BinaryTable } from '../../src/core/binaryTable';
import { encodeRows } from '../../src/core/tableEncoder';
import { ArrivalEncoder } from '../../src/results/arrivalEncoder';
import { PieceReader, PieceWriter, type PiecedTable, type TablePiece } from '../../src/core/tablePieces';
import { GridTable } from '../../src/core/gridTable';
import { packTable, unpackTable, type PackedTable } from '../../src/core/tablePack';
import type { Click } from '../../src/core/types';
import { PeakRss } from '../lib/peakRss';
import { scaleTo } from '../lib/replicate';
import { serveWebviewSide, WebviewSide, type Decoders, type WebviewTimes } from '../lib/webviewSide';
import { frameSizes, hostSerialize } from '../lib/webviewWire';
import { summarise } from '../lib/stats';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

/** A zone with daylight saving, as most users have: UTC would skip the zone arithmetic. */
const ZONE = 'America/New_York';
const CAP = 5000;

interface Phase {
  name: string;
  run: (input: unknown) => unknown;
}

/** A task: what it needs as input (built before timing starts) and the phases it times in order. */
interface Task {
  input: (text: string) => unknown;
  phases: Phase[];
  /** Bytes of the result worth reporting (a file's or a message's size). */
  bytes?: (result: unknown) => Record<string, number>;
  /** Untimed work before each run (the pages of a Fetch all arriving); its value goes to the first phase. */
  arrive?: (input: unknown, webview: WebviewSide | undefined) => Promise<{ value: unknown; ms: number; pieces?: PiecesCost }>;
  /**
   * A host → webview task: the phases above run in the extension host (this thread) and end with the
   * IPC bytes, which the webview thread parses, clones and decodes with DECODERS[webview] ('none': no decoding).
   */
  webview?: string;
}

const rowsOf = (text: string): Click[] => parseStreamResponse(JSON.parse(text), Infinity).rows;
const rowMajor = (rows: Click[]): unknown[][] => rows.map((r) => COLUMNS.map((c) => c.get(r)));

// The webview transport, as VS Code does it (bench/lib/webviewWire.ts): `webview.postMessage`
// serialises in the extension host (JSON, with typed arrays set aside as binary, all copied into one
// IPC message); the rest happens in the webview's own process, here a worker thread with its own heap
// (bench/lib/webviewSide.ts): the bytes arrive copied ("ipc"), the workbench parses them ("parse"),
// posts them into the webview's frames ("clone": a structured clone, then a transfer), and the grid
// builds its table ("decode"). Plain rows need no decoding.
const transport = (build: (rows: Click[]) => unknown): Phase[] => [
  { name: 'encode', run: (rows) => build(rows as Click[]) },
  { name: 'stringify', run: (msg) => hostSerialize(msg) },
];

/** The results grid's `init` message (src/webviews/resultGridPanel.ts), with its table as the host packs it. */
const gridInit = (rows: Click[]): unknown => ({
  type: 'init',
  init: { resultId: 'bench', title: 'bench', zone: ZONE, table: packTable(flattenRows(rows, columnsForRows(rows).columns)), canFetchAll: false, maxRows: 100_000 },
});

/** The same message with its table as typed arrays (src/core/binaryTable.ts), as the grid panel now posts it. */
const gridInitBinary = (rows: Click[]): unknown => ({
  type: 'init',
  init: { resultId: 'bench', title: 'bench', zone: ZONE, table: encodeRows(rows, columnsForRows(rows).columns), canFetchAll: false, maxRows: 1_000_000 },
});

/** The webview's reader of Fetch all's pieces (in the webview thread, kept between its messages). */
const reader = new PieceReader();

/** What the webview does with each task's message once it has it (run in the webview thread). */
const DECODERS: Decoders = {
  packed: (msg) => unpackTable((msg as { init: { table: PackedTable } }).init.table),
  binary: (msg) => new GridTable(decodeTable((msg as { init: { table: BinaryTable } }).init.table), ZONE),
  // As webview/results/app.ts: a piece is absorbed; the end makes the table, which the grid decodes.
  pieces: async (msg) => {
    const m = msg as { type: 'tablePiece'; piece: TablePiece } | { type: 'init'; init: { table: PiecedTable } };
    if (m.type === 'tablePiece') return reader.take(m.piece);
    const table = await reader.table(m.init.table);
    if (!table) throw new Error('the pieces did not make the table');
    return new GridTable(decodeTable(table), ZONE);
  },
};

// Fetch all's million rows as they come: pages of 5,000 (as Everflow caps them) handed to the
// grid's ArrivalEncoder (src/results/arrivalEncoder.ts, what the panel uses), a turn of the event loop
// after each as the wait for the next page gives it. Untimed; its encoding time is reported beside.
// The timed phases start at "rows ready" (the last page in) and end when the grid's table is built.
const PAGE = 5000;
const arrivePaged =
  (reversed: boolean) =>
  async (input: unknown): Promise<{ value: unknown; ms: number }> => {
    const rows = input as Click[];
    const arrival = new ArrivalEncoder();
    for (let at = 0; at < rows.length; at += PAGE) {
      const page = rows.slice(at, at + PAGE);
      // Newest first within each page: every row then moves when the result is put in time order.
      arrival.add(reversed ? page.reverse() : page);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { value: { rows, arrival }, ms: arrival.encodeMs };
  };
/** Fetch all's pieces while the pages came: their count and bytes, and the time each side spent on them (ms). */
interface PiecesCost {
  pieces: number;
  bytes: number;
  hostMs: number;
  webviewMs: number;
}

// Fetch all's table posted to the grid in pieces as the pages come (src/core/tablePieces.ts, what the
// grid panel does since session 10): each piece is made after its pages are encoded and posted to
// the webview thread, which absorbs it. Untimed (Fetch all waits on the network between pages), but
// reported: the host's time making and serialising the pieces, the webview's parsing, cloning and
// absorbing them. The timed part starts at "rows ready": the last piece and the end, and the
// webview making the table from its pieces and decoding it.
const arrivePieces =
  (reversed: boolean) =>
  async (input: unknown, webview: WebviewSide | undefined): Promise<{ value: unknown; ms: number; pieces: PiecesCost }> => {
    const rows = input as Click[];
    const arrival = new ArrivalEncoder();
    const writer = new PieceWriter(`bench-${Math.random()}`, arrival.encoder);
    const cost: PiecesCost = { pieces: 0, bytes: 0, hostMs: 0, webviewMs: 0 };
    const posted: Promise<WebviewTimes>[] = [];
    arrival.onEncoded = () => {
      const t0 = performance.now();
      const piece = writer.next();
      const frame = piece && hostSerialize({ type: 'tablePiece', piece });
      cost.hostMs += performance.now() - t0;
      if (!frame) return;
      cost.pieces++;
      cost.bytes += frame.byteLength;
      posted.push(webview!.run(frame, 'pieces', false));
    };
    for (let at = 0; at < rows.length; at += PAGE) {
      const page = rows.slice(at, at + PAGE);
      arrival.add(reversed ? page.reverse() : page);
      await new Promise((resolve) => setImmediate(resolve));
    }
    arrival.drain();
    arrival.onEncoded = undefined;
    // The webview absorbed each piece while the next pages were on their way.
    for (const t of await Promise.all(posted)) cost.webviewMs += t.parse + t.clone + (t.decode ?? 0);
    return { value: { rows, arrival, writer }, ms: arrival.encodeMs, pieces: cost };
  };
const piecesTransport: Phase[] = [
  {
    name: 'finish',
    run: (v) => {
      const { rows, arrival, writer } = v as { rows: Click[]; arrival: ArrivalEncoder; writer: PieceWriter };
      // As the panel does at "rows ready" (ResultGridPanel.endPieces): the last piece and the end.
      arrival.drain();
      const end = writer.end(rows, columnsForRows(rows).columns);
      if (!end) throw new Error('a row never arrived');
      const init = { type: 'init', init: { resultId: 'bench', title: 'bench', zone: ZONE, table: end.table, canFetchAll: false, maxRows: 1_000_000 } };
      return end.piece ? [{ type: 'tablePiece', piece: end.piece }, init] : [init];
    },
  },
  { name: 'stringify', run: (messages) => (messages as unknown[]).map((m) => hostSerialize(m)) },
];

const pagedTransport: Phase[] = [
  {
    name: 'finish',
    run: (v) => {
      const { rows, arrival } = v as { rows: Click[]; arrival: ArrivalEncoder };
      // As the panel does at "rows ready": the result's columns, then the table's finishing.
      const table = arrival.drain().finish(rows, columnsForRows(rows).columns);
      return { type: 'init', init: { resultId: 'bench', title: 'bench', zone: ZONE, table, canFetchAll: false, maxRows: 1_000_000 } };
    },
  },
  transport(() => undefined)[1],
];

const TASKS: Record<string, Task> = {
  parse: { input: (t) => t, phases: [{ name: 'total', run: (t) => parseStreamResponse(JSON.parse(t as string), CAP) }] },
  jsonParse: { input: (t) => t, phases: [{ name: 'total', run: (t) => JSON.parse(t as string) }] },
  // As the grid panel does it: the catalogue plus a column per unknown field the rows carry (none here).
  flatten: { input: rowsOf, phases: [{ name: 'total', run: (rows) => flattenRows(rows as Click[], columnsForRows(rows as Click[]).columns) }] },
  rowMajor: { input: rowsOf, phases: [{ name: 'total', run: (rows) => rowMajor(rows as Click[]) }] },
  csv: {
    input: rowsOf,
    phases: [{ name: 'total', run: (rows) => toCsv(rows as Click[], COLUMNS, { zone: ZONE }) }],
    bytes: (csv) => ({ file: Buffer.byteLength(csv as string) }),
  },
  naiveCsv: {
    input: rowsOf,
    // What a first version would write: no quoting, no formula guard, raw timestamps.
    phases: [{ name: 'total', run: (rows) => (rows as Click[]).map((r) => COLUMNS.map((c) => c.get(r)).join(',')).join('\r\n') }],
    bytes: (csv) => ({ file: Buffer.byteLength(csv as string) }),
  },
  jsonStringify: {
    input: rowsOf,
    phases: [{ name: 'total', run: (rows) => JSON.stringify(rows) }],
    bytes: (json) => ({ file: Buffer.byteLength(json as string) }),
  },
  transferGrid: { input: rowsOf, phases: transport(gridInit), webview: 'packed' },
  transferBinary: { input: rowsOf, phases: transport(gridInitBinary), webview: 'binary' },
  transferPaged: { input: rowsOf, phases: pagedTransport, arrive: arrivePaged(false), webview: 'binary' },
  transferPagedReversed: { input: rowsOf, phases: pagedTransport, arrive: arrivePaged(true), webview: 'binary' },
  transferPieces: { input: rowsOf, phases: piecesTransport, arrive: arrivePieces(false), webview: 'pieces' },
  transferPiecesReversed: { input: rowsOf, phases: piecesTransport, arrive: arrivePieces(true), webview: 'pieces' },
  transferRows: { input: rowsOf, phases: transport((rows) => ({ type: 'init', rows })), webview: 'none' },
};

async function main(): Promise<void> {
  const [taskName, file, runsArg, rowsArg] = process.argv.slice(2);
  const task = TASKS[taskName];
  if (!task || !file) throw new Error(`usage: core.cjs <${Object.keys(TASKS).join('|')}> <clicks.json> [runs] [rows: the clicks replicated to this many]`);
  const runs = Math.max(1, Number(runsArg ?? 5));
  const text = readFileSync(file, 'utf8');
  let input: unknown = task.input(text);
  if (rowsArg && Array.isArray(input)) input = scaleTo(input as Click[], Number(rowsArg));
  let rowCount = Array.isArray(input) ? input.length : 0;
  const sampler = new PeakRss();
  // The webview's side runs in a thread of its own (this file again, see the end).
  const webview = task.webview ? new WebviewSide(__filename) : undefined;
  const names = [...task.phases.map((p) => p.name), ...(task.webview ? ['ipc', 'parse', 'clone', ...(task.webview in DECODERS ? ['decode'] : [])] : [])];

  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  times.all = [];
  const arriveMs: number[] = [];
  const piecesCost: PiecesCost[] = [];
  let webviewHeld: { beforeEnd: number; afterTable: number } | undefined;
  let peakGrowth = 0;
  let hostPeak = 0;
  let resultHeap = 0;
  let webviewHeap: number | undefined;
  let bytes: Record<string, number> = {};
  for (let i = 0; i <= runs; i++) {
    gc!();
    gc!();
    const heapBefore = process.memoryUsage().heapUsed;
    sampler.reset();
    const rssBefore = process.memoryUsage.rss();
    const outputs: unknown[] = [];
    let value = input;
    if (task.arrive) {
      const arrived = await task.arrive(input, webview);
      value = arrived.value;
      if (i > 0) arriveMs.push(arrived.ms);
      if (i > 0 && arrived.pieces) piecesCost.push(arrived.pieces);
    }
    const t0 = performance.now();
    for (const phase of task.phases) {
      const p0 = performance.now();
      value = phase.run(value);
      if (i > 0) times[phase.name].push(performance.now() - p0);
      outputs.push(value);
    }
    let all = performance.now() - t0;
    if (i === 0) {
      // The host's own peak: from the first page (or the encode) until the message is on its way.
      hostPeak = sampler.peak();
      peakGrowth = hostPeak - rssBefore;
    }
    if (webview) {
      // One message, or (Fetch all's pieces) the last piece and the end, posted one after the other.
      const frames = Array.isArray(value) ? (value as Uint8Array[]) : [value as Uint8Array];
      if (i === 0) bytes = { json: 0, binary: 0, structuredClone: 0 };
      const sum: Record<'ipc' | 'parse' | 'clone' | 'decode', number> = { ipc: 0, parse: 0, clone: 0, decode: 0 };
      for (const frame of frames) {
        const w = await webview.run(frame, task.webview!, i === 0);
        for (const n of ['ipc', 'parse', 'clone', 'decode'] as const) sum[n] += w[n] ?? 0;
        if (i === 0) {
          const size = frameSizes(frame);
          bytes.json += size.json;
          bytes.binary += size.binary;
          bytes.structuredClone += w.structuredCloneBytes ?? 0;
          webviewHeap = w.heapBytes;
          webviewHeld = { beforeEnd: w.heldBefore ?? 0, afterTable: w.heldAfter ?? 0 };
        }
      }
      for (const n of ['ipc', 'parse', 'clone', 'decode'] as const) if (i > 0 && names.includes(n)) times[n].push(sum[n]);
      all += sum.ipc + sum.parse + sum.clone + sum.decode;
    }
    if (i > 0) times.all.push(all);
    if (i === 0) {
      // Text tasks learn the row count from their own first result.
      const first = outputs[0] as { rows?: unknown[]; table?: unknown[] };
      rowCount ||= (first.rows ?? first.table ?? []).length;
      gc!();
      // What the result keeps alive in this thread (every phase's output, e.g. the table and its message).
      resultHeap = process.memoryUsage().heapUsed - heapBefore;
      if (!webview) bytes = task.bytes?.(value) ?? {};
    }
  }
  void sampler.stop();
  void webview?.stop();
  const totalMedian = summarise(times.all).median;
  const out = {
    task: taskName,
    rows: rowCount,
    inputBytes: Buffer.byteLength(text),
    ms: summarise(times.all),
    phases: names.length > 1 ? Object.fromEntries(names.map((n) => [n, summarise(times[n])])) : undefined,
    rowsPerSecond: Math.round(rowCount / (totalMedian / 1000)),
    peakRssGrowthBytes: peakGrowth,
    resultHeapBytes: resultHeap,
    bytes,
    ...(task.arrive ? { arriveEncodeMs: summarise(arriveMs) } : {}),
    ...(piecesCost.length
      ? {
          pieces: {
            count: piecesCost[0].pieces,
            bytes: piecesCost[0].bytes,
            hostMs: summarise(piecesCost.map((c) => c.hostMs)),
            webviewMs: summarise(piecesCost.map((c) => c.webviewMs)),
            // The webview thread's heap and buffers holding every piece (before the end), and the table made from them.
            webviewHeldBytes: webviewHeld,
          },
        }
      : {}),
    // The extension host's peak RSS (the input's clicks included), before the webview thread had anything.
    hostPeakRssBytes: hostPeak,
    ...(webview ? { webviewHeapBytes: webviewHeap } : {}),
    // The whole process's: with a webview thread, its heap too.
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

// This file is also the webview's thread (bench/lib/webviewSide.ts) of the host → webview tasks.
if (isMainThread) void main();
else serveWebviewSide(DECODERS);
