import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeTable, type BinaryTable } from '../../../src/core/binaryTable';
import { SAMPLE_ROWS } from '../../../src/core/columnBuilder';
import { CONVERSION_COLUMNS, columnsForRows } from '../../../src/core/columns';
import { flattenRows } from '../../../src/core/flatten';
import { normalizeClick } from '../../../src/core/parse';
import { unpackTable } from '../../../src/core/tablePack';
import { encodeRows, encodeTable, TableEncoder } from '../../../src/core/tableEncoder';
import { PieceReader, PieceWriter, type TablePiece } from '../../../src/core/tablePieces';
import type { Click } from '../../../src/core/types';
import { click } from './gridFixtures';

// Fetch all's pages encoded as they arrive (tableEncoder.ts) against the one-shot encode of the
// whole result: the same bytes when the rows stay in arrival order, the same cells when Fetch all
// sorts them and drops repeats.

/** The table as it goes: its JSON (typed arrays by type, place and length) and the bytes of its one buffer. */
function wire(t: BinaryTable): { json: string; bytes: Buffer[] } {
  const buffers = new Set<ArrayBufferLike>();
  const json = JSON.stringify(t, (_k, v: unknown) => {
    if (!ArrayBuffer.isView(v)) return v;
    buffers.add(v.buffer);
    return { type: v.constructor.name, offset: v.byteOffset, length: v.byteLength };
  });
  return { json, bytes: [...buffers].map((b) => Buffer.from(b as ArrayBuffer)) };
}

/** Every cell, as the grid reads it back, compared with Object.is (-0, NaN). */
function assertCells(t: BinaryTable, rows: readonly Click[], columns: ReturnType<typeof columnsForRows>['columns']): void {
  const back = unpackTable(decodeTable(t));
  const want = flattenRows(rows, columns);
  assert.deepEqual(back.columns, want.columns);
  back.data.forEach((col, c) => {
    assert.equal(col.length, rows.length);
    col.forEach((v, r) => assert.ok(Object.is(v, want.data[c][r]), `${want.columns[c]} row ${r}: ${String(v)} is not ${String(want.data[c][r])}`));
  });
}

const hostile = ['<img src=x onerror=alert(1)>', '\ud800', 'a\udc00b', '😀', '', '\u0000', '"},{"x":1', 'Ünïcödé', '\n\r\t'];

/** Clicks of every sort of value: unicode, empty, numbers and strings in one column, nulls, nested unknown fields, and a field that appears only from `lateFrom` on. */
function clicks(n: number, lateFrom: number): Click[] {
  return Array.from({ length: n }, (_, i) =>
    normalizeClick({
      ...click({
        sub1: i % 5 ? hostile[i % hostile.length] : `s${i}`,
        sub2: i % 3 ? '' : `x${i % 7}`,
        revenue: i % 4 ? (i % 7 ? -0 : 1.5) : i * 0.5,
        geo: { country_name: ['US', 'DE', ''][i % 3] },
      }),
      // One column holding numbers and strings (and null) mixed: numbers mode, the rest as exceptions.
      mixed_field: i % 11 === 0 ? null : i % 4 === 1 ? String(i) : i,
      nested_field: i % 13 ? { deep: { value: hostile[i % hostile.length] } } : [],
      ...(i >= lateFrom ? { late_field: i % 2 ? `late ${i}` : i } : {}),
    }),
  );
}

const pagesOf = (rows: readonly Click[], sizes: readonly number[]): Click[][] => {
  const out: Click[][] = [];
  let at = 0;
  for (let k = 0; at < rows.length; k++) {
    const size = sizes[k % sizes.length];
    out.push(rows.slice(at, at + size));
    at += size;
  }
  return out;
};

const pageColumns = (page: readonly Click[]) => columnsForRows(page).columns;

describe('TableEncoder', () => {
  for (const [label, n, lateFrom, sizes] of [
    ['pages of 5,000 with a field that appears after the modes were chosen', 12_000, 9_500, [5000]],
    ['uneven pages, small ones first, a late field before the modes were chosen', 9_000, 1_000, [1, 3, 700, 2500]],
    ['fewer rows than the sample', 300, 150, [7, 40]],
    ['a late field on the last row only', 6_000, 5_999, [1000]],
  ] as const) {
    it(`gives the one-shot bytes for ${label}`, () => {
      const rows = clicks(n, lateFrom);
      const enc = new TableEncoder(pageColumns);
      for (const page of pagesOf(rows, sizes)) enc.append(page);
      const { columns } = columnsForRows(rows);
      assert.ok(columns.some((c) => c.id.includes('late_field')), 'the late field is a column of the result');
      const incremental = enc.finish(rows, columns);
      assert.deepEqual(wire(incremental), wire(encodeRows(rows, columns)));
      assertCells(incremental, rows, columns);
    });
  }

  it('gives every cell once, in the final order, when the rows come shuffled and some twice', () => {
    const n = 11_000;
    const rows = clicks(n, 7_000);
    // Arrival: pieces out of order, one piece fetched again (new objects for the same clicks).
    const pages = pagesOf(rows, [3000]).reverse();
    const again = rows.slice(2000, 4500).map((r) => ({ ...r }));
    const enc = new TableEncoder(pageColumns);
    for (const page of [...pages.slice(0, 2), again, ...pages.slice(2)]) enc.append(page);
    // What Fetch all keeps: the latest copy of each click, sorted, cut at a maximum.
    const latest = new Map(rows.map((r) => [r.transaction_id, r]));
    for (const r of again) latest.set(r.transaction_id, r);
    const final = [...latest.values()].sort((a, b) => a.unix_timestamp - b.unix_timestamp).slice(0, 10_500);
    const { columns } = columnsForRows(final);
    const table = enc.finish(final, columns);
    assertCells(table, final, columns);
    // Values only the dropped rows held are not in the dictionaries.
    const sub1 = table.cols[columns.findIndex((c) => c.id === 'sub1')];
    assert.ok(sub1.kind === 'codes');
    assert.ok(!sub1.dict.text.includes(`s${10_995}`), 'a value of a row cut by the maximum is not sent');
    const mixed = table.cols[columns.findIndex((c) => c.id === 'extra:mixed_field')];
    assert.ok(mixed.kind === 'numbers', 'numbers, with the strings and nulls as exceptions');
    assert.ok(!mixed.rest.text.includes('10997'), 'an exception of a row cut by the maximum is not sent');
  });

  it('sends distinct ids joined page by page exactly: as ASCII bytes when all are, as text when one is not', () => {
    for (const [label, unicodeAt] of [
      ['all ASCII', -1],
      ['a non-ASCII id in a later page', 7_345],
      ['a non-ASCII id in the first page', 5],
    ] as const) {
      // Pages of 1,000: the first five are built together (the modes wait for SAMPLE_ROWS), then one piece a page.
      const rows = clicks(12_000, 12_000).map((r, i) => ({ ...r, transaction_id: i === unicodeAt ? `é-${i}` : `tx-${i}-abcdef` }));
      const enc = new TableEncoder(pageColumns);
      for (const page of pagesOf(rows, [1000])) enc.append(page);
      const { columns } = columnsForRows(rows);
      const table = enc.finish(rows, columns);
      const ids = table.cols[columns.findIndex((c) => c.id === 'transaction_id')];
      assert.ok(ids.kind === 'each' && ids.dict.lens instanceof Uint8Array && ids.dict.lens.length === 12_000, `${label}: one entry per row, no codes sent`);
      assert.equal(ids.dict.ascii !== undefined, unicodeAt < 0, `${label}: bytes only while every id is ASCII`);
      assert.deepEqual(wire(table), wire(encodeTable(flattenRows(rows, columns))), label);
      assertCells(table, rows, columns);
    }
  });

  it('gives the one-shot bytes of the final rows when the pages came in any order', () => {
    // Rows in time order; the first page (which holds the rows that decide the modes) first, the
    // others in a scrambled order: finishing puts every row of them in place (the reordering path).
    const rows = clicks(23_000, 23_000).map((r, i) => ({ ...r, unix_timestamp: 1_700_000_000 + i }));
    const [first, ...rest] = pagesOf(rows, [5000]);
    const arrival = [first, rest[2], rest[0], rest[3], rest[1]];
    const enc = new TableEncoder(pageColumns);
    for (const page of arrival) enc.append(page);
    const final = arrival.flat().sort((a, b) => a.unix_timestamp - b.unix_timestamp);
    const { columns } = columnsForRows(final);
    const table = enc.finish(final, columns);
    assert.deepEqual(wire(table), wire(encodeRows(final, columns)));
    assertCells(table, final, columns);
  });

  it('sends a long dictionary of repeated values as ASCII bytes while every value is, and as exact text once one is not', () => {
    for (const [label, hostileAt] of [
      ['all ASCII', -1],
      ['a lone surrogate in a later page', 9_001],
      ['markup and an emoji in a later page', 6_500],
    ] as const) {
      // 600 values of 40 characters repeated (a dictionary, not one entry per row): 24,000 characters.
      const value = (i: number): string => (i === hostileAt ? (label.includes('surrogate') ? 'x\ud800y' : '<b>😀</b>') : `referrer-${String(i % 600).padStart(31, '0')}`);
      const rows = clicks(12_000, 12_000).map((r, i) => ({ ...r, sub5: value(i) }));
      const enc = new TableEncoder(pageColumns);
      for (const page of pagesOf(rows, [1000])) enc.append(page);
      const { columns } = columnsForRows(rows);
      const table = enc.finish(rows, columns);
      const col = table.cols[columns.findIndex((c) => c.id === 'sub5')];
      assert.ok(col.kind === 'codes' && col.dict.ends.length === (hostileAt < 0 ? 600 : 601), `${label}: one entry per distinct value`);
      assert.equal(col.dict.ascii !== undefined, hostileAt < 0, `${label}: bytes only while every value is ASCII`);
      assert.deepEqual(wire(table), wire(encodeTable(flattenRows(rows, columns))), label);
      assertCells(table, rows, columns);
      // The hostile value comes back as the same text, unit for unit.
      if (hostileAt >= 0) assert.equal(unpackTable(decodeTable(table)).data[columns.findIndex((c) => c.id === 'sub5')][hostileAt], value(hostileAt));
    }
  });

  it('copies each column once into the one buffer, codes as narrow as their dictionary, equal arrays once', () => {
    const rows = clicks(9_000, 9_000);
    const enc = new TableEncoder(pageColumns);
    for (const page of pagesOf(rows, [5000])) enc.append(page);
    const { columns } = columnsForRows(rows);
    const table = enc.finish(rows, columns);
    const buffers = new Set<ArrayBufferLike>();
    // Byte ranges of the buffer in use, by where they start (a shared array is one range).
    const ranges = new Map<number, number>();
    for (const col of table.cols) {
      const d = col.kind === 'numbers' ? col.rest : col.dict;
      const own = col.kind === 'codes' ? [col.codes] : col.kind === 'each' ? [] : [col.values, col.restRows, col.restCodes];
      for (const a of [...own, d.ends, d.tags, d.nums, ...[d.ascii, d.utf8, d.lens].filter((a) => a !== undefined)]) {
        buffers.add(a.buffer);
        const size = Math.ceil(a.byteLength / 8) * 8;
        if (size > 0) assert.ok((ranges.get(a.byteOffset) ?? size) === size, 'two arrays at one place are the same array');
        if (size > 0) ranges.set(a.byteOffset, size);
      }
      if (col.kind === 'codes') {
        const size = col.dict.ends.length + col.dict.tags.length;
        assert.equal(col.codes.BYTES_PER_ELEMENT, size <= 0x100 ? 1 : size <= 0x10000 ? 2 : 4);
      }
    }
    assert.equal(buffers.size, 1, 'one buffer');
    const [buffer] = buffers;
    // The buffer holds the arrays and the long texts' bytes, nothing wide or repeated left over.
    assert.equal(buffer.byteLength, [...ranges.values()].reduce((a, b) => a + b, 0));
    // `time` and `unix_timestamp` hold the same numbers: one array, whole seconds in 32 bits.
    const time = table.cols[columns.findIndex((c) => c.id === 'time')];
    const unix = table.cols[columns.findIndex((c) => c.id === 'unix_timestamp')];
    assert.ok(time.kind === 'numbers' && unix.kind === 'numbers');
    assert.ok(time.values instanceof Uint32Array && time.values.buffer === unix.values.buffer && time.values.byteOffset === unix.values.byteOffset);
  });

  it('builds columns no page named (conversions joined after the fetch) from the final rows', () => {
    const rows = clicks(5000, 5000);
    const enc = new TableEncoder(pageColumns);
    for (const page of pagesOf(rows, [1200])) enc.append(page);
    const columns = [...columnsForRows(rows).columns, ...CONVERSION_COLUMNS];
    const table = enc.finish(rows, columns);
    assert.deepEqual(wire(table), wire(encodeRows(rows, columns)));
    assertCells(table, rows, columns);
  });

  it('encodes rows it never saw as they are', () => {
    const seen = clicks(5000, 5000);
    const enc = new TableEncoder(pageColumns);
    enc.append(seen);
    const other = [...seen.slice(0, 10), ...clicks(20, 0)];
    const { columns } = columnsForRows(other);
    const table = enc.finish(other, columns);
    assert.deepEqual(wire(table), wire(encodeRows(other, columns)));
  });

  it('an empty result is an empty table', () => {
    const enc = new TableEncoder(pageColumns);
    enc.append([]);
    const { columns } = columnsForRows([]);
    const table = enc.finish([], columns);
    assert.equal(table.rows, 0);
    assert.equal(table.cols.length, columns.length);
    assert.ok(SAMPLE_ROWS > 0);
  });
});

/** A message as it reaches the webview: JSON for the rest, its typed arrays cloned (as VS Code's IPC and the frames do). */
function posted<T>(message: T): T {
  const moved: ArrayBufferView[] = [];
  const json = JSON.stringify(message, (_k, v: unknown) => (ArrayBuffer.isView(v) ? { $typed: moved.push(structuredClone(v)) - 1 } : v));
  return JSON.parse(json, (_k, v: unknown) => (v && typeof v === 'object' && '$typed' in v ? moved[(v as { $typed: number }).$typed] : v)) as T;
}

/**
 * Fetch all into a grid, piece by piece: pages appended to the host's encoder, a piece posted after
 * each (or `skip` one, or tampered with by `tamper`), then the end; what the webview's reader makes.
 */
async function throughPieces(
  arrival: readonly Click[][],
  final: readonly Click[],
  columns: ReturnType<typeof columnsForRows>['columns'],
  opts: { skip?: number; tamper?: (p: TablePiece, i: number) => void; restartAfter?: number } = {},
): Promise<{ table: BinaryTable | undefined; pieces: number; host: BinaryTable }> {
  const enc = new TableEncoder(pageColumns);
  const writer = new PieceWriter('run-1', enc);
  let reader = new PieceReader();
  let pieces = 0;
  const post = (p: TablePiece | undefined): void => {
    if (!p) return;
    const i = pieces++;
    if (i === opts.skip) return;
    const got = posted(p);
    opts.tamper?.(got, i);
    reader.take(got);
  };
  arrival.forEach((page, i) => {
    enc.append(page);
    post(writer.next());
    if (i === opts.restartAfter) {
      // The webview was rebuilt: a new reader, and the host starts over from the first row.
      reader = new PieceReader();
      writer.restart();
    }
  });
  const end = writer.end(final, columns);
  assert.ok(end, 'every row arrived');
  post(end.piece);
  const table = await reader.table(posted(end.table));
  return { table, pieces, host: enc.finish(final, columns) };
}

describe('Table pieces (Fetch all posting the table while the pages arrive)', () => {
  it('make the table the host would send, cell for cell and array for array, pages in order', async () => {
    const rows = clicks(14_000, 9_500);
    const { columns } = columnsForRows(rows);
    const { table, pieces, host } = await throughPieces(pagesOf(rows, [5000, 700, 1]), rows, columns);
    assert.ok(table, 'the pieces made the table');
    assert.ok(pieces > 3, `${pieces} pieces`);
    assertCells(table, rows, columns);
    // The same columns as the host's own finish (before its one-buffer packing).
    const fromHost = unpackTable(decodeTable(host));
    assert.deepEqual(unpackTable(decodeTable(table)), fromHost);
  });

  it('make the table in the final order when the pages came out of order, some rows twice, the last cut', async () => {
    const rows = clicks(11_000, 7_000).map((r, i) => ({ ...r, unix_timestamp: 1_700_000_000 + i }));
    const pages = pagesOf(rows, [3000]).reverse();
    const again = rows.slice(2000, 4500).map((r) => ({ ...r }));
    const arrival = [...pages.slice(0, 2), again, ...pages.slice(2)];
    const latest = new Map(rows.map((r) => [r.transaction_id, r]));
    for (const r of again) latest.set(r.transaction_id, r);
    const final = [...latest.values()].sort((a, b) => a.unix_timestamp - b.unix_timestamp).slice(0, 10_500);
    const { columns } = columnsForRows(final);
    const { table } = await throughPieces(arrival, final, columns);
    assert.ok(table);
    assertCells(table, final, columns);
  });

  it('carry columns no page named (conversions joined after the fetch) in the end, and fewer rows than the sample', async () => {
    for (const n of [5000, 300]) {
      const rows = clicks(n, n);
      const columns = [...columnsForRows(rows).columns, ...CONVERSION_COLUMNS];
      const { table } = await throughPieces(pagesOf(rows, [1200]), rows, columns);
      assert.ok(table, `${n} rows`);
      assertCells(table, rows, columns);
    }
  });

  it('start over when the webview was rebuilt mid-run, and still make the table', async () => {
    const rows = clicks(12_000, 12_000);
    const { columns } = columnsForRows(rows);
    const { table } = await throughPieces(pagesOf(rows, [2000]), rows, columns, { restartAfter: 3 });
    assert.ok(table);
    assertCells(table, rows, columns);
  });

  it('do not make a table when a piece was lost or tampered with: the host then sends it whole', async () => {
    const rows = clicks(12_000, 12_000);
    const { columns } = columnsForRows(rows);
    const pages = pagesOf(rows, [2000]);
    assert.equal((await throughPieces(pages, rows, columns, { skip: 1 })).table, undefined, 'a lost piece');
    const sub1 = (p: TablePiece): TablePiece['cols'][number] => p.cols[p.columns.indexOf('sub1')];
    const tampered: [string, (p: TablePiece, i: number) => void][] = [
      ['a code past the values', (p, i) => i === 2 && sub1(p).codes && (sub1(p).codes![0] = 60_000)],
      ['values that do not add up', (p, i) => i === 1 && (sub1(p).text += 'x')],
      ['another kind of column', (p, i) => i === 0 && (sub1(p).mode = 'numbers')],
      ['an unknown kind of column', (p, i) => i === 0 && ((sub1(p) as { mode: string }).mode = '<script>')],
      ['an unknown value tag', (p, i) => i === 0 && p.cols.some((c) => c.tags.length && (c.tags[0] = 9))],
      ['a piece that is not one', (p, i) => i === 1 && ((p as { cols: unknown }).cols = 'x')],
    ];
    for (const [label, tamper] of tampered) assert.equal((await throughPieces(pages, rows, columns, { tamper })).table, undefined, label);
  });

  it('refuse an end that does not fit the pieces: another run, rows past those that arrived', async () => {
    const rows = clicks(6000, 6000);
    const { columns } = columnsForRows(rows);
    const enc = new TableEncoder(pageColumns);
    const writer = new PieceWriter('run-2', enc);
    for (const page of pagesOf(rows, [3000])) {
      enc.append(page);
    }
    const end = writer.end(rows.slice().reverse(), columns)!;
    const ends = [
      { ...end.table, pieces: 'run-3' },
      { ...end.table, order: Uint32Array.from(end.table.order!, (k) => k + 1) },
      { ...end.table, rows: end.table.rows + 1 },
    ];
    for (const bad of ends) {
      const reader = new PieceReader();
      reader.take(posted(end.piece!));
      assert.equal(await reader.table(posted(bad)), undefined);
    }
    const reader = new PieceReader();
    reader.take(posted(end.piece!));
    const table = await reader.table(posted(end.table));
    assert.ok(table, 'the right end makes it');
    assertCells(table, rows.slice().reverse(), columns);
  });

  it('have no end for rows that never arrived', () => {
    const rows = clicks(5000, 5000);
    const enc = new TableEncoder(pageColumns);
    enc.append(rows);
    const writer = new PieceWriter('run-4', enc);
    const { columns } = columnsForRows(rows);
    assert.equal(writer.end([...rows.slice(0, 10), ...clicks(5, 0)], columns), undefined);
  });
});
