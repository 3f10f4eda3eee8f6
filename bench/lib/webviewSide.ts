import { getHeapStatistics, serialize } from 'node:v8';
import { parentPort, Worker } from 'node:worker_threads';
import { rendererParse, webviewClone } from './webviewWire';

// The webview's side of the host → webview benchmarks, in a worker thread: its own V8 isolate and
// heap, as the webview has in its renderer process. Decoding in the extension host's heap, which
// holds a million click objects, let that heap's garbage collections land in the webview's phases.
//
// The extension host posts the byte array it would put on VS Code's IPC channel; it arrives here
// copied (not transferred), as it arrives in the renderer copied. This side times what the
// workbench and the webview do with it (parse, clone, the grid's decode) and answers with the times.

/** What the page does with the message once it has it (awaited when it answers a promise). */
export type Decoders = Partial<Record<string, (message: unknown) => unknown>>;

interface Request {
  frame: Uint8Array;
  /** When the host posted it (ms since the epoch, sub-millisecond). */
  sentAt: number;
  decode: string;
  /** Also report the heap the decoded table holds and the structured clone's size (untimed). */
  measure: boolean;
}

export interface WebviewTimes {
  /** From the host's post until this thread had the bytes: the IPC hop, as a copy between threads. */
  ipc: number;
  parse: number;
  clone: number;
  decode?: number;
  /** When the grid's table was built (ms since the epoch). */
  endAt: number;
  /** Heap and array-buffer bytes held here once the table is built (measured runs only). */
  heapBytes?: number;
  structuredCloneBytes?: number;
  /** What the thread held when the message came, and once the table was built (after a GC; measured runs only). */
  heldBefore?: number;
  heldAfter?: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
/** A clock both threads share: each thread's performance.now() counts from its own origin. */
const clock = (): number => performance.timeOrigin + performance.now();
const held = (): number => {
  const h = getHeapStatistics() as ReturnType<typeof getHeapStatistics> & { external_memory?: number };
  return h.used_heap_size + (h.external_memory ?? 0);
};

/** Runs in the worker: answers each request with its times. */
export function serveWebviewSide(decoders: Decoders): void {
  const port = parentPort;
  if (!port) throw new Error('serveWebviewSide runs in a worker thread');
  port.on('message', async (req: Request) => {
    const receivedAt = clock();
    const before = req.measure ? held() : 0;
    const t0 = performance.now();
    const parsed = rendererParse(req.frame);
    const t1 = performance.now();
    const message = webviewClone(parsed);
    const t2 = performance.now();
    const decoder = decoders[req.decode];
    const table = await decoder?.(message);
    const t3 = performance.now();
    const endAt = clock();
    const out: WebviewTimes = { ipc: receivedAt - req.sentAt, parse: t1 - t0, clone: t2 - t1, ...(decoder ? { decode: t3 - t2 } : {}), endAt };
    if (req.measure) {
      gc?.();
      out.heldBefore = before;
      out.heldAfter = held();
      out.heapBytes = out.heldAfter - before;
      out.structuredCloneBytes = serialize(parsed.message).length;
    }
    port.postMessage(out);
    // Kept alive until here, so the heap figure counts it; then let go of before the next run.
    void table;
    gc?.();
  });
}

/** The host's handle on the webview thread. */
export class WebviewSide {
  private readonly worker: Worker;
  /** Requests go one at a time (each waits for the answer to the one before). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    // 8 GiB as the host has: the packed-JSON baseline parses hundreds of megabytes of JSON here.
    this.worker = new Worker(file, { resourceLimits: { maxOldGenerationSizeMb: 8192 } });
  }

  /** Posts the IPC bytes (copied, as IPC copies them) and waits until the grid's table is built. */
  run(frame: Uint8Array, decode: string, measure: boolean): Promise<WebviewTimes> {
    const next = this.queue.then(() => this.send(frame, decode, measure));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private send(frame: Uint8Array, decode: string, measure: boolean): Promise<WebviewTimes> {
    return new Promise((resolve, reject) => {
      const done = (t: WebviewTimes): void => {
        this.worker.off('error', reject);
        resolve(t);
      };
      this.worker.once('message', done);
      this.worker.once('error', reject);
      this.worker.postMessage({ frame, sentAt: clock(), decode, measure } satisfies Request);
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
