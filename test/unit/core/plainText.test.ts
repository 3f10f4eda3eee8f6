// Notifications make `[label](command:…)` a live link. Every message the extension shows goes through
// defuseLinks (describeError and the command boundary's reportError), so text from a server, a proxy
// page or a shared queries file can never become a link or a command in a toast.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EverflowError, describeError } from '../../../src/core/errors';
import { NOTIFICATION_LINK, defuseLinks } from '../../../src/core/plainText';
import { HOSTILE_PAYLOADS, MD_COMMAND_LINK, MD_HTTP_LINK } from '../../sandbox/hostile';

const links = (text: string): string[] => [...text.matchAll(new RegExp(NOTIFICATION_LINK.source, 'gi'))].map((m) => m[2]);

describe('defuseLinks', () => {
  it('leaves no link that a notification would draw, in any hostile payload', () => {
    assert.deepEqual(links(MD_COMMAND_LINK), ['command:workbench.action.quit'], 'the pattern finds the links it should');
    for (const { kind, value } of HOSTILE_PAYLOADS) assert.deepEqual(links(defuseLinks(value)), [], `${kind}: ${value.slice(0, 60)}`);
    const crafted = ['[a](command:x "t")', '[a]\t(command:x)', '[[a]](file:///etc/passwd)', '[a](https://x)[b](command:y)', '[a](command:x?%5B%22y%22%5D)'];
    for (const value of crafted) assert.deepEqual(links(defuseLinks(value)), [], value);
  });

  it('keeps the text readable: only the "](" joint changes', () => {
    assert.equal(defuseLinks(MD_HTTP_LINK), '[Everflow support] (https://evil.example/phish)');
    assert.equal(defuseLinks('Everflow had a server error (503).'), 'Everflow had a server error (503).');
    assert.equal(defuseLinks(defuseLinks(MD_COMMAND_LINK)), defuseLinks(MD_COMMAND_LINK));
  });
});

describe('describeError', () => {
  it('quotes a server message without turning its markdown into a link', () => {
    const server = `Bad key ${MD_COMMAND_LINK} see ${MD_HTTP_LINK}`;
    for (const reason of ['badRequest', 'unauthorized', 'forbidden', 'notFound', 'rateLimited', 'server', 'invalidResponse'] as const) {
      const text = describeError(new EverflowError(reason, 'x', { status: 500, serverMessage: server }));
      assert.ok(text.includes('[click me] (command:workbench.action.quit)'), text);
      assert.deepEqual(links(text), [], `${reason}: ${text}`);
    }
    assert.deepEqual(links(describeError(new Error(`boom ${MD_COMMAND_LINK}`))), []);
  });
});
