// The local Everflow sandbox: a real HTTP server on loopback serving the affiliate raw-clicks API
// from deterministic generated data, with knobs for response variants and injected faults.
// Used by unit tests, the integration harness (through the /__sandbox/ control API), the demo and
// the benchmarks.

import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Account, ApiState, RateLimiter, bucketOf, classify, handleApi, hugeRow, rateHeaders } from './api';
import { ClickSource, DAY_SECONDS, isoDay, isServed, newAttrs } from './clicks';
import { ConversionRecord, ConversionSource, buildConversionRow, parseConversionRequest } from './conversions';
import { FaultContext, MANGLING_FAULTS, sendFault, sendMangled, takeFault } from './faults';
import { Knobs, KnobsPatch, defaultKnobs, frozenKnobs, mergeKnobs } from './knobs';
import { BadRequest, RETENTION_DAYS, findMatches, parseStreamRequest, unpackHit } from './query';
import { jsonReply, readBody, sendReply, sleep } from './reply';
import { hash32 } from './rng';

export type { Fault, FaultKind, FaultPath, Knobs, KnobsPatch, RateLimitKnobs } from './knobs';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. The control API needs no key, so keep this on loopback. */
  host?: string;
  /** Seeds all generated data and ids (default 1). */
  seed?: number;
  /** A fixed clock, for data that does not move between runs; default real time. */
  now?: Date;
  knobs?: KnobsPatch;
}

/** A stream request body (typed loosely: tests also send malformed ones). */
export interface CountRequest {
  from: string;
  to: string;
  timezone_id: number;
  query?: unknown;
}

/** A conversion report body (typed loosely, like CountRequest). */
export interface ConversionCountRequest {
  from: string;
  to: string;
  timezone_id: number;
  show_conversions?: boolean;
  show_events?: boolean;
  query?: unknown;
}

/**
 * Which converted clicks `convertedSampleIds` picks: 'any'; by the delay of the first base conversion:
 * 'minutes' (< 1 h), 'hours' (< 1 day), 'days' (≤ 30 days), 'late' (over 30 days, outside a 30-day window;
 * use daysAgo ≥ 61 to be sure it exists); 'events' (has post-conversion events); 'multiple' (≥ 2 base
 * conversions); 'none' (not converted at all).
 */
export type ConvertedKind = 'any' | 'minutes' | 'hours' | 'days' | 'late' | 'events' | 'multiple' | 'none';

export interface RequestLogItem {
  method: string;
  path: string;
  /** 0 until answered, and for requests that got no HTTP response (dropped, hung). */
  status: number;
  at: number;
  apiKey?: string;
}

export interface Sandbox {
  url: string;
  port: number;
  /** `sameAccount` is a second key of the `valid` key's account: it shares that account's rate limit. */
  keys: { valid: string; second: string; forbidden: string; sameAccount: string };
  /** The current knobs (a frozen copy; change them with setKnobs). */
  readonly knobs: Readonly<Knobs>;
  setKnobs(p: KnobsPatch): void;
  resetKnobs(): void;
  /** Every Everflow API request in arrival order (control-API requests are not logged). */
  requestLog: RequestLogItem[];
  /** Requests the simulated other client of `rateLimit.otherClientShare` made since the last reset. */
  otherClientRequests(): number;
  /** Ids of clicks that exist on the UTC day `daysAgo` days before now (default 1, yesterday). */
  sampleIds(n: number, opts?: { daysAgo?: number }): string[];
  /** An id (yesterday's) whose row carries every kind of hostile string. */
  hostileSampleId(): string;
  /** How many clicks match a stream request for the demo account, ignoring the cap. */
  countClicks(req: CountRequest): number;
  /** The transaction ids of every click matching a stream request for the demo account, ignoring the cap. */
  matchingIds(req: CountRequest): string[];
  /** How many conversions (and events, with `show_events`) a conversion report body matches for the demo account, over all pages. */
  countConversions(req: ConversionCountRequest): number;
  /**
   * Ids of demo clicks on the UTC day `daysAgo` days before now (default 1), then earlier days as needed,
   * with conversions of a kind that exist by now (see ConvertedKind); spread over each day. 'none': served,
   * accepted, non-hostile clicks with no conversion, ever.
   */
  convertedSampleIds(n: number, opts?: { daysAgo?: number; kind?: ConvertedKind }): string[];
  /** The wire rows of a demo click's conversions and events that exist by now, in time order ([] for none or an unknown id). */
  conversionsOf(transactionId: string): Record<string, unknown>[];
  close(): Promise<void>;
}

/** Fixed keys, so docs, demos and manual testing can use them as written. */
export const SANDBOX_KEYS = {
  valid: 'sbxDemoAffiliateKey0001',
  second: 'sbxSecondAffiliateKey02',
  forbidden: 'sbxNetworkKeyOutOfRealm',
  sameAccount: 'sbxDemoAffiliateKey0002',
} as const;

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const seed = opts.seed ?? 1;
  const fixedNow = opts.now?.getTime();
  const initialKnobs = (): Knobs => mergeKnobs(defaultKnobs(), opts.knobs ?? {});
  const demo = new ClickSource(hash32(seed, 1), 1, 7);
  const second = new ClickSource(hash32(seed, 2), 2, 12);
  const demoConversions = new ConversionSource(demo);
  const accounts = new Map<string, Account>([
    [SANDBOX_KEYS.valid, { name: 'valid', key: SANDBOX_KEYS.valid, kind: 'affiliate', source: demo, conversions: demoConversions }],
    [SANDBOX_KEYS.second, { name: 'second', key: SANDBOX_KEYS.second, kind: 'affiliate', source: second, conversions: new ConversionSource(second) }],
    [SANDBOX_KEYS.forbidden, { name: 'network', key: SANDBOX_KEYS.forbidden, kind: 'network' }],
    [SANDBOX_KEYS.sameAccount, { name: 'valid', key: SANDBOX_KEYS.sameAccount, kind: 'affiliate', source: demo, conversions: demoConversions }],
  ]);
  const state: ApiState = {
    knobs: initialKnobs(),
    now: () => fixedNow ?? Date.now(),
    accounts,
    limiter: new RateLimiter(),
    volume: (day) => state.knobs.dayVolumes[isoDay(day)] ?? state.knobs.clicksPerDay,
  };
  const requestLog: RequestLogItem[] = [];
  const hung = new Set<ServerResponse>();
  const today = (): number => Math.floor(state.now() / 1000 / DAY_SECONDS);

  const sampleIds = (n: number, o: { daysAgo?: number } = {}): string[] => {
    const day = today() - (o.daysAgo ?? 1);
    const vol = state.volume(day);
    if (n <= 0 || vol === 0) return [];
    const cols = demo.columns(day, vol);
    const nowSec = Math.floor(state.now() / 1000);
    const served: number[] = [];
    for (let i = 0; i < vol; i++) if (isServed(cols.ts[i], cols.converted[i] === 1, nowSec, RETENTION_DAYS)) served.push(i);
    // Spread over the day rather than the first n, so samples cover different hours and offers.
    const picked = served.length <= n ? served : Array.from({ length: n }, (_, k) => served[Math.floor(((k + 0.5) * served.length) / n)]);
    // The day's all-hostile click is always among three or more samples, so demos and tests meet it.
    const hostile = demo.hostileIndex(day, vol);
    if (n >= 3 && picked.length >= 3 && !picked.includes(hostile) && served.includes(hostile)) picked[picked.length - 1] = hostile;
    return picked.map((i) => demo.codec.encode(day, i));
  };

  const hostileSampleId = (): string => {
    for (let back = 1; back <= RETENTION_DAYS; back++) {
      const day = today() - back;
      const vol = state.volume(day);
      if (vol > 0) return demo.codec.encode(day, demo.hostileIndex(day, vol));
    }
    throw new Error('no clicks in the last 90 days: set clicksPerDay above 0');
  };

  /** Clicks of one UTC day matching `kind`, in index order. */
  const convertedOfDay = (day: number, kind: ConvertedKind, limit: number): number[] => {
    const vol = state.volume(day);
    if (vol === 0) return [];
    const nowSec = Math.floor(state.now() / 1000);
    const byIndex = new Map<number, ConversionRecord[]>();
    for (const r of demoConversions.ofDay(day, vol)) {
      if (r.ts > nowSec) continue;
      const list = byIndex.get(r.index);
      if (list) list.push(r);
      else byIndex.set(r.index, [r]);
    }
    if (kind !== 'none') return [...byIndex.keys()].filter((i) => isKind(byIndex.get(i)!, kind)).sort((x, y) => x - y);
    const cols = demo.columns(day, vol);
    const a = newAttrs();
    const found: number[] = [];
    for (let i = 0; i < vol && found.length < limit; i++) {
      if (cols.converted[i] === 1 || !isServed(cols.ts[i], false, nowSec, RETENTION_DAYS)) continue;
      demo.draw(day, i, vol, a);
      if (a.error === 0 && a.hostile === 0) found.push(i);
    }
    return found;
  };

  const convertedSampleIds = (n: number, o: { daysAgo?: number; kind?: ConvertedKind } = {}): string[] => {
    const kind = o.kind ?? 'any';
    const out: string[] = [];
    // Converted clicks are few (about 1 in 200) and some shapes rarer still: when the asked day has too
    // few, earlier days fill up the list (up to 60 days back), so tests always get what they ask for.
    for (let back = o.daysAgo ?? 1, tries = 0; out.length < n && tries <= 60; back++, tries++) {
      const day = today() - back;
      const found = convertedOfDay(day, kind, n * 20);
      const want = n - out.length;
      const picked = found.length <= want ? found : Array.from({ length: want }, (_, k) => found[Math.floor(((k + 0.5) * found.length) / want)]);
      for (const i of picked) out.push(demo.codec.encode(day, i));
    }
    return out;
  };

  const conversionsOf = (id: string): Record<string, unknown>[] => {
    const d = demo.codec.decode(id);
    if (!d) return [];
    const vol = state.volume(d.day);
    if (d.index >= vol) return [];
    return demoConversions.ofClick(d.day, d.index, vol, Math.floor(state.now() / 1000), state.knobs.conversions.busyOffer).map((r) => buildConversionRow(demoConversions, r, vol, state.knobs));
  };

  const stateBody = (): unknown => ({
    url: sandbox.url,
    keys: SANDBOX_KEYS,
    knobs: state.knobs,
    sampleIds: sampleIds(10),
    hostileSampleId: safe(hostileSampleId),
    // Integration tests inside VS Code pick converted clicks from here (yesterday's and older ones).
    convertedSampleIds: {
      any: convertedSampleIds(5),
      minutes: convertedSampleIds(3, { daysAgo: 2, kind: 'minutes' }),
      days: convertedSampleIds(3, { daysAgo: 20, kind: 'days' }),
      // Eight: a test needs one of a busy offer among them (lmToolsTrace.test.ts), whatever the date.
      late: convertedSampleIds(8, { daysAgo: 70, kind: 'late' }),
      events: convertedSampleIds(3, { daysAgo: 10, kind: 'events' }),
      multiple: convertedSampleIds(3, { daysAgo: 20, kind: 'multiple' }),
      none: convertedSampleIds(3, { kind: 'none' }),
    },
    requestCount: requestLog.length,
    otherClientRequests: state.limiter.otherClientRequests,
    // The last requests, without their keys: tests inside VS Code count retries per path with these.
    requests: requestLog.slice(-500).map(({ method, path, status, at, apiKey }) => ({ method, path, status, at, keyed: apiKey !== undefined })),
  });

  const control = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (req.method === 'GET' && path === '/__sandbox/state') return sendReply(res, jsonReply(200, stateBody()));
    if (req.method === 'POST' && path === '/__sandbox/reset') {
      state.knobs = initialKnobs();
      state.limiter.reset();
      requestLog.length = 0;
      return sendReply(res, jsonReply(200, { ok: true, knobs: state.knobs }));
    }
    if (req.method === 'POST' && path === '/__sandbox/knobs') {
      try {
        state.knobs = mergeKnobs(state.knobs, JSON.parse((await readBody(req)) || '{}'));
      } catch (err) {
        return sendReply(res, jsonReply(400, { error: (err as Error).message }));
      }
      return sendReply(res, jsonReply(200, state.knobs));
    }
    sendReply(res, jsonReply(404, { error: `No sandbox control route ${req.method} ${path}` }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    if (path.startsWith('/__sandbox/')) return control(req, res, path);
    // Node lower-cases header names, so X-Eflow-API-Key matches in any casing.
    const rawKey = req.headers['x-eflow-api-key'];
    const apiKey = Array.isArray(rawKey) ? rawKey[0] : rawKey;
    const entry: RequestLogItem = { method, path, status: 0, at: Date.now(), ...(apiKey !== undefined ? { apiKey } : {}) };
    requestLog.push(entry);
    const body = await readBody(req);
    if (state.knobs.latencyMs > 0) await sleep(state.knobs.latencyMs);
    const cls = classify(method, path);
    if (cls === 'conversions' && state.knobs.conversions.latencyMs > 0) await sleep(state.knobs.conversions.latencyMs);
    if (res.destroyed) return;

    const kind = takeFault(state.knobs, cls);
    if (kind && !MANGLING_FAULTS.has(kind)) {
      const remaining = state.limiter.peek(bucketOf(state, apiKey), Date.now(), state.knobs.rateLimit);
      const ctx: FaultContext = { knobs: state.knobs, rateHeaders: rateHeaders(state, remaining), hugeRow: (k) => hugeRow(state, demo, k), hung, apiKey };
      entry.status = await sendFault(res, kind, ctx);
      return;
    }
    const reply = handleApi(state, method, path, apiKey, body, url.searchParams);
    entry.status = kind ? sendMangled(res, reply, kind) : (sendReply(res, reply), reply.status);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the sandbox should show up as a 500 with the reason, not as a hung test.
      if (!res.headersSent) sendReply(res, jsonReply(500, { error: `sandbox error: ${(err as Error).stack ?? String(err)}` }));
      else res.destroy();
    });
  });
  // Keep-alive sockets would otherwise hold close() open.
  server.keepAliveTimeout = 5_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const sandbox: Sandbox = {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    keys: { ...SANDBOX_KEYS },
    get knobs() {
      return frozenKnobs(state.knobs);
    },
    setKnobs(p) {
      state.knobs = mergeKnobs(state.knobs, p);
    },
    resetKnobs() {
      state.knobs = initialKnobs();
      state.limiter.reset();
    },
    requestLog,
    otherClientRequests: () => state.limiter.otherClientRequests,
    sampleIds,
    hostileSampleId,
    countClicks(req) {
      try {
        return findMatches(demo, parseStreamRequest(req), state.volume, Math.floor(state.now() / 1000)).length;
      } catch (err) {
        if (err instanceof BadRequest) throw new Error(`countClicks: ${err.message}`);
        throw err;
      }
    },
    matchingIds(req) {
      return findMatches(demo, parseStreamRequest(req), state.volume, Math.floor(state.now() / 1000)).map((h) => {
        const { day, index } = unpackHit(h);
        return demo.codec.encode(day, index);
      });
    },
    countConversions(req) {
      try {
        return demoConversions.find(parseConversionRequest(req, Math.floor(state.now() / 1000)), state.volume, Math.floor(state.now() / 1000), state.knobs.conversions.busyOffer).length;
      } catch (err) {
        if (err instanceof BadRequest) throw new Error(`countConversions: ${err.message}`);
        throw err;
      }
    },
    convertedSampleIds,
    conversionsOf,
    close() {
      return new Promise<void>((resolve) => {
        for (const res of hung) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return sandbox;
}

const HOUR = 3600;

function isKind(records: ConversionRecord[], kind: ConvertedKind): boolean {
  const bases = records.filter((r) => r.event === '');
  const first = bases[0];
  if (!first) return false;
  const delay = first.ts - first.clickTs;
  switch (kind) {
    case 'minutes': return delay < HOUR;
    case 'hours': return delay >= HOUR && delay < DAY_SECONDS;
    case 'days': return delay >= DAY_SECONDS && delay <= 30 * DAY_SECONDS;
    case 'late': return delay > 30 * DAY_SECONDS;
    case 'events': return records.some((r) => r.event !== '');
    case 'multiple': return bases.length >= 2;
    default: return true;
  }
}

function safe(f: () => string): string | null {
  try {
    return f();
  } catch {
    return null;
  }
}
