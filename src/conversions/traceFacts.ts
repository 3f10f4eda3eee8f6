import { fetchClick } from '../clickLookup';
import * as config from '../config';
import { DAY_SECONDS, REPORT_DAYS, conversionsOfClick, type ConversionWindow } from '../core/conversions/clickWindow';
import type { Conversion, ConversionRequest, ConversionResult } from '../core/conversions/types';
import { traceVerdict, type Verdict } from '../core/conversions/verdict';
import { describeError, isEverflowError } from '../core/errors';
import { UTC_TIMEZONE_ID } from '../core/timezones';
import type { Click } from '../core/types';
import { formatWallSeconds } from '../core/wallClock';
import type { Services } from '../services';

// What a trace learns about one transaction ID, and its verdict: the click look-up, then the click's
// conversions (or, when asked, the prior year of conversions for a click Everflow no longer has). Shared
// by the Trace Click command (a document) and the chat tool (a compact result), so both conclude alike.

export interface TraceFactsOptions {
  /** When the click is not found: search the prior 365 days of conversions for its id. */
  searchYear?: boolean;
  signal?: AbortSignal;
  /** The most conversion report pages to read now (a limit the chat tool promised); default all. */
  maxConversionPages?: number;
  /** Says what the trace is doing now (progress notifications). */
  onProgress?: (message: string) => void;
}

export interface GatheredTrace {
  transactionId: string;
  click?: Click;
  conversions?: Conversion[];
  window?: ConversionWindow;
  result?: ConversionResult;
  /** The 365-day request, when it was sent. */
  request?: ConversionRequest;
  /** Why the conversions could not be read (redacted: no key). */
  conversionsError?: string;
  /** Conversion report pages read now (0 when the answer was cached). */
  sent: number;
  attributionDays: number;
  searchYear: boolean;
  verdict: Verdict;
}

/** The facts and verdict for a lower-case, valid transaction ID. Rejects only when cancelled or when the click look-up fails. */
export async function gatherTrace(services: Services, transactionId: string, opts: TraceFactsOptions = {}): Promise<GatheredTrace> {
  const { signal } = opts;
  const attributionDays = config.conversionsAttributionDays();
  const searchYear = opts.searchYear === true;
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
      opts.onProgress?.('Looking up its conversions…');
      const before = services.conversions.fetches;
      const found = await services.conversions.forClick(click, { signal, maxPages: opts.maxConversionPages });
      sent = services.conversions.fetches > before ? found.result.pages : 0;
      ({ conversions, window, result } = found);
    } else if (searchYear) {
      opts.onProgress?.('Searching the prior 365 days of conversions for the ID…');
      request = yearRequest(Date.now());
      result = await services.conversions.search(request, {
        signal,
        onPage: (p) => opts.onProgress?.(`Searching the prior 365 days of conversions: page ${p.page} of ${p.pages} (${p.rows.toLocaleString('en-US')} rows)`),
      });
      sent = result.pages;
      conversions = conversionsOfClick(result.rows, transactionId);
    }
  } catch (e) {
    if (isEverflowError(e) && e.reason === 'cancelled') throw e;
    conversionsError = services.logger.redact(e instanceof Error && !isEverflowError(e) ? e.message : describeError(e));
  }
  const verdict = traceVerdict({
    click,
    conversions,
    window,
    attributionDays,
    conversionsError,
    yearSearch: !click && searchYear && result ? { requests: result.pages } : undefined,
    incomplete: result?.capped ? { read: result.rows.length, total: result.totalCount } : undefined,
  });
  return { transactionId, click, conversions, window, result, request, conversionsError, sent, attributionDays, searchYear, verdict };
}

/** The whole prior year, as far back as the report reaches (a day's margin for zones and clocks). */
export function yearRequest(nowMs: number): ConversionRequest {
  const nowS = Math.floor(nowMs / 1000);
  const from = Math.floor(nowS / DAY_SECONDS) * DAY_SECONDS - (REPORT_DAYS - 1) * DAY_SECONDS;
  return { from: formatWallSeconds(from), to: formatWallSeconds(nowS), timezone_id: UTC_TIMEZONE_ID, show_conversions: true, show_events: true };
}
