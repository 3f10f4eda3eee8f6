// The Everflow endpoints themselves: key checks, rate limiting, the click stream, look-up by id and
// the timezone list. Each handler returns a Reply; the server decides how (or whether) it is sent.

import { ClickSource, DAY_SECONDS, isServed, newAttrs } from './clicks';
import type { PathClass } from './faults';
import type { Knobs } from './knobs';
import { BadRequest, RETENTION_DAYS, applyCap, findMatches, parseStreamRequest, unpackHit } from './query';
import { Reply, errorReply, jsonReply } from './reply';
import { hash32, hashString } from './rng';
import { timezoneList } from './timezones';
import { buildRow } from './wire';

export interface Account {
  name: 'valid' | 'second' | 'network';
  key: string;
  /** Network keys are known but "out of realm" on affiliate paths. */
  kind: 'affiliate' | 'network';
  source?: ClickSource;
}

/** Rolling one-second windows per account: Everflow limits the customer, not the single request. */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  /** Records a request unless it is over the limit and the limit is enforced. */
  hit(bucket: string, nowMs: number, limit: number, enforce: boolean): { allowed: boolean; remaining: number } {
    const w = this.prune(bucket, nowMs);
    if (enforce && w.length >= limit) return { allowed: false, remaining: 0 };
    w.push(nowMs);
    return { allowed: true, remaining: Math.max(0, Math.floor(limit - w.length)) };
  }

  peek(bucket: string, nowMs: number, limit: number): number {
    return Math.max(0, Math.floor(limit - this.prune(bucket, nowMs).length));
  }

  reset(): void {
    this.windows.clear();
  }

  private prune(bucket: string, nowMs: number): number[] {
    let w = this.windows.get(bucket);
    if (!w) this.windows.set(bucket, (w = []));
    while (w.length > 0 && w[0] <= nowMs - 1000) w.shift();
    return w;
  }
}

export interface ApiState {
  knobs: Knobs;
  /** The sandbox clock (fixed in tests, real time otherwise), in ms. */
  now: () => number;
  accounts: Map<string, Account>;
  limiter: RateLimiter;
  /** Clicks on a UTC day, after `dayVolumes` overrides. */
  volume: (day: number) => number;
}

const STREAM = /^\/v1\/affiliates\/reporting\/clicks\/stream\/?$/;
const CLICK = /^\/v1\/affiliates\/reporting\/clicks\/([^/]+)\/?$/;
const TIMEZONES = /^\/v1\/meta\/timezones\/?$/;
const NETWORK = /^\/v1\/networks\/reporting\/clicks\/[^/]+\/?$/;

export function classify(method: string, path: string): PathClass {
  if (method === 'POST' && STREAM.test(path)) return 'stream';
  if (method === 'GET' && TIMEZONES.test(path)) return 'timezones';
  if (method === 'GET' && CLICK.test(path)) return 'click';
  return 'other';
}

export function rateHeaders(state: ApiState, remaining: number): Record<string, string> {
  const rl = state.knobs.rateLimit;
  return rl.headers ? { 'X-RateLimit-Limit': String(rl.perSecond), 'X-RateLimit-Remaining': String(remaining) } : {};
}

export function bucketOf(state: ApiState, apiKey: string | undefined): string {
  return (apiKey !== undefined && state.accounts.get(apiKey)?.name) || 'anonymous';
}

/** Answers one Everflow API request. */
export function handleApi(state: ApiState, method: string, path: string, apiKey: string | undefined, body: string): Reply {
  const { knobs } = state;
  const account = apiKey === undefined ? undefined : state.accounts.get(apiKey);
  // Real time, not the sandbox clock: a fixed `now` must not freeze the rolling window.
  const rl = state.limiter.hit(bucketOf(state, apiKey), Date.now(), knobs.rateLimit.perSecond, knobs.rateLimit.enforce);
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
  const picked = applyCap(hits, state.knobs, hash32(source.seed, hashString(text)));
  const scratch = newAttrs();
  const rows = picked.map((h) => {
    const { day, index } = unpackHit(h);
    return buildRow(source, day, index, state.volume(day), state.knobs, scratch);
  });
  const key = state.knobs.responseKey;
  return key === 'bare' ? rows : { [key]: rows };
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
