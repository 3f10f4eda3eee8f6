import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration } from '../../../src/core/conversions/duration';
import { clickKeysOf, joinConversions, summarizeStatuses, type ClickKeys } from '../../../src/core/conversions/join';
import { instantOf, parseEverflowDate } from '../../../src/core/wallClock';
import { conversion } from './conversionFixtures';
import { click } from './gridFixtures';

// The join of a result's clicks with Everflow's conversion report (issue #15).

const keys = (ids: string[], times: number[]): ClickKeys => ({ transactionIds: ids, clickTimes: times });
const T0 = 1_700_000_000;
const at = (wall: string, zone: string): number => instantOf(parseEverflowDate(wall)!, zone) / 1000;

describe('joinConversions', () => {
  it('sums base conversions, events, revenue and sale amount per click, in result order', () => {
    const j = joinConversions(keys(['a', 'b', 'c'], [T0, T0, T0]), [
      conversion({ transaction_id: 'b', revenue: 2.5, sale_amount: 40, conversion_unix_timestamp: T0 + 7200 }),
      conversion({ transaction_id: 'b', revenue: 1, sale_amount: 10, conversion_unix_timestamp: T0 + 3600 }),
      conversion({ transaction_id: 'b', is_event: true, event: 'purchase', revenue: 0.5, conversion_unix_timestamp: T0 + 60 }),
      conversion({ transaction_id: 'c', revenue: 3 }),
    ]);
    assert.deepEqual([...j.conversions], [0, 2, 1]);
    assert.deepEqual([...j.events], [0, 1, 0]);
    assert.deepEqual([...j.revenue], [0, 4, 3]);
    assert.deepEqual([...j.saleAmount], [0, 50, 0]);
    assert.deepEqual(j.currency, ['', 'USD', 'USD']);
    // The first BASE conversion: the event at +60 s does not count as converting.
    assert.equal(j.firstConversion[1], T0 + 3600);
    assert.equal(j.timeToConvert[1], 3600);
    assert.ok(Number.isNaN(j.firstConversion[0]) && Number.isNaN(j.timeToConvert[0]));
    assert.equal(j.convertedClicks, 2);
    assert.equal(j.matched, 4);
    assert.equal(j.unmatched.length, 0);
    assert.deepEqual({ ...j.revenueByCurrency }, { USD: 7 });
  });

  it('counts a conversion sent twice across pages (same conversion_id) once', () => {
    const dup = conversion({ transaction_id: 'a', revenue: 5, conversion_id: 'same' });
    const j = joinConversions(keys(['a'], [T0]), [dup, { ...dup }, conversion({ transaction_id: 'a', revenue: 1 }), { ...dup, transaction_id: 'zz' }]);
    assert.equal(j.conversions[0], 2);
    assert.equal(j.revenue[0], 6);
    assert.equal(j.duplicates, 2);
    assert.equal(j.matched, 2);
    assert.equal(j.unmatched.length, 0, 'a duplicate is neither joined twice nor reported as unmatched');
  });

  it('counts an event whose base conversion is not in the result, with no time to convert', () => {
    const j = joinConversions(keys(['a'], [T0]), [conversion({ transaction_id: 'a', is_event: true, event: 'upsell', revenue: 2 })]);
    assert.equal(j.events[0], 1);
    assert.equal(j.conversions[0], 0);
    assert.equal(j.revenue[0], 2);
    assert.equal(j.convertedClicks, 1);
    assert.ok(Number.isNaN(j.timeToConvert[0]));
  });

  it('keeps conversions whose click is not in the result, and those without a transaction ID', () => {
    const lost = conversion({ transaction_id: 'elsewhere', sub1: '<img src=x onerror=alert(1)>' });
    const none = conversion({ transaction_id: '' });
    const j = joinConversions(keys(['a'], [T0]), [conversion({ transaction_id: 'a' }), lost, none]);
    assert.deepEqual(j.unmatched, [lost, none]);
    assert.equal(j.unmatched[0].sub1, '<img src=x onerror=alert(1)>');
  });

  it('gives the conversions to the first of two clicks sharing a transaction ID, never to both', () => {
    const j = joinConversions(keys(['a', 'a'], [T0, T0 + 5]), [conversion({ transaction_id: 'a', revenue: 4 })]);
    assert.deepEqual([...j.conversions], [1, 0]);
    assert.equal(j.convertedClicks, 1);
  });

  it('keeps amounts apart per currency when one click converted in several', () => {
    const j = joinConversions(keys(['a', 'b'], [T0, T0]), [
      conversion({ transaction_id: 'a', revenue: 10, sale_amount: 100, currency_id: 'USD' }),
      conversion({ transaction_id: 'a', revenue: 5, sale_amount: 50, currency_id: 'EUR' }),
      conversion({ transaction_id: 'a', revenue: 1, currency_id: 'EUR' }),
      conversion({ transaction_id: 'b', revenue: 2, currency_id: 'EUR' }),
    ]);
    assert.equal(j.currency[0], '');
    assert.deepEqual({ ...j.mixedRevenue.get(0) }, { USD: 10, EUR: 6 });
    assert.deepEqual({ ...j.mixedSaleAmount.get(0) }, { USD: 100, EUR: 50 });
    assert.equal(j.currency[1], 'EUR');
    assert.equal(j.mixedRevenue.has(1), false);
    assert.deepEqual({ ...j.revenueByCurrency }, { USD: 10, EUR: 8 });
  });

  it('summarises statuses, the most relevant first', () => {
    const j = joinConversions(keys(['a', 'b'], [T0, T0]), [
      conversion({ transaction_id: 'a', status: 'rejected' }),
      conversion({ transaction_id: 'a', status: 'Approved' }),
      conversion({ transaction_id: 'a', status: 'approved' }),
      conversion({ transaction_id: 'b' }),
    ]);
    assert.equal(j.status[0], 'approved ×2, rejected');
    assert.equal(j.status[1], '', 'no status when Everflow sent none');
    assert.equal(summarizeStatuses(['pending', 'invalid', 'custom', 'pending']), 'pending ×2, invalid, custom');
  });

  it('measures time to convert in real seconds across a daylight-saving change, whatever the zone', () => {
    const zone = 'America/New_York';
    // 2026-03-08 01:30 EST → 03:30 EDT the same night is one hour, not two.
    const click = at('2026-03-08 01:30:00', zone);
    const conv = at('2026-03-08 03:30:00', zone);
    const j = joinConversions(keys(['a'], [click]), [conversion({ transaction_id: 'a', conversion_unix_timestamp: conv })]);
    assert.equal(j.timeToConvert[0], 3600);
    // The same instants read in another zone give the same span.
    const tokyoClick = at('2026-03-08 15:30:00', 'Asia/Tokyo');
    assert.equal(tokyoClick, click);
    // Autumn: 2026-11-01 00:30 EDT → 01:30 EST is two hours.
    const c2 = at('2026-11-01 00:30:00', zone);
    const v2 = at('2026-11-01 01:30:00', zone) + 3600; // the second 01:30
    const j2 = joinConversions(keys(['a'], [c2]), [conversion({ transaction_id: 'a', conversion_unix_timestamp: v2 })]);
    assert.equal(formatDuration(j2.timeToConvert[0]), '2 h');
  });

  it('joins parsed clicks through clickKeysOf', () => {
    const rows = [click({ transaction_id: 'x1', unix_timestamp: T0 }), click({ transaction_id: 'x2', unix_timestamp: T0 })];
    const j = joinConversions(clickKeysOf(rows), [conversion({ transaction_id: 'x2', conversion_unix_timestamp: T0 + 11_520 })]);
    assert.deepEqual([...j.conversions], [0, 1]);
    assert.equal(formatDuration(j.timeToConvert[1]), '3 h 12 min');
  });
});

describe('formatDuration', () => {
  it('shows two units at most', () => {
    assert.equal(formatDuration(0), '0 s');
    assert.equal(formatDuration(45), '45 s');
    assert.equal(formatDuration(720), '12 min');
    assert.equal(formatDuration(3 * 3600 + 12 * 60 + 9), '3 h 12 min');
    assert.equal(formatDuration(2 * 86_400 + 4 * 3600 + 5), '2 d 4 h');
    assert.equal(formatDuration(2 * 86_400 + 5), '2 d');
    assert.equal(formatDuration(-300), '−5 min');
    assert.equal(formatDuration(NaN), '');
  });
});
