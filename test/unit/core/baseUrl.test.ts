import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBaseUrl, isKnownEverflowHost, keyDestination } from '../../../src/core/baseUrl';

describe('checkBaseUrl', () => {
  for (const [given, expected] of [
    ['https://api.eflow.team', 'https://api.eflow.team'],
    ['https://api.eflow.team/', 'https://api.eflow.team'],
    ['  https://API-EU.eflow.team//  ', 'https://api-eu.eflow.team'],
    ['https://proxy.example.com/everflow/', 'https://proxy.example.com/everflow'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://127.1.2.3:9', 'http://127.1.2.3:9'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['http://[::1]:4000', 'http://[::1]:4000'],
  ] as const) {
    it(`accepts ${given}`, () => assert.deepEqual(checkBaseUrl(given), { ok: true, url: expected }));
  }

  for (const [given, why] of [
    ['', /empty/],
    ['api.eflow.team', /not a valid URL/],
    ['http://api.eflow.team', /unencrypted/],
    ['http://10.0.0.1', /unencrypted/],
    ['http://127.0.0.1.evil.com', /unencrypted/],
    ['http://localhost.evil.com', /unencrypted/],
    ['ftp://api.eflow.team', /https/],
    ['https://user:secret@api.eflow.team', /user name or password/],
    ['https://api.eflow.team?x=1', /query/],
    ['https://api.eflow.team/#frag', /fragment/],
    ['https://api.eflow.team?', /query/],
  ] as const) {
    it(`rejects ${JSON.stringify(given)}`, () => {
      const r = checkBaseUrl(given);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.match(r.message, why);
        assert.doesNotMatch(r.message, /secret/);
      }
    });
  }
});

describe('isKnownEverflowHost', () => {
  it('knows the two Everflow hosts over https only', () => {
    assert.equal(isKnownEverflowHost('https://api.eflow.team'), true);
    assert.equal(isKnownEverflowHost('https://api-eu.eflow.team/'), true);
    assert.equal(isKnownEverflowHost('https://api.eflow.team.evil.com'), false);
    assert.equal(isKnownEverflowHost('https://api.eflow.team:8443'), false);
    assert.equal(isKnownEverflowHost('http://127.0.0.1:8080'), false);
    assert.equal(isKnownEverflowHost('not a url'), false);
  });
});

describe('keyDestination', () => {
  it('tells Everflow, this machine, another host and a refused URL apart', () => {
    assert.equal(keyDestination('https://api.eflow.team'), 'everflow');
    assert.equal(keyDestination('http://127.0.0.1:8080'), 'loopback');
    assert.equal(keyDestination('http://127.9.0.1'), 'loopback');
    assert.equal(keyDestination('http://localhost:3000/'), 'loopback');
    assert.equal(keyDestination('http://[::1]:3000'), 'loopback');
    assert.equal(keyDestination('https://localhost'), 'loopback');
    assert.equal(keyDestination('https://everflow-proxy.example'), 'other');
    assert.equal(keyDestination('https://127.0.0.1.evil.example'), 'other');
    assert.equal(keyDestination('http://evil.example'), 'refused');
    assert.equal(keyDestination('not a url'), 'refused');
  });
});
