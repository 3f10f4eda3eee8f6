import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flattenRows } from '../../../src/core/flatten';
import { GridTable, type ViewSpec } from '../../../src/core/gridTable';
import { packTable, unpackTable } from '../../../src/core/tablePack';
import type { Click } from '../../../src/core/types';
import { click } from './gridFixtures';
import { Rng } from '../../sandbox/rng';

// The quick search and the per-column "contains" filters read a lower-cased index (searchIndex.ts)
// instead of scanning every cell's text. These tests hold the index to what the scan did — a row is
// kept when any cell, as shown, lower-cased, contains the trimmed, lower-cased needle — on hostile
// and awkward text, on the packed table the webview gets and on a plain one, and however much of
// the index was built before the search came.

/** The search as it was before the index: every cell's shown text, lower-cased, one at a time. */
function scan(t: GridTable, spec: ViewSpec): number[] {
  let rows = Array.from({ length: t.rowCount }, (_, r) => r);
  for (const [id, needle] of Object.entries(spec.contains ?? {})) {
    const c = t.col(id);
    const n = needle.trim().toLowerCase();
    if (c >= 0 && n) rows = rows.filter((r) => t.text(c, r).toLowerCase().includes(n));
  }
  const n = (spec.search ?? '').trim().toLowerCase();
  if (n) rows = rows.filter((r) => t.columns.some((_, c) => t.text(c, r).toLowerCase().includes(n)));
  return rows;
}

/** A deterministic source of numbers in [0, 1): the sandbox's generator. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

// Text that lower-cases with context or changes length, markup, control and invisible characters.
const AWKWARD = [
  'ΟΔΟΣ',
  'ΣΑΣ ΟΔΟΣ',
  'İstanbul',
  'STRASSE',
  'Straße',
  'e\u0301cole',
  'É',
  'a\u200bb',
  '\u202eevil',
  'nul\u0000byte',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x")',
  '[x](command:workbench.action.quit)',
  '😀 Smile',
  '  padded  ',
  'Yes',
  'No',
  '1.5',
  '',
];

function awkwardRows(n: number, seed: number): Click[] {
  const next = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)];
  return Array.from({ length: n }, (_, i) => {
    const c = click({
      unix_timestamp: 1_773_446_400 + Math.floor(next() * 86_400 * 3),
      revenue: pick([0, 1.5, 2, 10, 1234.5, -3]),
      currency_id: pick(['USD', 'EUR', 'JPY', 'GBP', '']),
      is_unique: next() < 0.5,
      sub1: pick(AWKWARD),
      sub2: i % 3 === 0 ? `unique-${i}-${pick(AWKWARD)}` : pick(['alpha', 'Beta', 'GAMMA']),
      sub3: `row ${i}`,
      geo: { country_name: pick(['United States', 'Germany', 'Türkiye', 'Ελλάδα']), city_name: pick(AWKWARD) },
      query_parameters: next() < 0.3 ? { q: pick(AWKWARD) } : null,
    });
    // Hostile API data: a revenue that came as text, and a number where text is expected.
    if (i % 11 === 0) (c as unknown as Record<string, unknown>).revenue = '7.25';
    if (i % 13 === 0) (c as unknown as Record<string, unknown>).sub4 = 42;
    return c;
  });
}

/** Columns whose cells differ from row to row (most of a click's columns are the same in these rows). */
const VARYING = ['time', 'transaction_id', 'revenue', 'is_unique', 'sub1', 'sub2', 'sub3', 'sub4', 'geo.country_name', 'geo.city_name', 'query_parameters'];

/** Needles: pieces of real cells (so most match some rows), in both cases, and some that match nothing. */
function needles(t: GridTable, count: number, seed: number): string[] {
  const next = rng(seed);
  const columns = VARYING.map((id) => t.col(id)).filter((c) => c >= 0);
  assert.ok(columns.length >= 9, 'the fixture columns moved');
  const out = ['σ', 'ς', 'οδος', 'i̇', 'ss', 'ß', '\u0000', 'l\u0000b', '$', '€', 'yes', ':', ' ', '  ', 'no such text', '¥', '-3', '<'];
  while (out.length < count) {
    const text = t.text(columns[Math.floor(next() * columns.length)], Math.floor(next() * t.rowCount));
    if (!text) continue;
    const a = Math.floor(next() * text.length);
    const piece = text.slice(a, a + 3 + Math.floor(next() * 12));
    out.push(next() < 0.3 ? piece.toUpperCase() : piece);
  }
  return out;
}

/** The grid's table as the webview builds it: packed by the host, through JSON, unpacked. */
function webviewTable(rows: Click[], zone: string): GridTable {
  const packed = JSON.parse(JSON.stringify(packTable(flattenRows(rows)))) as ReturnType<typeof packTable>;
  return new GridTable(unpackTable(packed), zone, packed.data);
}

describe('search index: the same rows as scanning every cell', () => {
  const rows = awkwardRows(600, 7);
  const zone = 'America/New_York';
  const tables = {
    packed: () => webviewTable(rows, zone),
    plain: () => new GridTable(flattenRows(rows), zone),
  };
  const reference = new GridTable(flattenRows(rows), zone);
  const cases = needles(reference, 160, 11);

  for (const [name, make] of Object.entries(tables)) {
    it(`quick search, ${name} table`, () => {
      const t = make();
      let matched = 0;
      for (const n of cases) {
        const want = scan(reference, { search: n });
        assert.deepEqual(t.view({ search: n }), want, JSON.stringify(n));
        if (want.length > 0 && want.length < rows.length) matched++;
      }
      assert.ok(matched > 100, `only ${matched} needles narrowed the rows: the cases test little`);
    });

    it(`per-column contains filters, alone and with a search, ${name} table`, () => {
      const t = make();
      for (const [i, n] of cases.entries()) {
        const column = t.columns[i % t.columns.length];
        const spec: ViewSpec = { contains: { [column]: n, sub2: i % 4 === 0 ? 'a' : '' }, search: i % 3 === 0 ? cases[(i * 7) % cases.length] : undefined };
        assert.deepEqual(t.view(spec), scan(reference, spec), JSON.stringify(spec));
      }
    });
  }

  it('whatever part of the index was built while idle, and when typing narrows a previous view', () => {
    const t = webviewTable(rows, zone);
    let steps = 0;
    // One step at a time, searching between steps: columns half-built, built, not started.
    for (const [i, n] of cases.entries()) {
      if (i % 2 === 0) t.prepareSearch(() => false);
      steps++;
      const want = scan(reference, { search: n });
      assert.deepEqual(t.view({ search: n }), want, JSON.stringify(n));
      const longer = `${n}${n.slice(-1)}`;
      assert.deepEqual(t.view({ search: longer }, want), scan(reference, { search: longer }), `narrowed ${JSON.stringify(longer)}`);
    }
    assert.ok(steps > 0);
    assert.equal(t.prepareSearch(), true, 'the index completes');
    for (const n of cases.slice(0, 40)) assert.deepEqual(t.view({ search: n }), scan(reference, { search: n }), JSON.stringify(n));
  });

  it('money shows (and is found) in each row\'s own currency, also when amounts repeat across currencies', () => {
    const t = webviewTable(rows, zone);
    const euros = t.view({ search: '€1.50' });
    const dollars = t.view({ search: '$1.50' });
    assert.ok(euros.length > 0 && dollars.length > 0);
    const revenue = t.col('revenue');
    assert.ok(euros.every((r) => t.text(revenue, r) === '€1.50' || t.columns.some((_, c) => t.text(c, r).includes('€1.50'))));
    assert.ok(!euros.some((r) => dollars.includes(r) && t.text(revenue, r) === '$1.50' && !t.text(revenue, r).includes('€')));
    assert.deepEqual(euros, scan(reference, { search: '€1.50' }));
  });

  it('times are searched as shown in the zone, not in UTC', () => {
    const t = webviewTable(rows, zone);
    const time = t.col('time');
    const shown = t.text(time, 5);
    assert.ok(t.view({ search: shown }).includes(5));
    const utc = new GridTable(flattenRows(rows), 'UTC');
    assert.notEqual(utc.text(time, 5), shown);
    assert.ok(!t.view({ search: utc.text(time, 5) }).includes(5) || t.text(time, 5) === utc.text(time, 5));
  });
});

describe('search index: building', () => {
  it('builds in bounded steps and says when it is complete', () => {
    const t = webviewTable(awkwardRows(5000, 3), 'UTC');
    let calls = 0;
    while (!t.prepareSearch(() => false)) calls++;
    assert.ok(calls > 10, `${calls} steps: the build is not split into steps`);
    assert.equal(t.prepareSearch(), true);
  });

  it('an empty table searches to nothing and builds at once', () => {
    const t = new GridTable(flattenRows([]), 'UTC');
    assert.equal(t.prepareSearch(() => false), true);
    assert.deepEqual(t.view({ search: 'x' }), []);
  });

  it('ignores packed columns that do not match the table', () => {
    const rows = awkwardRows(50, 5);
    const other = packTable(flattenRows(rows.slice(0, 10)));
    const t = new GridTable(flattenRows(rows), 'UTC', other.data);
    const reference = new GridTable(flattenRows(rows), 'UTC');
    for (const n of ['row 4', 'row 45', 'beta', '€']) assert.deepEqual(t.view({ search: n }), scan(reference, { search: n }), n);
  });
});
