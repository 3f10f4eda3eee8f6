import { Worker } from 'node:worker_threads';

// Peak memory of one synchronous task. `process.resourceUsage().maxRSS` is the peak of the whole
// process, and loading a benchmark's input (155 MB of JSON, then parsing it for the tasks that need
// rows) peaks higher than some tasks do, so it would read 0 for them. A worker thread samples the
// process's RSS every millisecond instead, while the main thread is busy, and keeps the highest.

const SAMPLER = `
const { workerData } = require('node:worker_threads');
const cells = new Float64Array(workerData);
const flag = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  const rss = process.memoryUsage.rss();
  if (rss > cells[0]) cells[0] = rss;
  Atomics.wait(flag, 0, 0, 1);
}
`;

export class PeakRss {
  private readonly cells = new Float64Array(new SharedArrayBuffer(8));
  private readonly worker = new Worker(SAMPLER, { eval: true, workerData: this.cells.buffer });

  /** Starts a window: the peak so far is forgotten. */
  reset(): void {
    this.cells[0] = process.memoryUsage.rss();
  }

  /** Highest RSS seen since `reset()`, in bytes. */
  peak(): number {
    return Math.max(this.cells[0], process.memoryUsage.rss());
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
