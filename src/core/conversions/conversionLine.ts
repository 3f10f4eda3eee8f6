import { formatMoney } from '../format';
import { formatDelay, type ConversionWindow } from './clickWindow';
import type { Conversion } from './types';

// One line on what became of a click, in plain text (the hover card escapes it as a whole):
//   Converted: 2 (base $12.50, 3 h after the click; event 'purchase' 2 d after)
//   No conversion within 30 days of the click
// Event names and statuses are the API's text: they are cut short here and escaped by the caller.

/** Items named in the line; the rest are counted ("+3 more"), so a click with 500 events stays one line. */
const MAX_ITEMS = 3;
const MAX_NAME = 24;

export function conversionLine(conversions: readonly Conversion[], clickS: number, days: number, window?: ConversionWindow): string {
  if (conversions.length === 0) return noConversionText(clickS, days, window);
  const items = conversions.slice(0, MAX_ITEMS).map((c, i) => describeItem(c, clickS, i === 0));
  const more = conversions.length - MAX_ITEMS;
  if (more > 0) items.push(`+${more} more`);
  return `Converted: ${conversions.length} (${items.join('; ')})`;
}

/** "No conversion within 30 days of the click", or, while the window is still open, how far it got. */
export function noConversionText(clickS: number, days: number, window?: ConversionWindow): string {
  if (window?.open) return `No conversion yet: ${formatDelay(window.toS - clickS)} since the click, ${days}-day window still open`;
  return `No conversion within ${dayWord(days)} of the click`;
}

function describeItem(c: Conversion, clickS: number, first: boolean): string {
  const delay = c.conversion_unix_timestamp > 0 && clickS > 0 ? formatDelay(c.conversion_unix_timestamp - clickS) : '';
  const after = delay ? `${delay} after${first ? ' the click' : ''}` : '';
  const amount = c.revenue !== 0 || !c.is_event ? formatMoney(c.revenue, c.currency_id) : '';
  const status = c.status ? ` (${cut(c.status, 16)})` : '';
  if (c.is_event) {
    const name = c.event ? `'${cut(c.event, MAX_NAME)}'` : '(unnamed)';
    return [`event ${name}${amount ? ` ${amount}` : ''}${status}`, after].filter(Boolean).join(' ');
  }
  return [`base ${amount}${status}`, after].filter(Boolean).join(', ');
}

export function dayWord(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/** Cut by code points, so a surrogate pair is never split. */
export function cut(text: string, max: number): string {
  const chars = Array.from(text.trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('').trimEnd()}…`;
}
