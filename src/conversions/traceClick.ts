import * as vscode from 'vscode';
import { fetchClick } from '../clickLookup';
import { suggestedId, validateIdInput } from '../commands/lookUpClick';
import * as config from '../config';
import { asSentDocument } from '../core/asSent';
import { CLICK_PATH, exchangeOfClick } from '../core/client';
import { DAY_SECONDS, REPORT_DAYS, conversionsOfClick, type ConversionWindow } from '../core/conversions/clickWindow';
import type { Conversion, ConversionRequest, ConversionResult } from '../core/conversions/types';
import { traceVerdict, type VerdictKind } from '../core/conversions/verdict';
import { describeError, isEverflowError } from '../core/errors';
import { UTC_TIMEZONE_ID } from '../core/timezones';
import type { ApiExchange, Click } from '../core/types';
import { formatWallSeconds } from '../core/wallClock';
import { CommandIds } from '../host/commandIds';
import { withCancellableProgress } from '../host/progress';
import { resolveZone } from '../hovers/clickCard';
import { showInfo, showWarning } from '../notifications';
import type { Services } from '../services';
import { traceMarkdown } from './traceMarkdown';

// Everflow: Trace Click… — "did it convert, and if not, why not" for one transaction id: the click,
// its conversions and events in time order and a verdict, as a read-only Markdown document, with the
// raw responses one "Open as JSON" away. A click Everflow no longer has (3-month raw retention) can
// only be traced through the conversion report, which has no documented transaction-id filter: that
// means reading the whole prior year of conversions, so it is done only when the user asks.

export interface TraceOptions {
  /** When the click is not found: search the prior 365 days of conversions for its id. */
  searchYear?: boolean;
}

/** What the command returns (tests read it): the verdict, and the conversion requests it sent. */
export interface TraceOutcome {
  transactionId: string;
  verdict: VerdictKind;
  headline: string;
  conversions: number;
  /** Pages of the conversion report read for this trace (0 when the answer was cached). */
  conversionRequests: number;
}

/** The raw responses behind each open trace document, by its URI; the newest few only. */
const traces = new Map<string, unknown>();
const MAX_TRACES = 20;

export async function traceClick(services: Services, idArg?: unknown, optionsArg?: unknown): Promise<TraceOutcome | undefined> {
  const options: TraceOptions = typeof optionsArg === 'object' && optionsArg !== null ? (optionsArg as TraceOptions) : {};
  let id = typeof idArg === 'string' ? idArg.trim() : undefined;
  if (id === undefined || validateIdInput(id)) {
    id = (
      await vscode.window.showInputBox({
        title: 'Trace Click',
        prompt: 'The 32-character transaction ID of the click to trace: did it convert, and if not, why not',
        placeHolder: 'e.g. 410da86457f54ae388a871d54a33275b',
        value: id || (await suggestedId()),
        ignoreFocusOut: true,
        validateInput: validateIdInput,
      })
    )?.trim();
  }
  if (!id) return undefined;
  const transactionId = id.toLowerCase();
  const days = config.conversionsAttributionDays();
  const searchYear = options.searchYear === true;

  const facts = await withCancellableProgress(`Tracing click ${transactionId}…`, async (signal, progress) => {
    let click: Click | undefined;
    try {
      click = await fetchClick(services, transactionId, { signal });
    } catch (e) {
      if (!(isEverflowError(e) && e.reason === 'notFound')) throw e;
    }
    let conversions: Conversion[] | undefined;
    let window: ConversionWindow | undefined;
    let result: ConversionResult | undefined;
    let request: ConversionRequest | undefined;
    let conversionsError: string | undefined;
    let sent = 0;
    try {
      if (click) {
        progress.report({ message: 'Looking up its conversions…' });
        const before = services.conversions.fetches;
        const found = await services.conversions.forClick(click, { signal });
        sent = services.conversions.fetches > before ? found.result.pages : 0;
        ({ conversions, window, result } = found);
      } else if (searchYear) {
        progress.report({ message: 'Searching the prior 365 days of conversions for the ID…' });
        request = yearRequest(Date.now());
        result = await services.conversions.search(request, {
          signal,
          onPage: (p) => progress.report({ message: `Searching the prior 365 days of conversions: page ${p.page} of ${p.pages} (${p.rows.toLocaleString('en-US')} rows)` }),
        });
        sent = result.pages;
        conversions = conversionsOfClick(result.rows, transactionId);
      }
    } catch (e) {
      if (isEverflowError(e) && e.reason === 'cancelled') throw e;
      conversionsError = services.logger.redact(e instanceof Error && !isEverflowError(e) ? e.message : describeError(e));
    }
    return { click, conversions, window, result, request, conversionsError, sent };
  });

  const { click, conversions, window, result, conversionsError, sent } = facts;
  const verdict = traceVerdict({
    click,
    conversions,
    window,
    attributionDays: days,
    conversionsError,
    yearSearch: !click && searchYear && result ? { requests: result.pages } : undefined,
  });
  const account = (await services.accounts.active())?.name;
  const timeZone = resolveZone(config.hoverTimezone());
  const conversionPath = '/v1/affiliates/reporting/conversions';
  // Our own words (the id is 32 hex characters by now); only Everflow's error text is escaped there.
  const requests: { text: string; said?: string }[] = [{ text: `GET ${CLICK_PATH}${transactionId}: ${click ? 'found' : '404, no such click'}` }];
  if (result) {
    const what = click ? `the click's offer${click.relationship.offer.network_offer_id ? ` ${click.relationship.offer.network_offer_id}` : ''}, its UTC day plus ${days} days` : 'the prior 365 days, every offer';
    const how = sent > 0 ? `${sent} ${sent === 1 ? 'request' : 'requests'} now` : 'answered from the cache';
    requests.push({ text: `POST ${conversionPath} (${what}): ${result.rows.length.toLocaleString('en-US')} conversions and events read, ${how}${result.partial ? ', cancelled part-way' : ''}` });
  } else if (conversionsError) {
    requests.push({ text: `POST ${conversionPath} failed`, said: conversionsError });
  }
  const markdown = traceMarkdown({ transactionId, click, conversions: conversions ?? [], verdict, window, attributionDays: days, timeZone, requests, account });
  const editor = await services.documents.openMarkdown(`Trace ${transactionId}`, markdown);
  remember(editor.document.uri.toString(), rawDocument(transactionId, click, result, facts.request, verdict.kind, account, days));

  if (verdict.kind === 'notFound' && !searchYear && !conversionsError) {
    void showInfo(
      `No click ${transactionId}: not found, or older than the 3-month raw-data retention. Its conversions are kept for longer; searching them reads the whole conversion report of the prior 365 days (one request per 2,000 conversions).`,
      'Search 365 Days',
    ).then((choice) => {
      if (choice) void vscode.commands.executeCommand(CommandIds.traceClick, transactionId, { searchYear: true });
    });
  }
  return { transactionId, verdict: verdict.kind, headline: verdict.headline, conversions: conversions?.length ?? 0, conversionRequests: sent };
}

/** Everflow: Open Trace as JSON — the requests and responses behind the trace in front. */
export async function openTraceAsJson(services: Services, uriArg?: unknown): Promise<void> {
  const uri = uriArg instanceof vscode.Uri ? uriArg.toString() : vscode.window.activeTextEditor?.document.uri.toString();
  const raw = uri ? traces.get(uri) : undefined;
  if (!raw) {
    void showWarning('Open as JSON works on a trace document that is still open; run Everflow: Trace Click… again.');
    return;
  }
  const id = (raw as { request?: { transaction_id?: string } }).request?.transaction_id ?? '';
  await services.documents.open(`trace ${id}`, raw);
}

/** The whole prior year, as far back as the report reaches (a day's margin for zones and clocks). */
export function yearRequest(nowMs: number): ConversionRequest {
  const nowS = Math.floor(nowMs / 1000);
  const from = Math.floor(nowS / DAY_SECONDS) * DAY_SECONDS - (REPORT_DAYS - 1) * DAY_SECONDS;
  return { from: formatWallSeconds(from), to: formatWallSeconds(nowS), timezone_id: UTC_TIMEZONE_ID, show_conversions: true, show_events: true };
}

function rawDocument(
  transactionId: string,
  click: Click | undefined,
  result: ConversionResult | undefined,
  yearRequestSent: ConversionRequest | undefined,
  verdict: VerdictKind,
  account: string | undefined,
  days: number,
): unknown {
  const exchanges: ApiExchange[] = [];
  exchanges.push((click && exchangeOfClick(click)) ?? { method: 'GET', path: `${CLICK_PATH}${transactionId}`, status: click ? 200 : 404 });
  exchanges.push(...(result?.exchanges ?? []));
  const meta = {
    kind: 'trace',
    transaction_id: transactionId,
    account,
    verdict,
    attribution_days: days,
    year_search: yearRequestSent ? { from: yearRequestSent.from, to: yearRequestSent.to, pages: result?.pages } : undefined,
    fetched_at: new Date().toISOString(),
    conversion_rows_read: result?.rows.length,
  };
  return asSentDocument({ request: meta, exchanges, rows: click ? [click] : [] });
}

function remember(uri: string, raw: unknown): void {
  traces.set(uri, raw);
  while (traces.size > MAX_TRACES) {
    const oldest = traces.keys().next().value;
    if (oldest === undefined) break;
    traces.delete(oldest);
  }
}
