/* eslint-disable @typescript-eslint/no-explicit-any -- JSON documents and rows as sent, read back field by field */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { asSentDocument, keepWithinBudget, rowsAsSentDocument } from '../../../src/core/asSent';
import { EverflowClient, exchangeOfClick } from '../../../src/core/client';
import { COLUMNS, cellText, columnById, columnsByIds, columnsForRows, isExtraColumnId } from '../../../src/core/columns';
import { toCsv, toJson, toMarkdown, toTsv } from '../../../src/core/exporters';
import { clickAsJson, extraColumnId, extraHeader, extraPathOf, humanizeKey, MAX_COUNTED, MAX_EXTRA_COLUMNS } from '../../../src/core/extras';
import { flattenRows } from '../../../src/core/flatten';
import { GridTable } from '../../../src/core/gridTable';
import { RateLimiter } from '../../../src/core/limiter';
import { normalizeClick, parseStreamResponse } from '../../../src/core/parse';
import type { Click, StreamRequest } from '../../../src/core/types';
import { normalizeRequest } from '../../../src/core/validation';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { LONG_FIELD_NAME, MARKUP_FIELD_NAME } from '../../sandbox/unknownFields';

// Nothing Everflow sends is dropped: fields the client has no name for, served by the sandbox's
// `unknownFields` knob over real HTTP, survive parsing and reach the columns, the exports and the
// as-sent JSON document.

const NOW = new Date('2026-03-20T12:00:00Z');
const ONE_HOUR: StreamRequest = { from: '2026-03-18 10:00:00', to: '2026-03-18 10:59:59', timezone_id: 67 };
const FOUR_HOURS: StreamRequest = { from: '2026-03-18 08:00:00', to: '2026-03-18 11:59:59', timezone_id: 67 };

let sb: Sandbox;

function client(): EverflowClient {
  return new EverflowClient({ baseUrl: () => sb.url, getApiKey: async () => sb.keys.valid, limiter: new RateLimiter({ perSecond: 1000 }) });
}

/** The stream's response body as the sandbox sends it, parsed but not normalised. */
async function wire(req: StreamRequest): Promise<{ table: Record<string, unknown>[] }> {
  const res = await fetch(`${sb.url}/v1/affiliates/reporting/clicks/stream`, {
    method: 'POST',
    headers: { 'X-Eflow-API-Key': sb.keys.valid, 'Content-Type': 'application/json' },
    body: JSON.stringify(req),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as { table: Record<string, unknown>[] };
}

before(async () => {
  sb = await startSandbox({ now: NOW });
});
after(async () => {
  await sb.close();
});
beforeEach(() => {
  sb.resetKnobs();
  sb.setKnobs({ rateLimit: { perSecond: 1000, enforce: false } });
});
afterEach(() => sb.resetKnobs());

describe('unknown fields: parsing', () => {
  it('a response without unknown fields gives clicks without an `extra` key (the common case costs nothing)', async () => {
    const { rows } = await client().streamClicks(ONE_HOUR);
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => !('extra' in r)));
    assert.deepEqual(columnsForRows(rows), { columns: [...COLUMNS], omitted: 0 });
  });

  it('keeps unknown top-level fields, unknown fields of known relationship objects and unknown relationship objects, as sent', async () => {
    sb.setKnobs({ unknownFields: 'network' });
    const body = await wire(ONE_HOUR);
    const { rows } = parseStreamResponse(body, 5000);
    assert.equal(rows.length, body.table.length);
    rows.forEach((r, i) => {
      const sent = body.table[i] as Record<string, any>;
      assert.equal(r.extra?.top?.payout, sent.payout);
      assert.equal(r.extra?.top?.is_view_through, sent.is_view_through);
      assert.deepEqual({ ...(r.extra?.relationship?.offer as object) }, { payout_type: sent.relationship.offer.payout_type, visibility: 'public' });
      assert.deepEqual({ ...(r.extra?.relationship?.geolocation as object) }, { zip_plus4: sent.relationship.geolocation.zip_plus4 });
      assert.deepEqual(r.extra?.relationship?.affiliate, sent.relationship.affiliate);
      assert.deepEqual(r.extra?.relationship?.advertiser, sent.relationship.advertiser);
      // The known fields are normalised as before, and the unknown ones do not leak into them.
      assert.equal(r.relationship.offer.name, sent.relationship.offer.name);
      assert.ok(!('payout_type' in r.relationship.offer));
    });
  });

  it('hostile names stay plain data: no prototype changes, every name kept', async () => {
    sb.setKnobs({ unknownFields: 'hostile' });
    const { rows } = parseStreamResponse(await wire(ONE_HOUR), 5000);
    const r = rows[0];
    const top = r.extra!.top!;
    assert.deepEqual(Object.getOwnPropertyDescriptor(top, '__proto__')?.value, { polluted: 'yes' });
    assert.equal(top.constructor, 'not a function');
    assert.equal(top[MARKUP_FIELD_NAME], '<script>alert("unknown field")</script>');
    assert.equal(top[LONG_FIELD_NAME], 'the value of a very long name');
    assert.equal(top['a/b%2Fc'], 'slash and percent in the name');
    assert.deepEqual(Object.getOwnPropertyDescriptor(r.extra!.relationship!.offer, '__proto__')?.value, { polluted: 'offer' });
    assert.deepEqual(Object.getOwnPropertyDescriptor(r.extra!.relationship!, 'toString')?.value, { deep: { deeper: { deepest: [1, 2, { three: 3 }] } } });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(r), Object.prototype);
  });

  it('query_parameters stay free-form and are never counted as unknown', () => {
    const c = normalizeClick({ transaction_id: 'a'.repeat(32), relationship: { query_parameters: { a: '1', b: '2', c: '3', d: '4' } } });
    assert.equal(c.extra, undefined);
    const d = normalizeClick({ transaction_id: 'a'.repeat(32), sub9: 'x', relationship: { query_parameters: { a: '1' } } });
    assert.deepEqual({ ...d.extra!.top }, { sub9: 'x' });
  });

  it('a row missing known keys but carrying as many unknown ones is still found out', () => {
    // Same key count as a full row's top level: the count of known keys read must tell them apart.
    const c = normalizeClick({ transaction_id: 'b'.repeat(32), new_one: 1, relationship: {} });
    assert.deepEqual({ ...c.extra!.top }, { new_one: 1 });
  });
});

describe('unknown fields: columns', () => {
  it('each unknown field is a column, hidden by default, named like the known ones', async () => {
    sb.setKnobs({ unknownFields: 'network' });
    const { rows } = await client().streamClicks(ONE_HOUR);
    const { columns, omitted } = columnsForRows(rows);
    assert.equal(omitted, 0);
    const extras = columns.filter((c) => isExtraColumnId(c.id));
    assert.deepEqual(
      extras.map((c) => c.header),
      ['Payout', 'Is View Through', 'Offer: Payout Type', 'Offer: Visibility', 'Geolocation: Zip Plus4', 'Affiliate: Network Affiliate ID', 'Affiliate: Name', 'Affiliate: Labels', 'Advertiser: Network Advertiser ID', 'Advertiser: Name', 'Advertiser: Account Manager'],
    );
    assert.ok(extras.every((c) => c.visibleByDefault === false && c.kind === 'text'));
    assert.deepEqual(columns.slice(0, COLUMNS.length), [...COLUMNS]);
    // Values: scalars as sent, arrays and objects as JSON text, null as empty.
    const payout = columnById(extraColumnId(['payout']))!;
    assert.equal(payout.get(rows[0]), rows[0].extra!.top!.payout);
    const labels = columnById(extraColumnId(['relationship', 'affiliate', 'labels']))!;
    assert.equal(labels.get(rows[0]), JSON.stringify((rows[0].extra!.relationship!.affiliate as { labels: string[] }).labels));
    const manager = columnById(extraColumnId(['relationship', 'advertiser', 'account_manager']))!;
    assert.equal(manager.get(rows[0]), '{"name":"Jo Smith","email":"jo@example.test"}');
    const zip = columnById(extraColumnId(['relationship', 'geolocation', 'zip_plus4']))!;
    const nullZip = rows.find((r) => (r.extra!.relationship!.geolocation as { zip_plus4: unknown }).zip_plus4 === null)!;
    assert.equal(zip.get(nullZip), '');
    // The grid's model shows them: flattened, searchable, sortable.
    const table = new GridTable(flattenRows(rows, columns), 'UTC');
    const c = table.col(payout.id);
    assert.ok(c >= 0);
    assert.equal(table.text(c, 0), String(rows[0].extra!.top!.payout));
    assert.ok(table.view({ search: 'acme advertiser' }).length === rows.length);
  });

  it('hostile names make safe ids and readable headers; ids survive a round trip', async () => {
    sb.setKnobs({ unknownFields: 'hostile' });
    const { rows } = await client().streamClicks(ONE_HOUR);
    const { columns } = columnsForRows(rows);
    const byHeader = new Map(columns.map((c) => [c.header, c]));
    const proto = columns.find((c) => c.extra?.length === 1 && c.extra[0] === '__proto__')!;
    assert.equal(proto.id, 'extra:__proto__');
    assert.equal(proto.header, 'Proto');
    assert.equal(proto.get(rows[0]), '{"polluted":"yes"}');
    assert.ok(byHeader.has('Constructor'));
    const markup = columns.find((c) => c.extra?.[0] === MARKUP_FIELD_NAME)!;
    assert.equal(markup.header, '<img Src=x Onerror="alert(1)">');
    assert.ok(!/[<>"]/.test(markup.id), markup.id);
    const long = columns.find((c) => c.extra?.[0] === LONG_FIELD_NAME)!;
    assert.ok(long.header.length <= 60 && long.header.endsWith('…'), long.header);
    assert.equal(long.get(rows[0]), 'the value of a very long name');
    const slash = columns.find((c) => c.extra?.[0] === 'a/b%2Fc')!;
    assert.deepEqual(extraPathOf(slash.id), ['a/b%2Fc']);
    assert.equal(slash.get(rows[0]), 'slash and percent in the name');
    assert.ok(byHeader.has('Offer: Proto'));
    assert.equal(byHeader.get('To String: Deep')?.get(rows[0]), '{"deeper":{"deepest":[1,2,{"three":3}]}}');
    // Every id maps back to its column; a saved layout naming them opens them again.
    for (const col of columns) assert.equal(columnById(col.id)?.header, col.header);
    assert.deepEqual(columnsByIds([proto.id, 'nonsense', slash.id]).map((c) => c.id), [proto.id, slash.id]);
    // Ids no column could have are refused rather than guessed.
    for (const bad of ['extra:%E0%A4%A', 'extra:transaction_id', 'extra:a/b', 'extra:relationship/a/b/c', '__proto__', 'geo.__proto__']) {
      assert.equal(extraPathOf(bad), undefined, bad);
      assert.equal(columnById(bad), undefined, bad);
    }
    // A field with an empty name is a field too.
    assert.deepEqual(extraPathOf('extra:'), ['']);
  });

  it(`thousands of distinct unknown fields: ${MAX_EXTRA_COLUMNS} columns offered, the rest counted, the data kept`, async () => {
    sb.setKnobs({ unknownFields: 'many' });
    const { rows } = await client().streamClicks(FOUR_HOURS);
    const distinct = rows.length * 3 + 11;
    assert.ok(rows.length > 100, `${rows.length} rows`);
    const { columns, omitted } = columnsForRows(rows);
    assert.equal(columns.length, COLUMNS.length + MAX_EXTRA_COLUMNS);
    assert.equal(omitted, distinct - MAX_EXTRA_COLUMNS);
    // The last row's own fields have no column, but its JSON has them.
    const last = rows[rows.length - 1];
    const json = JSON.stringify(clickAsJson(last));
    for (const k of Object.keys(last.extra!.top!).filter((k) => k.startsWith('field_'))) assert.ok(json.includes(`"${k}"`), k);
  });

  it('the count of fields left out stops at MAX_COUNTED, and the columns at MAX_EXTRA_COLUMNS', () => {
    const rows = Array.from({ length: 4000 }, (_, i) => normalizeClick({ transaction_id: String(i), [`a_${i}`]: 1, [`b_${i}`]: 2, [`c_${i}`]: 3 }));
    const { columns, omitted } = columnsForRows(rows);
    assert.equal(columns.length - COLUMNS.length, MAX_EXTRA_COLUMNS);
    assert.equal(omitted, MAX_COUNTED);
  });

  it('headers: snake, camel and kebab case read as words, acronyms in capitals', () => {
    assert.equal(humanizeKey('payout_type'), 'Payout Type');
    assert.equal(humanizeKey('advertiserId'), 'Advertiser ID');
    assert.equal(humanizeKey('landing-page-url'), 'Landing Page URL');
    assert.equal(humanizeKey(''), '(no name)');
    assert.equal(humanizeKey('a\u0000b\nc'), 'A B C');
    assert.equal(extraHeader(['relationship', 'device_information', 'screen_width']), 'Device: Screen Width');
    assert.equal(extraHeader(['relationship', 'campaign']), 'Campaign');
  });
});

describe('unknown fields: exports', () => {
  it('CSV, TSV and Markdown carry a chosen unknown column, neutralised and escaped like any text; numbers stay numbers', async () => {
    sb.setKnobs({ unknownFields: 'hostile' });
    const { rows } = await client().streamClicks(ONE_HOUR);
    const cols = columnsByIds(['transaction_id', extraColumnId(['payout']), extraColumnId(['formula_value']), extraColumnId([MARKUP_FIELD_NAME])]);
    assert.equal(cols.length, 4);
    const csv = toCsv(rows.slice(0, 2), cols, { zone: 'UTC', bom: false });
    const [header, first] = csv.split('\r\n');
    assert.equal(header, 'Transaction ID,Payout,Formula Value,"<img Src=x Onerror=""alert(1)"">"');
    assert.ok(first.startsWith(`${rows[0].transaction_id},${rows[0].extra!.top!.payout},"'=HYPERLINK(`), first);
    const tsv = toTsv(rows.slice(0, 1), cols, 'UTC');
    assert.ok(tsv.includes(`\t'=HYPERLINK(`));
    const md = toMarkdown(rows.slice(0, 1), cols, 'UTC');
    assert.ok(md.includes('&lt;script&gt;alert("unknown field")&lt;/script&gt;'));
    assert.ok(!md.includes('<script>'));
    assert.equal(cellText(cols[1], rows[0], { zone: 'UTC' }), String(rows[0].extra!.top!.payout));
  });

  it('the JSON export puts every unknown field back where Everflow sent it', async () => {
    sb.setKnobs({ unknownFields: 'hostile' });
    const body = await wire(ONE_HOUR);
    const { rows } = parseStreamResponse(body, 5000);
    const meta = { from: ONE_HOUR.from, to: ONE_HOUR.to, timezone_id: 67, filters: [], exclusions: [], logic: '', fetched_at: NOW.toISOString(), rows: rows.length, truncated: false };
    const exported = JSON.parse(toJson(rows, meta)) as { clicks: Record<string, any>[] };
    const sent = body.table[0] as Record<string, any>;
    const got = exported.clicks[0];
    assert.equal(got.payout, sent.payout);
    assert.deepEqual(Object.getOwnPropertyDescriptor(got, '__proto__')?.value, { polluted: 'yes' });
    assert.equal(got[LONG_FIELD_NAME], sent[LONG_FIELD_NAME]);
    assert.equal(got.relationship.offer.payout_type, sent.relationship.offer.payout_type);
    assert.equal(got.relationship.offer.name, sent.relationship.offer.name);
    assert.deepEqual(got.relationship.affiliate, sent.relationship.affiliate);
    assert.deepEqual(got.relationship.toString, sent.relationship.toString);
    assert.equal(got.relationship.geolocation.zip_plus4, sent.relationship.geolocation.zip_plus4);
    // Normalised where the catalogue knows the field.
    assert.equal(typeof got.is_unique, 'boolean');
  });
});

describe('as sent: the JSON document of what Everflow sent', () => {
  it('a stream result shows the request beside the response, not normalised', async () => {
    sb.setKnobs({ unknownFields: 'network', omitEmptyKeys: true });
    const result = await client().streamClicks(ONE_HOUR);
    assert.equal(result.exchanges?.length, 1);
    const x = result.exchanges![0];
    assert.equal(x.method, 'POST');
    assert.equal(x.path, '/v1/affiliates/reporting/clicks/stream');
    assert.deepEqual(x.body, normalizeRequest(ONE_HOUR));
    assert.ok(!JSON.stringify(x).includes(sb.keys.valid));
    const doc = asSentDocument({ request: { kind: 'stream' }, exchanges: result.exchanges!, rows: result.rows }) as any;
    assert.deepEqual(doc.exchanges[0].request, { method: 'POST', path: x.path, body: x.body });
    assert.equal(doc.exchanges[0].status, 200);
    const sent = (await wire(ONE_HOUR)).table;
    assert.deepEqual(doc.exchanges[0].response.table, sent);
    assert.equal(doc.clicks_normalised, undefined);
    // An omitted key stays omitted; is_unique stays 0/1.
    assert.ok(doc.exchanges[0].response.table.some((r: Record<string, unknown>) => !('sub1' in r)));
    assert.ok(doc.exchanges[0].response.table.every((r: Record<string, unknown>) => r.is_unique === undefined || typeof r.is_unique === 'number'));
  });

  it('a looked-up click keeps its exchange: an integer carrier_code stays an integer', async () => {
    sb.setKnobs({ carrierCodeAs: 'number', omitEmptyKeys: true });
    const [id] = sb.sampleIds(1);
    const click = await client().getClick(id);
    assert.equal(typeof click.relationship.geolocation.carrier_code, 'string');
    const x = exchangeOfClick(click)!;
    assert.deepEqual({ method: x.method, path: x.path, status: x.status }, { method: 'GET', path: `/v1/affiliates/reporting/clicks/${id}`, status: 200 });
    const doc = rowsAsSentDocument({ request: { kind: 'click' }, exchanges: [x], rows: [click], single: true }) as any;
    const sent = doc.click;
    assert.equal(sent.transaction_id, id);
    assert.ok(sent.relationship.geolocation.carrier_code === undefined || Number.isInteger(sent.relationship.geolocation.carrier_code));
    assert.deepEqual(doc.sent_by, [{ request: { method: 'GET', path: x.path }, status: 200 }]);
  });

  it('responses over the budget keep their request; their rows fall back to the normalised form, with a note', async () => {
    const a = await client().streamClicks(ONE_HOUR);
    const b = await client().streamClicks({ ...ONE_HOUR, from: '2026-03-18 11:00:00', to: '2026-03-18 11:59:59' });
    const kept = keepWithinBudget([...a.exchanges!, ...b.exchanges!], a.exchanges![0].response!.length);
    assert.equal(kept[0].response, a.exchanges![0].response);
    assert.equal(kept[1].response, undefined);
    assert.match(kept[1].not_kept!, /not kept/);
    const rows: Click[] = [...a.rows, ...b.rows];
    const doc = asSentDocument({ request: {}, exchanges: kept, rows }) as any;
    assert.equal(doc.clicks_normalised.length, b.rows.length);
    assert.match(doc.note, new RegExp(`${b.rows.length} of ${rows.length}`));
    assert.equal(doc.exchanges[1].response_not_kept, kept[1].not_kept);
    const some = rowsAsSentDocument({ request: {}, exchanges: kept, rows: [a.rows[0], b.rows[0]] }) as any;
    assert.equal(some.clicks.length, 2);
    assert.equal(typeof some.clicks[0].is_unique, 'number');
    assert.equal(typeof some.clicks[1].is_unique, 'boolean');
    assert.match(some.note, /1 of 2/);
  });
});
