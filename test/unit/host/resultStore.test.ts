// The rows kept for a reload: written a batch at a time and read back a line at a time, so a big
// result neither freezes the extension host nor meets V8's longest string. Round trips exactly
// (hostile text included), still reads files of the older one-line form, and refuses a cut file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, afterEach, describe, it } from 'node:test';
import { buildSync } from 'esbuild';
import { EverflowClient } from '../../../src/core/client';
import { RateLimiter } from '../../../src/core/limiter';
import { exchangesOf } from '../../../src/results/exchanges';
import { readResultFile } from '../../../src/results/resultFile';
import { ResultStore } from '../../../src/results/resultStore';
import type { ResultSet } from '../../../src/results/resultSet';
import { startSandbox } from '../../sandbox/server';
import { click } from '../core/gridFixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ef-store-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const hostile = ['\n', ']}', '],"exchanges":[', '\u2028', '\ud800', '<script>x</script>', ',{"a":1}'];
const request = { kind: 'stream', from: '2026-03-14 00:00:00', to: '2026-03-14 23:59:59', timezone_id: 67, fetched_at: '2026-03-14T00:00:00.000Z', rows: 0 } as unknown as ResultSet['request'];

function result(n: number): ResultSet {
  return { title: 'T ]} \n', request: { ...request, rows: n }, rows: Array.from({ length: n }, (_, i) => click({ sub1: hostile[i % hostile.length], referer: `r${i}` })) };
}

// The reader thread as the build makes it (esbuild.js: dist/resultReader.js), built into the test's folder.
const thread = path.join(dir, 'resultReader.js');
buildSync({ entryPoints: [path.join(__dirname, '../../../src/results/resultReaderThread.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: thread, logLevel: 'warning' });

// Every test runs twice: the file's bytes read on this thread, and in the reader thread.
for (const mode of ['on its own thread', 'with its reader thread'] as const) {
describe(`ResultStore, reading ${mode}`, () => {
  /** What the stores of this test logged: in the reader thread's run, no read may have fallen back to this thread. */
  const logged: string[] = [];
  const newStore = (log?: (m: string) => void): ResultStore =>
    new ResultStore(dir, undefined, (m) => {
      logged.push(m);
      log?.(m);
    }, mode === 'with its reader thread' ? thread : undefined);
  afterEach(() => {
    const fallbacks = logged.filter((m) => m.includes('reader thread did not start'));
    logged.length = 0;
    assert.deepEqual(fallbacks, []);
  });
  it('round-trips rows and exchanges exactly, hostile text included, through a file of a row per line', async () => {
    const store = newStore();
    const r: ResultSet = { ...result(1203), exchanges: [{ method: 'POST', path: '/v1/x', response: '{"a":"]}"}\n' } as never] };
    await store.save('r-a', r);
    assert.deepEqual(await store.load('r-a'), JSON.parse(JSON.stringify(r)));
    const text = zlib.gunzipSync(fs.readFileSync(path.join(dir, 'r-a.json.gz'))).toString('utf8');
    assert.equal(text.split('\n').length, 1203 + 5, 'a head line, a line per row, the exchanges line, one exchange, the end');
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(r)), 'the file is still one JSON document');
  });
  it('round-trips the conversions added to a result, a conversion row per line', async () => {
    const store = newStore();
    const conv = (i: number): Record<string, unknown> => ({ conversion_id: `c${i}`, transaction_id: `t${i}`, sub1: hostile[i % hostile.length], revenue: i / 4 });
    const conversions = { from: request.from, to: request.to, timezone_id: 67, attribution_days: 30, fetched_at: request.fetched_at, pages: 2, total_count: 601, partial: false, exchanges: [{ method: 'POST', path: '/v1/affiliates/reporting/conversions', response: ']}}\n' }], rows: Array.from({ length: 601 }, (_, i) => conv(i)) };
    for (const r of [{ ...result(700), conversions }, { ...result(0), conversions: { ...conversions, rows: [] } }, { ...result(3), exchanges: [{ method: 'GET', path: '/v1/y' }], conversions }] as unknown as ResultSet[]) {
      await store.save('r-conv', r);
      assert.deepEqual(await store.load('r-conv'), JSON.parse(JSON.stringify(r)));
      const text = zlib.gunzipSync(fs.readFileSync(path.join(dir, 'r-conv.json.gz'))).toString('utf8');
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(r)), 'the file is still one JSON document');
    }
    const text = zlib.gunzipSync(fs.readFileSync(path.join(dir, 'r-conv.json.gz'))).toString('utf8');
    fs.writeFileSync(path.join(dir, 'r-conv.json.gz'), zlib.gzipSync(text.slice(0, text.lastIndexOf(']}}'))));
    assert.equal(await store.load('r-conv'), undefined, 'a file cut in the conversions gives nothing');
  });
  it('loads equal offers, geolocations and devices as one frozen object, equal to what was saved, and saves them again unchanged', async () => {
    const store = newStore();
    const r: ResultSet = { ...result(0), rows: Array.from({ length: 300 }, (_, i) => click({ offer: { name: `Offer with a long name ${i % 3}` }, geo: { city_name: i % 2 ? 'Denver' : 'Boulder' } })) };
    await store.save('r-shared', r);
    const loaded = await store.load('r-shared');
    assert.ok(loaded);
    assert.deepEqual(loaded, JSON.parse(JSON.stringify(r)));
    const [a, , , d] = loaded.rows;
    assert.equal(d.relationship.offer, a.relationship.offer);
    assert.equal(Object.isFrozen(a.relationship.geolocation), true);
    assert.notEqual(d.relationship, a.relationship, 'each row keeps its own relationship');
    const first = zlib.gunzipSync(fs.readFileSync(path.join(dir, 'r-shared.json.gz'))).toString('utf8');
    await store.save('r-shared', loaded);
    assert.equal(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'r-shared.json.gz'))).toString('utf8'), first);
  });
  it('flush settles once every save asked for is on disk (what a closing window waits for)', async () => {
    const store = newStore();
    await store.flush();
    // Not awaited, as the grids save: a second save of the same id after the first.
    void store.save('r-flush', result(2000));
    void store.save('r-flush', result(2500));
    void store.save('r-flush-2', result(10));
    await store.flush();
    // Read straight from the files, not through load (which would wait for the saves itself).
    const rowsIn = (id: string): number => zlib.gunzipSync(fs.readFileSync(path.join(dir, `${id}.json.gz`))).toString('utf8').split('\n').length;
    assert.equal(rowsIn('r-flush'), 2500 + 3, 'the later save is the one on disk');
    assert.equal(rowsIn('r-flush-2'), 10 + 3);
  });
  it('keeps an empty result', async () => {
    const store = newStore();
    await store.save('r-empty', result(0));
    assert.deepEqual(await store.load('r-empty'), JSON.parse(JSON.stringify(result(0))));
  });
  it('reads a file of the older one-line form', async () => {
    const r = result(40);
    fs.writeFileSync(path.join(dir, 'r-old.json.gz'), zlib.gzipSync(JSON.stringify(r)));
    assert.deepEqual(await newStore().load('r-old'), JSON.parse(JSON.stringify(r)));
  });
  it('gives nothing for a cut or damaged file rather than part of the rows', async () => {
    const store = newStore();
    await store.save('r-cut', result(300));
    const text = zlib.gunzipSync(fs.readFileSync(path.join(dir, 'r-cut.json.gz'))).toString('utf8');
    fs.writeFileSync(path.join(dir, 'r-cut.json.gz'), zlib.gzipSync(text.slice(0, Math.floor(text.length / 2))));
    assert.equal(await store.load('r-cut'), undefined);
    fs.writeFileSync(path.join(dir, 'r-bad.json.gz'), Buffer.from('not gzip'));
    assert.equal(await store.load('r-bad'), undefined);
    assert.equal(await store.load('r-never-saved'), undefined);
  });
  it('keeps every field of a row, unknown ones and text past a buffer or a chunk of the file included', async () => {
    const store = newStore();
    const r = result(2000);
    // Multi-byte text on every row, so lines and characters straddle the reader's 64 KiB chunks.
    r.rows.forEach((row, i) => Object.assign(row, { note_ünïcödé: `日本語 ${'🦊'.repeat(i % 50)} \u2028 ${hostile[i % hostile.length]}` }));
    Object.assign(r.rows[7], { unknown_field: { nested: ['\n]}', null, 1e300, -0.5, true], '': 'empty key', 'key\nwith newline': '],"conversions":{' } });
    // One row bigger than the writer's 256 KiB buffer, one exactly around it.
    Object.assign(r.rows[500], { huge: 'x'.repeat(600 * 1024) + '🦊' });
    Object.assign(r.rows[501], { big: 'é'.repeat(128 * 1024 - 700) });
    await store.save('r-fields', r);
    assert.deepEqual(await store.load('r-fields'), JSON.parse(JSON.stringify(r)));
  });
  it('keeps the exchanges of looked-up clicks, gathered as the rows are written', async () => {
    const sb = await startSandbox({ seed: 3 });
    try {
      const client = new EverflowClient({ baseUrl: () => sb.url, getApiKey: async () => sb.keys.valid, limiter: new RateLimiter({ perSecond: 1000 }) });
      const rows = await Promise.all(sb.sampleIds(3).map((id) => client.getClick(id)));
      const r: ResultSet = { title: 'look-ups', request: { ...request, kind: 'bulk', rows: 3 }, rows };
      const expected = exchangesOf(r);
      assert.equal(expected.length, 3);
      const store = newStore();
      await store.save('r-lookups', r);
      const loaded = await store.load('r-lookups');
      assert.deepEqual(loaded?.exchanges, JSON.parse(JSON.stringify(expected)));
      assert.deepEqual(loaded?.rows, JSON.parse(JSON.stringify(rows)));
    } finally {
      await sb.close();
    }
  });
  it('reads a file laid out as the version before wrote it (rows joined a batch at a time)', async () => {
    const r = { ...result(1100), exchanges: [{ method: 'POST', path: '/v1/x', response: '{}' }] } as unknown as ResultSet;
    let text = `{"title":${JSON.stringify(r.title)},"request":${JSON.stringify(r.request)},"rows":[\n`;
    for (let i = 0; i < r.rows.length; i += 500) text += (i > 0 ? ',' : '') + r.rows.slice(i, i + 500).map((x) => JSON.stringify(x)).join('\n,') + '\n';
    text += '],"exchanges":[\n' + JSON.stringify(r.exchanges![0]) + '\n]}\n';
    fs.writeFileSync(path.join(dir, 'r-before.json.gz'), zlib.gzipSync(text));
    assert.deepEqual(await newStore().load('r-before'), JSON.parse(JSON.stringify(r)));
  });
  it('takes the head\'s row count as room only: a count too high, too low or not a count loses and adds nothing', async () => {
    const r = result(40);
    const expected = JSON.parse(JSON.stringify(r)) as ResultSet;
    for (const [i, count] of [41, 5000, 39, 1, 0, -3, 2.5, '40', null, 1e12, Number.MAX_SAFE_INTEGER].entries()) {
      const file = `r-count-${i}`;
      const rows = r.rows.map((x) => JSON.stringify(x)).join('\n,');
      const text = `{"title":${JSON.stringify(r.title)},"request":${JSON.stringify({ ...r.request, rows: count })},"rows":[\n${rows}\n]}\n`;
      fs.writeFileSync(path.join(dir, `${file}.json.gz`), zlib.gzipSync(text));
      const loaded = await newStore().load(file);
      assert.deepEqual(loaded?.rows, expected.rows, `count ${String(count)}`);
      // No empty slot left at the end or anywhere in between.
      assert.equal(Object.keys(loaded!.rows).length, 40, `count ${String(count)}: every index holds a row`);
      assert.deepEqual(loaded?.request, { ...expected.request, rows: count }, 'the head itself is kept as written');
    }
  });
  it('a save that fails leaves the kept file as it was, and no file aside', async () => {
    const logs: string[] = [];
    const store = newStore((m) => logs.push(m));
    const good = result(50);
    await store.save('r-fail', good);
    // A value JSON cannot write, part-way through the rows.
    const bad = result(3000);
    Object.assign(bad.rows[2500], { n: 1n });
    await store.save('r-fail', bad);
    assert.match(logs.join('\n'), /could not keep result r-fail for a reload: .*BigInt/);
    assert.deepEqual(await store.load('r-fail'), JSON.parse(JSON.stringify(good)));
    // The file aside cannot be written at all (a folder stands where it goes).
    const aside = path.join(dir, `r-fail.json.gz.${process.pid}.tmp`);
    fs.mkdirSync(aside);
    try {
      await store.save('r-fail', result(10));
      assert.equal(logs.length, 2);
      assert.deepEqual(await store.load('r-fail'), JSON.parse(JSON.stringify(good)));
    } finally {
      fs.rmSync(aside, { recursive: true, force: true });
    }
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.startsWith('r-fail')), ['r-fail.json.gz']);
  });
  it('refuses a file cut at a line, cut inside the gzip stream, or with a row that is not an object', async () => {
    const store = newStore();
    await store.save('r-cut2', result(2000));
    const file = path.join(dir, 'r-cut2.json.gz');
    const bytes = fs.readFileSync(file);
    const text = zlib.gunzipSync(bytes).toString('utf8');
    fs.writeFileSync(file, zlib.gzipSync(text.slice(0, text.lastIndexOf(']}'))));
    assert.equal(await store.load('r-cut2'), undefined, 'cut just before the end line');
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    assert.equal(await store.load('r-cut2'), undefined, 'the gzip stream cut short');
    const lines = text.split('\n');
    lines[3] = ',[1,2]';
    fs.writeFileSync(file, zlib.gzipSync(lines.join('\n')));
    assert.equal(await store.load('r-cut2'), undefined, 'a row that is an array');
    lines[3] = ',null';
    fs.writeFileSync(file, zlib.gzipSync(lines.join('\n')));
    assert.equal(await store.load('r-cut2'), undefined, 'a row that is null');
  });
  it('drops conversions with a row lacking its ids, keeping the clicks', async () => {
    const store = newStore();
    const conversions = { from: request.from, to: request.to, timezone_id: 67, attribution_days: 30, fetched_at: request.fetched_at, pages: 1, total_count: 2, partial: false, rows: [{ conversion_id: 'c1', transaction_id: 't1' }, { conversion_id: 'c2', transaction_id: 't2' }] };
    const r = { ...result(20), conversions } as unknown as ResultSet;
    await store.save('r-conv-bad', r);
    const file = path.join(dir, 'r-conv-bad.json.gz');
    const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
    fs.writeFileSync(file, zlib.gzipSync(text.replace('{"conversion_id":"c2","transaction_id":"t2"}', '{"conversion_id":"c2","transaction_id":2}')));
    const loaded = await store.load('r-conv-bad');
    assert.equal(loaded?.conversions, undefined);
    assert.deepEqual(loaded?.rows, JSON.parse(JSON.stringify(r.rows)));
  });
  it('gives the event loop turns while it writes and reads', async () => {
    const store = newStore();
    const r = result(20_000);
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns++;
      if (counting) setImmediate(count);
    };
    for (const step of [() => store.save('r-turns', r), () => store.load('r-turns')]) {
      turns = 0;
      counting = true;
      setImmediate(count);
      await step();
      counting = false;
      assert.ok(turns >= 10, `${turns} turns`);
    }
  });
});
}

describe('the reader thread of kept results', () => {
  it('reads the file in the thread, and reads it on this thread when the thread cannot start', async () => {
    const logs: string[] = [];
    const r = result(2500);
    await new ResultStore(dir).save('r-thread', r);
    const file = path.join(dir, 'r-thread.json.gz');
    const inThread = await readResultFile(file, thread);
    const here = await readResultFile(file, path.join(dir, 'no-such-thread.js'));
    assert.equal(inThread.inThread, true);
    assert.equal(here.inThread, false);
    assert.deepEqual(inThread.value, here.value);
    assert.deepEqual((inThread.value as ResultSet).rows, JSON.parse(JSON.stringify(r.rows)));
    const loaded = await new ResultStore(dir, undefined, (m) => logs.push(m), path.join(dir, 'no-such-thread.js')).load('r-thread');
    assert.equal(loaded?.rows.length, 2500);
    assert.match(logs.join('\n'), /read kept result r-thread on the extension host's own thread/);
  });
  it('refuses a missing or damaged file from the thread as it does on this thread', async () => {
    await assert.rejects(readResultFile(path.join(dir, 'r-none.json.gz'), thread), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    fs.writeFileSync(path.join(dir, 'r-junk.json.gz'), Buffer.from('not gzip at all'));
    await assert.rejects(readResultFile(path.join(dir, 'r-junk.json.gz'), thread));
  });
});
