import * as assert from 'assert';
import * as vscode from 'vscode';
import { resetSandbox, sandboxState, setSandboxKnobs } from './env';
import { activeResultText, closeAllEditors, useSandboxAccount } from './helpers';
import { sentClicks } from './asSent';

function yesterdayUtc(): { from: string; to: string } {
  const d = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  return { from: `${d} 00:00:00`, to: `${d} 23:59:59` };
}

suite('Click streams through the extension', () => {
  suiteSetup(async () => {
    await resetSandbox();
    await useSandboxAccount();
  });
  setup(resetSandbox);
  teardown(closeAllEditors);

  test('a filtered stream opens as JSON: what Everflow sent, with the request recorded beside it', async () => {
    const request = { ...yesterdayUtc(), timezone_id: 67, query: { filters: [{ resource_type: 'offer', filter_id_value: '883' }, { resource_type: 'country', filter_id_value: 'United States' }] } };
    assert.strictEqual(await vscode.commands.executeCommand('everflow.runClickStream', request), true);
    const doc = JSON.parse(activeResultText());
    const clicks = sentClicks(doc);
    assert.ok(clicks.length > 0, 'no clicks came back');
    assert.strictEqual(doc.request.rows, clicks.length);
    assert.strictEqual(doc.request.logic, 'offer 883, and country United States');
    assert.deepStrictEqual([doc.exchanges[0].request.method, doc.exchanges[0].request.path], ['POST', '/v1/affiliates/reporting/clicks/stream']);
    assert.deepStrictEqual([doc.exchanges[0].request.body.from, doc.exchanges[0].request.body.query.filters], [request.from, request.query.filters]);
    assert.strictEqual(doc.exchanges[0].status, 200);
    for (const c of clicks) {
      assert.strictEqual(c.relationship.offer.network_offer_id, 883);
      assert.strictEqual(c.relationship.geolocation.country_name, 'United States');
    }
  });

  test('every response variant reads the same: table, clicks, bare array (and shows as sent)', async () => {
    const request = { ...yesterdayUtc(), timezone_id: 67, query: { filters: [{ resource_type: 'offer', filter_id_value: '518' }] } };
    const counts: number[] = [];
    for (const responseKey of ['table', 'clicks', 'bare']) {
      await setSandboxKnobs({ responseKey, isUniqueAs: responseKey === 'bare' ? 'boolean' : 'number', carrierCodeAs: 'string' });
      assert.strictEqual(await vscode.commands.executeCommand('everflow.runClickStream', request), true, responseKey);
      const doc = JSON.parse(activeResultText());
      // "Open as JSON" shows the response as sent: the variant's own key and its own is_unique type.
      const sent = doc.exchanges[0].response;
      assert.ok(responseKey === 'bare' ? Array.isArray(sent) : Array.isArray(sent[responseKey]), `${responseKey}: not as sent`);
      const clicks = sentClicks(doc);
      const type = responseKey === 'bare' ? 'boolean' : 'number';
      assert.ok(clicks.every((c: { is_unique: unknown }) => typeof c.is_unique === type), `${responseKey}: is_unique not as sent`);
      assert.strictEqual(doc.request.rows, clicks.length, `${responseKey}: the grid's row count differs`);
      counts.push(clicks.length);
    }
    assert.ok(counts[0] > 0);
    assert.deepStrictEqual(counts, [counts[0], counts[0], counts[0]]);
  });

  test('a 15-day window runs as two requests of at most 14 days instead of failing', async () => {
    const day = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
    const before = (await sandboxState()).requestCount;
    const result = await vscode.commands.executeCommand('everflow.runClickStream', { from: `${day(15)} 00:00:00`, to: `${day(1)} 23:59:59`, timezone_id: 67 });
    assert.strictEqual(result, true);
    assert.strictEqual((await sandboxState()).requestCount - before, 2);
    const doc = JSON.parse(activeResultText());
    assert.strictEqual(doc.request.chunks, 2);
    assert.strictEqual(doc.request.truncated, true, 'each 14-day chunk of 2,000 clicks a day reaches the cap');
    assert.strictEqual(doc.exchanges.length, 2, 'the document does not show both requests');
  });

  test('a malformed response fails once, without a retry loop', async () => {
    await setSandboxKnobs({ fault: { kind: 'malformed-json', count: -1, path: 'stream' } });
    const result = await vscode.commands.executeCommand('everflow.runClickStream', { ...yesterdayUtc(), timezone_id: 67 });
    assert.notStrictEqual(result, true);
    assert.strictEqual((await sandboxState()).requestCount, 1);
  });

  test('a 429 storm is retried a bounded number of times, then reported', async function () {
    this.timeout(60_000);
    await setSandboxKnobs({ fault: { kind: '429-no-headers', count: -1, path: 'stream' } });
    // After each 429 the client waits for the account's rate-limit window (30 s at Everflow); a 2-second one keeps this short.
    const settings = vscode.workspace.getConfiguration('everflow');
    const previous = settings.inspect('rateLimitWindowSeconds')?.globalValue;
    await settings.update('rateLimitWindowSeconds', 2, vscode.ConfigurationTarget.Global);
    let result: unknown;
    try {
      result = await vscode.commands.executeCommand('everflow.runClickStream', { ...yesterdayUtc(), timezone_id: 67 });
    } finally {
      await settings.update('rateLimitWindowSeconds', previous, vscode.ConfigurationTarget.Global);
    }
    assert.notStrictEqual(result, true);
    const n = (await sandboxState()).requestCount;
    assert.ok(n >= 2 && n <= 5, `${n} requests for one stream under a 429 storm`);
  });
});
