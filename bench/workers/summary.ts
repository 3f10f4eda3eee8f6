// Section "summary" of `npm run bench`: the summary above the grid (src/core/summary), recomputed
// over the rows the grid shows after a search or filter, at 100,000 rows (the sandbox's clicks) and
// 1,000,000 (those clicks ten times over, each copy a window later, as Fetch all or a reopened
// history can hold).
//
//   node out/bench/summary.cjs <clicks.json> <rows> <runs>
//
// Timed, each a median of max(runs, 7) repetitions after one warm-up:
// - prepare: the per-table work (typed arrays from the packed columns, the country dimension, the
//   bucket layout and each row's bucket), once per table;
// - recompute: cards + histogram + top-10 countries over 60% of the rows in a shuffled order (what a
//   search leaves, in the grid's sort order), and over every row;
// - recompute with a dimension of many values (sub1) and revenue per bar;
// - append: the last 10% of rows added by "Fetch all" (extend the model, add the new shown rows);
// - baseline, same run: the obvious loop over the click objects the host holds (Maps keyed by text,
//   a binary search for the bucket), for the same shown rows.
// The bench's zone has daylight saving (America/New_York).

import { readFileSync } from 'node:fs';
import { columnsForRows } from '../../src/core/columns';
import { flattenRows, type FlatTable } from '../../src/core/flatten';
import { parseStreamResponse } from '../../src/core/parse';
import { summarize, SummaryAccumulator, type SummaryOptions } from '../../src/core/summary/aggregate';
import { bucketIndex, layoutBuckets } from '../../src/core/summary/buckets';
import { SummaryModel } from '../../src/core/summary/model';
import { packTable, type PackedTable } from '../../src/core/tablePack';
import type { Click } from '../../src/core/types';
import { replicate } from '../lib/replicate';
import { summarise } from '../lib/stats';
import { Rng } from '../../test/sandbox/rng';

const ZONE = 'America/New_York';
// No forced collection between repetitions: after `gc()` on this worker's heap (a million click objects
// for the baseline) V8 finishes sweeping lazily, on the next allocations, which put 20–50 ms of the
// collector's work into whatever is timed next (measured: 2 ms → 30 ms at 100,000 rows). Medians of
// back-to-back repetitions leave out an occasional collection instead.

/** Seeded uniform numbers in [0, 1), from the sandbox's generator. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

function sliceTable(t: FlatTable, n: number): FlatTable {
  return { columns: t.columns, data: t.data.map((c) => c.slice(0, n)) };
}

function time(reps: number, f: () => unknown): { ms: ReturnType<typeof summarise>; result: unknown } {
  let result = f();
  const list: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    result = f();
    list.push(performance.now() - t0);
  }
  return { ms: summarise(list), result };
}

/** The straightforward implementation: one pass over the click objects, Maps keyed by text. */
function naive(rows: Click[], shown: readonly number[], layoutBounds: Float64Array, dimension: (c: Click) => string) {
  let unique = 0;
  let errors = 0;
  let first = Infinity;
  let last = -Infinity;
  const revenue = new Map<string, number>();
  const perMinute = new Map<number, number>();
  const n = layoutBounds.length - 1;
  const hist = Array.from({ length: n }, () => ({ clicks: 0, errors: 0, unique: 0 }));
  const groups = new Map<string, { count: number; unique: number; errors: number }>();
  for (const r of shown) {
    const c = rows[r];
    const u = c.is_unique === true;
    const e = Number(c.error_code) !== 0;
    if (u) unique++;
    if (e) errors++;
    const t = c.unix_timestamp;
    if (t < first) first = t;
    if (t > last) last = t;
    const cur = String(c.currency_id).trim().toUpperCase();
    revenue.set(cur, (revenue.get(cur) ?? 0) + c.revenue);
    const m = Math.floor(t / 60);
    perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
    let lo = 0;
    let hi = n;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (layoutBounds[mid] <= t) lo = mid;
      else hi = mid;
    }
    if (t >= layoutBounds[0] && t < layoutBounds[n]) {
      hist[lo].clicks++;
      if (e) hist[lo].errors++;
      if (u) hist[lo].unique++;
    }
    const key = dimension(c);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { count: 0, unique: 0, errors: 0 }));
    g.count++;
    if (u) g.unique++;
    if (e) g.errors++;
  }
  const top = [...groups].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
  return { clicks: shown.length, unique, errors, first, last, revenue, peak: Math.max(0, ...perMinute.values()), hist, top, distinct: groups.size };
}

/** What a search leaves: 60% of the rows, in an order that is not the result's (the grid's sort). */
function views(n: number): { all: number[]; shown: number[] } {
  const r = rng(42);
  const all = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return { all, shown: all.filter(() => r() < 0.6) };
}

/**
 * The clicks (host-side objects), the packed tables the webview would get (all rows, and the first 90%
 * before Fetch all's last pages), and the baseline timed over the click objects. The objects are
 * dropped when this returns: the webview never holds them, and a heap of a million of them would make
 * every collection during our timings several times longer than the webview's.
 */
function prepareInput(file: string, n: number, reps: number, shown: number[]) {
  const base = parseStreamResponse(JSON.parse(readFileSync(file, 'utf8')), Infinity).rows;
  const rows = replicate(base, Math.max(1, Math.ceil(n / base.length))).slice(0, n);
  const flat = flattenRows(rows, columnsForRows(rows).columns);
  // As the webview receives it: packed, through JSON.
  const packed: PackedTable = JSON.parse(JSON.stringify(packTable(flat)));
  const cut = Math.floor(n * 0.9);
  const packed90: PackedTable = JSON.parse(JSON.stringify(packTable(sliceTable(flat, cut))));
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of rows) {
    lo = Math.min(lo, c.unix_timestamp);
    hi = Math.max(hi, c.unix_timestamp);
  }
  const window = { start: lo, end: hi + 1 };
  const bounds = layoutBuckets(window.start, window.end, ZONE).bounds;
  const baseline = time(reps, () => naive(rows, shown, bounds, (c) => c.relationship.geolocation.country_name));
  return { packed, packed90, cut, window, columns: flat.columns.length, baseline };
}

function main(): void {
  const [file, rowsArg, runsArg] = process.argv.slice(2);
  const n = Number(rowsArg);
  const reps = Math.max(7, Number(runsArg ?? 3));
  const { all, shown } = views(n);
  const { packed, packed90, cut, window, columns, baseline } = prepareInput(file, n, reps, shown);
  const lo = window.start;
  const country: SummaryOptions = { window, dimension: 'geo.country_name' };
  const sub1: SummaryOptions = { window, dimension: 'sub1', measure: 'revenue' };

  let model: SummaryModel | undefined;
  const prepare = time(Math.min(reps, 5), () => {
    model = new SummaryModel(packed, ZONE);
    model.dimension('geo.country_name');
    return model.histogramLayout(window).layout.buckets.length;
  });
  const m = model!;
  m.dimension('sub1');
  const layout = m.histogramLayout(window).layout;
  const recomputeShown = time(reps, () => summarize(m, shown, country));
  const recomputeAll = time(reps, () => summarize(m, all, country));
  const recomputeSub1 = time(reps, () => summarize(m, shown, sub1));

  // Fetch all brings the last 10%: a model of the first 90% with its accumulator, then the new rows.
  const shownBefore = shown.filter((i) => i < cut);
  const shownNew = shown.filter((i) => i >= cut);
  const appendList: number[] = [];
  for (let k = 0; k < Math.min(reps, 5); k++) {
    const m90 = new SummaryModel(packed90, ZONE);
    const acc = new SummaryAccumulator(m90, country);
    acc.add(shownBefore);
    const t0 = performance.now();
    if (!m90.extend(packed) || !acc.add(shownNew)) throw new Error('append was not incremental');
    acc.result();
    appendList.push(performance.now() - t0);
  }

  // The two must agree before their times mean anything.
  const ours = summarize(m, shown, country);
  const theirs = baseline.result as ReturnType<typeof naive>;
  if (ours.cards.clicks !== theirs.clicks || ours.cards.unique !== theirs.unique || ours.cards.withError !== theirs.errors || ours.cards.peakPerMinute !== theirs.peak) {
    throw new Error('summary and baseline disagree on the cards');
  }
  if (ours.breakdown!.items.map((i) => i.count).join() !== theirs.top.map(([, g]) => g.count).join() || ours.breakdown!.distinct !== theirs.distinct) {
    throw new Error('summary and baseline disagree on the breakdown');
  }
  if ([...ours.histogram.clicks].join() !== theirs.hist.map((h) => h.clicks).join()) throw new Error('summary and baseline disagree on the histogram');
  if (bucketIndex(layout, lo) !== 0) throw new Error('the layout does not start with the first click');

  console.log(
    JSON.stringify({
      rows: n,
      shown: shown.length,
      columns,
      zone: ZONE,
      buckets: layout.buckets.length,
      bucketSize: layout.size,
      countries: m.dimension('geo.country_name')!.labels.length,
      sub1Values: m.dimension('sub1')!.labels.length,
      prepareMs: prepare.ms,
      recomputeShownMs: recomputeShown.ms,
      recomputeAllMs: recomputeAll.ms,
      recomputeSub1Ms: recomputeSub1.ms,
      appendMs: summarise(appendList),
      appended: n - cut,
      baselineMs: baseline.ms,
    }),
  );
}

main();
