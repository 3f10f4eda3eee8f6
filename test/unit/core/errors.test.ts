import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EverflowError, describeError, isEverflowError } from '../../../src/core/errors';
import type { ErrorReason } from '../../../src/core/types';

describe('EverflowError', () => {
  it('carries the reason, status and server message, and only primitives', () => {
    const e = new EverflowError('unauthorized', 'Everflow rejected the API key (HTTP 401)', { status: 401, serverMessage: 'Invalid API key' });
    assert.ok(isEverflowError(e));
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'EverflowError');
    assert.equal(e.retryable, false);
    assert.equal('cause' in e, false);
    assert.deepEqual(JSON.parse(JSON.stringify(e)), { name: 'EverflowError', reason: 'unauthorized', status: 401, serverMessage: 'Invalid API key', retryable: false });
  });

  it('marks transient reasons retryable', () => {
    for (const reason of ['rateLimited', 'server', 'network', 'timeout'] as const) assert.equal(new EverflowError(reason, 'x').retryable, true);
    for (const reason of ['badRequest', 'notFound', 'cancelled', 'invalidResponse'] as const) assert.equal(new EverflowError(reason, 'x').retryable, false);
  });

  it('is told apart from other errors', () => {
    assert.equal(isEverflowError(new Error('x')), false);
    assert.equal(isEverflowError({ reason: 'server' }), false);
  });
});

describe('describeError', () => {
  it('names the key problem and the fix, with the server message', () => {
    const msg = describeError(new EverflowError('unauthorized', 'x', { status: 401, serverMessage: 'Invalid API key.' }));
    assert.equal(msg, 'Everflow rejected the API key (401): Invalid API key. Set a new key with "Everflow: Set API Key".');
  });

  it('uses the message as is when no key is set', () => {
    assert.equal(describeError(new EverflowError('unauthorized', 'No Everflow API key is set.')), 'No Everflow API key is set.');
  });

  it('lists validation problems', () => {
    const one = describeError(new EverflowError('invalidRequest', 'x', { problems: [{ field: 'from', message: 'Bad from.' }] }));
    assert.equal(one, 'The request was not sent: Bad from.');
    const two = describeError(
      new EverflowError('invalidRequest', 'x', {
        problems: [
          { field: 'from', message: 'Bad from.' },
          { field: 'to', message: 'Bad to.' },
        ],
      }),
    );
    assert.equal(two, 'The request was not sent (2 problems): Bad from. Bad to.');
  });

  it('has a sentence for every reason', () => {
    const reasons: ErrorReason[] = ['invalidRequest', 'badRequest', 'unauthorized', 'forbidden', 'notFound', 'rateLimited', 'server', 'network', 'timeout', 'cancelled', 'invalidResponse'];
    for (const reason of reasons) {
      const msg = describeError(new EverflowError(reason, 'The detail is here.', { status: 499, serverMessage: 'from server' }));
      assert.ok(msg.length > 15, `${reason}: ${msg}`);
      assert.match(msg, /\.$/, `${reason} ends a sentence: ${msg}`);
      if (!['invalidRequest', 'network', 'timeout', 'cancelled'].includes(reason)) assert.match(msg, /from server/, reason);
    }
  });

  it('shows the server message for bad requests and the status for invalid responses', () => {
    assert.equal(
      describeError(new EverflowError('badRequest', 'x', { status: 400, serverMessage: 'Date range too large' })),
      'Everflow rejected the request (400): Date range too large. Check the time window, timezone and filters.',
    );
    assert.match(describeError(new EverflowError('invalidResponse', 'the JSON was malformed', { status: 200 })), /\(HTTP 200\): the JSON was malformed\./);
  });

  it('does not quote a server message that only restates the status', () => {
    const limited = describeError(new EverflowError('rateLimited', 'x', { status: 429, serverMessage: 'Too Many Requests' }));
    assert.match(limited, /^Everflow kept answering "too many requests" \(429\)\. /);
    assert.equal(limited.match(/too many requests/gi)?.length, 1, limited);
    assert.doesNotMatch(describeError(new EverflowError('server', 'x', { status: 503, serverMessage: '503 Service Unavailable' })), /Unavailable/);
    // A message that says more is kept.
    assert.match(describeError(new EverflowError('server', 'x', { status: 502, serverMessage: '502 Bad Gateway: upstream timed out' })), /upstream timed out/);
    assert.match(describeError(new EverflowError('rateLimited', 'x', { status: 429, serverMessage: 'Rate limit of 40 per 30 s reached' })), /Rate limit of 40 per 30 s reached/);
  });

  it('describes foreign errors', () => {
    assert.equal(describeError(new TypeError('boom')), 'Unexpected error: boom');
    assert.equal(describeError('weird'), 'Unexpected error: weird');
  });
});
