import type { AxiosInstance, AxiosResponse, AxiosStatic, CreateAxiosDefaults } from 'axios';
import { checkBaseUrl } from './baseUrl';
import { parseConversionPage, parseConversionResponse, type ConversionPage } from './conversions/parse';
import type { Conversion, ConversionRequest } from './conversions/types';
import { EverflowError, cancelledError, withTopic } from './errors';
import { parseJson, reasonForStatus, redact, statusFailure, transportFailure } from './httpFailure';
import type { Grant, Priority, RateLimiter } from './limiter';
import { parseClickResponse, parseStreamResponse, parseTimezones } from './parse';
import type { ApiExchange, Click, RequestLogEntry, StreamRequest, StreamResult, Timezone } from './types';
import { UTC_TIMEZONE_ID } from './timezones';
import { isTransactionId, normalizeRequest, validateStreamRequest } from './validation';
import { formatEverflowDate } from './wallClock';

/** Kept here for callers that imported it from the client before it moved to httpFailure.ts. */
export { jsonFailureKind } from './httpFailure';

// The Everflow API client. It knows nothing of VS Code: the base URL, key,
// timeout and limiter are passed in, so the same code runs against the local sandbox in tests.

export interface ClientOptions {
  /** Read on every attempt: the setting may change while a request is retrying. */
  baseUrl: () => string;
  getApiKey: () => Promise<string | undefined>;
  /** Whole-attempt deadline (connect, wait and download); default 60 s. */
  timeoutMs?: () => number;
  limiter: RateLimiter;
  /** One entry per attempt; never the key or headers. */
  log?: (e: RequestLogEntry) => void;
  /** Retries after 429, 5xx and network failures; default 4. */
  maxRetries?: number;
  userAgent?: string;
  /** Rows at which a stream counts as truncated; default 5,000 (affiliate keys). */
  cap?: number;
  /**
   * Exponential backoff with full jitter: a wait drawn from [0, min(capMs, baseMs·2^(n−1))).
   * Defaults 500 ms and 8 s; tests shorten them and may fix `random`.
   */
  backoff?: { baseMs?: number; capMs?: number; random?: () => number };
}

export interface CallOptions {
  signal?: AbortSignal;
  priority?: Priority;
}

export const STREAM_PATH = '/v1/affiliates/reporting/clicks/stream';
export const CLICK_PATH = '/v1/affiliates/reporting/clicks/';
export const TIMEZONES_PATH = '/v1/meta/timezones';
export const CONVERSIONS_PATH = '/v1/affiliates/reporting/conversions';

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_CAP = 5000;
/** A 5,000-row stream is about 15 MB; the margin covers fatter rows without allowing anything. */
const MAX_RESPONSE_BYTES = 100 * 1024 * 1024;
/** Header values must be visible ASCII; anything else would make Node throw mid-request. */
const KEY_RE = /^[\x21-\x7e]+$/;

interface Call<T> {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  signal?: AbortSignal;
  priority: Priority;
  /** A candidate key (checkKey); otherwise the stored one. */
  key?: string;
  parse: (body: unknown) => T;
  rows?: (result: T) => number;
  /** Given the body text of the response that was parsed, as received (for "Open as JSON"). */
  received?: (text: string, status: number) => void;
}

/**
 * Every status is classified here, and the body is parsed here, so that malformed JSON and HTML error
 * pages become typed errors rather than axios' silent string fallback. A redirect could carry the key
 * header to another host; Everflow does not redirect.
 */
const HTTP_CONFIG: CreateAxiosDefaults = {
  validateStatus: () => true,
  responseType: 'text',
  transformResponse: [(data: unknown) => data],
  maxContentLength: MAX_RESPONSE_BYTES,
  maxBodyLength: 1024 * 1024,
  maxRedirects: 0,
};

export class EverflowClient {
  /** Made on the first request: loading axios (and the HTTP stack under it) is left out of activation. */
  private http: Promise<AxiosInstance> | undefined;
  private readonly maxRetries: number;
  private readonly cap: number;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly random: () => number;

  constructor(private readonly opts: ClientOptions) {
    this.maxRetries = Math.max(0, Math.floor(opts.maxRetries ?? 4));
    this.cap = opts.cap ?? DEFAULT_CAP;
    this.baseMs = opts.backoff?.baseMs ?? 500;
    this.capMs = opts.backoff?.capMs ?? 8000;
    this.random = opts.backoff?.random ?? Math.random;
  }

  private httpClient(): Promise<AxiosInstance> {
    // A dynamic import resolves axios' ESM typings, the static type import its CJS ones: the same object.
    this.http ??= import('axios').then(({ default: axios }) => (axios as unknown as AxiosStatic).create(HTTP_CONFIG));
    return this.http;
  }

  /** Runs a click stream. Invalid requests are rejected before anything is sent. */
  async streamClicks(req: StreamRequest, opts: CallOptions = {}): Promise<StreamResult> {
    const problems = validateStreamRequest(req);
    if (problems.length > 0) {
      throw new EverflowError('invalidRequest', `The click stream request has ${problems.length} problem(s).`, { problems });
    }
    const started = performance.now();
    const cap = this.cap;
    const body = normalizeRequest(req);
    const exchange: ApiExchange = { method: 'POST', path: STREAM_PATH, body };
    const result = await this.send({
      method: 'POST',
      path: STREAM_PATH,
      body,
      signal: opts.signal,
      priority: opts.priority ?? 'normal',
      parse: (b) => parseStreamResponse(b, cap),
      rows: (r) => r.rows.length,
      received: (text, status) => Object.assign(exchange, { status, response: text }),
    });
    return { rows: result.rows, truncated: result.truncated, cap, durationMs: Math.round(performance.now() - started), exchanges: [exchange] };
  }

  /** One click by its 32-character transaction id; a missing click is EverflowError `notFound`. */
  async getClick(transactionId: string, opts: CallOptions = {}): Promise<Click> {
    const id = typeof transactionId === 'string' ? transactionId.trim() : '';
    if (!isTransactionId(id)) {
      const message = 'A transaction id is 32 hexadecimal characters (0-9 and a-f), like 410da86457f54ae388a871d54a33275b.';
      throw new EverflowError('invalidRequest', message, { problems: [{ field: 'transactionId', message }] });
    }
    const path = CLICK_PATH + encodeURIComponent(id);
    let exchange: ApiExchange | undefined;
    const click = await this.send({
      method: 'GET',
      path,
      signal: opts.signal,
      priority: opts.priority ?? 'interactive',
      parse: parseClickResponse,
      rows: () => 1,
      received: (text, status) => (exchange = { method: 'GET', path, status, response: text }),
    });
    if (exchange) sentExchanges.set(click, exchange);
    return click;
  }

  /**
   * One page of the conversion report, unvalidated (conversions/fetch.ts validates and pages). `page` and
   * `page_size` go in the query string (the endpoint's own page) and in the body (Everflow's generic guide
   * for POST endpoints): each server reads the one it knows. Failures carry the `conversions` topic.
   */
  async conversionPage(body: ConversionRequest, page: number, pageSize: number, opts: CallOptions = {}): Promise<{ page: ConversionPage; exchange: ApiExchange }> {
    const path = `${CONVERSIONS_PATH}?page=${page}&page_size=${pageSize}`;
    const sent = { ...body, page, page_size: pageSize };
    const exchange: ApiExchange = { method: 'POST', path, body: sent };
    try {
      const result = await this.send({
        method: 'POST',
        path,
        body: sent,
        signal: opts.signal,
        priority: opts.priority ?? 'normal',
        parse: parseConversionPage,
        rows: (r) => r.rows.length,
        received: (text, status) => Object.assign(exchange, { status, response: text }),
      });
      return { page: result, exchange };
    } catch (e) {
      throw withTopic(e, 'conversions');
    }
  }

  /** One conversion by its id (`conversion_id` or the older integer id); a missing one is `notFound`. */
  async getConversion(conversionId: string, opts: CallOptions = {}): Promise<Conversion> {
    const id = typeof conversionId === 'string' ? conversionId.trim() : '';
    if (id === '' || id.length > 200) {
      const message = 'A conversion id is needed (the conversion_id Everflow reports).';
      throw new EverflowError('invalidRequest', message, { problems: [{ field: 'conversionId', message }] });
    }
    try {
      return await this.send({
        method: 'GET',
        path: `${CONVERSIONS_PATH}/${encodeURIComponent(id)}`,
        signal: opts.signal,
        priority: opts.priority ?? 'interactive',
        parse: parseConversionResponse,
        rows: () => 1,
      });
    } catch (e) {
      throw withTopic(e, 'conversions');
    }
  }

  async listTimezones(opts: { signal?: AbortSignal } = {}): Promise<Timezone[]> {
    return this.send({
      method: 'GET',
      path: TIMEZONES_PATH,
      signal: opts.signal,
      priority: 'interactive',
      parse: parseTimezones,
      rows: (r) => r.length,
    });
  }

  /**
   * Proves a candidate key before it is saved, with a real, cheap authenticated call: a stream over
   * two seconds of yesterday (UTC). Not the timezone list: a network key reads that fine but gets
   * 403 on every affiliate path. Resolves when the key works; throws EverflowError `unauthorized`,
   * `forbidden`, … when it does not.
   */
  async checkKey(key: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    const candidate = typeof key === 'string' ? key.trim() : '';
    if (candidate === '') throw new EverflowError('unauthorized', 'No API key was entered.');
    const day = new Date(Date.now() - 86_400_000);
    const at = { y: day.getUTCFullYear(), mo: day.getUTCMonth() + 1, d: day.getUTCDate(), h: 0, mi: 0, s: 0 };
    const body: StreamRequest = { from: formatEverflowDate(at), to: formatEverflowDate({ ...at, s: 1 }), timezone_id: UTC_TIMEZONE_ID };
    const cap = this.cap;
    await this.send({
      method: 'POST',
      path: STREAM_PATH,
      body,
      signal: opts.signal,
      priority: 'interactive',
      key: candidate,
      parse: (b) => parseStreamResponse(b, cap),
    });
  }

  private async send<T>(call: Call<T>): Promise<T> {
    const { signal } = call;
    if (signal?.aborted) throw cancelledError();
    // The URL is checked before the key is read: reading it may ask the user to trust the host.
    const first = checkBaseUrl(this.opts.baseUrl());
    if (!first.ok) throw new EverflowError('invalidRequest', first.message);
    const key = call.key ?? (await this.opts.getApiKey())?.trim();
    if (!key) throw new EverflowError('unauthorized', 'No Everflow API key is set. Run "Everflow: Set API Key" first.');
    if (!KEY_RE.test(key)) {
      throw new EverflowError('unauthorized', 'The API key contains spaces or characters that cannot be sent; paste the key again.');
    }
    for (let attempt = 1; ; attempt++) {
      const base = attempt === 1 ? first : checkBaseUrl(this.opts.baseUrl());
      if (!base.ok) throw new EverflowError('invalidRequest', base.message);
      if (signal?.aborted) throw cancelledError();
      const grant = await this.opts.limiter.acquire({ signal, priority: call.priority });
      let outcome: { ok: true; value: T } | { ok: false; error: EverflowError };
      try {
        outcome = { ok: true, value: await this.attempt(call, base.url, key, attempt, grant) };
      } catch (e) {
        if (!(e instanceof EverflowError)) throw e;
        outcome = { ok: false, error: e };
      }
      if (outcome.ok) return outcome.value;
      const error = outcome.error;
      // Timeouts are not retried: a window that took longer than the timeout will most likely do
      // so again, and four more tries would keep the user waiting for minutes. They can retry.
      const retry = attempt <= this.maxRetries && (error.reason === 'rateLimited' || error.reason === 'server' || (error.reason === 'network' && error.retryable));
      if (!retry) throw error;
      // After a 429 the limiter holds every request of this window (not just this one) until the
      // account's bucket is expected to be refilled, and lets one probe through; its wait is the backoff.
      if (error.reason === 'rateLimited') continue;
      const delay = this.random() * Math.min(this.capMs, this.baseMs * 2 ** (attempt - 1));
      await sleepOrCancel(delay, signal);
    }
  }

  /** One HTTP exchange: send, classify, parse, log. Throws EverflowError only. */
  private async attempt<T>(call: Call<T>, baseUrl: string, key: string, attempt: number, grant?: Grant): Promise<T> {
    const started = performance.now();
    const timeoutMs = Math.max(1, this.opts.timeoutMs?.() ?? DEFAULT_TIMEOUT_MS);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort();
    call.signal?.addEventListener('abort', onAbort, { once: true });
    const entry: RequestLogEntry = { method: call.method, path: call.path, durationMs: 0, attempt };
    try {
      let res: AxiosResponse<unknown>;
      try {
        const http = await this.httpClient();
        res = await http.request({
          url: baseUrl + call.path,
          method: call.method,
          data: call.body === undefined ? undefined : JSON.stringify(call.body),
          headers: {
            'X-Eflow-API-Key': key,
            Accept: 'application/json',
            ...(call.body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...(this.opts.userAgent ? { 'User-Agent': this.opts.userAgent } : {}),
          },
          signal: controller.signal,
        });
      } catch (e) {
        this.opts.limiter.settle(grant, {});
        throw transportFailure(e, { timedOut, cancelled: !!call.signal?.aborted, timeoutMs, maxBytes: MAX_RESPONSE_BYTES });
      }
      entry.status = res.status;
      this.opts.limiter.settle(grant, {
        status: res.status,
        limit: headerNumber(res.headers['x-ratelimit-limit']),
        remaining: headerNumber(res.headers['x-ratelimit-remaining']),
        retryAfterMs: retryAfterMs(res.headers['retry-after']),
      });
      const text = typeof res.data === 'string' ? res.data : '';
      const contentType = typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : undefined;
      const reason = reasonForStatus(res.status);
      if (reason) throw statusFailure(reason, res.status, text, contentType, key, res.headers['location']);
      const value = call.parse(parseJson(text, contentType, res.status, key));
      if (call.rows) entry.rows = call.rows(value);
      call.received?.(text, res.status);
      return value;
    } catch (e) {
      const error =
        e instanceof EverflowError
          ? e
          : new EverflowError('invalidResponse', redact(`the response could not be read (${e instanceof Error ? e.message : String(e)})`, key));
      entry.reason = error.reason;
      entry.message = redact(error.serverMessage ? `${error.message}: ${error.serverMessage}` : error.message, key);
      throw error;
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
      entry.durationMs = Math.round(performance.now() - started);
      this.emit(entry);
    }
  }

  private emit(entry: RequestLogEntry): void {
    try {
      this.opts.log?.(entry);
    } catch {
      // A broken logger must not turn a good response into a failure.
    }
  }
}

/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
function retryAfterMs(v: unknown): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s !== 'string' || s.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * The exchange each looked-up click came from. A click is the only thing `getClick` returns, and it
 * travels through the look-up cache to hovers, the palette and bulk look-ups; a weak map lets the
 * response ride along without changing any of them, and goes when the click does.
 */
const sentExchanges = new WeakMap<Click, ApiExchange>();

/** The request and response a click returned by `getClick` came from, when this process still has it. */
export function exchangeOfClick(click: Click): ApiExchange | undefined {
  return sentExchanges.get(click);
}

function headerNumber(v: unknown): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s !== 'string' && typeof s !== 'number') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Waits `ms`, or rejects with `cancelled` as soon as `signal` aborts. */
function sleepOrCancel(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
