import { describeClickError } from '../errorCodes';
import { formatMoney } from '../format';
import type { Click } from '../types';
import { formatDelay, type ConversionWindow } from './clickWindow';
import { dayWord } from './conversionLine';
import type { Conversion } from './types';

// What "Trace Click" concludes, in plain words. The answer an engineer wants from a transaction id is
// "did it convert, and if not, why not"; this puts what the click look-up and the conversion report
// said into one of a few verdicts. Plain text: the trace document escapes it.

export type VerdictKind =
  /** Conversions carry the click's id. */
  | 'converted'
  /** Everflow rejected the click (error code), and no conversion carries it. */
  | 'rejected'
  /** The click was fine; no conversion within the attribution window (or not yet, while it is open). */
  | 'notConverted'
  /** No click (past the 3-month raw retention, or never one of this account's) and no conversion in the prior 365 days. */
  | 'pastRetention'
  /** No click, and the conversions were not searched. */
  | 'notFound'
  /** The click is there but its conversions could not be read (403, 400, failure after retries). */
  | 'unknown';

export interface TraceFacts {
  /** The click, or undefined when the look-up said it does not exist. */
  click?: Click;
  /** The click's conversions and events (clickWindow.conversionsOfClick); undefined when not searched. */
  conversions?: readonly Conversion[];
  /** The window searched for them. */
  window?: ConversionWindow;
  attributionDays: number;
  /** For a click not found: the year of conversions was searched, in this many requests. */
  yearSearch?: { requests: number };
  /** Why the conversions could not be read, as a sentence. */
  conversionsError?: string;
  /** A page limit stopped the report: `read` of its `total` conversions and events were searched. */
  incomplete?: { read: number; total: number };
}

export interface Verdict {
  kind: VerdictKind;
  /** One sentence. */
  headline: string;
  /** Further sentences, in order. */
  details: string[];
}

export function traceVerdict(facts: TraceFacts): Verdict {
  const { click, conversions } = facts;
  if (conversions && conversions.length > 0) return converted(facts, conversions);
  if (!click) {
    if (conversions && facts.yearSearch) {
      return {
        kind: 'pastRetention',
        headline: 'Not converted as far as Everflow can tell: no click and no conversion with this ID.',
        details: [
          "Everflow has no click with this ID: it keeps raw clicks for about 3 months, so the click is older than that, or the ID is not one of this account's clicks.",
          `No conversion or event carries the ID in the prior 365 days (searched in ${requestWord(facts.yearSearch.requests)}).`,
        ],
      };
    }
    const details = ["Either the click is older than Everflow's 3-month raw-data retention, or the ID is not one of this account's clicks."];
    if (facts.conversionsError) details.push(`Its conversions could not be searched: ${facts.conversionsError}`);
    else details.push('Conversions are kept longer than clicks: searching the prior 365 days of conversions for this ID tells whether it converted.');
    return { kind: 'notFound', headline: 'Click not found.', details };
  }
  const error = describeClickError(click.error_code, click.error_message);
  if (error) {
    const details = ['A rejected click is not credited, so it does not convert.'];
    if (facts.conversionsError) details.push(`Its conversions could not be read: ${facts.conversionsError}`);
    else if (facts.incomplete) details.push(`No conversion among the first ${facts.incomplete.read.toLocaleString('en-US')} of ${facts.incomplete.total.toLocaleString('en-US')} of its offer read carries its ID.`);
    else if (conversions) details.push(`No conversion carries its ID ${windowWords(facts)}.`);
    return { kind: 'rejected', headline: `Click rejected: ${error}.`, details };
  }
  if (facts.conversionsError || !conversions) {
    return { kind: 'unknown', headline: 'Not known whether the click converted.', details: [`Its conversions could not be read: ${facts.conversionsError ?? 'they were not searched.'}`] };
  }
  if (facts.incomplete) {
    // Not finding the ID in part of the report proves nothing about the rest.
    const { read, total } = facts.incomplete;
    return {
      kind: 'unknown',
      headline: 'Not known whether the click converted: only part of its conversion report was read.',
      details: [`No conversion or event among the first ${read.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} of its offer ${windowWords(facts)} carries its ID; the rest were not read.`],
    };
  }
  const window = facts.window;
  if (window?.open) {
    return {
      kind: 'notConverted',
      headline: `Not converted yet, ${formatDelay(window.toS - window.fromS)} after the click.`,
      details: [`The ${dayWord(facts.attributionDays)} attribution window is still open: a conversion may still come.`],
    };
  }
  return { kind: 'notConverted', headline: `Not converted within ${dayWord(facts.attributionDays)} of the click.`, details: [`No conversion or event carries its ID ${windowWords(facts)}.`] };
}

function converted(facts: TraceFacts, conversions: readonly Conversion[]): Verdict {
  const base = conversions.filter((c) => !c.is_event);
  const events = conversions.length - base.length;
  const first = base[0] ?? conversions[0]!;
  const clickS = facts.click?.unix_timestamp ?? first.click_unix_timestamp;
  const delay = first.conversion_unix_timestamp > 0 && clickS > 0 ? ` ${formatDelay(first.conversion_unix_timestamp - clickS)} after the click` : '';
  const revenue = totals(conversions);
  const headline = base.length > 0 ? `Converted${delay}${revenue ? `: ${revenue}` : ''}.` : `Post-conversion events${delay}, no base conversion in the window${revenue ? `: ${revenue}` : ''}.`;
  const details = [`${count(base.length, 'conversion')} and ${count(events, 'event')}.`];
  const statuses = [...new Set(conversions.map((c) => c.status).filter((s) => s !== ''))];
  if (statuses.length > 0) details.push(`Status as Everflow gives it: ${statuses.join(', ')}.`);
  if (facts.incomplete) details.push(`Only the first ${facts.incomplete.read.toLocaleString('en-US')} of ${facts.incomplete.total.toLocaleString('en-US')} conversions and events of its offer were read: later ones of this click may be missing.`);
  if (!facts.click) details.push("The click itself is past Everflow's 3-month raw-data retention; its conversions are kept.");
  else if (facts.click.error_code) details.push(`The click carries error ${describeClickError(facts.click.error_code, facts.click.error_message)}, yet conversions carry its ID.`);
  return { kind: 'converted', headline, details };
}

/** Revenue per currency: "$12.50", "$12.50 + €3.00". */
function totals(conversions: readonly Conversion[]): string {
  const sums = new Map<string, number>();
  for (const c of conversions) if (Number.isFinite(c.revenue)) sums.set(c.currency_id, (sums.get(c.currency_id) ?? 0) + c.revenue);
  return [...sums].filter(([, v]) => v !== 0).map(([cur, v]) => formatMoney(v, cur)).join(' + ');
}

function windowWords(facts: TraceFacts): string {
  return facts.yearSearch ? 'in the prior 365 days' : `within ${dayWord(facts.attributionDays)} of the click`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function requestWord(n: number): string {
  return n === 1 ? '1 request' : `${n} requests`;
}
