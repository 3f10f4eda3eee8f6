// The Everflow sandbox, tested over real HTTP on loopback: the contract the extension's client is
// built against (keys, timezones, stream validation and filters, cap, look-up, retention) and the
// failure modes it must survive. The clock is fixed so generated data is identical on every run.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sandbox, startSandbox } from '../sandbox/server';

const NOW = new Date('2026-03-15T12:00:00Z');
const DAY = { from: '2026-03-14 00:00:00', to: '2026-03-14 23:59:59', timezone_id: 67 };
const STREAM = '/v1/affiliates/reporting/clicks/stream';
const CLICK = '/v1/affiliates/reporting/clicks/';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sb: Sandbox;

before(async () => {
  sb = await startSandbox({ seed: 42, now: NOW });
});
after(async () => {
  await sb.close();
});
beforeEach(() => {
  sb.resetKnobs();
});

function keyHeader(key: string | null | undefined): Record<string, string> {
  return key === null ? {} : { 'X-Eflow-API-Key': key ?? sb.keys.valid };
}

async function post(body: unknown, key?: string | null): Promise<{ status: number; json: any; headers: Headers }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(sb.url + STREAM, { method: 'POST', headers: { 'Content-Type': 'application/json', ...keyHeader(key) }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

async function get(path: string, key?: string | null): Promise<{ status: number; json: any; headers: Headers }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(sb.url + path, { headers: keyHeader(key) });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

async function rows(body: unknown): Promise<Row[]> {
  const r = await post(body);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.table;
}

const withFilters = (filters: unknown[], exclusions?: unknown[]): unknown => ({ ...DAY, query: { filters, ...(exclusions ? { exclusions } : {}) } });
const offerOf = (r: Row): number => r.relationship.offer.network_offer_id;
const countryOf = (r: Row): string => r.relationship.geolocation.country_name;

describe('keys', () => {
  it('rejects a missing or unknown key with 401 and a JSON error', async () => {
    for (const key of [null, 'not-a-key']) {
      const r = await post(DAY, key);
      assert.equal(r.status, 401);
      assert.equal(typeof r.json.error, 'string');
    }
  });

  it('gives a network key 403 on affiliate paths and an affiliate key 403 on network paths', async () => {
    assert.equal((await post(DAY, sb.keys.forbidden)).status, 403);
    assert.match((await get(CLICK + sb.sampleIds(1)[0], sb.keys.forbidden)).json.error, /realm/i);
    const r = await fetch(sb.url + '/v1/networks/reporting/clicks/stream', { method: 'POST', headers: keyHeader(sb.keys.valid), body: JSON.stringify(DAY) });
    assert.equal(r.status, 403);
  });

  it('serves the second account its own clicks; ids do not cross accounts', async () => {
    const second = await post(DAY, sb.keys.second);
    assert.equal(second.status, 200);
    const first = await rows(DAY);
    assert.notEqual(second.json.table[0].transaction_id, first[0].transaction_id);
    assert.equal((await get(CLICK + first[0].transaction_id, sb.keys.second)).status, 404);
  });
});

describe('timezones', () => {
  it('lists documented ids with offsets for the sandbox clock', async () => {
    const r = await get('/v1/meta/timezones', sb.keys.forbidden);
    assert.equal(r.status, 200);
    const byId = new Map<number, Row>(r.json.timezones.map((t: Row) => [t.timezone_id, t]));
    assert.deepEqual(byId.get(67), { timezone_id: 67, timezone_name: '(UTC) Coordinated Universal Time', timezone: 'UTC', utc_offset: '+00:00' });
    assert.equal(byId.get(90)?.timezone, 'America/Los_Angeles');
    assert.equal(byId.get(90)?.utc_offset, '-07:00'); // DST has started by 15 March 2026
    assert.equal(byId.get(80)?.timezone, 'America/New_York');
    assert.equal(byId.get(1)?.utc_offset, '+14:00');
    assert.equal(byId.get(99)?.timezone, 'Pacific/Pago_Pago');
    assert.ok(r.json.timezones.some((t: Row) => t.utc_offset === '+05:30'));
    assert.ok(byId.size >= 28);
  });
});

describe('click stream', () => {
  it('returns the day in time order, matching countClicks', async () => {
    const all = await rows(DAY);
    assert.equal(all.length, 2000);
    assert.equal(sb.countClicks(DAY), 2000);
    for (let i = 1; i < all.length; i++) assert.ok(all[i].unix_timestamp >= all[i - 1].unix_timestamp);
    assert.ok(all.every((r) => /^[0-9a-f]{32}$/.test(r.transaction_id)));
  });

  it('ORs filters of one type and ANDs different types', async () => {
    const all = await rows(DAY);
    const got = await rows(withFilters([
      { resource_type: 'offer', filter_id_value: '883' },
      { resource_type: 'offer', filter_id_value: '518' },
      { resource_type: 'country', filter_id_value: 'United States' },
    ]));
    const expected = all.filter((r) => [883, 518].includes(offerOf(r)) && countryOf(r) === 'United States');
    assert.ok(expected.length > 20);
    assert.deepEqual(got.map((r) => r.transaction_id), expected.map((r) => r.transaction_id));
    assert.ok(got.some((r) => offerOf(r) === 883) && got.some((r) => offerOf(r) === 518));
  });

  it('removes exclusions and accepts sub1 as a synonym of s1', async () => {
    const all = await rows(DAY);
    const got = await rows(withFilters([], [
      { resource_type: 'country', filter_id_value: 'Canada' },
      { resource_type: 'offer', filter_id_value: '1204' },
    ]));
    assert.equal(got.length, all.filter((r) => countryOf(r) !== 'Canada' && offerOf(r) !== 1204).length);
    const s1 = await rows(withFilters([{ resource_type: 's1', filter_id_value: 'facebook' }]));
    const sub1 = await rows(withFilters([{ resource_type: 'sub1', filter_id_value: 'facebook' }]));
    assert.ok(s1.length > 0 && s1.every((r) => r.sub1 === 'facebook'));
    assert.deepEqual(sub1, s1);
  });

  it('reads from/to as wall-clock time in the request zone', async () => {
    const la = { from: '2026-03-14 00:00:00', to: '2026-03-14 23:59:59', timezone_id: 90 };
    const got = await rows(la);
    const start = Date.UTC(2026, 2, 14, 7) / 1000;
    assert.ok(got.length > 0 && got.every((r) => r.unix_timestamp >= start && r.unix_timestamp <= start + 86_399));
    assert.equal(got.length, sb.countClicks(la));
  });

  it('answers 400 with a JSON error for bad requests', async () => {
    const bad: unknown[] = [
      { ...DAY, from: '2026-03-14T00:00:00' },
      { ...DAY, from: '2026-02-30 00:00:00' },
      { ...DAY, from: '2026-03-15 00:00:00' },
      { from: '2026-03-01 00:00:00', to: '2026-03-15 00:00:00', timezone_id: 67 },
      { ...DAY, timezone_id: 12345 },
      withFilters([{ resource_type: 'planet', filter_id_value: 'Mars' }]),
      withFilters([{ resource_type: 'offer', filter_id_value: 883 }]),
    ];
    for (const body of bad) {
      const r = await post(body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(typeof r.json.error, 'string');
    }
  });

  it('accepts a window of exactly 14 days minus one second', async () => {
    const r = await post({ from: '2026-03-01 00:00:00', to: '2026-03-14 23:59:59', timezone_id: 67 });
    assert.equal(r.status, 200);
    assert.equal(r.json.table.length, 5000);
  });

  it('caps rows: first, newest or an arbitrary sample', async () => {
    const all = await rows(DAY);
    const ids = (rs: Row[]): string[] => rs.map((r) => r.transaction_id);
    sb.setKnobs({ cap: 100 });
    assert.deepEqual(ids(await rows(DAY)), ids(all.slice(0, 100)));
    sb.setKnobs({ truncation: 'newest' });
    assert.deepEqual(ids(await rows(DAY)), ids(all.slice(-100)));
    sb.setKnobs({ truncation: 'arbitrary' });
    const some = await rows(DAY);
    const known = new Set(ids(all));
    assert.equal(new Set(ids(some)).size, 100);
    assert.ok(some.every((r) => known.has(r.transaction_id)));
    assert.ok(some.some((r, i) => i > 0 && r.unix_timestamp < some[i - 1].unix_timestamp), 'arbitrary rows are not time-ordered');
  });

  it('puts rows under table, clicks or a bare array', async () => {
    sb.setKnobs({ responseKey: 'clicks' });
    assert.equal((await post(DAY)).json.clicks.length, 2000);
    sb.setKnobs({ responseKey: 'bare' });
    assert.ok(Array.isArray((await post(DAY)).json));
  });
});

describe('look-up by id', () => {
  it('returns each sample click unwrapped, and 404 for unknown ids', async () => {
    for (const id of sb.sampleIds(5)) {
      const r = await get(CLICK + id);
      assert.equal(r.status, 200);
      assert.equal(r.json.transaction_id, id);
    }
    const row = (await rows(DAY)).find((r) => r.idfa_md5 || r.google_ad_id_md5)!;
    for (const id of ['0123456789abcdef0123456789abcdef', row.idfa_md5 || row.google_ad_id_md5, 'nope']) {
      const r = await get(CLICK + id);
      assert.equal(r.status, 404);
      assert.equal(typeof r.json.error, 'string');
    }
  });

  it('applies the type-drift knobs', async () => {
    sb.setKnobs({ isUniqueAs: 'boolean', carrierCodeAs: 'string' });
    const r = (await get(CLICK + sb.sampleIds(1)[0])).json;
    assert.equal(typeof r.is_unique, 'boolean');
    assert.equal(typeof r.relationship.geolocation.carrier_code, 'string');
    sb.setKnobs({ omitEmptyKeys: true, isUniqueAs: 'number', errorKeyCasing: 'Error' });
    const walk = (v: unknown): void => {
      if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
      else assert.ok(v !== '' && v !== 0 && v !== false);
    };
    for (const x of await rows(DAY)) walk(x);
    assert.equal(typeof (await get(CLICK + 'nope')).json.Error, 'string');
  });

  it('includes a click full of hostile strings among the samples', async () => {
    const id = sb.hostileSampleId();
    assert.ok(sb.sampleIds(10).includes(id));
    const r = (await get(CLICK + id)).json;
    assert.equal(r.sub1, '<script>alert(1)</script>');
    assert.match(r.relationship.offer.name, /onerror/);
    assert.ok(r.relationship.query_parameters.long.length >= 100_000);
  });
});

describe('retention', () => {
  it('serves only converted clicks from windows older than 3 months', async () => {
    const old = { from: '2025-11-01 00:00:00', to: '2025-11-14 23:59:59', timezone_id: 67 };
    const got = await rows(old);
    assert.ok(got.length > 0 && got.length < 200, `${got.length} old clicks`);
    assert.equal(got.length, sb.countClicks(old));
    assert.equal((await get(CLICK + got[0].transaction_id)).status, 200);
    for (const id of sb.sampleIds(3, { daysAgo: 120 })) assert.equal((await get(CLICK + id)).status, 200);
  });

  it('forgets ordinary clicks once they are older than 90 days', async () => {
    const later = await startSandbox({ seed: 42, now: new Date('2026-09-01T00:00:00Z') });
    try {
      const statuses = await Promise.all(sb.sampleIds(10).map(async (id) => (await fetch(later.url + CLICK + id, { headers: keyHeader(sb.keys.valid) })).status));
      assert.ok(statuses.filter((s) => s === 404).length >= 9, statuses.join());
    } finally {
      await later.close();
    }
  });
});

describe('faults, limits and control', () => {
  it('injects a counted fault, then recovers', async () => {
    sb.setKnobs({ fault: { kind: '503', count: 1, path: 'stream' } });
    assert.equal((await get('/v1/meta/timezones')).status, 200);
    assert.equal((await post(DAY)).status, 503);
    assert.equal((await post(DAY)).status, 200);
    assert.equal(sb.knobs.fault, null);
  });

  it('breaks bodies and connections', async () => {
    sb.setKnobs({ fault: { kind: 'truncated-json', count: 1 } });
    const text = await (await fetch(sb.url + '/v1/meta/timezones', { headers: keyHeader(sb.keys.valid) })).text();
    assert.throws(() => JSON.parse(text));
    sb.setKnobs({ fault: { kind: 'malformed-json', count: 1 } });
    const text2 = await (await fetch(sb.url + '/v1/meta/timezones', { headers: keyHeader(sb.keys.valid) })).text();
    assert.throws(() => JSON.parse(text2));
    sb.setKnobs({ fault: { kind: 'html-error', count: 1 } });
    const html = await fetch(sb.url + '/v1/meta/timezones', { headers: keyHeader(sb.keys.valid) });
    assert.equal(html.status, 502);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    await html.text();
    for (const kind of ['drop-connection', 'reset-mid-body'] as const) {
      sb.setKnobs({ fault: { kind, count: 1 } });
      await assert.rejects(async () => (await fetch(sb.url + '/v1/meta/timezones', { headers: keyHeader(sb.keys.valid) })).text());
    }
    sb.setKnobs({ fault: { kind: 'hang', count: 1 } });
    await assert.rejects(fetch(sb.url + '/v1/meta/timezones', { headers: keyHeader(sb.keys.valid), signal: AbortSignal.timeout(200) }));
  });

  it('streams a huge body on request', async () => {
    sb.setKnobs({ fault: { kind: 'huge', count: 1 } });
    const res = await fetch(sb.url + STREAM, { method: 'POST', headers: keyHeader(sb.keys.valid), body: JSON.stringify(DAY) });
    const reader = res.body!.getReader();
    let text = '';
    while (text.length < 2_000_000) text += Buffer.from((await reader.read()).value!).toString();
    await reader.cancel();
    assert.ok(text.startsWith('{"table":[{"transaction_id":"'));
  });

  it('rate-limits when enforced and always sends the headers', async () => {
    sb.setKnobs({ fault: { kind: '429-no-headers', count: 1 } });
    const bare = await get('/v1/meta/timezones');
    assert.equal(bare.status, 429);
    assert.equal(bare.headers.get('x-ratelimit-limit'), null);
    sb.setKnobs({ rateLimit: { perSecond: 3, enforce: true, headers: true } });
    const statuses = await Promise.all(Array.from({ length: 6 }, async () => (await get('/v1/meta/timezones', sb.keys.second)).status));
    assert.equal(statuses.filter((s) => s === 200).length, 3);
    assert.equal(statuses.filter((s) => s === 429).length, 3);
    const ok = await get('/v1/meta/timezones');
    // The limit is the bucket per 30-second window: 3 a second for 30 s.
    assert.equal(ok.headers.get('x-ratelimit-limit'), '90');
    assert.match(ok.headers.get('x-ratelimit-remaining') ?? '', /^\d+$/);
  });

  it('puts the errorText knob in error bodies and HTML pages, with {apiKey} as the request\'s key', async () => {
    sb.setKnobs({ errorText: '<img src=x onerror=alert(1)> key {apiKey}' });
    const notFound = await get(CLICK + '0123456789abcdef0123456789abcdef');
    assert.deepEqual(notFound.json, { error: `<img src=x onerror=alert(1)> key ${sb.keys.valid}` });
    sb.setKnobs({ fault: { kind: 'html-error', count: 1 } });
    const page = await (await fetch(sb.url + '/v1/meta/timezones', { headers: keyHeader(sb.keys.second) })).text();
    assert.ok(page.includes(`<p><img src=x onerror=alert(1)> key ${sb.keys.second}</p>`), page);
    assert.throws(() => sb.setKnobs({ errorText: 42 as unknown as string }), /errorText/);
    sb.setKnobs({ errorText: null });
    assert.equal((await get(CLICK + '0123456789abcdef0123456789abcdef')).json.error, 'Click not found');
  });

  it('lists recent requests in its state, without their keys', async () => {
    await get('/v1/meta/timezones');
    const state = await (await fetch(sb.url + '/__sandbox/state')).json();
    assert.deepEqual({ ...state.requests.at(-1), at: 0 }, { method: 'GET', path: '/v1/meta/timezones', status: 200, at: 0, keyed: true });
    assert.ok(!JSON.stringify(state.requests).includes(sb.keys.valid));
  });

  it('logs requests and answers the control API', async () => {
    const before = sb.requestLog.length;
    await get('/v1/meta/timezones');
    assert.equal(sb.requestLog.length, before + 1);
    assert.deepEqual({ ...sb.requestLog.at(-1), at: 0 }, { method: 'GET', path: '/v1/meta/timezones', status: 200, at: 0, apiKey: sb.keys.valid });
    const knobs = await (await fetch(sb.url + '/__sandbox/knobs', { method: 'POST', body: JSON.stringify({ responseKey: 'clicks', latencyMs: 100 }) })).json();
    assert.equal(knobs.responseKey, 'clicks');
    const t = Date.now();
    assert.ok((await post(DAY)).json.clicks);
    assert.ok(Date.now() - t >= 100);
    assert.equal((await fetch(sb.url + '/__sandbox/knobs', { method: 'POST', body: '{"cap":"lots"}' })).status, 400);
    const state = await (await fetch(sb.url + '/__sandbox/state')).json();
    assert.equal(state.sampleIds.length, 10);
    assert.equal(state.keys.valid, sb.keys.valid);
    assert.equal(state.requestCount, sb.requestLog.length);
    await fetch(sb.url + '/__sandbox/reset', { method: 'POST' });
    assert.equal(sb.knobs.responseKey, 'table');
    assert.equal(sb.requestLog.length, 0);
    assert.equal((await get('/nope')).status, 404);
  });
});
