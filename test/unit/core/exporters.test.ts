import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COLUMNS, columnById, defaultColumns, type ColumnDef } from '../../../src/core/columns';
import { exportMeta, markdownCell, metaSidecar, neutraliseFormula, toCsv, toJson, toMarkdown, toTsv, type ExportMeta } from '../../../src/core/exporters';
import { normalizeClick } from '../../../src/core/parse';
import type { Click } from '../../../src/core/types';
import { BIDI, EMOJI_COMBINING, FORMULA_AT, FORMULA_HYPERLINK, FORMULA_MINUS, FORMULA_PLUS, MD_COMMAND_LINK, XSS_SCRIPT, ZERO_WIDTH } from '../../sandbox/hostile';

// Exports and clipboard copies, with the attacker-controlled strings the sandbox serves.

function click(over: Partial<Click> = {}): Click {
  return {
    ...normalizeClick({
      transaction_id: '410da86457f54ae388a871d54a33275b',
      is_unique: 1,
      unix_timestamp: 1_702_313_995,
      revenue: 1.5,
      currency_id: 'USD',
      relationship: { offer: { name: 'Example Offer' }, geolocation: { country_name: 'United States', city_name: 'Burbank' } },
    }),
    ...over,
  };
}

/** RFC 4180 reader for the assertions (reading only; the code under test quotes with csv-stringify). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = (): void => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else if (c === '\n' || c === '\r') assert.fail(`bare line break outside quotes at ${i}`);
    else cell += c;
  }
  assert.equal(cell, '', 'file ends with CRLF');
  assert.equal(quoted, false);
  return rows;
}

const SUBS: ColumnDef[] = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'].map((id) => columnById(id)!);
const META: ExportMeta = {
  from: '2026-03-01 00:00:00',
  to: '2026-03-14 23:59:59',
  timezone_id: 80,
  timezone: 'America/New_York',
  filters: [{ resource_type: 'offer', filter_id_value: '883' }],
  exclusions: [{ resource_type: 'country', filter_id_value: 'Canada' }],
  logic: 'offer 883 and not Canada',
  account: 'Demo',
  fetched_at: '2026-03-15T12:00:00.000Z',
  rows: 1,
  truncated: false,
};

describe('toCsv', () => {
  it('writes a BOM, a header row and CRLF records that read back exactly', () => {
    const tricky = ['a,b', 'say "hi"', 'line1\nline2', 'cr\rhere', `${EMOJI_COMBINING} ${BIDI} ${ZERO_WIDTH} Zürich 東京`];
    const row = click({ sub1: tricky[0], sub2: tricky[1], sub3: tricky[2], sub4: tricky[3], sub5: tricky[4] });
    const csv = toCsv([row], SUBS, { zone: 'UTC' });
    assert.ok(csv.startsWith('\uFEFF'));
    const parsed = parseCsv(csv.slice(1));
    assert.deepEqual(parsed, [['Sub 1', 'Sub 2', 'Sub 3', 'Sub 4', 'Sub 5'], tricky]);
    assert.ok(!toCsv([row], SUBS, { zone: 'UTC', bom: false }).startsWith('\uFEFF'));
    assert.equal(toCsv([], SUBS, { zone: 'UTC', bom: false }), 'Sub 1,Sub 2,Sub 3,Sub 4,Sub 5\r\n');
  });

  it('writes every column, timestamps in the zone named in the header, numbers raw', () => {
    const csv = toCsv([click()], COLUMNS, { zone: 'America/Los_Angeles', bom: false });
    const [header, values] = parseCsv(csv);
    assert.equal(header.length, COLUMNS.length);
    const at = (h: string) => values[header.indexOf(h)];
    assert.equal(at('Time (America/Los_Angeles)'), '2023-12-11 08:59:55');
    assert.equal(at('Revenue'), '1.5');
    assert.equal(at('Unique'), 'true');
    assert.equal(at('Country'), 'United States');
    assert.equal(at('Unix Timestamp'), '1702313995');
  });

  it('neutralises spreadsheet formulas in text, but leaves negative numbers numeric', () => {
    const row = click({ sub1: FORMULA_HYPERLINK, sub2: FORMULA_PLUS, sub3: FORMULA_MINUS, sub4: FORMULA_AT, sub5: '-2', coupon_code: '\t=cmd', referer: '\r=cmd', revenue: -2.5, error_code: -3 });
    const cols = [...SUBS, columnById('coupon_code')!, columnById('referer')!, columnById('revenue')!, columnById('error_code')!];
    const [, values] = parseCsv(toCsv([row], cols, { zone: 'UTC', bom: false }));
    assert.deepEqual(values, [`'${FORMULA_HYPERLINK}`, "'+1+1", "'-2+3", "'@SUM(A1)", "'-2", "'\t=cmd", "'\r=cmd", '-2.5', '-3']);
    assert.equal(neutraliseFormula('plain'), 'plain');
    assert.equal(neutraliseFormula(' =not at start'), ' =not at start');
    assert.equal(neutraliseFormula(''), '');
  });
});

describe('metadata', () => {
  it('records the query in a JSON sidecar without any key', () => {
    const leaky = { ...META, apiKey: 'sbxDemoAffiliateKey0001', headers: { 'X-Eflow-API-Key': 'sbxDemoAffiliateKey0001' } } as ExportMeta;
    const text = metaSidecar(leaky);
    assert.ok(!text.includes('sbxDemoAffiliateKey0001'));
    assert.deepEqual(JSON.parse(text), META);
    assert.deepEqual(Object.keys(exportMeta({ ...META, partial: true })), ['from', 'to', 'timezone_id', 'timezone', 'filters', 'exclusions', 'logic', 'account', 'fetched_at', 'rows', 'truncated', 'partial']);
  });

  it('exports JSON as {request, clicks}, pretty-printed, with the meta and no key', () => {
    const rows = [click(), click({ transaction_id: 'b'.repeat(32), sub1: XSS_SCRIPT })];
    const text = toJson(rows, { ...META, rows: 2, apiKey: 'secret-key-value' } as ExportMeta);
    assert.ok(text.includes('\n  "request": {'));
    assert.ok(!text.includes('secret-key-value'));
    const parsed = JSON.parse(text) as { request: ExportMeta; clicks: Click[] };
    assert.deepEqual(Object.keys(parsed), ['request', 'clicks']);
    assert.deepEqual(parsed.request, { ...META, rows: 2 });
    assert.deepEqual(parsed.clicks, rows);
  });
});

describe('toTsv', () => {
  it('has a header row, one line per click, no tabs or line breaks inside cells', () => {
    const row = click({ sub1: 'a\tb', sub2: 'l1\r\nl2\nl3', sub3: FORMULA_HYPERLINK, sub4: '\t+1', sub5: 'ok' });
    const tsv = toTsv([row, row], [...SUBS, columnById('revenue')!], 'UTC');
    const lines = tsv.split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 3);
    assert.deepEqual(lines[0].split('\t'), ['Sub 1', 'Sub 2', 'Sub 3', 'Sub 4', 'Sub 5', 'Revenue']);
    assert.deepEqual(lines[1].split('\t'), ['a b', 'l1 l2 l3', `'${FORMULA_HYPERLINK}`, ' +1', 'ok', '1.5']);
    const neg = toTsv([click({ revenue: -2, sub1: '-2' })], [columnById('revenue')!, columnById('sub1')!], 'UTC');
    assert.equal(neg.split('\n')[1], "-2\t'-2");
  });
});

describe('toMarkdown', () => {
  it('escapes table syntax, Markdown links and code, and HTML', () => {
    assert.equal(markdownCell('a|b'), 'a\\|b');
    assert.equal(markdownCell('back\\slash'), 'back\\\\slash');
    assert.equal(markdownCell('`code`'), '\\`code\\`');
    assert.equal(markdownCell(MD_COMMAND_LINK), '\\[click me\\](command:workbench.action.quit)');
    assert.equal(markdownCell(XSS_SCRIPT), '&lt;script&gt;alert(1)&lt;/script&gt;');
    assert.equal(markdownCell('a & b'), 'a &amp; b');
    assert.equal(markdownCell('l1\r\nl2\nl3'), 'l1 l2 l3');
  });

  it('writes a table with one cell per column on every line', () => {
    const row = click({ sub1: 'x|y', sub2: XSS_SCRIPT, sub3: MD_COMMAND_LINK, sub4: 'two\nlines', sub5: '\\|' });
    const cols = [columnById('time')!, ...SUBS, columnById('revenue')!, columnById('is_unique')!];
    const md = toMarkdown([row], cols, 'UTC').trimEnd().split('\n');
    assert.equal(md.length, 3);
    assert.equal(md[0], '| Time (UTC) | Sub 1 | Sub 2 | Sub 3 | Sub 4 | Sub 5 | Revenue | Unique |');
    assert.equal(md[1], '| --- | --- | --- | --- | --- | --- | ---: | --- |');
    // Cells split on pipes that are not escaped.
    for (const line of md) assert.equal(line.split(/(?<!\\)\|/).length - 2, cols.length, line);
    assert.ok(!/<|>/.test(md[2]));
    assert.ok(md[2].includes('| $1.50 | Yes |'));
    assert.ok(md[2].startsWith('| 2023-12-11 16:59:55 | x\\|y |'));
  });

  it('copies the default columns without throwing on every column kind', () => {
    assert.equal(toMarkdown([click()], defaultColumns(), 'Asia/Kolkata').split('\n').length, 4);
    assert.equal(toMarkdown([click()], COLUMNS, 'UTC').split('\n')[2].split(/(?<!\\)\|/).length - 2, COLUMNS.length);
  });
});
