import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { EverflowClient, type ClientOptions } from '../../../src/core/client';
import { EverflowError, describeError } from '../../../src/core/errors';
import { RateLimiter } from '../../../src/core/limiter';
import type { RequestLogEntry, StreamRequest } from '../../../src/core/types';
import { normalizeRequest } from '../../../src/core/validation';
import { startSandbox, type Sandbox } from '../../sandbox/server';

// The client against the real sandbox over loopback: requests, response variants and every
// error reason a request can end with. Retries, timeouts and cancellation: clientFaults.test.ts.

const NOW = new Date('2026-03-20T12:00:00Z');
const TWO_DAYS: StreamRequest = { from: '2026-03-18 00:00:00', to: '2026-03-19 23:59:59', timezone_id: 67 };
const ONE_HOUR: StreamRequest = { from: '2026-03-18 10:00:00', to: '2026-03-18 10:59:59', timezone_id: 67 };

let sb: Sandbox;
let logs: RequestLogEntry[];

function client(over: Partial<ClientOptions> = {}): EverflowClient {
  return new EverflowClient({
    baseUrl: () => sb.url,
    getApiKey: async () => sb.keys.valid,
    limiter: new RateLimiter({ perSecond: 100 }),
    log: (e) => logs.push(e),
    backoff: { baseMs: 5, capMs: 20 },
    ...over,
  });
}

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
  // Fast and without server-side limits unless a test turns them on.
  sb.setKnobs({ rateLimit: { perSecond: 1000, enforce: false, headers: true } });
  sb.requestLog.length = 0;
  logs = [];
});
afterEach(() => sb.resetKnobs());

describe('EverflowClient: click stream', () => {
  it('returns every matching click, normalised, with one log entry', async () => {
    const result = await client().streamClicks(TWO_DAYS);
    assert.equal(result.rows.length, sb.countClicks(TWO_DAYS));
    assert.ok(result.rows.length > 100);
    assert.equal(result.truncated, false);
    assert.equal(result.cap, 5000);
    for (const row of result.rows.slice(0, 50)) {
      assert.equal(typeof row.is_unique, 'boolean');
      assert.equal(typeof row.relationship.geolocation.carrier_code, 'string');
      assert.match(row.transaction_id, /^[0-9a-f]{32}$/);
    }
    assert.equal(logs.length, 1);
    assert.deepEqual({ ...logs[0], durationMs: 0 }, { method: 'POST', path: '/v1/affiliates/reporting/clicks/stream', status: 200, rows: result.rows.length, attempt: 1, durationMs: 0 });
  });

  it('reads every response variant into the same rows', async () => {
    const c = client();
    const baseline = (await c.streamClicks(ONE_HOUR)).rows;
    assert.ok(baseline.length > 10);
    const variants = [
      { responseKey: 'clicks' },
      { responseKey: 'bare' },
      { isUniqueAs: 'boolean' },
      { carrierCodeAs: 'string' },
      { omitEmptyKeys: true },
      { responseKey: 'bare', isUniqueAs: 'boolean', carrierCodeAs: 'string', omitEmptyKeys: true },
    ] as const;
    for (const v of variants) {
      sb.resetKnobs();
      sb.setKnobs(v);
      assert.deepEqual((await c.streamClicks(ONE_HOUR)).rows, baseline, JSON.stringify(v));
    }
  });

  it('flags truncation when the cap is reached', async () => {
    sb.setKnobs({ cap: 40 });
    const result = await client({ cap: 40 }).streamClicks(TWO_DAYS);
    assert.equal(result.rows.length, 40);
    assert.equal(result.truncated, true);
    assert.equal(result.cap, 40);
    assert.ok(sb.countClicks(TWO_DAYS) > 40);
  });

  it('sends trimmed filters and exclusions and gets what the sandbox counts', async () => {
    const req: StreamRequest = {
      ...TWO_DAYS,
      query: {
        filters: [
          { resource_type: 'country', filter_id_value: ' United States ' },
          { resource_type: 'country', filter_id_value: 'Canada' },
        ],
        exclusions: [{ resource_type: 'device_platform', filter_id_value: 'iOS' }],
      },
    };
    const rows = (await client().streamClicks(req)).rows;
    assert.ok(rows.length > 0);
    assert.equal(rows.length, sb.countClicks(normalizeRequest(req)));
    for (const r of rows) {
      assert.ok(['United States', 'Canada'].includes(r.relationship.geolocation.country_name));
      assert.notEqual(r.relationship.device_information.platform_name, 'iOS');
    }
  });

  it('rejects an invalid request with every problem and sends nothing', async () => {
    const err = await failure(client().streamClicks({ from: '2026-02-30 00:00:00', to: '2026-03-20 00:00:00', timezone_id: 0, query: { filters: [{ resource_type: 'contry', filter_id_value: 'x' }] } }));
    assert.equal(err.reason, 'invalidRequest');
    assert.deepEqual(
      err.problems?.map((p) => p.field),
      ['from', 'timezone_id', 'filters[0].resource_type'],
    );
    assert.equal(sb.requestLog.length, 0);
    assert.equal(logs.length, 0);
  });

  it('surfaces a 400 with the server message', async () => {
    const err = await failure(client().streamClicks({ ...ONE_HOUR, timezone_id: 9999 }));
    assert.equal(err.reason, 'badRequest');
    assert.equal(err.status, 400);
    assert.match(err.serverMessage ?? '', /timezone/i);
    assert.match(describeError(err), /^Everflow rejected the request \(400\): .*timezone/);
    assert.equal(sb.requestLog.length, 1, 'a 400 is not retried');
  });
});

describe('EverflowClient: keys and base URL', () => {
  it('refuses to send without a key', async () => {
    const err = await failure(client({ getApiKey: async () => undefined }).streamClicks(ONE_HOUR));
    assert.equal(err.reason, 'unauthorized');
    assert.match(describeError(err), /No Everflow API key is set/);
    assert.equal(sb.requestLog.length, 0);
  });

  it('refuses a base URL that would leak the key, and sends nothing', async () => {
    for (const url of ['http://example.com', 'https://user:pw@api.eflow.team', 'https://api.eflow.team/?x=1']) {
      const err = await failure(client({ baseUrl: () => url }).getClick('0123456789abcdef0123456789abcdef'));
      assert.equal(err.reason, 'invalidRequest', url);
    }
    assert.equal(sb.requestLog.length, 0);
  });

  it('reads the base URL and key on every call', async () => {
    let url = 'http://example.com';
    let key: string | undefined = 'wrong-key-0000';
    const c = client({ baseUrl: () => url, getApiKey: async () => key });
    assert.equal((await failure(c.listTimezones())).reason, 'invalidRequest');
    url = `${sb.url}/`;
    assert.equal((await failure(c.listTimezones())).reason, 'unauthorized');
    key = sb.keys.valid;
    assert.ok((await c.listTimezones()).some((z) => z.timezone_id === 67 && z.timezone === 'UTC'));
  });

  for (const casing of ['error', 'Error', 'message'] as const) {
    it(`reads a 401's message under "${casing}"`, async () => {
      sb.setKnobs({ errorKeyCasing: casing });
      const err = await failure(client({ getApiKey: async () => 'not-a-real-key-42' }).streamClicks(ONE_HOUR));
      assert.equal(err.reason, 'unauthorized');
      assert.equal(err.status, 401);
      assert.equal(err.serverMessage, 'Invalid API key');
      assert.equal(describeError(err), 'Everflow rejected the API key (401): Invalid API key. Set a new key with "Everflow: Set API Key".');
    });
  }

  it('reports a key of the wrong kind as forbidden', async () => {
    const err = await failure(client({ getApiKey: async () => sb.keys.forbidden }).streamClicks(ONE_HOUR));
    assert.equal(err.reason, 'forbidden');
    assert.equal(err.serverMessage, 'Out of realm');
    assert.match(describeError(err), /\(403\): Out of realm/);
  });

  it('checks a candidate key with a real call, without reading the stored key', async () => {
    const c = client({ getApiKey: async () => assert.fail('the stored key must not be read') });
    await c.checkKey(sb.keys.valid);
    await c.checkKey(` ${sb.keys.second} `);
    assert.equal((await failure(c.checkKey('bogus-key-123'))).reason, 'unauthorized');
    assert.equal((await failure(c.checkKey(sb.keys.forbidden))).reason, 'forbidden');
    const before = sb.requestLog.length;
    assert.equal((await failure(c.checkKey('  '))).reason, 'unauthorized');
    assert.equal(sb.requestLog.length, before, 'an empty key is not sent');
    assert.ok(sb.requestLog.every((r) => r.path === '/v1/affiliates/reporting/clicks/stream'));
  });

  it('never puts the key in errors or log entries', async () => {
    const key = sb.keys.valid;
    const c = client({ maxRetries: 1 });
    const errors: unknown[] = [];
    const capture = (p: Promise<unknown>) => p.catch((e: unknown) => errors.push(e));
    await capture(client({ getApiKey: async () => sb.keys.forbidden }).streamClicks(ONE_HOUR));
    await capture(c.getClick('0123456789abcdef0123456789abcdef'));
    await capture(c.streamClicks({ ...ONE_HOUR, timezone_id: 9999 }));
    for (const kind of ['500', 'html-error', 'malformed-json', 'drop-connection', 'reset-mid-body'] as const) {
      sb.setKnobs({ fault: { kind, count: 2 } });
      await capture(c.streamClicks(ONE_HOUR));
    }
    sb.setKnobs({ fault: { kind: 'hang', count: 1 } });
    await capture(client({ timeoutMs: () => 100 }).streamClicks(ONE_HOUR));
    assert.equal(errors.length, 9);
    const text = JSON.stringify(errors) + errors.map((e) => `${(e as Error).message} ${(e as Error).stack} ${describeError(e)}`).join() + JSON.stringify(logs);
    assert.ok(logs.length >= 9);
    assert.equal(text.includes(key), false);
    assert.equal(text.includes(sb.keys.forbidden), false);
    assert.equal(/x-eflow-api-key/i.test(text), false);
    for (const e of errors) assert.equal((e as { cause?: unknown }).cause, undefined);
  });
});

describe('EverflowClient: click by id and timezones', () => {
  it('looks up a click by id', async () => {
    const [id] = sb.sampleIds(1);
    const click = await client().getClick(id);
    assert.equal(click.transaction_id, id);
    assert.equal(logs[0].path, `/v1/affiliates/reporting/clicks/${id}`);
  });

  it('reads the click whose fields carry hostile text', async () => {
    const id = sb.hostileSampleId();
    const click = await client().getClick(` ${id} `);
    assert.equal(click.transaction_id, id);
    assert.equal(typeof click.referer, 'string');
    assert.ok(click.relationship.query_parameters === null || typeof click.relationship.query_parameters === 'object');
  });

  it('reports an unknown id as notFound, and a malformed one without sending', async () => {
    const err = await failure(client().getClick('0123456789abcdef0123456789abcdef'));
    assert.equal(err.reason, 'notFound');
    assert.equal(err.serverMessage, 'Click not found');
    assert.equal(sb.requestLog.length, 1);
    for (const bad of ['../../meta/timezones', '0123456789abcdef0123456789abcdeg', 'abc']) {
      const e = await failure(client().getClick(bad));
      assert.equal(e.reason, 'invalidRequest');
      assert.equal(e.problems?.[0].field, 'transactionId');
    }
    assert.equal(sb.requestLog.length, 1);
  });

  it('lists the timezones', async () => {
    const zones = await client().listTimezones();
    assert.ok(zones.length > 5);
    assert.ok(zones.every((z) => Number.isInteger(z.timezone_id) && typeof z.timezone === 'string'));
  });
});
