import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFilterText, parseFilterText } from '../../../src/core/filterText';
import { FALLBACK_TIMEZONES, timezoneIdFor, zoneNameFor } from '../../../src/core/timezones';

test('filter text: ";" separates items, "!" excludes, values keep spaces and commas', () => {
  const parsed = parseFilterText(' offer=883; offer = 518 ;country=United States; !sub1=internal, staff ;');
  assert.deepEqual(parsed.filters, [
    { resource_type: 'offer', filter_id_value: '883' },
    { resource_type: 'offer', filter_id_value: '518' },
    { resource_type: 'country', filter_id_value: 'United States' },
  ]);
  assert.deepEqual(parsed.exclusions, [{ resource_type: 'sub1', filter_id_value: 'internal, staff' }]);
  assert.deepEqual(parsed.problems, []);
});

test('filter text: items without "type=value" are named by position', () => {
  const parsed = parseFilterText('offer=1; United States; =x');
  assert.equal(parsed.problems.length, 2);
  assert.match(parsed.problems[0], /Item 2 \("United States"\)/);
  assert.match(parsed.problems[1], /Item 3/);
});

test('filter text round-trips', () => {
  const text = 'offer=883; country=United States; !s1=internal';
  const parsed = parseFilterText(text);
  assert.equal(formatFilterText(parsed.filters, parsed.exclusions), text);
});

test('timezone ids resolve by IANA name, UTC aliases included', () => {
  assert.equal(timezoneIdFor('America/New_York', FALLBACK_TIMEZONES), 80);
  assert.equal(timezoneIdFor('Etc/UTC', FALLBACK_TIMEZONES), 67);
  assert.equal(timezoneIdFor('GMT', FALLBACK_TIMEZONES), 67);
  assert.equal(timezoneIdFor('Europe/Atlantis', FALLBACK_TIMEZONES), undefined);
  assert.equal(zoneNameFor(90, FALLBACK_TIMEZONES), 'America/Los_Angeles');
});
