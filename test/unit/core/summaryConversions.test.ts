import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnsForRows } from '../../../src/core/columns';
import { attachConversions, conversionOf } from '../../../src/core/conversions/clickConversions';
import { clickKeysOf, joinConversions } from '../../../src/core/conversions/join';
import type { Conversion } from '../../../src/core/conversions/types';
import { flattenRows } from '../../../src/core/flatten';
import { summarize, type SummaryOptions } from '../../../src/core/summary/aggregate';
import { breakdownTsv, histogramTsv } from '../../../src/core/summary/chartTsv';
import { SummaryModel } from '../../../src/core/summary/model';
import { stackOf, stackParts } from '../../../src/core/summary/stack';
import { SummaryCounter } from '../../../src/core/summary/summaryCounter';
import { packTable } from '../../../src/core/tablePack';
import type { Click } from '../../../src/core/types';
import { Rng } from '../../sandbox/rng';
import { conversion } from './conversionFixtures';
import { click } from './gridFixtures';

// The summary over a result with conversions joined: converted clicks per card, bucket and bar, CVR,
// conversions and events, conversion revenue per currency; checked by hand on a small table and
// against a plain loop over the clicks and their joined values on random ones.

const T0 = Date.UTC(2026, 2, 14, 12) / 1000;

function modelOf(rows: Click[], conversions: Conversion[] | undefined, zone = 'UTC'): SummaryModel {
  if (conversions) attachConversions(rows, joinConversions(clickKeysOf(rows), conversions));
  const { columns } = columnsForRows(rows, { conversions: conversions !== undefined });
  // Through JSON, as the table crosses postMessage.
  return new SummaryModel(JSON.parse(JSON.stringify(packTable(flattenRows(rows, columns)))), zone);
}

function small() {
  const rows = [
    click({ transaction_id: 't1', unix_timestamp: T0 + 10, geo: { country_name: 'US' } }),
    click({ transaction_id: 't2', unix_timestamp: T0 + 20, geo: { country_name: 'US' } }),
    click({ transaction_id: 't3', unix_timestamp: T0 + 3600 + 5, geo: { country_name: 'DE' } }),
    click({ transaction_id: 't4', unix_timestamp: T0 + 3600 + 9, geo: { country_name: 'DE' } }),
    click({ transaction_id: 't5', unix_timestamp: T0 + 7200, geo: { country_name: 'FR' } }),
  ];
  const conversions = [
    conversion({ transaction_id: 't1', revenue: 12.5, conversion_unix_timestamp: T0 + 100 }),
    conversion({ transaction_id: 't1', is_event: true, event: 'purchase', revenue: 1.5, conversion_unix_timestamp: T0 + 200 }),
    conversion({ transaction_id: 't3', revenue: 4, currency_id: 'EUR', conversion_unix_timestamp: T0 + 3700 }),
    // Paid in two currencies: the grid shows "$2.00 + €3.00", not one sum.
    conversion({ transaction_id: 't4', revenue: 2, currency_id: 'USD', conversion_unix_timestamp: T0 + 3800 }),
    conversion({ transaction_id: 't4', revenue: 3, currency_id: 'EUR', conversion_unix_timestamp: T0 + 3900 }),
    // Its click is not in the result: not counted anywhere here.
    conversion({ transaction_id: 'elsewhere', revenue: 99, conversion_unix_timestamp: T0 + 50 }),
  ];
  return { rows, conversions };
}

const window = { start: T0, end: T0 + 3 * 3600 };

describe('summary with conversions joined', () => {
  it('counts converted clicks, conversions, events, CVR and conversion revenue on the cards', () => {
    const { rows, conversions } = small();
    const m = modelOf(rows, conversions);
    assert.equal(m.hasConversions, true);
    const c = summarize(m, 'all').cards.conversions!;
    assert.deepEqual(c, {
      converted: 3,
      cvr: 3 / 5,
      conversions: 4,
      events: 1,
      revenue: [
        { currency: 'USD', sum: 14 },
        { currency: 'EUR', sum: 4 },
      ],
    });
    // The rows the grid shows: the German ones only.
    const de = summarize(m, [3, 2]).cards.conversions!;
    assert.equal(de.converted, 2);
    assert.equal(de.cvr, 1);
    assert.deepEqual(de.revenue, [{ currency: 'EUR', sum: 4 }]);
    assert.equal(summarize(m, []).cards.conversions!.cvr, 0);
  });

  it('has no conversion figures for a result without conversions', () => {
    const { rows } = small();
    const m = modelOf(rows.map((r) => ({ ...r })), undefined);
    assert.equal(m.hasConversions, false);
    const r = summarize(m, 'all', { window, bucket: 'hour', dimension: 'geo.country_name', measure: 'cvr' });
    assert.equal(r.cards.conversions, undefined);
    assert.equal(r.histogram.converted, undefined);
    assert.equal(r.breakdown!.items[0].converted, undefined);
    assert.equal(stackOf(r.histogram, 'converted'), 'errors');
    assert.doesNotMatch(histogramTsv(r.histogram), /Converted/);
    assert.doesNotMatch(breakdownTsv(r.breakdown!), /CVR/);
  });

  it('stacks converted vs not converted per bucket, and copies both as TSV', () => {
    const { rows, conversions } = small();
    const h = summarize(modelOf(rows, conversions), 'all', { window, bucket: 'hour' }).histogram;
    assert.deepEqual(Array.from(h.clicks), [2, 2, 1]);
    assert.deepEqual(Array.from(h.converted!), [1, 2, 0]);
    const parts = stackParts(h, 'converted');
    assert.deepEqual([parts.lowerName, parts.upperName], ['Converted', 'Not converted']);
    assert.deepEqual([0, 1, 2].map(parts.lower), [1, 2, 0]);
    const lines = histogramTsv(h).trim().split('\n');
    assert.deepEqual(lines[0].split('\t').slice(-2), ['Converted', 'Not converted']);
    assert.deepEqual(lines.slice(1).map((l) => l.split('\t').slice(-2).map(Number)), [
      [1, 1],
      [2, 0],
      [0, 1],
    ]);
  });

  it('gives CVR per bar and for Other, and conversion revenue per value with that measure', () => {
    const { rows, conversions } = small();
    const m = modelOf(rows, conversions);
    const opts: SummaryOptions = { window, dimension: 'geo.country_name', topN: 1, measure: 'cvr' };
    const b = summarize(m, 'all', opts).breakdown!;
    assert.deepEqual(
      b.items.map((i) => [i.label, i.count, i.converted, i.cvr]),
      [['DE', 2, 2, 1]],
    );
    assert.deepEqual([b.other!.count, b.other!.converted, b.other!.cvr], [3, 1, 1 / 3]);
    assert.equal(b.items[0].conversionRevenue, undefined);
    const tsv = breakdownTsv(b).trim().split('\n');
    assert.deepEqual(tsv[0].split('\t').slice(-2), ['Converted', 'CVR']);
    assert.deepEqual(tsv[1].split('\t').slice(-2), ['2', '100.00%']);
    assert.deepEqual(tsv[2].split('\t').slice(-2), ['1', '33.33%']);

    const money = summarize(m, 'all', { ...opts, topN: 10, measure: 'conversionRevenue' }).breakdown!;
    const byLabel = Object.fromEntries(money.items.map((i) => [i.label, i.conversionRevenue]));
    // The click paid in two currencies is left out of the sums (it has no one amount).
    assert.deepEqual(byLabel, { DE: [{ currency: 'EUR', sum: 4 }], US: [{ currency: 'USD', sum: 14 }], FR: [] });
    assert.equal(money.items[0].revenue, undefined);
    assert.match(breakdownTsv(money), /\tConversion revenue\n/);
    assert.match(breakdownTsv(money), /^DE\t.*\t4\.00 EUR$/m);
  });

  it('counts appended rows on their own (Fetch all) and matches a plain loop over the clicks', () => {
    const rng = new Rng(15);
    const between = (a: number, b: number) => a + rng.int(b - a + 1);
    const rows: Click[] = [];
    const conversions: Conversion[] = [];
    const countries = ['US', 'DE', 'FR', 'GB', 'NL', 'ES', 'IT', 'PL', 'SE', 'NO', 'DK', 'FI'];
    for (let i = 0; i < 3000; i++) {
      const id = `tx${i}`;
      const t = T0 + between(0, 3 * 3600 - 1);
      rows.push(click({ transaction_id: id, unix_timestamp: t, is_unique: rng.next() < 0.8, geo: { country_name: countries[between(0, countries.length - 1)] } }));
      const n = rng.next() < 0.1 ? between(1, 3) : 0;
      for (let k = 0; k < n; k++) conversions.push(conversion({ transaction_id: id, is_event: k > 0, revenue: between(1, 2000) / 100, currency_id: rng.next() < 0.9 ? 'USD' : 'EUR', conversion_unix_timestamp: t + between(1, 86_400) }));
    }
    attachConversions(rows, joinConversions(clickKeysOf(rows), conversions));
    const { columns } = columnsForRows(rows, { conversions: true });
    const pack = (n: number) => JSON.parse(JSON.stringify(packTable(flattenRows(rows.slice(0, n), columns))));
    const shown = (n: number) => Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0);
    const opts: SummaryOptions = { window, bucket: 'hour', dimension: 'geo.country_name', measure: 'cvr', topN: 5 };
    const m = new SummaryModel(pack(2000), 'UTC');
    const counter = new SummaryCounter();
    counter.count(m, shown(2000), opts, 'view');
    assert.equal(m.extend(pack(3000)), true);
    const { result, incremental } = counter.count(m, shown(3000), opts, 'view');
    assert.equal(incremental, true);
    assert.deepEqual(result, summarize(new SummaryModel(pack(3000), 'UTC'), shown(3000), opts));

    // By hand: each shown click and what the join attached to it.
    let converted = 0;
    let convs = 0;
    let events = 0;
    const perCountry = new Map<string, [number, number]>();
    const perHour = [0, 0, 0];
    for (const i of shown(3000)) {
      const c = conversionOf(rows[i]);
      const country = rows[i].relationship.geolocation.country_name;
      const g = perCountry.get(country) ?? [0, 0];
      g[0]++;
      if (c) {
        converted++;
        convs += c.conversions;
        events += c.events;
        g[1]++;
        perHour[Math.floor((rows[i].unix_timestamp - T0) / 3600)]++;
      }
      perCountry.set(country, g);
    }
    assert.ok(converted > 100, `${converted} converted`);
    const cards = result.cards.conversions!;
    assert.deepEqual([cards.converted, cards.conversions, cards.events], [converted, convs, events]);
    assert.deepEqual(Array.from(result.histogram.converted!), perHour);
    for (const item of result.breakdown!.items) {
      const [count, conv] = perCountry.get(item.label)!;
      assert.deepEqual([item.count, item.converted, item.cvr], [count, conv, conv / count], item.label);
    }
    const rest = [...perCountry.entries()].filter(([k]) => !result.breakdown!.items.some((i) => i.label === k));
    assert.equal(result.breakdown!.other!.converted, rest.reduce((s, [, g]) => s + g[1], 0));
  });
});
