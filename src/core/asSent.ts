import { clickAsJson } from './extras';
import type { ApiExchange, Click } from './types';

// "Open as JSON" shows what Everflow sent, as it sent it: each request (method, path, body; never
// the key or a header) beside its response body, parsed and pretty-printed but not normalised
// (an integer `carrier_code` stays an integer, an omitted key stays omitted, a field the client has
// no name for is there). The normalised rows stay in the grid and the exports.
//
// Keeping responses costs memory: the text of a 5,000-row stream is about 8 to 15 MB. A result keeps
// response texts up to MAX_KEPT_RESPONSE_CHARS in all (more would not open as a document anyway:
// VS Code opens up to 50 MB); past that an exchange keeps its request and says why its response is
// not there, and the document falls back to the normalised rows for the rows it lacks.

type Raw = Record<string, unknown>;

export const MAX_KEPT_RESPONSE_CHARS = 32 * 1024 * 1024;

const NOT_KEPT = `not kept: the responses of this result are over the ${MAX_KEPT_RESPONSE_CHARS / 1024 / 1024} MB kept for "Open as JSON"; the rows are in the grid and exports`;

/**
 * The exchanges with response texts kept, in order, while they fit `budget` characters in all; the
 * later ones keep their request only. Returns new objects; the input is not changed.
 */
export function keepWithinBudget(exchanges: readonly ApiExchange[], budget = MAX_KEPT_RESPONSE_CHARS): ApiExchange[] {
  let used = 0;
  return exchanges.map((x) => {
    if (x.response === undefined) return { ...x };
    used += x.response.length;
    if (used <= budget) return { ...x };
    const { response: _dropped, ...rest } = x;
    return { ...rest, not_kept: NOT_KEPT };
  });
}

/** An exchange's request as recorded beside its response: method, path and body only. */
function requestOf(x: ApiExchange): Raw {
  return x.body === undefined ? { method: x.method, path: x.path } : { method: x.method, path: x.path, body: x.body };
}

/** The response body parsed (not normalised), or its text when it is not JSON. */
function responseOf(x: ApiExchange): unknown {
  if (x.response === undefined) return undefined;
  try {
    return JSON.parse(x.response) as unknown;
  } catch {
    return x.response;
  }
}

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The click rows in a parsed response as sent: `table`, `clicks`, a bare list, or one click (maybe wrapped in `click`). */
function rowsIn(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (!isObject(body)) return [];
  for (const key of ['table', 'clicks']) {
    const v = Object.prototype.hasOwnProperty.call(body, key) ? body[key] : undefined;
    if (Array.isArray(v)) return v;
  }
  if (!Object.prototype.hasOwnProperty.call(body, 'transaction_id') && isObject(body.click)) return [body.click];
  return [body];
}

function transactionIdOf(row: unknown): string | undefined {
  if (!isObject(row) || !Object.prototype.hasOwnProperty.call(row, 'transaction_id')) return undefined;
  const id = row.transaction_id;
  return typeof id === 'string' ? id : typeof id === 'number' ? String(id) : undefined;
}

export interface AsSentInput {
  /** What the extension records about the result (kind, account, window, rows …); never the key. */
  request: unknown;
  /** Every exchange behind the result, in the order sent. */
  exchanges: readonly ApiExchange[];
  /** The normalised rows of the result, for the rows no kept response holds. */
  rows: readonly Click[];
  /** For rowsAsSentDocument: one looked-up click, shown as `click` rather than a list of one. */
  single?: boolean;
}

/**
 * The whole result as sent: `{ request, exchanges: [{ request, status, response }] }`. Rows no kept
 * response holds (a response over the budget, a result kept by an older version) are added as
 * `clicks_normalised`, with a note saying why.
 */
export function asSentDocument(input: AsSentInput): Raw {
  const { exchanges, rows } = input;
  const doc: Raw = { request: input.request };
  const found = new Set<string>();
  doc.exchanges = exchanges.map((x) => {
    const out: Raw = { request: requestOf(x) };
    if (x.status !== undefined) out.status = x.status;
    if (x.response === undefined) {
      out.response_not_kept = x.not_kept ?? 'not kept';
      return out;
    }
    const body = responseOf(x);
    for (const row of rowsIn(body)) {
      const id = transactionIdOf(row);
      if (id !== undefined) found.add(id);
    }
    out.response = body;
    return out;
  });
  const missing = rows.filter((r) => !found.has(r.transaction_id));
  if (missing.length > 0) {
    doc.note = `${missing.length.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} row(s) are not in a kept response; they are shown as the extension normalised them.`;
    doc.clicks_normalised = missing.map(clickAsJson);
  }
  return doc;
}

/**
 * Some rows of a result as sent: `{ request, sent_by: [the requests they came from], clicks: [each
 * row as Everflow sent it] }` (`click` for a single look-up), in the order of `rows`. Rows no kept response holds are shown
 * normalised, with a note.
 */
export function rowsAsSentDocument(input: AsSentInput): Raw {
  const wanted = new Set(input.rows.map((r) => r.transaction_id));
  const raw = new Map<string, { row: unknown; exchange: number }>();
  input.exchanges.forEach((x, i) => {
    if (x.response === undefined) return;
    for (const row of rowsIn(responseOf(x))) {
      const id = transactionIdOf(row);
      if (id !== undefined && wanted.has(id) && !raw.has(id)) raw.set(id, { row, exchange: i });
    }
  });
  const used = new Set<number>();
  let normalised = 0;
  const clicks = input.rows.map((r) => {
    const hit = raw.get(r.transaction_id);
    if (!hit) {
      normalised++;
      return clickAsJson(r);
    }
    used.add(hit.exchange);
    return hit.row;
  });
  const doc: Raw = { request: input.request };
  doc.sent_by = [...used].sort((a, b) => a - b).map((i) => {
    const x = input.exchanges[i];
    return x.status === undefined ? { request: requestOf(x) } : { request: requestOf(x), status: x.status };
  });
  if (normalised > 0) doc.note = `${normalised.toLocaleString('en-US')} of ${clicks.length.toLocaleString('en-US')} row(s) are not in a kept response; they are shown as the extension normalised them.`;
  if (input.single && clicks.length === 1) doc.click = clicks[0];
  else doc.clicks = clicks;
  return doc;
}
