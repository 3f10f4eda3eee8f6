// Section 1 (core) and section 3 (host → webview) of `npm run bench`, one task per process.
//
//   node --expose-gc out/bench/core.cjs <task> <clicks.json> <runs>
//
// scripts/bench.mjs starts one process per task and input, so no task inherits another's heap or
// JIT state, and prints one JSON line. Each task runs once to warm up and measure peak memory
// (the first run is the one that grows the heap), then `runs` timed runs with a GC in between.

import { readFileSync } from 'node:fs';
import { serialize } from 'node:v8';
import { COLUMNS, columnsForRows } from '../../src/core/columns';
import { toCsv } from '../../src/core/exporters';
import { flattenRows } from '../../src/core/flatten';
import { parseStreamResponse } from '../../src/core/parse';
import { decodeTable, type BinaryTable } from '../../src/core/binaryTable';
import { encodeRows } from '../../src/core/tableEncoder';
import { ArrivalEncoder } from '../../src/results/arrivalEncoder';
import { GridTable } from '../../src/core/gridTable';
import { packTable, unpackTable, type PackedTable } from '../../src/core/tablePack';
import type { Click } from '../../src/core/types';
import { PeakRss } from '../lib/peakRss';
import { scaleTo } from '../lib/replicate';
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
  arrive?: (input: unknown) => Promise<{ value: unknown; ms: number }>;
}

const rowsOf = (text: string): Click[] => parseStreamResponse(JSON.parse(text), Infinity).rows;
const rowMajor = (rows: Click[]): unknown[][] => rows.map((r) => COLUMNS.map((c) => c.get(r)));

// The webview transport, as VS Code does it: `webview.postMessage` JSON-stringifies in the
// extension host, the workbench renderer JSON-parses, and hands the object to the webview's iframe
// with window.postMessage, which is a structured clone (timed here with node's, the same algorithm).
// The grid then unpacks its table (webview/results/app.ts); plain rows need no decoding.
const transport = (build: (rows: Click[]) => unknown, decode?: (msg: unknown) => unknown): Phase[] => [
  { name: 'encode', run: (rows) => build(rows as Click[]) },
  { name: 'stringify', run: (msg) => JSON.stringify(msg) },
  { name: 'parse', run: (json) => JSON.parse(json as string) },
  { name: 'clone', run: (obj) => structuredClone(obj) },
  ...(decode ? [{ name: 'decode', run: decode }] : []),
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

// VS Code 1.57+ (extHostWebview's serializeWebviewMessage and the webview's reviver): typed arrays and
// ArrayBuffers anywhere in a message are replaced in its JSON by a reference and sent beside it as
// binary, then put back in the webview. Timed the same way: JSON in the host, JSON in the renderer,
// a structured clone (a copy, where VS Code may transfer) into the webview, then the grid's table.
const REF = '$$vscode_array_buffer_reference$$';
interface Wire {
  json: string;
  buffers: ArrayBufferLike[];
}
const binaryTransport: Phase[] = [
  { name: 'encode', run: (rows) => gridInitBinary(rows as Click[]) },
  {
    name: 'stringify',
    run: (msg): Wire => {
      const buffers: ArrayBufferLike[] = [];
      const json = JSON.stringify(msg, (_k, v: unknown) => {
        if (!ArrayBuffer.isView(v)) return v;
        // One entry per distinct buffer, as VS Code's ArrayBufferSet does (the table is one buffer).
        let index = buffers.indexOf(v.buffer);
        if (index < 0) index = buffers.push(v.buffer) - 1;
        return { [REF]: index, type: v.constructor.name, byteOffset: v.byteOffset, byteLength: v.byteLength };
      });
      return { json, buffers };
    },
  },
  {
    name: 'parse',
    run: (wire) => {
      const { json, buffers } = wire as Wire;
      const types: Record<string, new (b: ArrayBufferLike, o: number, n: number) => unknown> = { Uint8Array, Uint16Array, Uint32Array, Float64Array };
      return JSON.parse(json, (_k, v: { [REF]?: number; type: string; byteOffset: number; byteLength: number }) => {
        if (!v || typeof v !== 'object' || v[REF] === undefined) return v;
        const T = types[v.type] as unknown as { new (b: ArrayBufferLike, o: number, n: number): unknown; BYTES_PER_ELEMENT: number };
        return new T(buffers[v[REF]], v.byteOffset, v.byteLength / T.BYTES_PER_ELEMENT);
      });
    },
  },
  { name: 'clone', run: (obj) => structuredClone(obj) },
  { name: 'decode', run: (msg) => new GridTable(decodeTable((msg as { init: { table: BinaryTable } }).init.table), ZONE) },
];

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
  ...binaryTransport.slice(1),
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
  transferGrid: { input: rowsOf, phases: transport(gridInit, (msg) => unpackTable((msg as { init: { table: PackedTable } }).init.table)) },
  transferBinary: { input: rowsOf, phases: binaryTransport },
  transferPaged: { input: rowsOf, phases: pagedTransport, arrive: arrivePaged(false) },
  transferPagedReversed: { input: rowsOf, phases: pagedTransport, arrive: arrivePaged(true) },
  transferRows: { input: rowsOf, phases: transport((rows) => ({ type: 'init', rows })) },
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

  const times: Record<string, number[]> = Object.fromEntries(task.phases.map((p) => [p.name, []]));
  times.all = [];
  const arriveMs: number[] = [];
  let peakGrowth = 0;
  let resultHeap = 0;
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
      const arrived = await task.arrive(input);
      value = arrived.value;
      if (i > 0) arriveMs.push(arrived.ms);
    }
    const t0 = performance.now();
    for (const phase of task.phases) {
      const p0 = performance.now();
      value = phase.run(value);
      if (i > 0) times[phase.name].push(performance.now() - p0);
      outputs.push(value);
    }
    if (i > 0) times.all.push(performance.now() - t0);
    if (i === 0) {
      // Text tasks learn the row count from their own first result.
      const first = outputs[0] as { rows?: unknown[]; table?: unknown[] };
      rowCount ||= (first.rows ?? first.table ?? []).length;
      peakGrowth = sampler.peak() - rssBefore;
      gc!();
      // What the result keeps alive (every phase's output, e.g. the table and its message).
      resultHeap = process.memoryUsage().heapUsed - heapBefore;
      bytes = task.bytes?.(value) ?? {};
      if (taskName === 'transferBinary' || taskName.startsWith('transferPaged')) {
        const wire = outputs[1] as Wire;
        bytes = { json: Buffer.byteLength(wire.json), binary: wire.buffers.reduce((n, b) => n + b.byteLength, 0), structuredClone: serialize(outputs[3]).length };
      } else if (taskName.startsWith('transfer')) bytes = { json: Buffer.byteLength(outputs[1] as string), structuredClone: serialize(outputs[3]).length };
    }
  }
  void sampler.stop();
  const totalMedian = summarise(times.all).median;
  const out = {
    task: taskName,
    rows: rowCount,
    inputBytes: Buffer.byteLength(text),
    ms: summarise(times.all),
    phases: task.phases.length > 1 ? Object.fromEntries(task.phases.map((p) => [p.name, summarise(times[p.name])])) : undefined,
    rowsPerSecond: Math.round(rowCount / (totalMedian / 1000)),
    peakRssGrowthBytes: peakGrowth,
    resultHeapBytes: resultHeap,
    bytes,
    ...(task.arrive ? { arriveEncodeMs: summarise(arriveMs) } : {}),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

void main();
