import * as config from '../config';
import { gatherTrace, type GatheredTrace } from '../conversions/traceFacts';
import { compactClick } from '../core/clickDigest';
import { formatDelay } from '../core/conversions/clickWindow';
import { dayWord } from '../core/conversions/conversionLine';
import { traceTimeline, type TraceEntry } from '../core/conversions/trace';
import { describeErrorCode } from '../core/errorCodes';
import { formatTimestamp } from '../core/format';
import { accountLine, applyAccount, planAccount } from './accountChoice';
import { displayZone, idsOf } from './lookUpClicksTool';
import { confirmation, defineTool, guarded, quote, signalOf, toolResult, ToolError } from './toolKit';

// everflow_traceClick: "did this click convert, and if not, why not" for one transaction ID, through the
// same look-ups and verdict as the Trace Click command (src/conversions/traceFacts.ts). The verdict is
// said twice: in the extension's own words outside the fence (built only from the verdict's kind,
// numbers and the extension's error-code table), and as the trace wrote it inside the fence, because
// its sentences can quote Everflow's text (an error message, a status, a currency).

export interface TraceClickInput {
  transactionId: string;
  account?: string;
}

/**
 * Conversion report pages a trace reads at most (2,000 conversions and events each). With the click
 * look-up this is the "at most N requests" of the confirmation, a hard limit: an offer with more
 * conversions in the window gives an incomplete trace that says so and names the command that reads all.
 */
export const MAX_TRACE_CONVERSION_PAGES = 4;
export const MAX_TRACE_REQUESTS = 1 + MAX_TRACE_CONVERSION_PAGES;

/** Entries of the time line kept in the result; a click with more says how many were left out. */
export const MAX_TIMELINE = 40;

/** The one ID of the input, lower-cased, or a ToolError saying what an ID is (nothing is sent). */
function idOf(input: TraceClickInput): string {
  const raw: unknown = input?.transactionId;
  const one = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  if (typeof one !== 'string' || one.trim() === '') throw new ToolError('Give transactionId: one Everflow transaction ID (32 hexadecimal characters). Nothing was sent.');
  return idsOf({ transactionIds: [one] })[0]!;
}

export const traceClickTool = defineTool<TraceClickInput>({
  name: 'everflow_traceClick',
  create: (services) => ({
    prepareInvocation: (options, token) =>
      guarded(services, token, async () => {
        const id = idOf(options.input);
        const plan = await planAccount(services, options.input.account);
        const days = config.conversionsAttributionDays();
        return confirmation(services, 'Trace an Everflow click?', [
          `Trace the click ${id} with the user's API key: did it convert, and if not, why not.`,
          await accountLine(services, plan),
          `Requests: the click look-up (none when it was looked up recently), then the conversion report of the click's offer from the click's UTC day through ${dayWord(days)} after it (the attribution window setting), capped at now (none when a hover already read it).`,
          `At most ${MAX_TRACE_REQUESTS} requests (the look-up and up to ${MAX_TRACE_CONVERSION_PAGES} pages of 2,000 conversions and events), from the account's shared budget of 5 requests a second. An offer with more conversions in the window gives an incomplete trace, marked as such.`,
        ]);
      }),
    invoke: (options, token) =>
      guarded(services, token, async () => {
        const id = idOf(options.input);
        const plan = await planAccount(services, options.input.account);
        await applyAccount(services, plan);
        const cancel = signalOf(token);
        let trace: GatheredTrace;
        try {
          trace = await gatherTrace(services, id, { signal: cancel.signal, maxConversionPages: MAX_TRACE_CONVERSION_PAGES });
        } finally {
          cancel.dispose();
        }
        const zone = displayZone();
        const words = [
          `Trace of click ${id} on the account ${quote(plan.account.name)}.`,
          `Verdict: ${ownVerdict(trace)}`,
          `Sent: ${requestWords(trace)}. Times are wall-clock in ${zone}. The full trace, with the raw responses, opens with "Everflow: Trace Click…".`,
        ];
        const r = trace.result;
        if (r?.capped) {
          words.splice(2, 0, `INCOMPLETE: the offer has ${r.totalCount.toLocaleString('en-US')} conversions and events in the window; this trace read the first ${r.rows.length.toLocaleString('en-US')} (${count(r.pages, 'request')}, the limit the user confirmed) and stopped. To read them all, ask the user to run "Everflow: Trace Click…" on ${id} (about ${Math.ceil(r.totalCount / 2000).toLocaleString('en-US')} requests).`);
        }
        return toolResult(services, words.join('\n'), { what: 'The verdict as the trace words it (it can quote Everflow), the click and its conversions and events in time order', value: traceData(trace, zone) });
      }),
  }),
});

/** The verdict in the extension's own words: no API text, only its kind, counts, delays and the code table. */
export function ownVerdict(t: GatheredTrace): string {
  const { click, conversions = [], window } = t;
  const days = dayWord(t.attributionDays);
  switch (t.verdict.kind) {
    case 'converted': {
      const base = conversions.filter((c) => !c.is_event);
      const first = base[0] ?? conversions[0];
      const clickS = click?.unix_timestamp ?? first?.click_unix_timestamp ?? 0;
      const delay = first && first.conversion_unix_timestamp > 0 && clickS > 0 ? `, the first ${formatDelay(first.conversion_unix_timestamp - clickS)} after the click` : '';
      const what = base.length > 0 ? 'CONVERTED' : 'POST-CONVERSION EVENTS ONLY (no base conversion in the window)';
      const past = click ? '' : " The click itself is past Everflow's 3-month raw-click retention; its conversions are kept.";
      return `${what}: ${count(base.length, 'conversion')} and ${count(conversions.length - base.length, 'event')}${delay}. When and how much: see the time line in the data (revenue per entry, total in verdict.headline).${past}`;
    }
    case 'rejected': {
      const code = Number(click?.error_code);
      const meaning = Number.isInteger(code) ? (describeErrorCode(code) ?? 'a code Everflow does not document') : 'unknown';
      const searched = t.conversionsError ? ' Its conversions could not be read (the reason is in the data).' : ` No conversion carries its ID within ${days} of the click.`;
      return `REJECTED: Everflow rejected the click with error code ${Number.isInteger(code) ? code : '?'} (${meaning}), so it is not credited and does not convert.${searched}`;
    }
    case 'notConverted':
      return window?.open
        ? `NOT CONVERTED YET: ${formatDelay(window.toS - window.fromS)} after the click, and the ${days} attribution window is still open, so a conversion may still come.`
        : `NOT CONVERTED within the ${days} attribution window: no conversion or event carries its ID.`;
    case 'pastRetention':
      return "NOT CONVERTED as far as Everflow can tell: no click with this ID (past Everflow's 3-month raw-click retention, or not this account's) and no conversion with it in the prior 365 days.";
    case 'notFound':
      return t.conversionsError
        ? "CLICK NOT FOUND: older than Everflow's 3-month raw-click retention, or not one of this account's clicks; its conversions could not be searched either (the reason is in the data)."
        : "CLICK NOT FOUND: older than Everflow's 3-month raw-click retention, or not one of this account's clicks. Conversions are kept longer: the user can search the prior 365 days of conversions for it with \"Everflow: Trace Click…\" (Search 365 Days; one request per 2,000 conversions).";
    case 'unknown':
      if (t.result?.capped && !t.conversionsError) return 'NOT KNOWN: no conversion or event with its ID is in the part of its offer\'s conversion report that was read; the rest was not read (see INCOMPLETE).';
      return 'CONVERSIONS UNREADABLE: the click was found, but its conversions could not be read, so whether it converted is not known (the reason is in the data; a 403 means this account may not read conversions).';
  }
}

function requestWords(t: GatheredTrace): string {
  const parts = [`the click look-up (${t.click ? 'found' : 'not found'})`];
  if (t.result) parts.push(`the conversion report (${t.result.rows.length.toLocaleString('en-US')} conversions and events of the offer read, ${t.sent > 0 ? `${count(t.sent, 'request')} now` : 'answered from the cache'}${t.result.partial ? ', cancelled part-way' : ''}${t.result.capped ? ', stopped at the request limit' : ''})`);
  else if (t.conversionsError) parts.push('the conversion report failed');
  return parts.join(', then ');
}

function traceData(t: GatheredTrace, zone: string): Record<string, unknown> {
  const timeline = traceTimeline(t.click, t.conversions ?? []);
  const data: Record<string, unknown> = {
    verdict: { kind: t.verdict.kind, headline: t.verdict.headline, details: t.verdict.details },
    click: t.click ? compactClick(t.click, zone) : undefined,
    conversionsSearched: t.window ? { from: formatTimestamp(t.window.fromS, zone), to: formatTimestamp(t.window.toS, zone), attributionDays: t.attributionDays, stillOpen: t.window.open } : undefined,
    conversionsError: t.conversionsError,
    timeline: timeline.slice(0, MAX_TIMELINE).map((e) => entry(e, zone)),
  };
  if (timeline.length > MAX_TIMELINE) data.timelineLeftOut = `${timeline.length - MAX_TIMELINE} later entries left out; the Trace Click document lists them all`;
  for (const [k, v] of Object.entries(data)) if (v === undefined) delete data[k];
  return data;
}

function entry(e: TraceEntry, zone: string): Record<string, unknown> {
  const out: Record<string, unknown> = { at: e.atS > 0 ? formatTimestamp(e.atS, zone) : undefined, kind: e.kind, afterClick: e.after || undefined };
  const c = e.conversion;
  if (c) Object.assign(out, { event: c.event || undefined, status: c.status || undefined, revenue: e.amount || undefined, sale_amount: c.sale_amount || undefined, conversion_id: c.conversion_id || undefined, order_id: c.order_id || undefined, coupon_code: c.coupon_code || undefined, sub1: c.sub1 || undefined, revenue_type: c.revenue_type || undefined });
  else if (e.amount) out.revenue = e.amount;
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
