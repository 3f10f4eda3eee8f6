import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flattenRows } from '../../../src/core/flatten';
import { GridTable, narrows, type ViewSpec } from '../../../src/core/gridTable';
import { click } from './gridFixtures';

// The grid's model: cell text as people read it, and filtering/sorting row indices over it.

const T0 = Date.UTC(2026, 2, 14, 15, 4, 5) / 1000; // 2026-03-14 15:04:05 UTC = 11:04:05 in New York (EDT)
const HOSTILE = '<img src=x onerror=alert(1)>';

function table() {
  const rows = [
    click({ unix_timestamp: T0, revenue: 1.5, currency_id: 'USD', sub1: 'alpha', geo: { country_name: 'United States', city_name: 'Boston' } }),
    click({ unix_timestamp: T0 + 60, revenue: 2, currency_id: 'EUR', sub1: HOSTILE, is_unique: false, geo: { country_name: 'Germany', city_name: 'Berlin' } }),
    click({ unix_timestamp: T0 - 60, revenue: 0, sub1: 'Beta', geo: { country_name: 'United States', city_name: 'Austin' } }),
    click({ unix_timestamp: T0 + 5, revenue: 10, sub1: 'item 10', geo: { country_name: 'France', city_name: 'Paris' } }),
    click({ unix_timestamp: T0 + 6, revenue: 9, sub1: 'item 9', geo: { country_name: 'Germany', city_name: 'Munich' } }),
  ];
  return { rows, t: new GridTable(flattenRows(rows), 'America/New_York') };
}

describe('GridTable text', () => {
  const { t } = table();
  it('shows timestamps in the zone, with UTC in the tooltip', () => {
    const c = t.col('time');
    assert.equal(t.text(c, 0), '2026-03-14 11:04:05');
    assert.equal(t.tooltip(c, 0), '2026-03-14 15:04:05 UTC');
    assert.equal(t.tooltip(t.col('sub1'), 0), undefined);
  });
  it('shows money with its row currency, booleans as Yes/No, strings as they are', () => {
    assert.equal(t.text(t.col('revenue'), 0), '$1.50');
    assert.equal(t.text(t.col('revenue'), 1), '€2.00');
    assert.equal(t.text(t.col('is_unique'), 1), 'No');
    assert.equal(t.text(t.col('sub1'), 1), HOSTILE, 'hostile text stays literal text');
    assert.equal(t.text(t.col('offer.network_offer_id'), 0), '883');
  });
});

describe('GridTable.view', () => {
  const { t } = table();
  it('returns every row in result order with no spec', () => {
    assert.deepEqual(t.view({}), [0, 1, 2, 3, 4]);
  });
  it('quick search matches any cell, case-insensitively, including formatted text', () => {
    assert.deepEqual(t.view({ search: 'BERLIN' }), [1]);
    assert.deepEqual(t.view({ search: '11:04:05' }), [0]);
    assert.deepEqual(t.view({ search: '€2.00' }), [1]);
    assert.deepEqual(t.view({ search: '<img' }), [1]);
    assert.deepEqual(t.view({ search: '  ' }), [0, 1, 2, 3, 4]);
  });
  it('per-column filters match only their column', () => {
    assert.deepEqual(t.view({ contains: { 'geo.city_name': 'b' } }), [0, 1]);
    assert.deepEqual(t.view({ contains: { 'geo.country_name': 'germany', sub1: 'item' } }), [4]);
    assert.deepEqual(t.view({ contains: { 'no.such': 'x' } }), [0, 1, 2, 3, 4]);
  });
  it('"filter by this value" and "exclude this value" compare the shown text exactly', () => {
    const us = { column: 'geo.country_name', text: 'United States', exclude: false };
    assert.deepEqual(t.view({ values: [us] }), [0, 2]);
    assert.deepEqual(t.view({ values: [{ ...us, exclude: true }] }), [1, 3, 4]);
    assert.deepEqual(t.view({ values: [{ column: 'revenue', text: '$1.50', exclude: false }] }), [0]);
    assert.deepEqual(t.view({ values: [{ column: 'geo.country_name', text: 'United', exclude: false }] }), []);
  });
  it('sorts numbers numerically, text naturally, both stably and either way', () => {
    assert.deepEqual(t.view({ sort: { column: 'time', asc: true } }), [2, 0, 3, 4, 1]);
    assert.deepEqual(t.view({ sort: { column: 'revenue', asc: false } }), [3, 4, 1, 0, 2]);
    assert.deepEqual(t.view({ sort: { column: 'sub1', asc: true } }), [1, 0, 2, 4, 3], '"<img", alpha, Beta, item 9, item 10');
    assert.deepEqual(t.view({ sort: { column: 'geo.country_name', asc: true } }), [3, 1, 4, 0, 2], 'ties keep result order');
    assert.deepEqual(t.view({ sort: { column: 'is_unique', asc: true } }), [1, 0, 2, 3, 4]);
  });
  it('filters and sort combine', () => {
    assert.deepEqual(t.view({ search: 'united', sort: { column: 'time', asc: false } }), [0, 2]);
  });
  it('narrowing from a previous view gives the same rows as a full pass', () => {
    const prev: ViewSpec = { search: 'i', sort: { column: 'revenue', asc: true } };
    const base = t.view(prev);
    const next: ViewSpec = { search: 'in', sort: { column: 'revenue', asc: true } };
    assert.ok(narrows(prev, next));
    assert.deepEqual(t.view(next, base), t.view(next));
    const unsorted: ViewSpec = { search: 'in' };
    assert.deepEqual(t.view(unsorted, base), t.view(unsorted), 'dropping the sort restores result order');
  });
});

describe('narrows', () => {
  it('holds when text filters only grow and value filters stay', () => {
    assert.ok(narrows({}, { search: 'a' }));
    assert.ok(narrows({ search: 'ab' }, { search: 'abc' }));
    assert.ok(narrows({ contains: { sub1: 'x' } }, { contains: { sub1: 'xy', sub2: 'z' } }));
    assert.ok(narrows({ sort: { column: 'time', asc: true } }, { sort: { column: 'revenue', asc: false } }));
  });
  it('fails when a filter is loosened or a value filter changes', () => {
    assert.ok(!narrows({ search: 'abc' }, { search: 'ab' }));
    assert.ok(!narrows({ contains: { sub1: 'x' } }, { contains: {} }));
    assert.ok(!narrows({}, { values: [{ column: 'sub1', text: 'a', exclude: false }] }));
  });
});
