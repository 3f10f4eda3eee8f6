import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamRequest } from '../../../src/core/types';
import { isTransactionId, nearestResourceType, normalizeRequest, validateStreamRequest } from '../../../src/core/validation';
import { formatEverflowDate, parseEverflowDate } from '../../../src/core/wallClock';

const base: StreamRequest = { from: '2026-03-01 00:00:00', to: '2026-03-01 23:59:59', timezone_id: 67 };

function problems(req: Partial<StreamRequest> & Record<string, unknown>, opts?: Parameters<typeof validateStreamRequest>[1]) {
  return validateStreamRequest({ ...base, ...req } as StreamRequest, opts);
}

function fields(req: Partial<StreamRequest> & Record<string, unknown>): string[] {
  return problems(req).map((p) => p.field);
}

describe('parseEverflowDate / formatEverflowDate', () => {
  it('parses a real date and formats it back', () => {
    const parts = parseEverflowDate('2024-02-29 23:59:59');
    assert.deepEqual(parts, { y: 2024, mo: 2, d: 29, h: 23, mi: 59, s: 59 });
    assert.equal(formatEverflowDate(parts!), '2024-02-29 23:59:59');
    assert.equal(formatEverflowDate({ y: 2026, mo: 3, d: 1, h: 0, mi: 5, s: 7 }), '2026-03-01 00:05:07');
  });

  for (const bad of ['2026-02-30 00:00:00', '2025-02-29 00:00:00', '2026-03-01 24:00:00', '2026-13-01 00:00:00', '2026-00-10 00:00:00', '2026-03-01 00:60:00', '2026-03-01 00:00:60', '2026-03-01T00:00:00', '2026-3-1 00:00:00', '2026-03-01', ' 2026-03-01 00:00:00']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.equal(parseEverflowDate(bad), undefined));
  }
});

describe('isTransactionId', () => {
  it('accepts 32 hex characters in either case', () => {
    assert.ok(isTransactionId('410da86457f54ae388a871d54a33275b'));
    assert.ok(isTransactionId('410DA86457F54AE388A871D54A33275B'));
  });
  it('rejects wrong lengths and non-hex', () => {
    assert.ok(!isTransactionId('410da86457f54ae388a871d54a33275'));
    assert.ok(!isTransactionId('410da86457f54ae388a871d54a33275bb'));
    assert.ok(!isTransactionId('410da86457f54ae388a871d54a33275g'));
    assert.ok(!isTransactionId(' 410da86457f54ae388a871d54a33275b'));
    assert.ok(!isTransactionId(''));
  });
});

describe('validateStreamRequest: dates', () => {
  it('accepts a valid one-day request', () => assert.deepEqual(problems({}), []));

  it('explains a wrong format, with a hint for ISO strings', () => {
    const [p] = problems({ from: '2026-03-01T00:00:00Z' });
    assert.equal(p.field, 'from');
    assert.match(p.message, /YYYY-MM-DD HH:MM:SS/);
    assert.match(p.message, /zone comes from timezone_id/);
  });

  it('says a date-only value needs a time', () => {
    assert.match(problems({ to: '2026-03-02' })[0].message, /time of day/);
  });

  it('names impossible calendar dates', () => {
    const [p] = problems({ from: '2026-02-30 00:00:00', to: '2026-03-01 00:00:00' });
    assert.equal(p.field, 'from');
    assert.match(p.message, /February 2026 has 28 days/);
  });

  it('rejects hour 24 and points to 23:59:59', () => {
    const [p] = problems({ to: '2026-03-01 24:00:00' });
    assert.equal(p.field, 'to');
    assert.match(p.message, /hours run 00 to 23/);
    assert.match(p.message, /23:59:59/);
  });

  it('rejects missing dates', () => {
    assert.deepEqual(fields({ from: undefined as unknown as string }), ['from']);
  });

  it('requires from before to, and accepts from = to as a one-second window', () => {
    const [p] = problems({ from: '2026-03-02 00:00:00', to: '2026-03-01 00:00:00' });
    assert.equal(p.field, 'window');
    assert.match(p.message, /after `to`/);
    assert.deepEqual(problems({ to: base.from }), []);
  });
});

describe('validateStreamRequest: 14-day window', () => {
  it('accepts 14 days less one second', () => {
    assert.deepEqual(problems({ from: '2026-03-01 00:00:00', to: '2026-03-14 23:59:59' }), []);
  });

  it('rejects exactly 14 days and says where the boundary is', () => {
    const [p] = problems({ from: '2026-03-01 00:00:00', to: '2026-03-15 00:00:00' });
    assert.equal(p.field, 'window');
    assert.equal(
      p.message,
      'The window is 14 days and 1 second long; Everflow allows at most 14 days. With this `from`, the latest allowed `to` is 2026-03-14 23:59:59.',
    );
  });

  it('rejects 15 days with the example wording', () => {
    const [p] = problems({ from: '2026-03-01 00:00:00', to: '2026-03-15 23:59:59' });
    assert.equal(
      p.message,
      'The window is 15 days long; Everflow allows at most 14 days. With this `from`, the latest allowed `to` is 2026-03-14 23:59:59.',
    );
  });

  it('computes the boundary across a month and a leap day', () => {
    const [p] = problems({ from: '2024-02-20 12:30:00', to: '2024-03-20 00:00:00' });
    assert.match(p.message, /latest allowed `to` is 2024-03-05 12:29:59\.$/);
  });
});

describe('validateStreamRequest: timezone', () => {
  for (const tz of [0, -5, 1.5, Number.NaN, '67', undefined]) {
    it(`rejects timezone_id ${String(tz)}`, () => {
      assert.deepEqual(fields({ timezone_id: tz as number }), ['timezone_id']);
    });
  }
  it('checks known ids when given', () => {
    const known = new Set([67, 80]);
    assert.deepEqual(problems({ timezone_id: 80 }, { knownTimezoneIds: known }), []);
    const [p] = problems({ timezone_id: 90 }, { knownTimezoneIds: known });
    assert.equal(p.field, 'timezone_id');
    assert.match(p.message, /90/);
  });
});

describe('validateStreamRequest: filters and exclusions', () => {
  it('accepts every seed type and the sub1…sub5 synonyms', () => {
    const filters = ['offer', 'country', 'device_platform', 'coupon_code', 's1', 'sub2', 'SUB5', 'offer_url'].map((t) => ({ resource_type: t, filter_id_value: 'x' }));
    assert.deepEqual(problems({ query: { filters } }), []);
  });

  it('names the nearest valid type for a typo', () => {
    const [p] = problems({ query: { filters: [{ resource_type: 'contry', filter_id_value: 'Canada' }] } });
    assert.equal(p.field, 'filters[0].resource_type');
    assert.match(p.message, /did you mean "country"/);
    assert.equal(nearestResourceType('sub_1'), 'sub1');
    assert.equal(nearestResourceType('device'), 'device_platform');
  });

  it('rejects empty and whitespace-only values, in filters and exclusions', () => {
    const p = problems({
      query: {
        filters: [{ resource_type: 'offer', filter_id_value: '  ' }],
        exclusions: [{ resource_type: 's1', filter_id_value: '' }],
      },
    });
    assert.deepEqual(
      p.map((x) => x.field),
      ['filters[0].filter_id_value', 'exclusions[0].filter_id_value'],
    );
    assert.match(p[0].message, /empty value/);
  });

  it('checks exclusion types too', () => {
    assert.deepEqual(fields({ query: { exclusions: [{ resource_type: 'nope', filter_id_value: 'a' }] } }), ['exclusions[0].resource_type']);
  });

  it('flags an exact duplicate filter, also when spelled sub1 and s1', () => {
    const p = problems({
      query: {
        filters: [
          { resource_type: 'offer', filter_id_value: '883' },
          { resource_type: 'offer', filter_id_value: '883' },
          { resource_type: 's1', filter_id_value: 'internal' },
          { resource_type: 'sub1', filter_id_value: ' internal' },
          { resource_type: 'offer', filter_id_value: '518' },
        ],
      },
    });
    assert.deepEqual(
      p.map((x) => x.field),
      ['filters[1]', 'filters[3]'],
    );
    assert.match(p[0].message, /repeats filter 1/);
  });

  it('flags a value that is both filtered and excluded', () => {
    const p = problems({
      query: { filters: [{ resource_type: 'country', filter_id_value: 'Canada' }], exclusions: [{ resource_type: 'country', filter_id_value: 'Canada' }] },
    });
    assert.equal(p.length, 1);
    assert.match(p[0].message, /both a filter .* and an exclusion/);
  });

  it('rejects malformed query parts', () => {
    assert.deepEqual(fields({ query: { filters: 'offer' as never } }), ['query.filters']);
    assert.deepEqual(fields({ query: { filters: [null as never] } }), ['filters[0]']);
    assert.deepEqual(fields({ query: { filters: [{ resource_type: 'offer', filter_id_value: 883 as never }] } }), []);
  });

  it('reports every problem at once', () => {
    const p = problems({
      from: '2026-02-30 00:00:00',
      to: '2026-03-01 24:00:00',
      timezone_id: 0,
      query: {
        filters: [
          { resource_type: 'ofer', filter_id_value: '1' },
          { resource_type: 'offer', filter_id_value: '' },
        ],
        exclusions: [{ resource_type: 'sub9', filter_id_value: 'x' }],
      },
    });
    assert.deepEqual(
      p.map((x) => x.field),
      ['from', 'to', 'timezone_id', 'filters[0].resource_type', 'filters[1].filter_id_value', 'exclusions[0].resource_type'],
    );
    for (const x of p) assert.ok(x.message.length > 10, x.message);
  });
});

describe('normalizeRequest', () => {
  it('maps sub1 to s1, trims values and drops empty query parts', () => {
    const out = normalizeRequest({
      from: ' 2026-03-01 00:00:00 ',
      to: '2026-03-01 23:59:59',
      timezone_id: 67,
      query: {
        filters: [
          { resource_type: 'sub1', filter_id_value: ' internal ' },
          { resource_type: 'Offer', filter_id_value: '883' },
        ],
        exclusions: [],
      },
    });
    assert.deepEqual(out, {
      from: '2026-03-01 00:00:00',
      to: '2026-03-01 23:59:59',
      timezone_id: 67,
      query: {
        filters: [
          { resource_type: 's1', filter_id_value: 'internal' },
          { resource_type: 'offer', filter_id_value: '883' },
        ],
      },
    });
  });

  it('drops the query entirely when both lists are empty, and stringifies numeric ids', () => {
    assert.deepEqual(normalizeRequest({ ...base, query: { filters: [], exclusions: [] } }), base);
    const out = normalizeRequest({ ...base, query: { exclusions: [{ resource_type: 'offer', filter_id_value: 5 as never }] } });
    assert.deepEqual(out.query, { exclusions: [{ resource_type: 'offer', filter_id_value: '5' }] });
  });

  it('does not mutate its input', () => {
    const req: StreamRequest = { ...base, query: { filters: [{ resource_type: 'sub3', filter_id_value: ' a ' }] } };
    const copy = structuredClone(req);
    normalizeRequest(req);
    assert.deepEqual(req, copy);
  });
});
