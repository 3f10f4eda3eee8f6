import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolvePreset, WINDOW_PRESETS } from '../../../src/core/timeWindow';
import { instantOf, MAX_WINDOW_SECONDS, parseEverflowDate, wallTimeAt } from '../../../src/core/wallClock';

const MAX_WINDOW_MS = MAX_WINDOW_SECONDS * 1000;

const at = (iso: string) => Date.parse(iso);

function spanMs(from: string, to: string, zone: string): number {
  const parse = (s: string) => {
    const p = parseEverflowDate(s);
    assert.ok(p, `unparseable ${s}`);
    return instantOf({ y: p.y, mo: p.mo, d: p.d, h: p.h, mi: p.mi, s: p.s }, zone);
  };
  return parse(to) - parse(from);
}

test('wall time follows the zone, including its daylight-saving offset', () => {
  // 2026-07-01 12:00 UTC is 08:00 in New York (EDT, -4) and 21:00 in Tokyo.
  assert.deepEqual(wallTimeAt(at('2026-07-01T12:00:00Z'), 'America/New_York'), { y: 2026, mo: 7, d: 1, h: 8, mi: 0, s: 0 });
  assert.deepEqual(wallTimeAt(at('2026-01-01T12:00:00Z'), 'America/New_York'), { y: 2026, mo: 1, d: 1, h: 7, mi: 0, s: 0 });
  assert.deepEqual(wallTimeAt(at('2026-07-01T12:00:00Z'), 'Asia/Tokyo'), { y: 2026, mo: 7, d: 1, h: 21, mi: 0, s: 0 });
});

test('instantOf inverts wallTimeAt, and takes the earlier instant of a repeated hour', () => {
  for (const iso of ['2026-03-08T06:59:59Z', '2026-03-08T07:00:00Z', '2026-07-04T00:00:00Z', '2026-11-01T05:59:59Z']) {
    const ms = at(iso);
    assert.equal(instantOf(wallTimeAt(ms, 'America/New_York'), 'America/New_York'), ms, iso);
  }
  // 01:30 happens twice in New York on 2026-11-01 (EDT then EST): the first is 05:30 UTC.
  assert.equal(instantOf({ y: 2026, mo: 11, d: 1, h: 1, mi: 30, s: 0 }, 'America/New_York'), at('2026-11-01T05:30:00Z'));
});

test('duration presets are measured in real time, across a spring-forward change', () => {
  // 2026-03-08 12:00 New York (EDT) is 16:00 UTC; 24 hours earlier the clocks said 11:00 EST.
  const w = resolvePreset('last24Hours', 'America/New_York', at('2026-03-08T16:00:00Z'));
  assert.deepEqual(w, { from: '2026-03-07 11:00:00', to: '2026-03-08 12:00:00' });
  assert.equal(spanMs(w.from, w.to, 'America/New_York'), 86_400_000);
});

test('calendar presets cover whole days in the zone, even a 25-hour day', () => {
  const now = at('2026-11-02T15:00:00Z'); // Monday 10:00 in New York, the day after fall-back
  assert.deepEqual(resolvePreset('yesterday', 'America/New_York', now), { from: '2026-11-01 00:00:00', to: '2026-11-01 23:59:59' });
  assert.equal(spanMs('2026-11-01 00:00:00', '2026-11-01 23:59:59', 'America/New_York'), 25 * 3_600_000 - 1000);
  assert.deepEqual(resolvePreset('today', 'America/New_York', now), { from: '2026-11-02 00:00:00', to: '2026-11-02 23:59:59' });
});

test('weeks start on Monday in the zone, whatever the UTC date', () => {
  // Sunday 2026-11-22 23:30 in Los Angeles is already Monday in UTC.
  const now = at('2026-11-23T07:30:00Z');
  assert.deepEqual(resolvePreset('thisWeek', 'America/Los_Angeles', now), { from: '2026-11-16 00:00:00', to: '2026-11-22 23:59:59' });
  assert.deepEqual(resolvePreset('lastWeek', 'America/Los_Angeles', now), { from: '2026-11-09 00:00:00', to: '2026-11-15 23:59:59' });
  assert.deepEqual(resolvePreset('thisWeek', 'UTC', now), { from: '2026-11-23 00:00:00', to: '2026-11-23 23:59:59' });
});

test('last 14 days stays within the limit in wall-clock and in real time, across a change', () => {
  for (const [iso, zone] of [
    ['2026-11-10T12:00:00Z', 'America/New_York'], // spans fall-back
    ['2026-03-15T12:00:00Z', 'America/New_York'], // spans spring-forward
    ['2026-06-15T12:00:00Z', 'UTC'],
    ['2026-04-10T00:00:00Z', 'Europe/London'],
  ] as const) {
    const w = resolvePreset('last14Days', zone, at(iso));
    const real = spanMs(w.from, w.to, zone);
    assert.ok(real <= MAX_WINDOW_MS, `${zone} ${iso}: ${real} ms real`);
    assert.ok(real >= MAX_WINDOW_MS - 3_600_000, `${zone} ${iso}: window needlessly short (${real} ms)`);
    const wall = Date.parse(w.to.replace(' ', 'T') + 'Z') - Date.parse(w.from.replace(' ', 'T') + 'Z');
    assert.ok(wall <= MAX_WINDOW_MS, `${zone} ${iso}: ${wall} ms on the wall clock`);
  }
});

test('every preset resolves to a valid, ordered window in several zones', () => {
  const now = at('2026-11-24T09:15:00Z');
  for (const zone of ['UTC', 'America/New_York', 'Asia/Tokyo', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kolkata']) {
    for (const p of WINDOW_PRESETS) {
      const w = resolvePreset(p, zone, now);
      assert.ok(parseEverflowDate(w.from) && parseEverflowDate(w.to), `${p} ${zone}`);
      assert.ok(w.from <= w.to, `${p} ${zone}: ${w.from} > ${w.to}`);
    }
  }
});
