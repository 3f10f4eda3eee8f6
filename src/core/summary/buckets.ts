import { formatWallSeconds, zoneOffsetSeconds } from '../wallClock';

// The time buckets of the summary's histogram: a size chosen from the span of the result's window
// (or the user's choice), and boundaries on the clocks of the zone the grid shows. A boundary is an
// instant at which that zone's clock shows a whole minute, 5 or 15 minutes, hour or midnight; so a day
// bucket on a daylight-saving day lasts 23 or 25 hours, the hour the clocks skip has no bucket, and the
// hour they repeat has two (each labelled with its UTC offset). Every bucket from the window's start to
// its end is there, with or without clicks: a gap where clicks stop shows as empty buckets.
//
// Offsets are read once per window (a sample every 6 hours, then a search to the minute where they
// change), so laying out 20,000 minute buckets or placing a million clicks is arithmetic, no Intl.

export type BucketSize = 'minute' | '5min' | '15min' | 'hour' | 'day';

export const BUCKET_SIZES: readonly BucketSize[] = ['minute', '5min', '15min', 'hour', 'day'];

/** Nominal length of each size in seconds (a day bucket may last 23 or 25 hours). */
export const BUCKET_SECONDS: Readonly<Record<BucketSize, number>> = { minute: 60, '5min': 300, '15min': 900, hour: 3600, day: 86_400 };

export const BUCKET_NAMES: Readonly<Record<BucketSize, string>> = { minute: '1 minute', '5min': '5 minutes', '15min': '15 minutes', hour: '1 hour', day: '1 day' };

/** The automatic choice aims for this many buckets. */
export const TARGET_BUCKETS = { min: 30, max: 300 } as const;
/** The automatic choice takes a finer size past TARGET_BUCKETS.max while it stays under this. */
const SOFT_MAX_BUCKETS = 500;
/** No layout has more buckets than this (minute buckets over 14 days are 20,160). */
export const MAX_BUCKETS = 50_000;

export function isBucketSize(v: unknown): v is BucketSize {
  return typeof v === 'string' && (BUCKET_SIZES as readonly string[]).includes(v);
}

/**
 * The size for a window of `spanSeconds`: the finest whose bucket count stays within TARGET_BUCKETS.max;
 * when that leaves fewer than TARGET_BUCKETS.min, the next finer one if it stays under 500 (14 days: 336
 * hours rather than 14 days). Minutes for anything up to 5 hours, days past about 20 days.
 */
export function chooseBucketSize(spanSeconds: number): BucketSize {
  const span = Number.isFinite(spanSeconds) && spanSeconds > 0 ? spanSeconds : 0;
  const count = (size: BucketSize) => Math.ceil(span / BUCKET_SECONDS[size]);
  for (let i = 0; i < BUCKET_SIZES.length; i++) {
    const size = BUCKET_SIZES[i];
    if (count(size) > TARGET_BUCKETS.max && i < BUCKET_SIZES.length - 1) continue;
    if (count(size) < TARGET_BUCKETS.min && i > 0 && count(BUCKET_SIZES[i - 1]) <= SOFT_MAX_BUCKETS) return BUCKET_SIZES[i - 1];
    return size;
  }
  return 'day';
}

// ---- offsets over a window ---------------------------------------------------------------------------

/** The zone's offsets over a stretch of time: `offsets[i]` holds from `from[i]` (inclusive) to `from[i+1]`. */
export interface ZoneSegments {
  from: number[];
  offsets: number[];
}

const SAMPLE_SECONDS = 6 * 3600;

/** Offsets of `zone` from `start` to `end` (epoch seconds), with each change found to the minute. */
export function zoneSegments(start: number, end: number, zone: string): ZoneSegments {
  if (zone === 'UTC' || zone === 'Etc/UTC') return { from: [-Infinity], offsets: [0] };
  const off = (t: number) => zoneOffsetSeconds(t, zone);
  const from = [-Infinity];
  const offsets = [off(start)];
  let prevT = start;
  let prevO = offsets[0];
  for (let t = Math.min(start + SAMPLE_SECONDS, end); ; t = Math.min(t + SAMPLE_SECONDS, end)) {
    const o = off(t);
    if (o !== prevO) {
      // The first minute in (prevT, t] whose offset is not prevO.
      let lo = Math.floor(prevT / 60);
      let hi = Math.floor(t / 60);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (off(mid * 60) === prevO) lo = mid;
        else hi = mid;
      }
      from.push(hi * 60);
      offsets.push(off(hi * 60));
      prevO = offsets[offsets.length - 1];
      // A second change inside one sample step (never seen in the tz database) would be missed; re-check.
      if (prevO !== o) {
        prevT = hi * 60;
        t = prevT;
        continue;
      }
    }
    prevT = t;
    if (t >= end) break;
  }
  return { from, offsets };
}

function segmentAt(seg: ZoneSegments, t: number): number {
  let lo = 0;
  let hi = seg.from.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (seg.from[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function offsetIn(seg: ZoneSegments, t: number): number {
  return seg.offsets[segmentAt(seg, t)];
}

const mod = (a: number, m: number) => ((a % m) + m) % m;

// ---- layout ------------------------------------------------------------------------------------------

export interface Bucket {
  /** Epoch seconds, inclusive. */
  start: number;
  /** Epoch seconds, exclusive (the next bucket's start). */
  end: number;
  /** Its start on the zone's clock: `YYYY-MM-DD` for days, `YYYY-MM-DD HH:MM` otherwise; the UTC offset added where two buckets would read the same (the repeated hour). */
  label: string;
  /** The zone's offset from UTC at its start, seconds. */
  offset: number;
}

export interface BucketLayout {
  size: BucketSize;
  zone: string;
  /** True when chosen from the span rather than asked for. */
  auto: boolean;
  /** Set when the size asked for would have made more than MAX_BUCKETS buckets, so a coarser one is used. */
  requested?: BucketSize;
  /** The window laid out: [start, end) in epoch seconds. */
  start: number;
  end: number;
  buckets: Bucket[];
  /** `bounds[i]` is bucket i's start, `bounds[buckets.length]` the last one's end. */
  bounds: Float64Array;
}

function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '−' : '+';
  const a = Math.abs(seconds);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  return `UTC${sign}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** The bucket boundaries (instants) from the one at or before `start` to the first at or after `end`. */
function boundaries(start: number, end: number, size: BucketSize, seg: ZoneSegments): number[] {
  const out: number[] = [];
  if (size === 'day') {
    // Midnights on the zone's clock; a midnight the clocks skip starts the day when they resume.
    let day = Math.floor((start + offsetIn(seg, start)) / 86_400) * 86_400;
    for (;;) {
      const b = instantOfWallIn(seg, day);
      out.push(b);
      if (b >= end || out.length > MAX_BUCKETS) break;
      day += 86_400;
    }
    return out;
  }
  const s = BUCKET_SECONDS[size];
  const i0 = segmentAt(seg, start);
  // The boundary at or before start: on start's clock, unless that clock began after it.
  let b = start - mod(start + seg.offsets[i0], s);
  if (b < seg.from[i0]) {
    const first = seg.from[i0] + mod(-(seg.from[i0] + seg.offsets[i0]), s);
    const t = seg.from[i0] - 1;
    b = first <= start ? first : t - mod(t + seg.offsets[i0 - 1], s);
  }
  let i = segmentAt(seg, b);
  out.push(b);
  while (b < end && out.length <= MAX_BUCKETS) {
    let next = b + s;
    // Next change of offset after b: boundaries restart from it on the new clock.
    while (i + 1 < seg.from.length && seg.from[i + 1] <= b) i++;
    const change = i + 1 < seg.from.length ? seg.from[i + 1] : Infinity;
    if (next >= change) {
      next = change + mod(-(change + seg.offsets[i + 1]), s);
      if (next <= b) next = b + s;
    }
    b = next;
    out.push(b);
  }
  return out;
}

/** The instant showing wall second `w` (earlier of two; in a skipped stretch, where the clock resumes). */
function instantOfWallIn(seg: ZoneSegments, w: number): number {
  const candidates: number[] = [];
  for (let k = 0; k < seg.offsets.length; k++) {
    const t = w - seg.offsets[k];
    if (segmentAt(seg, t) === k) candidates.push(t);
  }
  if (candidates.length) return Math.min(...candidates);
  // Skipped: the first instant after the change whose wall time passes w.
  for (let k = 1; k < seg.from.length; k++) {
    const before = seg.from[k] - 1 + seg.offsets[k - 1];
    const after = seg.from[k] + seg.offsets[k];
    if (before < w && after >= w) return seg.from[k];
  }
  return w - seg.offsets[0];
}

/**
 * Buckets of `size` (or the automatic one) over [start, end) epoch seconds, on `zone`'s clocks. The first
 * starts at or before `start`, the last ends at or after `end`. A size that would make more than
 * MAX_BUCKETS buckets is replaced by the finest that does not (`requested` says so).
 */
export function layoutBuckets(start: number, end: number, zone: string, size?: BucketSize): BucketLayout {
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError('The time window is not a pair of finite instants.');
  if (end <= start) end = start + 1;
  const auto = size === undefined;
  let chosen = size ?? chooseBucketSize(end - start);
  let requested: BucketSize | undefined;
  while (chosen !== 'day' && (end - start) / BUCKET_SECONDS[chosen] > MAX_BUCKETS) {
    requested ??= chosen;
    chosen = BUCKET_SIZES[BUCKET_SIZES.indexOf(chosen) + 1];
  }
  const seg = zoneSegments(start - 2 * 86_400, end + 2 * 86_400, zone);
  const bounds = boundaries(start, end, chosen, seg);
  const buckets: Bucket[] = [];
  const byLabel = new Map<string, number[]>();
  for (let i = 0; i + 1 < bounds.length; i++) {
    const offset = offsetIn(seg, bounds[i]);
    const wall = formatWallSeconds(bounds[i] + offset);
    const label = chosen === 'day' ? wall.slice(0, 10) : wall.slice(0, 16);
    buckets.push({ start: bounds[i], end: bounds[i + 1], label, offset });
    const same = byLabel.get(label);
    if (same) same.push(i);
    else byLabel.set(label, [i]);
  }
  for (const list of byLabel.values()) {
    if (list.length > 1) for (const i of list) buckets[i].label += ` (${formatOffset(buckets[i].offset)})`;
  }
  const layout: BucketLayout = { size: chosen, zone, auto, start, end, buckets, bounds: Float64Array.from(bounds) };
  if (requested) layout.requested = requested;
  return layout;
}

/** Index of the bucket holding instant `t`; -1 before the first, `buckets.length` at or after the last's end, -2 for no time. */
export function bucketIndex(layout: BucketLayout, t: number): number {
  const bounds = layout.bounds;
  const n = bounds.length - 1;
  if (!(t === t) || !Number.isFinite(t)) return -2;
  if (t < bounds[0]) return -1;
  if (t >= bounds[n]) return n;
  // A guess from the nominal size, then a walk: shifts of offset move it by a bucket or two at most.
  let i = Math.floor((t - bounds[0]) / BUCKET_SECONDS[layout.size]);
  if (i >= n) i = n - 1;
  if (i < 0) i = 0;
  if (bounds[i] > t || bounds[i + 1] <= t) {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bounds[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    i = lo;
  }
  return i;
}
