import { formatMoney } from '../format';
import type { Click } from '../types';
import { formatDelay } from './clickWindow';
import type { Conversion } from './types';

// A click's story in time order: the click, then each conversion and post-conversion event. Plain
// data and text; the trace document (src/conversions/traceDocument.ts) escapes and lays it out.

export interface TraceEntry {
  /** Epoch seconds, UTC; 0 when Everflow sent no time. */
  atS: number;
  kind: 'click' | 'conversion' | 'event';
  /** "+3 h" after the click; '' for the click itself or without times. */
  after: string;
  /** Our own words ("Conversion", "Event"); API text goes in `name`, `status` and `amount`. */
  title: string;
  /** The event's name (API text); '' otherwise. */
  name: string;
  status: string;
  /** Revenue with its currency, "" when none. */
  amount: string;
  /** The conversion itself, for the details the document lists. */
  conversion?: Conversion;
}

export function traceTimeline(click: Click | undefined, conversions: readonly Conversion[]): TraceEntry[] {
  const clickS = click?.unix_timestamp ?? 0;
  const entries: TraceEntry[] = [];
  if (click) entries.push({ atS: clickS, kind: 'click', after: '', title: 'Click', name: '', status: '', amount: click.revenue ? formatMoney(click.revenue, click.currency_id) : '' });
  for (const c of conversions) {
    const at = c.conversion_unix_timestamp;
    const from = clickS || c.click_unix_timestamp;
    entries.push({
      atS: at,
      kind: c.is_event ? 'event' : 'conversion',
      after: at > 0 && from > 0 ? `+${formatDelay(at - from)}` : '',
      title: c.is_event ? 'Event' : 'Conversion',
      name: c.is_event ? c.event : '',
      status: c.status,
      amount: formatMoney(c.revenue, c.currency_id),
      conversion: c,
    });
  }
  // Stable: the click stays first among equal times, and a conversion before its events.
  const rank = { click: 0, conversion: 1, event: 2 } as const;
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.atS || Infinity) - (b.e.atS || Infinity) || rank[a.e.kind] - rank[b.e.kind] || a.i - b.i)
    .map(({ e }) => e);
}
