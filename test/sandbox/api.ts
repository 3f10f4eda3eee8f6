// The Everflow endpoints themselves: key checks, rate limiting, the click stream, look-up by id and
// the timezone list. Each handler returns a Reply; the server decides how (or whether) it is sent.

import { ClickSource, DAY_SECONDS, isServed, newAttrs } from './clicks';
import { ConversionSource, DEFAULT_PAGE_SIZE, buildConversionRow, parseConversionRequest } from './conversions';
import type { PathClass } from './faults';
import type { Knobs, RateLimitKnobs } from './knobs';
import { BadRequest, RETENTION_DAYS, applyCap, findMatches, parseStreamRequest, unpackHit } from './query';
import { Reply, errorReply, jsonReply } from './reply';
import { hash32, hashString } from './rng';
import { timezoneList } from './timezones';
import { buildRow } from './wire';

export interface Account {
  /** The customer: keys with the same name share one rate-limit bucket. */
  name: 'valid' | 'second' | 'network';
  key: string;
  /** Network keys are known but "out of realm" on affiliate paths. */
  kind: 'affiliate' | 'network';
  source?: ClickSource;
  /** The conversions of `source`'s clicks (shared by every key of the account). */
  conversions?: ConversionSource;
}

/**
 * Everflow's limit per customer (account), shared by every key of it: a bucket of
 * `perWindow` requests that is refilled every `windowMs` (30 s), and at most `perSecond` requests in
 * any rolling second. Windows are fixed (aligned to multiples of `windowMs` since the epoch). Another
 * client of the same account (`otherClientShare`) spends its share of each window's bucket the
 * moment the window begins, as an AI agent or a second tool might.
 */
export class RateLimiter {
  private readonly seconds = new Map<string, number[]>();
  private readonly windows = new Map<string, { index: number; used: number; other: number }>();
  /** Requests the simulated other client made, in total. */
  otherClientRequests = 0;

  /** Records a request unless it is over a limit and limits are enforced. */
  hit(bucket: string, nowMs: number, rl: RateLimitKnobs): { allowed: boolean; remaining: number } {
    const w = this.prune(bucket, nowMs);
    const win = this.window(bucket, nowMs, rl);
    const perWindow = windowLimit(rl);
    if (rl.enforce && (win.used >= perWindow || w.length >= rl.perSecond)) return { allowed: false, remaining: Math.max(0, perWindow - win.used) };
    w.push(nowMs);
    win.used++;
    return { allowed: true, remaining: Math.max(0, perWindow - win.used) };
  }

  /** What remains of the bucket, without spending any of it. */
  peek(bucket: string, nowMs: number, rl: RateLimitKnobs): number {
    return Math.max(0, windowLimit(rl) - this.window(bucket, nowMs, rl).used);
  }

  reset(): void {
    this.seconds.clear();
    this.windows.clear();
    this.otherClientRequests = 0;
  }

  private window(bucket: string, nowMs: number, rl: RateLimitKnobs): { index: number; used: number } {
    const index = Math.floor(nowMs / rl.windowMs);
    let win = this.windows.get(bucket);
    if (!win || win.index !== index) {
      win = { index, used: 0, other: 0 };
      this.windows.set(bucket, win);
    }
    // The other client takes its share as the window begins, or at once when it appears mid-window
    // (the knob was just set), as far as the bucket still holds it.
    const share = Math.round(rl.otherClientShare * windowLimit(rl));
    if (share > win.other) {
      const taken = Math.max(0, Math.min(share - win.other, windowLimit(rl) - win.used));
      win.used += taken;
      win.other = share;
      this.otherClientRequests += taken;
    }
    return win;
  }

  private prune(bucket: string, nowMs: number): number[] {
    let w = this.seconds.get(bucket);
    if (!w) this.seconds.set(bucket, (w = []));
    while (w.length > 0 && w[0] <= nowMs - 1000) w.shift();
    return w;
  }
}

/** The bucket's size per window: `perWindow`, or `perSecond` for every second of the window. */
export function windowLimit(rl: RateLimitKnobs): number {
  return rl.perWindow ?? Math.floor((rl.perSecond * rl.windowMs) / 1000);
}

export interface ApiState {
  knobs: Knobs;
  /** The sandbox clock (fixed in tests, real time otherwise), in ms. */
  now: () => number;
  accounts: Map<string, Account>;
  limiter: RateLimiter;
  /** Stream requests answered so far: 'shifting' truncation picks its mode from it. */
  streams?: number;
  /** Clicks on a UTC day, after `dayVolumes` overrides. */
  volume: (day: number) => number;
}

const STREAM = /^\/v1\/affiliates\/reporting\/clicks\/stream\/?$/;
const CLICK = /^\/v1\/affiliates\/reporting\/clicks\/([^/]+)\/?$/;
const TIMEZONES = /^\/v1\/meta\/timezones\/?$/;
const CONVERSIONS = /^\/v1\/affiliates\/reporting\/conversions\/?$/;
const CONVERSION = /^\/v1\/affiliates\/reporting\/conversions\/([^/]+)\/?$/;
const NETWORK = /^\/v1\/networks\/reporting\/clicks\/[^/]+\/?$/;

export function classify(method: string, path: string): PathClass {
  if (method === 'POST' && STREAM.test(path)) return 'stream';
  if (method === 'GET' && TIMEZONES.test(path)) return 'timezones';
  if ((method === 'POST' && CONVERSIONS.test(path)) || (method === 'GET' && CONVERSION.test(path))) return 'conversions';
  if (method === 'GET' && CLICK.test(path)) return 'click';
  return 'other';
}

export function rateHeaders(state: ApiState, remaining: number): Record<string, string> {
  const rl = state.knobs.rateLimit;
  return rl.headers ? { 'X-RateLimit-Limit': String(windowLimit(rl)), 'X-RateLimit-Remaining': String(remaining) } : {};
}

export function bucketOf(state: ApiState, apiKey: string | undefined): string {
  return (apiKey !== undefined && state.accounts.get(apiKey)?.name) || 'anonymous';
}

/** Answers one Everflow API request. */
export function handleApi(state: ApiState, method: string, path: string, apiKey: string | undefined, body: string, search = new URLSearchParams()): Reply {
  const { knobs } = state;
  const account = apiKey === undefined ? undefined : state.accounts.get(apiKey);
  // Real time, not the sandbox clock: a fixed `now` must not freeze the rolling window.
  const rl = state.limiter.hit(bucketOf(state, apiKey), Date.now(), knobs.rateLimit);
  const headers = rateHeaders(state, rl.remaining);
  const fail = (status: number, message: string): Reply => errorReply(knobs, status, message, headers, apiKey);

  const isNetwork = NETWORK.test(path) && (method === 'GET' || method === 'POST');
  const cls = classify(method, path);
  if (cls === 'other' && !isNetwork) return fail(404, `No route for ${method} ${path}`);
  if (!rl.allowed) return fail(429, 'Too many requests, slow down');
  if (apiKey === undefined || apiKey === '') return fail(401, 'Missing API key: send it in the X-Eflow-API-Key header');
  if (!account) return fail(401, 'Invalid API key');

  if (isNetwork) {
    if (account.kind === 'affiliate') return fail(403, 'Out of realm');
    return fail(501, 'The sandbox does not simulate the network API');
  }
  if (cls === 'timezones') return jsonReply(200, { timezones: timezoneList(state.now()) }, headers);
  if (account.kind !== 'affiliate' || !account.source) return fail(403, 'Out of realm');
  try {
    if (cls === 'conversions') {
      if (knobs.conversions.forbidden || !account.conversions) return fail(403, 'Conversion reporting is not available to this affiliate');
      if (method === 'GET') {
        const row = conversionById(state, account.conversions, decodeURIComponent(CONVERSION.exec(path)![1]));
        return row ? jsonReply(200, row, headers) : fail(404, 'Conversion not found');
      }
      const report = conversionReport(state, account.conversions, body, search);
      return report.failed ? fail(500, 'Internal Server Error') : jsonReply(200, report.body, headers);
    }
    if (cls === 'stream') return jsonReply(200, stream(state, account.source, body), headers);
    const row = lookUp(state, account.source, decodeURIComponent(CLICK.exec(path)![1]));
    return row ? jsonReply(200, row, headers) : fail(404, 'Click not found');
  } catch (err) {
    if (err instanceof BadRequest) return fail(400, err.message);
    throw err;
  }
}

function stream(state: ApiState, source: ClickSource, text: string): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequest('Request body is not valid JSON');
  }
  const q = parseStreamRequest(body);
  const hits = findMatches(source, q, state.volume, Math.floor(state.now() / 1000));
  // The same request gets the same "arbitrary" sample, which keeps tests reproducible.
  const picked = applyCap(hits, state.knobs, hash32(source.seed, hashString(text)), (state.streams = (state.streams ?? 0) + 1));
  const scratch = newAttrs();
  const rows = picked.map((h) => {
    const { day, index } = unpackHit(h);
    return buildRow(source, day, index, state.volume(day), state.knobs, scratch);
  });
  const key = state.knobs.responseKey;
  return key === 'bare' ? rows : { [key]: rows };
}

/** A page number or size from the query string (text) or the body (number or text); undefined when absent. */
function pageNumber(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isInteger(n) || n < 1) throw new BadRequest(`${name} must be a positive integer`);
  return n;
}

/** One page of the conversion report; `failed` when the `failPage` knob says this page breaks. */
function conversionReport(state: ApiState, conv: ConversionSource, text: string, search: URLSearchParams): { body?: unknown; failed?: boolean } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequest('Request body is not valid JSON');
  }
  const nowSec = Math.floor(state.now() / 1000);
  const q = parseConversionRequest(body, nowSec);
  const mode = state.knobs.conversions.paging;
  const b = body as Record<string, unknown>;
  const fromQuery = mode === 'body' ? {} : { page: pageNumber(search.get('page'), 'page'), size: pageNumber(search.get('page_size'), 'page_size') };
  const fromBody = mode === 'query' ? {} : { page: pageNumber(b.page, 'page'), size: pageNumber(b.page_size, 'page_size') };
  const page = fromQuery.page ?? fromBody.page ?? 1;
  // Everflow documents "typically 2000" as the maximum: a larger size is served as the maximum.
  const pageSize = Math.min(state.knobs.conversions.maxPageSize, fromQuery.size ?? fromBody.size ?? DEFAULT_PAGE_SIZE);
  if (state.knobs.conversions.failPage === page) return { failed: true };
  const all = conv.find(q, state.volume, nowSec, state.knobs.conversions.busyOffer);
  const rows = all.slice((page - 1) * pageSize, page * pageSize).map((r) => buildConversionRow(conv, r, state.volume(r.day), state.knobs));
  return { body: { conversions: rows, paging: { page, page_size: pageSize, total_count: all.length } } };
}

function conversionById(state: ApiState, conv: ConversionSource, id: string): Record<string, unknown> | undefined {
  const d = conv.decodeId(id);
  if (!d) return undefined;
  const n = state.volume(d.day);
  if (d.index >= n) return undefined;
  const r = conv.ofClick(d.day, d.index, n, Math.floor(state.now() / 1000), state.knobs.conversions.busyOffer).find((x) => x.seq === d.seq);
  return r ? buildConversionRow(conv, r, n, state.knobs) : undefined;
}

function lookUp(state: ApiState, source: ClickSource, id: string): Record<string, unknown> | undefined {
  const decoded = source.codec.decode(id);
  if (!decoded) return undefined;
  const n = state.volume(decoded.day);
  if (decoded.index >= n) return undefined;
  const a = newAttrs();
  const row = buildRow(source, decoded.day, decoded.index, n, state.knobs, a);
  return isServed(a.ts, a.converted, Math.floor(state.now() / 1000), RETENTION_DAYS) ? row : undefined;
}

/** The k-th filler row of a 'huge' fault body: real clicks, walking back from yesterday. */
export function hugeRow(state: ApiState, source: ClickSource, k: number): Record<string, unknown> {
  const today = Math.floor(state.now() / 1000 / DAY_SECONDS);
  const perDay = Math.max(1, state.volume(today - 1) || 2000);
  const day = today - 1 - Math.floor(k / perDay);
  return buildRow(source, day, k % perDay, perDay, state.knobs);
}
