import * as fs from 'fs';
import { pipeline } from 'stream';
import * as zlib from 'zlib';
import type { ApiExchange, Click } from '../core/types';
import type { ResultSet } from './resultSet';

// The file a kept result is written to and read from (src/results/resultStore.ts): gzipped JSON, one
// document, with its head on the first line and then each row (and each exchange, and the conversions'
// head and each of their rows) on a line of its own, so it is read back a line at a time: a million
// rows are about two gigabytes of JSON, past the longest string V8 makes.
//
// Both ways work a few milliseconds at a time and then give the event loop a turn (a fixed count of
// rows is too coarse: a row can be a hundred bytes or a megabyte). They also allocate little on the
// host's heap besides what must be there: each row's JSON goes into a few reused buffers handed to
// gzip, not into strings joined per batch (joined batches were large objects, allocated in V8's old
// generation, which brought major collections of the whole heap with its million clicks), and the
// reader splits lines in the gunzipped bytes instead of readline (a promise per line).

export const EXCHANGES_LINE = '],"exchanges":[';
export const CONVERSIONS_LINE = '],"conversions":';
const HEAD_END = '"rows":[';

/** The longest either way works before it yields: the host's other work waits at most about this. */
const TURN_MS = 5;
/** Bytes of JSON per buffer handed to gzip, and how many of them may be waiting there. */
const CHUNK = 256 * 1024;
const CHUNKS = 4;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

/** Yields to the event loop once `TURN_MS` have passed since the last turn. */
class Turns {
  private start = performance.now();

  due(): boolean {
    return performance.now() - this.start >= TURN_MS;
  }

  async yield(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.start = performance.now();
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
}

/**
 * A kept result, a line at a time: the head line up to `"rows":[`, a row per line (after the first,
 * led by a comma), then the exchanges the same way, then the conversions' head and their rows the same
 * way. A file written before rows had lines of their own is one line, parsed whole as before. Rejects
 * on a file cut short, a row that is not an object, or anything unreadable.
 */
export async function readResultFile(file: string): Promise<ReadResult> {
  // pipeline (unlike pipe) passes the file's errors on, so a missing file fails the read.
  const input = pipeline(fs.createReadStream(file, { highWaterMark: 64 * 1024 }), zlib.createGunzip({ chunkSize: 64 * 1024 }), () => undefined);
  const turns = new Turns();
  let head: Record<string, unknown> | undefined;
  const rows: unknown[] = [];
  let list: unknown[] = rows;
  let exchanges: unknown[] | undefined;
  let conversions: Record<string, unknown> | undefined;
  let badConversionRow = false;
  let ended = false;
  /** Bytes of a line not ended yet (a line can span chunks; a file of the one-line form is one). */
  let partial: Buffer[] = [];

  const take = (line: string): void => {
    if (!head) {
      if (!line.endsWith(HEAD_END)) throw new Error('the file has no head line');
      head = JSON.parse(line + ']}') as Record<string, unknown>;
    } else if (line === (conversions ? ']}}' : ']}')) ended = true;
    else if (line === EXCHANGES_LINE && list === rows) list = exchanges = [];
    else if (!conversions && line.startsWith(CONVERSIONS_LINE) && line.endsWith(HEAD_END)) {
      conversions = JSON.parse(line.slice(CONVERSIONS_LINE.length) + ']}') as Record<string, unknown>;
      list = [];
      conversions.rows = list;
    } else {
      const row = JSON.parse(line.charCodeAt(0) === COMMA ? line.slice(1) : line) as unknown;
      if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new Error('a row is not an object');
      if (list === conversions?.rows) {
        const c = row as Record<string, unknown>;
        if (typeof c.transaction_id !== 'string' || typeof c.conversion_id !== 'string') badConversionRow = true;
      }
      list.push(row);
    }
  };

  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let start = 0;
      // Until the first line is whole, it may be a file of the one-line form: kept as bytes.
      for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1 && !ended; nl = chunk.indexOf(NEWLINE, start)) {
        const line = partial.length > 0 ? Buffer.concat([...partial, chunk.subarray(start, nl)]).toString('utf8') : chunk.toString('utf8', start, nl);
        partial = [];
        start = nl + 1;
        take(line);
        if (turns.due()) await turns.yield();
      }
      if (ended) break;
      if (start < chunk.length) partial.push(chunk.subarray(start));
    }
    if (!head) {
      // The older one-line form (it was written whole, so it fits in one string).
      return { value: JSON.parse(Buffer.concat(partial).toString('utf8')) as unknown, streamed: false, badConversionRow: false };
    }
    if (!ended) throw new Error('the file ends early');
    return { value: { ...head, rows, ...(exchanges ? { exchanges } : {}), ...(conversions ? { conversions } : {}) }, streamed: true, badConversionRow };
  } finally {
    input.destroy();
  }
}
