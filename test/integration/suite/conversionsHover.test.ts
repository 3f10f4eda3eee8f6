import * as assert from 'assert';
import MarkdownIt from 'markdown-it';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TraceOutcome } from '../../../src/conversions/traceClick';
import { rejectedClickId } from '../../sandbox/probe';
import { resetSandbox, sandboxState, setSandboxKnobs, testConfig } from './env';
import { activeResultText, closeAllEditors, extensionApi, removeAllAccounts, useSandboxAccount, waitFor } from './helpers';

// Conversions of single clicks inside a real extension host against the sandbox: the hover card's
// conversion line (converted, not converted, still looking, and left out with ONE message when the
// account may not read its conversions), and Trace Click's verdicts, document and raw JSON.

const md = new MarkdownIt({ html: true, linkify: true });
const UNKNOWN_ID = 'ffffffffffffffffffffffffffffffff';

interface Converted {
  any: string[];
  minutes: string[];
  days: string[];
  late: string[];
  none: string[];
}

interface ConversionsApi {
  notices(): string[];
  requests(): number;
}

async function conversionsApi(): Promise<ConversionsApi> {
  const api = (await extensionApi()) as { conversions?: ConversionsApi };
  if (!api.conversions) throw new Error('the extension exports no conversions API');
  return api.conversions;
}

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('everflow').update(key, value, vscode.ConfigurationTarget.Global);
}

async function logDocument(name: string, lines: string[]): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.file(path.join(testConfig().workspaceFolder, name));
  await vscode.workspace.fs.writeFile(uri, Buffer.from(lines.join('\n') + '\n', 'utf8'));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

function positionOf(doc: vscode.TextDocument, needle: string): vscode.Position {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle} is not in the document`);
  return doc.positionAt(at + 16);
}

/** The Everflow card's markdown at the id, as VS Code's hover providers give it. */
async function card(doc: vscode.TextDocument, id: string): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, id))) ?? [];
  const cards = hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'object' && typeof (c as { value?: unknown }).value === 'string' ? (c as vscode.MarkdownString).value : ''))
    .filter((v) => /Everflow\sclick/.test(v));
  assert.strictEqual(cards.length, 1, `expected one Everflow card over ${id}`);
  return cards[0];
}

/** The card's Conversions row as a reader sees it, or undefined when the card has none. */
function conversionRow(markdown: string): string | undefined {
  const line = markdown.split('\n').find((l) => l.startsWith('| Conversions |'));
  if (!line) return undefined;
  return md
    .render(line.replace(/^\| Conversions \| /, '').replace(/ \|$/, ''))
    .replace(/<[^>]+>/g, '')
    .trim()
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

async function conversionRequests(): Promise<number> {
  const state = (await sandboxState()) as unknown as { requests: { path: string }[] };
  return state.requests.filter((r) => r.path.startsWith('/v1/affiliates/reporting/conversions')).length;
}


async function trace(id: string, options?: { searchYear?: boolean }): Promise<TraceOutcome> {
  const outcome = await vscode.commands.executeCommand<TraceOutcome | undefined>('everflow.traceClick', id, options);
  assert.ok(outcome, `Trace Click gave no outcome for ${id}`);
  return outcome;
}

function assertNoKey(text: string): void {
  for (const key of Object.values(testConfig().keys)) assert.ok(!text.includes(key), 'an API key is in the output');
}

suite('Conversions: the hover line and Trace Click', () => {
  let converted: Converted;

  suiteSetup(async () => {
    await resetSandbox();
    await removeAllAccounts();
    await useSandboxAccount();
    // Long enough that the first hover has its answer; one test shortens it.
    await setting('hover.timeBudgetMs', 8000);
    converted = ((await sandboxState()) as unknown as { convertedSampleIds: Converted }).convertedSampleIds;
    assert.ok(converted.minutes.length > 0 && converted.none.length > 0 && converted.late.length > 0, JSON.stringify(converted));
  });
  suiteTeardown(async () => {
    await setting('hover.timeBudgetMs', undefined);
    await resetSandbox();
    await closeAllEditors();
    await removeAllAccounts();
  });

  test('a converted click: the card says how many, how much and how long after', async () => {
    const id = converted.minutes[0];
    const doc = await logDocument('conv-converted.log', [`postback transaction_id=${id}`]);
    const line = conversionRow(await card(doc, id));
    assert.match(line ?? '', /^Converted: \d+ \(base .*\d+ (s|min) after the click/, line);
    // The trace counts the same conversions.
    const outcome = await trace(id);
    assert.strictEqual(outcome.verdict, 'converted');
    assert.strictEqual(Number(/^Converted: (\d+)/.exec(line!)![1]), outcome.conversions);
    assert.strictEqual(outcome.conversionRequests, 0, 'the trace re-used the hover\'s answer');
  });

  test('clicks of one offer and day share one conversion request', async () => {
    const ids = [...converted.none, ...converted.minutes.slice(1)];
    const doc = await logDocument('conv-many.log', ids.map((id) => `click ${id}`));
    for (const id of ids) await card(doc, id);
    const before = await conversionRequests();
    for (const id of ids) await card(doc, id);
    assert.strictEqual(await conversionRequests(), before, 'a second hover over the same clicks asked again');
  });

  test('a click without conversions: "not yet" while its window is open, "none within 30 days" once closed', async () => {
    const open = converted.none[0];
    const late = converted.late[0];
    const doc = await logDocument('conv-none.log', [`click ${open}`, `click ${late}`]);
    assert.match(conversionRow(await card(doc, open)) ?? '', /^No conversion yet: \d+ h since the click, 30-day window still open$/);
    // "late" converts 31–60 days after its click: outside the 30-day window.
    assert.strictEqual(conversionRow(await card(doc, late)), 'No conversion within 30 days of the click');
    const outcome = await trace(late);
    assert.strictEqual(outcome.verdict, 'notConverted');
    assert.strictEqual(outcome.headline, 'Not converted within 30 days of the click.');
  });

  test('a slow report: the card says it is looking, and a later hover has the answer', async () => {
    await setSandboxKnobs({ conversions: { latencyMs: 2500 } });
    await setting('hover.timeBudgetMs', 300);
    try {
      const id = converted.days[0];
      const doc = await logDocument('conv-slow.log', [`click ${id}`]);
      // The click itself may need the budget too: hover until the click is there.
      const first = await waitFor('the click card', async () => ((await card(doc, id)).includes('| Time |') ? card(doc, id) : undefined));
      assert.strictEqual(conversionRow(first), 'Looking up conversions…');
      const later = await waitFor('the conversion line', async () => {
        const row = conversionRow(await card(doc, id));
        return row && row !== 'Looking up conversions…' ? row : undefined;
      });
      assert.match(later, /^Converted: \d+ /);
    } finally {
      await setSandboxKnobs({ conversions: { latencyMs: 0 } });
      await setting('hover.timeBudgetMs', 8000);
    }
  });

  test('conversions the account may not read (403): the line is left out, and ONE message says why', async () => {
    await setSandboxKnobs({ conversions: { forbidden: true } });
    // A new account empties the conversion cache, as a switch does.
    await useSandboxAccount('Sandbox 403');
    const api = await conversionsApi();
    const noticesBefore = api.notices().length;
    const ids = [converted.any[0], converted.late[1] ?? converted.late[0], converted.none[1]];
    const doc = await logDocument('conv-forbidden.log', ids.map((id) => `click ${id}`));
    await card(doc, ids[0]);
    const told = await waitFor('the message', () => (api.notices().length > noticesBefore ? api.notices() : undefined));
    assert.match(told[told.length - 1], /403/);
    const requestsAfterFirst = await conversionRequests();
    for (const id of ids) {
      const markdown = await card(doc, id);
      assert.ok(markdown.includes('| Time |'), 'the click card is still there');
      assert.strictEqual(conversionRow(markdown), undefined, 'a Conversions row despite the 403');
    }
    assert.strictEqual(api.notices().length, noticesBefore + 1, 'the message was repeated');
    assert.strictEqual(await conversionRequests(), requestsAfterFirst, 'hovers kept asking after the 403');
    // The trace says it cannot tell, and why.
    const outcome = await trace(ids[0]);
    assert.strictEqual(outcome.verdict, 'unknown');
    assert.match(activeResultText(), /403/);
    await setSandboxKnobs({ conversions: { forbidden: false } });
    await useSandboxAccount();
  });

  test('Trace Click: a rejected click is explained by its error code', async () => {
    const outcome = await trace(await rejectedClickId(testConfig().sandboxUrl, testConfig().keys.valid));
    assert.strictEqual(outcome.verdict, 'rejected');
    assert.match(outcome.headline, /^Click rejected: \d+ · /);
    assert.match(activeResultText(), /## Verdict: Click rejected/);
  });

  test('Trace Click: the document lists the click and its conversions in time order; Open as JSON has the raw responses and no key', async () => {
    const id = converted.any[1] ?? converted.any[0];
    const outcome = await trace(id);
    assert.strictEqual(outcome.verdict, 'converted');
    const text = activeResultText();
    assert.strictEqual(vscode.window.activeTextEditor?.document.languageId, 'markdown');
    assert.match(text, /## Verdict: Converted/);
    const rows = text.split('\n').filter((l) => /^\| \d{4}-\d\d-\d\d /.test(l));
    assert.strictEqual(rows.length, 1 + outcome.conversions, text);
    assert.match(rows[0], /\*\*Click\*\*/);
    const times = rows.map((r) => r.slice(2, 21));
    assert.deepStrictEqual([...times].sort(), times, 'not in time order');
    assertNoKey(text);
    await vscode.commands.executeCommand('everflow.openTraceAsJson');
    const json = JSON.parse(activeResultText()) as { request: { transaction_id: string; verdict: string }; exchanges: { request: { path: string }; response?: { conversions?: { transaction_id: string }[] } }[] };
    assert.strictEqual(json.request.transaction_id, id);
    assert.strictEqual(json.request.verdict, 'converted');
    const conv = json.exchanges.filter((x) => x.request.path.startsWith('/v1/affiliates/reporting/conversions'));
    assert.ok(conv.length >= 1, 'no conversion exchange');
    const mine = conv.flatMap((x) => x.response?.conversions ?? []).filter((c) => c.transaction_id === id);
    assert.ok(mine.length >= outcome.conversions, `${mine.length} raw rows for ${outcome.conversions} conversions`);
    assertNoKey(activeResultText());
  });

  test('bulk look-up with conversions: one conversion report over the IDs\' span, not one request per ID', async () => {
    const ids = [...converted.minutes, ...converted.none, converted.days[0]];
    const doc = await logDocument('conv-bulk.log', ids.map((id) => `postback transaction_id=${id}`));
    const before = await conversionRequests();
    const summary = await vscode.commands.executeCommand<{ rows: number; conversions?: { rows: number; pages: number } }>('everflow.lookUpAllInFile', doc.uri, { addConversions: true });
    assert.ok(summary, 'no summary');
    assert.strictEqual(summary.rows, ids.length);
    assert.ok(summary.conversions, 'no conversions were added');
    assert.strictEqual(summary.conversions.pages, Math.max(1, Math.ceil(summary.conversions.rows / 2000)));
    assert.strictEqual(await conversionRequests(), before + summary.conversions.pages, 'conversion requests other than the report\'s pages');
    assert.ok(summary.conversions.pages < ids.length);
    await closeAllEditors();
  });

  test('Trace Click: not found, then (when asked) the prior 365 days searched with the request count shown', async () => {
    const first = await trace(UNKNOWN_ID);
    assert.strictEqual(first.verdict, 'notFound');
    assert.strictEqual(first.conversionRequests, 0, 'the year was searched without being asked');
    const searched = await trace(UNKNOWN_ID, { searchYear: true });
    assert.strictEqual(searched.verdict, 'pastRetention');
    assert.ok(searched.conversionRequests >= 1);
    const text = activeResultText();
    assert.match(text, new RegExp(`searched in ${searched.conversionRequests} request`));
    assertNoKey(text);
  });
});
