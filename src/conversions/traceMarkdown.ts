import type { ConversionWindow } from '../core/conversions/clickWindow';
import { dayWord } from '../core/conversions/conversionLine';
import { traceTimeline, type TraceEntry } from '../core/conversions/trace';
import type { Conversion } from '../core/conversions/types';
import type { Verdict } from '../core/conversions/verdict';
import { describeClickError } from '../core/errorCodes';
import { formatTimestamp } from '../core/format';
import type { Click } from '../core/types';
import { escapeMarkdown } from '../hovers/escapeMarkdown';

// The trace as a Markdown document a person reads top to bottom: the verdict, then the click and its
// conversions and events in time order, then what was asked. No 'vscode' import (unit-tested in plain
// node). Every value from the API goes through escapeMarkdown, so a sub id or an event name can be no
// link, image, HTML or table break; our own words and numbers are written plainly so the source reads
// well too.

export interface TraceReport {
  transactionId: string;
  click?: Click;
  conversions: readonly Conversion[];
  verdict: Verdict;
  /** The window the click's conversions were searched in (undefined when not searched). */
  window?: ConversionWindow;
  attributionDays: number;
  /** IANA zone the times are shown in. */
  timeZone: string;
  /**
   * What was sent, in our own words ("GET /v1/…/clicks/<id>: 404"), never a key; `said` is what
   * Everflow answered (API text, escaped).
   */
  requests: { text: string; said?: string }[];
  account?: string;
}

export function traceMarkdown(r: TraceReport): string {
  const out: string[] = [];
  out.push(`# Trace of click ${code(r.transactionId)}`, '');
  // The zone is a name Intl knows (resolveZone): letters, digits, '/', '_', '+', '-', written as is.
  const zone = /^[\w/+-]+$/.test(r.timeZone) ? r.timeZone : escapeMarkdown(r.timeZone);
  if (r.account) out.push(`Account: ${escapeMarkdown(r.account, { maxLength: 60 })} · times in ${zone}`, '');
  else out.push(`Times in ${zone}`, '');
  out.push(`## Verdict: ${escapeMarkdown(r.verdict.headline, { maxLength: 300 })}`, '');
  for (const d of r.verdict.details) out.push(`- ${escapeMarkdown(d, { maxLength: 400 })}`);
  out.push('');
  const timeline = traceTimeline(r.click, r.conversions);
  if (timeline.length > 0) {
    out.push('## In time order', '');
    out.push('| When | What | After the click | Amount | Details |', '|:--|:--|:--|--:|:--|');
    for (const e of timeline) out.push(row(e, r));
    out.push('');
  }
  if (r.window) {
    const windowText = `${formatTimestamp(r.window.fromS, r.timeZone)} to ${formatTimestamp(r.window.toS, r.timeZone)}`;
    out.push(`Conversions searched from ${windowText} (${dayWord(r.attributionDays)} after the click${r.window.open ? ', capped at now' : ''}).`, '');
  }
  out.push('## Requests', '');
  for (const q of r.requests) out.push(`- ${q.text}${q.said ? `: ${escapeMarkdown(q.said, { maxLength: 300 })}` : ''}`);
  out.push('', 'Open as JSON (the button in the editor title) shows each request beside Everflow\'s response as sent.', '');
  return out.join('\n');
}

function row(e: TraceEntry, r: TraceReport): string {
  const when = e.atS > 0 ? formatTimestamp(e.atS, r.timeZone) : '—';
  return `| ${when} | ${what(e, r)} | ${e.after || '—'} | ${e.amount ? escapeMarkdown(e.amount, { maxLength: 30 }) : '—'} | ${details(e, r) || '—'} |`;
}

function what(e: TraceEntry, r: TraceReport): string {
  if (e.kind === 'click') {
    const offer = r.click?.relationship.offer;
    const name = offer?.name ? ` · ${escapeMarkdown(offer.name, { maxLength: 40 })}` : '';
    return `**Click**${name}${offer?.network_offer_id ? ` (offer ${offer.network_offer_id})` : ''}`;
  }
  const status = e.status ? ` · ${escapeMarkdown(e.status, { maxLength: 20 })}` : '';
  if (e.kind === 'event') return `Event ${e.name ? `“${escapeMarkdown(e.name, { maxLength: 40 })}”` : '(unnamed)'}${status}`;
  return `**Conversion**${status}`;
}

function details(e: TraceEntry, r: TraceReport): string {
  const parts: string[] = [];
  const add = (label: string, value: unknown, max = 30): void => {
    if (value === undefined || value === null || value === '' || value === 0) return;
    parts.push(`${label} ${escapeMarkdown(value, { maxLength: max })}`);
  };
  if (e.kind === 'click' && r.click) {
    const c = r.click;
    parts.push(c.is_unique ? 'unique' : 'not unique');
    const error = describeClickError(c.error_code, c.error_message);
    parts.push(error ? `error ${escapeMarkdown(error, { maxLength: 80 })}` : 'no error');
    add('country', c.relationship.geolocation.country_code, 4);
    for (const k of ['sub1', 'sub2', 'sub3'] as const) add(k, c[k], 24);
    return parts.join(' · ');
  }
  const v = e.conversion;
  if (!v) return '';
  add('id', v.conversion_id, 24);
  if (v.sale_amount) add('sale', v.sale_amount, 16);
  add('order', v.order_id, 24);
  add('coupon', v.coupon_code, 20);
  add('sub1', v.sub1, 24);
  add('type', v.revenue_type, 12);
  return parts.join(' · ');
}

function code(id: string): string {
  return /^[0-9a-f]{32}$/.test(id) ? `\`${id}\`` : escapeMarkdown(id, { maxLength: 40 });
}
