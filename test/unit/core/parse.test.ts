import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EverflowError } from '../../../src/core/errors';
import { normalizeClick, parseClickResponse, parseStreamResponse, parseTimezones } from '../../../src/core/parse';

// The seed's click example, as Everflow documents it.
const seedClick = {
  transaction_id: '410da86457f54ae388a871d54a33275b',
  is_unique: 1,
  unix_timestamp: 1702313995,
  tracking_url: 'www.tracking-link.com',
  source_id: '',
  sub1: 'facebook',
  sub2: '',
  sub3: '',
  sub4: '',
  sub5: '',
  revenue_type: 'CPA',
  revenue: 0,
  referer: '',
  error_code: 0,
  user_ip: '127.0.0.1',
  error_message: 'N/A',
  idfa: '',
  relationship: {
    offer: { network_offer_id: 1, network_id: 1, name: 'Example Offer', offer_status: 'active', network_tracking_domain_id: 1 },
    geolocation: { country_code: 'US', country_name: 'United States', dma: 803, carrier_name: 'T-Mobile USA', carrier_code: 0, is_mobile: false, is_proxy: false },
    device_information: { is_mobile: true, platform_name: 'macOS', is_tablet: false, browser_name: 'Safari', is_robot: false, is_filter: false },
    query_parameters: { __cc: 'SUMMER' },
  },
  currency_id: 'USD',
  coupon_code: 'SUMMER',
};

function assertInvalidResponse(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof EverflowError);
    assert.equal(e.reason, 'invalidResponse');
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

describe('normalizeClick', () => {
  it('reads the seed example with every field typed', () => {
    const c = normalizeClick(seedClick);
    assert.equal(c.transaction_id, '410da86457f54ae388a871d54a33275b');
    assert.equal(c.is_unique, true);
    assert.equal(c.unix_timestamp, 1702313995);
    assert.equal(c.sub1, 'facebook');
    assert.equal(c.revenue, 0);
    assert.equal(c.relationship.offer.name, 'Example Offer');
    // 0 is Everflow's "no carrier", the same as a missing key.
    assert.equal(c.relationship.geolocation.carrier_code, '');
    assert.equal(c.relationship.geolocation.dma, 803);
    assert.equal(c.relationship.device_information.is_mobile, true);
    assert.deepEqual(c.relationship.query_parameters, { __cc: 'SUMMER' });
    // Fields the example omits are present with their empty value.
    assert.equal(c.google_ad_id_sha1, '');
    assert.equal(c.relationship.geolocation.postal_code, '');
  });

  for (const [given, expected] of [
    [1, true],
    [0, false],
    ['1', true],
    ['0', false],
    [true, true],
    [false, false],
    ['true', true],
    [null, false],
    [undefined, false],
  ] as const) {
    it(`reads is_unique ${JSON.stringify(given)} as ${expected}`, () => {
      assert.equal(normalizeClick({ ...seedClick, is_unique: given }).is_unique, expected);
    });
  }

  it('turns carrier_code numbers and strings into strings', () => {
    const geo = (carrier_code: unknown) => ({ ...seedClick, relationship: { ...seedClick.relationship, geolocation: { carrier_code } } });
    assert.equal(normalizeClick(geo(310260)).relationship.geolocation.carrier_code, '310260');
    assert.equal(normalizeClick(geo('310260')).relationship.geolocation.carrier_code, '310260');
    assert.equal(normalizeClick(geo(null)).relationship.geolocation.carrier_code, '');
    assert.equal(normalizeClick(geo('0')).relationship.geolocation.carrier_code, '');
    assert.equal(normalizeClick(geo(0)).relationship.geolocation.carrier_code, '');
  });

  it('reads numbers given as strings, and junk numbers as 0', () => {
    const c = normalizeClick({ ...seedClick, unix_timestamp: '1702313995', revenue: '1.25', error_code: '21' });
    assert.equal(c.unix_timestamp, 1702313995);
    assert.equal(c.revenue, 1.25);
    assert.equal(c.error_code, 21);
    assert.equal(normalizeClick({ revenue: 'n/a', error_code: {} }).revenue, 0);
  });

  it('fills missing keys and nulls with empty values', () => {
    const c = normalizeClick({ transaction_id: 'abc', sub1: null, revenue: null, relationship: null });
    assert.equal(c.sub1, '');
    assert.equal(c.sub2, '');
    assert.equal(c.revenue, 0);
    assert.equal(c.is_unique, false);
    assert.equal(c.relationship.offer.network_offer_id, 0);
    assert.equal(c.relationship.geolocation.country_name, '');
    assert.equal(c.relationship.device_information.is_robot, false);
    assert.equal(c.relationship.query_parameters, null);
  });

  it('tolerates a missing sub-object inside relationship', () => {
    const c = normalizeClick({ ...seedClick, relationship: { offer: seedClick.relationship.offer } });
    assert.equal(c.relationship.offer.name, 'Example Offer');
    assert.equal(c.relationship.geolocation.country_code, '');
    assert.equal(c.relationship.device_information.platform_name, '');
  });

  it('keeps a row without transaction_id, with an empty id', () => {
    assert.equal(normalizeClick({ sub1: 'x' }).transaction_id, '');
  });

  it('coerces query_parameters values to strings and keeps __proto__ as a plain key', () => {
    const raw = JSON.parse('{"relationship":{"query_parameters":{"a":1,"b":true,"c":null,"d":{"x":1},"__proto__":"p"}}}');
    const q = normalizeClick(raw).relationship.query_parameters!;
    assert.deepEqual(Object.entries(q), [
      ['a', '1'],
      ['b', 'true'],
      ['c', ''],
      ['d', '{"x":1}'],
      ['__proto__', 'p'],
    ]);
    assert.equal(Object.getPrototypeOf(q), Object.prototype);
    assert.equal(Object.keys(q).includes('__proto__'), true);
  });

  it('reads an empty PHP array as no query parameters', () => {
    assert.equal(normalizeClick({ relationship: { query_parameters: [] } }).relationship.query_parameters, null);
  });

  it('ignores unknown extra keys', () => {
    const c = normalizeClick({ ...seedClick, payout: 3, affiliate: { id: 1 } }) as unknown as Record<string, unknown>;
    assert.equal('payout' in c, false);
    assert.equal('affiliate' in c, false);
  });

  it('rejects a row that is not an object', () => {
    assertInvalidResponse(() => normalizeClick('x'));
    assertInvalidResponse(() => normalizeClick(null));
    assertInvalidResponse(() => normalizeClick([seedClick]));
  });
});

describe('parseStreamResponse', () => {
  it('reads rows under table, clicks or a bare array', () => {
    for (const body of [{ table: [seedClick] }, { clicks: [seedClick] }, [seedClick]]) {
      const { rows, truncated } = parseStreamResponse(body, 5000);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].sub1, 'facebook');
      assert.equal(truncated, false);
    }
  });

  it('prefers table over clicks', () => {
    const { rows } = parseStreamResponse({ table: [{ ...seedClick, sub1: 'table' }], clicks: [seedClick] }, 10);
    assert.equal(rows[0].sub1, 'table');
  });

  it('treats a null list as empty, and falls through to the other key', () => {
    assert.deepEqual(parseStreamResponse({ table: null }, 10).rows, []);
    assert.equal(parseStreamResponse({ table: null, clicks: [seedClick] }, 10).rows.length, 1);
  });

  it('flags truncation when the cap is reached', () => {
    assert.equal(parseStreamResponse([seedClick, seedClick], 2).truncated, true);
    assert.equal(parseStreamResponse([seedClick, seedClick], 3).truncated, false);
    assert.equal(parseStreamResponse({ table: [] }, 5000).truncated, false);
  });

  it('rejects anything that is not a list of objects', () => {
    assertInvalidResponse(() => parseStreamResponse('<html>', 10), /got text/);
    assertInvalidResponse(() => parseStreamResponse({ error: 'x' }, 10), /keys error/);
    assertInvalidResponse(() => parseStreamResponse({ table: {} }, 10), /not a list/);
    assertInvalidResponse(() => parseStreamResponse(null, 10));
    assertInvalidResponse(() => parseStreamResponse({ table: [seedClick, 'row'] }, 10), /row 2/);
    assertInvalidResponse(() => parseStreamResponse([null], 10), /row 1/);
  });

  it('normalises 100,000 rows quickly', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ ...seedClick, unix_timestamp: String(i), is_unique: i % 2 === 0 }));
    const t0 = performance.now();
    const out = parseStreamResponse({ table: rows }, 5000);
    const ms = performance.now() - t0;
    assert.equal(out.rows.length, 100_000);
    assert.equal(out.rows[99_999].unix_timestamp, 99_999);
    assert.ok(ms < 3000, `took ${ms} ms`);
  });
});

describe('parseClickResponse', () => {
  it('reads the unwrapped click and the wrapped one', () => {
    assert.equal(parseClickResponse(seedClick).transaction_id, seedClick.transaction_id);
    assert.equal(parseClickResponse({ click: seedClick }).transaction_id, seedClick.transaction_id);
  });
  it('rejects bodies that are not a click', () => {
    assertInvalidResponse(() => parseClickResponse([seedClick]));
    assertInvalidResponse(() => parseClickResponse('ok'));
    assertInvalidResponse(() => parseClickResponse({ status: 'ok' }));
  });
});

describe('parseTimezones', () => {
  const tz = { timezone_id: 67, timezone_name: '(UTC) Coordinated Universal Time', timezone: 'UTC', utc_offset: '+00:00' };
  it('reads the documented shape and a bare list, coercing ids', () => {
    assert.deepEqual(parseTimezones({ timezones: [tz] }), [tz]);
    assert.deepEqual(parseTimezones([{ ...tz, timezone_id: '67' }]), [tz]);
  });
  it('drops entries without a usable id', () => {
    assert.deepEqual(parseTimezones({ timezones: [tz, { timezone: 'X' }] }), [tz]);
  });
  it('rejects other shapes', () => {
    assertInvalidResponse(() => parseTimezones({ zones: [] }));
    assertInvalidResponse(() => parseTimezones({ timezones: ['UTC'] }));
  });
});
