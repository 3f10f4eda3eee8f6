import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeTable, oneBuffer, tableBuffers, type BinaryTable } from '../../../src/core/binaryTable';
import { encodeColumn, encodeRows, encodeRowsInSteps, encodeTable } from '../../../src/core/tableEncoder';
import { columnsForRows } from '../../../src/core/columns';
import { flattenRows } from '../../../src/core/flatten';
import { GridTable } from '../../../src/core/gridTable';
import { normalizeClick } from '../../../src/core/parse';
import { unpackTable, type PackedColumn } from '../../../src/core/tablePack';
import { click } from './gridFixtures';

// The rows as they cross to the webview as binary: typed arrays plus the JSON of the rest, the way
// VS Code 1.57+ sends a webview message (typed arrays moved aside, the rest through JSON).

const TYPED = '__typed';
function viaWebview(table: BinaryTable): BinaryTable {
  const moved: ArrayBufferView[] = [];
  const json = JSON.stringify(table, (_k, v: unknown) => (ArrayBuffer.isView(v) ? { [TYPED]: moved.push(structuredClone(v)) - 1 } : v));
  return JSON.parse(json, (_k, v: unknown) => (v && typeof v === 'object' && TYPED in v ? moved[(v as Record<string, number>)[TYPED]] : v)) as BinaryTable;
}

const hostile = ['<img src=x onerror=alert(1)>', '\ud800', 'a\udc00b', '😀', '', '\u0000', '"},{"x":1', 'command:workbench.action.quit', '\\', '\n\r\t', 'Ünïcödé'];

const cells = (col: PackedColumn, rows: number): unknown[] => Array.from({ length: rows }, (_, r) => ('values' in col ? col.values[r] : col.dict[col.codes[r]]));
function roundTrip(columns: string[], data: unknown[][]): unknown[][] {
  const decoded = decodeTable(viaWebview(encodeTable({ columns, data: data as never })));
  return decoded.data.map((col) => cells(col, decoded.rows));
}

describe('encodeTable / decodeTable', () => {
  it('round-trips hostile strings exactly, lone surrogates included', () => {
    const col = Array.from({ length: 500 }, (_, i) => hostile[i % hostile.length] + (i % 3 === 0 ? String(i) : ''));
    assert.deepEqual(roundTrip(['sub1'], [col]), [col]);
  });
  it('round-trips an empty table and a table of no columns', () => {
    assert.deepEqual(roundTrip(['a', 'b'], [[], []]), [[], []]);
    assert.deepEqual(decodeTable(viaWebview(encodeTable({ columns: [], data: [] }))), { columns: [], rows: 0, data: [] });
  });
  it('keeps NaN, ±Infinity, -0, booleans, null and undefined, in numbered and number columns alike', () => {
    const odd = [NaN, Infinity, -Infinity, -0, 0, true, false, null, undefined, 'text', 1.5];
    const few = Array.from({ length: 1000 }, (_, i) => odd[i % odd.length]);
    const many = Array.from({ length: 1000 }, (_, i) => (i % 97 === 0 ? odd[(i / 97) % odd.length] : i * 1.25));
    const [a, b] = roundTrip(['x', 'y'], [few, many]);
    for (const [got, want] of [
      [a, few],
      [b, many],
    ] as const) {
      assert.equal(got.length, want.length);
      want.forEach((v, r) => assert.ok(Object.is(got[r], v), `row ${r}: ${String(got[r])} is not ${String(v)}`));
    }
    assert.equal(encodeColumn(many).kind, 'numbers');
    assert.equal(encodeColumn(few).kind, 'codes');
  });
  it('round-trips real clicks, unknown-field columns included, as typed arrays of the right width', () => {
    const rows = Array.from({ length: 700 }, (_, i) =>
      normalizeClick({
        ...click({ sub1: hostile[i % hostile.length], revenue: i % 5 ? 0 : 2.5, geo: { country_name: ['US', 'DE'][i % 2] } }),
        brand_new_field: i % 3 ? 'x' : '<b>y</b>',
      }),
    );
    const flat = flattenRows(rows, columnsForRows(rows).columns);
    assert.ok(flat.columns.some((id) => id.startsWith('extra:')), 'an unknown field gets a column');
    const sent = encodeTable(flat);
    const country = sent.cols[flat.columns.indexOf('geo.country_name')];
    assert.ok(country.kind === 'codes' && country.codes instanceof Uint8Array);
    assert.ok(tableBuffers(sent).every((b) => b instanceof ArrayBuffer));
    assert.equal(new Set(tableBuffers(sent)).size, 1, 'one ArrayBuffer for the whole table (VS Code sends one argument per buffer)');
    assert.deepEqual(unpackTable(decodeTable(viaWebview(sent))), flat);
  });
  it('encodes straight from the clicks exactly as from their flat table', () => {
    const rows = Array.from({ length: 300 }, (_, i) => click({ sub2: i % 2 ? hostile[i % hostile.length] : `u${i}`, revenue: i * 0.25 }));
    const { columns } = columnsForRows(rows);
    assert.deepEqual(unpackTable(decodeTable(viaWebview(encodeRows(rows, columns)))), flattenRows(rows, columns));
  });
  it('reads the clicks in blocks of rows, in steps or not, whatever the rows the mode was sampled from miss', async () => {
    // 20,000 rows span three blocks. The mode of a column is chosen from every 4th row here: the
    // other rows hold what those did not show (repeats in a distinct column, -0 and repeats in a
    // number column, a value on the last row only), and must come back as they were.
    const n = 20_000;
    const rows = Array.from({ length: n }, (_, i) =>
      click({ sub1: i % 4 ? hostile[i % hostile.length] : `s${i}`, sub2: i === n - 1 ? 'last' : '', revenue: i % 4 ? (i % 7 ? -0 : 1.5) : i * 0.5 }),
    );
    const { columns } = columnsForRows(rows);
    const flat = flattenRows(rows, columns);
    const once = encodeRows(rows, columns);
    let pauses = 0;
    const stepped = await encodeRowsInSteps(rows, columns, async () => void pauses++);
    assert.ok(pauses >= 2, `${pauses} pauses for three blocks`);
    for (const sent of [once, stepped]) {
      const back = unpackTable(decodeTable(viaWebview(sent)));
      assert.deepEqual(back.columns, flat.columns);
      back.data.forEach((col, c) => col.forEach((v, r) => assert.ok(Object.is(v, flat.data[c][r]), `${flat.columns[c]} row ${r}: ${String(v)} is not ${String(flat.data[c][r])}`)));
    }
  });
  it('gives mostly distinct strings an entry each, with a repeat or a number among them kept', () => {
    const col: unknown[] = Array.from({ length: 5000 }, (_, i) => `tx-${i}`);
    col[10] = 'tx-3';
    col[20] = 7;
    const sent = encodeColumn(col);
    assert.ok(sent.kind === 'codes' && sent.dict.ends.length === 4999 && sent.dict.tags.length === 1);
    assert.deepEqual(roundTrip(['transaction_id'], [col]), [col]);
  });
  it('wide code arrays past 256 and 65,536 distinct values', () => {
    // Each id twice, so the codes are not simply the row numbers (see 'each' below).
    const col = Array.from({ length: 140_000 }, (_, i) => `id-${i >> 1}`);
    const sent = oneBuffer({ columns: ['transaction_id'], rows: col.length, cols: [encodeColumn(col)] }).cols[0];
    assert.ok(sent.kind === 'codes' && sent.codes instanceof Uint32Array);
    assert.deepEqual(roundTrip(['transaction_id'], [col]), [col]);
  });
  it('sends long ASCII dictionaries as bytes in the one buffer, and any other long text as JSON, both exactly', () => {
    const ascii = Array.from({ length: 3000 }, (_, i) => `tx-${i}\u0000\u007f<b>`);
    const unicode = Array.from({ length: 3000 }, (_, i) => (i === 2999 ? '\ud800' : `é${i}`));
    const sent = encodeTable({ columns: ['a', 'u'], data: [ascii, unicode] as never });
    const [a, u] = sent.cols;
    assert.ok(a.kind === 'codes' && a.dict.ascii instanceof Uint8Array && a.dict.text === '', 'ASCII as bytes');
    assert.ok(u.kind === 'codes' && u.dict.ascii === undefined && u.dict.text.length > 1024, 'other text as JSON');
    assert.equal(new Set(tableBuffers(sent)).size, 1, 'the bytes share the one buffer');
    assert.deepEqual(roundTrip(['a', 'u'], [ascii, unicode]), [ascii, unicode]);
    // A table already in one buffer, ASCII bytes and all, moves into another whole (room for the bytes too).
    const again = decodeTable(viaWebview(oneBuffer(sent)));
    assert.deepEqual(again.data.map((col) => cells(col, again.rows)), [ascii, unicode]);
    // Bytes past ASCII (a lone UTF-8 lead byte, a whole é) are not what the host sends: refused, not shown as something else.
    for (const [at, bytes] of [
      [3, [0xc3]],
      [3, [0xc3, 0xa9]],
    ] as const) {
      const bad = viaWebview(sent);
      (bad.cols[0] as { dict: { ascii: Uint8Array } }).dict.ascii.set(bytes, at);
      assert.throws(() => decodeTable(bad), /not ASCII/);
    }
  });
  it('makes a number column a plain array when first read, once, with its exceptions in place', () => {
    const values: unknown[] = Array.from({ length: 300 }, (_, i) => i * 1.25);
    values[7] = 'not a number';
    values[200] = null;
    const encoded = encodeTable({ columns: ['revenue'], data: [values as never] });
    assert.equal(encoded.cols[0].kind, 'numbers');
    const col = decodeTable(viaWebview(encoded)).data[0];
    assert.ok('values' in col);
    const first = col.values;
    assert.equal(col.values, first, 'read twice, the same array');
    assert.ok(Array.isArray(first));
    assert.deepEqual(first, values);
  });
  it('refuses a malformed table with a clear error', () => {
    const good = encodeTable({ columns: ['a'], data: [['x', 'y', 'x']] });
    const bad = (mutate: (t: BinaryTable) => void): BinaryTable => {
      const t = viaWebview(good);
      mutate(t);
      return t;
    };
    assert.throws(() => decodeTable(bad((t) => (t.rows = 4))), /malformed/);
    assert.throws(() => decodeTable(bad((t) => t.columns.push('b'))), /malformed/);
    assert.throws(() => decodeTable(bad((t) => ((t.cols[0] as { codes: Uint8Array }).codes[1] = 9))), /unknown code/);
    assert.throws(() => decodeTable(bad((t) => ((t.cols[0] as { kind: string }).kind = 'json'))), /unknown kind/);
    assert.throws(() => decodeTable(bad((t) => ((t.cols[0] as { dict: { ends: unknown } }).dict.ends = [1, 2]))), /dictionary/);
    assert.throws(() => decodeTable(null as never), /malformed/);
  });
  it('finds a code past the dictionary wherever it is, in 8- and 16-bit codes, aligned or not', () => {
    // 11 rows: two words of four codes and a tail of three; 611 rows of 16-bit codes: 305 words and a tail of one.
    const narrow = encodeTable({ columns: ['a'], data: [Array.from({ length: 11 }, (_, i) => ['x', 'y', 'z'][i % 3])] });
    const wide = encodeTable({ columns: ['a'], data: [Array.from({ length: 611 }, (_, i) => `v${i % 300}`)] });
    assert.ok(narrow.cols[0].kind === 'codes' && narrow.cols[0].codes instanceof Uint8Array);
    assert.ok(wide.cols[0].kind === 'codes' && wide.cols[0].codes instanceof Uint16Array);
    for (const [good, size, bads, rows] of [
      [narrow, 3, [3, 4, 0x7f, 0x80, 0x83, 0xff], [0, 3, 4, 7, 8, 10]],
      [wide, 300, [300, 301, 0x7fff, 0x8000, 0x812c, 0xffff], [0, 1, 2, 303, 609, 610]],
    ] as const) {
      const codesOf = (t: BinaryTable): Uint8Array | Uint16Array => (t.cols[0] as { codes: Uint8Array | Uint16Array }).codes;
      for (const at of rows) {
        const ok = viaWebview(good);
        codesOf(ok)[at] = size - 1;
        assert.doesNotThrow(() => decodeTable(ok), `code ${size - 1} at row ${at}`);
        for (const code of bads) {
          const bad = viaWebview(good);
          codesOf(bad)[at] = code;
          assert.throws(() => decodeTable(bad), /unknown code/, `code ${code} at row ${at}`);
          // The same codes in a view that does not start on a 4-byte boundary.
          const src = codesOf(bad);
          const shifted = new (src.constructor as Uint8ArrayConstructor)(new ArrayBuffer(src.byteLength + 8), src.BYTES_PER_ELEMENT, src.length);
          shifted.set(src);
          (bad.cols[0] as { codes: unknown }).codes = shifted;
          assert.throws(() => decodeTable(bad), /unknown code/, `code ${code} at row ${at}, unaligned`);
        }
      }
    }
  });
});

describe('what need not travel does not', () => {
  const decodeCells = (sent: BinaryTable): unknown[][] => {
    const back = decodeTable(viaWebview(sent));
    return back.data.map((col) => cells(col, back.rows));
  };
  const sameEach = (got: unknown[], want: unknown[], label: string): void => {
    assert.equal(got.length, want.length, label);
    want.forEach((v, r) => assert.ok(Object.is(got[r], v), `${label} row ${r}: ${String(got[r])} is not ${String(v)}`));
  };

  it('sends long text past ASCII as UTF-8 bytes, exactly, BOM, emoji and markup included; with a lone surrogate as JSON', () => {
    const n = 5000;
    const whole = Array.from({ length: n }, (_, i) => (i === 0 ? '\ufeffé first' : i % 7 === 0 ? `😀<b>${i}</b>` : `Ünïcödé-${i % 300}\u0000"}`));
    const lone = whole.map((v, i) => (i === n - 1 ? 'x\udc00' : v));
    const highAtEnd = whole.map((v, i) => (i === n - 1 ? 'x\ud83d' : v));
    const sent = encodeTable({ columns: ['a', 'b', 'c'], data: [whole, lone, highAtEnd] as never });
    const [a, b, c] = sent.cols;
    assert.ok(a.kind === 'codes' && a.dict.utf8 instanceof Uint8Array && a.dict.text === '' && a.dict.ascii === undefined, 'well-formed text as UTF-8');
    for (const col of [b, c]) assert.ok(col.kind === 'codes' && col.dict.utf8 === undefined && col.dict.text.length > 1024, 'text with a lone surrogate as JSON');
    assert.equal(new Set(tableBuffers(sent)).size, 1, 'the bytes share the one buffer');
    const [ga, gb, gc] = decodeCells(sent);
    sameEach(ga, whole, 'utf8');
    sameEach(gb, lone, 'lone low surrogate');
    sameEach(gc, highAtEnd, 'lone high surrogate');
    // Moved into another buffer whole.
    assert.deepEqual(decodeCells(oneBuffer(sent))[0], whole);
  });

  it('round-trips one huge UTF-8 string and refuses bytes that are not UTF-8 or do not add up', () => {
    const huge = 'ß€😀'.repeat(300_000);
    const col = Array.from({ length: 20 }, (_, i) => (i % 2 ? huge : `v${i}`));
    const sent = encodeTable({ columns: ['s'], data: [col] as never });
    const d = (sent.cols[0] as { dict: { utf8?: Uint8Array } }).dict;
    assert.ok(d.utf8 && d.utf8.length > huge.length * 2);
    assert.deepEqual(decodeCells(sent)[0], col);
    const at = (sent.cols[0] as { dict: { ends: Uint32Array } }).dict.ends[0] + 2; // inside the huge string
    for (const [label, bytes] of [
      ['a lone continuation byte', [0x80]],
      ['an overlong NUL', [0xc0, 0x80]],
      ['a surrogate encoded as UTF-8', [0xed, 0xa0, 0x80]],
      ['a truncated four-byte sequence', [0xf0, 0x9f, 0x98]],
    ] as const) {
      const bad = viaWebview(sent);
      (bad.cols[0] as { dict: { utf8: Uint8Array } }).dict.utf8.set(bytes, at);
      assert.throws(() => decodeTable(bad), /not UTF-8|does not add up/, label);
    }
    // Valid UTF-8 that decodes to more text than the strings (é, two bytes, made "ab"): refused, not misread.
    const first = 'é'.repeat(600);
    const longer = encodeTable({ columns: ['s'], data: [[first, `${first}x`, first]] as never });
    const bad = viaWebview(longer);
    (bad.cols[0] as { dict: { utf8: Uint8Array } }).dict.utf8.set([0x61, 0x62], 0);
    assert.throws(() => decodeTable(bad), /does not add up/);
  });

  it('sends no codes for a column whose every row is a new value, and refuses such a column with fewer values than rows', () => {
    const ids = Array.from({ length: 9000 }, (_, i) => `tx-${i}-${'é'.repeat(i % 3)}`);
    const withOther = ids.map((v, i) => (i === 4500 ? null : v));
    const sent = encodeTable({ columns: ['transaction_id', 'user_ip', 'sub1'], data: [ids, ids.map((v) => `ip ${v}`), withOther] as never });
    assert.deepEqual(
      sent.cols.map((c) => c.kind),
      ['each', 'each', 'codes'],
      'a null among them is numbered after the strings: the codes are not the row numbers',
    );
    const back = decodeTable(viaWebview(sent));
    sameEach(cells(back.data[0], back.rows), ids, 'ids');
    sameEach(cells(back.data[2], back.rows), withOther, 'ids with a null');
    const [c0, c1] = back.data as unknown as { codes: Uint32Array }[];
    assert.equal(c0.codes, c1.codes, 'the row numbers are made once');
    const grid = new GridTable(back, 'UTC');
    assert.deepEqual(grid.view({ search: 'tx-8999' }), [8999]);
    assert.deepEqual(grid.view({ sort: { column: 'transaction_id', asc: false } }).slice(0, 2), new GridTable({ columns: ['transaction_id'], data: [ids] }, 'UTC').view({ sort: { column: 'transaction_id', asc: false } }).slice(0, 2));
    const bad = viaWebview(sent);
    const d = (bad.cols[0] as { dict: { lens: Uint8Array } }).dict;
    assert.ok(d.lens instanceof Uint8Array, 'a big dictionary sends its lengths');
    d.lens = d.lens.subarray(0, 8999);
    assert.throws(() => decodeTable(bad), /malformed: column transaction_id/);
  });

  it('sends an array equal to another column\'s once, and compares to the last byte, aligned or not', () => {
    // 4,099 rows: not a multiple of four, so the word compare leaves a tail of bytes.
    const n = 4099;
    const a = Array.from({ length: n }, (_, i) => `v${(i * 7) % 50}`);
    const sameCodes = a.map((v) => `hash of ${v}`);
    const lastDiffers = sameCodes.map((v, i) => (i === n - 1 ? 'hash of v1' : v));
    const firstDiffers = sameCodes.map((v, i) => (i === 0 ? 'hash of v1' : v));
    const times = Array.from({ length: n }, (_, i) => 1_773_446_400 + i * 3);
    const sent = encodeTable({ columns: ['a', 'b', 'c', 'd', 'time', 'unix_timestamp'], data: [a, sameCodes, lastDiffers, firstDiffers, times, [...times]] as never });
    const view = (c: number): ArrayBufferView => {
      const col = sent.cols[c];
      return col.kind === 'codes' ? col.codes : col.kind === 'numbers' ? col.values : new Uint8Array(0);
    };
    assert.equal(view(1).byteOffset, view(0).byteOffset, 'equal codes share their bytes');
    assert.notEqual(view(2).byteOffset, view(0).byteOffset, 'a difference in the last row is seen');
    assert.notEqual(view(3).byteOffset, view(0).byteOffset, 'a difference in the first row is seen');
    assert.equal(view(5).byteOffset, view(4).byteOffset, 'equal numbers share their bytes');
    assert.deepEqual(decodeCells(sent), [a, sameCodes, lastDiffers, firstDiffers, times, times]);
    // A shared array changed on the way is checked for every column that reads it.
    const bad = viaWebview(sent);
    const shared = new Uint8Array(n);
    (bad.cols[0] as { codes: Uint8Array }).codes = shared;
    (bad.cols[1] as { codes: Uint8Array }).codes = shared;
    shared[n - 1] = 200;
    assert.throws(() => decodeTable(bad), /column a has an unknown code/);
  });

  it('sends a big dictionary\'s lengths in a byte each (two past 255), and refuses lengths that do not add up', () => {
    const n = 5000;
    for (const [label, long, type] of [
      ['short strings', 'x', Uint8Array],
      ['one string of 300', 'y'.repeat(300), Uint16Array],
      ['one string past 65,535 (ends as they are)', 'z'.repeat(70_000), undefined],
    ] as const) {
      const col = Array.from({ length: n }, (_, i) => (i === 77 ? long : `v-${i}-${'é'.repeat(i % 4)}`));
      const sent = encodeTable({ columns: ['sub1'], data: [col] as never });
      const d = (sent.cols[0] as unknown as { dict: { lens?: ArrayBufferView; ends: Uint32Array } }).dict;
      if (type) assert.ok(d.lens instanceof type && d.ends.length === 0, label);
      else assert.ok(d.lens === undefined && d.ends.length === n, label);
      assert.deepEqual(decodeCells(sent)[0], col, label);
    }
    const sent = encodeTable({ columns: ['sub1'], data: [Array.from({ length: n }, (_, i) => `v${i}`)] as never });
    for (const [label, mutate] of [
      ['a length one longer', (l: Uint8Array) => (l[10] += 1)],
      ['a length one shorter', (l: Uint8Array) => (l[n - 1] -= 1)],
      ['one length fewer', (l: Uint8Array) => l.subarray(1)],
    ] as const) {
      const bad = viaWebview(sent);
      const d = (bad.cols[0] as unknown as { dict: { lens: Uint8Array } }).dict;
      const out = mutate(d.lens);
      if (out instanceof Uint8Array) d.lens = out;
      assert.throws(() => decodeTable(bad), /malformed/, label);
    }
    const both = viaWebview(sent);
    (both.cols[0] as unknown as { dict: { ends: Uint32Array } }).dict.ends = new Uint32Array(n);
    assert.throws(() => decodeTable(both), /no valid dictionary/, 'lengths and ends both');
  });

  it('sends whole numbers that fit 32 bits as a Uint32Array, and any other numbers as Float64, exactly', () => {
    const n = 5000;
    const base = Array.from({ length: n }, (_, i) => i * 977);
    const cases: [string, unknown[], 'u32' | 'f64'][] = [
      ['whole numbers from 0 to 2^32 - 1', base.map((v, i) => (i === 1 ? 2 ** 32 - 1 : v)), 'u32'],
      ['with strings and nulls as exceptions', base.map((v, i) => (i % 101 === 0 ? (i % 2 ? 'n/a' : null) : v)), 'u32'],
      ['with -0', base.map((v, i) => (i === 3 ? -0 : v)), 'f64'],
      ['with a NaN that is a number', base.map((v, i) => (i === 3 ? NaN : v)), 'f64'],
      ['with a NaN beside a string exception', base.map((v, i) => (i === 3 ? NaN : i === 4 ? 'x' : v)), 'f64'],
      ['with 2^32', base.map((v, i) => (i === 3 ? 2 ** 32 : v)), 'f64'],
      ['with a negative', base.map((v, i) => (i === 3 ? -1 : v)), 'f64'],
      ['with a fraction', base.map((v, i) => (i === 3 ? 0.5 : v)), 'f64'],
      ['with Infinity', base.map((v, i) => (i === 3 ? Infinity : v)), 'f64'],
    ];
    for (const [label, values, want] of cases) {
      const sent = encodeTable({ columns: ['revenue'], data: [values] as never });
      const col = sent.cols[0];
      assert.ok(col.kind === 'numbers', label);
      assert.equal(col.values instanceof Uint32Array ? 'u32' : 'f64', want, label);
      sameEach(decodeCells(sent)[0], values, label);
    }
  });
});

describe('GridTable over decoded binary columns', () => {
  it('shows, filters, searches and sorts exactly as over the plain table', () => {
    const countries = ['United States', 'Germany', 'france', 'Österreich', ''];
    const rows = Array.from({ length: 1200 }, (_, i) =>
      click({ revenue: (i * 37) % 11 === 0 ? 1.25 : (i % 13) * 0.5, sub1: `s${(i * 7) % 23}`, geo: { country_name: countries[(i * 3) % 5] }, unix_timestamp: 1_773_446_400 + ((i * 7919) % 5000) }),
    );
    const flat = flattenRows(rows);
    const plain = new GridTable(flat, 'Europe/Berlin');
    const binary = new GridTable(decodeTable(viaWebview(encodeTable(flat))), 'Europe/Berlin');
    assert.equal(binary.rowCount, plain.rowCount);
    for (const r of [0, 1, 599, 1199]) for (let c = 0; c < flat.columns.length; c++) assert.equal(binary.text(c, r), plain.text(c, r));
    for (const column of ['geo.country_name', 'sub1', 'time', 'revenue', 'transaction_id', 'is_unique']) {
      for (const asc of [true, false]) {
        const spec = { sort: { column, asc }, search: 's1' };
        assert.deepEqual(binary.view(spec), plain.view(spec), `${column} ${asc ? 'asc' : 'desc'}`);
        // A base in another order (a previous sort) gives the same result.
        const base = plain.view({ sort: { column: 'sub1', asc: false } });
        assert.deepEqual(binary.view({ sort: { column, asc } }, base), plain.view({ sort: { column, asc } }, base));
      }
    }
    assert.deepEqual(binary.view({ values: [{ column: 'geo.country_name', text: 'Germany', exclude: true }] }), plain.view({ values: [{ column: 'geo.country_name', text: 'Germany', exclude: true }] }));
  });

  for (const [label, odd] of [
    ['ASCII ids, which travel as bytes and are read from them', '<img src=x onerror=alert(1)>'],
    ['a lone surrogate among them, so their text goes as JSON', '<img src=x onerror=alert(1)>\ud800'],
  ] as const) {
    it(`builds a dictionary of more than 65,536 ids only when a search or sort needs it, and shows, searches and sorts them as the plain table: ${label}`, () => {
      const n = 70_000;
      const ids = Array.from({ length: n }, (_, i) => (i === 4321 ? odd : `tx-${(i * 7919) % n}-${i % 3 ? 'b' : 'a'}`));
      const flat = { columns: ['transaction_id', 'sub1'], data: [ids, ids.map((_, i) => `s${i % 5}`)] };
      const packed = decodeTable(viaWebview(encodeTable(flat)));
      // Count the builds of the big dictionary through its getter.
      let builds = 0;
      const lazy = packed.data[0];
      assert.ok('codes' in lazy && typeof lazy.entry === 'function', 'the ids came with entry(k)');
      const sent = encodeTable(flat).cols[0];
      assert.ok(sent.kind === 'each' && (sent.dict.ascii !== undefined) === !odd.includes('\ud800'), 'bytes exactly when every id is ASCII');
      packed.data[0] = {
        codes: lazy.codes,
        entry: lazy.entry,
        get dict() {
          builds++;
          return lazy.dict;
        },
      };
      const binary = new GridTable(packed, 'UTC');
      const plain = new GridTable(flat, 'UTC');
      for (const r of [0, 1, 4321, n - 1]) assert.equal(binary.text(0, r), plain.text(0, r));
      assert.equal(binary.text(0, 4321), ids[4321], 'the hostile id is the same text, lone surrogate included');
      assert.equal(builds, 0, 'showing rows builds no dictionary');
      for (const spec of [{ search: '-a' }, { contains: { transaction_id: 'tx-69' } }, { values: [{ column: 'transaction_id', text: ids[77], exclude: false }] }]) {
        assert.deepEqual(binary.view(spec), plain.view(spec), JSON.stringify(spec));
      }
      for (const asc of [true, false]) assert.deepEqual(binary.view({ sort: { column: 'transaction_id', asc } }), plain.view({ sort: { column: 'transaction_id', asc } }));
      assert.ok(builds >= 1, 'searching or sorting built it');
      // The table reads back whole, as every consumer of `dict` sees it.
      assert.deepEqual(unpackTable(packed).data[0], ids);
    });
  }

  it('refuses a big dictionary of bytes past ASCII before it is read', () => {
    const ids = Array.from({ length: 70_000 }, (_, i) => `id-${i}`);
    const table = viaWebview(encodeTable({ columns: ['transaction_id'], data: [ids] }));
    const col = table.cols[0];
    assert.ok(col.kind === 'each' && col.dict.ascii);
    col.dict.ascii[123_457] = 0xc3;
    assert.throws(() => decodeTable(table), /transaction_id has a dictionary that is not ASCII/);
  });
});
