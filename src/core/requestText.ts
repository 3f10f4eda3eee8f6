import { STREAM_PATH } from './client';
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
