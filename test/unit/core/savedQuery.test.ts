import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeWindow,
  normalizeSavedQuery,
  resolveQueryWindow,
  toStreamRequest,
  validateSavedQuery,
  type SavedQuery,
} from '../../../src/core/savedQuery';
import { validateStreamRequest } from '../../../src/core/validation';
import { instantOf, parseEverflowDate } from '../../../src/core/wallClock';

const at = (iso: string) => Date.parse(iso);

function query(over: Partial<SavedQuery> = {}): SavedQuery {
  return {
    id: 'q1',
    name: 'Yesterday US on 883 and 518',
    window: { preset: 'yesterday' },
    timezone: 'America/New_York',
    filters: [
      { resource_type: 'offer', filter_id_value: '883' },
      { resource_type: 'offer', filter_id_value: '518' },
      { resource_type: 'country', filter_id_value: 'United States' },
    ],
    exclusions: [{ resource_type: 'sub1', filter_id_value: 'internal' }],
    ...over,
  };
}

const fields = (raw: unknown) => validateSavedQuery(raw).map((p) => p.field);

test('a complete query has no problems', () => {
  assert.deepEqual(validateSavedQuery(query()), []);
  assert.deepEqual(validateSavedQuery(query({ window: { from: '2026-03-01 00:00:00', to: '2026-03-14 23:59:59' }, folder: 'Team/Daily', note: 'n', account: 'Main' })), []);
});

test('every problem names its field', () => {
  const raw = {
    id: 'has space',
    name: '  ',
    window: { preset: 'lastMonth' },
    timezone: 'Mars/Olympus',
    filters: [{ resource_type: 'ofer', filter_id_value: '883' }, { resource_type: 'country', filter_id_value: '' }],
    exclusions: 'nope',
    folder: 'a//b',
    colour: 'red',
  };
  assert.deepEqual(fields(raw).sort(), ['colour', 'exclusions', 'folder', 'id', 'name', 'timezone', 'window.preset'].sort());
  const withLists = { ...raw, exclusions: [] };
  assert.deepEqual(
    fields(withLists).filter((f) => f.startsWith('filters')),
    ['filters[0].resource_type', 'filters[1].filter_id_value'],
  );
  const typo = validateSavedQuery(withLists).find((p) => p.field === 'filters[0].resource_type');
  assert.match(typo!.message, /did you mean "offer"/);
});

test('absolute windows are checked like requests: format, real dates, order (longer than 14 days is allowed)', () => {
  assert.deepEqual(fields(query({ window: { from: '2026-02-30 00:00:00', to: '2026-03-01 00:00:00' } })), ['window.from']);
  assert.deepEqual(fields(query({ window: { from: '2026-03-01T00:00:00Z', to: '2026-03-01 01:00:00' } })), ['window.from']);
  assert.deepEqual(fields(query({ window: { from: '2026-03-02 00:00:00', to: '2026-03-01 00:00:00' } })), ['window']);
  // Over 14 days runs as ≤ 14-day requests (streamWindow), so it is a valid query, not a problem.
  assert.deepEqual(validateSavedQuery(query({ window: { from: '2026-03-01 00:00:00', to: '2026-03-15 00:00:00' } })), []);
  assert.deepEqual(validateSavedQuery(query({ window: { from: '2025-12-01 00:00:00', to: '2026-03-01 00:00:00' } })), []);
  // …but a long window still has to be in order.
  assert.deepEqual(fields(query({ window: { from: '2026-04-01 00:00:00', to: '2026-03-01 00:00:00' } })), ['window']);
  assert.deepEqual(fields(query({ window: { preset: 'today', from: '2026-03-01 00:00:00' } as never })), ['window']);
});

test('a filter that is also an exclusion is named on the exclusions', () => {
  const q = query({ exclusions: [{ resource_type: 'country', filter_id_value: 'United States' }] });
  const problems = validateSavedQuery(q);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].field, 'exclusions');
  assert.match(problems[0].message, /both a filter/);
});

test('a zone Everflow does not list is a problem only when the list is known', () => {
  const q = query({ timezone: 'Europe/Vilnius' });
  assert.deepEqual(validateSavedQuery(q), []);
  assert.deepEqual(
    validateSavedQuery(q, { knownZones: ['UTC', 'America/New_York'] }).map((p) => p.field),
    ['timezone'],
  );
  assert.deepEqual(validateSavedQuery(query({ timezone: 'Etc/UTC' }), { knownZones: ['UTC'] }), []);
});

test('toStreamRequest resolves "yesterday" at run time in the query zone, with the seed spellings', () => {
  // 2026-03-10 03:00 UTC is still 2026-03-09 in New York (23:00 EDT).
  const req = toStreamRequest(query(), 80, at('2026-03-10T03:00:00Z'));
  assert.deepEqual(req, {
    from: '2026-03-08 00:00:00',
    to: '2026-03-08 23:59:59',
    timezone_id: 80,
    query: {
      filters: [
        { resource_type: 'offer', filter_id_value: '883' },
        { resource_type: 'offer', filter_id_value: '518' },
        { resource_type: 'country', filter_id_value: 'United States' },
      ],
      exclusions: [{ resource_type: 's1', filter_id_value: 'internal' }],
    },
  });
  assert.deepEqual(validateStreamRequest(req), []);
});

test('the same instant is a different "yesterday" in Tokyo and in Los Angeles', () => {
  const now = at('2026-07-01T12:00:00Z'); // 21:00 in Tokyo, 05:00 in Los Angeles
  const tokyo = toStreamRequest(query({ timezone: 'Asia/Tokyo', filters: [], exclusions: [] }), 16, now);
  const la = toStreamRequest(query({ timezone: 'America/Los_Angeles', filters: [], exclusions: [] }), 90, now);
  assert.deepEqual([tokyo.from, tokyo.to], ['2026-06-30 00:00:00', '2026-06-30 23:59:59']);
  assert.deepEqual([la.from, la.to], ['2026-06-30 00:00:00', '2026-06-30 23:59:59'].map((s) => s));
  const tokyoToday = resolveQueryWindow({ window: { preset: 'today' }, timezone: 'Asia/Tokyo' }, now);
  const laToday = resolveQueryWindow({ window: { preset: 'today' }, timezone: 'America/Los_Angeles' }, now);
  assert.equal(tokyoToday.from, '2026-07-01 00:00:00');
  assert.equal(laToday.from, '2026-07-01 00:00:00');
  assert.equal(resolveQueryWindow({ window: { preset: 'today' }, timezone: 'Pacific/Kiritimati' }, at('2026-07-01T11:00:00Z')).from, '2026-07-02 00:00:00');
  assert.deepEqual(tokyo.query, undefined, 'empty filter lists are not sent');
});

test('"yesterday" across the autumn change is a whole 25-hour local day', () => {
  // New York falls back on 2026-11-01; run on 2026-11-02 at 10:00 EST.
  const req = toStreamRequest(query({ filters: [], exclusions: [] }), 80, at('2026-11-02T15:00:00Z'));
  assert.deepEqual([req.from, req.to], ['2026-11-01 00:00:00', '2026-11-01 23:59:59']);
  const p = (s: string) => parseEverflowDate(s)!;
  const span = instantOf(p(req.to), 'America/New_York') - instantOf(p(req.from), 'America/New_York');
  assert.equal(span, 25 * 3_600_000 - 1000);
});

test('"last 24 hours" across the spring change is 24 real hours (23 on the wall clock)', () => {
  const req = toStreamRequest(query({ window: { preset: 'last24Hours' }, filters: [], exclusions: [] }), 80, at('2026-03-08T16:00:00Z'));
  assert.deepEqual([req.from, req.to], ['2026-03-07 11:00:00', '2026-03-08 12:00:00']);
});

test('"last 14 days" always fits Everflow\'s limit, whatever the zone and the season', () => {
  for (const zone of ['America/New_York', 'Europe/London', 'Australia/Sydney', 'UTC']) {
    for (const iso of ['2026-03-15T12:00:00Z', '2026-04-05T12:00:00Z', '2026-11-08T12:00:00Z']) {
      const req = toStreamRequest(query({ window: { preset: 'last14Days' }, timezone: zone, filters: [], exclusions: [] }), 67, at(iso));
      assert.deepEqual(validateStreamRequest(req), [], `${zone} at ${iso}`);
    }
  }
});

test('absolute windows are sent as written, trimmed', () => {
  const req = toStreamRequest(query({ window: { from: ' 2026-03-01 00:00:00', to: '2026-03-14 23:59:59 ' }, filters: [], exclusions: [] }), 67, 0);
  assert.deepEqual(req, { from: '2026-03-01 00:00:00', to: '2026-03-14 23:59:59', timezone_id: 67 });
});

test('describeWindow and normalizeSavedQuery', () => {
  assert.equal(describeWindow({ preset: 'last7Days' }), 'Last 7 days');
  assert.equal(describeWindow({ from: '2026-03-01 00:00:00', to: '2026-03-02 00:00:00' }), '2026-03-01 00:00:00 → 2026-03-02 00:00:00');
  const messy = { ...query(), name: '  Spaced  ', filters: [{ resource_type: ' offer ', filter_id_value: 883 as unknown as string }], note: ' ', account: '' };
  assert.deepEqual(validateSavedQuery(messy).map((p) => p.field), ['account']);
  const { account: _a, ...clean } = messy;
  const n = normalizeSavedQuery(clean);
  assert.equal(n.name, 'Spaced');
  assert.deepEqual(n.filters, [{ resource_type: 'offer', filter_id_value: '883' }]);
  assert.equal('note' in n, false);
  assert.deepEqual(Object.keys(n), ['id', 'name', 'window', 'timezone', 'filters', 'exclusions']);
});
