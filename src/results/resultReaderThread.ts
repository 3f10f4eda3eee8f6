// The reader thread of a kept result (readResultFile in resultFile.ts, with `thread`): reads the file,
// gunzips it and cuts it into parts (resultFileParts.ts), and posts each part to the host's thread as a
// string, at most `window` ahead of the parts the host has taken (it answers each with "next"). The
// buffers of the file's bytes live and die in this thread's heap, not the host's.
import * as fs from 'fs';
import { pipeline } from 'stream';
import { parentPort, workerData } from 'worker_threads';
import * as zlib from 'zlib';
import type { ThreadMessage } from './resultFile';
import { PartSplitter } from './resultFileParts';

const { file, window } = workerData as { file: string; window: number };
const port = parentPort!;
let credit = window;
let wake: (() => void) | undefined;
port.on('message', (m: unknown) => {
  if (m !== 'next') return;
  credit++;
  wake?.();
});

async function post(m: ThreadMessage): Promise<void> {
  while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
  wake = undefined;
  credit--;
  port.postMessage(m);
}

async function main(): Promise<void> {
  const splitter = new PartSplitter();
  const input = pipeline(fs.createReadStream(file, { highWaterMark: 64 * 1024 }), zlib.createGunzip({ chunkSize: 64 * 1024 }), () => undefined);
  for await (const chunk of input as AsyncIterable<Buffer>) for (const part of splitter.push(chunk)) await post(part);
  for (const part of splitter.end()) await post(part);
  port.postMessage({ kind: 'done' } satisfies ThreadMessage);
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  port.postMessage({ kind: 'failed', message: err instanceof Error ? err.message : String(e), ...(typeof err?.code === 'string' ? { code: err.code } : {}) } satisfies ThreadMessage);
});
