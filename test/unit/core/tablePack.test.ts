import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flattenRows } from '../../../src/core/flatten';
import { packTable, unpackTable } from '../../../src/core/tablePack';
import { click } from './gridFixtures';

// The table as it crosses postMessage: repeated values once, codes per row; unique columns plain.

const countries = ['United States', 'Germany', 'France'];
const rows = Array.from({ length: 300 }, (_, i) =>
  click({ revenue: i % 7 === 0 ? 1.25 : 0, sub1: i % 50 === 0 ? '<script>alert(1)</script>' : `s${i % 4}`, geo: { country_name: countries[i % 3] } }),
);

describe('packTable / unpackTable', () => {
  it('round-trips every column exactly', () => {
    const flat = flattenRows(rows);
    assert.deepEqual(unpackTable(JSON.parse(JSON.stringify(packTable(flat)))), flat);
  });
  it('uses a dictionary for repeated values and plain values for unique ones', () => {
    const flat = flattenRows(rows);
    const packed = packTable(flat);
    const col = (id: string) => packed.data[flat.columns.indexOf(id)];
    const country = col('geo.country_name');
    assert.ok('dict' in country && country.dict.length === 3);
    assert.ok('values' in col('transaction_id'));
    assert.ok('values' in col('time'));
    assert.equal(packed.rows, 300);
  });
  it('is much smaller as JSON than the plain columns', () => {
    const flat = flattenRows(rows);
    const plain = JSON.stringify(flat).length;
    const packed = JSON.stringify(packTable(flat)).length;
    assert.ok(packed < plain * 0.5, `${packed} vs ${plain}`);
  });
  it('handles an empty result', () => {
    const flat = flattenRows([]);
    assert.deepEqual(unpackTable(packTable(flat)), flat);
  });
  it('refuses a table whose columns do not line up', () => {
    const packed = packTable(flattenRows(rows.slice(0, 3)));
    assert.throws(() => unpackTable({ ...packed, rows: 4 }), /malformed/);
    assert.throws(() => unpackTable({ ...packed, columns: packed.columns.slice(1) }), /malformed/);
    const bad = structuredClone(packed);
    const dictCol = bad.data.find((c) => 'dict' in c) as { dict: unknown[]; codes: number[] };
    dictCol.codes[0] = 99;
    assert.throws(() => unpackTable(bad), /unknown code/);
  });
});
