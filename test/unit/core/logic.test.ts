import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeLogic, describeRequest, resourceTypeLabel } from '../../../src/core/logic';

describe('describeLogic', () => {
  it('follows the seed: same type OR-ed, different types AND-ed, exclusions last', () => {
    assert.equal(
      describeLogic({
        filters: [
          { resource_type: 'offer', filter_id_value: '883' },
          { resource_type: 'offer', filter_id_value: '518' },
          { resource_type: 'country', filter_id_value: 'United States' },
        ],
        exclusions: [{ resource_type: 's1', filter_id_value: 'internal' }],
      }),
      'offer 883 or 518, and country United States, excluding sub1 internal',
    );
  });

  it('says "all clicks" with nothing to narrow the stream', () => {
    assert.equal(describeLogic(undefined), 'all clicks');
    assert.equal(describeLogic({}), 'all clicks');
    assert.equal(describeLogic({ filters: [], exclusions: [] }), 'all clicks');
  });

  it('describes exclusions alone', () => {
    assert.equal(
      describeLogic({
        exclusions: [
          { resource_type: 'country', filter_id_value: 'Canada' },
          { resource_type: 'sub2', filter_id_value: 'test' },
        ],
      }),
      'all clicks, excluding country Canada, excluding sub2 test',
    );
  });

  it('groups types in first-seen order and merges sub1 with s1', () => {
    assert.equal(
      describeLogic({
        filters: [
          { resource_type: 's1', filter_id_value: 'internal' },
          { resource_type: 'country', filter_id_value: 'Canada' },
          { resource_type: 'sub1', filter_id_value: 'facebook' },
          { resource_type: 'device_platform', filter_id_value: 'iOS' },
        ],
      }),
      'sub1 internal or facebook, country Canada, and device platform iOS',
    );
  });

  it('quotes values that would read as two values', () => {
    assert.equal(
      describeLogic({
        filters: [
          { resource_type: 'country', filter_id_value: 'Trinidad and Tobago' },
          { resource_type: 'country', filter_id_value: 'Korea, Republic of' },
        ],
      }),
      'country "Trinidad and Tobago" or "Korea, Republic of"',
    );
  });

  it('uses readable type names', () => {
    assert.equal(resourceTypeLabel('s3'), 'sub3');
    assert.equal(resourceTypeLabel('device_platform'), 'device platform');
    assert.equal(resourceTypeLabel('offer_url'), 'offer URL');
    assert.equal(resourceTypeLabel('coupon_code'), 'coupon code');
    assert.equal(resourceTypeLabel('offer'), 'offer');
  });
});

describe('describeRequest', () => {
  it('adds the window and the zone', () => {
    assert.equal(
      describeRequest({ from: '2026-03-01 00:00:00', to: '2026-03-14 23:59:59', timezone_id: 80, query: { filters: [{ resource_type: 'offer', filter_id_value: '1' }] } }),
      'offer 1, from 2026-03-01 00:00:00 to 2026-03-14 23:59:59 inclusive (America/New_York, timezone 80)',
    );
  });
  it('uses the fetched list, and falls back to the bare id', () => {
    const zones = [{ timezone_id: 500, timezone: 'Europe/Paris' }];
    assert.match(describeRequest({ from: 'a', to: 'b', timezone_id: 500 }, zones), /\(Europe\/Paris, timezone 500\)$/);
    assert.match(describeRequest({ from: 'a', to: 'b', timezone_id: 501 }, zones), /^all clicks, .*\(timezone 501\)$/);
  });
});
