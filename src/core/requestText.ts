import { STREAM_PATH } from './client';
import { chunkWindow } from './windowChunks';
import type { StreamRequest } from './types';

// A request as text to paste elsewhere: the JSON body, or a cURL command for a terminal or a support
// ticket. Neither ever holds the key: cURL gets a placeholder the reader replaces.

export const API_KEY_PLACEHOLDER = '<YOUR_API_KEY>';

export function requestJson(req: StreamRequest): string {
  return JSON.stringify(req, null, 2);
}

/** POSIX shell single-quoting: the text stays literal whatever it holds (quotes, `$`, backticks). */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A cURL command for the stream request against `baseUrl`, with the key as a placeholder. */
export function renderCurl(req: StreamRequest, baseUrl: string): string {
  const url = `${baseUrl.trim().replace(/\/+$/, '')}${STREAM_PATH}`;
  return [
    'curl --request POST',
    `  --url ${shellQuote(url)}`,
    `  --header ${shellQuote('content-type: application/json')}`,
    `  --header ${shellQuote(`X-Eflow-API-Key: ${API_KEY_PLACEHOLDER}`)}`,
    `  --data ${shellQuote(JSON.stringify(req))}`,
  ].join(' \\\n');
}

/**
 * The requests a window is sent as: itself, or, when it is longer than Everflow's 14 days, one per
 * ≤ 14-day chunk in `zone` (the same cuts a run makes). Unreadable windows come back as they are.
 */
export function requestsForWindow(req: StreamRequest, zone: string): StreamRequest[] {
  let chunks;
  try {
    chunks = chunkWindow(req, zone);
  } catch {
    return [req];
  }
  return chunks.length < 2 ? [req] : chunks.map((c) => ({ ...req, from: c.from, to: c.to }));
}

/** One body as an object, several (a long window) as an array of bodies. */
export function requestsJson(reqs: readonly StreamRequest[]): string {
  return reqs.length === 1 ? requestJson(reqs[0]) : JSON.stringify(reqs, null, 2);
}

/** One cURL command per request, separated by a blank line. */
export function renderCurls(reqs: readonly StreamRequest[], baseUrl: string): string {
  return reqs.map((r) => renderCurl(r, baseUrl)).join('\n\n');
}
