import { MAX_KEPT_RESPONSE_CHARS } from '../asSent';
import type { EverflowClient } from '../client';
import { EverflowError } from '../errors';
import type { Priority } from '../limiter';
import type { ApiExchange } from '../types';
import type { Conversion, ConversionRequest, ConversionResult } from './types';
import { MAX_CONVERSION_PAGE_SIZE, normalizeConversionRequest, validateConversionRequest } from './validation';

// The whole conversion report for one request: validated, then read page by page through the client
// (so every page goes through the shared rate limiter, retries and error typing), until
// `paging.total_count` is reached or a page comes back short. Cancel after some pages keeps them: a
// user who stops a long report still sees what arrived, marked partial.

export interface ConversionPaging {
  /** The page just read (1-based). */
  page: number;
  /** Pages the report needs, as far as known now. */
  pages: number;
  /** Rows kept so far (after de-duplication). */
  rows: number;
  totalCount: number;
}

export interface FetchConversionsOptions {
  signal?: AbortSignal;
  priority?: Priority;
  /** Default and maximum 2000 (Everflow's documented maximum). */
  pageSize?: number;
  onPage?: (p: ConversionPaging) => void;
  /** The instant the 365-day rule is judged against; default now. */
  nowMs?: number;
  /**
   * The most pages (requests) to read: a hard limit a caller promised the user (the chat trace's
   * confirmation). A report with more pages stops there, marked `capped`.
   */
  maxPages?: number;
}

const NOT_KEPT = `not kept: the responses of this report are over the ${MAX_KEPT_RESPONSE_CHARS / 1024 / 1024} MB kept for "Open as JSON"`;

/**
 * A server that ignores `page` would answer page 1 forever; the total says how many pages there can be,
 * and this many more are allowed before the loop gives up on a server that never runs out.
 */
const EXTRA_PAGES = 1;

export async function fetchConversions(client: EverflowClient, req: ConversionRequest, opts: FetchConversionsOptions = {}): Promise<ConversionResult> {
  const problems = validateConversionRequest(req, opts.nowMs ?? Date.now());
  if (problems.length > 0) {
    throw new EverflowError('invalidRequest', `The conversion request has ${problems.length} problem(s).`, { problems });
  }
  const started = performance.now();
  const body = normalizeConversionRequest(req);
  const asked = Math.floor(opts.pageSize ?? MAX_CONVERSION_PAGE_SIZE);
  const pageSize = Math.min(MAX_CONVERSION_PAGE_SIZE, Math.max(1, Number.isFinite(asked) ? asked : MAX_CONVERSION_PAGE_SIZE));
  const rows: Conversion[] = [];
  const seen = new Set<string>();
  const exchanges: ApiExchange[] = [];
  let kept = 0;
  let totalCount = 0;
  let pages = 0;
  const maxPages = opts.maxPages !== undefined && opts.maxPages >= 1 ? Math.floor(opts.maxPages) : Number.POSITIVE_INFINITY;
  const result = (partial: boolean, capped = false): ConversionResult => ({ rows, totalCount, pages, partial, ...(capped ? { capped } : {}), exchanges, durationMs: Math.round(performance.now() - started) });

  for (let page = 1; ; page++) {
    if (opts.signal?.aborted && pages > 0) return result(true);
    let answer: Awaited<ReturnType<EverflowClient['conversionPage']>>;
    try {
      answer = await client.conversionPage(body, page, pageSize, { signal: opts.signal, priority: opts.priority });
    } catch (e) {
      // Cancel after some pages keeps what arrived; before any, it is the usual cancelled error.
      if (e instanceof EverflowError && e.reason === 'cancelled' && pages > 0) return result(true);
      throw e;
    }
    pages++;
    const { exchange } = answer;
    kept += exchange.response?.length ?? 0;
    if (kept > MAX_KEPT_RESPONSE_CHARS && exchange.response !== undefined) {
      delete exchange.response;
      exchange.not_kept = NOT_KEPT;
    }
    exchanges.push(exchange);
    const got = answer.page.rows;
    for (const row of got) {
      // Rows without an id cannot be told apart, so they are all kept.
      if (row.conversion_id !== '') {
        if (seen.has(row.conversion_id)) continue;
        seen.add(row.conversion_id);
      }
      rows.push(row);
    }
    const paging = answer.page.paging;
    // The server may serve fewer per page than asked (a lower maximum); its own page size counts.
    const served = paging && paging.page_size > 0 ? Math.min(paging.page_size, pageSize) : pageSize;
    totalCount = paging ? Math.max(paging.total_count, rows.length) : rows.length;
    const needed = Math.max(1, Math.ceil(totalCount / served));
    opts.onPage?.({ page, pages: Math.max(needed, page), rows: rows.length, totalCount });
    // No paging block: the response is the whole report. Otherwise stop at the total or a short page.
    if (!paging || got.length === 0 || got.length < served || page * served >= totalCount || page >= needed + EXTRA_PAGES) break;
    if (page >= maxPages) return result(false, true);
  }
  return result(false);
}
