import { formatTimestamp } from './format';
import type { Click, StreamResult } from './types';
import { cutAt, snapBoundary, type Piece } from './windowChunks';

// Planning how to split a piece whose stream response reached the cap (fetchAll.ts sends the pieces).
// How a capped piece is split depends on which rows came back, which Everflow does not document:
// - the first N by time (a prefix): rows before the last returned second are all there is;
// - the newest N (a suffix): the mirror image;
// - an arbitrary N: a random sample spans the whole window whatever the total, so "cap × window /
//   span" would always say "about the cap" — the sample tells the shape of the traffic, not its
//   size. A small probe piece measures how many clicks each sampled row stands for, and the rest is
//   cut at sample quantiles.

/** Share of the cap a planned piece aims at: room for estimation error without wasting requests. */
export const TARGET_FILL = 0.75;
/** A gap at an edge this many typical row spacings (and seconds) wide is a cut-off, not chance. */
const [GAP_FACTOR, GAP_MIN_S] = [20, 2];
/**
 * Rows nearest a boundary that measure the density there: few enough to follow a daily curve within
 * a busy day, enough to average over the curve when a piece spans days (tuned on the sandbox).
 */
const DENSITY_ROWS = 1500;
/** Pieces planned ahead per split; the remainder is one piece that is re-planned before it is sent. */
const PLAN_AHEAD = 16;
/** An over-cap piece with an estimate is assumed this much bigger than the larger of estimate and cap. */
const OVERFLOW_MARGIN = 1.25;

/** counted: exact under prefix/suffix semantics; extrapolated/sampled: estimates, re-planned. */
export type Basis = 'chunk' | 'counted' | 'extrapolated' | 'sampled' | 'halved';

export interface PlannedPiece extends Piece {
  basis: Basis;
  expected?: number;
  /** Relative error of `expected`, where it is an estimate worth combining with what the piece's answer tells. */
  expectedErr?: number;
}

export type Model =
  | { kind: 'density'; dir: 1 | -1; perSecond: number; origin: number; originEnd: number }
  | { kind: 'sample'; sample: number[]; perRow: number; origin: number; err?: number; total?: number; totalErr?: number };

export interface SplitPlan {
  shape: 'prefix' | 'suffix' | 'sample' | 'halve' | 'unsplittable';
  pieces: PlannedPiece[];
  /** How the planned-ahead pieces were sized, for re-planning them. */
  model?: Model;
}

// ---- planning -------------------------------------------------------------------------------------

export function timestampsIn(rows: readonly Click[], lo: number, hi: number): number[] {
  const ts: number[] = [];
  for (const r of rows) if (r.unix_timestamp >= lo && r.unix_timestamp <= hi) ts.push(r.unix_timestamp);
  return ts.sort((a, b) => a - b);
}

/** Index of the first element ≥ v. */
export function lowerBound(a: readonly number[], v: number): number {
  let [lo, hi] = [0, a.length];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    [lo, hi] = a[mid] < v ? [mid + 1, hi] : [lo, mid];
  }
  return lo;
}

/** Clicks per second just before `edge` (dir 1) or from `edge` on (dir −1), from sorted timestamps. */
export function densityAt(ts: readonly number[], edge: number, dir: 1 | -1): number | undefined {
  if (dir === 1) {
    const end = lowerBound(ts, edge);
    if (end === 0) return undefined;
    const k = Math.min(end, DENSITY_ROWS);
    return k / Math.max(1, edge - ts[end - k]);
  }
  const start = lowerBound(ts, edge);
  if (start >= ts.length) return undefined;
  const k = Math.min(ts.length - start, DENSITY_ROWS);
  return k / Math.max(1, ts[start + k - 1] - edge + 1);
}

/** Valid piece starts in (lo, hi], each snapped and strictly increasing, from ascending wished-for ones. */
function snapAll(wishes: number[], lo: number, hi: number, zone: string): number[] {
  const out: number[] = [];
  for (const w of wishes) {
    const b = snapBoundary(w, out.at(-1) ?? lo, hi, zone);
    if (b !== undefined) out.push(b);
  }
  return out;
}

/**
 * Boundaries (as offsets into a range of `size` units) for pieces of about `step` units: evenly
 * spread when that takes at most PLAN_AHEAD pieces (no sliver at the end costing a request),
 * else PLAN_AHEAD − 1 of exactly `step` and one remainder that is re-planned before it is sent.
 */
function offsets(size: number, step: number, even = true): number[] {
  const k = Math.ceil(size / Math.max(step, 1e-9));
  if (k <= 1) return [];
  const each = even && k <= PLAN_AHEAD ? size / k : step;
  const out: number[] = [];
  for (let j = 1; j < Math.min(k, PLAN_AHEAD); j++) out.push(Math.round(j * each));
  return out;
}

/** Plans `range` at a uniform density, cutting from its start (dir 1) or its end (dir −1). */
export function planDensity(range: Piece, perSecond: number, dir: 1 | -1, target: number, zone: string): PlannedPiece[] {
  const span = range.toSec - range.fromSec + 1;
  const step = perSecond > 0 ? Math.max(1, Math.floor(target / perSecond)) : span;
  const wishes = offsets(span, step).map((o) => (dir === 1 ? range.fromSec + o : range.toSec + 1 - o));
  const pieces = cutAt(range, snapAll(wishes.sort((a, b) => a - b), range.fromSec, range.toSec, zone), zone);
  return pieces.map((p) => ({ ...p, basis: 'extrapolated', expected: perSecond * (p.toSec - p.fromSec + 1) }));
}

/** Standard deviations of room a piece cut from a sample keeps below the cap. */
const SAMPLE_Z = 2;

/**
 * Clicks to aim a piece at when each sampled row stands for `perRow` clicks, known to within
 * `relErr` (relative): a piece holding s sampled rows holds about perRow·s ± perRow·√s clicks, so
 * the aim is the largest perRow·s with perRow·(1 + relErr)·(s + SAMPLE_Z·√s) ≤ cap — close to
 * the cap where the sample is dense, further below it where it is thin.
 */
export function sampleTarget(cap: number, perRow: number, relErr: number): number {
  const k = cap / (perRow * (1 + relErr));
  const x = (-SAMPLE_Z + Math.sqrt(SAMPLE_Z * SAMPLE_Z + 4 * k)) / 2;
  return Math.max(1, Math.floor(perRow * x * x));
}

const normalTail = (z: number): number => {
  // Abramowitz–Stegun 7.1.26 for erfc, enough for choosing between plans.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
};

/** Requests a piece that comes back capped costs beyond itself: it is split in two. */
const OVERSHOOT_COST = 2;

/**
 * Expected requests per cap's worth of clicks when pieces are cut from a sample whose rows each
 * stand for `perRow` clicks (known to within `relErr`), aimed by `sampleTarget`: 1 / fill, plus
 * OVERSHOOT_COST for the share of pieces that still reach the cap (normal approximation).
 */
export function sampleCost(cap: number, perRow: number, relErr: number): number {
  const aim = sampleTarget(cap, perRow, relErr);
  const sd = aim * Math.sqrt(relErr * relErr + perRow / aim);
  return (1 + OVERSHOOT_COST * normalTail((cap - aim) / sd)) * (cap / aim);
}

/** Probe sizes tried, in caps: a capped answer is a sample of 1/size of it. */
const [PROBE_MIN_CAPS, PROBE_MAX_CAPS] = [4, 32];
/** A probe must save this many requests (by the cost model) to be sent. */
const PROBE_MIN_GAIN = 1;

/**
 * Size (in caps) of a probe worth sending at the start of a stretch estimated at `caps` caps, when
 * the sample at hand has rows standing for `perRow` clicks known to within `relErr`: one request
 * whose capped answer is a sample as dense as 1/size, so the pieces cut from it can aim nearer the
 * cap. Undefined when cutting pieces from the sample at hand costs less.
 */
export function probeCaps(cap: number, perRow: number, relErr: number, caps: number): number | undefined {
  const thin = sampleCost(cap, perRow, relErr);
  // The stretch in m probes of equal size, m chosen for the most requests saved in all.
  let best: { k: number; gain: number } | undefined;
  for (let m = 1; caps / m >= PROBE_MIN_CAPS; m++) {
    const k = caps / m;
    if (k > PROBE_MAX_CAPS) continue;
    // The probe's total is known as well as the sample at hand tells it (its rows in the probe).
    const err = Math.sqrt(relErr * relErr + perRow / (k * cap));
    const gain = m * (k * thin - 1 - k * sampleCost(cap, k, err));
    if (gain >= PROBE_MIN_GAIN && (!best || gain > best.gain)) best = { k, gain };
  }
  return best?.k;
}

/**
 * A probe of about `size` clicks at the start of `range` (cut at a sample quantile), and the rest
 * of `range` as one piece to be planned again. The probe's estimate carries its error, so the
 * split of its capped answer can weigh it against what that answer tells (see fetchAll.ts).
 */
export function planProbe(range: Piece, sample: readonly number[], perRow: number, relErr: number, size: number, zone: string): PlannedPiece[] {
  const first = lowerBound(sample, range.fromSec);
  const end = lowerBound(sample, range.toSec + 1);
  const rows = Math.max(1, Math.round(size / perRow));
  const cut = first + rows < end ? snapAll([sample[first + rows]], range.fromSec, range.toSec, zone) : [];
  const pieces = cutAt(range, cut, zone);
  return pieces.map((p, i) => {
    const s = lowerBound(sample, p.toSec + 1) - lowerBound(sample, p.fromSec);
    return { ...p, basis: 'sampled', expected: perRow * s, ...(i === 0 ? { expectedErr: Math.sqrt(relErr * relErr + 1 / Math.max(s, 1)) } : {}) };
  });
}

/**
 * Plans `range` at sample quantiles, each piece holding about `target / perRow` sampled rows: spread
 * evenly, or (`shortLast`) all of that size but the last, which holds what is left.
 */
export function planSample(range: Piece, sample: readonly number[], perRow: number, target: number, zone: string, shortLast = false): PlannedPiece[] {
  const inRange = sample.slice(lowerBound(sample, range.fromSec), lowerBound(sample, range.toSec + 1));
  const wishes = offsets(inRange.length, Math.max(1, Math.floor(target / perRow)), !shortLast).map((o) => inRange[o]);
  const pieces = cutAt(range, snapAll(wishes, range.fromSec, range.toSec, zone), zone);
  return pieces.map((p) => ({ ...p, basis: 'sampled', expected: perRow * (lowerBound(inRange, p.toSec + 1) - lowerBound(inRange, p.fromSec)) }));
}

/**
 * Whether sorted timestamps leave a gap at the start or end of `piece` too wide for chance (many
 * typical row spacings): where a time-ordered cut-off, or traffic starting or ending, would leave one.
 */
export function edgeGaps(piece: Piece, ts: readonly number[]): { start: boolean; end: boolean } {
  const n = ts.length;
  if (n === 0) return { start: true, end: true };
  const m = Math.min(n - 1, 100);
  const spacingEnd = m > 0 ? (ts[n - 1] - ts[n - 1 - m]) / m : 0;
  const spacingStart = m > 0 ? (ts[m] - ts[0]) / m : 0;
  const wide = (gap: number, spacing: number): boolean => gap >= Math.max(GAP_MIN_S, GAP_FACTOR * spacing);
  return { start: wide(ts[0] - piece.fromSec, spacingStart), end: wide(piece.toSec - ts[n - 1], spacingEnd) };
}

export interface PlanOptions {
  /** What the piece was expected to hold when it was planned (it held more). */
  expected?: number;
  /** Upper guess of a fully unknown piece's total, sizing the probe; default 20 × cap. */
  maxGuess?: number;
  /** An estimate of the piece's total (two samples' overlap), known to within `totalErr` (relative). */
  total?: number;
  totalErr?: number;
  /**
   * Pieces cut from a sample are all of the size aimed at but the last, which holds what is left
   * (the caller hands it on to the piece after, rather than spreading the remainder over all of them).
   */
  shortLast?: boolean;
}

/**
 * How to split a piece whose response reached the cap, from the timestamps that came back. Pure:
 * pieces come back contiguous, in time order, covering `piece` exactly.
 */
export function planSplit(piece: Piece, result: Pick<StreamResult, 'rows' | 'cap'>, zone: string, opts: PlanOptions = {}): SplitPlan {
  const { fromSec: lo, toSec: hi } = piece;
  if (piece.from === piece.to || hi <= lo) return { shape: 'unsplittable', pieces: [] };
  const target = Math.max(1, Math.floor(result.cap * TARGET_FILL));
  const ts = timestampsIn(result.rows, lo, hi);
  const n = ts.length;
  const halve = (): SplitPlan => {
    const b = snapBoundary(lo + Math.floor((hi - lo + 1) / 2), lo, hi, zone);
    if (b === undefined) return { shape: 'unsplittable', pieces: [] };
    return { shape: 'halve', pieces: cutAt(piece, [b], zone).map((p) => ({ ...p, basis: 'halved' })) };
  };
  if (n === 0) return halve();
  const gaps = edgeGaps(piece, ts);

  // A gap at both ends reads as a prefix too: the first N by time after a stretch with no clicks.
  if (gaps.end) {
    const b = snapBoundary(Math.max(ts[n - 1], lo + 1), lo, hi, zone, 'before') ?? snapBoundary(ts[n - 1], lo, hi, zone);
    if (b === undefined) return halve();
    const counted: PlannedPiece = { ...cutAt(piece, [b], zone)[0], basis: 'counted', expected: lowerBound(ts, b) };
    const rest = { from: formatTimestamp(b, zone), to: piece.to, fromSec: b, toSec: hi };
    const perSecond = densityAt(ts, b, 1) ?? 0;
    return { shape: 'prefix', pieces: [counted, ...planDensity(rest, perSecond, 1, target, zone)], model: { kind: 'density', dir: 1, perSecond, origin: lo, originEnd: hi } };
  }
  if (gaps.start) {
    const b = snapBoundary(Math.min(ts[0] + 1, hi), lo, hi, zone, 'after') ?? snapBoundary(ts[0] + 1, lo, hi, zone);
    if (b === undefined) return halve();
    const counted: PlannedPiece = { ...cutAt(piece, [b], zone)[1], basis: 'counted', expected: n - lowerBound(ts, b) };
    const rest = { from: piece.from, to: formatTimestamp(b - 1, zone), fromSec: lo, toSec: b - 1 };
    const perSecond = densityAt(ts, b, -1) ?? 0;
    return { shape: 'suffix', pieces: [...planDensity(rest, perSecond, -1, target, zone), counted], model: { kind: 'density', dir: -1, perSecond, origin: lo, originEnd: hi } };
  }
  if (ts[0] === ts[n - 1]) return halve();
  if (opts.total !== undefined) {
    const perRow = Math.max(opts.total, result.cap) / n;
    const err = opts.totalErr ?? 0.2;
    const pieces = planSample(piece, ts, perRow, sampleTarget(result.cap, perRow, err), zone, opts.shortLast);
    if (pieces.length < 2) return halve();
    return { shape: 'sample', pieces, model: { kind: 'sample', sample: ts, perRow, origin: lo, err, total: perRow * n, totalErr: err } };
  }
  const total = opts.expected !== undefined ? Math.max(opts.expected, result.cap) * OVERFLOW_MARGIN : (opts.maxGuess ?? 20 * result.cap);
  const perRow = total / n;
  const pieces = planSample(piece, ts, perRow, target, zone, opts.shortLast);
  if (pieces.length < 2) return halve();
  return { shape: 'sample', pieces, model: { kind: 'sample', sample: ts, perRow, origin: lo } };
}

