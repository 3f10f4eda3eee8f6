import { describeErrorCode, isPlaceholderMessage } from '../core/errorCodes';
import { formatTimestamp, formatUtc } from '../core/format';
import { isValidZone } from '../core/wallClock';
import type { Click } from '../core/types';
import { escapeMarkdown, escapeText, visibleText } from './escapeMarkdown';

// The hover card's markdown, built from a click without VS Code (so unit tests read it in plain
// node). Every value from the API passes through escapeMarkdown; the only markdown syntax in the
// card is written here. Command links carry nothing but the transaction id, which is checked to be
// 32 hex characters first, so a link's arguments cannot be steered by a click's values.

export interface CardLink {
  label: string;
  command: string;
  /** JSON-encoded into the command URI; keep to the transaction id. */
  args?: readonly unknown[];
  tooltip?: string;
}

export interface ClickCardOptions {
  /** IANA zone for the local time; undefined uses the machine's zone. */
  timeZone?: string;
  links?: readonly CardLink[];
  /** Epoch milliseconds for "… ago"; default Date.now(). */
  now?: number;
  /** The conversion line (plain text, escaped here); left out when undefined. */
  conversions?: string;
}

const HEX_ID = /^[0-9a-f]{32}$/;
const MISSING = '—';

/** A markdown command link; the label and tooltip are ours, but escaped all the same. */
export function commandLink(link: CardLink): string {
  const query = link.args && link.args.length > 0 ? `?${encodeURIComponent(JSON.stringify(link.args))}` : '';
  // A title in double quotes: escapeText turns any `"` in it into `\"`, which ends nothing.
  const title = link.tooltip ? ` "${escapeText(link.tooltip)}"` : '';
  return `[${escapeText(link.label)}](command:${link.command}${query}${title})`;
}

function linkLine(links: readonly CardLink[] | undefined): string {
  return links && links.length > 0 ? links.map(commandLink).join(' · ') : '';
}

/** The id as inline code when it is the hex id it should be; escaped text otherwise. */
function idCode(id: string): string {
  return HEX_ID.test(id) ? `\`${id}\`` : escapeMarkdown(id, { maxLength: 40 });
}

/**
 * Visible characters per row, shared out between a row's parts. VS Code caps a hover at about 250 px
 * high, and a card that has to scroll hides its links, so every row must stay on one line, two at
 * most, even when the click is full of 100 KB sub ids.
 */
const ROW_BUDGET = 72;
const NBSP = '\u00a0';

/** The full card for a click that was found. */
export function clickCardMarkdown(click: Click, opts: ClickCardOptions = {}): string {
  const rows: [string, string][] = [];
  rows.push(['Time', formatTimes(click.unix_timestamp, opts.timeZone, opts.now ?? Date.now())]);
  const offer = click.relationship.offer;
  rows.push(['Offer', joinNonEmpty([esc(offer.name, 56), offer.network_offer_id ? `\\#${offer.network_offer_id}` : ''], ' · ')]);
  const geo = click.relationship.geolocation;
  const countryName = esc(geo.country_name || geo.country_code, 24);
  const country = countryName && geo.country_name && geo.country_code ? `${countryName} \\(${esc(geo.country_code, 4)}\\)` : countryName;
  rows.push(['Location', joinNonEmpty([esc(geo.city_name, 22), esc(geo.region_name || geo.region_code, 20), country], ', ')]);
  const dev = click.relationship.device_information;
  const hardware = joinNonEmpty([esc(dev.brand, 12), esc(dev.model, 16)], ' ');
  const deviceType = esc(dev.device_type, 12);
  const device = [
    deviceType && hardware ? `${deviceType} \\(${hardware}\\)` : deviceType || hardware,
    joinNonEmpty([esc(dev.platform_name, 12), esc(dev.os_version, 10)], ' '),
    joinNonEmpty([esc(dev.browser_name, 14), esc(dev.browser_version, 10)], ' '),
  ];
  rows.push(['Device', joinNonEmpty(device, ' · ')]);
  const subRows = subIdRows(click);
  subRows.forEach((value, i) => rows.push([i === 0 ? `Sub${NBSP}IDs` : '', value]));
  // A second row of sub IDs takes the height of one: revenue and status then share theirs, so the
  // conversion row and the links still fit.
  const revenue = formatRevenue(click);
  const status = `${click.is_unique ? 'Unique' : 'Not unique'} · ${formatError(click)}`;
  if (subRows.length > 1) rows.push(['Revenue', `${revenue} · ${status}`]);
  else rows.push(['Revenue', revenue], ['Status', status]);
  // Event names and statuses in it are the API's text: escaped as a whole, like every other value.
  if (opts.conversions !== undefined) rows.push(['Conversions', escapeMarkdown(opts.conversions, { maxLength: 160 })]);

  const table = [
    // A no-break space keeps the title on one line when a long row squeezes the first column.
    `| **Everflow${NBSP}click** | ${idCode(click.transaction_id)} |`,
    '|:--|:--|',
    ...rows.map(([label, value]) => `| ${label} | ${value || MISSING} |`),
  ];
  return joinBlocks([table.join('\n'), linkLine(opts.links)]);
}

/**
 * A card with one line of status in place of the click: loading, not found, no key, an error.
 * `message` is our own sentence, escaped anyway so that an error text with a server's words in it
 * stays text.
 */
export function statusCardMarkdown(id: string, message: string, links?: readonly CardLink[]): string {
  return joinBlocks([`**Everflow click** ${idCode(id)}`, escapeMarkdown(message, { maxLength: 200 }), linkLine(links)]);
}

/** Longest a sub ID shows in the card, even with the row to itself; the whole value is in Open as JSON. */
const MAX_SUB_CHARS = 48;
/** Shortest a cut sub ID shows: enough to tell two apart. */
const MIN_SUB_CHARS = 10;
const SUB_KEYS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'] as const;

/**
 * The card's sub-ID rows: only the sub IDs that are set, "sub1 value · sub3 value", on one row when
 * they fit it whole, else on two. Within a row, short values show whole and the long ones share what
 * is left (at least MIN_SUB_CHARS, at most MAX_SUB_CHARS each), cut with "…"; every value escaped.
 */
export function subIdRows(click: Click): string[] {
  const set = SUB_KEYS.filter((k) => stringOf(click[k]) !== '').map((k) => ({ key: k, value: click[k], chars: visibleLength(click[k]) }));
  if (set.length === 0) return [];
  const fits = (group: typeof set) => group.reduce((n, s) => n + s.key.length + 1 + s.chars, 0) + 3 * (group.length - 1) <= ROW_BUDGET;
  const groups = set.length === 1 || (fits(set) && set.every((s) => s.chars <= MAX_SUB_CHARS)) ? [set] : [set.slice(0, Math.ceil(set.length / 2)), set.slice(Math.ceil(set.length / 2))];
  return groups.map((group) => {
    const caps = shareRow(
      group.map((s) => s.chars),
      // What the row leaves for values: each "subN " and each " · " between them, and a "…" per value.
      ROW_BUDGET - group.reduce((n, s) => n + s.key.length + 2, 0) - 3 * (group.length - 1),
    );
    return group.map((s, i) => `${s.key} ${escapeMarkdown(s.value, { maxLength: caps[i] })}`).join(' · ');
  });
}

/** Per-value caps for values of these lengths in `room` characters: the short whole, the rest share evenly. */
function shareRow(lengths: number[], room: number): number[] {
  const caps = lengths.map(() => 0);
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b]);
  let left = room;
  order.forEach((i, n) => {
    const fair = Math.floor(left / (order.length - n));
    caps[i] = Math.max(MIN_SUB_CHARS, Math.min(MAX_SUB_CHARS, lengths[i], fair));
    left -= caps[i];
  });
  return caps;
}

/** Characters a value shows as (up to a little past the longest shown), without reading a 100 KB value whole. */
function visibleLength(value: unknown): number {
  return Array.from(visibleText(value, { maxLength: MAX_SUB_CHARS + 1 })).length;
}

function joinBlocks(blocks: string[]): string {
  return blocks.filter((b) => b !== '').join('\n\n');
}

function esc(value: unknown, maxLength: number): string {
  return stringOf(value) === '' ? '' : escapeMarkdown(value, { maxLength });
}

/** Everflow sends empty values as "", 0, false or nothing; all of them mean "not set" here. */
function stringOf(value: unknown): string {
  if (value === undefined || value === null || value === false || value === 0) return '';
  return String(value).trim();
}

function joinNonEmpty(parts: string[], sep: string): string {
  return parts.filter((p) => p !== '').join(sep);
}

// ---- values -------------------------------------------------------------------------------------

/**
 * The click time in `timeZone` and in UTC, on one line, escaped:
 * "2026-03-18 10:22:07 Europe/Berlin (UTC+1) · 09:22:07 UTC · 3 h ago". The UTC part is left out
 * when the zone is UTC; its date is shown only when it differs from the local one.
 */
export function formatTimes(unixSeconds: number, timeZone: string | undefined, now: number): string {
  if (!Number.isFinite(unixSeconds) || unixSeconds <= 0) return MISSING;
  const at = new Date(unixSeconds * 1000);
  const zone = resolveZone(timeZone);
  const offset = utcOffset(at, zone);
  const local = formatTimestamp(at.getTime() / 1000, zone);
  const utc = formatUtc(at.getTime() / 1000);
  const parts = [`${local} ${zone === offset ? zone : `${zone} (${offset})`}`];
  if (offset !== 'UTC') parts.push(`${utc.slice(0, 10) === local.slice(0, 10) ? utc.slice(11) : utc} UTC`);
  const age = relativeAge(now - at.getTime());
  if (age) parts.push(age);
  return escapeText(parts.join(' · '));
}

/** `zone` when Intl knows it, else the machine's zone. */
export function resolveZone(zone: string | undefined): string {
  if (zone && isValidTimeZone(zone)) return zone;
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Whether Intl knows the zone; one check shared with the query windows. */
export const isValidTimeZone = isValidZone;

/** "UTC+1", "UTC−3:30", "UTC" — from Intl's "GMT+1" style name. */
function utcOffset(at: Date, zone: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const offset = name.replace(/^(GMT|UTC)/, '');
  return offset === '' || /^[+-]0(:00)?$/.test(offset) ? 'UTC' : `UTC${offset.replace('-', '−')}`;
}

function relativeAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

const AMOUNT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });

function formatRevenue(click: Click): string {
  const amount = Number.isFinite(click.revenue) ? escapeText(AMOUNT.format(click.revenue)) : MISSING;
  const currency = esc(click.currency_id, 8);
  const type = esc(click.revenue_type, 20);
  return joinNonEmpty([joinNonEmpty([amount, currency], ' '), type ? `\\(${type}\\)` : ''], ' ');
}

function formatError(click: Click): string {
  const code = Number.isFinite(click.error_code) ? click.error_code : 0;
  // With no error Everflow fills the message with "N/A" or the like; it says nothing.
  if (code === 0) return 'no error';
  const message = esc(click.error_message, 60);
  const meaning = describeErrorCode(code);
  const described = meaning ? `error ${code} · ${escapeText(meaning)}` : `error ${code} · undocumented code`;
  // Everflow's placeholder ("N/A") is not a reason, and is not quoted as one.
  return message && !isPlaceholderMessage(click.error_message) && message.toLowerCase() !== escapeText(meaning ?? '').toLowerCase() ? `${described} · “${message}”` : described;
}
