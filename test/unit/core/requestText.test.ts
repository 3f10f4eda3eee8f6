import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { API_KEY_PLACEHOLDER, renderCurl, renderCurls, requestJson, requestsForWindow, requestsJson, shellQuote } from '../../../src/core/requestText';
import type { StreamRequest } from '../../../src/core/types';

const req: StreamRequest = {
  from: '2026-03-01 00:00:00',
  to: '2026-03-01 23:59:59',
  timezone_id: 80,
  query: { filters: [{ resource_type: 's1', filter_id_value: "it's $HOME `id` \"q\"" }] },
};

test('cURL has the placeholder, never a key, and the stream URL of the configured host', () => {
  const curl = renderCurl(req, 'https://api-eu.eflow.team/');
  assert.match(curl, /--url 'https:\/\/api-eu\.eflow\.team\/v1\/affiliates\/reporting\/clicks\/stream'/);
  assert.ok(curl.includes(`X-Eflow-API-Key: ${API_KEY_PLACEHOLDER}`));
  assert.equal(curl.split(' \\\n').length, 5);
});

test('the body survives a real shell unchanged, whatever the values hold', { skip: process.platform === 'win32' }, () => {
  const data = /--data (.*)$/s.exec(renderCurl(req, 'https://api.eflow.team'))![1];
  const echoed = execFileSync('/bin/sh', ['-c', `printf %s ${data}`], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(echoed), req);
  assert.equal(execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote("a'b")}`], { encoding: 'utf8' }), "a'b");
});

test('request JSON is the body, pretty-printed', () => {
  assert.deepEqual(JSON.parse(requestJson(req)), req);
  assert.match(requestJson(req), /\n {2}"from"/);
});

test('a window over 14 days is copied as the ≤ 14-day requests a run sends, in order and without gaps', () => {
  const long: StreamRequest = { ...req, from: '2026-03-01 00:00:00', to: '2026-03-31 23:59:59' };
  const reqs = requestsForWindow(long, 'America/New_York');
  assert.deepEqual(
    reqs.map((r) => [r.from, r.to]),
    [
      ['2026-03-01 00:00:00', '2026-03-14 23:59:59'],
      ['2026-03-15 00:00:00', '2026-03-28 23:59:59'],
      ['2026-03-29 00:00:00', '2026-03-31 23:59:59'],
    ],
  );
  for (const r of reqs) assert.deepEqual({ ...r, from: '', to: '' }, { ...req, from: '', to: '' });
  const json = JSON.parse(requestsJson(reqs)) as StreamRequest[];
  assert.equal(json.length, 3);
  const curls = renderCurls(reqs, 'https://api.eflow.team');
  assert.equal(curls.split('\n\n').length, 3);
  assert.ok(!curls.includes('sbx'), 'no key');
  // A window that fits is one request, copied as one object as before.
  assert.deepEqual(requestsForWindow(req, 'UTC'), [req]);
  assert.equal(requestsJson([req]), requestJson(req));
});
