import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fetchAll, pieceOf, type Truncation } from '../../../src/core/fetchAll';
import { lowerBound, planProbe, planSample, probeCaps, sampleCost, sampleTarget } from '../../../src/core/splitPlan';
import type { Click, StreamRequest, StreamResult } from '../../../src/core/types';

// How pieces are cut from a sample (an arbitrary N of a capped answer): the cost model that decides
// whether a probe (one request over many caps, whose capped answer is a denser sample) pays for
// itself, and Fetch all over 14 days of a daily curve unlike the sandbox's, against an in-memory
// stream that truncates each way the sandbox does. The sandbox's own windows are in
// fetchAllScenarios.test.ts; this one is about the planner on traffic it was not tuned on.

const CAP = 5000;

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe('sample planning: the cost model', () => {
  it('aims nearer the cap the denser the sample and the better its scale is known', () => {
    assert.ok(sampleTarget(CAP, 5, 0.02) > sampleTarget(CAP, 20, 0.02));
    assert.ok(sampleTarget(CAP, 20, 0.02) > sampleTarget(CAP, 56, 0.02));
    assert.ok(sampleTarget(CAP, 20, 0.02) > sampleTarget(CAP, 20, 0.1));
    for (const [perRow, err] of [[2, 0.1], [20, 0.02], [56, 0.07]]) {
      const aim = sampleTarget(CAP, perRow, err);
      assert.ok(aim < CAP && aim > CAP / 2, `${perRow} ${err}: ${aim}`);
      // Never below one request per cap's worth, and dearer where the sample is thinner.
      assert.ok(sampleCost(CAP, perRow, err) > 1);
    }
    assert.ok(sampleCost(CAP, 56, 0.02) > sampleCost(CAP, 20, 0.02));
  });

  it('sends a probe only where the sample is thin and the stretch long enough to repay it', () => {
    // One row for 56 clicks (a 14-day answer of 5,000 rows for 280,000 clicks), 53 caps to go.
    const k = probeCaps(CAP, 56, 0.02, 53);
    assert.ok(k !== undefined && k >= 4 && k <= 32, `${k}`);
    // Equal probes over the stretch, not one that leaves a short one behind.
    assert.ok(Number.isInteger(Math.round((53 / k) * 1e9) / 1e9), `${53 / k}`);
    assert.equal(probeCaps(CAP, 56, 0.02, 3), undefined, 'too short a stretch');
    assert.equal(probeCaps(CAP, 20, 0.02, 53), undefined, 'a dense enough sample');
    assert.equal(probeCaps(CAP, 5, 0.05, 53), undefined);
  });

  it('cuts a probe at a sample quantile, carrying the error of what it is expected to hold', () => {
    const range = pieceOf({ from: '2026-11-06 00:00:00', to: '2026-11-19 23:59:59' }, 'UTC');
    const r = random(7);
    const sample = Array.from({ length: CAP }, () => range.fromSec + Math.floor(r() * (range.toSec - range.fromSec + 1))).sort((a, b) => a - b);
    const [probe, rest, ...more] = planProbe(range, sample, 56, 0.02, 18 * CAP, 'UTC');
    assert.equal(more.length, 0);
    assert.equal(probe.fromSec, range.fromSec);
    assert.equal(rest.toSec, range.toSec);
    assert.equal(rest.fromSec, probe.toSec + 1);
    const rows = lowerBound(sample, probe.toSec + 1);
    assert.ok(Math.abs(rows - (18 * CAP) / 56) <= 2, `${rows} sampled rows in the probe`);
    assert.ok(probe.expectedErr! > 0.02 && probe.expectedErr! < 0.05, `${probe.expectedErr}`);
    assert.equal(rest.expectedErr, undefined);
  });

  it('with shortLast, every piece is the size aimed at but the last, which holds what is left', () => {
    const range = pieceOf({ from: '2026-11-19 00:00:00', to: '2026-11-19 23:59:59' }, 'UTC');
    const sample = Array.from({ length: CAP }, (_, i) => range.fromSec + Math.floor((i * 86_400) / CAP));
    const even = planSample(range, sample, 2.2, 4000, 'UTC');
    const short = planSample(range, sample, 2.2, 4000, 'UTC', true);
    assert.equal(even.length, short.length);
    const sizes = short.map((p) => p.expected!);
    for (const s of sizes.slice(0, -1)) assert.ok(Math.abs(s - 4000) <= 2.2 * 2, `${s}`);
    assert.ok(sizes.at(-1)! < 4000);
    // Evenly: all about the same, none as short as the remainder.
    assert.ok(Math.min(...even.map((p) => p.expected!)) > sizes.at(-1)!);
    for (const plan of [even, short]) {
      assert.equal(plan[0].fromSec, range.fromSec);
      assert.equal(plan.at(-1)!.toSec, range.toSec);
      for (let i = 1; i < plan.length; i++) assert.equal(plan[i].fromSec, plan[i - 1].toSec + 1);
    }
  });
});

/** 14 days, 20,000 clicks a day, on a curve with a lunch peak and an evening one, two lighter days a week. */
function twoPeakFortnight(seed: number): Click[] {
  const start = Date.parse('2026-11-06T00:00:00Z') / 1000;
  const r = random(seed);
  const shape = (h: number): number => 0.15 + Math.exp(-(((h - 12.5) / 1.5) ** 2)) + 1.6 * Math.exp(-(((h - 20) / 2.2) ** 2));
  const rows: Click[] = [];
  for (let d = 0; d < 14; d++) {
    const perDay = d % 7 === 1 || d % 7 === 2 ? 14_000 : 20_000;
    // Rejection sampling under the curve (its peak is under 1.8).
    for (let n = 0; n < perDay; ) {
      const s = Math.floor(r() * 86_400);
      if (r() * 1.8 < shape(s / 3600)) rows.push({ unix_timestamp: start + d * 86_400 + s, transaction_id: `d${d}-${n++}` } as Click);
    }
  }
  return rows.sort((a, b) => a.unix_timestamp - b.unix_timestamp);
}

/** An in-memory stream over sorted `clicks`, capping at CAP the way `mode` says. */
function fakeStream(clicks: Click[], mode: Truncation | 'shifting', seed: number) {
  const times = clicks.map((c) => c.unix_timestamp);
  const r = random(seed);
  let serial = 0;
  const modes = ['first', 'newest', 'arbitrary'] as const;
  return async (req: StreamRequest): Promise<StreamResult> => {
    const p = pieceOf(req, 'UTC');
    const hits = clicks.slice(lowerBound(times, p.fromSec), lowerBound(times, p.toSec + 1));
    const m = mode === 'shifting' ? modes[serial++ % 3] : mode;
    if (hits.length <= CAP) return { rows: hits, truncated: hits.length === CAP, cap: CAP, durationMs: 0 };
    let rows: Click[];
    if (m === 'first') rows = hits.slice(0, CAP);
    else if (m === 'newest') rows = hits.slice(-CAP);
    else {
      for (let k = 0; k < CAP; k++) {
        const j = k + Math.floor(r() * (hits.length - k));
        [hits[k], hits[j]] = [hits[j], hits[k]];
      }
      rows = hits.slice(0, CAP);
    }
    return { rows, truncated: true, cap: CAP, durationMs: 0 };
  };
}

describe('fetchAll over 14 days of a two-peak curve (in-memory stream)', () => {
  const clicks = twoPeakFortnight(11);
  const req: StreamRequest = { from: '2026-11-06 00:00:00', to: '2026-11-19 23:59:59', timezone_id: 67 };
  const bound = Math.ceil(clicks.length / CAP);
  const LIMIT = { first: 1.15, newest: 1.15, arbitrary: 1.35, shifting: 2 };

  for (const mode of ['first', 'newest', 'arbitrary', 'shifting'] as const) {
    it(`'${mode}': every click exactly once, within ${LIMIT[mode]}× the bound`, async () => {
      const sent: Array<{ from: number; to: number; n: number }> = [];
      const stream = fakeStream(clicks, mode, 3);
      const r = await fetchAll(req, {
        stream: async (q) => {
          const res = await stream(q);
          const p = pieceOf(q, 'UTC');
          sent.push({ from: p.fromSec, to: p.toSec, n: res.rows.length });
          return res;
        },
        zone: 'UTC',
        maxRows: 1_000_000,
      });
      const ids = r.rows.map((c) => c.transaction_id);
      assert.equal(new Set(ids).size, ids.length, 'a click came back twice');
      assert.equal(ids.length, clicks.length);
      assert.deepEqual(new Set(ids), new Set(clicks.map((c) => c.transaction_id)));
      assert.equal(r.complete, true);
      assert.equal(r.requests, sent.length);
      assert.ok(r.requests <= LIMIT[mode] * bound, `${r.requests} requests for a bound of ${bound}`);
      if (mode === 'arbitrary') {
        // Past the first two requests (the window, then a first probe that measures the scale),
        // some request spans many caps: a probe for a denser sample.
        const times = clicks.map((c) => c.unix_timestamp);
        const probes = sent.slice(2).filter((s) => lowerBound(times, s.to + 1) - lowerBound(times, s.from) >= 4 * CAP);
        assert.ok(probes.length >= 1, 'no probe');
      }
    });
  }
});
