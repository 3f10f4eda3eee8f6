import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { describe, it } from 'node:test';
import { attributionWindow } from '../../../src/core/conversions/clickWindow';
import { conversionLine } from '../../../src/core/conversions/conversionLine';
import type { Conversion } from '../../../src/core/conversions/types';
import { traceVerdict } from '../../../src/core/conversions/verdict';
import { traceMarkdown } from '../../../src/conversions/traceMarkdown';
import { clickCardMarkdown } from '../../../src/hovers/clickCard';
import { click } from '../core/gridFixtures';

// The trace document and the hover's conversion row, rendered by a CommonMark renderer with HTML and
// autolinks on: hostile conversion text (event names, statuses, order ids) stays text.

const md = new MarkdownIt({ html: true, linkify: true });
const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '[run](command:everflow.setApiKey)',
  '![px](https://evil.example/p.gif)',
  'https://evil.example/x',
  '| forged | cell |',
  '**bold** `code` <script>alert(1)</script>',
  'line\nbreak\u202Eexe.pdf',
];

let seq = 0;
function conv(p: Partial<Conversion>): Conversion {
  return {
    conversion_id: `v${++seq}`, transaction_id: '', conversion_unix_timestamp: 0, click_unix_timestamp: 0, revenue: 0, sale_amount: 0,
    currency_id: 'USD', event: '', is_event: false, status: '', revenue_type: 'CPA', source_id: '', sub1: '', sub2: '', sub3: '', sub4: '', sub5: '',
    order_id: '', coupon_code: '', country: '', platform: '', device_type: '', offer_id: 7, offer_name: '', other: {}, ...p,
  };
}

function assertInert(markdown: string): void {
  const html = md.render(markdown);
  assert.doesNotMatch(html, /<(img|script|a|em)\b/i, html);
  assert.doesNotMatch(html, /href=/, html);
}

describe('trace document', () => {
  const c = click({ unix_timestamp: Date.UTC(2026, 2, 14, 10) / 1000, sub1: HOSTILE[1]!, offer: { name: HOSTILE[0]!, network_offer_id: 883 } });
  const t0 = c.unix_timestamp;
  const window = attributionWindow(t0, 30, Date.UTC(2026, 5, 1));
  const rows = HOSTILE.map((h, i) =>
    conv({ transaction_id: c.transaction_id, conversion_unix_timestamp: t0 + (i + 1) * 3600, is_event: i > 0, event: h, status: h, order_id: h, coupon_code: h, sub1: h, revenue: i === 0 ? 12.5 : 0 }),
  );

  it('reads: the verdict, then the click and its conversions in time order, then the requests', () => {
    const verdict = traceVerdict({ click: c, conversions: rows, window, attributionDays: 30 });
    const text = traceMarkdown({ transactionId: c.transaction_id, click: c, conversions: rows, verdict, window, attributionDays: 30, timeZone: 'UTC', requests: [{ text: 'GET /v1/affiliates/reporting/clicks/x: found' }, { text: 'POST /v1/affiliates/reporting/conversions failed', said: HOSTILE[1]! }], account: 'Main' });
    assert.match(text, /^# Trace of click `[0-9a-f]{32}`/);
    assert.ok(text.includes('## Verdict: Converted 1 h after the click\\: \\$12\\.50\\.'), text.slice(0, 200));
    const body = text.split('\n').filter((l) => l.startsWith('| 2026'));
    assert.equal(body.length, 1 + rows.length);
    assert.match(body[0]!, /^\| 2026-03-14 10:00:00 \| \*\*Click\*\*/);
    assert.match(body[1]!, /^\| 2026-03-14 11:00:00 \| \*\*Conversion\*\*/);
    assert.match(body[2]!, /\| \+2 h \|/);
    // Every table row keeps its five cells: no value forged a cell.
    for (const line of body) assert.equal(line.replace(/\\\|/g, '').split('|').length, 7, line);
    assertInert(text);
  });

  it('says not found and offers the year search in words', () => {
    const verdict = traceVerdict({ attributionDays: 30 });
    const text = traceMarkdown({ transactionId: 'f'.repeat(32), conversions: [], verdict, attributionDays: 30, timeZone: 'UTC', requests: [{ text: 'GET …: 404' }] });
    assert.match(text, /## Verdict: Click not found/);
    assert.doesNotMatch(text, /In time order/);
  });
});

describe('the hover card\'s conversion row', () => {
  it('shows the line, escaped; hostile event names and statuses stay text', () => {
    const c = click({ unix_timestamp: Date.UTC(2026, 2, 14) / 1000 });
    const rows = [conv({ transaction_id: c.transaction_id, conversion_unix_timestamp: c.unix_timestamp + 3 * 3600, revenue: 12.5, status: HOSTILE[0]! }), conv({ transaction_id: c.transaction_id, conversion_unix_timestamp: c.unix_timestamp + 2 * 86_400, is_event: true, event: HOSTILE[1]! })];
    const line = conversionLine(rows, c.unix_timestamp, 30);
    const card = clickCardMarkdown(c, { conversions: line, timeZone: 'UTC' });
    assert.match(card, /\| Conversions \| Converted\\: 2 /);
    assertInert(card);
    const plain = clickCardMarkdown(c, { conversions: "Converted: 2 (base $12.50, 3 h after the click; event 'purchase' 2 d after)", timeZone: 'UTC' });
    assert.match(md.render(plain), /Converted: 2 \(base \$12\.50, 3 h after the click; event &#x27;purchase&#x27; 2 d after\)|Converted: 2 \(base \$12\.50, 3 h after the click; event 'purchase' 2 d after\)/);
  });

  it('is left out when there is no line', () => {
    assert.doesNotMatch(clickCardMarkdown(click(), {}), /Conversions/);
  });
});
