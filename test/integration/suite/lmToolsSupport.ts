import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ChatToolsApi } from '../../../src/api';
import type { Click } from '../../../src/core/types';
import { record } from './auditSupport';
import { resetSandbox, testConfig } from './env';
import { answerDialog, closeAllEditors, extensionApi, removeAllAccounts, type DialogAnswer } from './helpers';

// What the chat tool suites (lmTools*.test.ts, issue #16) share: calling a tool through
// vscode.lm.invokeTool as an agent would (no model needed), reading its result's fence, the key audit,
// the sandbox's own answer to compare numbers with, and the suite hooks.

export const TOOLS = ['everflow_listSavedQueries', 'everflow_lookUpClicks', 'everflow_runClickStream', 'everflow_runSavedQuery', 'everflow_summarizeGrid', 'everflow_traceClick'];
export const USER_URI = vscode.Uri.parse('everflow-queries:/User/everflow-queries.json');
export const BEGIN = /<<<BEGIN UNTRUSTED EVERFLOW DATA ([0-9a-f]{16,})>>>\n/;

export function day(back: number): string {
  return new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
}

export async function invoke(name: string, input: object, token?: vscode.CancellationToken): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, token);
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

/** A tool that asks first: the harness presses Yes in VS Code's confirmation; returns the result and what the dialog showed. */
export async function invokeConfirmed(name: string, input: object, token?: vscode.CancellationToken): Promise<{ text: string; dialog: DialogAnswer }> {
  const dialog = answerDialog('Yes');
  const text = await invoke(name, input, token);
  return { text, dialog: await dialog };
}

export async function invokeError(name: string, input: object, token?: vscode.CancellationToken): Promise<string> {
  try {
    await invoke(name, input, token);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error(`${name} did not fail`);
}

/** The text's own words and its fenced data; asserts the fence is whole and that nothing a stranger could type is outside it. */
export function split(text: string): { words: string; data: unknown } {
  const m = BEGIN.exec(text);
  assert.ok(m, 'no fence in the result');
  const close = `\n<<<END UNTRUSTED EVERFLOW DATA ${m[1]}>>>`;
  assert.ok(text.endsWith(close), 'the result does not end with its closing marker');
  assert.strictEqual(text.split('<<<END UNTRUSTED EVERFLOW DATA').length, 2, 'more than one closing marker');
  const inside = text.slice(m.index + m[0].length, text.length - close.length);
  // eslint-disable-next-line no-control-regex -- these characters must not appear raw in the fence
  assert.doesNotMatch(inside, /[<>`\u0000-\u0009\u000b-\u001f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u, 'a raw unsafe character inside the fence');
  return { words: text.slice(0, m.index), data: JSON.parse(inside) };
}

/** For the security report (issue #7's): tool texts searched for keys, hostile values checked in fences, keys found (one section per suite file, each bundled with its own copy). */
export const audit = { texts: 0, payloads: 0, faults: 0, leaks: [] as string[] };

export function assertNoKey(text: string, what = 'a tool result'): void {
  const { keys } = testConfig();
  audit.texts++;
  const i = [keys.valid, keys.second, keys.forbidden].findIndex((k) => text.includes(k));
  if (i >= 0) audit.leaks.push(`${what} (key #${i})`);
  assert.ok(i < 0, `a key is in ${what}`);
}

/** What the sandbox answers to a direct stream request (not through the extension). */
export async function directStream(body: object): Promise<Click[]> {
  const res = await fetch(`${testConfig().sandboxUrl}/v1/affiliates/reporting/clicks/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Eflow-API-Key': testConfig().keys.valid },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { table: Click[] };
  return json.table;
}

export function countBy<T>(rows: T[], key: (r: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return m;
}

export interface Digest {
  clicks: number;
  unique: number;
  withError: number;
  revenue: { currency: string; sum: number }[];
  top: { dimension: string; top: { value: string; clicks: number }[] }[];
}

export function assertDigestMatches(d: Digest, rows: Click[]): void {
  assert.strictEqual(d.clicks, rows.length);
  assert.strictEqual(d.unique, rows.filter((r) => Boolean(r.is_unique)).length);
  assert.strictEqual(d.withError, rows.filter((r) => r.error_code !== 0).length);
  const revenue = new Map<string, number>();
  for (const r of rows) if (r.revenue) revenue.set(r.currency_id, (revenue.get(r.currency_id) ?? 0) + r.revenue);
  for (const { currency, sum } of d.revenue) assert.ok(Math.abs(sum - (revenue.get(currency) ?? 0)) < 0.01, `revenue ${currency}`);
  const countries = countBy(rows, (r) => r.relationship.geolocation.country_name);
  const top = d.top.find((t) => t.dimension === 'geo.country_name');
  assert.ok(top && top.top.length > 0, 'no top countries');
  for (const t of top.top) assert.strictEqual(t.clicks, countries.get(t.value), `country ${t.value}`);
}

/**
 * The hooks every chat tool suite has: the extension's chat API, a clean sandbox and no accounts at the
 * start, a reset after each test, and the suite's share of the security report (`section`) at the end.
 */
export function chatToolsHooks(section: string): { chat: () => ChatToolsApi } {
  let api: ChatToolsApi | undefined;
  suiteSetup(async () => {
    const ext = (await extensionApi()) as unknown as { chatTools?: ChatToolsApi };
    assert.ok(ext.chatTools, 'the extension API has no chatTools');
    api = ext.chatTools;
    await resetSandbox();
    await removeAllAccounts();
  });
  teardown(async () => {
    await resetSandbox();
    await closeAllEditors();
  });
  suiteTeardown(async () => {
    record(section, {
      payloadsTried: audit.payloads,
      faultsInjected: audit.faults,
      leaksFound: audit.leaks.length,
      checks: audit.texts,
      details: { surfaces: 'chat tool results, confirmations (as prepared and as the dialog showed them) and tool errors', leaks: audit.leaks },
    });
    await vscode.workspace.fs.writeFile(USER_URI, new TextEncoder().encode('{\n  "version": 1,\n  "queries": []\n}\n'));
    await removeAllAccounts();
  });
  return { chat: () => api! };
}
