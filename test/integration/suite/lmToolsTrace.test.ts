import * as assert from 'assert';
import * as vscode from 'vscode';
import { CONVERSIONS_PATH } from '../../../src/core/client';
import { bucketFor } from '../../../src/core/conversions/clickWindow';
import type { Click } from '../../../src/core/types';
import { sandboxState, setSandboxKnobs, testConfig } from './env';
import { useSandboxAccount, type DialogAnswer } from './helpers';
import { day, invokeConfirmed, invokeError, split, assertNoKey, directStream, chatToolsHooks } from './lmToolsSupport';

// Issue #16: everflow_traceClick through vscode.lm.invokeTool against the sandbox: its confirmation, each
// verdict, bad input, an account that may not read conversions, and the request limit it confirms.

suite('Chat tools: trace a click', () => {
  const { chat } = chatToolsHooks('chatTools.trace');

  // everflow_traceClick: the sandbox's own sample IDs (state.convertedSampleIds) for each verdict.
  interface TraceData {
    verdict: { kind: string; headline: string; details: string[] };
    click?: { transaction_id: string; error?: string };
    timeline: { at?: string; kind: string; afterClick?: string; revenue?: string }[];
  }
  async function convertedIds(): Promise<{ minutes: string[]; late: string[] }> {
    return ((await sandboxState()) as unknown as { convertedSampleIds: { minutes: string[]; late: string[] } }).convertedSampleIds;
  }
  async function traced(id: string): Promise<{ words: string; data: TraceData; dialog: DialogAnswer }> {
    const { text, dialog } = await invokeConfirmed('everflow_traceClick', { transactionId: id });
    assertNoKey(text);
    assertNoKey(`${dialog.title} ${dialog.detail}`, 'a confirmation dialog');
    const { words, data } = split(text);
    return { words, data: data as TraceData, dialog };
  }

  test('trace: the confirmation names the account, the look-ups and the most requests; no key in it', async () => {
    await useSandboxAccount();
    const id = (await convertedIds()).minutes[0];
    const before = (await sandboxState()).requestCount;
    const confirm = await chat().prepare('everflow_traceClick', { transactionId: id.toUpperCase() });
    assert.strictEqual(confirm?.title, 'Trace an Everflow click?');
    assert.ok(confirm?.message?.startsWith(`Trace the click ${id} with the user's API key`), confirm?.message);
    assert.match(confirm?.message ?? '', /Account: "Sandbox" \(the active account\)/);
    assert.match(confirm?.message ?? '', /the conversion report of the click's offer from the click's UTC day through 30 days after it/);
    assert.match(confirm?.message ?? '', /At most 5 requests \(the look-up and up to 4 pages of 2,000 conversions and events\).*An offer with more conversions in the window gives an incomplete trace/s);
    assertNoKey(`${confirm?.title} ${confirm?.message}`, 'a confirmation');
    assert.strictEqual((await sandboxState()).requestCount, before, 'preparing sent a request');
  });

  test('trace: a converted click says when and how much, with its conversions in time order after the click', async () => {
    await useSandboxAccount();
    const id = (await convertedIds()).minutes[0];
    const { words, data, dialog } = await traced(id);
    assert.strictEqual(dialog.title, 'Trace an Everflow click?');
    const m = /Verdict: CONVERTED: (\d+) conversions? and (\d+) events?, the first (\d+ (?:s|min)) after the click\./.exec(words);
    assert.ok(m, words);
    assert.strictEqual(data.verdict.kind, 'converted');
    assert.match(data.verdict.headline, /^Converted \d+ (s|min) after the click/);
    assert.strictEqual(data.click?.transaction_id, id);
    // The click first, then one entry per conversion and event, in time order.
    assert.strictEqual(data.timeline[0].kind, 'click');
    assert.strictEqual(data.timeline.filter((e) => e.kind === 'conversion').length, Number(m[1]));
    assert.strictEqual(data.timeline.filter((e) => e.kind === 'event').length, Number(m[2]));
    const times = data.timeline.map((e) => e.at ?? '');
    assert.deepStrictEqual([...times].sort(), times, 'the time line is not in time order');
    assert.strictEqual(data.timeline.find((e) => e.kind === 'conversion')?.afterClick, `+${m[3]}`);
    assert.ok(data.timeline.some((e) => e.kind !== 'click' && e.revenue), 'no amount on any conversion');
    // The command concludes the same (the same facts and verdict).
    const outcome = await vscode.commands.executeCommand<{ verdict: string; conversions: number }>('everflow.traceClick', id);
    assert.strictEqual(outcome?.verdict, 'converted');
    assert.strictEqual(outcome?.conversions, Number(m[1]) + Number(m[2]));
  });

  test('trace: a click without conversions in its closed window, a rejected click, an unknown ID', async function () {
    this.timeout(60_000);
    await useSandboxAccount();
    const late = (await convertedIds()).late[0];
    const none = await traced(late);
    assert.match(none.words, /Verdict: NOT CONVERTED within the 30 days attribution window/);
    assert.strictEqual(none.data.verdict.headline, 'Not converted within 30 days of the click.');
    assert.deepStrictEqual(none.data.timeline.map((e) => e.kind), ['click']);

    const rejected = (await directStream({ from: `${day(1)} 00:00:00`, to: `${day(1)} 23:59:59`, timezone_id: 67 })).find((r) => Number(r.error_code) > 0);
    assert.ok(rejected, 'the sandbox has no rejected click yesterday');
    const r = await traced(rejected.transaction_id);
    const code = /Verdict: REJECTED: Everflow rejected the click with error code (\d+) \(([^)]+)\), so it is not credited/.exec(r.words);
    assert.ok(code, r.words);
    assert.strictEqual(Number(code[1]), Number(rejected.error_code));
    assert.strictEqual(r.data.verdict.kind, 'rejected');
    assert.ok(r.data.click?.error?.startsWith(`${code[1]} · ${code[2]}`), r.data.click?.error);

    const unknown = await traced('e'.repeat(32));
    assert.match(unknown.words, /Verdict: CLICK NOT FOUND: older than Everflow's 3-month raw-click retention/);
    assert.strictEqual(unknown.data.verdict.kind, 'notFound');
  });

  test('trace: an invalid ID gets a clear error and sends nothing', async () => {
    await useSandboxAccount();
    const before = (await sandboxState()).requestCount;
    assert.match(await invokeError('everflow_traceClick', { transactionId: 'not-an-id' }), /Not a transaction ID .*"not-an-id"\. Nothing was sent\./);
    assert.match(await invokeError('everflow_traceClick', {}), /Give transactionId: one Everflow transaction ID/);
    await assert.rejects(chat().prepare('everflow_traceClick', { transactionId: '12345' }), /Not a transaction ID/);
    assert.strictEqual((await sandboxState()).requestCount, before);
  });

  test('trace: conversions the account may not read (403) make the verdict "unreadable", with the reason as data', async () => {
    await setSandboxKnobs({ conversions: { forbidden: true } });
    // A new account empties the conversion cache, as a switch does.
    await useSandboxAccount('Sandbox 403');
    const { words, data } = await traced((await convertedIds()).minutes[0]);
    assert.match(words, /Verdict: CONVERSIONS UNREADABLE: the click was found, but its conversions could not be read/);
    assert.strictEqual(data.verdict.kind, 'unknown');
    assert.match(JSON.stringify(data), /403/);
  });
  /** What the sandbox answers directly (not through the extension): one click, and a report's total_count. */
  async function direct<T>(route: string, body?: object): Promise<T> {
    const res = await fetch(`${testConfig().sandboxUrl}${route}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json', 'X-Eflow-API-Key': testConfig().keys.valid },
      body: body ? JSON.stringify(body) : undefined,
    });
    return (await res.json()) as T;
  }

  test('trace: an offer with more conversions than the confirmed requests can read stops at the limit, and says so and how to read the rest', async function () {
    this.timeout(60_000);
    // A new account empties the conversion cache, as a switch does.
    await useSandboxAccount('Sandbox busy offer');
    // Every valid click of the click's offer converts (the busyOffer knob): its report runs past what 4
    // pages of 2,000 hold when the offer is a busy one. The sample clicks change with the date, and a
    // quiet offer (a few percent of the traffic) stays under 8,000: of the sample's late converters, the
    // one whose offer's report is the longest is traced.
    let best: { id: string; offer: number; total: number } | undefined;
    for (const candidate of (await convertedIds()).late) {
      const click = await direct<Click>(`/v1/affiliates/reporting/clicks/${candidate}`);
      const candidateOffer = click.relationship.offer.network_offer_id;
      if (best?.offer === candidateOffer) continue;
      await setSandboxKnobs({ conversions: { busyOffer: candidateOffer } });
      const bucket = bucketFor(click.unix_timestamp, candidateOffer, 30, Date.now());
      const count = (await direct<{ paging: { total_count: number } }>(`${CONVERSIONS_PATH}?page=1&page_size=1`, bucket.request)).paging.total_count;
      if (!best || count > best.total) best = { id: candidate, offer: candidateOffer, total: count };
    }
    const { id, offer, total } = best!;
    await setSandboxKnobs({ conversions: { busyOffer: offer } });
    assert.ok(total > 4 * 2000, `${total} conversions of offer ${offer}: not more than the trace may read; the test proves nothing`);
    const confirm = await chat().prepare('everflow_traceClick', { transactionId: id });
    const limit = Number(/At most (\d+) requests/.exec(confirm?.message ?? '')?.[1]);
    assert.strictEqual(limit, 5);
    const reports = async () => ((await sandboxState()).requests as { path: string }[]).filter((r) => r.path.startsWith(CONVERSIONS_PATH)).length;
    const before = (await sandboxState()).requestCount;
    const reportsBefore = await reports();
    const { words, data } = await traced(id);
    const sent = (await sandboxState()).requestCount - before;
    assert.ok(sent <= limit, `${sent} requests, more than the ${limit} confirmed`);
    assert.strictEqual((await reports()) - reportsBefore, 4, 'conversion report pages read');
    assert.ok(
      words.includes(`INCOMPLETE: the offer has ${total.toLocaleString('en-US')} conversions and events in the window; this trace read the first 8,000 (4 requests, the limit the user confirmed) and stopped. To read them all, ask the user to run "Everflow: Trace Click…" on ${id}`),
      words,
    );
    // Not finding the click's ID in a part of the report is no "not converted".
    assert.match(words, /Verdict: NOT KNOWN: no conversion or event with its ID is in the part/);
    assert.doesNotMatch(words, /NOT CONVERTED/);
    assert.strictEqual(data.verdict.kind, 'unknown');
    assert.match(words, /stopped at the request limit/);
  });
});
