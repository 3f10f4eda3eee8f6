// Reading the "Open as JSON" document of a stream, which shows what Everflow sent: the result's
// record under `request`, then each request beside its response (src/core/asSent.ts).

/* eslint-disable @typescript-eslint/no-explicit-any -- documents as sent are untyped JSON */

/** The rows of a response body as Everflow sent it: under `table`, `clicks`, or a bare list. */
export function rowsOfResponse(body: any): any[] {
  if (Array.isArray(body)) return body;
  if (Array.isArray(body?.table)) return body.table;
  if (Array.isArray(body?.clicks)) return body.clicks;
  return [];
}

/**
 * Every click of a stream's document, as sent, once each (by transaction_id, as the result holds
 * them), then any rows the document could only show normalised.
 */
export function sentClicks(doc: any): any[] {
  const seen = new Set<string>();
  const out: any[] = [];
  for (const x of doc.exchanges ?? []) {
    for (const row of rowsOfResponse(x.response)) {
      if (seen.has(row.transaction_id)) continue;
      seen.add(row.transaction_id);
      out.push(row);
    }
  }
  return [...out, ...(doc.clicks_normalised ?? [])];
}
