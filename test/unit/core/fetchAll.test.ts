import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { EverflowClient } from '../../../src/core/client';
import { TARGET_FILL, boundaryOk, chunkWindow, fetchAll, pieceOf, planSplit, type FetchAllResult, type Piece } from '../../../src/core/fetchAll';
import { RateLimiter } from '../../../src/core/limiter';
import { decodeTable } from '../../../src/core/binaryTable';
import { columnsForRows } from '../../../src/core/columns';
import { flattenRows } from '../../../src/core/flatten';
import { unpackTable } from '../../../src/core/tablePack';
import { TableEncoder } from '../../../src/core/tableEncoder';
import type { Click, StreamRequest } from '../../../src/core/types';
import { startSandbox, type Sandbox } from '../../sandbox/server';

// The split planner on synthetic timestamps, then fetch-all against the real sandbox over loopback
// with the real client: every truncation mode, daylight saving, chunking, cancellation, maxRows.

const CAP = 5000;
const NY = 'America/New_York';
const wall = (s: string): number => Date.parse(`${s.replace(' ', 'T')}Z`) / 1000;
const at = (iso: string): number => Date.parse(iso) / 1000;

/** Rows carrying only what the planner reads. */
function rowsAt(ts: number[]): Click[] {
  return ts.map((t, i) => ({ unix_timestamp: t, transaction_id: `t${i}` }) as Click);
}

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** Pieces tile `whole`: same ends, each `from` one wall-clock second after the previous `to`. */
function assertTiles(pieces: Array<Pick<Piece, 'from' | 'to'>>, whole: Pick<Piece, 'from' | 'to'>): void {
  assert.ok(pieces.length > 0);
  assert.equal(pieces[0].from, whole.from);
  assert.equal(pieces[pieces.length - 1].to, whole.to);
  for (let i = 0; i < pieces.length; i++) {
    assert.ok(wall(pieces[i].to) >= wall(pieces[i].from), `piece ${i} runs backwards: ${pieces[i].from}..${pieces[i].to}`);
    if (i > 0) assert.equal(wall(pieces[i].from), wall(pieces[i - 1].to) + 1, `gap or overlap at ${pieces[i - 1].to} | ${pieces[i].from}`);
  }
}

describe('planSplit (pure)', () => {
  const day: Piece = pieceOf({ from: '2026-11-19 00:00:00', to: '2026-11-19 23:59:59' }, 'UTC');
  const target = CAP * TARGET_FILL;

  it('reads a time-ordered prefix: re-fetches what came back as one counted piece, cuts the rest at its density', () => {
    const ts = Array.from({ length: CAP }, (_, i) => day.fromSec + 2 * i);
    const plan = planSplit(day, { rows: rowsAt(ts), cap: CAP }, 'UTC');
    assert.equal(plan.shape, 'prefix');
    assert.deepEqual({ ...plan.pieces[0] }, { from: '2026-11-19 00:00:00', to: '2026-11-19 02:46:37', fromSec: day.fromSec, toSec: ts[CAP - 1] - 1, basis: 'counted', expected: CAP - 1 });
    assertTiles(plan.pieces, day);
    for (const p of plan.pieces.slice(1)) {
      assert.equal(p.basis, 'extrapolated');
      assert.ok(p.expected! <= target && p.expected! > target * 0.8, `${p.expected}`);
    }
  });

  it('reads a newest-first suffix the same way, backwards', () => {
    const ts = Array.from({ length: CAP }, (_, i) => day.toSec - 3 * i).reverse();
    const plan = planSplit(day, { rows: rowsAt(ts), cap: CAP }, 'UTC');
    assert.equal(plan.shape, 'suffix');
    const last = plan.pieces[plan.pieces.length - 1];
    assert.equal(last.basis, 'counted');
    assert.equal(last.fromSec, ts[0] + 1);
    assert.equal(last.expected, CAP - 1);
    assertTiles(plan.pieces, day);
    for (const p of plan.pieces.slice(0, -1)) assert.ok(p.expected! <= target, `${p.expected}`);
  });

  it('reads a sample spread over the whole window: probes first, since a sample does not tell the total', () => {
    const r = random(3);
    const ts = Array.from({ length: CAP }, () => day.fromSec + Math.floor(r() * 86_400)).sort((a, b) => a - b);
    const plan = planSplit(day, { rows: rowsAt(ts), cap: CAP }, 'UTC');
    assert.equal(plan.shape, 'sample');
    assertTiles(plan.pieces, day);
    // The probe holds about 1/20 of the sample: sized for the largest total worth fetching.
    const probeRows = ts.filter((t) => t <= plan.pieces[0].toSec).length;
    assert.ok(probeRows >= 180 && probeRows <= 200, `${probeRows}`);
    // With an estimate in hand (a planned piece that overflowed), it splits close to halves instead.
    const again = planSplit(day, { rows: rowsAt(ts), cap: CAP }, 'UTC', { expected: 3750 });
    assert.equal(again.pieces.length, 2);
    assertTiles(again.pieces, day);
  });

  it('halves when the timestamps say nothing, and gives up on one second', () => {
    const none = planSplit(day, { rows: [], cap: CAP }, 'UTC');
    assert.equal(none.shape, 'halve');
    assert.deepEqual(none.pieces.map((p) => [p.from, p.to]), [['2026-11-19 00:00:00', '2026-11-19 11:59:59'], ['2026-11-19 12:00:00', '2026-11-19 23:59:59']]);
    assert.equal(planSplit(day, { rows: rowsAt([day.fromSec - 5, day.toSec + 5]), cap: CAP }, 'UTC').shape, 'halve');
    const second = pieceOf({ from: '2026-11-19 10:00:00', to: '2026-11-19 10:00:00' }, 'UTC');
    assert.deepEqual(planSplit(second, { rows: rowsAt(Array(CAP).fill(second.fromSec)), cap: CAP }, 'UTC'), { shape: 'unsplittable', pieces: [] });
    const two = pieceOf({ from: '2026-11-19 10:00:00', to: '2026-11-19 10:00:01' }, 'UTC');
    assert.deepEqual(planSplit(two, { rows: rowsAt(Array(CAP).fill(two.fromSec)), cap: CAP }, 'UTC').pieces.map((p) => p.to), ['2026-11-19 10:00:00', '2026-11-19 10:00:01']);
  });

  it('never puts a boundary at the edge of a repeated or skipped hour', () => {
    // 00:00 EDT to 03:59:59 EST is five real hours; 01:00–01:59:59 happens twice.
    const fallBack = pieceOf({ from: '2026-11-01 00:00:00', to: '2026-11-01 03:59:59' }, NY);
    assert.equal(fallBack.toSec - fallBack.fromSec + 1, 5 * 3600);
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = random(seed);
      // Dense around the transition, so the planner wants boundaries right there.
      const ts = Array.from({ length: CAP }, () => at('2026-11-01T04:50:00Z') + Math.floor(r() * 2.5 * 3600)).sort((a, b) => a - b);
      for (const expected of [undefined, 3750, 20_000]) {
        const plan = planSplit(fallBack, { rows: rowsAt(ts), cap: CAP }, NY, { expected });
        assertTiles(plan.pieces, fallBack);
        for (let i = 1; i < plan.pieces.length; i++) {
          assert.equal(plan.pieces[i].fromSec, plan.pieces[i - 1].toSec + 1);
          assert.ok(boundaryOk(plan.pieces[i].fromSec, NY));
          assert.ok(!['2026-11-01 01:00:00', '2026-11-01 02:00:00'].includes(plan.pieces[i].from), plan.pieces[i].from);
        }
      }
    }
    const springForward = pieceOf({ from: '2026-03-08 00:00:00', to: '2026-03-08 05:59:59' }, NY);
    const ts = Array.from({ length: CAP }, (_, i) => at('2026-03-08T06:00:00Z') + Math.floor(i * 0.72));
    const plan = planSplit(springForward, { rows: rowsAt(ts), cap: CAP }, NY, { expected: 40_000 });
    assertTiles(plan.pieces, springForward);
    assert.ok(!plan.pieces.some((p) => p.from === '2026-03-08 03:00:00'));
  });
});

describe('wall-clock boundaries and 14-day chunks', () => {
  it('accepts only boundaries whose two wall seconds are consecutive and read the same way', () => {
    assert.ok(boundaryOk(at('2026-11-19T12:00:00Z'), 'UTC'));
    assert.equal(boundaryOk(at('2026-11-01T05:00:00Z'), NY), false); // 01:00 EDT: first repeated second
    assert.ok(boundaryOk(at('2026-11-01T05:30:00Z'), NY)); // 01:30 EDT: inside the first pass
    assert.equal(boundaryOk(at('2026-11-01T06:00:00Z'), NY), false); // 01:00 EST: the clock jumped back
    assert.equal(boundaryOk(at('2026-11-01T06:30:00Z'), NY), false); // 01:30 EST: a server reads the EDT one
    assert.equal(boundaryOk(at('2026-11-01T07:00:00Z'), NY), false); // 02:00 EST after the repeated 01:59:59
    assert.ok(boundaryOk(at('2026-11-01T07:00:01Z'), NY));
    assert.equal(boundaryOk(at('2026-03-08T07:00:00Z'), NY), false); // 03:00 EDT right after 01:59:59 EST
    assert.ok(boundaryOk(at('2026-03-08T07:00:01Z'), NY));
  });

  it('cuts long windows into calendar 14-day chunks in the zone', () => {
    const month = { from: '2026-10-15 00:00:00', to: '2026-11-13 23:59:59' };
    const chunks = chunkWindow(month, NY);
    assert.deepEqual(chunks.map((c) => [c.from, c.to]), [
      ['2026-10-15 00:00:00', '2026-10-28 23:59:59'],
      ['2026-10-29 00:00:00', '2026-11-11 23:59:59'],
      ['2026-11-12 00:00:00', '2026-11-13 23:59:59'],
    ]);
    // The second chunk holds the fall-back: 14 calendar days are 14 days and an hour of real time.
    assert.equal(chunks[1].toSec - chunks[1].fromSec + 1, 14 * 86_400 + 3600);
    assert.deepEqual(chunkWindow({ from: '2026-11-01 00:00:00', to: '2026-11-14 23:59:59' }, NY).length, 1);
    assert.deepEqual(chunkWindow({ from: '2026-11-01 00:00:00', to: '2026-11-15 00:00:00' }, NY).map((c) => c.from), ['2026-11-01 00:00:00', '2026-11-15 00:00:00']);
  });

  it('keeps chunks valid when 14 days later is a repeated or skipped time', () => {
    for (const [from, to] of [
      ['2026-10-18 01:30:00', '2026-11-20 00:00:00'],
      ['2026-10-18 02:00:00', '2026-11-20 00:00:00'],
      ['2026-02-22 02:30:00', '2026-03-30 00:00:00'],
    ]) {
      const chunks = chunkWindow({ from, to }, NY);
      assertTiles(chunks, { from, to });
      for (const c of chunks) assert.ok(wall(c.to) - wall(c.from) <= 14 * 86_400 - 1, `${c.from}..${c.to}`);
      for (const c of chunks.slice(1)) assert.ok(boundaryOk(c.fromSec, NY), c.from);
    }
  });
});

describe('fetchAll against the sandbox', () => {
  const NOW = new Date('2026-11-20T12:00:00Z');
  const DAY: StreamRequest = { from: '2026-11-19 00:00:00', to: '2026-11-19 23:59:59', timezone_id: 67 };
  let sb: Sandbox;
  let client: EverflowClient;
  const table: string[] = [];
  const stream = (q: StreamRequest, signal?: AbortSignal) => client.streamClicks(q, { signal });
  const streamCalls = () => sb.requestLog.filter((e) => e.path.endsWith('/stream')).length;

  before(async () => {
    sb = await startSandbox({ seed: 11, now: NOW, knobs: { clicksPerDay: 2000 } });
    client = new EverflowClient({ baseUrl: () => sb.url, getApiKey: async () => sb.keys.valid, limiter: new RateLimiter({ perSecond: 100 }), backoff: { baseMs: 5, capMs: 20 } });
  });
  after(async () => {
    console.log(['', 'truncation  N       requests  lower bound  ratio  limit (2×LB+2)', ...table].join('\n'));
    await sb.close();
  });
  beforeEach(() => {
    sb.resetKnobs();
    // The client limits itself; the sandbox neither limits nor advertises a lower limit.
    sb.setKnobs({ rateLimit: { perSecond: 1000, enforce: false, headers: true } });
    sb.requestLog.length = 0;
  });

  function assertAllOnce(r: FetchAllResult, req: StreamRequest, expected: number): void {
    assert.equal(new Set(r.rows.map((c) => c.transaction_id)).size, r.rows.length, 'duplicates');
    assert.equal(r.rows.length, expected);
    // Pieces are disjoint, so their rows add up to the distinct rows: nothing counted twice.
    assert.equal(r.pieces.reduce((s, p) => s + p.rows, 0), r.rows.length);
    assertTiles(r.pieces, req);
    for (let i = 1; i < r.rows.length; i++) assert.ok(r.rows[i].unix_timestamp >= r.rows[i - 1].unix_timestamp);
  }

  for (const truncation of ['first', 'newest', 'arbitrary'] as const) {
    for (const n of [20_000, 30_000, 60_000]) {
      it(`fetches all ${n} clicks of one day with '${truncation}' truncation`, async () => {
        sb.setKnobs({ truncation, dayVolumes: { '2026-11-19': n } });
        assert.equal(sb.countClicks(DAY), n);
        const progress: number[] = [];
        const r = await fetchAll(DAY, { stream, zone: 'UTC', onProgress: (p) => progress.push(p.rows) });
        assertAllOnce(r, DAY, n);
        assert.equal(r.complete, true);
        assert.equal(r.stoppedBy, undefined);
        assert.equal(r.requests, streamCalls());
        assert.equal(progress.length, r.requests);
        const lb = Math.ceil(n / CAP);
        table.push(`${truncation.padEnd(11)} ${String(n).padEnd(7)} ${String(r.requests).padEnd(9)} ${String(lb).padEnd(12)} ${(r.requests / lb).toFixed(2).padEnd(6)} ${2 * lb + 2}`);
        assert.ok(r.requests <= 2 * lb + 2, `${r.requests} requests for a lower bound of ${lb}`);
      });
    }
  }

  it('loses and duplicates nothing across a fall-back hour, in every truncation mode', async () => {
    const req: StreamRequest = { from: '2026-11-01 00:00:00', to: '2026-11-01 03:59:59', timezone_id: 80 };
    for (const truncation of ['first', 'newest', 'arbitrary'] as const) {
      sb.setKnobs({ truncation, dayVolumes: { '2026-11-01': 360_000 } });
      const r = await fetchAll(req, { stream, zone: NY });
      assertAllOnce(r, req, sb.countClicks(req));
      assert.ok(r.rows.length > 20_000);
      assert.equal(r.complete, true, truncation);
    }
  });

  it('reports the one piece it cannot split when the repeated hour alone is over the cap', async () => {
    // A server reading 01:xx as the first pass reaches the second pass only in a window that spans
    // from 01:59:59 to 02:00:00, and never with fewer clicks than that hour holds.
    const req: StreamRequest = { from: '2026-11-01 00:00:00', to: '2026-11-01 03:59:59', timezone_id: 80 };
    sb.setKnobs({ dayVolumes: { '2026-11-01': 1_000_000 } });
    const r = await fetchAll(req, { stream, zone: NY });
    assert.equal(r.complete, false);
    assert.equal(r.stoppedBy, undefined);
    assert.deepEqual(r.pieces.filter((p) => p.capped), [{ from: '2026-11-01 01:59:59', to: '2026-11-01 02:00:00', rows: CAP, capped: true }]);
    assert.equal(new Set(r.rows.map((c) => c.transaction_id)).size, r.rows.length);
    assert.ok(r.rows.length < sb.countClicks(req));
    assertTiles(r.pieces, req);
  });

  it('chunks a 30-day window and splits the chunks', async () => {
    const req: StreamRequest = { from: '2026-10-15 00:00:00', to: '2026-11-13 23:59:59', timezone_id: 80 };
    sb.setKnobs({ truncation: 'first' });
    const r = await fetchAll(req, { stream, zone: NY });
    const thirds = [['2026-10-15 00:00:00', '2026-10-24 23:59:59'], ['2026-10-25 00:00:00', '2026-11-03 23:59:59'], ['2026-11-04 00:00:00', '2026-11-13 23:59:59']];
    const expected = thirds.reduce((s, [from, to]) => s + sb.countClicks({ from, to, timezone_id: 80 }), 0);
    assertAllOnce(r, req, expected);
    assert.equal(r.complete, true);
    const tos = r.pieces.map((p) => p.to);
    assert.ok(tos.includes('2026-10-28 23:59:59') && tos.includes('2026-11-11 23:59:59'), 'cut at the 14-day chunk ends');
    console.log(`30 days, ${expected} clicks: ${r.requests} requests (lower bound ${Math.ceil(expected / CAP)})`);
  });

  it('keeps what arrived when cancelled between requests', async () => {
    sb.setKnobs({ dayVolumes: { '2026-11-19': 30_000 } });
    const ac = new AbortController();
    const r = await fetchAll(DAY, { stream, zone: 'UTC', signal: ac.signal, onProgress: (p) => p.piecesDone >= 2 && ac.abort() });
    assert.equal(r.stoppedBy, 'cancelled');
    assert.equal(r.complete, false);
    assert.ok(r.rows.length >= CAP && r.rows.length < 30_000, `${r.rows.length}`);
    assert.equal(new Set(r.rows.map((c) => c.transaction_id)).size, r.rows.length);
    assert.equal(r.requests, streamCalls());
  });

  it('keeps what arrived when cancelled mid-request', async () => {
    sb.setKnobs({ dayVolumes: { '2026-11-19': 30_000 }, latencyMs: 400 });
    const ac = new AbortController();
    let first = 0;
    const r = await fetchAll(DAY, { stream, zone: 'UTC', signal: ac.signal, onProgress: (p) => { first ||= p.rows; setTimeout(() => ac.abort(), 100); } });
    assert.equal(r.stoppedBy, 'cancelled');
    assert.equal(r.complete, false);
    assert.equal(r.requests, 1);
    assert.equal(r.rows.length, first);
    assert.equal(streamCalls(), 2, 'the second request was under way when cancelled');
  });

  it('hands every kept page to onRows, so a table encoded from them as they came has the result exactly', async () => {
    for (const [truncation, maxRows] of [
      ['first', undefined],
      ['newest', undefined],
      ['arbitrary', undefined],
      ['first', 12_000],
    ] as const) {
      sb.setKnobs({ truncation, dayVolumes: { '2026-11-19': 25_000 } });
      const enc = new TableEncoder((page) => columnsForRows(page).columns);
      let pages = 0;
      const r = await fetchAll(DAY, { stream, zone: 'UTC', ...(maxRows ? { maxRows } : {}), onRows: (rows) => void (pages++, enc.append(rows)) });
      assert.ok(pages >= r.requests - 1 && enc.size >= r.rows.length, `${truncation}: ${pages} pages, ${enc.size} rows for ${r.rows.length}`);
      const { columns } = columnsForRows(r.rows);
      const back = unpackTable(decodeTable(enc.finish(r.rows, columns)));
      assert.deepEqual(back, flattenRows(r.rows, columns), truncation);
    }
  });

  it('stops at maxRows', async () => {
    sb.setKnobs({ dayVolumes: { '2026-11-19': 60_000 } });
    const r = await fetchAll(DAY, { stream, zone: 'UTC', maxRows: 12_000 });
    assert.equal(r.stoppedBy, 'maxRows');
    assert.equal(r.complete, false);
    assert.equal(r.rows.length, 12_000);
    assert.ok(r.requests < 8, `${r.requests}`);
  });

  it('uses the capped response already in hand, and sends one request for a window under the cap', async () => {
    sb.setKnobs({ truncation: 'arbitrary', dayVolumes: { '2026-11-19': 20_000 } });
    const first = await client.streamClicks(DAY);
    assert.equal(first.truncated, true);
    const without = await fetchAll(DAY, { stream, zone: 'UTC' });
    const withFirst = await fetchAll(DAY, { stream, zone: 'UTC', firstResult: first });
    assert.equal(withFirst.requests, without.requests - 1);
    assertAllOnce(withFirst, DAY, 20_000);

    sb.setKnobs({ dayVolumes: { '2026-11-19': 4000 } });
    const small = await fetchAll(DAY, { stream, zone: 'UTC' });
    assert.deepEqual({ requests: small.requests, complete: small.complete, rows: small.rows.length }, { requests: 1, complete: true, rows: 4000 });
    assert.deepEqual(small.pieces, [{ from: DAY.from, to: DAY.to, rows: 4000 }]);
  });
});
