import { EverflowError } from './errors';
import type { ErrorReason } from './types';

// Turning what came back (a status and body, or a transport error) into one EverflowError. Only
// primitives are copied out of axios errors: they carry the request config, headers and key.

const MAX_SERVER_MESSAGE = 300;
/** Error pages can be megabytes; the message is in the first few kilobytes if anywhere. */
const MAX_SCANNED = 20_000;

export function shorten(s: string, max = MAX_SERVER_MESSAGE): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Removes every occurrence of the key, in case a server (or a proxy) echoes it back. */
export function redact(text: string, key: string | undefined): string {
  if (!key || key.length < 4) return text;
  return text.split(key).join('[redacted]');
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** The visible text of an HTML error page (proxies and load balancers send these, not JSON). */
export function stripHtml(html: string): string {
  return html
    .slice(0, MAX_SCANNED)
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, e: string) => ENTITIES[e] ?? ' ');
}

export function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  return /html/i.test(contentType ?? '') || /^\s*<(!doctype|html|head|body|\?xml|[a-z][a-z0-9]*[\s>])/i.test(text.slice(0, 200));
}

const MESSAGE_KEYS = ['error', 'message', 'error_message', 'errors', 'detail', 'description'];

/** `error` / `Error` / `message` … in any casing, one level of nesting, arrays joined. */
function messageIn(v: unknown, depth = 0): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (depth > 2 || typeof v !== 'object' || v === null) return undefined;
  if (Array.isArray(v)) {
    const parts = v.map((x) => messageIn(x, depth + 1)).filter((x): x is string => !!x);
    return parts.length ? parts.join('; ') : undefined;
  }
  const byLower = new Map<string, unknown>();
  for (const [k, val] of Object.entries(v)) byLower.set(k.toLowerCase(), val);
  for (const key of MESSAGE_KEYS) {
    const found = messageIn(byLower.get(key), depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The server's own words for a failure: a JSON error field, else the page's text, shortened. */
export function serverMessageOf(text: string, contentType: string | undefined, key: string | undefined): string | undefined {
  const head = text.slice(0, MAX_SCANNED).trim();
  if (head === '') return undefined;
  let message: string | undefined;
  if (!looksLikeHtml(head, contentType)) {
    try {
      message = messageIn(JSON.parse(head));
    } catch {
      // Not JSON (or cut off past MAX_SCANNED): fall back to the raw text below.
    }
  }
  message ??= looksLikeHtml(head, contentType) ? stripHtml(head) : head;
  const short = shorten(redact(message, key));
  return short === '' ? undefined : short;
}

export function reasonForStatus(status: number): ErrorReason | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 429) return 'rateLimited';
  if (status >= 500) return 'server';
  if (status >= 300 && status < 400) return 'invalidResponse';
  return 'badRequest';
}

const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
]);

const TLS_CODE = /^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

/**
 * A transport failure (no usable status) as an EverflowError. `timedOut` / `cancelled` say which
 * of our own aborts fired, since axios reports both as ERR_CANCELED.
 */
export function transportFailure(e: unknown, ctx: { timedOut: boolean; cancelled: boolean; timeoutMs: number; maxBytes: number }): EverflowError {
  if (ctx.cancelled) return new EverflowError('cancelled', 'The request was cancelled.');
  const err = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : '';
  const message = typeof err.message === 'string' ? err.message : String(e);
  const seconds = Math.round(ctx.timeoutMs / 100) / 10;
  if (ctx.timedOut || code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message)) {
    return new EverflowError('timeout', `Everflow did not answer within ${seconds} s`);
  }
  if (/maxContentLength/i.test(message)) {
    return new EverflowError('invalidResponse', `the response was larger than ${Math.round(ctx.maxBytes / 1_000_000)} MB`, { retryable: false });
  }
  if (TLS_CODE.test(code)) {
    return new EverflowError('network', `the secure connection failed (${code})`, { retryable: false });
  }
  if (NETWORK_CODES.has(code) || code === 'ERR_BAD_RESPONSE' || /socket hang up|aborted|ECONNRESET|closed/i.test(message)) {
    const what = code === 'ECONNREFUSED' ? 'the connection was refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the host name could not be resolved' : 'the connection was interrupted';
    return new EverflowError('network', `${what} (${code || shorten(message, 60)})`);
  }
  return new EverflowError('network', `the request failed (${code || shorten(message, 80)})`);
}

const STATUS_WORDS: Readonly<Record<string, string>> = {
  badRequest: 'Everflow rejected the request',
  unauthorized: 'Everflow rejected the API key',
  forbidden: 'Everflow refused access for this API key',
  notFound: 'Everflow found nothing at this address',
  rateLimited: 'Everflow is rate limiting requests',
  server: 'Everflow had a server error',
};

export function statusFailure(
  reason: NonNullable<ReturnType<typeof reasonForStatus>>,
  status: number,
  text: string,
  contentType: string | undefined,
  key: string,
  location: unknown,
): EverflowError {
  const serverMessage = serverMessageOf(text, contentType, key);
  if (reason === 'invalidResponse') {
    // Only the host and path of a redirect target: its query could hold anything.
    let where = '';
    if (typeof location === 'string') {
      try {
        const u = new URL(location, 'http://relative.invalid');
        where = u.host === 'relative.invalid' ? ` to ${u.pathname}` : ` to ${u.protocol}//${u.host}${u.pathname}`;
      } catch {
        // An unparsable Location adds nothing useful.
      }
    }
    return new EverflowError('invalidResponse', `Everflow answered with a redirect${shorten(where, 120)} instead of data`, { status, serverMessage });
  }
  return new EverflowError(reason, `${STATUS_WORDS[reason]} (HTTP ${status})`, { status, serverMessage });
}

/**
 * Why `JSON.parse(text)` threw: the text stops part way ('cutOff') or is not JSON ('malformed'). A body
 * cut right after a complete token ("…,\"revenue\":1") fails with "Expected ',' or '}'" at the very end
 * rather than "Unexpected end", so an error positioned at the end of the text counts as cut off too.
 */
export function jsonFailureKind(error: unknown, text: string): 'cutOff' | 'malformed' {
  if (!(error instanceof SyntaxError)) return 'malformed';
  if (/end of (JSON )?input|Unterminated/i.test(error.message)) return 'cutOff';
  const position = /at position (\d+)/.exec(error.message);
  return position !== null && Number(position[1]) >= text.trimEnd().length ? 'cutOff' : 'malformed';
}

/** JSON of a 2xx body; HTML pages, empty, cut-off and malformed bodies are `invalidResponse`. */
export function parseJson(text: string, contentType: string | undefined, status: number, key: string): unknown {
  if (text.trim() === '') throw new EverflowError('invalidResponse', 'the response was empty', { status });
  if (looksLikeHtml(text, contentType)) {
    const page = shorten(redact(stripHtml(text), key));
    return failInvalid(`an HTML page came back instead of JSON${page ? ` ("${shorten(page, 120)}")` : ''}`, status);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    // V8's message quotes the body; only its kind is kept.
    const cutOff = jsonFailureKind(e, text) === 'cutOff';
    return failInvalid(cutOff ? 'the JSON ended early (the response was cut off)' : 'the JSON was malformed', status);
  }
}

function failInvalid(message: string, status: number): never {
  throw new EverflowError('invalidResponse', message, { status });
}
