import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellText, columnById } from '../../../src/core/columns';
import { flattenRows } from '../../../src/core/flatten';
import { GridTable } from '../../../src/core/gridTable';
import { summarize, SummaryAccumulator, OTHER_LABEL, type SummaryOptions, type SummaryResult } from '../../../src/core/summary/aggregate';
import { layoutBuckets } from '../../../src/core/summary/buckets';
import { breakdownTsv, histogramTsv } from '../../../src/core/summary/chartTsv';
import { EMPTY_LABEL, NO_ERROR_LABEL, REFERER_HOST, requestWindow, SummaryModel } from '../../../src/core/summary/model';
import { refererHost } from '../../../src/core/summary/refererHost';
import { SummaryCounter } from '../../../src/core/summary/summaryCounter';
import { packTable } from '../../../src/core/tablePack';
import type { Click } from '../../../src/core/types';
import { click } from './gridFixtures';
import { Rng } from '../../sandbox/rng';

// The summary above the grid: cards, clicks over time and top-N breakdowns over the rows the grid
// shows, computed on the packed columns; checked by hand on small tables and against a plain loop over
// the clicks themselves on random ones.

const T0 = Date.UTC(2026, 2, 14, 12) / 1000; // 2026-03-14 12:00:00 UTC

function modelOf(rows: Click[], zone = 'UTC'): SummaryModel {
  // Through JSON, as the table crosses postMessage.
  return new SummaryModel(JSON.parse(JSON.stringify(packTable(flattenRows(rows)))), zone);
}

describe('summary cards', () => {
  it('counts clicks, unique and error shares, revenue per currency, first and last click, peak per minute', () => {
    const rows = [
      click({ unix_timestamp: T0 + 5, is_unique: true, revenue: 1.1, currency_id: 'USD' }),
      click({ unix_timestamp: T0 + 20, is_unique: false, revenue: 2.2, currency_id: ' usd ', error_code: 21 }),
      click({ unix_timestamp: T0 + 59, is_unique: true, revenue: 3, currency_id: 'EUR' }),
      click({ unix_timestamp: T0 + 60, is_unique: true, revenue: 0, currency_id: 'GBP', error_code: 101 }),
      click({ unix_timestamp: T0 + 3600, is_unique: false, revenue: 7, currency_id: 'EUR' }),
    ];
    const m = modelOf(rows);
    const all = summarize(m, 'all').cards;
    assert.equal(all.clicks, 5);
    assert.equal(all.unique, 3);
    assert.equal(all.uniqueShare, 3 / 5);
    assert.equal(all.withError, 2);
    assert.equal(all.errorShare, 2 / 5);
    assert.deepEqual(all.revenue, [
      { currency: 'EUR', sum: 10 },
      { currency: 'USD', sum: 3.3 },
      { currency: 'GBP', sum: 0 },
    ]);
    assert.equal(all.first, T0 + 5);
    assert.equal(all.last, T0 + 3600);
    assert.equal(all.peakPerMinute, 3);
    assert.equal(all.peakMinute, T0);

    // The rows the grid shows, in its (sorted) order.
    const some = summarize(m, [4, 3]).cards;
    assert.equal(some.clicks, 2);
    assert.deepEqual(some.revenue, [
      { currency: 'EUR', sum: 7 },
      { currency: 'GBP', sum: 0 },
    ]);
    assert.equal(some.peakPerMinute, 1);
    assert.equal(some.peakMinute, T0 + 60);
    assert.equal(some.first, T0 + 60);

    const none = summarize(m, []).cards;
    assert.deepEqual(
      { clicks: none.clicks, uniqueShare: none.uniqueShare, errorShare: none.errorShare, revenue: none.revenue, peak: none.peakPerMinute, first: none.first },
      { clicks: 0, uniqueShare: 0, errorShare: 0, revenue: [], peak: 0, first: undefined },
    );
  });
});

describe('summary histogram', () => {
  it('keeps empty buckets where clicks stop, and stacks errors and duplicates', () => {
    // Clicks in the first 10 minutes and the last 5 of an hour: an outage in between.
    const rows: Click[] = [];
    for (let i = 0; i < 10; i++) rows.push(click({ unix_timestamp: T0 + i * 60 + 7, is_unique: i % 2 === 0, error_code: i % 3 === 0 ? 2 : 0 }));
    for (let i = 55; i < 60; i++) rows.push(click({ unix_timestamp: T0 + i * 60 + 1 }));
    const m = modelOf(rows);
    const window = { start: T0, end: T0 + 3600 };
    const h = summarize(m, 'all', { window }).histogram;
    assert.equal(h.layout.size, 'minute');
    assert.equal(h.layout.buckets.length, 60);
    assert.deepEqual([...h.clicks], Array.from({ length: 60 }, (_, i) => (i < 10 || i >= 55 ? 1 : 0)));
    assert.deepEqual([...h.unique.slice(0, 10)], [1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
    assert.deepEqual([...h.withError.slice(0, 10)], [1, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
    assert.equal(h.layout.buckets[10].label, '2026-03-14 12:10');
    assert.deepEqual([h.before, h.after, h.noTime], [0, 0, 0]);

    // The user's size; clicks outside the window are counted apart.
    const wide = modelOf([...rows, click({ unix_timestamp: T0 - 10 }), click({ unix_timestamp: T0 + 3600 })]);
    const h15 = summarize(wide, 'all', { window, bucket: '15min' }).histogram;
    assert.deepEqual([...h15.clicks], [10, 0, 0, 5]);
    assert.deepEqual([h15.before, h15.after], [1, 1]);
    assert.equal(h15.layout.auto, false);
  });

  it('without a window spans the rows’ own times, in the grid’s zone', () => {
    const rows = [click({ unix_timestamp: Date.UTC(2026, 10, 1, 4, 30) / 1000 }), click({ unix_timestamp: Date.UTC(2026, 10, 1, 7, 30) / 1000 })];
    const h = summarize(modelOf(rows, 'America/New_York'), 'all', { bucket: 'hour' }).histogram;
    assert.deepEqual(
      h.layout.buckets.map((b) => b.label),
      ['2026-11-01 00:00', '2026-11-01 01:00 (UTC−04:00)', '2026-11-01 01:00 (UTC−05:00)', '2026-11-01 02:00'],
    );
    assert.deepEqual([...h.clicks], [1, 0, 0, 1]);
  });

  it('a table without times, flags or money (odd columns, bad values) still gives counts, and no buckets', () => {
    const packed = {
      columns: ['time', 'geo.country_name', 'error'],
      rows: 3,
      data: [{ values: ['', 'not a time', Number.NaN] }, { dict: ['Peru', 'Chad'], codes: [0, 1, 0] }, { dict: ['', '2 · Over the offer cap'], codes: [0, 1, 1] }],
    };
    const s = summarize(new SummaryModel(packed, 'UTC'), 'all', { dimension: 'geo.country_name' });
    assert.equal(s.cards.clicks, 3);
    assert.equal(s.cards.withError, 2);
    assert.deepEqual(s.cards.revenue, []);
    assert.equal(s.cards.first, undefined);
    assert.equal(s.cards.peakPerMinute, 0);
    assert.equal(s.histogram.layout.buckets.length, 0);
    assert.equal(s.histogram.noTime, 3);
    assert.deepEqual(
      s.breakdown!.items.map((i) => [i.label, i.count, i.withError]),
      [
        ['Peru', 2, 1],
        ['Chad', 1, 1],
      ],
    );
  });

  it('reads the request’s window in its zone, `to` inclusive', () => {
    assert.deepEqual(requestWindow('2026-03-08 00:00:00', '2026-03-08 23:59:59', 'America/New_York'), {
      start: Date.UTC(2026, 2, 8, 5) / 1000,
      end: Date.UTC(2026, 2, 9, 4) / 1000,
    });
    assert.equal(requestWindow('2026-03-08', '2026-03-09 00:00:00', 'UTC'), undefined);
    assert.equal(requestWindow('2026-03-08 00:00:00', '2026-03-09 00:00:00', 'Not/AZone'), undefined);
    assert.equal(requestWindow(undefined, '2026-03-09 00:00:00', 'UTC'), undefined);
  });
});

describe('summary breakdown', () => {
  it('top N with ties broken by label, an Other bar and the number of distinct values', () => {
    const countries = { Germany: 3, France: 3, Austria: 3, Spain: 5, Italy: 1, Belgium: 1, Chile: 1 };
    const rows: Click[] = [];
    for (const [name, n] of Object.entries(countries)) for (let i = 0; i < n; i++) rows.push(click({ geo: { country_name: name }, is_unique: i === 0 }));
    rows.push(click({ geo: { country_name: '' } }));
    const m = modelOf(rows);
    const b = summarize(m, 'all', { dimension: 'geo.country_name', topN: 4 }).breakdown!;
    assert.equal(b.title, 'Country');
    assert.equal(b.column, 'geo.country_name');
    assert.deepEqual(
      b.items.map((i) => [i.label, i.count]),
      [
        ['Spain', 5],
        ['Austria', 3],
        ['France', 3],
        ['Germany', 3],
      ],
    );
    assert.equal(b.distinct, 8);
    assert.equal(b.other?.label, OTHER_LABEL);
    assert.equal(b.other?.values, 4);
    assert.equal(b.other?.count, 4);
    assert.equal(b.other?.share, 4 / 18);
    assert.equal(b.items[0].share, 5 / 18);
    assert.equal(b.items[0].uniqueShare, 1 / 5);
    // Any order of the same rows gives the same bars.
    const reversed = summarize(m, [...Array(rows.length).keys()].reverse(), { dimension: 'geo.country_name', topN: 4 }).breakdown!;
    assert.deepEqual(reversed, b);
    // Ten or fewer values: no Other.
    const ten = summarize(m, 'all', { dimension: 'geo.country_name' }).breakdown!;
    assert.equal(ten.items.length, 8);
    assert.equal(ten.other, undefined);
    const empty = ten.items.find((i) => i.label === EMPTY_LABEL)!;
    assert.deepEqual(ten.items.map((i) => i.label).slice(4), [EMPTY_LABEL, 'Belgium', 'Chile', 'Italy']);
    assert.deepEqual(empty, { label: EMPTY_LABEL, text: '', code: empty.code, count: 1, share: 1 / 18, unique: 1, uniqueShare: 1, withError: 0, errorShare: 0 });
  });

  it('errors as code with meaning, revenue per currency per bar, the grid text to filter on', () => {
    const rows = [
      click({ error_code: 21, revenue: 1, currency_id: 'USD' }),
      click({ error_code: 21, error_message: 'seen 3 times', revenue: 2, currency_id: 'EUR' }),
      click({ error_code: 21, revenue: 1.5, currency_id: 'USD' }),
      click({ error_code: 0, revenue: 4, currency_id: 'USD' }),
    ];
    const b = summarize(modelOf(rows), 'all', { dimension: 'error', measure: 'revenue' }).breakdown!;
    assert.deepEqual(
      b.items.map((i) => [i.label, i.text, i.count, i.revenue, i.errorShare]),
      [
        ['21 · Duplicate click', '21 · Duplicate click', 2, [{ currency: 'USD', sum: 2.5 }], 1],
        [NO_ERROR_LABEL, '', 1, [{ currency: 'USD', sum: 4 }], 0],
        ['21 · Duplicate click · “seen 3 times”', '21 · Duplicate click · “seen 3 times”', 1, [{ currency: 'EUR', sum: 2 }], 1],
      ],
    );
    // Money as a dimension shows with each row's currency, as the grid does.
    const money = summarize(modelOf(rows), 'all', { dimension: 'revenue' }).breakdown!;
    assert.deepEqual(money.items.map((i) => i.label).sort(), ['$1.00', '$1.50', '$4.00', '€2.00']);
  });

  it('referer host: a derived dimension, hostile referers grouped, no grid column to filter', () => {
    const rows = [
      click({ referer: 'https://Shop.Example/a?b=1' }),
      click({ referer: 'http://user:pw@shop.example:8080/x' }),
      click({ referer: '<img src=x onerror=alert(1)>' }),
      click({ referer: 'javascript:alert(document.cookie)' }),
      click({ referer: '' }),
    ];
    const b = summarize(modelOf(rows), 'all', { dimension: REFERER_HOST }).breakdown!;
    assert.equal(b.column, undefined);
    assert.deepEqual(
      b.items.map((i) => [i.label, i.count, i.text]),
      [
        ['(not a URL)', 2, undefined],
        ['shop.example', 2, undefined],
        ['(no referer)', 1, undefined],
      ],
    );
  });

  it('offers the preferred dimensions first, then every other column', () => {
    const m = modelOf([click()]);
    const ids = m.dimensions().map((d) => d.id);
    assert.deepEqual(ids.slice(0, 4), ['offer.name', 'geo.country_name', 'geo.region_name', 'geo.city_name']);
    assert.ok(ids.includes(REFERER_HOST) && ids.includes('transaction_id') && ids.includes('geo.isp_name'));
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(m.dimension('no.such.column'), undefined);
  });
});

describe('chart data as TSV', () => {
  it('one line per bucket and per bar; hostile labels cannot split cells or run as formulas', () => {
    const rows = [
      click({ unix_timestamp: T0 + 10, sub1: '=HYPERLINK("http://evil")', error_code: 2, revenue: 1.5, currency_id: 'USD' }),
      click({ unix_timestamp: T0 + 70, sub1: 'a\tb\nc', is_unique: false }),
      click({ unix_timestamp: T0 + 75, sub1: 'plain' }),
    ];
    const result = summarize(modelOf(rows), 'all', { window: { start: T0, end: T0 + 180 }, dimension: 'sub1', measure: 'revenue', topN: 2 });
    assert.equal(
      histogramTsv(result.histogram),
      'Start (UTC)\tEnd (UTC)\tClicks\tValid\tWith error\tUnique\tDuplicate\n' +
        '2026-03-14 12:00\t2026-03-14 12:01\t1\t0\t1\t1\t0\n' +
        '2026-03-14 12:01\t2026-03-14 12:02\t2\t2\t0\t1\t1\n' +
        '2026-03-14 12:02\t2026-03-14 12:03\t0\t0\t0\t0\t0\n',
    );
    const tsv = breakdownTsv(result.breakdown!);
    assert.equal(
      tsv,
      'Sub 1\tClicks\tShare\tUnique share\tError share\tRevenue\n' +
        "'=HYPERLINK(\"http://evil\")\t1\t33.3%\t100.0%\t100.0%\t1.50 USD\n" +
        'a b c\t1\t33.3%\t0.0%\t0.0%\t\n' +
        'Other (1 values)\t1\t33.3%\t100.0%\t0.0%\t\n',
    );
    for (const line of tsv.slice(0, -1).split('\n')) assert.equal(line.split('\t').length, 6);
  });
});

describe('refererHost', () => {
  it('reads the host of URLs, with or without a scheme, port or user', () => {
    const cases: [string, string][] = [
      ['https://www.Example.com/path?q=1#f', 'www.example.com'],
      ['http://a.b.c:8080', 'a.b.c'],
      ['https://user:pass@evil.example@real.example/', 'real.example'],
      ['//cdn.example/x', 'cdn.example'],
      ['android-app://com.example.app/', 'com.example.app'],
      ['example.org/landing', 'example.org'],
      ['https://example.com./', 'example.com'],
      ['http://[2001:DB8::1]:443/', '[2001:db8::1]'],
      ['https://bücher.example/', 'bücher.example'],
      ['https://example.com\\@evil.example/', 'example.com'],
      ['  https://spaced.example  ', 'spaced.example'],
    ];
    for (const [input, host] of cases) assert.equal(refererHost(input), host, input);
  });
  it('groups hostile and odd strings as not a URL, never passing markup or controls through', () => {
    const hostile = [
      '<script>alert(1)</script>',
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'https://<img src=x>/',
      'https://exa mple.com/',
      'https://evil\u202Emoc.example/',
      'https://zero\u200Bwidth.example/',
      'https://a.example:99999999/',
      'https://[::1/',
      'https://' + 'a'.repeat(300) + '.example/',
      'http://',
      '"><svg onload=alert(1)>',
      'https://exa%2Emple.com/',
      '\u0000\u0001',
      'a'.repeat(1_000_000),
    ];
    for (const s of hostile) {
      const host = refererHost(s);
      assert.equal(host, '(not a URL)', JSON.stringify(s.slice(0, 60)));
    }
    assert.equal(refererHost(''), '(no referer)');
    assert.equal(refererHost('   '), '(no referer)');
    assert.equal(refererHost(undefined), '(no referer)');
    assert.equal(refererHost(42), '(no referer)');
  });
});

// ---- against a plain loop over the clicks ---------------------------------------------------------------

/** Seeded uniform numbers in [0, 1), from the sandbox's generator. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

const HOSTILE = ['<b>bold</b>', '=cmd|" /C calc"!A0', '\u202Eevil', 'a\nb', '', '  '];

function randomClicks(seed: number, n: number, window: { start: number; end: number }): Click[] {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const span = window.end - window.start;
  const rows: Click[] = [];
  for (let i = 0; i < n; i++) {
    // Some before and after the window, a gap in the middle third.
    let t = window.start + Math.floor(r() * span);
    if (t > window.start + span / 3 && t < window.start + (2 * span) / 3) t -= Math.floor(span / 3);
    if (r() < 0.02) t = window.start - 1 - Math.floor(r() * 5000);
    if (r() < 0.02) t = window.end + Math.floor(r() * 5000);
    rows.push(
      click({
        unix_timestamp: t,
        is_unique: r() < 0.6,
        error_code: r() < 0.2 ? pick([2, 21, 101, 999]) : 0,
        error_message: r() < 0.1 ? pick(['N/A', 'blocked', '<i>x</i>']) : '',
        revenue: r() < 0.7 ? Math.round(r() * 500) / 100 : 0,
        currency_id: pick(['USD', 'USD', 'usd', 'EUR', 'GBP', '']),
        sub1: r() < 0.5 ? `s${Math.floor(r() * 40)}` : pick(HOSTILE),
        referer: pick(['https://a.example/x', 'http://B.example:81', 'junk <x>', '', 'example.net/p', `https://h${Math.floor(r() * 30)}.example/`]),
        coupon_code: pick(['', 'SAVE10', 'SAVE20']),
        geo: { country_name: pick(['United States', 'Germany', 'France', 'Spain', 'Italy', 'Japan', 'Brazil', 'India', 'Kenya', 'Peru', 'Chad', 'Fiji', '']) },
        offer: { network_offer_id: pick([1, 2, 3, 4]) },
      }),
    );
  }
  return rows;
}

/** The same figures by the obvious loops over the clicks, for the shown rows `shown`. */
function reference(rows: Click[], shown: number[], opts: SummaryOptions, zone: string): SummaryResult {
  const clicks = shown.map((i) => rows[i]);
  const cents = (n: number) => Math.round(n * 100) / 100;
  const err = (c: Click) => Number(c.error_code) !== 0;
  const cur = (c: Click) => String(c.currency_id).trim().toUpperCase();
  const moneyOf = (list: Click[], keepZero: boolean) => {
    const m = new Map<string, number>();
    for (const c of list) if (typeof c.revenue === 'number') m.set(cur(c), (m.get(cur(c)) ?? 0) + c.revenue);
    return [...m]
      .filter(([, s]) => keepZero || s !== 0)
      .map(([currency, sum]) => ({ currency, sum: cents(sum) }))
      .sort((a, b) => b.sum - a.sum || (a.currency < b.currency ? -1 : 1));
  };
  const unique = clicks.filter((c) => c.is_unique).length;
  const withError = clicks.filter(err).length;
  const perMinute = new Map<number, number>();
  for (const c of clicks) perMinute.set(Math.floor(c.unix_timestamp / 60), (perMinute.get(Math.floor(c.unix_timestamp / 60)) ?? 0) + 1);
  let peak = 0;
  let peakMinute = Infinity;
  for (const [m, n] of perMinute) if (n > peak || (n === peak && m < peakMinute)) [peak, peakMinute] = [n, m];
  const times = clicks.map((c) => c.unix_timestamp);
  const share = (a: number, b: number) => (b > 0 ? a / b : 0);
  const cards: SummaryResult['cards'] = {
    clicks: clicks.length,
    unique,
    uniqueShare: share(unique, clicks.length),
    withError,
    errorShare: share(withError, clicks.length),
    revenue: moneyOf(clicks, true),
    peakPerMinute: peak,
  };
  if (clicks.length) {
    cards.first = Math.min(...times);
    cards.last = Math.max(...times);
    cards.peakMinute = peakMinute * 60;
  }
  const layout = layoutBuckets(opts.window!.start, opts.window!.end, zone, opts.bucket);
  const bucketed = layout.buckets.map((b) => clicks.filter((c) => c.unix_timestamp >= b.start && c.unix_timestamp < b.end));
  const histogram: SummaryResult['histogram'] = {
    layout,
    clicks: Int32Array.from(bucketed.map((l) => l.length)),
    withError: Int32Array.from(bucketed.map((l) => l.filter(err).length)),
    unique: Int32Array.from(bucketed.map((l) => l.filter((c) => c.is_unique).length)),
    before: clicks.filter((c) => c.unix_timestamp < layout.buckets[0].start).length,
    after: clicks.filter((c) => c.unix_timestamp >= layout.buckets.at(-1)!.end).length,
    noTime: 0,
  };
  const out: SummaryResult = { cards, histogram };
  if (opts.dimension) {
    const id = opts.dimension;
    const col = columnById(id);
    const textOf = (c: Click) => (id === REFERER_HOST ? refererHost(c.referer) : cellText(col!, c, { zone }));
    // One group per text shown; its label says what a blank text is.
    const groups = new Map<string, { label: string; list: Click[] }>();
    for (const c of clicks) {
      const text = textOf(c);
      const label = text.trim() ? text : text === '' ? (id === 'error' ? NO_ERROR_LABEL : EMPTY_LABEL) : `(${text.length} blank character${text.length === 1 ? '' : 's'})`;
      const g = groups.get(text) ?? { label, list: [] };
      g.list.push(c);
      groups.set(text, g);
    }
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const sorted = [...groups].sort((a, b) => b[1].list.length - a[1].list.length || cmp(a[1].label, b[1].label) || (id === REFERER_HOST ? 0 : cmp(a[0], b[0])));
    const figures = (list: Click[]) => {
      const u = list.filter((c) => c.is_unique).length;
      const e = list.filter(err).length;
      const f = { count: list.length, share: share(list.length, clicks.length), unique: u, uniqueShare: share(u, list.length), withError: e, errorShare: share(e, list.length) };
      return opts.measure === 'revenue' ? { ...f, revenue: moneyOf(list, false) } : f;
    };
    const n = opts.topN ?? 10;
    const top = sorted.slice(0, n);
    const rest = sorted.slice(n);
    out.breakdown = {
      dimension: id,
      title: id === REFERER_HOST ? 'Referer host' : col!.header,
      items: top.map(([text, g]) => ({ label: g.label, ...(id === REFERER_HOST ? {} : { text }), code: -1, ...figures(g.list) })),
      distinct: groups.size,
    };
    if (id !== REFERER_HOST) out.breakdown.column = id;
    if (rest.length) out.breakdown.other = { label: OTHER_LABEL, values: rest.length, ...figures(rest.flatMap(([, g]) => g.list)) };
  }
  return out;
}

/** The result with the parts the reference cannot know (value numbers) blanked, arrays as plain ones. */
function comparable(s: SummaryResult): unknown {
  const h = s.histogram;
  const b = s.breakdown;
  return {
    cards: s.cards,
    histogram: { labels: h.layout.buckets.map((x) => x.label), clicks: [...h.clicks], withError: [...h.withError], unique: [...h.unique], before: h.before, after: h.after, noTime: h.noTime },
    breakdown: b && { ...b, items: b.items.map((i) => ({ ...i, code: -1 })) },
  };
}

describe('summary against a reference loop on random data', () => {
  const dims = ['geo.country_name', 'sub1', 'error', REFERER_HOST, 'coupon_code', 'offer.network_offer_id', 'is_unique', 'revenue', 'currency_id', 'time'];
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}`, () => {
      const zone = ['UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'America/New_York'][seed - 1];
      const start = Date.UTC(2026, 9, 28 + seed, 3) / 1000;
      const window = { start, end: start + [3600, 86_400, 3 * 86_400, 14 * 86_400 - 1, 20 * 86_400][seed - 1] };
      const rows = randomClicks(seed, 1500, window);
      const m = modelOf(rows, zone);
      const r = rng(seed * 7919);
      for (const dimension of dims) {
        // A shown subset in a shuffled order (the grid's sort), sometimes every row.
        const shown = [...rows.keys()].filter(() => r() < 0.7);
        for (let i = shown.length - 1; i > 0; i--) {
          const j = Math.floor(r() * (i + 1));
          [shown[i], shown[j]] = [shown[j], shown[i]];
        }
        const opts: SummaryOptions = { window, dimension, measure: (['revenue', 'unique', 'error'] as const)[Math.floor(r() * 3)], topN: [10, 3, 0][Math.floor(r() * 3)] };
        if (r() < 0.4) opts.bucket = (['minute', '15min', 'hour', 'day'] as const)[Math.floor(r() * 4)];
        const got = summarize(m, shown, opts);
        assert.deepEqual(comparable(got), comparable(reference(rows, shown, opts, zone)), `${dimension} ${JSON.stringify(opts)}`);
        assert.deepEqual(comparable(summarize(m, 'all', opts)), comparable(reference(rows, [...rows.keys()], opts, zone)), `${dimension} all`);
      }
    });
  }

  it('a bar’s text, as a value filter on its column, keeps exactly its count of the shown rows (the grid’s own filter)', () => {
    const start = Date.UTC(2026, 10, 1, 4) / 1000;
    const window = { start, end: start + 6 * 3600 };
    const rows = randomClicks(21, 800, window);
    const flat = flattenRows(rows);
    const packed = JSON.parse(JSON.stringify(packTable(flat)));
    const zone = 'America/New_York';
    const grid = new GridTable(flat, zone, packed.data);
    const m = new SummaryModel(packed, zone);
    const searched = grid.view({ search: 'e' });
    for (const dimension of ['geo.country_name', 'sub1', 'error', 'is_unique', 'revenue', 'offer.network_offer_id', 'coupon_code', 'time']) {
      const b = summarize(m, searched, { window, dimension, topN: 5 }).breakdown!;
      assert.ok(b.items.length > 0);
      for (const item of b.items) {
        const kept = grid.view({ search: 'e', values: [{ column: b.column!, text: item.text!, exclude: false }] });
        assert.equal(kept.length, item.count, `${dimension} = ${JSON.stringify(item.text)}`);
        const dropped = grid.view({ search: 'e', values: [{ column: b.column!, text: item.text!, exclude: true }] });
        assert.equal(dropped.length, searched.length - item.count);
      }
    }
  });

  it('adds rows Fetch all appends without recounting the earlier ones', () => {
    const start = Date.UTC(2026, 9, 31) / 1000;
    const window = { start, end: start + 2 * 86_400 };
    const rows = randomClicks(11, 3000, window);
    const opts: SummaryOptions = { window, dimension: 'sub1', measure: 'revenue' };
    const firstPart = rows.slice(0, 1000);
    const m = modelOf(firstPart, 'America/New_York');
    const shownBefore = [...firstPart.keys()].filter((i) => i % 3 !== 0);
    const acc = new SummaryAccumulator(m, opts);
    assert.equal(acc.add(shownBefore), true);
    // The grown table starts with the same rows, then brings new values and a new currency.
    rows.push(click({ unix_timestamp: start + 100, currency_id: 'JPY', revenue: 5, sub1: 'brand-new' }));
    const grown = JSON.parse(JSON.stringify(packTable(flattenRows(rows))));
    assert.equal(m.extend(grown), true);
    const added = [...rows.keys()].filter((i) => i >= 1000 && i % 3 !== 0);
    assert.equal(acc.add(added), true);
    const expected = summarize(modelOf(rows, 'America/New_York'), [...shownBefore, ...added], opts);
    assert.deepEqual(comparable(acc.result()), comparable(expected));
    assert.deepEqual(comparable(acc.result()), comparable(reference(rows, [...shownBefore, ...added], opts, 'America/New_York')));
  });

  it('counts only the appended rows while the view stays the same, and starts over when it changes', () => {
    const start = Date.UTC(2026, 9, 31) / 1000;
    const window = { start, end: start + 86_400 };
    const rows = randomClicks(21, 4000, window);
    const opts: SummaryOptions = { window, dimension: 'geo.country_name', measure: 'error' };
    const m = modelOf(rows.slice(0, 1500));
    const counter = new SummaryCounter();
    const grid = (n: number) => new GridTable(flattenRows(rows.slice(0, n)), 'UTC');
    for (const [view, spec] of [['all', undefined], ['search', { search: 'a' }]] as const) {
      const shown = (n: number) => (spec ? grid(n).view(spec) : ('all' as const));
      const m2 = view === 'all' ? m : modelOf(rows.slice(0, 1500));
      const first = counter.count(m2, shown(1500), opts, view);
      assert.equal(first.incremental, false);
      assert.equal(m2.extend(JSON.parse(JSON.stringify(packTable(flattenRows(rows.slice(0, 4000)))))), true);
      const grown = counter.count(m2, shown(4000), opts, view);
      assert.equal(grown.incremental, true, view);
      assert.deepEqual(comparable(grown.result), comparable(summarize(modelOf(rows), shown(4000), opts)), view);
    }
    // Another view (or other options) is counted from scratch.
    const other = counter.count(m, 'all', { ...opts, measure: 'unique' }, 'all');
    assert.equal(other.incremental, false);
    assert.deepEqual(comparable(other.result), comparable(summarize(modelOf(rows), 'all', { ...opts, measure: 'unique' })));
  });

  it('refuses to extend with a table that does not start with the same rows, and asks for a recount when the span grows', () => {
    const start = Date.UTC(2026, 9, 31) / 1000;
    const rows = randomClicks(12, 200, { start, end: start + 3600 });
    const m = modelOf(rows);
    const other = randomClicks(13, 300, { start, end: start + 3600 });
    assert.equal(m.extend(JSON.parse(JSON.stringify(packTable(flattenRows(other))))), false);
    assert.equal(m.rowCount, 200);
    // Without a window the buckets follow the rows' span: a later click changes them.
    const acc = new SummaryAccumulator(m, {});
    acc.add('all');
    const later = [...rows, click({ unix_timestamp: start + 10 * 86_400 })];
    assert.equal(m.extend(JSON.parse(JSON.stringify(packTable(flattenRows(later))))), true);
    assert.equal(acc.add([200]), false);
    assert.equal(summarize(m, 'all').cards.clicks, 201);
  });
});
