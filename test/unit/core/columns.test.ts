import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COLUMNS, cellText, columnById, columnsByIds, defaultColumns, formatQueryParameters } from '../../../src/core/columns';
import { flattenRows, rowOf } from '../../../src/core/flatten';
import { formatBoolean, formatMoney, formatTimestamp, formatUtc } from '../../../src/core/format';
import type { Click } from '../../../src/core/types';

// Columns, flattening and text formatting: pure functions, no sandbox needed.

/** Every field set, each to a value no other field has, so a column reading the wrong field shows. */
function fullClick(): Click {
  return {
    transaction_id: '410da86457f54ae388a871d54a33275b',
    is_unique: true,
    unix_timestamp: 1_795_000_000,
    tracking_url: 'https://trk.example/o?oid=1',
    source_id: 'src-7',
    sub1: 's1v',
    sub2: 's2v',
    sub3: 's3v',
    sub4: 's4v',
    sub5: 's5v',
    revenue_type: 'CPC',
    revenue: 1.25,
    referer: 'https://ref.example/',
    error_code: 21,
    error_message: 'Duplicate click',
    user_ip: '203.0.113.9',
    currency_id: 'EUR',
    coupon_code: 'SUMMER',
    idfa: 'IDFA-RAW',
    idfa_md5: 'idfa-md5',
    idfa_sha1: 'idfa-sha1',
    google_ad_id: 'gaid-raw',
    google_ad_id_md5: 'gaid-md5',
    google_ad_id_sha1: 'gaid-sha1',
    android_id: 'aid-raw',
    android_id_md5: 'aid-md5',
    android_id_sha1: 'aid-sha1',
    relationship: {
      offer: { network_offer_id: 883, network_id: 11, network_tracking_domain_id: 12, name: 'Example Offer', offer_status: 'active' },
      geolocation: {
        country_code: 'US',
        country_name: 'United States',
        region_code: 'CA',
        region_name: 'California',
        city_name: 'Burbank',
        dma: 803,
        dma_name: 'Los Angeles, CA',
        timezone: 'America/Los_Angeles',
        carrier_name: 'T-Mobile USA',
        carrier_code: '310-260',
        organization: 'Org Inc',
        isp_name: 'T-mobile Usa Inc.',
        is_mobile: true,
        is_proxy: false,
        postal_code: '91502',
      },
      device_information: {
        is_mobile: false,
        platform_name: 'macOS',
        os_version: '14.1',
        brand: 'Apple',
        model: 'MacBook',
        is_tablet: true,
        browser_name: 'Safari',
        browser_version: '17.0',
        device_type: 'PC',
        language: 'fr',
        http_accept_language: 'fr-FR,fr;q=0.9',
        is_robot: true,
        is_filter: false,
      },
      query_parameters: { utm_source: 'fb', q: 'a&b=c' },
    },
  };
}

const PREFIX: Record<string, string> = { offer: 'offer', geolocation: 'geo', device_information: 'device' };

/** Column id → the value it must show, for every leaf field of a Click. */
function leafFields(c: Click): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(c)) if (k !== 'relationship') out.set(k, v);
  for (const [group, obj] of Object.entries(c.relationship)) {
    if (group === 'query_parameters') continue;
    for (const [k, v] of Object.entries(obj as object)) out.set(`${PREFIX[group]}.${k}`, v);
  }
  out.set('query_parameters', 'utm_source=fb&q=a%26b%3Dc');
  return out;
}

describe('columns', () => {
  it('has a column for every field of a click, reading that field', () => {
    const click = fullClick();
    const fields = leafFields(click);
    assert.equal(fields.size, 27 + 5 + 15 + 13 + 1);
    for (const [id, value] of fields) {
      const col = columnById(id);
      assert.ok(col, `no column for ${id}`);
      assert.deepEqual(col.get(click), value, id);
    }
    // Plus the formatted time and the error in words; nothing else.
    assert.deepEqual(COLUMNS.map((c) => c.id).filter((id) => !fields.has(id)), ['time', 'error']);
    assert.equal(columnById('time')!.get(click), click.unix_timestamp);
    assert.equal(columnById('error')!.get({ ...click, error_code: 101, error_message: 'N/A' }), '101 · Sub1 value filtered');
    assert.equal(columnById('error')!.get({ ...click, error_code: 0, error_message: 'N/A' }), '');
  });

  it('has unique ids and headers, and readable headers for relationship fields', () => {
    assert.equal(new Set(COLUMNS.map((c) => c.id)).size, COLUMNS.length);
    assert.equal(new Set(COLUMNS.map((c) => c.header)).size, COLUMNS.length);
    const headers = new Set(COLUMNS.map((c) => c.header));
    for (const h of ['Country', 'Country Code', 'Region', 'City', 'DMA', 'Carrier', 'ISP', 'Offer', 'Offer ID', 'Platform', 'OS Version', 'Device Type', 'Brand', 'Model', 'Browser', 'Browser Version', 'Language', 'Is Mobile', 'Is Robot', 'Query Parameters']) {
      assert.ok(headers.has(h), h);
    }
    assert.equal(columnById('geo.country_name')!.header, 'Country');
  });

  it('shows a sensible default set and hides the rest', () => {
    assert.deepEqual(
      defaultColumns().map((c) => c.header),
      ['Time', 'Transaction ID', 'Offer', 'Country', 'City', 'Platform', 'Browser', 'Sub 1', 'Sub 2', 'Sub 3', 'Revenue', 'Unique', 'Error'],
    );
    assert.ok(COLUMNS.length > 60);
  });

  it('builds layouts from ids, dropping unknown ones', () => {
    assert.deepEqual(columnsByIds(['sub2', 'nope', 'time']).map((c) => c.id), ['sub2', 'time']);
  });

  it('writes query parameters as one compact k=v&k=v cell', () => {
    assert.equal(formatQueryParameters(null), '');
    assert.equal(formatQueryParameters({}), '');
    assert.equal(formatQueryParameters({ a: '1', b: '' }), 'a=1&b=');
    assert.equal(formatQueryParameters({ 'k&=': 'v%\n<x>' }), 'k%26%3D=v%25%0A<x>');
  });

  it('turns cells into text for people or for files', () => {
    const c = fullClick();
    const text = (id: string, style?: 'words' | 'literal') => cellText(columnById(id)!, c, { zone: 'America/New_York', style });
    assert.equal(text('time'), '2026-11-18 06:06:40');
    assert.equal(text('revenue'), '€1.25');
    assert.equal(text('revenue', 'literal'), '1.25');
    assert.equal(text('is_unique'), 'Yes');
    assert.equal(text('is_unique', 'literal'), 'true');
    assert.equal(text('geo.dma'), '803');
    assert.equal(text('sub1'), 's1v');
  });
});

describe('flattenRows', () => {
  it('is column-major, keeps raw types and covers every column by default', () => {
    const a = fullClick();
    const b = { ...fullClick(), transaction_id: 'b'.repeat(32), revenue: -2, is_unique: false };
    const t = flattenRows([a, b]);
    assert.deepEqual(t.columns, COLUMNS.map((c) => c.id));
    assert.equal(t.data.length, COLUMNS.length);
    const col = (id: string) => t.data[t.columns.indexOf(id)];
    assert.deepEqual(col('transaction_id'), [a.transaction_id, b.transaction_id]);
    assert.deepEqual(col('revenue'), [1.25, -2]);
    assert.deepEqual(col('is_unique'), [true, false]);
    assert.deepEqual(col('time'), [a.unix_timestamp, b.unix_timestamp]);
    assert.equal(rowOf(t, 1).revenue, -2);
    assert.deepEqual(flattenRows([], defaultColumns()), { columns: defaultColumns().map((c) => c.id), data: defaultColumns().map(() => []) });
  });

  it('flattens 100,000 rows quickly', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ ...fullClick(), unix_timestamp: 1_795_000_000 + i }));
    const started = performance.now();
    const t = flattenRows(rows);
    const ms = performance.now() - started;
    console.log(`flattenRows: 100,000 rows × ${t.columns.length} columns in ${ms.toFixed(0)} ms`);
    assert.equal(t.data[0].length, 100_000);
    assert.ok(ms < 5000, `took ${ms} ms`);
  });
});

describe('format', () => {
  it('formats timestamps in UTC and in a zone', () => {
    assert.equal(formatUtc(0), '1970-01-01 00:00:00');
    assert.equal(formatUtc(1_702_313_995), '2023-12-11 16:59:55');
    assert.equal(formatTimestamp(1_702_313_995, 'America/Los_Angeles'), '2023-12-11 08:59:55');
    assert.equal(formatTimestamp(1_702_313_995, 'Asia/Kathmandu'), '2023-12-11 22:44:55');
    assert.equal(formatTimestamp(1_702_313_995.9, 'UTC'), '2023-12-11 16:59:55');
    assert.equal(formatTimestamp(Number.NaN, 'UTC'), '');
    assert.throws(() => formatTimestamp(0, 'Not/AZone'), RangeError);
  });

  it('follows daylight saving: the repeated hour shows twice, the skipped hour never', () => {
    const ny = (iso: string) => formatTimestamp(Date.parse(iso) / 1000, 'America/New_York');
    assert.equal(ny('2026-11-01T05:30:00Z'), '2026-11-01 01:30:00'); // EDT
    assert.equal(ny('2026-11-01T06:30:00Z'), '2026-11-01 01:30:00'); // EST, same wall time
    assert.equal(ny('2026-11-01T06:59:59Z'), '2026-11-01 01:59:59');
    assert.equal(ny('2026-11-01T07:00:00Z'), '2026-11-01 02:00:00');
    assert.equal(ny('2026-03-08T06:59:59Z'), '2026-03-08 01:59:59');
    assert.equal(ny('2026-03-08T07:00:00Z'), '2026-03-08 03:00:00');
    // Lord Howe moves by half an hour.
    assert.equal(formatTimestamp(Date.parse('2026-04-04T14:59:59Z') / 1000, 'Australia/Lord_Howe'), '2026-04-05 01:59:59');
    assert.equal(formatTimestamp(Date.parse('2026-04-04T15:00:00Z') / 1000, 'Australia/Lord_Howe'), '2026-04-05 01:30:00');
  });

  it('agrees with Intl for random instants in many zones (the per-minute cache is exact)', () => {
    const zones = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns', 'Africa/Casablanca'];
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 3000; i++) {
      const zone = zones[i % zones.length];
      const t = Math.floor(1_600_000_000 + rand() * 300_000_000);
      const ref = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(t * 1000));
      assert.equal(formatTimestamp(t, zone), ref, `${zone} ${t}`);
    }
  });

  it('formats money with its currency, with a fallback for codes Intl cannot use', () => {
    assert.equal(formatMoney(1.5, 'USD'), '$1.50');
    assert.equal(formatMoney(-1234.5, 'EUR'), '-€1,234.50');
    assert.equal(formatMoney(1234.5, 'jpy'), '¥1,235');
    assert.equal(formatMoney(0, 'GBP'), '£0.00');
    assert.match(formatMoney(1.5, 'ZZZ'), /^ZZZ\s1\.50$/);
    assert.equal(formatMoney(1.5, ''), '1.50');
    assert.equal(formatMoney(1.5, 'US DOLLARS'), '1.50 US DOLLARS');
    assert.equal(formatMoney(Number.NaN, 'USD'), '');
  });

  it('formats booleans for people and for files', () => {
    assert.equal(formatBoolean(true), 'Yes');
    assert.equal(formatBoolean(false), 'No');
    assert.equal(formatBoolean(true, 'literal'), 'true');
    assert.equal(formatBoolean(false, 'literal'), 'false');
  });
});
