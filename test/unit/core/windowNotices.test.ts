import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkNotice, planWindow, retentionStart, retentionWarning, windowNotes } from '../../../src/core/windowNotices';

// Notices before a stream runs: windows over 14 days run as chunks; old windows lose unconverted clicks.

const NOW = Date.UTC(2026, 5, 1, 12); // 2026-06-01 12:00 UTC

describe('planWindow / chunkNotice', () => {
  it('a window within 14 days runs as itself, without a notice', () => {
    const plan = planWindow({ from: '2026-05-01 00:00:00', to: '2026-05-14 23:59:59' }, 'UTC');
    assert.equal(plan.chunks.length, 1);
    assert.equal(plan.seconds, 14 * 86_400);
    assert.equal(chunkNotice(plan), undefined);
  });
  it('a 20-day window runs as two chunks of at most 14 days, and says so', () => {
    const plan = planWindow({ from: '2026-05-01 00:00:00', to: '2026-05-20 23:59:59' }, 'America/New_York');
    assert.deepEqual(
      plan.chunks.map((c) => [c.from, c.to]),
      [
        ['2026-05-01 00:00:00', '2026-05-14 23:59:59'],
        ['2026-05-15 00:00:00', '2026-05-20 23:59:59'],
      ],
    );
    assert.match(chunkNotice(plan)!, /20 days long.*at most 14 days per request.*2 requests/);
  });
});

describe('retentionWarning', () => {
  it('warns when the window starts before the 90-day raw-data retention, naming the date in the zone', () => {
    const warning = retentionWarning({ from: '2026-02-01 00:00:00', to: '2026-02-10 00:00:00' }, 'UTC', NOW);
    assert.match(warning!, /3-month raw-click retention/);
    assert.match(warning!, /before 2026-03-03 \(UTC\) only clicks that converted are kept/);
  });
  it('is quiet for a recent window and for an unreadable one', () => {
    assert.equal(retentionWarning({ from: '2026-05-25 00:00:00', to: '2026-05-26 00:00:00' }, 'UTC', NOW), undefined);
    assert.equal(retentionWarning({ from: 'yesterday', to: 'today' }, 'UTC', NOW), undefined);
  });
  it('retention starts 90 days before now', () => {
    assert.equal(retentionStart(NOW), NOW / 1000 - 90 * 86_400);
  });
});

describe('windowNotes', () => {
  it('says nothing about a recent window within 14 days', () => {
    assert.deepEqual(windowNotes({ from: '2026-05-20 00:00:00', to: '2026-05-21 00:00:00' }, 'UTC', NOW), []);
  });
  it('names the number of requests of a long window, and the retention of an old one', () => {
    const notes = windowNotes({ from: '2026-01-01 00:00:00', to: '2026-01-31 23:59:59' }, 'Europe/Berlin', NOW);
    assert.equal(notes.length, 2);
    assert.match(notes[0], /31 days long; .* runs as 3 requests of at most 14 days each/);
    assert.match(notes[1], /3-month raw-click retention: before 2026-03-03 \(Europe\/Berlin\)/);
  });
  it('is empty for a window it cannot read (the validation names the problem)', () => {
    assert.deepEqual(windowNotes({ from: 'yesterday', to: '2026-05-21 00:00:00' }, 'UTC', NOW), []);
    assert.deepEqual(windowNotes({ from: '2026-05-20 00:00:00', to: '2026-05-21 00:00:00' }, 'Not/AZone', NOW), []);
  });
});
