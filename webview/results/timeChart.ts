import uPlot from 'uplot';
import type { Histogram } from '../../src/core/summary/aggregate';
import { formatTimestamp } from '../../src/core/format';
import { stackOf, stackParts, type Stack } from '../../src/core/summary/stack';

// The summary's "Clicks over time": uPlot bars, one per bucket of the grid's zone (empty buckets drawn
// empty), stacked valid vs with error, unique vs duplicate, or converted vs not (conversions joined). uPlot draws on a canvas and sets element
// styles through the CSSOM only, so it runs under the webview's CSP (no eval, no <style> injected).
// Hovering shows the bucket's range and counts in uPlot's legend; dragging across selects a time range,
// handed to `brush` snapped to bucket boundaries.
//
// Without a mouse: the chart itself takes focus. Left/Right move a bucket cursor (Home/End, PageUp/PageDown
// by ten), Shift with them extends a range from where it started, Enter filters the grid to the range (or
// the one bucket), Escape drops the range. The range shows as uPlot's selection box, the bucket under the
// cursor in the legend, and a live region reads the bucket or range and its clicks to screen readers.

export interface TimeChartEvents {
  brush(start: number, end: number): void;
}

/** A theme colour by its CSS variable, read now (the theme may change under the page). */
function themeColor(name: string, fallbackVar = '--vscode-foreground'): string {
  const style = getComputedStyle(document.body);
  return style.getPropertyValue(name).trim() || style.getPropertyValue(fallbackVar).trim() || 'gray';
}

export class TimeChart {
  readonly root: HTMLElement;
  private plot: uPlot | undefined;
  private hist: Histogram | undefined;
  private stack: Stack = 'errors';
  private zone = 'UTC';
  private readonly resize: ResizeObserver;
  private readonly theme: MutationObserver;
  private readonly live: HTMLElement;
  /** The keyboard's bucket cursor and the other end of its range (bucket indices), while it has one. */
  private cursor: number | undefined;
  private anchor: number | undefined;

  constructor(private readonly events: TimeChartEvents) {
    this.root = document.createElement('div');
    this.root.className = 'time-chart';
    this.root.tabIndex = 0;
    this.root.setAttribute('role', 'group');
    this.root.setAttribute('aria-roledescription', 'time range picker');
    this.root.setAttribute('aria-label', 'Clicks over time. Left and Right arrows move between buckets, Shift with them selects a range, Enter filters the grid to it, Escape clears it');
    this.live = document.createElement('div');
    this.live.className = 'sr-only time-cursor';
    this.live.setAttribute('aria-live', 'polite');
    this.root.append(this.live);
    this.root.addEventListener('keydown', (e) => this.onKey(e));
    this.root.addEventListener('blur', () => this.drawRange());
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(this.root);
    // VS Code changes the body's class (vscode-dark, vscode-light, vscode-high-contrast…) on a theme change.
    this.theme = new MutationObserver(() => this.rebuild());
    this.theme.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  destroy(): void {
    this.resize.disconnect();
    this.theme.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  /** uPlot's canvas (bars and axes), for "Save chart as PNG"; none while there is nothing to draw. */
  canvas(): HTMLCanvasElement | undefined {
    return this.plot?.ctx.canvas;
  }

  /** Shows `hist`; the bars keep their place when only the counts changed (no flicker). */
  show(hist: Histogram, zone: string, stack: Stack): void {
    stack = stackOf(hist, stack);
    const sameShape = this.plot && this.hist && this.stack === stack && this.zone === zone && this.hist.layout === hist.layout;
    if (this.hist?.layout !== hist.layout) this.cursor = this.anchor = undefined;
    this.hist = hist;
    this.stack = stack;
    this.zone = zone;
    if (sameShape) this.plot!.setData(this.data(), true);
    else this.rebuild();
  }

  private data(): uPlot.AlignedData {
    const h = this.hist!;
    const n = h.layout.buckets.length;
    const x = new Float64Array(n);
    const lower = new Float64Array(n);
    const parts = stackParts(h, this.stack);
    for (let i = 0; i < n; i++) {
      x[i] = h.layout.buckets[i].start;
      // The lower part of the stack (valid, unique or converted clicks); the whole bar is every click.
      lower[i] = parts.lower(i);
    }
    return [x, Float64Array.from(h.clicks), lower] as unknown as uPlot.AlignedData;
  }

  private rebuild(): void {
    this.plot?.destroy();
    this.plot = undefined;
    const h = this.hist;
    // A table without usable times has no buckets: nothing to draw (the note under the chart says so).
    if (!h || h.layout.buckets.length === 0) return;
    const fg = themeColor('--vscode-foreground');
    const grid = themeColor('--vscode-editorWidget-border', '--vscode-panel-border');
    const parts = stackParts(h, this.stack);
    const lowerColor = this.stack === 'converted' ? themeColor('--vscode-charts-green') : themeColor('--vscode-charts-blue');
    const upperColor = this.stack === 'uniques' ? themeColor('--vscode-charts-yellow') : this.stack === 'converted' ? themeColor('--vscode-charts-blue') : themeColor('--vscode-charts-red');
    const zone = this.zone;
    const buckets = h.layout.buckets;
    const bars = uPlot.paths.bars!({ size: [0.9, 40], align: 1 });
    const count = (i: number | null | undefined, pick: (i: number) => number) => (i === null || i === undefined || i < 0 || i >= buckets.length ? '–' : pick(i).toLocaleString('en-US'));
    const { upperName, lowerName } = parts;
    const opts: uPlot.Options = {
      width: Math.max(200, this.root.clientWidth || 400),
      height: 150,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), zone),
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      legend: { show: true, live: true },
      scales: { x: { time: true, range: () => [h.layout.start, h.layout.end] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, size: 44 },
      ],
      series: [
        {
          label: 'Bucket',
          value: (_u, _v, _s, i) => {
            if (i === null || i === undefined || !buckets[i]) return '–';
            return `${formatTimestamp(buckets[i].start, zone)} – ${formatTimestamp(buckets[i].end, zone)}`;
          },
        },
        // Drawn first and whole: its visible top is the upper part of the stack.
        { label: upperName, stroke: upperColor, fill: upperColor, width: 0, paths: bars, points: { show: false }, value: (_u, _v, _s, i) => count(i, (k) => h.clicks[k] - parts.lower(k)) },
        { label: lowerName, stroke: lowerColor, fill: lowerColor, width: 0, paths: bars, points: { show: false }, value: (_u, _v, _s, i) => count(i, (k) => parts.lower(k)) },
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 2) return;
            const a = u.posToVal(u.select.left, 'x');
            const b = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            const range = snap(buckets, a, b);
            if (range) this.events.brush(range[0], range[1]);
          },
        ],
      },
    };
    this.plot = new uPlot(opts, this.data(), this.root);
    this.plot.root.setAttribute('aria-hidden', 'true');
    this.drawRange();
  }

  /** The keyboard's range [first, last] bucket indices, while the cursor is set. */
  private range(): [number, number] | undefined {
    if (this.cursor === undefined) return undefined;
    const a = this.anchor ?? this.cursor;
    return [Math.min(a, this.cursor), Math.max(a, this.cursor)];
  }

  private onKey(e: KeyboardEvent): void {
    const h = this.hist;
    const n = h?.layout.buckets.length ?? 0;
    if (!h || n === 0 || e.target !== this.root) return;
    const at = this.cursor ?? Math.max(0, h.clicks.findIndex((c) => c > 0));
    const moves: Record<string, number> = { ArrowLeft: at - 1, ArrowRight: at + 1, PageUp: at - 10, PageDown: at + 10, Home: 0, End: n - 1 };
    if (e.key in moves) {
      const next = this.cursor === undefined && (e.key === 'ArrowLeft' || e.key === 'ArrowRight') ? at : Math.max(0, Math.min(n - 1, moves[e.key]));
      if (!e.shiftKey) this.anchor = undefined;
      else if (this.anchor === undefined) this.anchor = this.cursor ?? next;
      this.cursor = next;
    } else if (e.key === 'Enter' && this.cursor !== undefined) {
      const [i, j] = this.range()!;
      this.anchor = undefined;
      this.events.brush(h.layout.buckets[i].start, h.layout.buckets[j].end);
    } else if (e.key === 'Escape' && this.cursor !== undefined) {
      this.cursor = this.anchor = undefined;
    } else return;
    e.preventDefault();
    e.stopPropagation();
    this.drawRange(true);
  }

  /** Shows the keyboard's range as the selection box and the cursor's bucket in the legend; says it aloud. */
  private drawRange(announce = false): void {
    const u = this.plot;
    const h = this.hist;
    const r = this.range();
    if (!u || !h) return;
    if (!r || document.activeElement !== this.root) {
      if (!r) delete this.root.dataset.range;
      if (u.select.width > 0) u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
      return;
    }
    const { buckets } = h.layout;
    const [i, j] = r;
    const left = u.valToPos(buckets[i].start, 'x');
    const right = u.valToPos(buckets[j].end, 'x');
    u.setSelect({ left, top: 0, width: Math.max(2, right - left), height: u.over.clientHeight }, false);
    const c = this.cursor!;
    u.setCursor({ left: (u.valToPos(buckets[c].start, 'x') + u.valToPos(buckets[c].end, 'x')) / 2, top: u.over.clientHeight / 2 });
    this.root.dataset.range = `${i}-${j}`;
    if (!announce) return;
    let clicks = 0;
    for (let k = i; k <= j; k++) clicks += h.clicks[k];
    const span = `${formatTimestamp(buckets[i].start, this.zone)} – ${formatTimestamp(buckets[j].end, this.zone)}`;
    const count = `${clicks.toLocaleString('en-US')} clicks`;
    this.live.textContent = i === j ? `${span}: ${count}` : `${j - i + 1} buckets, ${span}: ${count}. Enter filters the grid to this range`;
  }

  private fit(): void {
    const w = this.root.clientWidth;
    if (this.plot && w > 0 && Math.abs(this.plot.width - w) > 2) this.plot.setSize({ width: Math.max(200, w), height: 150 });
  }
}

/** [start of the bucket holding `a`, end of the bucket holding `b`], or undefined outside the buckets. */
function snap(buckets: readonly { start: number; end: number }[], a: number, b: number): [number, number] | undefined {
  if (buckets.length === 0) return undefined;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  let i = buckets.findIndex((k) => k.end > lo);
  let j = buckets.length - 1;
  while (j > 0 && buckets[j].start > hi) j--;
  if (i < 0) i = buckets.length - 1;
  if (j < i) j = i;
  return [buckets[i].start, buckets[j].end];
}
