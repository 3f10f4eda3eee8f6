import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellText, columnById, columnsByIds, columnsForRows, CONVERSION_COLUMNS, CONVERSION_ROW_COLUMNS } from '../../../src/core/columns';
import { decodeTable } from '../../../src/core/binaryTable';
import { encodeRows } from '../../../src/core/tableEncoder';
import type { Click } from '../../../src/core/types';
import { attachConversions, conversionOf } from '../../../src/core/conversions/clickConversions';
import { clickKeysOf, joinConversions } from '../../../src/core/conversions/join';
import { conversionRates, groupRates, ratesText } from '../../../src/core/conversions/rates';
import { resultConversionWindow } from '../../../src/core/conversions/resultWindow';
import { toCsv } from '../../../src/core/exporters';
import { flattenRows } from '../../../src/core/flatten';
import { GridTable } from '../../../src/core/gridTable';
import { packTable, unpackTable } from '../../../src/core/tablePack';
import { conversion } from './conversionFixtures';
import { click } from './gridFixtures';

// The grid's conversion columns: values from the join, as the grid, copies and exports show them.

const T0 = 1_773_446_400;
const HOSTILE = '<img src=x onerror=alert(1)>';

function result() {
  const rows = [
    click({ transaction_id: 't1', unix_timestamp: T0, geo: { country_name: 'US' } }),
    click({ transaction_id: 't2', unix_timestamp: T0, geo: { country_name: 'US' } }),
    click({ transaction_id: 't3', unix_timestamp: T0, geo: { country_name: 'DE' } }),
    click({ transaction_id: 't4', unix_timestamp: T0, geo: { country_name: 'DE' }, currency_id: 'EUR' }),
  ];
  const conversions = [
    conversion({ transaction_id: 't1', revenue: 12.5, sale_amount: 100, conversion_unix_timestamp: T0 + 3 * 3600 + 12 * 60, status: HOSTILE }),
    conversion({ transaction_id: 't1', is_event: true, event: 'purchase', revenue: 1.5, conversion_unix_timestamp: T0 + 2 * 86_400 }),
    conversion({ transaction_id: 't3', revenue: 4, currency_id: 'USD', conversion_unix_timestamp: T0 + 60 }),
    conversion({ transaction_id: 't3', revenue: 3, currency_id: 'EUR', conversion_unix_timestamp: T0 + 120 }),
  ];
  const join = joinConversions(clickKeysOf(rows), conversions);
  attachConversions(rows, join);
  return { rows, join };
}

describe('conversion columns', () => {
  it('are in a result only when conversions were added', () => {
    const { rows } = result();
    assert.equal(columnsForRows(rows).columns.some((c) => c.id.startsWith('conversion.')), false);
    const ids = columnsForRows(rows, { conversions: true }).columns.map((c) => c.id);
    for (const c of CONVERSION_COLUMNS) assert.ok(ids.includes(c.id), c.id);
  });

  it('show the joined values as text, in the conversions\' currency, blanks without a conversion', () => {
    const { rows } = result();
    const cols = columnsByIds(['conversion.count', 'conversion.events', 'conversion.revenue', 'conversion.sale_amount', 'conversion.first', 'conversion.time_to_convert', 'conversion.status', 'conversion.converted']);
    const text = (r: number) => cols.map((c) => cellText(c, rows[r], { zone: 'UTC' }));
    assert.deepEqual(text(0), ['1', '1', '$14.00', '$100.00', '2026-03-14 03:12:00', '3 h 12 min', HOSTILE, 'Yes']);
    assert.deepEqual(text(1), ['0', '0', '$0.00', '$0.00', '', '', '', 'No']);
    assert.deepEqual(text(2).slice(0, 3), ['2', '0', '$4.00 + €3.00']);
    // A click in euros without conversions shows its own currency for the zero.
    assert.equal(text(3)[2], '€0.00');
    assert.equal(conversionOf(rows[1]), undefined);
  });

  it('reach the grid table through the packed table: sort, filter by Converted, search', () => {
    const { rows } = result();
    const flat = flattenRows(rows, columnsForRows(rows, { conversions: true }).columns);
    const packed = JSON.parse(JSON.stringify(packTable(flat)));
    const t = new GridTable(unpackTable(packed), 'UTC', packed.data);
    const c = t.col('conversion.revenue');
    assert.equal(t.text(c, 0), '$14.00');
    assert.equal(t.text(c, 2), '$4.00 + €3.00');
    assert.equal(t.text(t.col('conversion.time_to_convert'), 0), '3 h 12 min');
    assert.deepEqual(t.view({ values: [{ column: 'conversion.converted', text: 'Yes', exclude: false }] }), [0, 2]);
    assert.deepEqual(t.view({ values: [{ column: 'conversion.converted', text: 'Yes', exclude: true }] }), [1, 3]);
    assert.deepEqual(t.view({ sort: { column: 'conversion.count', asc: false } }), [2, 0, 1, 3]);
    assert.deepEqual(t.view({ search: 'onerror' }), [0]);
  });

  it('give CVR and EPC overall and per group', () => {
    const { rows } = result();
    const flat = flattenRows(rows.slice(0, 2), columnsForRows(rows, { conversions: true }).columns);
    const t = new GridTable(flat, 'UTC');
    const all = conversionRates(t, [0, 1])!;
    assert.deepEqual(all, { clicks: 2, converted: 1, revenue: 14, currency: 'USD' });
    assert.equal(ratesText(all), 'CVR 50.0% · EPC $7.00');
    const full = new GridTable(flattenRows(rows, columnsForRows(rows, { conversions: true }).columns), 'UTC');
    const groups = groupRates(full, 'geo.country_name', [0, 1, 2, 3])!;
    assert.equal(ratesText(groups.get('US')!), 'CVR 50.0% · EPC $7.00');
    assert.equal(ratesText(groups.get('DE')!), 'CVR 50.0% · EPC — (several currencies)');
    assert.equal(conversionRates(new GridTable(flattenRows(rows), 'UTC'), [0]), undefined);
  });

  it('export as data: numbers raw in CSV, hostile status as neutral text', () => {
    const { rows } = result();
    const csv = toCsv(rows.slice(0, 1), columnsByIds(['transaction_id', 'conversion.count', 'conversion.revenue', 'conversion.status']), { zone: 'UTC' });
    const line = csv.trim().split(/\r?\n/)[1];
    assert.ok(line.startsWith('t1,1,14,'), line);
    assert.ok(line.includes(HOSTILE), line);
  });
});

describe('the columns of a grid of conversions', () => {
  const HOSTILE_SUB = '=HYPERLINK("http://evil")<script>alert(1)</script>';
  const rows = [
    conversion({ transaction_id: 'tx1', conversion_id: 'c-a', revenue: 12.5, currency_id: 'EUR', sub1: HOSTILE_SUB, order_id: HOSTILE, conversion_unix_timestamp: T0, click_unix_timestamp: T0 - 3600, other: { note: '<b>x</b>' } }),
    conversion({ transaction_id: 'tx2', conversion_id: 'c-b', is_event: true, event: 'purchase', click_unix_timestamp: 0 }),
  ];
  const asRows = rows as unknown as Click[];

  it('read each row as the conversion it is, free text as text', () => {
    const text = (id: string, r: number) => cellText(columnById(id)!, asRows[r], { zone: 'UTC' });
    assert.equal(text('cv.conversion_id', 0), 'c-a');
    assert.equal(text('cv.revenue', 0), '€12.50');
    assert.equal(text('cv.conversion_unix_timestamp', 0), '2026-03-14 00:00:00');
    assert.equal(text('cv.click_unix_timestamp', 0), '2026-03-13 23:00:00');
    // No click time from Everflow: blank, not 1970.
    assert.equal(text('cv.click_unix_timestamp', 1), '');
    assert.equal(text('cv.sub1', 0), HOSTILE_SUB);
    assert.equal(text('cv.order_id', 0), HOSTILE);
    assert.equal(text('cv.other', 0), '{"note":"<b>x</b>"}');
    assert.equal(text('cv.is_event', 1), 'Yes');
    for (const c of CONVERSION_ROW_COLUMNS) assert.ok(c.id.startsWith('cv.'), c.id);
    for (const id of ['cv.sub1', 'cv.sub5', 'cv.order_id', 'cv.coupon_code', 'cv.status', 'cv.event', 'cv.offer_name', 'cv.other']) assert.equal(columnById(id)!.kind, 'text', id);
  });

  it('reach the grid table through the binary table, sort and search', () => {
    // As the webview gets it (typed arrays cross postMessage as they are).
    const packed = decodeTable(encodeRows(asRows, CONVERSION_ROW_COLUMNS));
    const t = new GridTable(packed, 'UTC');
    assert.equal(t.rowCount, 2);
    assert.equal(t.text(t.col('cv.revenue'), 0), '€12.50');
    assert.deepEqual(t.view({ search: 'HYPERLINK' }), [0]);
    assert.deepEqual(t.view({ sort: { column: 'cv.conversion_id', asc: false } }), [1, 0]);
  });
});

describe('resultConversionWindow', () => {
  const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
  it('extends the end by the attribution window', () => {
    const w = resultConversionWindow('2026-10-01 00:00:00', '2026-10-01 23:59:59', 'America/New_York', 30, NOW)!;
    assert.deepEqual(w, { from: '2026-10-01 00:00:00', to: '2026-10-31 23:59:59', startClamped: false, endCapped: false });
  });
  it('caps the end at now, in the result\'s zone', () => {
    const w = resultConversionWindow('2026-12-01 00:00:00', '2026-12-01 23:59:59', 'America/New_York', 30, NOW)!;
    assert.equal(w.to, '2026-12-03 07:00:00');
    assert.equal(w.endCapped, true);
  });
  it('starts no earlier than 365 days ago and spans at most a year', () => {
    const w = resultConversionWindow('2025-11-01 00:00:00', '2025-12-10 00:00:00', 'UTC', 365, NOW)!;
    assert.equal(w.from, '2025-12-03 12:01:00');
    assert.equal(w.startClamped, true);
    assert.equal(w.to, '2026-12-03 12:00:00');
    assert.equal(resultConversionWindow('2020-01-01 00:00:00', '2020-01-02 00:00:00', 'UTC', 30, NOW), undefined);
    assert.equal(resultConversionWindow('yesterday', '2020-01-02 00:00:00', 'UTC', 30, NOW), undefined);
  });
});
