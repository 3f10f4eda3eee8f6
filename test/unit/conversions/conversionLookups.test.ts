import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConversionLookups, type ConversionFetcher } from '../../../src/conversions/conversionLookups';
import type { ConversionResult } from '../../../src/core/conversions/types';
import { EverflowError } from '../../../src/core/errors';
import { click } from '../core/gridFixtures';

// What the hover does when conversions cannot be read: one message per reason, no further requests
// while blocked (a 403 until the account changes), and a fresh start after clear().

const NOW = Date.UTC(2026, 3, 1);

function setup(fail: () => unknown) {
  let clock = NOW;
  const told: string[] = [];
  let calls = 0;
  const fetcher: ConversionFetcher = async () => {
    calls++;
    const e = fail();
    if (e) throw e;
    return { rows: [], totalCount: 0, pages: 1, partial: false, durationMs: 1 } satisfies ConversionResult;
  };
  const lookups = new ConversionLookups({ fetcher, days: () => 30, notify: (m) => told.push(m), log: () => undefined, now: () => clock });
  return { lookups, told, calls: () => calls, tick: (ms: number) => (clock += ms) };
}

const clicks = [0, 1, 2].map((d) => click({ unix_timestamp: NOW / 1000 - (d + 2) * 86_400, offer: { network_offer_id: 10 + d } }));

describe('conversion look-ups that fail', () => {
  it('403: one message, then no request until the account changes', async () => {
    const t = setup(() => new EverflowError('forbidden', 'Forbidden', { status: 403 }));
    await assert.rejects(t.lookups.forClick(clicks[0]!));
    for (const c of clicks) {
      assert.equal(t.lookups.peek(c).state, 'unreadable');
      await assert.rejects(t.lookups.forClick(c));
    }
    t.tick(24 * 3600_000);
    assert.equal(t.lookups.peek(clicks[1]!).state, 'unreadable');
    assert.equal(t.calls(), 1);
    assert.equal(t.told.length, 1);
    assert.match(t.told[0]!, /403/);
    t.lookups.clear();
    assert.equal(t.lookups.peek(clicks[1]!).state, 'miss');
  });

  it('400 or a failure after retries: one message per reason, asked again after 5 minutes', async () => {
    let error: unknown = new EverflowError('badRequest', 'bad window', { status: 400 });
    const t = setup(() => error);
    await assert.rejects(t.lookups.forClick(clicks[0]!));
    await assert.rejects(t.lookups.forClick(clicks[1]!));
    assert.equal(t.calls(), 1);
    t.tick(5 * 60_000 + 1);
    await assert.rejects(t.lookups.forClick(clicks[1]!));
    assert.equal(t.calls(), 2);
    assert.equal(t.told.length, 1, 'the same reason told twice');
    error = new EverflowError('server', 'Everflow had a server error (502).');
    t.tick(5 * 60_000 + 1);
    await assert.rejects(t.lookups.forClick(clicks[2]!));
    assert.equal(t.told.length, 2);
    error = undefined;
    t.tick(5 * 60_000 + 1);
    const found = await t.lookups.forClick(clicks[2]!);
    assert.deepEqual(found.conversions, []);
  });

  it('a cancelled wait is no failure: nothing told, nothing blocked', async () => {
    const t = setup(() => new EverflowError('cancelled', 'The request was cancelled.'));
    await assert.rejects(t.lookups.forClick(clicks[0]!));
    assert.equal(t.told.length, 0);
    assert.equal(t.lookups.peek(clicks[0]!).state, 'miss');
  });
});

describe('conversion look-ups with a page limit (the chat trace)', () => {
  function limited(capped: boolean) {
    const asked: (number | undefined)[] = [];
    const fetcher: ConversionFetcher = async (_request, opts) => {
      asked.push(opts.maxPages);
      return { rows: [], totalCount: capped ? 9000 : 0, pages: opts.maxPages ?? 1, partial: false, ...(capped ? { capped } : {}), durationMs: 1 };
    };
    const lookups = new ConversionLookups({ fetcher, days: () => 30, notify: () => undefined, log: () => undefined, now: () => NOW });
    return { lookups, asked };
  }

  it('passes the limit to the fetch; a capped answer is not cached, so a hover later reads the whole report', async () => {
    const t = limited(true);
    const found = await t.lookups.forClick(clicks[0]!, { maxPages: 4 });
    assert.equal(found.result.capped, true);
    assert.equal(t.lookups.peek(clicks[0]!).state, 'miss');
    await t.lookups.forClick(clicks[0]!);
    assert.deepEqual(t.asked, [4, undefined]);
    assert.equal(t.lookups.fetches, 2);
  });

  it('an answer within the limit is whole: cached for hovers and the next trace', async () => {
    const t = limited(false);
    await t.lookups.forClick(clicks[1]!, { maxPages: 4 });
    assert.equal(t.lookups.peek(clicks[1]!).state, 'ready');
    await t.lookups.forClick(clicks[1]!, { maxPages: 4 });
    assert.deepEqual(t.asked, [4]);
    assert.equal(t.lookups.fetches, 1);
  });
});
