import { RESOURCE_TYPES, type QueryFilter, type StreamRequest, type ValidationProblem } from './types';
import { daysInMonth, EVERFLOW_DATE_RE, formatEverflowDate, fromWallSeconds, MAX_WINDOW_SECONDS, parseEverflowDate, wallSeconds } from './wallClock';

// Everything Everflow would reject (or silently misread) is caught here, before a request uses up
// a rate-limit slot, and reported all at once so a user fixes a query in one pass.

const TRANSACTION_ID_RE = /^[0-9a-f]{32}$/i;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 32 hex characters, either case. The alphabet is not documented; every observed id is hex. */
export function isTransactionId(s: string): boolean {
  return TRANSACTION_ID_RE.test(s);
}

/** "15 days", "14 days and 1 second", "2 hours and 30 minutes". */
export function formatDuration(totalSeconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(totalSeconds));
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  if (parts.length === 0) return '0 seconds';
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Why a string is not a valid Everflow date, in words; undefined when it is valid. */
function dateProblem(name: 'from' | 'to', value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    return `\`${name}\` is missing; give a date and time like 2026-03-01 00:00:00.`;
  }
  const v = value.trim();
  const m = EVERFLOW_DATE_RE.exec(v);
  if (!m) {
    const hint = /^\d{4}-\d{2}-\d{2}$/.test(v)
      ? ' It needs a time of day too.'
      : /T|Z$|[+-]\d{2}:?\d{2}$/.test(v)
        ? ' Use a space between date and time, and no zone suffix: the zone comes from timezone_id.'
        : '';
    return `\`${name}\` must look like 2026-03-01 00:00:00 (YYYY-MM-DD HH:MM:SS); got "${clip(v)}".${hint}`;
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12) return `\`${name}\` has month ${m[2]}; months run 01 to 12.`;
  const dim = daysInMonth(y, mo);
  if (d < 1 || d > dim) return `\`${name}\` is not a real date: ${MONTHS[mo - 1]} ${y} has ${dim} days, so day ${m[3]} does not exist.`;
  if (h > 23) return `\`${name}\` has hour ${m[4]}; hours run 00 to 23 (use 23:59:59 for the end of a day).`;
  if (mi > 59) return `\`${name}\` has minute ${m[5]}; minutes run 00 to 59.`;
  if (s > 59) return `\`${name}\` has second ${m[6]}; seconds run 00 to 59.`;
  return undefined;
}

function clip(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const SUB_SYNONYM_RE = /^sub([1-5])$/;
const CANONICAL: ReadonlySet<string> = new Set(RESOURCE_TYPES);

/** The seed's spelling for a resource type (`sub1` → `s1`, any case), or undefined if unknown. */
export function canonicalResourceType(type: string): string | undefined {
  const t = type.trim().toLowerCase();
  if (CANONICAL.has(t)) return t;
  const sub = SUB_SYNONYM_RE.exec(t);
  return sub ? `s${sub[1]}` : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

const SUGGESTIONS: readonly string[] = [...RESOURCE_TYPES, 'sub1', 'sub2', 'sub3', 'sub4', 'sub5'];

/** The valid resource type closest to `type` by edit distance. */
export function nearestResourceType(type: string): string {
  const t = type.trim().toLowerCase();
  let best = SUGGESTIONS[0];
  let bestScore = Infinity;
  for (const candidate of SUGGESTIONS) {
    // A prefix ("device" → device_type) is a better hint than a short unrelated word.
    const score = candidate.startsWith(t) && t.length >= 3 ? 0.5 : editDistance(t, candidate);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function filterValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  // Saved queries written by hand may hold numeric ids; Everflow wants them as strings.
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function checkFilterList(
  list: unknown,
  name: 'filters' | 'exclusions',
  problems: ValidationProblem[],
): Map<string, string> {
  const seen = new Map<string, string>();
  if (list === undefined || list === null) return seen;
  if (!Array.isArray(list)) {
    problems.push({ field: `query.${name}`, message: `\`query.${name}\` must be a list of { resource_type, filter_id_value } items.` });
    return seen;
  }
  const label = name === 'filters' ? 'Filter' : 'Exclusion';
  list.forEach((item: unknown, i: number) => {
    const field = `${name}[${i}]`;
    const where = `${label} ${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ field, message: `${where} must be an object with resource_type and filter_id_value.` });
      return;
    }
    const { resource_type: rawType, filter_id_value: rawValue } = item as Partial<QueryFilter>;
    let type: string | undefined;
    if (typeof rawType !== 'string' || rawType.trim() === '') {
      problems.push({ field: `${field}.resource_type`, message: `${where} has no resource type; use one of: ${SUGGESTIONS.join(', ')}.` });
    } else {
      type = canonicalResourceType(rawType);
      if (!type) {
        problems.push({
          field: `${field}.resource_type`,
          message: `${where} has an unknown resource type "${clip(rawType.trim())}"; did you mean "${nearestResourceType(rawType)}"? Valid types: ${SUGGESTIONS.join(', ')}.`,
        });
      }
    }
    const value = filterValue(rawValue);
    if (value === undefined) {
      problems.push({ field: `${field}.filter_id_value`, message: `${where} has no value; filter_id_value must be text, such as "883" or "United States".` });
    } else if (value === '') {
      problems.push({ field: `${field}.filter_id_value`, message: `${where} has an empty value; give the ${type ?? 'filter'} value to match, or remove it.` });
    } else if (type) {
      const key = `${type}\u0000${value}`;
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push({ field, message: `${where} repeats ${first} (${type} "${clip(value)}"); remove one of them.` });
      } else {
        seen.set(key, `${label.toLowerCase()} ${i + 1}`);
      }
    }
  });
  return seen;
}

/** Every problem with `req`, in the order a user reads the form; empty when it can be sent. */
export function validateStreamRequest(
  req: StreamRequest,
  opts: {
    knownTimezoneIds?: ReadonlySet<number>;
    /** Windows over 14 days are fine: the caller runs them as ≤ 14-day chunks (commands/streamWindow.ts). */
    splitLongWindows?: boolean;
  } = {},
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (typeof req !== 'object' || req === null) {
    return [{ field: 'request', message: 'The request is empty; it needs from, to and timezone_id.' }];
  }
  const fromProblem = dateProblem('from', req.from);
  const toProblem = dateProblem('to', req.to);
  if (fromProblem) problems.push({ field: 'from', message: fromProblem });
  if (toProblem) problems.push({ field: 'to', message: toProblem });

  if (!fromProblem && !toProblem) {
    const from = wallSeconds(parseEverflowDate(req.from.trim())!);
    const to = wallSeconds(parseEverflowDate(req.to.trim())!);
    // Equal is a one-second window: `to` is inclusive.
    if (to < from) {
      problems.push({ field: 'window', message: `\`from\` (${req.from.trim()}) is after \`to\` (${req.to.trim()}); swap them.` });
    } else if (to - from > MAX_WINDOW_SECONDS && !opts.splitLongWindows) {
      // `to` is inclusive, so the window covers to − from + 1 seconds.
      const latest = formatEverflowDate(fromWallSeconds(from + MAX_WINDOW_SECONDS));
      problems.push({
        field: 'window',
        message: `The window is ${formatDuration(to - from + 1)} long; Everflow allows at most 14 days. With this \`from\`, the latest allowed \`to\` is ${latest}.`,
      });
    }
  }

  const tz: unknown = req.timezone_id;
  if (typeof tz !== 'number' || !Number.isInteger(tz) || tz <= 0) {
    problems.push({
      field: 'timezone_id',
      message: `timezone_id must be a positive whole number such as 67 (UTC); got ${tz === undefined ? 'nothing' : JSON.stringify(tz)}.`,
    });
  } else if (opts.knownTimezoneIds && opts.knownTimezoneIds.size > 0 && !opts.knownTimezoneIds.has(tz)) {
    problems.push({ field: 'timezone_id', message: `timezone_id ${tz} is not one of the zones Everflow lists; pick a zone from the list.` });
  }

  const query: unknown = req.query;
  if (query !== undefined && query !== null) {
    if (typeof query !== 'object' || Array.isArray(query)) {
      problems.push({ field: 'query', message: '`query` must be an object with `filters` and/or `exclusions`.' });
    } else {
      const q = query as NonNullable<StreamRequest['query']>;
      const included = checkFilterList(q.filters, 'filters', problems);
      const excluded = checkFilterList(q.exclusions, 'exclusions', problems);
      for (const [key, where] of excluded) {
        if (included.has(key)) {
          const [type, value] = key.split('\u0000');
          problems.push({
            field: 'query',
            message: `${type} "${clip(value)}" is both a filter (${included.get(key)}) and an exclusion (${where}), so no click can match; remove one.`,
          });
        }
      }
    }
  }
  return problems;
}

function normalizeList(list: readonly QueryFilter[] | undefined): QueryFilter[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: QueryFilter[] = [];
  for (const f of list) {
    if (typeof f !== 'object' || f === null) continue;
    const raw = typeof f.resource_type === 'string' ? f.resource_type : '';
    const value = filterValue(f.filter_id_value) ?? '';
    out.push({ resource_type: canonicalResourceType(raw) ?? raw.trim(), filter_id_value: value });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The request as it goes on the wire: the seed's `s1`…`s5` spelling, trimmed strings, and no empty
 * `query` parts (an empty `filters: []` is at best noise and at worst read differently by some API
 * generation). Does not validate; call `validateStreamRequest` first.
 */
export function normalizeRequest(req: StreamRequest): StreamRequest {
  const out: StreamRequest = {
    from: typeof req.from === 'string' ? req.from.trim() : req.from,
    to: typeof req.to === 'string' ? req.to.trim() : req.to,
    timezone_id: req.timezone_id,
  };
  const filters = normalizeList(req.query?.filters);
  const exclusions = normalizeList(req.query?.exclusions);
  if (filters || exclusions) {
    out.query = {};
    if (filters) out.query.filters = filters;
    if (exclusions) out.query.exclusions = exclusions;
  }
  return out;
}
