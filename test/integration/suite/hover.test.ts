import * as assert from 'assert';
import MarkdownIt from 'markdown-it';
import * as path from 'path';
import * as vscode from 'vscode';
import { escapeMarkdown } from '../../../src/hovers/escapeMarkdown';
import { ClickTerminalLinkProvider } from '../../../src/hovers/terminalLinkProvider';
import { resetSandbox, sandboxState, setSandboxKnobs, testConfig } from './env';
import { activeResultText, closeAllEditors, removeAllAccounts, useSandboxAccount } from './helpers';

// Transaction ids in logs and terminals, inside a real extension host against the sandbox: the hover
// card's content and safety, its request discipline (no key → nothing sent, one request per id),
// terminal links, and the bulk look-up.

const HOVER_COMMANDS = [
  'everflow.openClickAsJson',
  'everflow.openClickInGrid',
  'everflow.copyTransactionId',
  'everflow.copyClickJson',
  'everflow.lookUpClick',
  'everflow.setApiKey',
  'everflow.traceClick',
];
const UNKNOWN_ID = 'ffffffffffffffffffffffffffffffff';
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const md = new MarkdownIt({ html: true, linkify: true });

interface Card {
  value: string;
  markdown: vscode.MarkdownString;
}

/** The Everflow card(s) VS Code's hover providers give at `position`, or [] when none. */
async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<Card[]> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .filter((c): c is vscode.MarkdownString => typeof c === 'object' && typeof (c as { value?: unknown }).value === 'string')
    .filter((c) => /Everflow\sclick/.test(c.value))
    .map((c) => ({ value: c.value, markdown: c }));
}

async function oneCard(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const cards = await hoverAt(uri, position);
  assert.strictEqual(cards.length, 1, `expected one Everflow hover, got ${cards.length}`);
  return cards[0].value;
}

/** A .log document in the workspace holding `lines`; returns it and where each id starts. */
async function logDocument(name: string, lines: string[]): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.file(path.join(testConfig().workspaceFolder, name));
  await vscode.workspace.fs.writeFile(uri, Buffer.from(lines.join('\n') + '\n', 'utf8'));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** The position of the middle of `needle` in `doc`. */
function positionOf(doc: vscode.TextDocument, needle: string, occurrence = 0): vscode.Position {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} is not in ${doc.uri.fsPath}`);
  return doc.positionAt(at + Math.floor(needle.length / 2));
}

async function requests(): Promise<number> {
  return (await sandboxState()).requestCount;
}

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('everflow').update(key, value, vscode.ConfigurationTarget.Global);
}

/** The card's text as a CommonMark renderer shows it. */
function plain(markdown: string): string {
  return md
    .render(markdown)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Hrefs in the card as a CommonMark renderer sees them. */
function hrefs(markdown: string): string[] {
  return [...md.render(markdown).matchAll(/href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
}

suite('Hover: transaction IDs in logs, terminals and bulk look-up', () => {
  let ids: string[];
  let doc: vscode.TextDocument;

  suiteSetup(async () => {
    await resetSandbox();
    await removeAllAccounts();
    ids = testConfig().sampleIds;
    doc = await logDocument('hover-sample.log', [
      '2026-03-18 09:00:00 INFO tracker started',
      ...ids.map((id, i) => `2026-03-18 09:00:0${i} INFO postback transaction_id=${id} offer=${100 + i}`),
      `2026-03-18 09:00:09 DEBUG device idfa_md5=${MD5} sdk=4.2`,
      `2026-03-18 09:00:10 WARN unknown click ${UNKNOWN_ID}`,
    ]);
  });
  suiteTeardown(async () => {
    await setting('hover.timeBudgetMs', undefined);
    await setting('hover.enabled', undefined);
    await setting('hover.idPattern', undefined);
    await setSandboxKnobs({ latencyMs: 0 });
    await closeAllEditors();
  });

  test('with no key, the card offers Set API Key and sends nothing', async () => {
    const before = await requests();
    const card = await oneCard(doc.uri, positionOf(doc, ids[0]));
    assert.match(plain(card), /Connect an Everflow account/);
    assert.deepStrictEqual(hrefs(card), ['command:everflow.setApiKey']);
    assert.strictEqual(await requests(), before, 'a request went out without a key');
  });

  test('a sample id shows the click: time, offer, place, device, revenue, error', async () => {
    await useSandboxAccount();
    await setting('hover.timeBudgetMs', 5000);
    const card = await oneCard(doc.uri, positionOf(doc, ids[0]));
    for (const label of ['| Time |', '| Offer |', '| Location |', '| Device |', '| Revenue |', '| Status |']) {
      assert.ok(card.includes(label), `no ${label} row in\n${card}`);
    }
    const click = await sandboxClick(ids[0]);
    assert.ok(card.includes(escapeMarkdown(click.relationship.offer.name, { maxLength: 60 })), 'offer name');
    assert.ok(card.includes(`\\#${click.relationship.offer.network_offer_id}`), 'offer id');
    assert.match(plain(card), / UTC /, 'the time in UTC');
    assert.match(plain(card), /Status (Unique|Not unique) · (no error|error \d+ · )/);
    if (click.relationship.geolocation.country_name) assert.ok(card.includes(escapeMarkdown(click.relationship.geolocation.country_name, { maxLength: 40 })), 'country');
    for (const cmd of ['openClickAsJson', 'openClickInGrid', 'copyTransactionId', 'copyClickJson']) {
      assert.ok(hrefs(card).includes(`command:everflow.${cmd}?${encodeURIComponent(JSON.stringify([ids[0]]))}`), cmd);
    }
  });

  test('the hostile click renders no HTML and links only to allow-listed commands', async () => {
    const hostile = testConfig().hostileSampleId ?? ids[ids.length - 1];
    const hostileDoc = await logDocument('hover-hostile.log', [`click ${hostile} arrived`]);
    const cards = await hoverAt(hostileDoc.uri, positionOf(hostileDoc, hostile));
    assert.strictEqual(cards.length, 1);
    const { value, markdown } = cards[0];
    const html = md.render(value);
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
    for (const tag of tags) assert.ok(['table', 'thead', 'tbody', 'tr', 'th', 'td', 'p', 'strong', 'code', 'a'].includes(tag), `<${tag}> in the card`);
    const links = hrefs(value);
    assert.strictEqual(links.length, 5, links.join('\n'));
    for (const href of links) {
      const command = /^command:([\w.]+)(\?|$)/.exec(href)?.[1];
      assert.ok(command && HOVER_COMMANDS.includes(command), href);
      assert.ok(!href.includes('?') || JSON.parse(decodeURIComponent(href.split('?')[1]))[0] === hostile, `arguments of ${href}`);
    }
    assert.match(value, /\\<\/?script\\>/, 'the script tag shows as escaped text');
    assert.ok(!/[\u202e\u200b]/.test(value), 'a bidi override or zero-width space reached the card');
    assert.ok(value.length < 5000, `${value.length} characters`);
    // What VS Code keeps of the MarkdownString's trust settings (the API converts it on the way back).
    const trust = (markdown as { isTrusted?: unknown }).isTrusted;
    if (trust !== undefined) assert.notStrictEqual(trust, true, 'blanket trust');
    assert.notStrictEqual((markdown as { supportHtml?: boolean }).supportHtml, true);
  });

  test('an idfa_md5 value gets no hover', async () => {
    const before = await requests();
    assert.deepStrictEqual(await hoverAt(doc.uri, positionOf(doc, MD5)), []);
    assert.strictEqual(await requests(), before);
  });

  test('an unknown id is "not found", and asking again sends nothing', async () => {
    const before = await requests();
    const card = await oneCard(doc.uri, positionOf(doc, UNKNOWN_ID));
    assert.match(plain(card), /not found, or older than the 3-month raw-data retention/);
    await oneCard(doc.uri, positionOf(doc, UNKNOWN_ID));
    assert.strictEqual(await requests(), before + 1);
  });

  test('a slow answer shows a loading line; two hovers at once make one request; the next hover is complete', async () => {
    await setSandboxKnobs({ latencyMs: 1500 });
    await setting('hover.timeBudgetMs', 200);
    const id = ids[1];
    const before = await requests();
    const [a, b] = await Promise.all([oneCard(doc.uri, positionOf(doc, id)), oneCard(doc.uri, positionOf(doc, id))]);
    for (const card of [a, b]) {
      assert.match(plain(card), /Looking up… hover again in a moment/);
      assert.deepStrictEqual(hrefs(card), [`command:everflow.lookUpClick?${encodeURIComponent(JSON.stringify([id]))}`]);
    }
    await new Promise((r) => setTimeout(r, 2500));
    const complete = await oneCard(doc.uri, positionOf(doc, id));
    assert.match(complete, /\| Offer \|/);
    assert.strictEqual(await requests(), before + 1);
    await setSandboxKnobs({ latencyMs: 0 });
    await setting('hover.timeBudgetMs', 5000);
  });

  test('turning hovers off takes effect without a reload', async () => {
    await setting('hover.enabled', false);
    assert.deepStrictEqual(await hoverAt(doc.uri, positionOf(doc, ids[0])), []);
    await setting('hover.enabled', undefined);
    assert.strictEqual((await hoverAt(doc.uri, positionOf(doc, ids[0]))).length, 1);
  });

  test('an invalid id pattern falls back to the default, without a reload', async () => {
    await setting('hover.idPattern', '([0-9a-f]{32}');
    try {
      assert.strictEqual((await hoverAt(doc.uri, positionOf(doc, ids[0]))).length, 1);
    } finally {
      await setting('hover.idPattern', undefined);
    }
  });

  test('the palette look-up answers from the cache the hover filled', async () => {
    const before = await requests();
    assert.strictEqual(await vscode.commands.executeCommand('everflow.lookUpClick', ids[0]), true);
    assert.deepStrictEqual(transactionIdsIn(activeResultText()), [ids[0]]);
    assert.strictEqual(await requests(), before);
    await closeAllEditors();
  });

  test('the hover links open the click as JSON and copy the id', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('everflow.openClickAsJson', ids[0]), true);
    assert.deepStrictEqual(transactionIdsIn(activeResultText()), [ids[0]]);
    await closeAllEditors();
    assert.strictEqual(await vscode.commands.executeCommand('everflow.copyTransactionId', ids[0]), true);
    assert.strictEqual(await vscode.env.clipboard.readText(), ids[0]);
    assert.strictEqual(await vscode.commands.executeCommand('everflow.copyClickJson', [ids[0]]), true);
    assert.strictEqual(JSON.parse(await vscode.env.clipboard.readText()).transaction_id, ids[0]);
    assert.strictEqual(await vscode.commands.executeCommand('everflow.openClickAsJson', 'not an id'), false);
  });

  test('terminal: ids in a pseudoterminal line become links that open the look-up', async () => {
    const line = `tail: postback transaction_id=${ids[2]} idfa_md5=${MD5} ok`;
    const writeEmitter = new vscode.EventEmitter<string>();
    const terminal = vscode.window.createTerminal({
      name: 'everflow-test',
      pty: { onDidWrite: writeEmitter.event, open: () => writeEmitter.fire(`${line}\r\n`), close: () => undefined },
    });
    try {
      const provider = new ClickTerminalLinkProvider();
      const token = new vscode.CancellationTokenSource().token;
      const links = provider.provideTerminalLinks({ line, terminal }, token);
      assert.deepStrictEqual(
        links.map((l) => [l.startIndex, l.length, l.transactionId]),
        [[line.indexOf(ids[2]), 32, ids[2]]],
      );
      provider.handleTerminalLink(links[0]);
      const deadline = Date.now() + 10_000;
      while (vscode.window.activeTextEditor?.document.uri.scheme !== 'everflow-result' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.deepStrictEqual(transactionIdsIn(activeResultText()), [ids[2]]);
    } finally {
      terminal.dispose();
      writeEmitter.dispose();
      await closeAllEditors();
    }
  });

  test('a value no click-ID key names is looked up, but gets a card only when Everflow knows the click', async () => {
    const checksum = 'c'.repeat(31) + '1';
    const candidateDoc = await logDocument('hover-candidates.log', [`artifact ${checksum} uploaded`, `see ${ids[3]} for the details`]);
    const before = await requests();
    assert.deepStrictEqual(await hoverAt(candidateDoc.uri, positionOf(candidateDoc, checksum)), [], 'a card over a value Everflow does not know');
    assert.strictEqual(await requests(), before + 1, 'the candidate was not looked up');
    // Asked again: the cached "not found" answers, still without a card.
    assert.deepStrictEqual(await hoverAt(candidateDoc.uri, positionOf(candidateDoc, checksum)), []);
    assert.strictEqual(await requests(), before + 1);
    const card = await oneCard(candidateDoc.uri, positionOf(candidateDoc, ids[3]));
    assert.match(card, /\| Offer \|/);
    assert.ok(card.includes(ids[3]));
  });

  test('the hover reads the CSV header on line 0 and the "name" on the line above', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `2026-03-18,${i % 2 ? ids[4] : ids[3]},${MD5}`);
    const csv = await logDocument('hover-export.log', ['date,partnerClickId,fileChecksum', ...rows]);
    const before = await requests();
    assert.deepStrictEqual(await hoverAt(csv.uri, positionOf(csv, MD5, 150)), [], 'a card over the checksum column');
    assert.strictEqual(await requests(), before, 'a checksum column value was looked up');
    assert.match(await oneCard(csv.uri, positionOf(csv, ids[4], 60)), /\| Offer \|/);
    const har = await logDocument('hover-har.log', ['[', '  {', '    "name": "ETag",', `    "value": "${MD5}"`, '  },', '  {', '    "name": "ef_click",', `    "value": "${ids[2]}"`, '  }', ']']);
    const atHash = await requests();
    assert.deepStrictEqual(await hoverAt(har.uri, positionOf(har, MD5)), []);
    assert.strictEqual(await requests(), atHash, 'an ETag value was looked up');
    assert.match(await oneCard(har.uri, positionOf(har, ids[2])), /\| Offer \|/);
  });

  test('bulk: Look Up All asks before values without a click-ID key, and Cancel sends nothing', async () => {
    const bulkDoc = await logDocument('hover-bulk-ask.log', [`tid=${ids[3]}`, `ref ${ids[4]}`, `ref ${UNKNOWN_ID}`]);
    await vscode.window.showTextDocument(bulkDoc);
    const before = await requests();
    const cancelled = await answerQuickPick(vscode.commands.executeCommand<unknown>('everflow.lookUpAllInFile'), 'workbench.action.closeQuickOpen');
    assert.strictEqual(cancelled, undefined);
    assert.strictEqual(await requests(), before, 'a request went out before the answer');
    const all = await answerQuickPick(vscode.commands.executeCommand<{ ids: number; rows: number; notFound: string[] }>('everflow.lookUpAllInFile'), 'workbench.action.acceptSelectedQuickOpenItem');
    assert.ok(all, 'the bulk look-up returned nothing');
    assert.deepStrictEqual([all.ids, all.rows, all.notFound], [3, 2, [UNKNOWN_ID]]);
    await closeAllEditors();
  });

  test('bulk: Look Up All Transaction IDs in File returns rows and the ids not found', async () => {
    const bulkDoc = await logDocument('hover-bulk.log', [
      ...ids.slice(0, 3).map((id) => `transaction_id=${id}`),
      `again ${ids[0]}`,
      `idfa_md5=${MD5}`,
      `missing ${UNKNOWN_ID}`,
      `missing too ${'e'.repeat(32)}`,
    ]);
    await vscode.window.showTextDocument(bulkDoc);
    // Two of the values have no click-ID key in front; the first choice looks them up too.
    const summary = await answerQuickPick(
      vscode.commands.executeCommand<{ ids: number; rows: number; notFound: string[]; partial: boolean }>('everflow.lookUpAllInFile'),
      'workbench.action.acceptSelectedQuickOpenItem',
    );
    assert.ok(summary, 'the bulk look-up returned nothing');
    assert.strictEqual(summary.ids, 5);
    assert.strictEqual(summary.rows, 3);
    assert.deepStrictEqual(summary.notFound, [UNKNOWN_ID, 'e'.repeat(32)]);
    assert.strictEqual(summary.partial, false);
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.uri.scheme === 'everflow-result') {
      // Until the grid lands, the grid opens as a JSON document.
      const result = JSON.parse(editor.document.getText());
      assert.strictEqual(result.request.kind, 'bulk');
      assert.deepStrictEqual(result.request.not_found, [UNKNOWN_ID, 'e'.repeat(32)]);
      assert.deepStrictEqual(result.clicks.map((c: { transaction_id: string }) => c.transaction_id), ids.slice(0, 3));
    }
  });
});

/**
 * The distinct click transaction ids a result document holds, wherever its layout puts the click
 * (the document's shape is another part's concern; this suite checks which click opened).
 */
function transactionIdsIn(text: string): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'transaction_id' && typeof x === 'string' && /^[0-9a-f]{32}$/.test(x)) found.push(x);
        else walk(x);
      }
    }
  };
  walk(JSON.parse(text));
  return [...new Set(found)];
}

/**
 * Answers the quick pick `run` opens with `command` (accept the first item, or close it), and
 * returns what `run` returns. Quick picks raise no event the extension host can wait on, so the
 * command is sent until `run` settles; with no quick pick open it does nothing.
 */
async function answerQuickPick<T>(run: Thenable<T>, command: string): Promise<T> {
  let settled = false;
  const result = Promise.resolve(run).finally(() => (settled = true));
  const deadline = Date.now() + 20_000;
  while (!settled && Date.now() < deadline) {
    await vscode.commands.executeCommand(command);
    await Promise.race([result.then(undefined, () => undefined), new Promise((r) => setTimeout(r, 150))]);
  }
  return result;
}

interface SandboxClick {
  relationship: { offer: { name: string; network_offer_id: number }; geolocation: { country_name: string } };
}

async function sandboxClick(id: string): Promise<SandboxClick> {
  const res = await fetch(new URL(`/v1/affiliates/reporting/clicks/${id}`, testConfig().sandboxUrl), { headers: { 'X-Eflow-API-Key': testConfig().keys.valid } });
  assert.strictEqual(res.status, 200);
  return (await res.json()) as SandboxClick;
}
