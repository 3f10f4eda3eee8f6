import uPlot from 'uplot';
import type { Histogram } from '../../src/core/summary/aggregate';
import { formatTimestamp } from '../../src/core/format';

// The summary's "Clicks over time": uPlot bars, one per bucket of the grid's zone (empty buckets drawn
// empty), stacked valid vs with error, or unique vs duplicate. uPlot draws on a canvas and sets element
// styles through the CSSOM only, so it runs under the webview's CSP (no eval, no <style> injected).
// Hovering shows the bucket's range and counts in uPlot's legend; dragging across selects a time range,
// handed to `brush` snapped to bucket boundaries.

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
  private uniques = false;
  private zone = 'UTC';
  private readonly resize: ResizeObserver;
  private readonly theme: MutationObserver;

  constructor(private readonly events: TimeChartEvents) {
    this.root = document.createElement('div');
    this.root.className = 'time-chart';
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

  /** Shows `hist`; the bars keep their place when only the counts changed (no flicker). */
  show(hist: Histogram, zone: string, uniques: boolean): void {
    const sameShape = this.plot && this.hist && this.uniques === uniques && this.zone === zone && this.hist.layout === hist.layout;
    this.hist = hist;
    this.uniques = uniques;
    this.zone = zone;
    if (sameShape) this.plot!.setData(this.data(), true);
    else this.rebuild();
  }

  private data(): uPlot.AlignedData {
    const h = this.hist!;
    const n = h.layout.buckets.length;
    const x = new Float64Array(n);
    const lower = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = h.layout.buckets[i].start;
      // The lower part of the stack: valid clicks, or unique ones; the whole bar is every click.
      lower[i] = this.uniques ? h.unique[i] : h.clicks[i] - h.withError[i];
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
    const lowerColor = themeColor('--vscode-charts-blue');
    const upperColor = this.uniques ? themeColor('--vscode-charts-yellow') : themeColor('--vscode-charts-red');
    const zone = this.zone;
    const buckets = h.layout.buckets;
    const bars = uPlot.paths.bars!({ size: [0.9, 40], align: 1 });
    const count = (i: number | null | undefined, pick: (i: number) => number) => (i === null || i === undefined || i < 0 || i >= buckets.length ? '–' : pick(i).toLocaleString('en-US'));
    const upperName = this.uniques ? 'Duplicate' : 'With error';
    const lowerName = this.uniques ? 'Unique' : 'Valid';
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
        { label: upperName, stroke: upperColor, fill: upperColor, width: 0, paths: bars, points: { show: false }, value: (_u, _v, _s, i) => count(i, (k) => h.clicks[k] - (this.uniques ? h.unique[k] : h.clicks[k] - h.withError[k])) },
        { label: lowerName, stroke: lowerColor, fill: lowerColor, width: 0, paths: bars, points: { show: false }, value: (_u, _v, _s, i) => count(i, (k) => (this.uniques ? h.unique[k] : h.clicks[k] - h.withError[k])) },
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
