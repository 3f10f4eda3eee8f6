import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flattenRows } from '../../../src/core/flatten';
import { GridTable, narrows } from '../../../src/core/gridTable';
import { click } from './gridFixtures';

// A time range brushed on the summary's histogram filters the grid: [start, end) on the clicks' time.

const T0 = Date.UTC(2026, 2, 14, 15, 0, 0) / 1000;

function table() {
  const rows = [0, 59, 60, 119, 120, 300, 3599, 3600].map((s, i) => click({ unix_timestamp: T0 + s, sub1: `s${i}`, geo: { country_name: i % 2 ? 'France' : 'Germany' } }));
  return new GridTable(flattenRows(rows), 'Europe/Berlin');
}

describe('GridTable.view with a time range', () => {
  const t = table();
  it('keeps the clicks with start <= time < end', () => {
    assert.deepEqual(t.view({ time: { start: T0 + 60, end: T0 + 120 } }), [2, 3]);
    assert.deepEqual(t.view({ time: { start: T0, end: T0 + 3600 } }), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(t.view({ time: { start: T0 + 7200, end: T0 + 9000 } }), []);
  });
  it('combines with value filters and keeps the sort', () => {
    const rows = t.view({ time: { start: T0, end: T0 + 400 }, values: [{ column: 'geo.country_name', text: 'France', exclude: false }], sort: { column: 'time', asc: false } });
    assert.deepEqual(rows, [5, 3, 1]);
  });
  it('a changed range is not a narrowing (a wider range needs every row again)', () => {
    assert.equal(narrows({ time: { start: T0, end: T0 + 60 } }, { time: { start: T0, end: T0 + 120 } }), false);
    assert.equal(narrows({}, { time: { start: T0, end: T0 + 60 } }), false);
    assert.equal(narrows({ time: { start: T0, end: T0 + 60 } }, { time: { start: T0, end: T0 + 60 }, search: 'x' }), true);
  });
});
