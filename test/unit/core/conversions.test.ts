import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { CONVERSIONS_PATH, EverflowClient, type ClientOptions } from '../../../src/core/client';
import { fetchConversions, type ConversionPaging } from '../../../src/core/conversions/fetch';
import type { ConversionRequest } from '../../../src/core/conversions/types';
import { EverflowError, describeError } from '../../../src/core/errors';
import { RateLimiter, type Grant } from '../../../src/core/limiter';
import { HOSTILE_SHORT } from '../../sandbox/hostile';
import { startSandbox, type Sandbox } from '../../sandbox/server';

// fetchConversions and the client's conversion calls against the real sandbox over loopback: paging in
// both documented variants, the request count, id and status variants, rows consistent with the clicks,
// unknown and hostile fields, and every way a report can fail. Pure parsing and validation:
// conversionsParse.test.ts.

const NOW = new Date('2026-03-20T12:00:00Z');
const NOW_MS = NOW.getTime();
const TEN_DAYS: ConversionRequest = { from: '2026-03-10 00:00:00', to: '2026-03-19 23:59:59', timezone_id: 67, show_events: true };
const SMALL_PAGE = 25;

let sb: Sandbox;

/** Counts grants: proof that every request went through the shared limiter. */
class CountingLimiter extends RateLimiter {
  grants = 0;
  override acquire(o: { signal?: AbortSignal; priority?: 'normal' | 'interactive' }): Promise<Grant> {
    this.grants++;
    return super.acquire(o);
  }
}

function client(over: Partial<ClientOptions> = {}): EverflowClient {
  return new EverflowClient({
    baseUrl: () => sb.url,
    getApiKey: async () => sb.keys.valid,
    limiter: new RateLimiter({ perSecond: 1000 }),
    backoff: { baseMs: 1, capMs: 5 },
    ...over,
  });
}

const conversionRequests = (): number => sb.requestLog.filter((r) => r.path === CONVERSIONS_PATH).length;

async function failure(p: Promise<unknown>): Promise<EverflowError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof EverflowError, `expected an EverflowError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

before(async () => {
  sb = await startSandbox({ now: NOW });
});
after(async () => {
  await sb.close();
});
beforeEach(() => {
  sb.resetKnobs();
  sb.setKnobs({ rateLimit: { perSecond: 1000, enforce: false } });
  sb.requestLog.length = 0;
});
afterEach(() => sb.resetKnobs());

describe('fetchConversions: paging', () => {
  for (const paging of ['query', 'body', 'either'] as const) {
    it(`reads every page with page/page_size in the ${paging === 'either' ? 'query string or body' : paging}, in ⌈total / page size⌉ requests`, async () => {
      sb.setKnobs({ conversions: { paging } });
      const expected = sb.countConversions(TEN_DAYS);
      assert.ok(expected > SMALL_PAGE * 2, `${expected} conversions: enough for several pages`);
      const progress: ConversionPaging[] = [];
      const r = await fetchConversions(client(), TEN_DAYS, { pageSize: SMALL_PAGE, nowMs: NOW_MS, onPage: (p) => progress.push(p) });
      const pages = Math.ceil(expected / SMALL_PAGE);
      assert.equal(r.rows.length, expected);
      assert.equal(r.totalCount, expected);
      assert.equal(r.pages, pages);
      assert.equal(r.partial, false);
      assert.equal(conversionRequests(), pages);
      assert.equal(new Set(r.rows.map((c) => c.conversion_id)).size, expected, 'every row once');
      assert.deepEqual(progress.map((p) => p.page), Array.from({ length: pages }, (_, i) => i + 1));
      assert.ok(progress.every((p) => p.pages === pages && p.totalCount === expected));
      assert.equal(progress[progress.length - 1].rows, expected);
      // Each exchange is recorded as sent (paging in the path and the body) and never carries the key.
      assert.equal(r.exchanges!.length, pages);
      assert.equal(r.exchanges![1].path, `${CONVERSIONS_PATH}?page=2&page_size=${SMALL_PAGE}`);
      assert.deepEqual(r.exchanges![1].body, { ...TEN_DAYS, page: 2, page_size: SMALL_PAGE });
      assert.ok(!JSON.stringify(r.exchanges).includes(sb.keys.valid));
      assert.equal(JSON.parse(r.exchanges![0].response!).paging.total_count, expected);
    });
  }

  it('asks for 2000 a page by default: a report over most of a year takes ⌈conversions / 2000⌉ requests', async () => {
    const year: ConversionRequest = { from: '2025-04-01', to: '2026-03-20 23:59:59', timezone_id: 67, show_events: true };
    const expected = sb.countConversions(year);
    assert.ok(expected > 4000, `${expected} conversions`);
    const r = await fetchConversions(client(), year, { nowMs: NOW_MS });
    assert.equal(r.rows.length, expected);
    assert.equal(conversionRequests(), Math.ceil(expected / 2000));
    assert.match(r.exchanges![0].path, /page_size=2000$/);
  });

  it("a busy day's clicks (100,000) with their 30-day attribution window: ⌈conversions / 2000⌉ requests", async () => {
    sb.setKnobs({ dayVolumes: { '2026-02-10': 100_000 } });
    const window: ConversionRequest = { from: '2026-02-10 00:00:00', to: '2026-03-12 23:59:59', timezone_id: 67, show_events: true };
    const expected = sb.countConversions(window);
    assert.ok(expected > 500, `${expected} conversions`);
    const r = await fetchConversions(client(), window, { nowMs: NOW_MS });
    assert.equal(r.rows.length, expected);
    assert.equal(conversionRequests(), Math.ceil(expected / 2000));
  });

  it('never asks more than 2000 a page, and follows a server that serves fewer than asked', async () => {
    sb.setKnobs({ conversions: { maxPageSize: 40 } });
    const expected = sb.countConversions(TEN_DAYS);
    const r = await fetchConversions(client(), TEN_DAYS, { pageSize: 5000, nowMs: NOW_MS });
    assert.match(r.exchanges![0].path, /page_size=2000$/);
    assert.equal(JSON.parse(r.exchanges![0].response!).paging.page_size, 40);
    assert.equal(r.rows.length, expected);
    assert.equal(r.pages, Math.ceil(expected / 40));
    assert.equal(conversionRequests(), Math.ceil(expected / 40));
  });

  it('sends every page through the shared rate limiter', async () => {
    const limiter = new CountingLimiter({ perSecond: 1000 });
    const r = await fetchConversions(client({ limiter }), TEN_DAYS, { pageSize: SMALL_PAGE, nowMs: NOW_MS });
    assert.ok(r.pages > 1);
    assert.equal(limiter.grants, r.pages);
    assert.equal(limiter.grants, conversionRequests());
  });

  it('Cancel mid-paging resolves with the pages that arrived, marked partial', async () => {
    const controller = new AbortController();
    const r = await fetchConversions(client(), TEN_DAYS, {
      pageSize: SMALL_PAGE,
      nowMs: NOW_MS,
      signal: controller.signal,
      onPage: (p) => {
        if (p.page === 2) controller.abort();
      },
    });
    assert.equal(r.partial, true);
    assert.equal(r.pages, 2);
    assert.equal(r.rows.length, 2 * SMALL_PAGE);
    assert.ok(r.totalCount > 2 * SMALL_PAGE);
    assert.equal(conversionRequests(), 2);
  });

  it('maxPages is a hard limit: a report of more than 2,000 conversions stops there, marked capped, with the true total', async () => {
    const year: ConversionRequest = { from: '2025-04-01', to: '2026-03-20 23:59:59', timezone_id: 67, show_events: true };
    const expected = sb.countConversions(year);
    assert.ok(expected > 3 * 2000, `${expected} conversions: more pages than the limit`);
    const r = await fetchConversions(client(), year, { nowMs: NOW_MS, maxPages: 2 });
    assert.equal(conversionRequests(), 2);
    assert.equal(r.pages, 2);
    assert.equal(r.rows.length, 4000);
    assert.equal(r.totalCount, expected);
    assert.equal(r.capped, true);
    assert.equal(r.partial, false);
  });

  it('maxPages not reached: the whole report, not marked capped', async () => {
    const expected = sb.countConversions(TEN_DAYS);
    const pages = Math.ceil(expected / SMALL_PAGE);
    const r = await fetchConversions(client(), TEN_DAYS, { pageSize: SMALL_PAGE, nowMs: NOW_MS, maxPages: pages });
    assert.equal(r.rows.length, expected);
    assert.equal(r.capped, undefined);
    assert.equal(conversionRequests(), pages);
  });

  it('Cancel before the first page is the usual cancelled error', async () => {
    const controller = new AbortController();
    controller.abort();
    const e = await failure(fetchConversions(client(), TEN_DAYS, { signal: controller.signal, nowMs: NOW_MS }));
    assert.equal(e.reason, 'cancelled');
    assert.equal(conversionRequests(), 0);
  });
});

describe('fetchConversions: rows', () => {
  it('joins the clicks the stream and look-up return: same transaction id, click time, offer and subs', async () => {
    const c = client();
    const ids = sb.convertedSampleIds(4, { daysAgo: 5 });
    assert.ok(ids.length > 0);
    const r = await fetchConversions(c, { from: '2026-03-14 00:00:00', to: '2026-03-20 12:00:00', timezone_id: 67, show_events: true }, { nowMs: NOW_MS });
    for (const id of ids) {
      const click = await c.getClick(id);
      const mine = r.rows.filter((x) => x.transaction_id === id);
      assert.equal(mine.length, sb.conversionsOf(id).length, `all of ${id}'s conversions`);
      for (const conv of mine) {
        assert.equal(conv.click_unix_timestamp, click.unix_timestamp);
        assert.ok(conv.conversion_unix_timestamp > click.unix_timestamp);
        assert.equal(conv.offer_id, click.relationship.offer.network_offer_id);
        assert.equal(conv.sub1, click.sub1);
        assert.equal(conv.currency_id, click.currency_id);
      }
    }
  });

  it('events only with show_events, and always after a base conversion of the same click', async () => {
    const base = await fetchConversions(client(), { ...TEN_DAYS, show_events: false }, { nowMs: NOW_MS });
    assert.ok(base.rows.length > 0 && base.rows.every((c) => !c.is_event && c.event === ''));
    const all = await fetchConversions(client(), { from: '2026-01-01', to: '2026-03-20', timezone_id: 67, show_events: true }, { nowMs: NOW_MS });
    const events = all.rows.filter((c) => c.is_event);
    assert.ok(events.length > 0);
    for (const e of events) {
      assert.notEqual(e.event, '');
      const firstBase = sb.conversionsOf(e.transaction_id).find((x) => x.is_event === false);
      assert.ok(firstBase && (firstBase.conversion_unix_timestamp as number) < e.conversion_unix_timestamp, 'a base conversion came first');
    }
  });

  it('filters like the stream: offer and sub1 (either spelling), ANDed across types', async () => {
    const req: ConversionRequest = { ...TEN_DAYS, query: { filters: [{ resource_type: 'offer', filter_id_value: '882' }] } };
    const byOffer = await fetchConversions(client(), req, { nowMs: NOW_MS });
    assert.ok(byOffer.rows.length > 0);
    assert.equal(byOffer.rows.length, sb.countConversions(req));
    assert.ok(byOffer.rows.every((c) => c.offer_id === 882));
    const sub1 = byOffer.rows.find((c) => c.sub1 !== '')!.sub1;
    const both: ConversionRequest = { ...TEN_DAYS, query: { filters: [{ resource_type: 'offer', filter_id_value: '882' }, { resource_type: 'sub1', filter_id_value: sub1 }] } };
    const narrowed = await fetchConversions(client(), both, { nowMs: NOW_MS });
    assert.ok(narrowed.rows.length > 0 && narrowed.rows.length <= byOffer.rows.length);
    assert.ok(narrowed.rows.every((c) => c.offer_id === 882 && c.sub1 === sub1));
  });

  it('reads integer network_conversion_id and a status field when the server sends them', async () => {
    sb.setKnobs({ conversions: { idStyle: 'network', status: 'present' } });
    const r = await fetchConversions(client(), TEN_DAYS, { nowMs: NOW_MS });
    assert.ok(r.rows.length > 0);
    for (const c of r.rows) {
      assert.match(c.conversion_id, /^\d+$/);
      assert.ok(['approved', 'pending', 'rejected', 'invalid'].includes(c.status), c.status);
    }
    sb.setKnobs({ conversions: { idStyle: 'string', status: 'absent' } });
    const plain = await fetchConversions(client(), TEN_DAYS, { nowMs: NOW_MS });
    assert.equal(plain.rows.length, r.rows.length);
    assert.ok(plain.rows.every((c) => /^[0-9a-f]{32}$/.test(c.conversion_id) && c.status === ''));
  });

  it('reads rows whose empty keys were left out (no event, is_event, sub or zero revenue keys)', async () => {
    const full = await fetchConversions(client(), TEN_DAYS, { nowMs: NOW_MS });
    sb.setKnobs({ omitEmptyKeys: true });
    sb.requestLog.length = 0;
    const sparse = await fetchConversions(client(), TEN_DAYS, { nowMs: NOW_MS });
    const wire = JSON.parse(sparse.exchanges![0].response!).conversions as Array<Record<string, unknown>>;
    assert.ok(wire.some((c) => !('is_event' in c) && !('event' in c)), 'base conversions arrive without event keys');
    // Normalised, the two are the same rows, field for field (only `other` differs: the dropped keys).
    const strip = (rows: typeof full.rows): unknown[] => rows.map(({ other: _other, ...known }) => known);
    assert.deepEqual(strip(sparse.rows), strip(full.rows));
  });

  it('keeps unknown and hostile fields as sent, with __proto__ and markup keys as plain data', async () => {
    sb.setKnobs({ unknownFields: 'hostile' });
    const r = await fetchConversions(client(), TEN_DAYS, { nowMs: NOW_MS });
    const row = r.rows[0];
    assert.equal(Object.getPrototypeOf(row.other), null);
    assert.ok(Object.prototype.hasOwnProperty.call(row.other, '__proto__'));
    assert.deepEqual(row.other['__proto__'], { polluted: 'yes' });
    assert.equal(row.other['<img src=x onerror="alert(1)">'], '<script>alert("unknown field")</script>');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
    assert.equal(typeof row.other.session_user_ip, 'string', 'documented fields the row does not name are kept too');
    assert.ok(Object.prototype.hasOwnProperty.call(row.other, 'relationship'));
  });

  it('carries hostile order ids, coupons and user agents as text', async () => {
    const r = await fetchConversions(client(), { from: '2026-01-01', to: '2026-03-20', timezone_id: 67 }, { nowMs: NOW_MS });
    const hostile = r.rows.filter((c) => HOSTILE_SHORT.includes(c.order_id) || c.order_id.includes('<script>'));
    assert.ok(hostile.length > 0, 'some conversions carry hostile order ids');
    assert.ok(r.rows.some((c) => String(c.other.http_user_agent).length > 0));
    sb.setKnobs({ conversions: { hostile: false } });
    const clean = await fetchConversions(client(), { from: '2026-01-01', to: '2026-03-20', timezone_id: 67 }, { nowMs: NOW_MS });
    assert.equal(clean.rows.length, r.rows.length);
    assert.ok(clean.rows.every((c) => c.order_id === '' || /^ORD-\d+$/.test(c.order_id)));
  });

  it('looks one conversion up by id, and a made-up id is not found', async () => {
    const id = sb.convertedSampleIds(1, { daysAgo: 3 })[0];
    const sent = sb.conversionsOf(id)[0];
    const got = await client().getConversion(String(sent.conversion_id));
    assert.equal(got.conversion_id, sent.conversion_id);
    assert.equal(got.transaction_id, id);
    const e = await failure(client().getConversion('0123456789abcdef0123456789abcdef'));
    assert.equal(e.reason, 'notFound');
    assert.equal(e.topic, 'conversions');
  });
});

describe('fetchConversions: windows and failures', () => {
  it('accepts both date forms', async () => {
    const dates = await fetchConversions(client(), { from: '2026-03-10', to: '2026-03-19', timezone_id: 67 }, { nowMs: NOW_MS });
    const times = await fetchConversions(client(), { from: '2026-03-10 00:00:00', to: '2026-03-19 00:00:00', timezone_id: 67 }, { nowMs: NOW_MS });
    assert.ok(dates.rows.length > 0);
    assert.deepEqual(dates.rows.map((c) => c.conversion_id), times.rows.map((c) => c.conversion_id));
  });

  const refused: Array<[string, ConversionRequest, RegExp]> = [
    ['366 days back', { from: '2025-03-19', to: '2025-04-01', timezone_id: 67 }, /365 days/],
    ['a 13-month window', { from: '2025-04-01', to: '2026-05-01', timezone_id: 67 }, /one year/],
    ['from after to', { from: '2026-03-19', to: '2026-03-01', timezone_id: 67 }, /swap/],
    ['an ISO date', { from: '2026-03-01T00:00:00Z', to: '2026-03-02', timezone_id: 67 }, /2026-03-01 00:00:00/],
  ];
  for (const [name, req, message] of refused) {
    it(`refuses ${name} before sending anything`, async () => {
      const e = await failure(fetchConversions(client(), req, { nowMs: NOW_MS }));
      assert.equal(e.reason, 'invalidRequest');
      assert.match(describeError(e), message);
      assert.equal(conversionRequests(), 0);
    });
  }

  it("types Everflow's 400 for a window it refuses", async () => {
    // Sent without the client-side check, as a client with a wrong clock would.
    const e = await failure(client().conversionPage({ from: '2024-01-01', to: '2024-02-01', timezone_id: 67 }, 1, 2000));
    assert.equal(e.reason, 'badRequest');
    assert.equal(e.topic, 'conversions');
    assert.match(e.serverMessage ?? '', /365 days/);
    assert.match(describeError(e), /prior 365 days/);
  });

  it('a 403 says the network does not let this partner read its conversion report', async () => {
    sb.setKnobs({ conversions: { forbidden: true } });
    const e = await failure(fetchConversions(client(), TEN_DAYS, { nowMs: NOW_MS }));
    assert.equal(e.reason, 'forbidden');
    assert.match(describeError(e), /This partner account may not read its conversion report; the network controls that/);
    assert.equal(conversionRequests(), 1);
  });

  it('a page that keeps failing is a server error after the retries, and nothing partial is claimed', async () => {
    sb.setKnobs({ conversions: { failPage: 2 } });
    const e = await failure(fetchConversions(client({ maxRetries: 2 }), TEN_DAYS, { pageSize: SMALL_PAGE, nowMs: NOW_MS }));
    assert.equal(e.reason, 'server');
    assert.equal(e.status, 500);
    // Page 1 once, page 2 the first time and twice more.
    assert.equal(conversionRequests(), 1 + 3);
  });

  it('a malformed response is a typed invalidResponse, not a crash', async () => {
    sb.setKnobs({ fault: { kind: 'malformed-json', count: 1, path: 'conversions' } });
    const e = await failure(fetchConversions(client(), TEN_DAYS, { nowMs: NOW_MS }));
    assert.equal(e.reason, 'invalidResponse');
  });
});
