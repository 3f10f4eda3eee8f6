// The rows kept for a reload: written a batch at a time and read back a line at a time, so a big
// result neither freezes the extension host nor meets V8's longest string. Round trips exactly
// (hostile text included), still reads files of the older one-line form, and refuses a cut file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, describe, it } from 'node:test';
import { ResultStore } from '../../../src/results/resultStore';
import type { ResultSet } from '../../../src/results/resultSet';
import { click } from '../core/gridFixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ef-store-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const hostile = ['\n', ']}', '],"exchanges":[', '\u2028', '\ud800', '<script>x</script>', ',{"a":1}'];
const request = { kind: 'stream', from: '2026-03-14 00:00:00', to: '2026-03-14 23:59:59', timezone_id: 67, fetched_at: '2026-03-14T00:00:00.000Z', rows: 0 } as unknown as ResultSet['request'];

function result(n: number): ResultSet {
  return { title: 'T ]} \n', request: { ...request, rows: n }, rows: Array.from({ length: n }, (_, i) => click({ sub1: hostile[i % hostile.length], referer: `r${i}` })) };
}

describe('ResultStore', () => {
  it('round-trips rows and exchanges exactly, hostile text included, through a file of a row per line', async () => {
    const store = new ResultStore(dir);
    const r: ResultSet = { ...result(1203), exchanges: [{ method: 'POST', path: '/v1/x', response: '{"a":"]}"}\n' } as never] };
    await store.save('r-a', r);
    assert.deepEqual(await store.load('r-a'), JSON.parse(JSON.stringify(r)));
    const text = zlib.gunzipSync(fs.readFileSync(path.join(dir, 'r-a.json.gz'))).toString('utf8');
    assert.equal(text.split('\n').length, 1203 + 5, 'a head line, a line per row, the exchanges line, one exchange, the end');
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(r)), 'the file is still one JSON document');
  });
  it('round-trips the conversions added to a result, a conversion row per line', async () => {
    const store = new ResultStore(dir);
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
  it('keeps an empty result', async () => {
    const store = new ResultStore(dir);
    await store.save('r-empty', result(0));
    assert.deepEqual(await store.load('r-empty'), JSON.parse(JSON.stringify(result(0))));
  });
  it('reads a file of the older one-line form', async () => {
    const r = result(40);
    fs.writeFileSync(path.join(dir, 'r-old.json.gz'), zlib.gzipSync(JSON.stringify(r)));
    assert.deepEqual(await new ResultStore(dir).load('r-old'), JSON.parse(JSON.stringify(r)));
  });
  it('gives nothing for a cut or damaged file rather than part of the rows', async () => {
    const store = new ResultStore(dir);
    await store.save('r-cut', result(300));
    const text = zlib.gunzipSync(fs.readFileSync(path.join(dir, 'r-cut.json.gz'))).toString('utf8');
    fs.writeFileSync(path.join(dir, 'r-cut.json.gz'), zlib.gzipSync(text.slice(0, Math.floor(text.length / 2))));
    assert.equal(await store.load('r-cut'), undefined);
    fs.writeFileSync(path.join(dir, 'r-bad.json.gz'), Buffer.from('not gzip'));
    assert.equal(await store.load('r-bad'), undefined);
    assert.equal(await store.load('r-never-saved'), undefined);
  });
});
