import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { after, before, describe, it } from 'node:test';
import { EverflowClient } from '../../../src/core/client';
import { RateLimiter } from '../../../src/core/limiter';
import { normalizeClick } from '../../../src/core/parse';
import type { Click } from '../../../src/core/types';
import { clickCardMarkdown, commandLink, formatTimes, statusCardMarkdown, subIdRows, type CardLink } from '../../../src/hovers/clickCard';
import { startSandbox, type Sandbox } from '../../sandbox/server';

// The hover card's markdown, from a made-up click and from the sandbox's all-hostile click, rendered
// by a CommonMark renderer: the facts a person hovers for are there, and the only links are ours.

const md = new MarkdownIt({ html: true, linkify: true });

const ID = '410da86457f54ae388a871d54a33275b';
// 2026-03-18 09:22:07 UTC
const TS = Date.UTC(2026, 2, 18, 9, 22, 7) / 1000;

function click(overrides: Record<string, unknown> = {}): Click {
  return normalizeClick({
    transaction_id: ID,
    is_unique: 1,
    unix_timestamp: TS,
    sub1: 'fb_feed',
    sub3: 'adset 7',
    revenue: 1.25,
    revenue_type: 'CPC',
    currency_id: 'USD',
    error_code: 21,
    relationship: {
      offer: { network_offer_id: 518, name: 'Finance Lead Gen' },
      geolocation: { country_code: 'DE', country_name: 'Germany', region_name: 'Berlin', city_name: 'Berlin' },
      device_information: { device_type: 'Mobile', brand: 'Apple', model: 'iPhone', platform_name: 'iOS', os_version: '17.2', browser_name: 'Safari', browser_version: '17' },
    },
    ...overrides,
  });
}

const LINKS: CardLink[] = [
  { label: 'Open as JSON', command: 'everflow.openClickAsJson', args: [ID] },
  { label: 'Copy ID', command: 'everflow.copyTransactionId', args: [ID] },
];
const ALLOWED = new Set(['everflow.openClickAsJson', 'everflow.copyTransactionId', 'everflow.setApiKey']);

/** Every href in the rendered card. */
function hrefs(markdown: string): string[] {
  return [...md.render(markdown).matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
}

function text(markdown: string): string {
  return md
    .render(markdown)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

describe('clickCardMarkdown', () => {
  const card = clickCardMarkdown(click(), { timeZone: 'Europe/Berlin', links: LINKS, now: (TS + 3 * 3600) * 1000 });

  it('shows time in the chosen zone and in UTC, on one row', () => {
    assert.match(text(card), /Time 2026-03-18 10:22:07 Europe\/Berlin \(UTC\+1\) · 09:22:07 UTC · 3 h ago /);
  });

  it('shows offer, place, device, subs, revenue, uniqueness and the error meaning', () => {
    const t = text(card);
    assert.match(t, /Offer Finance Lead Gen · #518/);
    assert.match(t, /Location Berlin, Berlin, Germany \(DE\)/);
    assert.match(t, /Device Mobile \(Apple iPhone\) · iOS 17\.2 · Safari 17/);
    assert.match(t, /Sub IDs sub1 fb_feed · sub3 adset 7 /);
    assert.match(t, /Revenue 1\.25 USD \(CPC\)/);
    assert.match(t, /Status Unique · error 21 · Duplicate click /);
    assert.match(t, new RegExp(`Everflow click ${ID}`));
  });

  it('is a compact two-column table with the links under it', () => {
    const html = md.render(card);
    assert.match(html, /<table>/);
    // VS Code caps a hover at about 250 px; more rows would push the links out of sight.
    assert.equal((html.match(/<tr>/g) ?? []).length, 8);
    assert.deepEqual(hrefs(card), [
      `command:everflow.openClickAsJson?${encodeURIComponent(JSON.stringify([ID]))}`,
      `command:everflow.copyTransactionId?${encodeURIComponent(JSON.stringify([ID]))}`,
    ]);
  });

  it('says what is missing, and reads empty values in every spelling as missing', () => {
    const empty = clickCardMarkdown(
      normalizeClick({ transaction_id: ID, is_unique: false, unix_timestamp: 0, revenue: 0, error_code: 0, relationship: null }),
      { timeZone: 'UTC' },
    );
    const t = text(empty);
    assert.match(t, /Time — /);
    assert.match(t, /Offer — /);
    assert.match(t, /Location — /);
    assert.doesNotMatch(t, /Sub IDs/);
    assert.match(t, /Status Not unique · no error /);
    assert.deepEqual(hrefs(empty), []);
  });

  it('names undocumented error codes as such, and keeps a server message', () => {
    assert.match(text(clickCardMarkdown(click({ error_code: 22 }), { timeZone: 'UTC' })), /error 22 · undocumented code/);
    assert.match(text(clickCardMarkdown(click({ error_code: 9, error_message: 'geo <b>blocked</b>' }), { timeZone: 'UTC' })), /error 9 · Country not allowed · “geo <b>blocked<\/b>”/);
    assert.match(text(clickCardMarkdown(click({ error_code: 0, error_message: 'N/A' }), { timeZone: 'UTC' })), /Status Unique · no error /);
  });

  it('keeps a hostile value in its cell', () => {
    const hostile = clickCardMarkdown(click({ sub1: 'a | b\n| Revenue | 1,000,000 USD |' }), { timeZone: 'UTC' });
    const html = md.render(hostile);
    assert.equal((html.match(/<tr>/g) ?? []).length, 8);
    assert.doesNotMatch(text(hostile), /Revenue 1,000,000/);
  });
});

describe('formatTimes', () => {
  it('falls back to the machine zone for an unknown zone name', () => {
    const t = formatTimes(TS, 'Not/AZone', TS * 1000);
    assert.match(text(t), /^ ?2026-03-18 \d\d:\d\d:07 /);
    assert.match(text(t), /just now ?$/);
  });

  it('writes half-hour and negative offsets', () => {
    const local = (zone: string, at = TS): string => text(formatTimes(at, zone, TS * 1000)).trim();
    assert.equal(local('Asia/Kolkata'), '2026-03-18 14:52:07 Asia/Kolkata (UTC+5:30) · 09:22:07 UTC · just now');
    assert.equal(local('America/New_York'), '2026-03-18 05:22:07 America/New_York (UTC−4) · 09:22:07 UTC · just now');
    assert.equal(local('Europe/London'), '2026-03-18 09:22:07 Europe/London (UTC) · just now');
    assert.equal(local('UTC'), '2026-03-18 09:22:07 UTC · just now');
    // Past midnight in Tokyo: the UTC date differs, so it is written out.
    assert.equal(local('Asia/Tokyo', TS + 6 * 3600), '2026-03-19 00:22:07 Asia/Tokyo (UTC+9) · 2026-03-18 15:22:07 UTC');
  });
});

describe('statusCardMarkdown and commandLink', () => {
  it('escapes the message and carries only the links it is given', () => {
    const card = statusCardMarkdown(ID, 'Everflow said: [x](command:workbench.action.quit) <img src=x>', [
      { label: 'Set API Key', command: 'everflow.setApiKey' },
    ]);
    assert.deepEqual(hrefs(card), ['command:everflow.setApiKey']);
    assert.doesNotMatch(md.render(card), /<img/);
  });

  it('shows a malformed id as text, never as code that could close early', () => {
    const card = statusCardMarkdown('`x` [a](command:y)', 'no');
    assert.deepEqual(hrefs(card), []);
    assert.doesNotMatch(md.render(card), /<code>/);
  });

  it('encodes the arguments into the URI', () => {
    assert.equal(commandLink({ label: 'Go', command: 'everflow.copyTransactionId', args: [ID], tooltip: 'Copy "it"' }), `[Go](command:everflow.copyTransactionId?%5B%22${ID}%22%5D "Copy \\"it\\"")`);
  });
});

describe('the sub-ID rows', () => {
  it('show only the sub IDs that are set, whole on one row when they fit', () => {
    assert.deepEqual(subIdRows(click({ sub1: '', sub2: 'fb_feed', sub3: '', sub4: 'adset 7', sub5: '' })), ['sub2 fb\\_feed · sub4 adset 7']);
    assert.deepEqual(subIdRows(click({ sub1: '', sub2: '', sub3: '', sub4: '', sub5: '' })), []);
    const five = subIdRows(click({ sub1: 'a1', sub2: 'b22', sub3: 'c333', sub4: 'd4444', sub5: 'e55555' }));
    assert.deepEqual(five, ['sub1 a1 · sub2 b22 · sub3 c333 · sub4 d4444 · sub5 e55555']);
  });

  it('go on two rows when they do not fit one: short values whole, long ones share the rest, cut with "…"', () => {
    const long = 'x'.repeat(100_000);
    const rows = subIdRows(click({ sub1: 'short', sub2: long, sub3: 'mid-size-value', sub4: long, sub5: 'ok' }));
    assert.equal(rows.length, 2);
    assert.match(rows[0], /^sub1 short · sub2 x{10,}… · sub3 mid\\-size\\-value$/);
    assert.match(rows[1], /^sub4 x{10,48}… · sub5 ok$/);
    for (const r of rows) assert.ok(r.replace(/\\/g, '').length <= 76, r);
    // One long value alone: its own row, cut at the per-value cap.
    const one = subIdRows(click({ sub1: '', sub2: '', sub3: long, sub4: '', sub5: '' }));
    assert.deepEqual(one, [`sub3 ${'x'.repeat(48)}…`]);
  });
});

describe('the sandbox’s all-hostile click', () => {
  let sb: Sandbox;
  let hostile: Click;

  before(async () => {
    sb = await startSandbox();
    const client = new EverflowClient({ baseUrl: () => sb.url, getApiKey: async () => sb.keys.valid, limiter: new RateLimiter({ perSecond: 50 }) });
    hostile = await client.getClick(sb.hostileSampleId());
  });
  after(() => sb.close());

  it('renders with our links only, no HTML, and no 100 KB line', () => {
    const card = clickCardMarkdown(hostile, { timeZone: 'UTC', links: LINKS });
    const html = md.render(card);
    for (const href of hrefs(card)) assert.ok(ALLOWED.has(href.replace(/^command:/, '').replace(/\?.*$/, '')), href);
    assert.equal(hrefs(card).length, LINKS.length);
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
    for (const tag of tags) assert.ok(['table', 'thead', 'tbody', 'tr', 'th', 'td', 'p', 'strong', 'code', 'a'].includes(tag), `<${tag}>`);
    assert.ok(card.length < 4000, `${card.length} characters`);
    // Five long sub IDs: two rows, each value cut to its share of its row (far more of it than a sixth of one row).
    assert.match(text(card), /Sub IDs sub1 <script>alert\(1\)… · sub2 \S.{10,}… · sub3 \S.{10,}… /, 'the script shows as text, cut to its share of the row');
    assert.match(text(card), /sub4 .{10,}… · sub5 .{10,}… Revenue /);
    // The second row's height comes from revenue and status sharing a row: as many rows as with one.
    assert.match(text(card), /Revenue 0\.00 USD \(CPA\) · Unique · no error /);
    assert.equal((html.match(/<tr>/g) ?? []).length, 8);
    assert.match(text(card), /pay‹U\+200B›pa…/, 'the zero-width space shows');
    // Every row stays within its budget, so the card does not outgrow the hover.
    for (const row of md.render(card).split('<tr>').slice(1)) assert.ok(text(row).length < 130, text(row));
  });
});
