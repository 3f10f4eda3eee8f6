// Fetch all as it was before issue #17 (commit 1f6bf22, src/core/fetchAll.ts), kept callable so the
// bench measures the new algorithm beside the old one in the same run. Not used by the extension.

import { isEverflowError } from '../../src/core/errors';
import { formatTimestamp } from '../../src/core/format';
import type { Click, StreamRequest, StreamResult } from '../../src/core/types';
import { chunkWindow, cutAt, snapBoundary, type Piece } from '../../src/core/windowChunks';

export { boundaryOk, chunkWindow, pieceOf, type Piece } from '../../src/core/windowChunks';

// Fetch every click of a window although one stream response stops at the cap (5,000): split the
// window into pieces that each come back under the cap.
//
// Pieces are inclusive ranges of whole seconds, held as instants (epoch seconds) for arithmetic and
// as wall-clock strings in the request's zone for Everflow, which reads `from`/`to` that way. A
// piece's `to` is the next piece's `from` minus one second, and a boundary is only placed where
// that holds on the wall clock too (see `boundaryOk`), so the pieces together cover exactly what
// Everflow reads for the original window, daylight saving included.
//
// How a capped piece is split depends on which rows came back, which Everflow does not document:
// - the first N by time (a prefix): rows before the last returned second are all there is, so that
//   stretch is re-fetched as one piece of known size and the rest is cut ahead at the density just
//   measured. Re-fetched, not trusted: a random sample looks the same when the window runs past the
//   last click, and then that piece comes back capped and is split again;
// - the newest N (a suffix): the mirror image, working backwards;
// - an arbitrary N: a random sample spans the whole window whatever the total, so "cap × window /
//   span" would always say "about the cap" — the sample tells the shape of the traffic, not its
//   size. A small probe piece measures how many clicks each sampled row stands for, and the rest is
//   cut at sample quantiles holding ~75% of the cap each.
// Planned-ahead pieces are re-planned from what has been fetched just before each is sent, so a
// wrong guess costs one request, not a cascade. Rows are kept by transaction_id, so a capped
// response's rows and the re-fetch of its range count once.

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
}

export type Model =
  | { kind: 'density'; dir: 1 | -1; perSecond: number; origin: number; originEnd: number }
  | { kind: 'sample'; sample: number[]; perRow: number; origin: number };

export interface SplitPlan {
  shape: 'prefix' | 'suffix' | 'sample' | 'halve' | 'unsplittable';
  pieces: PlannedPiece[];
  /** How the planned-ahead pieces were sized, for re-planning them. */
  model?: Model;
}

// ---- planning -------------------------------------------------------------------------------------

function timestampsIn(rows: readonly Click[], lo: number, hi: number): number[] {
  const ts: number[] = [];
  for (const r of rows) if (r.unix_timestamp >= lo && r.unix_timestamp <= hi) ts.push(r.unix_timestamp);
  return ts.sort((a, b) => a - b);
}

/** Index of the first element ≥ v. */
function lowerBound(a: readonly number[], v: number): number {
  let [lo, hi] = [0, a.length];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    [lo, hi] = a[mid] < v ? [mid + 1, hi] : [lo, mid];
  }
  return lo;
}

/** Clicks per second just before `edge` (dir 1) or from `edge` on (dir −1), from sorted timestamps. */
function densityAt(ts: readonly number[], edge: number, dir: 1 | -1): number | undefined {
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
function offsets(size: number, step: number): number[] {
  const k = Math.ceil(size / Math.max(step, 1e-9));
  if (k <= 1) return [];
  const each = k <= PLAN_AHEAD ? size / k : step;
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

/** Plans `range` at sample quantiles, each piece holding about `target / perRow` sampled rows. */
export function planSample(range: Piece, sample: readonly number[], perRow: number, target: number, zone: string): PlannedPiece[] {
  const inRange = sample.slice(lowerBound(sample, range.fromSec), lowerBound(sample, range.toSec + 1));
  const wishes = offsets(inRange.length, Math.max(1, Math.floor(target / perRow))).map((o) => inRange[o]);
  const pieces = cutAt(range, snapAll(wishes, range.fromSec, range.toSec, zone), zone);
  return pieces.map((p) => ({ ...p, basis: 'sampled', expected: perRow * (lowerBound(inRange, p.toSec + 1) - lowerBound(inRange, p.fromSec)) }));
}

export interface PlanOptions {
  /** What the piece was expected to hold when it was planned (it held more). */
  expected?: number;
  /** Upper guess of a fully unknown piece's total, sizing the probe; default 20 × cap. */
  maxGuess?: number;
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
  const m = Math.min(n - 1, 100);
  const spacingEnd = m > 0 ? (ts[n - 1] - ts[n - 1 - m]) / m : 0;
  const spacingStart = m > 0 ? (ts[m] - ts[0]) / m : 0;
  const wide = (gap: number, spacing: number): boolean => gap >= Math.max(GAP_MIN_S, GAP_FACTOR * spacing);

  // A gap at both ends reads as a prefix too: the first N by time after a stretch with no clicks.
  if (wide(hi - ts[n - 1], spacingEnd)) {
    const b = snapBoundary(Math.max(ts[n - 1], lo + 1), lo, hi, zone, 'before') ?? snapBoundary(ts[n - 1], lo, hi, zone);
    if (b === undefined) return halve();
    const counted: PlannedPiece = { ...cutAt(piece, [b], zone)[0], basis: 'counted', expected: lowerBound(ts, b) };
    const rest = { from: formatTimestamp(b, zone), to: piece.to, fromSec: b, toSec: hi };
    const perSecond = densityAt(ts, b, 1) ?? 0;
    return { shape: 'prefix', pieces: [counted, ...planDensity(rest, perSecond, 1, target, zone)], model: { kind: 'density', dir: 1, perSecond, origin: lo, originEnd: hi } };
  }
  if (wide(ts[0] - lo, spacingStart)) {
    const b = snapBoundary(Math.min(ts[0] + 1, hi), lo, hi, zone, 'after') ?? snapBoundary(ts[0] + 1, lo, hi, zone);
    if (b === undefined) return halve();
    const counted: PlannedPiece = { ...cutAt(piece, [b], zone)[1], basis: 'counted', expected: n - lowerBound(ts, b) };
    const rest = { from: piece.from, to: formatTimestamp(b - 1, zone), fromSec: lo, toSec: b - 1 };
    const perSecond = densityAt(ts, b, -1) ?? 0;
    return { shape: 'suffix', pieces: [...planDensity(rest, perSecond, -1, target, zone), counted], model: { kind: 'density', dir: -1, perSecond, origin: lo, originEnd: hi } };
  }
  if (ts[0] === ts[n - 1]) return halve();
  const total = opts.expected !== undefined ? Math.max(opts.expected, result.cap) * OVERFLOW_MARGIN : (opts.maxGuess ?? 20 * result.cap);
  const perRow = total / n;
  const pieces = planSample(piece, ts, perRow, target, zone);
  if (pieces.length < 2) return halve();
  return { shape: 'sample', pieces, model: { kind: 'sample', sample: ts, perRow, origin: lo } };
}

// ---- the fetch loop -------------------------------------------------------------------------------

export interface FetchAllDeps {
  stream: (req: StreamRequest, signal?: AbortSignal) => Promise<StreamResult>;
  /** IANA zone of `req.timezone_id`, for wall-clock arithmetic. */
  zone: string;
  /** Stop once this many distinct clicks are in hand; default 100,000. */
  maxRows?: number;
  signal?: AbortSignal;
  onProgress?: (p: { piecesDone: number; piecesQueued: number; rows: number }) => void;
  /** The capped response to `req` already in hand; saves its request. */
  firstResult?: StreamResult;
}

export interface FetchAllResult {
  /** Distinct clicks (by transaction_id), in time order. */
  rows: Click[];
  /** Requests this call sent (a `firstResult` is not counted). */
  requests: number;
  /** True when every piece came back under the cap and nothing stopped the fetch. */
  complete: boolean;
  stoppedBy?: 'cancelled' | 'maxRows';
  /**
   * The pieces that make up the result, in time order. `capped` marks a one-second piece (or one
   * with no valid boundary inside) that still reached the cap: it cannot be split, its clicks beyond
   * the cap are missing, and `complete` is false.
   */
  pieces: Array<{ from: string; to: string; rows: number; capped?: boolean }>;
}

interface Work extends PlannedPiece {
  group?: { model: Model; plannedAt: number };
}

/**
 * Fetches every click of `req`, splitting as needed. One request at a time: the client's limiter
 * allows 5 per second per account, so parallel requests would mostly queue, and each split is
 * planned best from the result just before it. Cancelling (`signal`) keeps what arrived and
 * returns `stoppedBy: 'cancelled'`; other errors are thrown as the client raised them.
 */
export async function legacyFetchAll(req: StreamRequest, deps: FetchAllDeps): Promise<FetchAllResult> {
  const { zone, signal } = deps;
  const maxRows = deps.maxRows ?? 100_000;
  const rows = new Map<string, Click>();
  const done: Array<FetchAllResult['pieces'][number] & { at: number }> = [];
  const stack: Work[] = chunkWindow(req, zone).map((c): Work => ({ ...c, basis: 'chunk' })).reverse();
  let requests = 0;
  let cap = deps.firstResult?.cap ?? 5000;
  let stoppedBy: FetchAllResult['stoppedBy'];
  const rowsIn = (lo: number, hi: number): number[] => timestampsIn([...rows.values()], lo, hi);
  // The stack pops from its end: suffix plans run backwards from their counted piece, others forwards.
  const push = (work: Work[], model?: Model): number => stack.push(...(model?.kind === 'density' && model.dir === -1 ? work : work.reverse()));

  const settle = (p: Work, res: StreamResult): void => {
    for (const r of res.rows) rows.set(r.transaction_id, r);
    const plan = res.truncated ? planSplit(p, res, zone, { expected: p.expected, maxGuess: Math.min(20 * cap, Math.max(2 * cap, maxRows)) }) : undefined;
    if (!plan || plan.pieces.length < 2) {
      done.push({ from: p.from, to: p.to, rows: res.rows.length, ...(plan ? { capped: true } : {}), at: p.fromSec });
      return;
    }
    const { pieces, model } = plan;
    // A piece cut ahead at a density came back capped and reads the same way: its open remainder
    // and the parent's unsent pieces are one stretch now, planned from the fresher density.
    const parent = p.group?.model;
    if (model?.kind === 'density' && parent?.kind === 'density' && parent.dir === model.dir) {
      let edge: Work | undefined;
      while (stack.length && stack[stack.length - 1].group === p.group) edge = stack.pop();
      if (edge && model.dir === 1) {
        pieces[pieces.length - 1] = { ...pieces[pieces.length - 1], to: edge.to, toSec: edge.toSec };
        model.originEnd = edge.toSec;
      } else if (edge) pieces[0] = { ...pieces[0], from: edge.from, fromSec: edge.fromSec };
    }
    const group = model && { model, plannedAt: requests };
    push(pieces.map((q): Work => (q.basis === 'extrapolated' || q.basis === 'sampled' ? { ...q, group } : q)), model);
  };

  /** Re-plans `p` and its unsent siblings from what has been fetched since they were planned. */
  const replan = (p: Work): Work => {
    const group = p.group!;
    const batch = [p];
    while (stack.length && stack[stack.length - 1].group === group) batch.push(stack.pop()!);
    batch.sort((a, b) => a.fromSec - b.fromSec);
    const range: Piece = { from: batch[0].from, fromSec: batch[0].fromSec, to: batch[batch.length - 1].to, toSec: batch[batch.length - 1].toSec };
    const m = group.model;
    const target = Math.max(1, Math.floor(TARGET_FILL * cap));
    let planned: PlannedPiece[];
    if (m.kind === 'density') {
      const fetched = m.dir === 1 ? rowsIn(m.origin, range.fromSec - 1) : rowsIn(range.toSec + 1, m.originEnd);
      m.perSecond = densityAt(fetched, m.dir === 1 ? range.fromSec : range.toSec + 1, m.dir) ?? m.perSecond;
      planned = planDensity(range, m.perSecond, m.dir, target, zone);
    } else {
      // Everything of the group before `range` is fetched: clicks there per sampled row there.
      const sampled = lowerBound(m.sample, range.fromSec) - lowerBound(m.sample, m.origin);
      if (sampled > 0) m.perRow = Math.max(rowsIn(m.origin, range.fromSec - 1).length, 1) / sampled;
      planned = planSample(range, m.sample, m.perRow, target, zone);
    }
    group.plannedAt = requests;
    push(planned.map((q): Work => ({ ...q, group })), m);
    return stack.pop()!;
  };

  if (deps.firstResult && stack.length === 1) settle(stack.pop()!, deps.firstResult);
  while (stack.length > 0) {
    if (signal?.aborted) stoppedBy = 'cancelled';
    else if (rows.size >= maxRows) stoppedBy = 'maxRows';
    if (stoppedBy) break;
    let p = stack.pop()!;
    if (p.group && p.group.plannedAt < requests) p = replan(p);
    let res: StreamResult;
    try {
      res = await deps.stream({ ...req, from: p.from, to: p.to }, signal);
    } catch (e) {
      if (!signal?.aborted && !(isEverflowError(e) && e.reason === 'cancelled')) throw e;
      stoppedBy = 'cancelled';
      break;
    }
    requests++;
    cap = res.cap;
    settle(p, res);
    deps.onProgress?.({ piecesDone: done.length, piecesQueued: stack.length, rows: rows.size });
  }

  const all = [...rows.values()].sort((a, b) => a.unix_timestamp - b.unix_timestamp || (a.transaction_id < b.transaction_id ? -1 : 1));
  if (all.length > maxRows) stoppedBy ??= 'maxRows';
  const pieces = done.sort((a, b) => a.at - b.at).map(({ at: _at, ...piece }) => piece);
  const complete = !stoppedBy && !pieces.some((p) => p.capped);
  return { rows: all.slice(0, maxRows), requests, complete, ...(stoppedBy ? { stoppedBy } : {}), pieces };
}
