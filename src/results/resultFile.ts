import * as fs from 'fs';
import { constants, PerformanceObserver, type PerformanceEntry } from 'perf_hooks';
import { pipeline } from 'stream';
import { Worker } from 'worker_threads';
import * as zlib from 'zlib';
import type { ApiExchange, Click } from '../core/types';
import { PartSplitter, type FilePart } from './resultFileParts';
import { RepeatedValues } from './repeatedValues';
import type { ResultSet } from './resultSet';

// The file a kept result is written to and read from (src/results/resultStore.ts): gzipped JSON, one
// document, with its head on the first line and then each row (and each exchange, and the conversions'
// head and each of their rows) on a line of its own, so it is read back a line at a time: a million
// rows are about two gigabytes of JSON, past the longest string V8 makes.
//
// Both ways work a few milliseconds at a time and then give the event loop a turn (a fixed count of
// rows is too coarse: a row can be a hundred bytes or a megabyte). They also allocate little on the
// host's heap besides what must be there: each row's JSON goes into a few reused buffers handed to
// gzip, not into strings joined per batch (a joined batch is a large object, which V8 puts in its old
// generation, where only a major collection of the whole heap frees it), and the reader splits lines
// in the gunzipped bytes instead of readline (a promise per line) and parses rows a group at a time
// (see GROUP_BYTES).

export const EXCHANGES_LINE = '],"exchanges":[';
export const CONVERSIONS_LINE = '],"conversions":';
const HEAD_END = '"rows":[';

/** The longest either way works before it yields: the host's other work waits at most about this. */
const TURN_MS = 5;
/** How long the work waits for V8 to finish marking, at most, and how often it looks. */
const MAX_MARKING_WAIT_MS = 3000;
const MARKING_POLL_MS = 10;
/** Bytes of JSON per buffer handed to gzip, and how many of them may be waiting there. */
const CHUNK = 256 * 1024;
const CHUNKS = 4;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

/**
 * Yields to the event loop once `TURN_MS` have passed since the last turn, and waits out V8's marking
 * of the whole heap. A load's heap grows by gigabytes, which brings a major collection, and while it
 * marks, every byte the reader allocates makes the main thread mark bytes of the heap in step with it:
 * the concurrent markers get little of two busy cores, so those steps held the event loop 40–80 ms each
 * (measured with --trace-gc). Node reports the marking's start (an `incremental` entry) and its end
 * (the `major` one): between them the work pauses, and the markers and V8's own 1 ms tasks finish it.
 */
class Turns {
  private start = performance.now();
  private markingSince: number | undefined;
  private readonly gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) this.markingSince ??= performance.now();
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.markingSince = undefined;
    }
  });

  constructor() {
    this.gc.observe({ entryTypes: ['gc'] });
  }

  due(): boolean {
    return performance.now() - this.start >= TURN_MS;
  }

  async yield(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    // Not for ever: a marking whose end is not reported (or one that never ends) only slows the work.
    while (this.markingSince !== undefined && performance.now() - this.markingSince < MAX_MARKING_WAIT_MS) await new Promise((resolve) => setTimeout(resolve, MARKING_POLL_MS));
    this.start = performance.now();
  }

  stop(): void {
    this.gc.disconnect();
  }
}

/** What the writer needs beyond the result: the exchanges, gathered as the rows pass (exchanges.ts). */
export interface ExchangeSink {
  add(row: Click): void;
  list(): ApiExchange[];
}

/**
 * Writes `result` to `file` (gzipped). Rejects on any failure, leaving `file` partly written: the
 * caller writes to a temporary name and renames.
 */
export async function writeResultFile(file: string, result: ResultSet, exchanges: ExchangeSink): Promise<void> {
  const out = new ChunkedGzipFile(file);
  const turns = new Turns();
  const rows = async (list: readonly unknown[], each?: (row: Click) => void): Promise<void> => {
    for (let i = 0; i < list.length; i++) {
      if (each) each(list[i] as Click);
      await out.line(JSON.stringify(list[i]), i > 0);
      if (turns.due()) await turns.yield();
    }
  };
  try {
    await out.line(`{"title":${JSON.stringify(result.title)},"request":${JSON.stringify(result.request)},${HEAD_END}`, false);
    await rows(result.rows, (row) => exchanges.add(row));
    // What Everflow sent, so "Open as JSON" after a reload still shows it (texts within the budget).
    const sent = exchanges.list();
    if (sent.length > 0) {
      await out.line(EXCHANGES_LINE, false);
      await rows(sent);
    }
    // Conversions added to the result ("Add Conversions"), so their columns survive a reload: their
    // head on a line of its own, then a conversion row per line, like the clicks.
    if (result.conversions) {
      const { rows: list, ...meta } = result.conversions;
      await out.line(`${CONVERSIONS_LINE}${JSON.stringify({ ...meta, rows: [] }).slice(0, -2)}`, false);
      await rows(list);
      await out.line(']}}', false);
    } else {
      await out.line(']}', false);
    }
    await out.end();
  } catch (e) {
    await out.abort();
    throw e;
  } finally {
    turns.stop();
  }
}

/** A gzip file written through a few reused buffers (no strings joined on the host's heap). */
class ChunkedGzipFile {
  private readonly gzip = zlib.createGzip({ level: 6 });
  private readonly done: Promise<void>;
  private readonly free: Buffer[] = [];
  private buf: Buffer;
  private used = 0;
  private waiting: (() => void) | undefined;
  private failure: unknown;

  constructor(file: string) {
    for (let i = 0; i < CHUNKS; i++) this.free.push(Buffer.allocUnsafeSlow(CHUNK));
    this.buf = this.free.pop()!;
    this.done = new Promise<void>((resolve, reject) =>
      pipeline(this.gzip, fs.createWriteStream(file), (e) => {
        if (e) {
          this.failure = e;
          this.waiting?.();
          reject(e);
        } else resolve();
      }),
    );
    this.done.catch(() => undefined);
  }

  /** Appends `text` and a newline, led by a comma when `comma`. */
  async line(text: string, comma: boolean): Promise<void> {
    // Worst case 3 bytes of UTF-8 per UTF-16 unit; the exact count only when that may not fit.
    if (this.used + text.length * 3 + 2 > this.buf.length) {
      const bytes = Buffer.byteLength(text) + 2;
      if (this.used + bytes > this.buf.length) {
        await this.flush();
        if (bytes > this.buf.length) {
          this.free.push(this.buf);
          this.buf = Buffer.allocUnsafeSlow(bytes);
        }
      }
    }
    if (comma) this.buf[this.used++] = COMMA;
    this.used += this.buf.write(text, this.used);
    this.buf[this.used++] = NEWLINE;
  }

  private async flush(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.used === 0) return;
    const full = this.buf;
    this.gzip.write(full.subarray(0, this.used), (e) => {
      // gzip is done with the bytes: the buffer can take more (an outsized one is let go).
      if (!e && full.length === CHUNK) this.free.push(full);
      this.waiting?.();
    });
    this.used = 0;
    while (this.free.length === 0 && this.failure === undefined) await new Promise<void>((resolve) => (this.waiting = resolve));
    this.waiting = undefined;
    if (this.failure !== undefined) throw this.failure;
    this.buf = this.free.pop()!;
  }

  async end(): Promise<void> {
    await this.flush();
    this.gzip.end();
    await this.done;
  }

  async abort(): Promise<void> {
    this.gzip.destroy();
    await this.done.catch(() => undefined);
  }
}

/** What the reader found beyond the document: rows it could not trust. */
export interface ReadResult {
  value: unknown;
  /** Read a line at a time, with each click row checked to be an object as it was parsed. */
  streamed: boolean;
  /** A conversion row without its string ids was read (the conversions cannot be trusted). */
  badConversionRow: boolean;
  /** The file's bytes were read in the reader thread (false: on this thread). */
  inThread: boolean;
}

/**
 * A kept result, a line at a time: the head line up to `"rows":[`, a row per line (after the first,
 * led by a comma), then the exchanges the same way, then the conversions' head and their rows the same
 * way. A file written before rows had lines of their own is one line, parsed whole as before. Rejects
 * on a file cut short, a row that is not an object, or anything unreadable.
 *
 * With `thread` (the built resultReaderThread.ts), the file is read, gunzipped and cut into parts in a
 * worker thread, and only the parsing of the parts is left to this one: the host's thread is busy about
 * a quarter less (10.3 s instead of 13.8 s for a million rows in `npm run bench -- --only store`), and
 * the 1.5 GB of gunzipped bytes of a million rows are buffers of the thread's, not the host's. Without
 * one, or when the thread cannot start, it is all done here.
 */
export async function readResultFile(file: string, thread?: string): Promise<ReadResult> {
  if (thread) {
    try {
      return { ...(await readParts(partsFromThread(file, thread))), inThread: true };
    } catch (e) {
      if (!(e instanceof ThreadUnavailable)) throw e;
    }
  }
  return readParts(partsHere(file));
}

/** The parts in order, a few milliseconds at a time, until the document ends. */
async function readParts(parts: AsyncIterable<FilePart>): Promise<ReadResult> {
  const reader = new PartReader();
  const turns = new Turns();
  try {
    for await (const part of parts) {
      reader.take(part);
      if (reader.ended) break;
      if (turns.due()) await turns.yield();
    }
    return reader.result();
  } finally {
    turns.stop();
  }
}

/** The file's parts, read and gunzipped on this thread. */
async function* partsHere(file: string): AsyncGenerator<FilePart> {
  // pipeline (unlike pipe) passes the file's errors on, so a missing file fails the read.
  const input = pipeline(fs.createReadStream(file, { highWaterMark: 64 * 1024 }), zlib.createGunzip({ chunkSize: 64 * 1024 }), () => undefined);
  try {
    const splitter = new PartSplitter();
    for await (const chunk of input as AsyncIterable<Buffer>) yield* splitter.push(chunk);
    yield* splitter.end();
  } finally {
    input.destroy();
  }
}

/** Parts the reader thread may have posted and this thread not yet taken (bounds what waits in memory). */
export const THREAD_WINDOW = 8;

/** A message from the reader thread (resultReaderThread.ts). */
export type ThreadMessage = FilePart | { kind: 'done' } | { kind: 'failed'; message: string; code?: string };

/** The reader thread could not start, or stopped without a word: the file is read on this thread instead. */
class ThreadUnavailable extends Error {}

/**
 * The file's parts as the reader thread posts them, each answered with "next" once taken. Throws what
 * the thread met reading the file (a missing file, bad gzip), or ThreadUnavailable.
 */
async function* partsFromThread(file: string, thread: string): AsyncGenerator<FilePart> {
  let worker: Worker;
  try {
    worker = new Worker(thread, { workerData: { file, window: THREAD_WINDOW } });
  } catch {
    throw new ThreadUnavailable();
  }
  const queue: (ThreadMessage | { kind: 'gone' })[] = [];
  let wake: (() => void) | undefined;
  const arrive = (m: ThreadMessage | { kind: 'gone' }): void => {
    queue.push(m);
    wake?.();
  };
  worker.on('message', arrive);
  // A thread that cannot run (no such file, no memory for it) or ends early.
  worker.on('error', () => arrive({ kind: 'gone' }));
  worker.on('exit', () => arrive({ kind: 'gone' }));
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const m = queue.shift()!;
      if (m.kind === 'gone') throw new ThreadUnavailable();
      if (m.kind === 'failed') throw Object.assign(new Error(m.message), m.code ? { code: m.code } : {});
      if (m.kind === 'done') return;
      yield m;
      worker.postMessage('next');
    }
  } finally {
    void worker.terminate();
  }
}

/**
 * The most click rows a head's count may make room for at once (an array of that many empty slots is
 * 8 MiB): past it, or without a count, the rows array grows as they come.
 */
const MAX_PRESIZED_ROWS = 2 ** 21;

class PartReader {
  head: Record<string, unknown> | undefined;
  ended = false;
  private whole: unknown;
  private rows: unknown[] = [];
  /** Click rows placed in `rows` (which may have room for more: see `head`). */
  private filled = 0;
  private list: unknown[] = this.rows;
  private exchanges: unknown[] | undefined;
  private conversions: Record<string, unknown> | undefined;
  private badConversionRow = false;
  /** The click rows' repeated values, one object each (src/results/repeatedValues.ts). */
  private readonly repeated = new RepeatedValues();

  take(part: FilePart): void {
    if (this.ended) return;
    switch (part.kind) {
      case 'whole':
        // The older one-line form (it was written whole, so it fits in one string).
        this.whole = JSON.parse(part.text) as unknown;
        this.ended = true;
        return;
      case 'head':
        if (!part.text.endsWith(HEAD_END)) throw new Error('the file has no head line');
        this.head = JSON.parse(part.text + ']}') as Record<string, unknown>;
        this.presize((this.head.request as { rows?: unknown } | undefined)?.rows);
        return;
      case 'mark': {
        const line = part.text;
        if (line === (this.conversions ? ']}}' : ']}')) this.ended = true;
        else if (line === EXCHANGES_LINE && this.list === this.rows) this.list = this.exchanges = [];
        else if (!this.conversions && line.startsWith(CONVERSIONS_LINE) && line.endsWith(HEAD_END)) {
          this.conversions = JSON.parse(line.slice(CONVERSIONS_LINE.length) + ']}') as Record<string, unknown>;
          this.list = [];
          this.conversions.rows = this.list;
        } else throw new Error('the file has a line out of place');
        return;
      }
      case 'rows':
        this.rowsOf(JSON.parse(part.text) as unknown[]);
        return;
      default:
        throw new Error('the file has a part of an unknown kind');
    }
  }

  private rowsOf(rows: unknown[]): void {
    if (!this.head || !Array.isArray(rows)) throw new Error('the file has rows out of place');
    const checkIds = this.list === this.conversions?.rows;
    const clicks = this.list === this.rows;
    for (const row of rows) {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new Error('a row is not an object');
      if (clicks) this.repeated.row(row as Record<string, unknown>);
      if (checkIds) {
        const c = row as Record<string, unknown>;
        if (typeof c.transaction_id !== 'string' || typeof c.conversion_id !== 'string') this.badConversionRow = true;
      }
      if (clicks) this.rows[this.filled++] = row;
      else this.list.push(row);
    }
  }

  /**
   * Room for the click rows the head counts, made at once: grown a push at a time, a million-row array
   * is copied whole each time it outgrows its room, and in the middle of a load, with V8 marking the
   * heap, the last copies held the thread 30 ms or more. The count is only a size: rows past it are
   * still added, and room left over is cut off at the end, so a wrong count loses nothing.
   */
  private presize(count: unknown): void {
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count <= 0 || count > MAX_PRESIZED_ROWS) return;
    this.rows = new Array<unknown>(count);
    this.list = this.rows;
  }

  result(): ReadResult {
    if (!this.ended) throw new Error('the file ends early');
    if (!this.head) return { value: this.whole, streamed: false, badConversionRow: false, inThread: false };
    // Fewer rows than the head counted: the room left over goes.
    if (this.rows.length > this.filled) this.rows.length = this.filled;
    const { head, rows, exchanges, conversions } = this;
    return { value: { ...head, rows, ...(exchanges ? { exchanges } : {}), ...(conversions ? { conversions } : {}) }, streamed: true, badConversionRow: this.badConversionRow, inThread: false };
  }
}
