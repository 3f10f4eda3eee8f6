// Section "conversions" of `npm run bench`: a result's clicks joined with Everflow's conversion report
// by transaction ID (src/core/conversions/join.ts), at 100,000 clicks (the sandbox's) and 10,000
// conversion rows (issue #15's figure).
//
//   node out/bench/conversions.cjs <clicks.json> <runs>
//
// The conversions are made here from the clicks with the sandbox's seeded generator: 8,000 base
// conversions on 6,000 clicks (some clicks twice or more), 1,500 post-conversion events, 300 rows sent
// twice across pages and 200 conversions of clicks outside the result. Timed, each a median of
// max(runs, 7) repetitions after a warm-up:
// - ours: the join from the grid table's two key columns (transaction_id, time), as the host and the
//   webview hold them;
// - baseline, same run: the obvious join over the click objects (a Map of transaction ID → click
//   index, then an object per converted click with its list of conversions).

import { readFileSync } from 'node:fs';
import { columnsForRows } from '../../src/core/columns';
import { joinConversions } from '../../src/core/conversions/join';
import type { Conversion } from '../../src/core/conversions/types';
import { flattenRows } from '../../src/core/flatten';
import { parseStreamResponse } from '../../src/core/parse';
import type { Click } from '../../src/core/types';
import { summarise } from '../lib/stats';
import { Rng } from '../../test/sandbox/rng';

function conversionRow(p: Partial<Conversion>): Conversion {
  return {
    conversion_id: '', transaction_id: '', conversion_unix_timestamp: 0, click_unix_timestamp: 0, revenue: 0, sale_amount: 0, currency_id: 'USD',
    event: '', is_event: false, status: '', revenue_type: 'CPA', source_id: '', sub1: '', sub2: '', sub3: '', sub4: '', sub5: '', order_id: '',
    coupon_code: '', country: '', platform: '', device_type: '', offer_id: 0, offer_name: '', other: {}, ...p,
  };
}

function makeConversions(rows: Click[]): Conversion[] {
  const r = new Rng(15);
  const pick = (): Click => rows[Math.floor(r.next() * rows.length)];
  const out: Conversion[] = [];
  let id = 0;
  const clicks: Click[] = [];
  for (let k = 0; k < 6000; k++) clicks.push(pick());
  for (let k = 0; k < 8000; k++) {
    const c = clicks[k % clicks.length];
    const t = c.unix_timestamp + Math.floor(r.next() * 30 * 86_400);
    out.push(conversionRow({ conversion_id: `cv${++id}`, transaction_id: c.transaction_id, conversion_unix_timestamp: t, click_unix_timestamp: c.unix_timestamp, revenue: Math.round(r.next() * 2000) / 100, sale_amount: Math.round(r.next() * 20000) / 100, status: r.next() < 0.2 ? 'pending' : 'approved' }));
  }
  for (let k = 0; k < 1500; k++) {
    const c = clicks[Math.floor(r.next() * clicks.length)];
    out.push(conversionRow({ conversion_id: `cv${++id}`, transaction_id: c.transaction_id, is_event: true, event: 'purchase', conversion_unix_timestamp: c.unix_timestamp + 86_400, revenue: 1 }));
  }
  for (let k = 0; k < 200; k++) out.push(conversionRow({ conversion_id: `cv${++id}`, transaction_id: `not-in-result-${k}`, conversion_unix_timestamp: 1, revenue: 2 }));
  for (let k = 0; k < 300; k++) out.push({ ...out[Math.floor(r.next() * 9500)] });
  return out;
}

function naive(rows: Click[], conversions: Conversion[]) {
  const byTx = new Map<string, number>();
  rows.forEach((c, i) => {
    if (!byTx.has(c.transaction_id)) byTx.set(c.transaction_id, i);
  });
  const seen = new Set<string>();
  const perClick = new Map<number, { click: Click; conversions: Conversion[]; events: Conversion[]; revenue: number; first: number }>();
  const unmatched: Conversion[] = [];
  for (const cv of conversions) {
    if (seen.has(cv.conversion_id)) continue;
    seen.add(cv.conversion_id);
    const i = byTx.get(cv.transaction_id);
    if (i === undefined) {
      unmatched.push(cv);
      continue;
    }
    let e = perClick.get(i);
    if (!e) perClick.set(i, (e = { click: rows[i], conversions: [], events: [], revenue: 0, first: Infinity }));
    (cv.is_event ? e.events : e.conversions).push(cv);
    e.revenue += cv.revenue;
    if (!cv.is_event) e.first = Math.min(e.first, cv.conversion_unix_timestamp);
  }
  return { perClick, unmatched };
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

function main(): void {
  const [file, runsArg] = process.argv.slice(2);
  const reps = Math.max(7, Number(runsArg ?? 3));
  const rows = parseStreamResponse(JSON.parse(readFileSync(file, 'utf8')), Infinity).rows;
  const conversions = makeConversions(rows);
  const flat = flattenRows(rows, columnsForRows(rows).columns);
  const ids = flat.data[flat.columns.indexOf('transaction_id')];
  const times = flat.data[flat.columns.indexOf('time')];
  const ours = time(reps, () => joinConversions({ transactionIds: ids, clickTimes: times }, conversions));
  const baseline = time(reps, () => naive(rows, conversions));
  const j = ours.result as ReturnType<typeof joinConversions>;
  const b = baseline.result as ReturnType<typeof naive>;
  // The two must agree before their times mean anything.
  if (j.convertedClicks !== b.perClick.size || j.unmatched.length !== b.unmatched.length) throw new Error('join and baseline disagree');
  console.log(
    JSON.stringify({
      clicks: rows.length,
      conversions: conversions.length,
      convertedClicks: j.convertedClicks,
      matched: j.matched,
      duplicates: j.duplicates,
      unmatched: j.unmatched.length,
      joinMs: ours.ms,
      baselineMs: baseline.ms,
    }),
  );
}

main();
