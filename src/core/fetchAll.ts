import { isEverflowError } from './errors';
import { formatTimestamp } from './format';
import { densityAt, edgeGaps, lowerBound, planDensity, planProbe, planSample, planSplit, probeCaps, sampleTarget, TARGET_FILL, timestampsIn, type Model, type PlannedPiece } from './splitPlan';
import type { Click, StreamRequest, StreamResult } from './types';
import { chunkWindow, snapBoundary, type Piece } from './windowChunks';

export { boundaryOk, chunkWindow, pieceOf, type Piece } from './windowChunks';
export { planSplit, TARGET_FILL, type PlannedPiece, type SplitPlan } from './splitPlan';

// Fetch every click of a window although one stream response stops at the cap (5,000): split the
// window into pieces that each come back under the cap, in as few requests as the data allows.
//
// Pieces are inclusive ranges of whole seconds, held as instants (epoch seconds) for arithmetic and
// as wall-clock strings in the request's zone for Everflow, which reads `from`/`to` that way. A
// piece's `to` is the next piece's `from` minus one second, and a boundary is only placed where
// that holds on the wall clock too (see `boundaryOk`), so the pieces together cover exactly what
// Everflow reads for the original window, daylight saving included.
//
// Everflow does not document which 5,000 rows a capped response holds. Three answers are plausible
// (the first by time, the newest, an arbitrary sample) and a server might not even stick to one, so
// the truncation is a belief that every response tests:
// - Learning. A capped response shaped like a prefix (nothing after its last row although the piece
//   runs on) is re-fetched up to its last second once: an uncapped answer with exactly those rows
//   proves it was the first N (a sample looks the same when traffic ends early, and then the
//   re-fetch holds more). The newest-N shape is the mirror image. A truncation remembered from an
//   earlier run (`truncationHint`) skips that request when the shape leaves no other reading (no
//   gap on the side the other truncation would leave); the walk's checks still catch a wrong one.
// - Walking. With the belief in force, each capped response is complete up to its last second
//   (first N) or from its first second on (newest N), so the next request starts there and runs to
//   the end of the chunk: one request per ~5,000 clicks, no density guess. Each request reaches back
//   over WALK_OVERLAP rows already proven, and must return exactly those: a newest-N answer never
//   holds them, a sample holds all of them only with probability (cap / total)^WALK_OVERLAP. A
//   mismatch drops the belief for the rest of the run, and that range is planned as a sample. That
//   check is weakest where a piece's total is nearest the cap, so the last stretch (under
//   TAIL_PIECES caps at the density just proven) is cut into pieces meant to come back uncapped.
// - Without a belief, capped responses are split as samples (see splitPlan.ts): a probe measures
//   how many clicks each sampled row stands for and the rest is cut at sample quantiles, as close
//   to the cap as the sample's density allows; a capped piece's overlap with the earlier sample
//   estimates its total (capture–recapture). Where the sample is thin (a row for many clicks, as
//   over 14 days) and the stretch long, a probe of many caps is sent first when the cost model
//   says it pays (`probeCaps`): its capped answer is a denser sample, cut nearer the cap. A split's
//   short last piece is handed on to the stretch after it rather than sent on its own.
// An uncapped answer is always complete whatever the server does; rows are kept by transaction_id,
// so a capped response's rows and a re-fetch of its range count once.

/** Proven rows each walking request reaches back over, as its test of the belief. */
const WALK_OVERLAP = 40;

/** A walk's remainder estimated under this many caps is cut into pieces aimed at TAIL_FILL of the cap. */
const [TAIL_PIECES, TAIL_FILL] = [1.6, 0.85];

/** A re-planned stretch's last piece is handed on to the next stretch when it is under this share of a piece. */
const HAND_ON_SHARE = 0.5;

/** Overlapping rows needed before two samples' overlap is read as an estimate of a piece's total. */
const RECAPTURE_MIN = 10;
/** When every known row came back: −ln of the chance that leaves for a bigger total (3: 5%). */
const RECAPTURE_ALL = 3;

/** Which rows a capped response holds: what a run learned, and what a later one may start from. */
export type Truncation = 'first' | 'newest' | 'arbitrary';

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
  /** What an earlier run against the same account and host learned; a wrong one costs requests only. */
  truncationHint?: Truncation;
  /**
   * Each response's rows as they are kept (a click fetched again comes again: its latest copy is the
   * one the result holds). The grid encodes them meanwhile, so the result is nearly encoded when it is done.
   */
  onRows?: (rows: readonly Click[]) => void;
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
  /**
   * The truncation this run saw proven (first/newest: a re-fetch or an overlap matched), or
   * 'arbitrary' when a belief was disproved; undefined when no capped response told.
   */
  truncation?: Truncation;
}

interface Work extends PlannedPiece {
  group?: { model: Model; plannedAt: number };
  /** A walking step: `rest` is the part not proven yet; the rest of the piece re-reads proven rows. */
  walk?: { dir: 1 | -1; rest: Piece; bounds: Piece };
  /** A re-fetch testing the belief `mode`: the ids the capped response held in this range. */
  verify?: { mode: 'first' | 'newest'; ids: Set<string> };
}

const modeOf = (dir: 1 | -1): 'first' | 'newest' => (dir === 1 ? 'first' : 'newest');

/**
 * Fetches every click of `req`, splitting as needed. One request at a time: the client's limiter
 * allows 5 per second per account, so parallel requests would mostly queue, and each split is
 * planned best from the result just before it. Cancelling (`signal`) keeps what arrived and
 * returns `stoppedBy: 'cancelled'`; other errors are thrown as the client raised them.
 */
export async function fetchAll(req: StreamRequest, deps: FetchAllDeps): Promise<FetchAllResult> {
  const { zone, signal } = deps;
  const maxRows = deps.maxRows ?? 100_000;
  const rows = new Map<string, Click>();
  const done: Array<{ from: string; to: string; fromSec: number; toSec: number; capped?: boolean }> = [];
  const stack: Work[] = chunkWindow(req, zone).map((c): Work => ({ ...c, basis: 'chunk' })).reverse();
  let requests = 0;
  let cap = deps.firstResult?.cap ?? 5000;
  let stoppedBy: FetchAllResult['stoppedBy'];
  // The belief in force, whether this run has proven it, and whether any belief was disproved (then
  // none is taken up again: a server that changes its mind gets the sample planner, which is safe).
  // The hint is no belief: the first capped answer's shape decides, and the hint only spares the
  // re-fetch that would prove it (an 'arbitrary' hint changes nothing, so a server is never kept
  // from being found first- or newest-truncated later).
  let belief: 'first' | 'newest' | undefined;
  let proven = false;
  let refuted = false;
  let disproved = false;
  const rowsIn = (lo: number, hi: number): number[] => timestampsIn([...rows.values()], lo, hi);
  const idsIn = (lo: number, hi: number): Set<string> => {
    const out = new Set<string>();
    for (const r of rows.values()) if (r.unix_timestamp >= lo && r.unix_timestamp <= hi) out.add(r.transaction_id);
    return out;
  };
  const keep = (res: StreamResult): void => {
    for (const r of res.rows) rows.set(r.transaction_id, r);
    if (res.rows.length) deps.onRows?.(res.rows);
  };
  const finish = (p: Piece, capped = false): void => {
    done.push({ from: p.from, to: p.to, fromSec: p.fromSec, toSec: p.toSec, ...(capped ? { capped } : {}) });
  };
  const drop = (): void => {
    belief = undefined;
    proven = false;
    refuted = true;
    disproved = true;
  };
  // The stack pops from its end: suffix plans run backwards from their counted piece, others forwards.
  const push = (work: Work[], model?: Model): number => stack.push(...(model?.kind === 'density' && model.dir === -1 ? work : work.reverse()));

  /** The next walking request for `rest`, reaching back over up to WALK_OVERLAP proven rows within `bounds`. */
  const walkStep = (dir: 1 | -1, rest: Piece, bounds: Piece): Work => {
    if (dir === 1) {
      const ts = rowsIn(bounds.fromSec, rest.fromSec - 1);
      const t = ts[Math.max(0, ts.length - WALK_OVERLAP)];
      const o = t === undefined ? rest.fromSec : t <= bounds.fromSec ? bounds.fromSec : (snapBoundary(t, bounds.fromSec, rest.fromSec, zone, 'before') ?? bounds.fromSec);
      const from = o === rest.fromSec ? rest.from : o === bounds.fromSec ? bounds.from : formatTimestamp(o, zone);
      return { from, fromSec: o, to: rest.to, toSec: rest.toSec, basis: 'counted', walk: { dir, rest, bounds } };
    }
    const ts = rowsIn(rest.toSec + 1, bounds.toSec);
    const t = ts[Math.min(ts.length, WALK_OVERLAP) - 1];
    const b = t === undefined ? undefined : t >= bounds.toSec ? bounds.toSec + 1 : snapBoundary(t + 1, rest.toSec + 1, bounds.toSec, zone, 'after');
    const e = b === undefined ? (t === undefined ? rest.toSec : bounds.toSec) : b - 1;
    const to = e === rest.toSec ? rest.to : e === bounds.toSec ? bounds.to : formatTimestamp(e, zone);
    return { from: rest.from, fromSec: rest.fromSec, to, toSec: e, basis: 'counted', walk: { dir, rest, bounds } };
  };

  /**
   * Walks on over `rest`, or, when what is left looks like less than TAIL_PIECES caps at the density
   * just proven, cuts it into pieces meant to come back uncapped: those prove themselves whatever the
   * server does, where a last capped step near the cap is the one a sample could pass for a prefix.
   */
  const advance = (dir: 1 | -1, rest: Piece, bounds: Piece): void => {
    const perSecond = dir === 1 ? densityAt(rowsIn(bounds.fromSec, rest.fromSec - 1), rest.fromSec, 1) : densityAt(rowsIn(rest.toSec + 1, bounds.toSec), rest.toSec + 1, -1);
    const left = (perSecond ?? Infinity) * (rest.toSec - rest.fromSec + 1);
    if (left > TAIL_PIECES * cap) {
      stack.push(walkStep(dir, rest, bounds));
      return;
    }
    push(planDensity(rest, perSecond!, dir, Math.floor(TAIL_FILL * cap), zone).map((q): Work => q), { kind: 'density', dir, perSecond: perSecond!, origin: bounds.fromSec, originEnd: bounds.toSec });
  };

  /** Starts walking `p` from a capped response shaped like `dir`'s truncation, after proving it if need be. */
  const startWalk = (p: Piece, res: StreamResult, counted: PlannedPiece, dir: 1 | -1): void => {
    belief = modeOf(dir);
    const rest: Piece =
      dir === 1
        ? { from: formatTimestamp(counted.toSec + 1, zone), fromSec: counted.toSec + 1, to: p.to, toSec: p.toSec }
        : { from: p.from, fromSec: p.fromSec, to: formatTimestamp(counted.fromSec - 1, zone), toSec: counted.fromSec - 1 };
    const inRange = timestampsIn(res.rows, p.fromSec, p.toSec);
    const ids = new Set(res.rows.filter((r) => r.unix_timestamp >= counted.fromSec && r.unix_timestamp <= counted.toSec).map((r) => r.transaction_id));
    keep(res);
    advance(dir, rest, p);
    // The belief proves only what lies wholly before the last second returned (after the first):
    // a counted piece snapped past it (no valid boundary nearer, as in a repeated hour) is fetched.
    if (dir === 1 ? counted.toSec >= inRange[inRange.length - 1] : counted.fromSec <= inRange[0]) {
      stack.push({ ...counted });
      return;
    }
    // A remembered belief is trusted only when the shape allows no other reading: no gap on the
    // side a newest-N (or first-N) answer would leave, so nothing unseen can hide there.
    const gaps = edgeGaps(p, inRange);
    const hinted = deps.truncationHint === modeOf(dir) && !refuted && !(dir === 1 ? gaps.start : gaps.end);
    if (proven || hinted) finish(counted);
    else stack.push({ ...counted, verify: { mode: modeOf(dir), ids } });
  };

  /** A capped response read without a belief: sample planning, or the start of a walk. */
  const split = (p: Work, res: StreamResult): void => {
    // Rows of the piece already in hand came from earlier capped answers (pieces are disjoint). If
    // this answer is a fresh sample, each of them is in it with probability cap / total: their
    // overlap tells the piece's total (capture–recapture), which one sample alone cannot.
    const known = idsIn(p.fromSec, p.toSec);
    const overlap = res.rows.reduce((a, r) => a + (known.has(r.transaction_id) ? 1 : 0), 0);
    let estimate: { total?: number; totalErr?: number } = {};
    if (overlap >= RECAPTURE_MIN && overlap < known.size) estimate = { total: (known.size * res.rows.length) / overlap, totalErr: 1 / Math.sqrt(overlap) };
    // All of them came back: a total of cap·(1 + ε) keeps each with probability ≈ e^(−ε), all k of
    // them ≈ e^(−kε), so the piece is barely over the cap (ε ≤ 3/k at 95%), not a guessed 25% over.
    else if (known.size >= RECAPTURE_MIN && overlap === known.size) estimate = { total: res.rows.length * Math.exp(RECAPTURE_ALL / known.size), totalErr: RECAPTURE_ALL / known.size };
    // A probe was sized from a sample: what that sample said of its total counts too (the two
    // estimates weighted by their precision). Any other piece's estimate was wrong once it is capped.
    if (p.expectedErr !== undefined && p.expected !== undefined && p.expected >= res.cap) {
      const w = 1 / p.expectedErr ** 2;
      const v = estimate.total === undefined ? 0 : 1 / estimate.totalErr! ** 2;
      estimate = { total: (w * p.expected + v * (estimate.total ?? 0)) / (w + v), totalErr: 1 / Math.sqrt(w + v) };
    }
    // A piece cut from a sample whose next sibling is still to be sent: the split's last piece, a
    // remainder, joins that sibling (re-planned from the parent's sample before it is sent) instead
    // of being a short request of its own.
    const next = stack[stack.length - 1];
    const handOn = p.group?.model.kind === 'sample' && next !== undefined && next.group === p.group && next.fromSec === p.toSec + 1;
    const plan = planSplit(p, res, zone, { expected: p.expected, maxGuess: Math.min(20 * cap, Math.max(2 * cap, maxRows)), shortLast: handOn, ...estimate });
    if (plan.pieces.length < 2) {
      keep(res);
      finish(p, true);
      return;
    }
    const { pieces, model } = plan;
    const dir = plan.shape === 'prefix' ? 1 : plan.shape === 'suffix' ? -1 : undefined;
    if (dir && !refuted && (belief === undefined || belief === modeOf(dir))) {
      return startWalk(p, res, pieces[dir === 1 ? 0 : pieces.length - 1], dir);
    }
    keep(res);
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
    // Only a short remainder: the last of more than PLAN_AHEAD pieces is the rest, planned later.
    if (handOn && plan.shape === 'sample' && pieces.length >= 2 && (pieces.at(-1)!.expected ?? Infinity) <= (pieces.at(-2)!.expected ?? 0)) {
      const last = pieces.pop()!;
      stack[stack.length - 1] = { ...next, from: last.from, fromSec: last.fromSec };
    }
    const group = model && { model, plannedAt: requests };
    push(pieces.map((q): Work => (q.basis === 'extrapolated' || q.basis === 'sampled' ? { ...q, group } : q)), model);
  };

  /** One walking step answered: claim what the belief proves, or drop the belief and split. */
  const walked = (p: Work, res: StreamResult): void => {
    const { dir, rest, bounds } = p.walk!;
    if (!res.truncated) {
      keep(res);
      return finish(rest);
    }
    if (belief !== modeOf(dir)) return split({ ...rest, basis: 'counted' }, res);
    // The overlap (the part of the piece outside `rest`) must come back exactly as proven.
    const [lo, hi] = dir === 1 ? [p.fromSec, rest.fromSec - 1] : [rest.toSec + 1, p.toSec];
    const known = idsIn(lo, hi);
    const back = res.rows.filter((r) => r.unix_timestamp >= lo && r.unix_timestamp <= hi);
    if (back.length !== known.size || !back.every((r) => known.has(r.transaction_id))) {
      drop();
      return split({ ...rest, basis: 'counted' }, res);
    }
    if (known.size > 0) proven = true;
    const ts = res.rows.map((r) => r.unix_timestamp);
    // First N: complete before its last second; newest N: complete after its first second.
    const b = dir === 1 ? snapBoundary(Math.max(...ts), rest.fromSec, rest.toSec, zone, 'before') : snapBoundary(Math.min(...ts) + 1, rest.fromSec, rest.toSec, zone, 'after');
    if (b === undefined) return split({ ...rest, basis: 'counted' }, res);
    keep(res);
    const [claimed, left]: [Piece, Piece] =
      dir === 1
        ? [{ ...rest, to: formatTimestamp(b - 1, zone), toSec: b - 1 }, { ...rest, from: formatTimestamp(b, zone), fromSec: b }]
        : [{ ...rest, from: formatTimestamp(b, zone), fromSec: b }, { ...rest, to: formatTimestamp(b - 1, zone), toSec: b - 1 }];
    finish(claimed);
    advance(dir, left, bounds);
  };

  /** A re-fetch testing the belief answered: it proves the belief only if it holds exactly what the capped response did. */
  const verified = (p: Work, res: StreamResult): void => {
    const { mode, ids } = p.verify!;
    const same = !res.truncated && res.rows.length === ids.size && res.rows.every((r) => ids.has(r.transaction_id));
    if (same && belief === mode) proven = true;
    else if (!same) drop();
    if (res.truncated) return split({ ...p, basis: 'counted' }, res);
    keep(res);
    finish(p);
  };

  const settle = (p: Work, res: StreamResult): void => {
    if (p.verify) return verified(p, res);
    if (p.walk) return walked(p, res);
    if (res.truncated) return split(p, res);
    keep(res);
    finish(p);
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
    if (m.kind === 'sample') {
      // Everything of the group before `range` is fetched: clicks there per sampled row there.
      const sampled = lowerBound(m.sample, range.fromSec) - lowerBound(m.sample, m.origin);
      const before = rowsIn(m.origin, range.fromSec - 1).length;
      if (sampled > 0) [m.perRow, m.err] = [Math.max(before, 1) / sampled, 1 / Math.sqrt(sampled)];
      // With an estimate of the sample's total, what is left of it per sampled row left tells too,
      // best at first (its error grows as the rest shrinks): both, weighted by their precision.
      const restRows = m.sample.length - lowerBound(m.sample, range.fromSec);
      if (m.total !== undefined && m.totalErr !== undefined && restRows > 0 && m.total - before > 0) {
        const [perRow, err] = [(m.total - before) / restRows, (m.totalErr * m.total) / (m.total - before)];
        if (m.err === undefined) [m.perRow, m.err] = [perRow, err];
        else {
          const [w, v] = [1 / m.err ** 2, 1 / err ** 2];
          [m.perRow, m.err] = [(w * m.perRow + v * perRow) / (w + v), 1 / Math.sqrt(w + v)];
        }
      }
      const left = m.perRow * (lowerBound(m.sample, range.toSec + 1) - lowerBound(m.sample, range.fromSec));
      // Not once a belief was disproved: a server that changes its mind may answer a probe with the
      // first or newest N, which tell nothing of the probe's long rest.
      const probe = m.err === undefined || refuted ? undefined : probeCaps(cap, m.perRow, m.err, left / cap);
      // Right after `range` comes a piece of another sample's plan, still to be re-planned: a short
      // remainder here is handed on to it rather than being a request of its own.
      const next = stack[stack.length - 1];
      const handOn = next?.group !== undefined && next.group !== group && next.group.model.kind === 'sample' && next.fromSec === range.toSec + 1;
      planned =
        probe !== undefined
          ? planProbe(range, m.sample, m.perRow, m.err!, probe * cap, zone)
          : planSample(range, m.sample, m.perRow, m.err === undefined ? target : sampleTarget(cap, m.perRow, m.err), zone, handOn);
      // Less than half a piece only: each re-plan would otherwise hand on a little more of a stretch
      // its own sample knows better.
      if (handOn && probe === undefined && planned.length >= 2 && (planned.at(-1)!.expected ?? Infinity) < HAND_ON_SHARE * (planned.at(-2)!.expected ?? 0)) {
        const last = planned.pop()!;
        stack[stack.length - 1] = { ...next, from: last.from, fromSec: last.fromSec };
      }
    } else {
      const fetched = m.dir === 1 ? rowsIn(m.origin, range.fromSec - 1) : rowsIn(range.toSec + 1, m.originEnd);
      m.perSecond = densityAt(fetched, m.dir === 1 ? range.fromSec : range.toSec + 1, m.dir) ?? m.perSecond;
      planned = planDensity(range, m.perSecond, m.dir, target, zone);
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
  const kept = all.slice(0, maxRows);
  const times = kept.map((r) => r.unix_timestamp);
  // Rows counted by the piece their time falls in: pieces tile the window, so each row counts once.
  const pieces = done
    .sort((a, b) => a.fromSec - b.fromSec)
    .map(({ from, to, fromSec, toSec, capped }) => ({ from, to, rows: lowerBound(times, toSec + 1) - lowerBound(times, fromSec), ...(capped ? { capped } : {}) }));
  const complete = !stoppedBy && !pieces.some((p) => p.capped);
  const truncation: Truncation | undefined = disproved ? 'arbitrary' : proven ? belief : undefined;
  return { rows: kept, requests, complete, ...(stoppedBy ? { stoppedBy } : {}), pieces, ...(truncation ? { truncation } : {}) };
}
