import { neutraliseFormula } from '../spreadsheetText';
import { formatInstant } from '../wallClock';
import type { Breakdown, Histogram, MoneySum } from './aggregate';

// "Copy chart data": the numbers of a chart as tab-separated text with a header row, for a ticket, a
// chat message or a spreadsheet. Labels are attacker-controlled (sub ids, referers, coupons): tabs and
// line breaks would split cells and rows, and a spreadsheet would run a cell starting with `=`, so
// control characters become spaces and formulas are neutralised as the grid's own TSV does.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/g;

export function tsvText(s: string): string {
  return neutraliseFormula(s.replace(CONTROL, ' '));
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
// Conversion rates are often a few percent: two decimals, as the status bar shows them.
const rate = (x: number) => `${(x * 100).toFixed(2)}%`;
const money = (list: readonly MoneySum[] | undefined) => (list ?? []).map((m) => `${m.sum.toFixed(2)}${m.currency ? ` ${m.currency}` : ''}`).join('; ');

/**
 * One line per bucket: its range on the zone's clock, clicks, valid, with error, unique, duplicate, and
 * converted and not converted when the result has conversions joined.
 */
export function histogramTsv(h: Histogram): string {
  const zone = h.layout.zone;
  const day = h.layout.size === 'day';
  const end = (t: number) => (day ? formatInstant(t, zone).slice(0, 10) : formatInstant(t, zone).slice(0, 16));
  const conv = h.converted;
  const head = [`Start (${zone})`, `End (${zone})`, 'Clicks', 'Valid', 'With error', 'Unique', 'Duplicate', ...(conv ? ['Converted', 'Not converted'] : [])];
  const lines = [head.map(tsvText).join('\t')];
  h.layout.buckets.forEach((b, i) => {
    const c = h.clicks[i];
    const cells = [tsvText(b.label), tsvText(end(b.end)), c, c - h.withError[i], h.withError[i], h.unique[i], c - h.unique[i]];
    if (conv) cells.push(conv[i], c - conv[i]);
    lines.push(cells.join('\t'));
  });
  return `${lines.join('\n')}\n`;
}

/**
 * One line per bar (then Other): the value, clicks, share, unique and error shares, revenue when summed,
 * and with conversions joined the converted clicks and CVR (and conversion revenue when summed).
 */
export function breakdownTsv(b: Breakdown): string {
  const bars = [...b.items, ...(b.other ? [{ ...b.other, label: `${b.other.label} (${b.other.values} values)` }] : [])];
  const withRevenue = bars.some((i) => i.revenue !== undefined);
  const withConverted = bars.some((i) => i.converted !== undefined);
  const withConvRevenue = bars.some((i) => i.conversionRevenue !== undefined);
  const head = [b.title, 'Clicks', 'Share', 'Unique share', 'Error share', ...(withRevenue ? ['Revenue'] : []), ...(withConverted ? ['Converted', 'CVR'] : []), ...(withConvRevenue ? ['Conversion revenue'] : [])];
  const lines = [head.map(tsvText).join('\t')];
  for (const i of bars) {
    const cells = [tsvText(i.label), String(i.count), percent(i.share), percent(i.uniqueShare), percent(i.errorShare)];
    if (withRevenue) cells.push(tsvText(money(i.revenue)));
    if (withConverted) cells.push(String(i.converted ?? 0), rate(i.cvr ?? 0));
    if (withConvRevenue) cells.push(tsvText(money(i.conversionRevenue)));
    lines.push(cells.join('\t'));
  }
  return `${lines.join('\n')}\n`;
}
