import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributionWindow, conversionsOfClick } from '../../../src/core/conversions/clickWindow';
import { conversionLine } from '../../../src/core/conversions/conversionLine';
import { traceTimeline } from '../../../src/core/conversions/trace';
import type { Conversion } from '../../../src/core/conversions/types';
import { traceVerdict } from '../../../src/core/conversions/verdict';
import { click } from './gridFixtures';

// The trace's verdict for each case the issue names, the hover's one line, and the timeline order.

const HOUR = 3600;
const DAY = 86_400;
const NOW = Date.UTC(2026, 3, 30) ; // 2026-04-30

let seq = 0;
function conv(p: Partial<Conversion>): Conversion {
  return {
    conversion_id: `v${++seq}`, transaction_id: '', conversion_unix_timestamp: 0, click_unix_timestamp: 0, revenue: 0, sale_amount: 0,
    currency_id: 'USD', event: '', is_event: false, status: '', revenue_type: 'CPA', source_id: '', sub1: '', sub2: '', sub3: '', sub4: '', sub5: '',
    order_id: '', coupon_code: '', country: '', platform: '', device_type: '', offer_id: 7, offer_name: '', other: {}, ...p,
  };
}

const c = click({ unix_timestamp: 1_773_446_400 }); // 2026-03-14 00:00 UTC
const t0 = c.unix_timestamp;
const id = c.transaction_id;
const closed = attributionWindow(t0, 30, NOW);

describe('trace verdict', () => {
  it('converted: when and how much, events counted', () => {
    const rows = [conv({ transaction_id: id, conversion_unix_timestamp: t0 + 3 * HOUR, revenue: 12.5 }), conv({ transaction_id: id, conversion_unix_timestamp: t0 + 2 * DAY, is_event: true, event: 'purchase', revenue: 2 })];
    const v = traceVerdict({ click: c, conversions: rows, window: closed, attributionDays: 30 });
    assert.equal(v.kind, 'converted');
    assert.equal(v.headline, 'Converted 3 h after the click: $14.50.');
    assert.deepEqual(v.details, ['1 conversion and 1 event.']);
  });

  it('converted: revenue per currency, and the statuses Everflow gave', () => {
    const rows = [conv({ transaction_id: id, conversion_unix_timestamp: t0 + 60, revenue: 1, status: 'pending' }), conv({ transaction_id: id, conversion_unix_timestamp: t0 + 120, revenue: 3, currency_id: 'EUR', status: 'approved' })];
    const v = traceVerdict({ click: c, conversions: rows, window: closed, attributionDays: 30 });
    assert.equal(v.headline, 'Converted 1 min after the click: $1.00 + €3.00.');
    assert.ok(v.details.includes('Status as Everflow gives it: pending, approved.'));
  });

  it('rejected: the error code in words', () => {
    const rejected = click({ unix_timestamp: t0, error_code: 101, error_message: 'N/A' });
    const v = traceVerdict({ click: rejected, conversions: [], window: closed, attributionDays: 30 });
    assert.equal(v.kind, 'rejected');
    assert.equal(v.headline, 'Click rejected: 101 · Sub1 value filtered.');
    assert.match(v.details.join(' '), /No conversion carries its ID within 30 days of the click/);
  });

  it('not converted within the window, and "not yet" while the window is open', () => {
    assert.deepEqual(traceVerdict({ click: c, conversions: [], window: closed, attributionDays: 30 }), {
      kind: 'notConverted',
      headline: 'Not converted within 30 days of the click.',
      details: ['No conversion or event carries its ID within 30 days of the click.'],
    });
    const open = attributionWindow(t0, 30, (t0 + 5 * HOUR) * 1000);
    const v = traceVerdict({ click: c, conversions: [], window: open, attributionDays: 30 });
    assert.equal(v.kind, 'notConverted');
    assert.equal(v.headline, 'Not converted yet, 5 h after the click.');
    assert.match(v.details[0]!, /still open/);
  });

  it('click not found: says the two reasons and offers the year search', () => {
    const v = traceVerdict({ attributionDays: 30 });
    assert.equal(v.kind, 'notFound');
    assert.equal(v.headline, 'Click not found.');
    assert.match(v.details.join(' '), /3-month raw-data retention/);
    assert.match(v.details.join(' '), /prior 365 days/);
  });

  it('past retention: no click, and no conversion in the year searched, with the request count', () => {
    const v = traceVerdict({ conversions: [], yearSearch: { requests: 3 }, attributionDays: 30 });
    assert.equal(v.kind, 'pastRetention');
    assert.match(v.details.join(' '), /searched in 3 requests/);
  });

  it('past retention but converted: the conversions answer', () => {
    const rows = [conv({ transaction_id: id, click_unix_timestamp: t0, conversion_unix_timestamp: t0 + 2 * DAY, revenue: 4 })];
    const v = traceVerdict({ conversions: rows, yearSearch: { requests: 1 }, attributionDays: 30 });
    assert.equal(v.kind, 'converted');
    assert.equal(v.headline, 'Converted 2 d after the click: $4.00.');
    assert.match(v.details.join(' '), /past Everflow's 3-month raw-data retention/);
  });

  it('unknown when the conversions could not be read; a rejected click is still rejected', () => {
    assert.equal(traceVerdict({ click: c, conversionsError: 'Everflow refused (403).', attributionDays: 30 }).kind, 'unknown');
    const rejected = click({ error_code: 9 });
    assert.equal(traceVerdict({ click: rejected, conversionsError: 'x', attributionDays: 30 }).kind, 'rejected');
  });

  it('a report cut short by a page limit: "not converted" becomes "not known"; a conversion found still counts, with a warning', () => {
    const incomplete = { read: 8000, total: 12_345 };
    const none = traceVerdict({ click: c, conversions: [], window: closed, attributionDays: 30, incomplete });
    assert.equal(none.kind, 'unknown');
    assert.match(none.headline, /^Not known whether the click converted: only part/);
    assert.match(none.details[0]!, /first 8,000 of 12,345/);
    const found = traceVerdict({ click: c, conversions: [conv({ transaction_id: id, conversion_unix_timestamp: t0 + 60, revenue: 1 })], window: closed, attributionDays: 30, incomplete });
    assert.equal(found.kind, 'converted');
    assert.match(found.details.at(-1)!, /Only the first 8,000 of 12,345 .* may be missing/);
  });
});

describe('the hover line', () => {
  it('reads like the issue: base with amount and delay, event with its name', () => {
    const rows = [conv({ transaction_id: id, conversion_unix_timestamp: t0 + 3 * HOUR, revenue: 12.5 }), conv({ transaction_id: id, conversion_unix_timestamp: t0 + 2 * DAY, is_event: true, event: 'purchase' })];
    assert.equal(conversionLine(rows, t0, 30, closed), "Converted: 2 (base $12.50, 3 h after the click; event 'purchase' 2 d after)");
  });

  it('says no conversion, or not yet', () => {
    assert.equal(conversionLine([], t0, 30, closed), 'No conversion within 30 days of the click');
    assert.equal(conversionLine([], t0, 1, closed), 'No conversion within 1 day of the click');
    assert.equal(conversionLine([], t0, 30, attributionWindow(t0, 30, (t0 + 90) * 1000)), 'No conversion yet: 1 min since the click, 30-day window still open');
  });

  it('names three and counts the rest; long names are cut', () => {
    const rows = Array.from({ length: 7 }, (_, i) => conv({ transaction_id: id, conversion_unix_timestamp: t0 + i * 60, is_event: i > 0, event: 'x'.repeat(100) }));
    const line = conversionLine(rows, t0, 30, closed);
    assert.match(line, /^Converted: 7 \(/);
    assert.match(line, /\+4 more\)$/);
    assert.ok(line.length < 160, line);
  });
});

describe('a click\'s conversions and timeline', () => {
  it('keeps only its id within the window, oldest first, a conversion before its events', () => {
    const rows = [
      conv({ transaction_id: id.toUpperCase(), conversion_unix_timestamp: t0 + 100, is_event: true, event: 'e' }),
      conv({ transaction_id: id, conversion_unix_timestamp: t0 + 100 }),
      conv({ transaction_id: 'f'.repeat(32), conversion_unix_timestamp: t0 + 50 }),
      conv({ transaction_id: id, conversion_unix_timestamp: t0 + 31 * DAY }),
      conv({ transaction_id: id, conversion_unix_timestamp: t0 - 5 }),
    ];
    const mine = conversionsOfClick(rows, id, closed);
    assert.deepEqual(mine.map((r) => [r.conversion_unix_timestamp - t0, r.is_event]), [[100, false], [100, true]]);
    const timeline = traceTimeline(c, [...mine].reverse());
    assert.deepEqual(timeline.map((e) => e.kind), ['click', 'conversion', 'event']);
    assert.deepEqual(timeline.map((e) => e.after), ['', '+1 min', '+1 min']);
  });
});
