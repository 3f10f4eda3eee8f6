import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flattenRows } from '../../../src/core/flatten';
import { TYPING_PAUSE_BOUNDS, groupCounts, selectionStats, summarize, typingPauseMs } from '../../../src/core/gridStats';
import { GridTable } from '../../../src/core/gridTable';
import { click } from './gridFixtures';

// The summary bar, "Group by" counts and selection statistics.

const T0 = Date.UTC(2026, 2, 14, 12) / 1000;

function table() {
  const rows = [
    click({ unix_timestamp: T0 + 30, revenue: 0.1, currency_id: 'USD', is_unique: true, geo: { country_name: 'United States' }, error_code: 2 }),
    click({ unix_timestamp: T0, revenue: 0.2, currency_id: 'usd', is_unique: false, geo: { country_name: 'Germany' }, error_code: 3 }),
    click({ unix_timestamp: T0 + 90, revenue: 5, currency_id: 'EUR', is_unique: true, geo: { country_name: 'United States' } }),
    click({ unix_timestamp: T0 + 10, revenue: 0, currency_id: 'USD', is_unique: true, geo: { country_name: '' } }),
  ];
  return new GridTable(flattenRows(rows), 'UTC');
}

describe('summarize', () => {
  it('counts rows, unique clicks, revenue per currency and the time span of the rows shown', () => {
    const t = table();
    assert.deepEqual(summarize(t, [0, 1, 2, 3]), {
      shown: 4,
      total: 4,
      unique: 3,
      revenue: [
        { currency: 'EUR', sum: 5 },
        { currency: 'USD', sum: 0.3 },
      ],
      first: T0,
      last: T0 + 90,
    });
    assert.deepEqual(summarize(t, [1]), { shown: 1, total: 4, unique: 0, revenue: [{ currency: 'USD', sum: 0.2 }], first: T0, last: T0 });
    assert.deepEqual(summarize(t, []), { shown: 0, total: 4, unique: 0, revenue: [] });
  });
});

describe('groupCounts', () => {
  it('counts rows per shown value, most frequent first, the empty value included', () => {
    const t = table();
    assert.deepEqual(groupCounts(t, 'geo.country_name', [0, 1, 2, 3]), [
      { text: 'United States', count: 2 },
      { text: '', count: 1 },
      { text: 'Germany', count: 1 },
    ]);
    assert.deepEqual(groupCounts(t, 'is_unique', [0, 1, 2, 3]), [
      { text: 'Yes', count: 3 },
      { text: 'No', count: 1 },
    ]);
    assert.deepEqual(groupCounts(t, 'geo.country_name', [1]), [{ text: 'Germany', count: 1 }]);
    assert.deepEqual(groupCounts(t, 'nope', [0]), []);
  });
});

describe('selectionStats', () => {
  const t = table();
  const c = (id: string) => t.col(id);
  it('sums and averages money of one currency, and says which', () => {
    const { average, ...s } = selectionStats(t, [{ rows: [0, 1, 3], columns: [c('revenue')] }]);
    assert.deepEqual(s, { cells: 3, numeric: 3, sum: 0.3, currency: 'USD' });
    assert.ok(Math.abs(average! - 0.1) < 1e-9, String(average));
  });
  it('gives no sum across currencies', () => {
    assert.deepEqual(selectionStats(t, [{ rows: [0, 2], columns: [c('revenue')] }]), { cells: 2, numeric: 2, mixedCurrencies: true });
  });
  it('counts every cell but sums only number and money columns (not ids or times)', () => {
    const s = selectionStats(t, [{ rows: [0, 1], columns: [c('error_code'), c('time'), c('offer.network_offer_id'), c('geo.country_name')] }]);
    assert.deepEqual(s, { cells: 8, numeric: 2, sum: 5, average: 2.5 });
  });
  it('counts a cell in two overlapping blocks once', () => {
    const s = selectionStats(t, [
      { rows: [0, 1], columns: [c('error_code')] },
      { rows: [1, 2], columns: [c('error_code')] },
    ]);
    assert.deepEqual(s, { cells: 3, numeric: 3, sum: 5, average: 5 / 3 });
  });
  it('is empty for no selection', () => {
    assert.deepEqual(selectionStats(t, []), { cells: 0, numeric: 0 });
  });
});

describe('typingPauseMs', () => {
  it('follows what a search costs: short on a small table, about twice the last search on a large one', () => {
    assert.equal(typingPauseMs(5_000), TYPING_PAUSE_BOUNDS.min);
    assert.equal(typingPauseMs(100_000), 50);
    assert.equal(typingPauseMs(100_000, 47), 94);
    assert.equal(typingPauseMs(100_000, 3), TYPING_PAUSE_BOUNDS.min);
    assert.equal(typingPauseMs(100_000, 400), TYPING_PAUSE_BOUNDS.max);
    assert.equal(typingPauseMs(0, Number.NaN), TYPING_PAUSE_BOUNDS.min);
  });
});
