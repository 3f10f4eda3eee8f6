import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeClickError, describeErrorCode, isPlaceholderMessage } from '../../../src/core/errorCodes';

describe('a click error as words', () => {
  it('gives the code with its meaning, never Everflow\'s "N/A" placeholder as the reason', () => {
    assert.equal(describeClickError(101, 'N/A'), '101 · Sub1 value filtered');
    assert.equal(describeClickError(21, ''), '21 · Duplicate click');
    assert.equal(describeClickError(9, 'n/a'), '9 · Country not allowed');
    assert.equal(describeClickError(14, '-'), '14 · Blocked traffic');
  });

  it('adds Everflow\'s own message when it says more than the code', () => {
    assert.equal(describeClickError(21, 'Duplicate click'), '21 · Duplicate click');
    assert.equal(describeClickError(21, 'seen 3 times from 10.0.0.1'), '21 · Duplicate click · “seen 3 times from 10.0.0.1”');
  });

  it('names a code Everflow does not document, and says nothing for no error', () => {
    assert.equal(describeErrorCode(22), undefined);
    assert.equal(describeClickError(22, 'N/A'), '22 · undocumented code');
    assert.equal(describeClickError(0, 'N/A'), '');
    assert.equal(describeClickError(undefined, 'anything'), '');
    assert.equal(describeClickError('105', null), '105 · Sub5 value filtered');
  });

  it('knows the placeholders', () => {
    for (const p of ['', ' ', 'N/A', 'NA', 'none', 'null', '-', '--', '0', null, undefined]) assert.equal(isPlaceholderMessage(p), true, String(p));
    for (const m of ['Offer expired', 'no cap left']) assert.equal(isPlaceholderMessage(m), false, m);
  });
});
