import { formatMoney } from '../../src/core/format';
import { CONVERSION_MEASURES, type BarFigures, type MoneySum, type SecondMeasure } from '../../src/core/summary/aggregate';

// The breakdown's second measure: which are offered (the conversion ones only once conversions are
// joined) and how a bar shows it, on screen, in its screen-reader row, and in the saved PNG/SVG.

export interface MeasureChoice {
  id: SecondMeasure;
  name: string;
}

const MEASURES: readonly MeasureChoice[] = [
  { id: 'unique', name: 'Unique share' },
  { id: 'error', name: 'Error share' },
  { id: 'revenue', name: 'Revenue' },
  { id: 'cvr', name: 'CVR' },
  { id: 'conversionRevenue', name: 'Conversion revenue' },
];

export const int = (n: number): string => n.toLocaleString('en-US');
export const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
/** A conversion rate: two decimals under 10 %, as the status bar's CVR. */
export const cvrPct = (n: number): string => {
  const p = n * 100;
  return `${p.toFixed(p > 0 && p < 10 ? 2 : 1)}%`;
};
export const money = (list: MoneySum[] | undefined): string =>
  list && list.length ? list.map((m) => formatMoney(m.sum, m.currency) || `${m.sum} ${m.currency}`.trim()).join(' + ') : '—';

/** The measures a table offers. */
export function measuresFor(hasConversions: boolean): MeasureChoice[] {
  return MEASURES.filter((m) => hasConversions || !CONVERSION_MEASURES.includes(m.id));
}

/** The measure to show for a choice: the chosen one when offered, else unique share (the choice is kept). */
export function shownMeasure(choice: string | undefined, hasConversions: boolean): SecondMeasure {
  return measuresFor(hasConversions).find((m) => m.id === choice)?.id ?? 'unique';
}

export function measureName(id: SecondMeasure): string {
  return MEASURES.find((m) => m.id === id)!.name;
}

/** A bar's second measure as text. */
export function secondText(measure: SecondMeasure): (f: BarFigures) => string {
  switch (measure) {
    case 'revenue':
      return (f) => money(f.revenue);
    case 'conversionRevenue':
      return (f) => money(f.conversionRevenue);
    case 'error':
      return (f) => `${pct(f.errorShare)} err`;
    case 'cvr':
      return (f) => `CVR ${cvrPct(f.cvr ?? 0)} (${int(f.converted ?? 0)})`;
    default:
      return (f) => `${pct(f.uniqueShare)} uniq`;
  }
}
