import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributionDays, attributionWindow, bucketFor } from '../../../src/core/conversions/clickWindow';
import { ConversionCache } from '../../../src/core/conversions/conversionCache';
import type { ConversionRequest, ConversionResult } from '../../../src/core/conversions/types';

// The hover's conversion look-ups: one request per offer and UTC day, reused by every click in it,
// refetched when an open window has moved on past the cached one.

const DAY = 86_400;
const NOW = Date.UTC(2026, 3, 30, 12); // 2026-04-30 12:00 UTC
const day = Date.UTC(2026, 2, 14) / 1000; // 2026-03-14 00:00 UTC

function result(): ConversionResult {
  return { rows: [], totalCount: 0, pages: 1, partial: false, durationMs: 1 };
}

describe('conversion buckets', () => {
  it('one bucket per offer and UTC day: the whole day plus the window, filtered by the offer', () => {
    const a = bucketFor(day + 60, 883, 30, NOW);
    const b = bucketFor(day + DAY - 1, 883, 30, NOW);
    assert.equal(a.key, b.key);
    assert.notEqual(a.key, bucketFor(day + DAY, 883, 30, NOW).key);
    assert.notEqual(a.key, bucketFor(day + 60, 518, 30, NOW).key);
    assert.deepEqual(a.request, {
      from: '2026-03-14 00:00:00',
      to: '2026-04-13 23:59:59', // the day's last click + 30 days,
      timezone_id: 67,
      show_conversions: true,
      show_events: true,
      query: { filters: [{ resource_type: 'offer', filter_id_value: '883' }] },
    });
    assert.equal(a.window.open, false);
  });

  it('caps the window at now, and asks without a filter when the offer is unknown', () => {
    const recent = bucketFor(NOW / 1000 - 3600, 0, 30, NOW);
    assert.equal(recent.request.to, '2026-04-30 12:00:00');
    assert.equal(recent.request.from, '2026-04-30 00:00:00');
    assert.equal(recent.window.open, true);
    assert.equal(recent.request.query, undefined);
  });

  it('stays within the 365 days the report reaches', () => {
    const old = bucketFor(NOW / 1000 - 400 * DAY, 1, 30, NOW);
    assert.ok(old.window.fromS >= NOW / 1000 - 365 * DAY, old.request.from);
    assert.ok(old.window.toS >= old.window.fromS);
  });

  it('reads the attribution setting as whole days within 1…365', () => {
    assert.equal(attributionDays(7), 7);
    assert.equal(attributionDays(7.9), 7);
    assert.equal(attributionDays(0), 30);
    assert.equal(attributionDays('x'), 30);
    assert.equal(attributionDays(1000), 365);
  });
});

describe('conversion cache', () => {
  it('many clicks of one offer and day: one fetch, shared while it runs and reused after', async () => {
    let clock = NOW;
    const cache = new ConversionCache({ max: 10, ttlMs: 60_000, openTtlMs: 10_000, now: () => clock });
    const sent: ConversionRequest[] = [];
    let release!: () => void;
    const fetch = (req: ConversionRequest): Promise<ConversionResult> => {
      sent.push(req);
      return new Promise((resolve) => (release = () => resolve(result())));
    };
    const clicks = [day + 10, day + 5000, day + 80_000];
    const need = (t: number) => attributionWindow(t, 30, clock);
    const waits = clicks.map((t) => cache.get(bucketFor(t, 883, 30, clock), need(t), fetch));
    assert.equal(cache.peek(bucketFor(day, 883, 30, clock), need(day)).state, 'pending');
    release();
    await Promise.all(waits);
    assert.equal(sent.length, 1);
    assert.equal(cache.peek(bucketFor(day + 7, 883, 30, clock), need(day + 7)).state, 'hit');
    // Past the TTL it is asked again.
    clock += 61_000;
    assert.equal(cache.peek(bucketFor(day + 7, 883, 30, clock), need(day + 7)).state, 'miss');
  });

  it('an open window: a click made after the cached fetch ended needs a new one', async () => {
    let clock = NOW;
    const cache = new ConversionCache({ max: 10, ttlMs: 60_000, openTtlMs: 600_000, now: () => clock });
    let fetches = 0;
    const fetch = async (): Promise<ConversionResult> => (fetches++, result());
    const t1 = NOW / 1000 - 600;
    await cache.get(bucketFor(t1, 5, 30, clock), attributionWindow(t1, 30, clock), fetch);
    clock += 120_000;
    const t2 = clock / 1000 - 30;
    assert.equal(cache.peek(bucketFor(t2, 5, 30, clock), attributionWindow(t2, 30, clock)).state, 'miss');
    await cache.get(bucketFor(t2, 5, 30, clock), attributionWindow(t2, 30, clock), fetch);
    assert.equal(fetches, 2);
  });

  it('keeps no failure and no partial answer; clear() forgets; the oldest bucket goes first', async () => {
    const cache = new ConversionCache({ max: 2, ttlMs: 60_000, openTtlMs: 60_000, now: () => NOW });
    const b = (d: number) => bucketFor(day + d * DAY, 1, 30, NOW);
    const w = (d: number) => attributionWindow(day + d * DAY, 30, NOW);
    await assert.rejects(cache.get(b(0), w(0), () => Promise.reject(new Error('403'))));
    assert.equal(cache.peek(b(0), w(0)).state, 'miss');
    await cache.get(b(0), w(0), async () => ({ ...result(), partial: true }));
    assert.equal(cache.peek(b(0), w(0)).state, 'miss');
    for (const d of [0, 1, 2]) await cache.get(b(d), w(d), async () => result());
    assert.equal(cache.size, 2);
    assert.equal(cache.peek(b(0), w(0)).state, 'miss');
    assert.equal(cache.peek(b(2), w(2)).state, 'hit');
    cache.clear();
    assert.equal(cache.peek(b(2), w(2)).state, 'miss');
  });
});

describe('an open bucket', () => {
  it('answers for clicks made before it was fetched, while its short TTL lasts', async () => {
    let clock = NOW;
    const cache = new ConversionCache({ max: 10, ttlMs: 60_000, openTtlMs: 300_000, now: () => clock });
    let fetches = 0;
    const fetch = async (): Promise<ConversionResult> => (fetches++, result());
    const t = NOW / 1000 - 3600;
    await cache.get(bucketFor(t, 5, 30, clock), attributionWindow(t, 30, clock), fetch);
    clock += 60_000;
    assert.equal(cache.peek(bucketFor(t, 5, 30, clock), attributionWindow(t, 30, clock)).state, 'hit');
    clock += 300_000;
    assert.equal(cache.peek(bucketFor(t, 5, 30, clock), attributionWindow(t, 30, clock)).state, 'miss');
    assert.equal(fetches, 1);
  });
});
