// A kept result's file (src/results/resultFile.ts), gunzipped, cut into the parts its reader takes: the
// head line (up to `"rows":[`), each line between lists (they start with "]"), and the rows as JSON
// arrays of about GROUP_BYTES each; a file of the older one-line form is one part, whole. The same
// splitter runs on the host's thread or in the reader thread (resultReaderThread.ts), which then posts
// the parts to the host as strings.

export type FilePart = { kind: 'head' | 'mark' | 'rows' | 'whole'; text: string };

/**
 * Rows are parsed a group at a time, as one JSON array of at least 100 KiB: V8's JSON.parse allocates
 * what it parses from a text that long straight into the old generation (its kPretenureTreshold),
 * where a million rows end up anyway, instead of into the young generation, from which every
 * scavenge would copy them (twice) while they are read: those copies were the longest pauses of a
 * load. Under 128 KiB, the text itself is an ordinary young string that dies young.
 */
export const GROUP_BYTES = 110 * 1024;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

export class PartSplitter {
  private head = false;
  /** Bytes of a line not ended yet (a line can span chunks; a file of the one-line form is one). */
  private partial: Buffer[] = [];
  private group = Buffer.allocUnsafeSlow(GROUP_BYTES + 64 * 1024);
  private used = 0;

  /** The parts that end in `chunk` (the next chunk of the gunzipped file). */
  *push(chunk: Buffer): Generator<FilePart> {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const line = this.partial.length > 0 ? Buffer.concat([...this.partial, chunk.subarray(start, nl)]) : chunk.subarray(start, nl);
      this.partial = [];
      start = nl + 1;
      yield* this.line(line);
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
  }

  /** What is left at the end of the file: the last group, or the whole file of the one-line form. */
  *end(): Generator<FilePart> {
    yield* this.flush();
    if (!this.head) yield { kind: 'whole', text: Buffer.concat(this.partial).toString('utf8') };
    else if (this.partial.length > 0) yield* this.line(Buffer.concat(this.partial));
    this.partial = [];
  }

  private *line(bytes: Buffer): Generator<FilePart> {
    if (!this.head) {
      this.head = true;
      yield { kind: 'head', text: bytes.toString('utf8') };
    } else if (bytes[0] === CLOSE) {
      // The lines between lists start with "]"; rows start with "{" or ",{".
      yield* this.flush();
      yield { kind: 'mark', text: bytes.toString('utf8') };
    } else {
      if (this.used + bytes.length + 2 > this.group.length) {
        yield* this.flush();
        if (bytes.length + 2 > this.group.length) this.group = Buffer.allocUnsafeSlow(bytes.length + 2);
      }
      // "[" then the rows as written: each after the first led by its comma.
      if (this.used === 0) {
        this.group[this.used++] = OPEN;
        this.used += bytes.copy(this.group, this.used, bytes[0] === COMMA ? 1 : 0);
      } else this.used += bytes.copy(this.group, this.used);
      if (this.used >= GROUP_BYTES) yield* this.flush();
    }
  }

  private *flush(): Generator<FilePart> {
    if (this.used === 0) return;
    this.group[this.used++] = CLOSE;
    const text = this.group.toString('utf8', 0, this.used);
    this.used = 0;
    yield { kind: 'rows', text };
  }
}
