// The stand-in for VS Code in the grid benchmark's page (section 2): `acquireVsCodeApi()` as the
// webview sees it, plus the measurements, which scripts/bench-grid.mjs calls through `__bench`.
// Loaded before the webview bundle, as VS Code's own preload is.
//
// Timing rule: an interval ends when its rows are on screen, and that is taken as the end of the
// first animation frame that has them: the frame's rAF callback sees them in the DOM, and a task
// posted from it at the scheduler's user-blocking priority runs right after that frame's style,
// layout and paint (afterThisFrame), ahead of any normal-priority task. It was a MessageChannel
// task: the page's own after-paint work (webview/results/afterPaint.ts posts from the same frame)
// was seen in a trace running before it, and counted in the figure.

interface Received {
  at: number;
  message: { type?: string };
}

const received: Received[] = [];
let state: unknown;
let markReady: () => void;
const ready = new Promise<void>((resolve) => (markReady = resolve));

/**
 * "At ready" pages (`?atReady=<payload>&cell=<selector>`, scripts/bench-grid.mjs): the host answers the
 * page's `ready` at once, as a host that already holds the rows would, so whatever the page does after
 * posting `ready` (its warm-up, the grid it starts while the rows are on their way) is inside the
 * interval: from `ready` to the first frame with rows. The payload is read before the bundle loads
 * (this script adds the bundle's script element when it has the payload).
 */
const params = new URLSearchParams(location.search);
let atReady: { message: unknown; cell: string; result?: Promise<Record<string, number>> } | undefined;

(window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
  postMessage(message: { type?: string }) {
    received.push({ at: performance.now(), message });
    if (message?.type === 'ready') markReady();
    if (message?.type === 'ready' && atReady && !atReady.result) {
      const t0 = performance.now();
      // The same marks as firstPaint's, for a trace of this interval.
      performance.mark('bench:post');
      window.postMessage(atReady.message, '*');
      atReady.result = paintedWhen(() => (document.querySelector(atReady!.cell)?.textContent ?? '') !== '', 60_000).then(({ domAt, paintAt }) => {
        performance.mark('bench:painted');
        return { toDomMs: domAt - t0, toPaintMs: paintAt - t0 };
      });
    }
  },
  getState: () => state,
  setState: (s: unknown) => (state = s),
});

const frame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));

interface TaskScheduler {
  postTask(run: () => void, options: { priority: 'user-blocking' | 'user-visible' | 'background' }): Promise<void>;
}
const taskScheduler = (globalThis as { scheduler?: TaskScheduler }).scheduler;

/**
 * Runs `run` after the rendering steps of the frame this is called in (from a rAF callback, or a
 * microtask of one): a user-blocking task goes ahead of the normal-priority tasks already queued
 * (messages, timers), so nothing of the page's runs between that frame's paint and `run`.
 */
function afterThisFrame(run: () => void): void {
  if (taskScheduler) {
    void taskScheduler.postTask(run, { priority: 'user-blocking' });
    return;
  }
  const ch = new MessageChannel();
  ch.port1.onmessage = run;
  ch.port2.postMessage(0);
}

/** Resolves after the frame in which `done()` first holds has been painted; the time it resolved. */
function paintedWhen(done: () => boolean, timeoutMs: number): Promise<{ domAt: number; paintAt: number }> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (done()) {
        const domAt = performance.now();
        afterThisFrame(() => resolve({ domAt, paintAt: performance.now() }));
      } else if (performance.now() > deadline) reject(new Error(`nothing painted within ${timeoutMs} ms`));
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}

const renderedAfter = (since: number): number | undefined => received.find((r) => r.at >= since && r.message?.type === 'rendered')?.at;

/** Time of the first user input of `kind` after `arm()`: its event timestamp, when the browser took it in. */
let inputAt: number | undefined;
for (const kind of ['click', 'input', 'keydown']) {
  window.addEventListener(kind, (e) => (inputAt ??= e.timeStamp), { capture: true });
}

// The summary above the grid marks each redraw of its charts with `data-clicks` (webview/results/
// summaryPanel.ts). The redraw runs in an animation frame; a task posted from the observer (a
// microtask of that frame) runs after the frame's paint (afterThisFrame): the charts are on screen then.
let chartsPaintedAt: number | undefined;
new MutationObserver(() => afterThisFrame(() => (chartsPaintedAt = performance.now()))).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-clicks'] });

/** A payload of bench/workers/gridData.ts: JSON, with its typed arrays in a .bin beside it. */
async function loadMessage(url: string): Promise<{ init?: Record<string, unknown> }> {
  const payload = JSON.parse(await (await fetch(url)).text());
  if (!payload?.$binary) return payload;
  const bin = await (await fetch(new URL(payload.$binary, new URL(url, location.href)))).arrayBuffer();
  const types: Record<string, { new (b: ArrayBuffer, o: number, n: number): unknown; BYTES_PER_ELEMENT: number }> = { Uint8Array, Uint16Array, Uint32Array, Float64Array };
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(revive);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (typeof o.$typed === 'string') {
      const T = types[o.$typed];
      return new T(bin.slice(o.offset as number, (o.offset as number) + (o.length as number)), 0, (o.length as number) / T.BYTES_PER_ELEMENT);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
  };
  return revive(payload.message) as { init?: Record<string, unknown> };
}

/** `init` is merged into the payload's init message (e.g. `{ summaryOpen: false }` for a collapsed summary). */
async function firstPaint(url: string, cellSelector: string, timeoutMs: number, init?: Record<string, unknown>): Promise<Record<string, number | undefined>> {
  const message = await loadMessage(url);
  if (init && message.init) Object.assign(message.init, init);
  await ready;
  await frame();
  const t0 = performance.now();
  // Posted to this window, so the webview gets it as VS Code delivers it: a structured clone in a
  // `message` event.
  performance.mark('bench:post');
  window.postMessage(message, '*');
  const { domAt, paintAt } = await paintedWhen(() => (document.querySelector(cellSelector)?.textContent ?? '') !== '', timeoutMs);
  // For a trace of this interval (bench --trace): where the time between the two marks went.
  performance.mark('bench:painted');
  const renderedAt = renderedAfter(t0);
  // The page's own start: from navigation to the bundle's `ready` (what loading and compiling it cost).
  const readyAt = received.find((r) => r.message?.type === 'ready')?.at;
  return { toRenderedMs: renderedAt === undefined ? undefined : renderedAt - t0, toDomMs: domAt - t0, toPaintMs: paintAt - t0, readyMs: readyAt };
}

/** The "at ready" page's interval (see `atReady`), once its rows are painted. */
async function firstPaintAtReady(timeoutMs: number): Promise<Record<string, number>> {
  const deadline = performance.now() + timeoutMs;
  while (!atReady?.result) {
    if (performance.now() > deadline) throw new Error('the page never posted ready');
    await frame();
  }
  return atReady.result;
}

const payloadUrl = params.get('atReady');
if (payloadUrl) {
  // The bundle this page would have loaded (its script element, see bench-grid.mjs pageHtml) waits for the payload.
  void loadMessage(payloadUrl).then((message) => {
    // Looked up now: this script runs before the parser reaches that element.
    const bundle = document.querySelector<HTMLScriptElement>('script[data-bundle]');
    atReady = { message, cell: params.get('cell') ?? '.slick-cell' };
    const script = document.createElement('script');
    script.nonce = bundle?.nonce ?? '';
    script.src = bundle?.dataset.bundle ?? '';
    document.body.append(script);
  });
}

function arm(): void {
  inputAt = undefined;
  chartsPaintedAt = undefined;
}

/**
 * After an input that the grid has already answered (afterInput): the time until the summary's charts
 * were redrawn and painted, from the input and from the grid's own paint (`gridPaintMs` after the input).
 */
async function afterCharts(gridPaintMs: number, timeoutMs: number): Promise<Record<string, number | undefined>> {
  const deadline = performance.now() + timeoutMs;
  while (inputAt === undefined || chartsPaintedAt === undefined || chartsPaintedAt < inputAt) {
    if (performance.now() > deadline) throw new Error(`the summary's charts were not redrawn within ${timeoutMs} ms of the input`);
    await frame();
  }
  return { toPaintMs: chartsPaintedAt - inputAt, afterGridMs: chartsPaintedAt - inputAt - gridPaintMs };
}

/** After an input (a click on a header, typing a search): the time until the grid re-rendered and painted. */
async function afterInput(timeoutMs: number): Promise<Record<string, number | undefined>> {
  const deadline = performance.now() + timeoutMs;
  while (inputAt === undefined || renderedAfter(inputAt) === undefined) {
    if (performance.now() > deadline) throw new Error(`no re-render within ${timeoutMs} ms of the input`);
    await frame();
  }
  const start = inputAt;
  const renderedAt = renderedAfter(start)!;
  const { paintAt } = await paintedWhen(() => true, timeoutMs);
  return { toRenderedMs: renderedAt - start, toPaintMs: paintAt - start };
}

/**
 * Scrolls the widest vertically scrollable element matching `selector` by `step` px a frame for
 * `frames` frames. Per frame: the interval between frames (what the eye sees; 16.7 ms when none is
 * dropped), and the main thread's work in it, from the scroll event (where a virtual grid renders
 * rows) to the end of paint.
 */
async function scroll(selector: string, frames: number, step: number): Promise<{ intervals: number[]; work: number[]; scrolledPx: number }> {
  const candidates = [...document.querySelectorAll<HTMLElement>(selector)].filter((e) => e.scrollHeight > e.clientHeight + 1);
  const target = candidates.sort((a, b) => b.clientWidth - a.clientWidth)[0];
  if (!target) throw new Error(`nothing scrollable matches ${selector}`);
  let scrollAt: number | undefined;
  const onScroll = (): void => void (scrollAt ??= performance.now());
  window.addEventListener('scroll', onScroll, { capture: true, passive: true });
  const intervals: number[] = [];
  const work: number[] = [];
  const top = target.scrollTop;
  let last = await frame();
  await new Promise<void>((resolve) => {
    let n = 0;
    const tick = (ts: number): void => {
      const start = scrollAt ?? performance.now();
      scrollAt = undefined;
      intervals.push(ts - last);
      last = ts;
      target.scrollTop += step;
      afterThisFrame(() => {
        work.push(performance.now() - start);
        if (++n >= frames) resolve();
      });
      if (n + 1 < frames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  window.removeEventListener('scroll', onScroll, { capture: true });
  // The first interval spans the set-up, not a scrolled frame.
  return { intervals: intervals.slice(1), work: work.slice(1), scrolledPx: target.scrollTop - top };
}

(window as unknown as { __bench: unknown }).__bench = { ready, firstPaint, firstPaintAtReady, arm, afterInput, afterCharts, scroll, received };
