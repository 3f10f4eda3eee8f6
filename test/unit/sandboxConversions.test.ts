// The sandbox's conversion report over raw HTTP: the contract the client is built against (paging
// variants, the 365-day and one-year rules, id and status variants, knobs), the shapes the extension must
// explain (late conversions, events after a base conversion, several conversions), and consistency with
// the clicks the stream serves. The client itself: test/unit/core/conversions.test.ts.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sandbox, startSandbox } from '../sandbox/server';

const NOW = new Date('2026-03-15T12:00:00Z');
const NOW_SEC = NOW.getTime() / 1000;
const REPORT = '/v1/affiliates/reporting/conversions';
const MONTH = { from: '2026-02-13', to: '2026-03-15 23:59:59', timezone_id: 67, show_events: true };

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let sb: Sandbox;

const conversionsOf = (id: string): Row[] => sb.conversionsOf(id) as Row[];

before(async () => {
  sb = await startSandbox({ seed: 42, now: NOW });
});
after(async () => {
  await sb.close();
});
beforeEach(() => {
  sb.resetKnobs();
  sb.requestLog.length = 0;
});

async function report(body: unknown, query = '', key = sb.keys.valid): Promise<{ status: number; body: Row }> {
  const res = await fetch(sb.url + REPORT + query, { method: 'POST', headers: { 'X-Eflow-API-Key': key, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Row };
}

describe('sandbox conversions: paging', () => {
  it('pages with page/page_size in the query string or the body (knob `either`), 50 a page by default, 2000 at most', async () => {
    const total = sb.countConversions(MONTH);
    assert.ok(total > 60, `${total}`);
    const first = await report(MONTH);
    assert.deepEqual(first.body.paging, { page: 1, page_size: 50, total_count: total });
    assert.equal(first.body.conversions.length, 50);
    const q = await report(MONTH, '?page=2&page_size=20');
    const b = await report({ ...MONTH, page: 2, page_size: 20 });
    assert.deepEqual(q.body.conversions, b.body.conversions);
    assert.equal(q.body.conversions[0].conversion_id, first.body.conversions[20].conversion_id);
    assert.equal((await report(MONTH, '?page_size=5000')).body.paging.page_size, 2000);
    assert.equal((await report(MONTH, '?page=0')).status, 400);
  });

  it("knob paging 'query' ignores the body's paging, 'body' the query string's", async () => {
    sb.setKnobs({ conversions: { paging: 'query' } });
    assert.deepEqual((await report({ ...MONTH, page: 2, page_size: 10 })).body.paging.page, 1);
    sb.setKnobs({ conversions: { paging: 'body' } });
    assert.deepEqual((await report(MONTH, '?page=2&page_size=10')).body.paging.page_size, 50);
    assert.deepEqual((await report({ ...MONTH, page: 2, page_size: 10 })).body.paging.page_size, 10);
  });
});

describe('sandbox conversions: windows', () => {
  it('answers 400 for a from older than 365 days, a window over a year, from after to and a bad date', async () => {
    const cases: Array<[Row, RegExp]> = [
      [{ from: '2025-03-01', to: '2025-03-31', timezone_id: 67 }, /past 365 days/],
      [{ from: '2025-03-20', to: '2026-03-21', timezone_id: 67 }, /one year/],
      [{ from: '2026-03-10', to: '2026-03-01', timezone_id: 67 }, /before/],
      [{ from: '2026-03-01T00:00:00Z', to: '2026-03-10', timezone_id: 67 }, /format/],
      [{ from: '2026-03-01', to: '2026-03-10', timezone_id: 9999 }, /timezone/],
    ];
    for (const [body, message] of cases) {
      const r = await report(body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.body.error, message);
    }
    assert.equal((await report({ from: '2025-03-16', to: '2026-03-15 23:59:59', timezone_id: 67 })).status, 200);
  });
});

describe('sandbox conversions: the data', () => {
  it('converts about 1 click in 200, consistent with the clicks served (same id, time, offer, subs)', async () => {
    const day = { from: '2026-03-01 00:00:00', to: '2026-03-01 23:59:59', timezone_id: 67 };
    const clicks = await fetch(sb.url + '/v1/affiliates/reporting/clicks/stream', { method: 'POST', headers: { 'X-Eflow-API-Key': sb.keys.valid }, body: JSON.stringify(day) });
    const rows = ((await clicks.json()) as Row).table as Row[];
    const converted = rows.filter((c) => conversionsOf(c.transaction_id).length > 0);
    assert.ok(converted.length >= 3 && converted.length <= 25, `${converted.length} of ${rows.length}`);
    for (const c of converted) {
      for (const conv of conversionsOf(c.transaction_id)) {
        assert.equal(conv.click_unix_timestamp, c.unix_timestamp);
        assert.equal(conv.sub1, c.sub1);
        assert.equal(conv.relationship.offer.network_offer_id, c.relationship.offer.network_offer_id);
        assert.ok(conv.conversion_unix_timestamp > c.unix_timestamp && conv.conversion_unix_timestamp <= NOW_SEC);
      }
      assert.equal(c.error_code, 0, 'a rejected click never converts');
    }
  });

  it('has every shape: minutes, hours, days and over 30 days after the click, events after a base conversion, several conversions', () => {
    const kinds = { minutes: 5, hours: 5, days: 40, late: 70, events: 20, multiple: 30 } as const;
    for (const [kind, daysAgo] of Object.entries(kinds)) {
      const ids = sb.convertedSampleIds(2, { daysAgo, kind: kind as keyof typeof kinds });
      assert.ok(ids.length > 0, kind);
      const convs = conversionsOf(ids[0]);
      const bases = convs.filter((c) => !c.is_event);
      const delay = (bases[0].conversion_unix_timestamp as number) - (bases[0].click_unix_timestamp as number);
      if (kind === 'minutes') assert.ok(delay < 3600);
      if (kind === 'late') assert.ok(delay > 30 * 86_400);
      if (kind === 'multiple') assert.ok(bases.length >= 2);
      if (kind === 'events') {
        const events = convs.filter((c) => c.is_event);
        assert.ok(events.length > 0 && events.every((e) => e.conversion_unix_timestamp > bases[0].conversion_unix_timestamp && e.event !== ''));
        assert.equal(bases[0].relationship.events_count, events.length + convs.filter((c) => c.is_event && c.conversion_unix_timestamp > NOW_SEC).length);
      }
    }
    const none = sb.convertedSampleIds(3, { kind: 'none' });
    assert.equal(none.length, 3);
    assert.ok(none.every((id) => conversionsOf(id).length === 0));
  });

  it('serves a converted click older than the 90-day retention, with its conversions', async () => {
    const [old] = sb.convertedSampleIds(1, { daysAgo: 120 });
    assert.ok(old);
    const res = await fetch(sb.url + '/v1/affiliates/reporting/clicks/' + old, { headers: { 'X-Eflow-API-Key': sb.keys.valid } });
    assert.equal(res.status, 200);
    assert.ok(conversionsOf(old).length > 0);
  });

  it('id style, status field, hostile text and 403 follow the knobs; one conversion by either id', async () => {
    const id = sb.convertedSampleIds(1, { daysAgo: 3 })[0];
    const [plain] = conversionsOf(id);
    assert.match(plain.conversion_id, /^[0-9a-f]{32}$/);
    assert.ok(!('conversion_status' in plain));
    sb.setKnobs({ conversions: { idStyle: 'network', status: 'present' } });
    const [older] = conversionsOf(id);
    assert.equal(typeof older.network_conversion_id, 'number');
    assert.ok(!('conversion_id' in older));
    assert.match(older.conversion_status, /^(approved|pending|rejected|invalid)$/);
    for (const key of [plain.conversion_id, String(older.network_conversion_id)]) {
      const res = await fetch(`${sb.url}${REPORT}/${key}`, { headers: { 'X-Eflow-API-Key': sb.keys.valid } });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as Row).transaction_id, id);
    }
    sb.setKnobs({ conversions: { forbidden: true } });
    assert.equal((await report(MONTH)).status, 403);
    sb.setKnobs({ conversions: { forbidden: false, failPage: 2 } });
    assert.equal((await report(MONTH, '?page=2')).status, 500);
    assert.equal((await report(MONTH, '?page=2')).status, 500, 'the failing page keeps failing');
    assert.equal((await report(MONTH, '?page=1')).status, 200);
    assert.equal((await report(MONTH, '', sb.keys.forbidden)).status, 403, 'a network key is out of realm');
  });

  it('refuses bad conversion knobs with a message naming them', async () => {
    const res = await fetch(sb.url + '/__sandbox/knobs', { method: 'POST', body: JSON.stringify({ conversions: { paging: 'header' } }) });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as Row).error, /conversions\.paging/);
  });

  it('knob busyOffer: every valid click of that offer converts, so its month runs to thousands; other offers and the clicks are unchanged', async () => {
    const offer = (body: typeof MONTH, id: number) => ({ ...body, query: { filters: [{ resource_type: 'offer', filter_id_value: String(id) }] } });
    const before882 = sb.countConversions(offer(MONTH, 882));
    const before883 = sb.countConversions(offer(MONTH, 883));
    const clicksBefore = sb.convertedSampleIds(3);
    sb.setKnobs({ conversions: { busyOffer: 882 } });
    const busy = sb.countConversions(offer(MONTH, 882));
    assert.ok(busy > 8000 && busy > 20 * before882, `${before882} → ${busy} conversions of offer 882 in a month`);
    assert.equal(sb.countConversions(offer(MONTH, 883)), before883);
    assert.deepEqual(sb.convertedSampleIds(3), clicksBefore);
    // The report serves them, paged like any other (2,000 at most a page), all of the busy offer.
    const page = await report({ ...offer(MONTH, 882), page: 2, page_size: 2000 });
    assert.equal(page.status, 200);
    assert.equal(page.body.paging.total_count, busy);
    assert.equal(page.body.conversions.length, 2000);
    assert.ok(page.body.conversions.every((c: Row) => c.relationship.offer.network_offer_id === 882));
    const bad = await fetch(sb.url + '/__sandbox/knobs', { method: 'POST', body: JSON.stringify({ conversions: { busyOffer: 'all' } }) });
    assert.equal(bad.status, 400);
  });

  it('a year of 20,000-click days is found without regenerating months per request', async () => {
    sb.setKnobs({ clicksPerDay: 20_000 });
    const year = { from: '2025-03-16', to: '2026-03-15 23:59:59', timezone_id: 67, show_events: true };
    let t = performance.now();
    const total = sb.countConversions(year);
    const firstMs = performance.now() - t;
    t = performance.now();
    assert.equal(sb.countConversions(year), total);
    const againMs = performance.now() - t;
    // Built once (hashing ~9 million indexes), then read from the per-day cache.
    assert.ok(againMs < firstMs / 3, `first ${Math.round(firstMs)} ms, again ${Math.round(againMs)} ms`);
    assert.ok(total > 20_000, `${total}`);
  });
});
