import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeConversion, parseConversionPage, parseConversionResponse } from '../../../src/core/conversions/parse';
import { normalizeConversionRequest, validateConversionRequest } from '../../../src/core/conversions/validation';
import { EverflowError } from '../../../src/core/errors';

// Parsing every documented generation of the conversion report, and the window rules checked before a
// request is sent. The same paths against the sandbox over HTTP: conversions.test.ts.

const NOW_MS = Date.parse('2026-03-20T12:00:00Z');

function invalidResponse(f: () => unknown): EverflowError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof EverflowError);
    assert.equal(e.reason, 'invalidResponse');
    return e;
  }
  assert.fail('expected invalidResponse');
}

describe('parseConversionPage', () => {
  it('reads the current reference: conversions, paging, string ids, no status', () => {
    const page = parseConversionPage({
      conversions: [{ conversion_id: 'abc', transaction_id: 'f'.repeat(32), conversion_unix_timestamp: 1773000000, revenue: 2.5, event: '', is_event: false }],
      paging: { page: 1, page_size: 2000, total_count: 1 },
    });
    assert.deepEqual(page.paging, { page: 1, page_size: 2000, total_count: 1 });
    assert.equal(page.rows[0].conversion_id, 'abc');
    assert.equal(page.rows[0].status, '');
    assert.equal(page.rows[0].click_unix_timestamp, 0);
  });

  it('reads the older draft: integer network_conversion_id, conversion_status, numbers as strings, no is_event', () => {
    const [row] = parseConversionPage([
      { network_conversion_id: 98765, conversion_status: 'pending', revenue: '12.50', sale_amount: '99.9', conversion_unix_timestamp: '1773000000', event: 'purchase' },
    ]).rows;
    assert.equal(row.conversion_id, '98765');
    assert.equal(row.status, 'pending');
    assert.equal(row.revenue, 12.5);
    assert.equal(row.sale_amount, 99.9);
    assert.equal(row.conversion_unix_timestamp, 1773000000);
    assert.equal(row.is_event, true, 'inferred from the event name');
    assert.equal(normalizeConversion({ event: '' }).is_event, false);
    assert.equal(normalizeConversion({ event: 'x', is_event: 0 }).is_event, false, 'an explicit is_event wins');
    assert.equal(normalizeConversion({ status: 'approved' }).status, 'approved');
  });

  it('accepts `table`, null and a bare list, and has no paging when none was sent', () => {
    assert.equal(parseConversionPage({ table: [{ conversion_id: 'a' }] }).rows.length, 1);
    assert.equal(parseConversionPage({ conversions: null }).rows.length, 0);
    assert.equal(parseConversionPage([]).paging, undefined);
  });

  it('keeps every other field as sent, with hostile keys as plain data', () => {
    const raw = JSON.parse('{"conversion_id":"a","__proto__":{"polluted":1},"<b>x</b>":"<script>1</script>","adv1":"=1+1","relationship":{"offer":{"network_offer_id":"883","name":"<img src=x>"},"events_count":2}}');
    const row = normalizeConversion(raw);
    assert.equal(Object.getPrototypeOf(row.other), null);
    assert.deepEqual(Object.keys(row.other), ['__proto__', '<b>x</b>', 'adv1', 'relationship']);
    assert.deepEqual(row.other['__proto__'], { polluted: 1 });
    assert.equal(row.other['<b>x</b>'], '<script>1</script>');
    assert.equal(row.offer_id, 883);
    assert.equal(row.offer_name, '<img src=x>');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('a body that is not a report is invalidResponse', () => {
    invalidResponse(() => parseConversionPage({ status: 'ok' }));
    invalidResponse(() => parseConversionPage({ conversions: 'none' }));
    invalidResponse(() => parseConversionPage({ conversions: [1, 2] }));
    invalidResponse(() => parseConversionPage('text'));
    invalidResponse(() => parseConversionResponse({ status: 'ok' }));
  });

  it('one conversion: itself, wrapped in `conversion`, or a one-row report', () => {
    assert.equal(parseConversionResponse({ conversion_id: 'a' }).conversion_id, 'a');
    assert.equal(parseConversionResponse({ conversion: { conversion_id: 'b' } }).conversion_id, 'b');
    assert.equal(parseConversionResponse({ conversions: [{ network_conversion_id: 7 }] }).conversion_id, '7');
  });
});

describe('validateConversionRequest', () => {
  const ok = (from: string, to: string, timezone_id = 67): string[] => validateConversionRequest({ from, to, timezone_id }, NOW_MS).map((p) => p.message);

  it('accepts both date forms, within the prior 365 days and a year', () => {
    assert.deepEqual(ok('2026-03-01', '2026-03-20'), []);
    assert.deepEqual(ok('2026-03-01 00:00:00', '2026-03-20 23:59:59'), []);
    assert.deepEqual(ok('2025-03-21 12:00:00', '2026-03-20 23:59:59'), [], 'exactly 365 days back');
  });

  it('refuses a from 366 days back, naming the earliest allowed from', () => {
    const [m] = ok('2025-03-19', '2025-04-01');
    assert.match(m, /more than 365 days ago/);
    assert.match(m, /earliest allowed `from` is 2025-03-20 12:00:00 \(UTC\)/);
  });

  it('judges the 365 days in the request zone', () => {
    // 2025-03-20 20:00 in Los Angeles is 2025-03-21 03:00 UTC: inside; the same wall time in Tokyo is not.
    assert.deepEqual(ok('2025-03-20 20:00:00', '2025-04-01', 90), []);
    assert.equal(ok('2025-03-20 20:00:00', '2025-04-01', 16).length, 1);
    // A zone id not in the built-in list is read leniently (Everflow answers for it).
    assert.deepEqual(ok('2025-03-21 00:00:00', '2025-04-01', 55), []);
  });

  it('refuses a 13-month window, from after to, and other date forms', () => {
    assert.match(ok('2025-04-01', '2026-05-01')[0], /at most one year/);
    assert.deepEqual(ok('2025-04-01', '2026-04-01'), [], 'one calendar year is fine');
    assert.match(ok('2026-03-19', '2026-03-01')[0], /swap them/);
    assert.match(ok('2026-03-01T00:00:00Z', '2026-03-02')[0], /must look like 2026-03-01/);
    assert.match(ok('2026-02-30', '2026-03-02')[0], /not a real date/);
    assert.match(validateConversionRequest({ from: '2026-03-01', to: '2026-03-02', timezone_id: 0 }, NOW_MS)[0].message, /timezone_id/);
  });

  it('checks the flags and filters, and normalises the body for the wire', () => {
    const req = { from: ' 2026-03-01 ', to: '2026-03-02', timezone_id: 67, show_events: true, query: { filters: [{ resource_type: 'sub1', filter_id_value: ' x ' }] } };
    assert.deepEqual(validateConversionRequest(req, NOW_MS), []);
    assert.deepEqual(normalizeConversionRequest(req), { from: '2026-03-01', to: '2026-03-02', timezone_id: 67, show_events: true, query: { filters: [{ resource_type: 's1', filter_id_value: 'x' }] } });
    const bad = validateConversionRequest({ from: '2026-03-01', to: '2026-03-02', timezone_id: 67, show_events: 'yes' as unknown as boolean, query: { filters: [{ resource_type: 'offer', filter_id_value: '' }] } }, NOW_MS);
    assert.deepEqual(bad.map((p) => p.field), ['show_events', 'filters[0].filter_id_value']);
  });
});
