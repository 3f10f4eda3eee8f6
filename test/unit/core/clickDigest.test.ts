import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compactClick, digest, gridFilters, modelOf, sampleIndices, topValues } from '../../../src/core/clickDigest';
import { click } from './gridFixtures';

// The compact summary a chat tool hands a model: its numbers are checked against counts made here by hand.

describe('click digest (chat tools)', () => {
  const rows = [
    click({ sub1: 'a', revenue: 1.5, currency_id: 'USD', geo: { country_name: 'Canada' } }),
    click({ sub1: 'a', is_unique: false, error_code: 101, geo: { country_name: 'Canada' } }),
    click({ sub1: 'b', revenue: 2, currency_id: 'EUR', geo: { country_name: 'United States' } }),
    click({ sub1: 'a', error_code: 21, error_message: 'N/A', geo: { country_name: 'United States' } }),
    click({ sub1: 'c', revenue: 0.25, currency_id: 'USD', geo: { country_name: 'United States' } }),
  ];

  test('counts, revenue per currency, span and errors by meaning', () => {
    const d = digest(modelOf(rows, 'UTC'), 'all');
    assert.equal(d.clicks, 5);
    assert.equal(d.unique, rows.filter((r) => r.is_unique).length);
    assert.equal(d.withError, 2);
    assert.deepEqual(d.revenue, [{ currency: 'EUR', sum: 2 }, { currency: 'USD', sum: 1.75 }]);
    assert.equal(d.firstClick?.slice(0, 10), '2026-03-14');
    assert.deepEqual(d.errors.map((e) => [e.value, e.clicks]), [['101 · Sub1 value filtered', 1], ['21 · Duplicate click', 1]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    const sub1 = d.top.find((t) => t.dimension === 'sub1');
    assert.deepEqual(sub1?.top.map((t) => [t.value, t.clicks]), [['a', 3], ['b', 1], ['c', 1]]);
    assert.equal(sub1?.distinct, 3);
  });

  test('over a subset of rows (what a filtered grid shows)', () => {
    const model = modelOf(rows, 'UTC');
    const t = topValues(model, [2, 3, 4], 'geo.country_name', 10);
    assert.deepEqual(t?.top.map((v) => [v.value, v.clicks, v.share]), [['United States', 3, 1]]);
    assert.equal(digest(model, [0, 1]).clicks, 2);
    assert.equal(topValues(model, 'all', 'no.such.column', 5), undefined);
  });

  test('a compact click keeps what people ask about, drops empties, and says the error in words', () => {
    const c = compactClick(rows[1], 'UTC');
    assert.equal(c.transaction_id, rows[1].transaction_id);
    assert.equal(c.error, '101 · Sub1 value filtered');
    assert.equal(c.is_unique, false);
    assert.ok(!('sub2' in c) && !('revenue' in c));
    assert.match(String(c.time), /^2026-03-14 00:00:\d\d \(UTC\)$/);
  });

  test('samples are spread over the rows, first and last included', () => {
    assert.deepEqual(sampleIndices(3), [0, 1, 2]);
    assert.deepEqual(sampleIndices(101, 5), [0, 25, 50, 75, 100]);
  });

  test("the grid's filters as data: search, contains, value filters, time range, sort", () => {
    assert.deepEqual(gridFilters(undefined, 'UTC'), {});
    assert.deepEqual(gridFilters({ contains: {} }, 'UTC'), {});
    assert.deepEqual(
      gridFilters(
        {
          search: 'abc',
          contains: { sub1: 'x' },
          values: [{ column: 'geo.country_name', text: 'Canada', exclude: true }, { column: 'sub2', text: 'y', exclude: false }],
          time: { start: 1_773_446_400, end: 1_773_450_000 },
          sort: { column: 'time', asc: false },
        },
        'UTC',
      ),
      {
        search: 'abc',
        columnContains: { sub1: 'x' },
        valueFilters: [{ column: 'geo.country_name', exclude: 'Canada' }, { column: 'sub2', keep: 'y' }],
        timeRange: { from: '2026-03-14 00:00:00', toBefore: '2026-03-14 01:00:00', zone: 'UTC' },
        sort: 'time descending',
      },
    );
  });
});
