// Loading a kept result shares the click rows' repeated text and equal nested objects
// (src/results/repeatedValues.ts): every value stays equal to what was read, unknown fields and
// hostile keys are left alone, and fields whose values do not repeat are given up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RepeatedValues } from '../../../src/results/repeatedValues';
import { click } from '../core/gridFixtures';

/** Rows as the reader has them: parsed from JSON, so no string is shared by construction. */
function parsed<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

describe('RepeatedValues', () => {
  it('replaces repeated values by equal ones, leaving every row equal to what was read', () => {
    const countries = ['United States', 'United Kingdom', 'Germany'];
    const rows = parsed(
      Array.from({ length: 3000 }, (_, i) =>
        click({
          tracking_url: `https://trk.example/offer-${i % 7}?oid=${i % 7}`,
          sub1: i % 2 ? 'campaign_summer' : '',
          user_ip: `203.0.${i >> 8}.${i & 255}`,
          geo: { country_name: countries[i % 3], timezone: 'America/Denver', carrier_code: '310260' },
          device: { http_accept_language: 'en-US,en;q=0.9', browser_version: '124.0.6367.91' },
          offer: { name: `Meal Kit Starter Box ${i % 4}` },
          query_parameters: i % 5 ? { utm_campaign: 'cmp_240_spring', utm_source: 'facebook' } : null,
        }),
      ),
    );
    const before = parsed(rows);
    const repeated = new RepeatedValues();
    for (const row of rows) repeated.row(row as unknown as Record<string, unknown>);
    assert.deepEqual(rows, before);
    // The repeated long values after their first instance (user_ip and short values are not), and
    // the offers, geolocations and devices equal to one before.
    assert.ok(repeated.shared > 3000 * 2, `shared ${repeated.shared}`);
    assert.ok(repeated.sharedObjects > 3000 * 3 - 20, `shared objects ${repeated.sharedObjects}`);
  });

  it('shares equal offers, geolocations and devices as one frozen object, and no other', () => {
    const rows = parsed(
      Array.from({ length: 40 }, (_, i) =>
        click({
          offer: { name: `Offer number ${i % 2}` },
          geo: { city_name: i % 4 < 2 ? 'Denver' : 'Boulder' },
          query_parameters: { utm_campaign: 'cmp_240_spring' },
        }),
      ),
    );
    const before = parsed(rows);
    const repeated = new RepeatedValues();
    for (const row of rows) repeated.row(row as unknown as Record<string, unknown>);
    assert.deepEqual(rows, before);
    const [a, b, c] = rows;
    assert.equal(rows[2].relationship.offer, a.relationship.offer);
    assert.notEqual(b.relationship.offer, a.relationship.offer);
    assert.equal(b.relationship.geolocation, a.relationship.geolocation);
    assert.notEqual(c.relationship.geolocation, a.relationship.geolocation);
    assert.equal(c.relationship.device_information, a.relationship.device_information);
    assert.ok(Object.isFrozen(a.relationship.offer) && Object.isFrozen(a.relationship.geolocation));
    // Each row keeps its own row, relationship and query parameters (the things code might add to).
    assert.notEqual(b.relationship, a.relationship);
    assert.notEqual(b.relationship.query_parameters, a.relationship.query_parameters);
    assert.equal(Object.isFrozen(a) || Object.isFrozen(a.relationship) || Object.isFrozen(a.relationship.query_parameters), false);
  });

  it('shares an object only when every key and value is the same: types, -0, order, unknown keys', () => {
    const base = { network_offer_id: 1, network_id: 1, network_tracking_domain_id: 0, name: 'A name that is long', offer_status: 'active' };
    const variants: Record<string, unknown>[] = [
      base,
      { ...base, network_offer_id: '1' },
      { ...base, network_tracking_domain_id: -0 },
      { network_id: 1, network_offer_id: 1, network_tracking_domain_id: 0, name: 'A name that is long', offer_status: 'active' },
      { ...base, payout: 2 },
      { ...base, name: 's19:A name that is lo' },
      { ...base, offer_status: null },
      { ...base, offer_status: true },
      { ...base, offer_status: 'true' },
      { ...base, offer_status: { nested: 'active' } },
    ];
    const rows = variants.map((offer) => ({ relationship: { offer: { ...offer } } }));
    const repeated = new RepeatedValues();
    for (const row of rows) repeated.row(row);
    rows.forEach((row, i) => assert.ok(Object.is(row.relationship.offer.network_tracking_domain_id, variants[i].network_tracking_domain_id)));
    rows.forEach((row, i) => assert.deepEqual(Object.entries(row.relationship.offer), Object.entries(variants[i]), `variant ${i}`));
    assert.equal(repeated.sharedObjects, 0);
    const again = { relationship: { offer: { ...base } } };
    repeated.row(again);
    assert.equal(again.relationship.offer, rows[0].relationship.offer);
  });

  it('keeps unknown fields, values that are not text, and a hostile "__proto__" parameter as they are', () => {
    const extra = { top: { payout_type: 'cpa_flat_long_text', nested: { a: ['United States'] } }, relationship: { affiliate: { name: 'Affiliate Name Long' } } };
    const row = parsed({
      ...click({ query_parameters: { utm_campaign: 'x'.repeat(20) } }),
      extra,
      unknown_top: 'United States of America',
    });
    // A parsed "__proto__" key is an own value, not the prototype.
    const q = JSON.parse('{"__proto__":"not the prototype, a value","constructor":"also just a value"}') as Record<string, unknown>;
    (row.relationship as { query_parameters: unknown }).query_parameters = q;
    const before = parsed(row);
    const repeated = new RepeatedValues();
    for (let i = 0; i < 3; i++) repeated.row(row as unknown as Record<string, unknown>);
    assert.deepEqual(row, before);
    assert.equal(Object.getPrototypeOf(q), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(q, '__proto__')?.value, 'not the prototype, a value');
    assert.deepEqual(row.extra, extra);
  });

  it('leaves rows of an unexpected shape alone (no relationship, arrays, missing fields)', () => {
    const rows: Record<string, unknown>[] = [{}, { relationship: null }, { relationship: [] }, { relationship: { offer: ['Meal Kit Starter Box'], geolocation: 'United States' } }, { tracking_url: 42 }];
    const before = parsed(rows);
    const repeated = new RepeatedValues();
    for (const row of rows) repeated.row(row);
    assert.deepEqual(rows, before);
    assert.equal(Object.hasOwn(rows[0], 'tracking_url'), false, 'a missing field stays missing');
  });

  it('gives up a field whose values do not repeat, and still returns them unchanged', () => {
    const rows = parsed(Array.from({ length: 10_000 }, (_, i) => click({ referer: `https://unique.example/${i}`, tracking_url: 'https://trk.example/o?oid=1' })));
    const before = parsed(rows);
    const repeated = new RepeatedValues();
    for (const row of rows.slice(0, 5000)) repeated.row(row as unknown as Record<string, unknown>);
    const afterHalf = repeated.shared;
    for (const row of rows.slice(5000)) repeated.row(row as unknown as Record<string, unknown>);
    assert.deepEqual(rows, before);
    // The fields that repeat go on being shared at the same rate per row after the referers and
    // transaction ids were given up (the first row's values are firsts, not shared).
    assert.ok(afterHalf > 0);
    assert.equal(repeated.shared - afterHalf, (afterHalf / 4999) * 5000);
  });
});
