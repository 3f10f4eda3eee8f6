import * as fs from 'fs';
import { LineSplitter } from '../core/lineSplitter';

// Reads a file from disk as a stream and collects the distinct transaction ids in it, for "Look Up
// All" on logs VS Code will not open as a document (over 50 MB) or that are not open at all.
// Memory is bounded by the number of distinct ids (and the longest line), never by the file's
// size: chunks are split into lines, each line is scanned and dropped.

/** What a scanner reports for one line; the shape `createIdScanner` in core/idDetection returns. */
export interface ScannedToken {
  id: string;
  kind: 'click' | 'candidate';
}

/** A stateful scanner fed the lines of one file in order (it may keep a CSV header, a JSON name…). */
export interface LineScanner {
  line(text: string): readonly ScannedToken[];
}

export interface FileScanProgress {
  bytesRead: number;
  totalBytes: number;
  clicks: number;
  candidates: number;
}

export interface FileScanResult extends FileScanProgress {
  /** Every distinct id, clicks and candidates alike, in order of first appearance. */
  ids: string[];
  /** Ids with a click-id key somewhere in the file, in order of first appearance. */
  clickIds: string[];
  /** Ids never seen with a click-id key (no key evidence at all), in order of first appearance. */
  candidateIds: string[];
  lines: number;
  cancelled: boolean;
}

export interface FileScanOptions {
  signal?: AbortSignal;
  /** Called at most every `progressEveryMs` (default 200) and once at the end. */
  onProgress?: (p: FileScanProgress) => void;
  progressEveryMs?: number;
  /** Read size; 1 MiB by default. */
  chunkBytes?: number;
}

function ownCopy(id: string): string {
  return Buffer.from(id, 'utf8').toString('utf8');
}

export async function scanFileForIds(filePath: string, scanner: LineScanner, options: FileScanOptions = {}): Promise<FileScanResult> {
  const { signal, onProgress } = options;
  const every = options.progressEveryMs ?? 200;
  const totalBytes = (await fs.promises.stat(filePath)).size;
  // A Map keeps first-appearance order; the value says whether any sighting had a click-id key.
  const seen = new Map<string, boolean>();
  let clicks = 0;
  let lines = 0;
  const splitter = new LineSplitter((text) => {
    lines++;
    for (const token of scanner.line(text)) {
      const before = seen.get(token.id);
      if (before === undefined) {
        // A copy, not the token: a string sliced from the line would keep the whole chunk alive.
        seen.set(ownCopy(token.id), token.kind === 'click');
        if (token.kind === 'click') clicks++;
      } else if (!before && token.kind === 'click') {
        seen.set(token.id, true);
        clicks++;
      }
    }
  });
  const stream = fs.createReadStream(filePath, { encoding: 'utf8', highWaterMark: options.chunkBytes ?? 1024 * 1024 });
  let bytesRead = 0;
  let lastReport = 0;
  const report = (): void => onProgress?.({ bytesRead, totalBytes, clicks, candidates: seen.size - clicks });
  let cancelled = false;
  const onAbort = (): void => {
    cancelled = true;
    stream.destroy();
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      splitter.push(chunk);
      // `bytesRead` counts what the stream has read from disk, which is what the progress means.
      bytesRead = stream.bytesRead;
      const now = Date.now();
      if (now - lastReport >= every) {
        lastReport = now;
        report();
      }
      if (cancelled) break;
    }
    if (!cancelled) splitter.end();
  } catch (err) {
    if (!cancelled) throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stream.destroy();
  }
  bytesRead = stream.bytesRead;
  report();
  const clickIds: string[] = [];
  const candidateIds: string[] = [];
  for (const [id, isClick] of seen) (isClick ? clickIds : candidateIds).push(id);
  return { ids: [...seen.keys()], clickIds, candidateIds, bytesRead, totalBytes, clicks: clickIds.length, candidates: candidateIds.length, lines, cancelled };
}
