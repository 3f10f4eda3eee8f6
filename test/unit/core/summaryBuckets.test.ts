import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUCKET_SECONDS, bucketIndex, chooseBucketSize, layoutBuckets, MAX_BUCKETS, type BucketSize } from '../../../src/core/summary/buckets';

// The histogram's buckets: the size chosen from the window's span, and boundaries on the clocks of the
// zone the grid shows, checked against a brute-force reading of every minute through Intl (a formatter
// made here, not wallClock.ts's offset cache).

const at = (iso: string) => Date.parse(iso) / 1000;

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Wall clock fields in `zone` at `t`, straight from Intl. */
function wall(t: number, zone: string): { date: string; minutes: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(t * 1000))) p[part.type] = part.value;
  return { date: `${p.year}-${p.month}-${p.day}`, minutes: (Number(p.hour) % 24) * 60 + Number(p.minute) };
}

/**
 * The boundaries in [start, end) by reading every minute: a minute starts a bucket when its wall time is a
 * whole bucket (a whole day: midnight), or when it does not belong to the wall bucket of the minute before
 * (the clocks jumped past a boundary or went back to an earlier one).
 */
function bruteBoundaries(start: number, end: number, zone: string, size: BucketSize): number[] {
  const s = BUCKET_SECONDS[size] / 60;
  const key = (w: { date: string; minutes: number }) => (size === 'day' ? w.date : `${w.date} ${Math.floor(w.minutes / s)}`);
  const out: number[] = [];
  const first = Math.ceil(start / 60) * 60;
  let prev = wall(first - 60, zone);
  for (let t = first; t < end; t += 60) {
    const w = wall(t, zone);
    const aligned = size === 'day' ? w.minutes === 0 : w.minutes % s === 0;
    if (aligned || key(w) !== key(prev)) out.push(t);
    prev = w;
  }
  return out;
}

function checkLayout(start: number, end: number, zone: string, size: BucketSize): ReturnType<typeof layoutBuckets> {
  const layout = layoutBuckets(start, end, zone, size);
  const b = layout.buckets;
  assert.equal(layout.size, size);
  assert.ok(b.length > 0);
  assert.ok(b[0].start <= start, 'the first bucket starts at or before the window');
  assert.ok(b[b.length - 1].end >= end, 'the last bucket ends at or after the window');
  assert.ok(b[b.length - 1].start < end, 'no bucket wholly after the window');
  for (let i = 1; i < b.length; i++) assert.equal(b[i].start, b[i - 1].end, `bucket ${i} follows the one before it`);
  const mine = b.map((x) => x.start).filter((t) => t >= start && t < end);
  assert.deepEqual(mine, bruteBoundaries(start, end, zone, size), `${zone} ${size} boundaries`);
  assert.equal(new Set(b.map((x) => x.label)).size, b.length, 'labels are distinct');
  return layout;
}

describe('chooseBucketSize', () => {
  it('aims for 30–300 buckets: minutes up to 5 hours, then 5 and 15 minutes, hours, days', () => {
    const cases: [number, BucketSize][] = [
      [15 * 60, 'minute'],
      [3600, 'minute'],
      [5 * 3600, 'minute'],
      [6 * 3600, '5min'],
      [24 * 3600, '5min'],
      [25 * 3600, '5min'],
      [26 * 3600, '15min'],
      [3 * 86_400, '15min'],
      [4 * 86_400, 'hour'],
      [14 * 86_400 - 1, 'hour'],
      [14 * 86_400, 'hour'],
      [30 * 86_400, 'day'],
      [365 * 86_400, 'day'],
    ];
    for (const [span, size] of cases) assert.equal(chooseBucketSize(span), size, `span ${span} s`);
    for (const [span] of cases) {
      const n = Math.ceil(span / BUCKET_SECONDS[chooseBucketSize(span)]);
      if (span >= 3600 && span <= 200 * 86_400) assert.ok(n >= 14 && n <= 500, `${span} s gives ${n} buckets`);
    }
  });
  it('treats nonsense spans as the shortest', () => {
    assert.equal(chooseBucketSize(NaN), 'minute');
    assert.equal(chooseBucketSize(-5), 'minute');
  });
});

describe('layoutBuckets', () => {
  it('UTC: regular buckets of every size for spans from 15 minutes to 14 days and beyond', () => {
    const start = at('2026-03-14T00:07:30Z');
    const spans: [number, BucketSize][] = [
      [15 * 60, 'minute'],
      [6 * 3600, '5min'],
      [2 * 86_400, '15min'],
      [14 * 86_400 - 1, 'hour'],
      [45 * 86_400, 'day'],
    ];
    for (const [span, size] of spans) {
      const layout = layoutBuckets(start, start + span, 'UTC');
      assert.equal(layout.size, size);
      assert.equal(layout.auto, true);
      const s = BUCKET_SECONDS[size];
      for (const b of layout.buckets) assert.equal(b.end - b.start, s);
      assert.equal(layout.buckets[0].start, Math.floor(start / s) * s);
      assert.equal(layout.buckets.length, Math.ceil((start + span) / s) - Math.floor(start / s));
    }
    checkLayout(start, start + 3 * 3600, 'UTC', '5min');
  });

  it('America/New_York: the spring-forward day has 23 hours, the fall-back day 25, and no hour is skipped or merged', () => {
    const spring = checkLayout(at('2026-03-06T05:00:00Z'), at('2026-03-11T04:00:00Z'), 'America/New_York', 'day');
    const hours = (b: { start: number; end: number }) => (b.end - b.start) / 3600;
    assert.deepEqual(
      spring.buckets.map((b) => [b.label, hours(b)]),
      [
        ['2026-03-06', 24],
        ['2026-03-07', 24],
        ['2026-03-08', 23],
        ['2026-03-09', 24],
        ['2026-03-10', 24],
      ],
    );
    const fall = checkLayout(at('2026-10-31T04:00:00Z'), at('2026-11-02T05:00:00Z'), 'America/New_York', 'day');
    assert.deepEqual(fall.buckets.map(hours), [24, 25]);

    const springHours = checkLayout(at('2026-03-08T05:00:00Z'), at('2026-03-09T04:00:00Z'), 'America/New_York', 'hour');
    assert.equal(springHours.buckets.length, 23);
    assert.deepEqual(springHours.buckets.slice(0, 3).map((b) => b.label), ['2026-03-08 00:00', '2026-03-08 01:00', '2026-03-08 03:00']);
    const fallHours = checkLayout(at('2026-11-01T04:00:00Z'), at('2026-11-02T05:00:00Z'), 'America/New_York', 'hour');
    assert.equal(fallHours.buckets.length, 25);
    // The repeated hour is two buckets, each named with its offset.
    assert.deepEqual(fallHours.buckets.slice(1, 3).map((b) => b.label), ['2026-11-01 01:00 (UTC−04:00)', '2026-11-01 01:00 (UTC−05:00)']);
    for (const b of fallHours.buckets) assert.equal(hours(b), 1);
  });

  it('America/New_York: 5 and 15 minute buckets across both changes', () => {
    checkLayout(at('2026-03-08T05:30:00Z'), at('2026-03-08T08:30:00Z'), 'America/New_York', '5min');
    checkLayout(at('2026-11-01T04:30:00Z'), at('2026-11-01T07:30:00Z'), 'America/New_York', '15min');
    checkLayout(at('2026-11-01T05:50:00Z'), at('2026-11-01T06:10:00Z'), 'America/New_York', 'minute');
  });

  it('Europe/London: 23- and 25-hour days, hour buckets around both changes, a 14-day window', () => {
    const spring = checkLayout(at('2026-03-28T00:00:00Z'), at('2026-03-30T23:00:00Z'), 'Europe/London', 'day');
    assert.deepEqual(
      spring.buckets.map((b) => (b.end - b.start) / 3600),
      [24, 23, 24],
    );
    const fall = checkLayout(at('2026-10-24T23:00:00Z'), at('2026-10-26T00:00:00Z'), 'Europe/London', 'day');
    assert.deepEqual(fall.buckets.map((b) => (b.end - b.start) / 3600), [25]);
    checkLayout(at('2026-10-25T00:00:00Z'), at('2026-10-25T03:00:00Z'), 'Europe/London', 'hour');
    const long = checkLayout(at('2026-10-18T23:00:00Z'), at('2026-11-01T23:59:59Z'), 'Europe/London', 'hour');
    assert.equal(long.buckets.length, 14 * 24 + 1);
    assert.equal(layoutBuckets(at('2026-10-18T23:00:00Z'), at('2026-11-01T23:59:59Z'), 'Europe/London').size, 'hour');
  });

  it('zones with half- and quarter-hour offsets and a half-hour daylight shift', () => {
    checkLayout(at('2026-10-20T00:07:00Z'), at('2026-10-20T06:00:00Z'), 'Asia/Kathmandu', '15min');
    checkLayout(at('2026-10-20T00:00:00Z'), at('2026-10-21T06:00:00Z'), 'Asia/Kolkata', 'hour');
    checkLayout(at('2026-04-04T12:00:00Z'), at('2026-04-05T18:00:00Z'), 'Australia/Lord_Howe', 'hour');
    checkLayout(at('2026-04-04T12:00:00Z'), at('2026-04-05T18:00:00Z'), 'Australia/Lord_Howe', '15min');
  });

  it('a long fixed window (Fetch all, a reopened history): a year of days with both changes', () => {
    const layout = checkLayout(at('2026-01-01T05:00:00Z'), at('2027-01-01T05:00:00Z'), 'America/New_York', 'day');
    assert.equal(layout.buckets.length, 365);
    assert.equal(layoutBuckets(at('2026-01-01T05:00:00Z'), at('2027-01-01T05:00:00Z'), 'America/New_York').size, 'day');
  });

  it('a size that would make too many buckets gives way to a coarser one', () => {
    const layout = layoutBuckets(at('2026-01-01T00:00:00Z'), at('2026-03-01T00:00:00Z'), 'UTC', 'minute');
    assert.equal(layout.requested, 'minute');
    assert.equal(layout.size, '5min');
    assert.ok(layout.buckets.length <= MAX_BUCKETS);
    assert.equal(layout.auto, false);
  });

  it('places instants in their buckets, and says before, after and no time', () => {
    const layout = layoutBuckets(at('2026-11-01T04:00:00Z'), at('2026-11-01T08:00:00Z'), 'America/New_York', 'hour');
    for (const [i, b] of layout.buckets.entries()) {
      assert.equal(bucketIndex(layout, b.start), i);
      assert.equal(bucketIndex(layout, b.end - 1), i);
    }
    assert.equal(bucketIndex(layout, layout.bounds[0] - 1), -1);
    assert.equal(bucketIndex(layout, layout.bounds[layout.buckets.length]), layout.buckets.length);
    assert.equal(bucketIndex(layout, NaN), -2);
  });
});
