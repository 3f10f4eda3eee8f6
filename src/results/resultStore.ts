import * as fs from 'fs';
import * as path from 'path';
import type { ApiExchange } from '../core/types';
import type { ResultConversions, ResultSet } from './resultSet';

// The rows behind each results panel, kept by the host so a panel survives a window reload without
// asking Everflow again (a reload must not spend requests the user did not ask for). One gzipped
// JSON file per result in the extension's storage folder, newest kept first within a file count and
// a byte budget; a panel whose file was evicted says so and offers "Run again".
//
// Written and read a few milliseconds at a time with a yield between (src/results/resultFile.ts): a
// 100,000-row result is a few hundred MB of JSON, and stringifying or parsing it in one go would
// freeze every extension in the window for seconds.

export interface ResultStoreLimits {
  maxFiles: number;
  maxBytes: number;
}

export const DEFAULT_STORE_LIMITS: ResultStoreLimits = { maxFiles: 30, maxBytes: 256 * 1024 * 1024 };

const ID_RE = /^[a-z0-9-]{1,64}$/;
const SUFFIX = '.json.gz';

/** Where the build puts the reader thread of kept results (esbuild.js; src/results/resultReaderThread.ts). */
export function readerThreadOf(extension: { extensionPath: string }): string {
  return path.join(extension.extensionPath, 'dist', 'resultReader.js');
}

export function newResultId(): string {
  return `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function isResultId(id: unknown): id is string {
  return typeof id === 'string' && ID_RE.test(id);
}

export class ResultStore {
  /**
   * Saves and deletes in progress, per id, chained in the order they were asked for: a load waits for
   * them, a delete waits for a save still writing (else the save would bring the file back), and a save
   * after a delete writes anew.
   */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(
    /** Undefined when the extension has no storage folder: nothing is kept across reloads. */
    private readonly dir: string | undefined,
    private readonly limits: ResultStoreLimits = DEFAULT_STORE_LIMITS,
    private readonly log: (message: string) => void = () => undefined,
    /** The built reader thread (dist/resultReader.js, see readResultFile); without it files are read on this thread. */
    private readonly readerThread?: string,
  ) {}

  get persistent(): boolean {
    return this.dir !== undefined;
  }

  private file(id: string): string {
    if (!this.dir || !isResultId(id)) throw new Error(`not a result id: ${String(id).slice(0, 80)}`);
    return path.join(this.dir, id + SUFFIX);
  }

  /** Settles when every save and delete asked for so far has (the window is closing or reloading). */
  async flush(): Promise<void> {
    while (this.writing.size > 0) await Promise.all([...this.writing.values()]);
  }

  /** Best effort: a failure is logged, and the panel simply cannot be restored after a reload. */
  save(id: string, result: ResultSet): Promise<void> {
    if (!this.dir) return Promise.resolve();
    const previous = this.writing.get(id) ?? Promise.resolve();
    const next = previous
      .then(() => this.write(id, result))
      .then(() => this.prune(id))
      .catch((e: unknown) => this.log(`Results: could not keep result ${id} for a reload: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        if (this.writing.get(id) === next) this.writing.delete(id);
      });
    this.writing.set(id, next);
    return next;
  }

  private async write(id: string, result: ResultSet): Promise<void> {
    // Loaded with the first write, not at activation (it brings the client's request code along; the
    // file's reader and writer bring zlib, streams and worker threads).
    const [{ exchangeCollector }, { writeResultFile }] = await Promise.all([import('./exchanges.js'), import('./resultFile.js')]);
    const file = this.file(id);
    // A failed write leaves the kept file as it was: written aside, renamed only when whole.
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    try {
      await writeResultFile(tmp, result, exchangeCollector(result));
      await fs.promises.rename(tmp, file);
    } catch (e) {
      await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    }
  }

  /** The result, or undefined when it is not kept (never saved, evicted, unreadable). */
  async load(id: string): Promise<ResultSet | undefined> {
    if (!this.dir || !isResultId(id)) return undefined;
    await this.writing.get(id);
    try {
      const { readResultFile } = await import('./resultFile.js');
      const { value: parsed, streamed, badConversionRow, inThread } = await readResultFile(this.file(id), this.readerThread);
      if (this.readerThread && !inThread) this.log(`Results: read kept result ${id} on the extension host's own thread (the reader thread did not start)`);
      if (!isResultSet(parsed)) return undefined;
      // A file of an older version has no exchanges; a damaged list is dropped rather than trusted.
      if (parsed.exchanges !== undefined && !isExchangeList(parsed.exchanges)) delete parsed.exchanges;
      // Rows read a line at a time were checked as they were parsed (a pass over them all here would
      // hold the host); a file of the one-line form was parsed whole and is checked whole.
      if (parsed.conversions !== undefined && (badConversionRow || !isResultConversions(parsed.conversions, !streamed))) delete parsed.conversions;
      return parsed;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`Results: could not read kept result ${id}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  delete(id: string): Promise<void> {
    if (!this.dir || !isResultId(id)) return Promise.resolve();
    const previous = this.writing.get(id) ?? Promise.resolve();
    const next = previous
      .then(() => fs.promises.rm(this.file(id), { force: true }))
      .catch(() => undefined)
      .finally(() => {
        if (this.writing.get(id) === next) this.writing.delete(id);
      });
    this.writing.set(id, next);
    return next;
  }

  /** The ids of the results kept now (for a view that marks which have rows to reopen). */
  async list(): Promise<string[]> {
    if (!this.dir) return [];
    const names = await fs.promises.readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith(SUFFIX)).map((n) => n.slice(0, -SUFFIX.length)).filter(isResultId);
  }

  /** Drops the oldest files beyond the count and byte budget; `keep` (just written) always stays. */
  private async prune(keep: string): Promise<void> {
    if (!this.dir) return;
    const names = (await fs.promises.readdir(this.dir)).filter((n) => n.endsWith(SUFFIX));
    const files = await Promise.all(
      names.map(async (name) => {
        const st = await fs.promises.stat(path.join(this.dir!, name)).catch(() => undefined);
        return { name, size: st?.size ?? 0, mtime: st?.mtimeMs ?? 0 };
      }),
    );
    files.sort((a, b) => (a.name === keep + SUFFIX ? -1 : b.name === keep + SUFFIX ? 1 : b.mtime - a.mtime));
    let count = 0;
    let bytes = 0;
    for (const f of files) {
      count++;
      bytes += f.size;
      if (f.name !== keep + SUFFIX && (count > this.limits.maxFiles || bytes > this.limits.maxBytes)) {
        await fs.promises.rm(path.join(this.dir, f.name), { force: true }).catch(() => undefined);
        this.log(`Results: dropped the kept rows of ${f.name} (over the storage budget).`);
      }
    }
  }
}

function isExchangeList(v: unknown): v is ApiExchange[] {
  return (
    Array.isArray(v) &&
    v.every((x) => typeof x === 'object' && x !== null && typeof (x as ApiExchange).method === 'string' && typeof (x as ApiExchange).path === 'string' && ((x as ApiExchange).response === undefined || typeof (x as ApiExchange).response === 'string'))
  );
}

function isResultConversions(v: unknown, checkRows: boolean): v is ResultConversions {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Partial<ResultConversions>;
  return (
    typeof c.from === 'string' &&
    typeof c.to === 'string' &&
    Array.isArray(c.rows) &&
    (!checkRows || c.rows.every((r) => typeof r === 'object' && r !== null && typeof r.transaction_id === 'string' && typeof r.conversion_id === 'string')) &&
    (c.exchanges === undefined || isExchangeList(c.exchanges))
  );
}

function isResultSet(v: unknown): v is ResultSet {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<ResultSet>;
  return typeof r.title === 'string' && typeof r.request === 'object' && r.request !== null && Array.isArray(r.rows);
}
