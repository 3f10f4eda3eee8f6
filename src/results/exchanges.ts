import { asSentDocument, keepWithinBudget } from '../core/asSent';
import { exchangeOfClick } from '../core/client';
import type { ApiExchange, Click } from '../core/types';
import type { ResultSet } from './resultSet';

// Which requests and responses a result came from, for "Open as JSON" and the result store. Streams
// record theirs when they run (streamRun.ts, fetchAllRun.ts); a looked-up click carries its own
// from the client (exchangeOfClick), so look-ups, hovers and bulk look-ups need no plumbing.

/** The result's exchanges, or those of its looked-up clicks, within the budget for kept responses. */
export function exchangesOf(result: ResultSet): ApiExchange[] {
  const collector = exchangeCollector(result);
  if (!result.exchanges) for (const row of result.rows) collector.add(row);
  return collector.list();
}

/** Gathers what `exchangesOf` gives a row at a time. */
export interface ExchangeCollector {
  add(row: Click): void;
  list(): ApiExchange[];
}

/**
 * `exchangesOf` for a caller that passes over the rows anyway, a batch at a time (the result store's
 * writer): a pass of its own over a million looked-up clicks holds the extension host for tens of
 * milliseconds.
 */
export function exchangeCollector(result: ResultSet): ExchangeCollector {
  const own = result.exchanges;
  if (own) return { add: () => undefined, list: () => own };
  const found: ApiExchange[] = [];
  return {
    add: (row) => {
      const x = exchangeOfClick(row);
      if (x) found.push(x);
    },
    list: () => keepWithinBudget(found),
  };
}

/**
 * "Open as JSON" of a result with conversions added: the document gains `conversions`, the report's
 * request and each page as Everflow sent it (kept apart from the clicks' exchanges, whose rows the
 * document matches by transaction ID).
 */
export function withConversionExchanges(doc: unknown, result: ResultSet): unknown {
  const c = result.conversions;
  if (!c || typeof doc !== 'object' || doc === null) return doc;
  const { rows, exchanges, ...meta } = c;
  const request = { ...meta, rows: rows.length };
  return { ...doc, conversions: exchanges?.length ? asSentDocument({ request, exchanges, rows: [] }) : { request, rows } };
}
