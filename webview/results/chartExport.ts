import type { BarFigures, Breakdown } from '../../src/core/summary/aggregate';
import { safeColor, type ChartColors } from '../../src/core/summary/chartSvg';
import type { Stack } from '../../src/core/summary/stack';

// "Save chart as PNG": the histogram is uPlot's own canvas laid on the theme's background with a title;
// the breakdown (plain DOM on screen) is drawn again on a canvas here. Labels go through fillText, which
// draws glyphs and never parses anything. The PNG travels to the host as base64; the host writes the
// bytes where the user chose and never looks inside.

/** The theme's colours now, by VS Code's CSS variables (checked as colours before they reach a file). */
export function themeColors(stack: Stack = 'errors'): ChartColors {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => safeColor(style.getPropertyValue(name), fallback);
  return {
    background: v('--vscode-editor-background', 'white'),
    foreground: v('--vscode-foreground', 'black'),
    grid: v('--vscode-editorWidget-border', 'gray'),
    // As the chart on screen draws them (timeChart.ts).
    lower: stack === 'converted' ? v('--vscode-charts-green', 'seagreen') : v('--vscode-charts-blue', 'steelblue'),
    upper: stack === 'uniques' ? v('--vscode-charts-yellow', 'goldenrod') : stack === 'converted' ? v('--vscode-charts-blue', 'steelblue') : v('--vscode-charts-red', 'firebrick'),
  };
}

const FONT = '12px sans-serif';

/** The PNG bytes of `canvas`, base64 (without the data: prefix). */
function base64Png(canvas: HTMLCanvasElement): string {
  return canvas.toDataURL('image/png').slice('data:image/png;base64,'.length);
}

function sheet(width: number, height: number, title: string, colors: ChartColors): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = colors.background;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = colors.foreground;
  ctx.font = `bold ${FONT}`;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, 8, 14, width - 16);
  return { canvas, ctx };
}

/** The histogram as drawn on screen (uPlot's canvas, axes included) under a title. */
export function histogramPng(plotCanvas: HTMLCanvasElement, title: string, colors: ChartColors): string {
  const { canvas, ctx } = sheet(plotCanvas.width, plotCanvas.height + 28, title, colors);
  ctx.drawImage(plotCanvas, 0, 28);
  return base64Png(canvas);
}

/** The breakdown's bars: label (cut short), bar, count · share · second measure. */
export function breakdownPng(b: Breakdown, title: string, colors: ChartColors, second: (f: BarFigures) => string): string {
  const rows: { label: string; f: BarFigures; other: boolean }[] = b.items.map((i) => ({ label: i.label, f: i, other: false }));
  if (b.other) rows.push({ label: `${b.other.label} (${b.other.values.toLocaleString('en-US')} values)`, f: b.other, other: true });
  const ratio = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  const [width, rowH, top] = [800, 22, 28];
  const height = top + rows.length * rowH + 24;
  const { canvas, ctx } = sheet(Math.round(width * ratio), Math.round(height * ratio), '', colors);
  ctx.scale(ratio, ratio);
  ctx.fillStyle = colors.foreground;
  ctx.font = `bold ${FONT}`;
  ctx.fillText(title, 8, 14, width - 16);
  ctx.font = FONT;
  const [labelW, textW] = [260, 200];
  const barW = width - labelW - textW - 24;
  const max = Math.max(1, ...rows.map((r) => r.f.count));
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const label = r.label.length > 40 ? `${r.label.slice(0, 39)}…` : r.label;
    ctx.fillStyle = colors.foreground;
    ctx.fillText(label, 8, y + rowH / 2, labelW - 16);
    ctx.fillStyle = r.other ? colors.grid : colors.lower;
    ctx.fillRect(labelW, y + 4, Math.max(0.5, (r.f.count / max) * barW), rowH - 8);
    ctx.fillStyle = colors.foreground;
    ctx.fillText(`${r.f.count.toLocaleString('en-US')} · ${(r.f.share * 100).toFixed(1)}% · ${second(r.f)}`, labelW + barW + 8, y + rowH / 2, textW);
  });
  ctx.fillText(`${b.distinct.toLocaleString('en-US')} distinct values of ${b.title}`, 8, height - 12, width - 16);
  return base64Png(canvas);
}
