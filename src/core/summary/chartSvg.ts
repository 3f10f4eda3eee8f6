import type { BarFigures, Breakdown, Histogram } from './aggregate';
import { stackParts, type Stack } from './stack';

// "Save chart as SVG": the summary's two charts as standalone SVG text, for a ticket or a chat message.
// Built as text, not from the page's DOM, so the file holds only what is written here. Labels are
// attacker-controlled (sub ids, referers, coupons): every text and attribute value is escaped (`&<>"'`),
// and characters XML 1.0 forbids (most control characters, lone surrogates) become U+FFFD, so a hostile
// value can neither add markup nor make the file ill-formed. Colours come from the theme and are checked
// against a plain colour grammar as well.

export interface ChartColors {
  background: string;
  foreground: string;
  grid: string;
  /** The lower part of a stacked bar (valid, unique or converted), and the breakdown's bars. */
  lower: string;
  /** The upper part (with error, duplicate or not converted). */
  upper: string;
}

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `s` as XML text or attribute value: escaped, with characters XML cannot hold replaced. */
export function xmlText(s: string): string {
  return s.replace(NOT_XML, '\ufffd').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A theme colour as given when it reads like a CSS colour (#hex, rgb(a)/hsl(a)(…), a name), else `fallback`. */
export function safeColor(c: string | undefined, fallback = 'gray'): string {
  const t = (c ?? '').trim();
  return /^(#[0-9a-f]{3,8}|(rgb|rgba|hsl|hsla)\([0-9.,%\s/-]+\)|[a-z]{3,20})$/i.test(t) ? t : fallback;
}

const int = (n: number) => n.toLocaleString('en-US');
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const num = (n: number) => (Math.round(n * 100) / 100).toString();
const LABEL_CHARS = 40;
const cut = (s: string) => (s.length > LABEL_CHARS ? `${s.slice(0, LABEL_CHARS - 1)}…` : s);
const FONT = 'font-family="sans-serif" font-size="11"';

function open(width: number, height: number, title: string, colors: ChartColors): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `<title>${xmlText(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="${xmlText(safeColor(colors.background, 'white'))}"/>`,
    `<text x="8" y="16" ${FONT} font-weight="bold" fill="${xmlText(safeColor(colors.foreground, 'black'))}">${xmlText(title)}</text>`,
  ];
}

export interface HistogramSvgOptions {
  title: string;
  colors: ChartColors;
  /** Stack unique vs duplicate instead of valid vs with error. */
  uniques?: boolean;
  /** How the bars are split; wins over `uniques`. */
  stack?: Stack;
  width?: number;
  height?: number;
}

/** Clicks over time: one stacked bar per bucket at its place in time (empty buckets leave a gap). */
export function histogramSvg(h: Histogram, o: HistogramSvgOptions): string {
  const width = o.width ?? 800;
  const height = o.height ?? 260;
  const fg = xmlText(safeColor(o.colors.foreground, 'black'));
  const grid = xmlText(safeColor(o.colors.grid, 'gray'));
  const lowerFill = xmlText(safeColor(o.colors.lower, 'steelblue'));
  const upperFill = xmlText(safeColor(o.colors.upper, 'firebrick'));
  const [left, top, right, bottom] = [56, 28, 12, 40];
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const { buckets, start, end } = h.layout;
  const max = Math.max(1, ...Array.from(h.clicks));
  const x = (t: number) => left + ((t - start) / Math.max(1, end - start)) * plotW;
  const y = (n: number) => top + plotH - (n / max) * plotH;
  const parts = stackParts(h, o.stack ?? (o.uniques ? 'uniques' : 'errors'));
  const { lowerName, upperName } = parts;
  const out = open(width, height, o.title, o.colors);
  // Axes: three y ticks (0, half, max) and the first, middle and last bucket starts on the x axis.
  for (const v of [0, Math.round(max / 2), max]) {
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${num(y(v))}" y2="${num(y(v))}" stroke="${grid}" stroke-width="1"/>`);
    out.push(`<text x="${left - 4}" y="${num(y(v) + 4)}" ${FONT} text-anchor="end" fill="${fg}">${xmlText(int(v))}</text>`);
  }
  const ticks = buckets.length ? [...new Set([0, Math.floor((buckets.length - 1) / 2), buckets.length - 1])] : [];
  for (const i of ticks) {
    const anchor = i === 0 ? 'start' : i === buckets.length - 1 ? 'end' : 'middle';
    const at = i === buckets.length - 1 ? x(buckets[i].end) : x(buckets[i].start);
    out.push(`<text x="${num(at)}" y="${top + plotH + 16}" ${FONT} text-anchor="${anchor}" fill="${fg}">${xmlText(buckets[i].label)}</text>`);
  }
  out.push(`<text x="${left}" y="${height - 6}" ${FONT} fill="${fg}">${xmlText(`${lowerName} / ${upperName} clicks per bucket (${h.layout.zone})`)}</text>`);
  out.push('<g>');
  buckets.forEach((b, i) => {
    const c = h.clicks[i];
    if (c === 0) return;
    const lower = parts.lower(i);
    const bx = x(b.start);
    const bw = Math.max(0.5, (x(b.end) - bx) * 0.9);
    const tip = xmlText(`${b.label}: ${int(c)} clicks, ${int(lower)} ${lowerName.toLowerCase()}, ${int(c - lower)} ${upperName.toLowerCase()}`);
    out.push(`<g><title>${tip}</title>`);
    if (c - lower > 0) out.push(`<rect x="${num(bx)}" y="${num(y(c))}" width="${num(bw)}" height="${num(y(lower) - y(c))}" fill="${upperFill}"/>`);
    if (lower > 0) out.push(`<rect x="${num(bx)}" y="${num(y(lower))}" width="${num(bw)}" height="${num(top + plotH - y(lower))}" fill="${lowerFill}"/>`);
    out.push('</g>');
  });
  out.push('</g>', `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="${fg}" stroke-width="1"/>`, '</svg>');
  return `${out.join('\n')}\n`;
}

export interface BreakdownSvgOptions {
  title: string;
  colors: ChartColors;
  /** The second measure's text for a bar (already formatted), shown after count and share. */
  second?: (f: BarFigures) => string;
  width?: number;
}

/** The top-N bars (then Other): the label (cut short, whole in the bar's <title>), a bar, count and share. */
export function breakdownSvg(b: Breakdown, o: BreakdownSvgOptions): string {
  const width = o.width ?? 800;
  const rowH = 22;
  const top = 28;
  const rows: { label: string; f: BarFigures; other: boolean }[] = [...b.items.map((i) => ({ label: i.label, f: i as BarFigures, other: false }))];
  if (b.other) rows.push({ label: `${b.other.label} (${int(b.other.values)} values)`, f: b.other, other: true });
  const height = top + rows.length * rowH + 28;
  const fg = xmlText(safeColor(o.colors.foreground, 'black'));
  const barFill = xmlText(safeColor(o.colors.lower, 'steelblue'));
  const otherFill = xmlText(safeColor(o.colors.grid, 'gray'));
  const labelW = 260;
  const textW = 200;
  const barW = Math.max(40, width - labelW - textW - 24);
  const max = Math.max(1, ...rows.map((r) => r.f.count));
  const out = open(width, height, o.title, o.colors);
  rows.forEach((r, i) => {
    const ry = top + i * rowH;
    const figures = `${int(r.f.count)} · ${pct(r.f.share)}${o.second ? ` · ${o.second(r.f)}` : ''}`;
    out.push(`<g><title>${xmlText(`${r.label}: ${figures}`)}</title>`);
    out.push(`<text x="8" y="${ry + 15}" ${FONT} fill="${fg}">${xmlText(cut(r.label))}</text>`);
    out.push(`<rect x="${labelW}" y="${ry + 4}" width="${num(Math.max(0.5, (r.f.count / max) * barW))}" height="${rowH - 8}" fill="${r.other ? otherFill : barFill}"/>`);
    out.push(`<text x="${labelW + barW + 8}" y="${ry + 15}" ${FONT} fill="${fg}">${xmlText(figures)}</text>`);
    out.push('</g>');
  });
  out.push(`<text x="8" y="${height - 8}" ${FONT} fill="${fg}">${xmlText(`${int(b.distinct)} distinct values of ${b.title}`)}</text>`, '</svg>');
  return `${out.join('\n')}\n`;
}
