// The affiliate conversion report (`POST /v1/affiliates/reporting/conversions`) over the same clicks the
// stream and the look-up serve. A click converts when clicks.ts says so (`a.converted`: a hash of the
// click, never for a rejected click); everything about its conversions and events is drawn from a
// generator seeded by the click, so the same click always has the same conversions, whatever is asked.
//
// Shapes, chosen so every case the extension must explain exists:
//   first base conversion  minutes (30 %), hours (25 %), days (30 %) or 31–60 days (15 %: beyond a
//                          30-day attribution window) after the click
//   further base ones      1 in 5 converters convert again (up to 3 in all)
//   post-conversion events 3 in 10 converters, 1–3 events, always after the first base conversion
// Conversions later than the sandbox's `now` do not exist yet.
//
// Efficiency: a year's window covers ~455 click days. A day's converters are found by hashing each
// index (no full draw), then only those few clicks are drawn; the result is cached per (day, volume),
// so paging through a report re-reads small cached arrays instead of generating months of clicks.

import { COLUMN_NAMES, ClickAttrs, ClickSource, ColumnName, DAY_SECONDS, isConverterCandidate, newAttrs } from './clicks';
import { OFFERS } from './catalog';
import { HOSTILE_SHORT, LONG_HOSTILE, XSS_BREAKOUT, XSS_FLAG_IMG } from './hostile';
import type { Knobs } from './knobs';
import { BadRequest, Clause, compileClauses } from './query';
import { Rng, hash32 } from './rng';
import { timezoneById, wallClockToUtc } from './timezones';
import { TxIdCodec } from './txid';
import { addUnknownFields } from './unknownFields';
import { WireRow, buildRow, dropEmpty } from './wire';

/** Everflow's default page size (the maximum is the `conversions.maxPageSize` knob). */
export const DEFAULT_PAGE_SIZE = 50;
/** Only the prior 365 days can be asked for. */
export const LOOKBACK_DAYS = 365;
/** Slack on the 365-day rule, so a client that computed "365 days ago" a moment before is not refused. */
const LOOKBACK_SLACK_SECONDS = 3600;
/** No conversion or event comes later than this after its click (60 + 2×5 + 3×3 days, rounded up). */
export const MAX_DELAY_SECONDS = 90 * DAY_SECONDS;
/** Up to 3 base conversions and 3 events per click: seq 0–5 of 8 slots. */
const SEQ_SLOTS = 8;
const EVENT_NAMES = ['purchase', 'deposit', 'upsell', 'renewal'] as const;
const STATUSES: ReadonlyArray<[string, number]> = [['approved', 0.8], ['pending', 0.1], ['rejected', 0.06], ['invalid', 0.04]];

/** One conversion or event, in compact form; the wire row is built only for rows a page returns. */
export interface ConversionRecord {
  day: number;
  index: number;
  /** 0–5: the order of this click's conversions and events. */
  seq: number;
  /** Conversion time, unix seconds. */
  ts: number;
  clickTs: number;
  /** '' for a base conversion. */
  event: string;
  revenue: number;
  saleAmount: number;
  status: string;
  /** Base conversions before this one (0 for the first); events count too: base ones and events of the click. */
  baseCount: number;
  eventCount: number;
  /** The click's filter columns, in COLUMN_NAMES order. */
  cols: Uint16Array;
  /** 0 none, 1 a hostile order id/coupon/user agent, 2 the click itself was hostile as well. */
  hostile: 0 | 1 | 2;
}

export interface ConversionQuery {
  fromSec: number;
  toSec: number;
  showConversions: boolean;
  showEvents: boolean;
  filters: Clause[];
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;

/** `YYYY-MM-DD` (00:00:00) or `YYYY-MM-DD HH:MM:SS` as wall-clock milliseconds; throws BadRequest. */
function parseDate(value: unknown, field: string): number {
  if (typeof value !== 'string') throw new BadRequest(`${field} is required, as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS`);
  const m = DATE_RE.exec(value);
  if (!m) throw new BadRequest(`${field} date "${value}" is not in YYYY-MM-DD or YYYY-MM-DD HH:MM:SS format`);
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59 || back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new BadRequest(`${field} date "${value}" is not a valid date`);
  }
  return ms;
}

function flag(v: unknown, name: string, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw new BadRequest(`${name} must be a boolean`);
  return v;
}

/** Validates a conversion report body as Everflow does: dates, zone, the one-year window and the 365-day rule. */
export function parseConversionRequest(body: unknown, nowSec: number): ConversionQuery {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('Request body must be a JSON object');
  const b = body as Record<string, unknown>;
  const fromWall = parseDate(b.from, 'from');
  const toWall = parseDate(b.to, 'to');
  if (typeof b.timezone_id !== 'number' || !Number.isInteger(b.timezone_id)) throw new BadRequest('timezone_id is required and must be an integer');
  const tz = timezoneById(b.timezone_id);
  if (!tz) throw new BadRequest(`timezone_id ${b.timezone_id} is not a valid timezone`);
  if (fromWall > toWall) throw new BadRequest('from must be before to');
  // One calendar year at most, judged on the wall-clock dates as written.
  const from = new Date(fromWall);
  const yearLater = Date.UTC(from.getUTCFullYear() + 1, from.getUTCMonth(), from.getUTCDate(), from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds());
  if (toWall > yearLater) throw new BadRequest('The date range cannot exceed one year');
  const fromSec = Math.floor(wallClockToUtc(tz.timezone, fromWall) / 1000);
  const toSec = Math.floor(wallClockToUtc(tz.timezone, toWall) / 1000);
  if (fromSec < nowSec - LOOKBACK_DAYS * DAY_SECONDS - LOOKBACK_SLACK_SECONDS) {
    throw new BadRequest('Conversions can only be queried for the past 365 days');
  }
  const q = b.query;
  if (q !== undefined && q !== null && (typeof q !== 'object' || Array.isArray(q))) throw new BadRequest('query must be an object');
  const qq = (q ?? {}) as Record<string, unknown>;
  return {
    fromSec,
    toSec,
    showConversions: flag(b.show_conversions, 'show_conversions', true),
    showEvents: flag(b.show_events, 'show_events', false),
    filters: compileClauses(qq.filters, 'filters'),
  };
}

const COLUMN_INDEX = new Map<ColumnName, number>(COLUMN_NAMES.map((c, k) => [c, k]));

function columnsOf(a: ClickAttrs): Uint16Array {
  const v: Record<ColumnName, number> = {
    offer: a.offer, creative: a.creative, campaign: a.campaign, offerUrl: a.offerUrl, country: a.country, carrier: a.carrier,
    device: a.device, browser: a.browser, language: a.language, connection: a.connection, source: a.source,
    s1: a.subs[0], s2: a.subs[1], s3: a.subs[2], s4: a.subs[3], s5: a.subs[4], coupon: a.coupon,
  };
  return Uint16Array.from(COLUMN_NAMES, (c) => v[c]);
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function pickStatus(rng: Rng): string {
  let u = rng.next();
  for (const [s, p] of STATUSES) {
    if (u < p) return s;
    u -= p;
  }
  return 'approved';
}

/** The conversions and events of one converted click, in time order (including ones after now). */
export function conversionsOfClick(source: ClickSource, day: number, index: number, a: ClickAttrs): ConversionRecord[] {
  const rng = new Rng(source.seed, day, index, 0xc0);
  const u = rng.next();
  let t = a.ts;
  if (u < 0.3) t += 60 + rng.int(59 * 60);
  else if (u < 0.55) t += 3600 + rng.int(20 * 3600);
  else if (u < 0.85) t += DAY_SECONDS + rng.int(28 * DAY_SECONDS);
  else t += 31 * DAY_SECONDS + rng.int(29 * DAY_SECONDS);
  const v = rng.next();
  const bases = v < 0.8 ? 1 : v < 0.95 ? 2 : 3;
  const events = rng.chance(0.3) ? 1 + rng.int(3) : 0;
  const offer = OFFERS[a.offer];
  const hostileDraw = rng.next();
  const hostile: 0 | 1 | 2 = a.hostile > 0 ? 2 : hostileDraw < 0.1 ? 1 : 0;
  const cols = columnsOf(a);
  const out: ConversionRecord[] = [];
  const baseTimes = [t];
  for (let k = 1; k < bases; k++) baseTimes.push((t += 600 + rng.int(5 * DAY_SECONDS)));
  const eventTimes: number[] = [];
  let e = baseTimes[0];
  for (let k = 0; k < events; k++) eventTimes.push((e += 300 + rng.int(3 * DAY_SECONDS)));
  baseTimes.forEach((ts, k) => {
    out.push({
      day, index, seq: k, ts, clickTs: a.ts, event: '',
      revenue: offer.revenueType === 'CPA' ? offer.amount : 0,
      saleAmount: round2(10 + rng.next() * 290),
      status: pickStatus(rng), baseCount: bases, eventCount: events, cols, hostile,
    });
  });
  eventTimes.forEach((ts, k) => {
    out.push({
      day, index, seq: 3 + k, ts, clickTs: a.ts, event: EVENT_NAMES[rng.int(EVENT_NAMES.length)],
      revenue: round2(1 + rng.next() * 9),
      saleAmount: round2(5 + rng.next() * 95),
      status: pickStatus(rng), baseCount: bases, eventCount: events, cols, hostile,
    });
  });
  return out.sort((x, y) => x.ts - y.ts || x.seq - y.seq);
}

const LRU_DAYS = 1000;

/** Conversions of every click of an account, found per click day and cached. */
export class ConversionSource {
  private readonly cache = new Map<string, ConversionRecord[]>();
  readonly idCodec: TxIdCodec;

  constructor(readonly clicks: ClickSource) {
    this.idCodec = new TxIdCodec(hash32(clicks.seed, 0xc0417));
  }

  /**
   * Every conversion and event of the clicks of UTC day `day` (n clicks), regardless of now. With
   * `busyOffer` (the `conversions.busyOffer` knob, a network_offer_id) every valid click of that offer
   * converts too, so one offer's report runs to many thousand conversions.
   */
  ofDay(day: number, n: number, busyOffer: number | null = null): ConversionRecord[] {
    const busy = busyOffer === null ? -1 : OFFERS.findIndex((o) => o.id === busyOffer);
    const key = `${day}:${n}:${busy}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const out: ConversionRecord[] = [];
    const a = newAttrs();
    for (let i = 0; i < n; i++) {
      // Without a busy offer only the candidates need a draw (see the top of the file).
      if (busy < 0 && !isConverterCandidate(this.clicks.seed, day, i)) continue;
      this.clicks.draw(day, i, n, a);
      if (a.converted || (a.offer === busy && a.error === 0)) for (const r of conversionsOfClick(this.clicks, day, i, a)) out.push(r);
    }
    this.cache.set(key, out);
    while (this.cache.size > LRU_DAYS) this.cache.delete(this.cache.keys().next().value!);
    return out;
  }

  /** The records matching `q` that exist at `nowSec`, in time order (ties by id). */
  find(q: ConversionQuery, volume: (day: number) => number, nowSec: number, busyOffer: number | null = null): ConversionRecord[] {
    const out: ConversionRecord[] = [];
    const last = Math.min(q.toSec, nowSec);
    if (last < q.fromSec) return out;
    for (let day = Math.floor((q.fromSec - MAX_DELAY_SECONDS) / DAY_SECONDS); day <= Math.floor(last / DAY_SECONDS); day++) {
      const n = volume(day);
      if (n === 0) continue;
      for (const r of this.ofDay(day, n, busyOffer)) {
        if (r.ts < q.fromSec || r.ts > last) continue;
        if (r.event === '' ? !q.showConversions : !q.showEvents) continue;
        if (!matches(r, q.filters)) continue;
        out.push(r);
      }
    }
    return out.sort((x, y) => x.ts - y.ts || x.day - y.day || x.index - y.index || x.seq - y.seq);
  }

  /** The click's conversions and events that exist at `nowSec`. */
  ofClick(day: number, index: number, n: number, nowSec: number, busyOffer: number | null = null): ConversionRecord[] {
    return this.ofDay(day, n, busyOffer).filter((r) => r.index === index && r.ts <= nowSec);
  }

  conversionId(r: ConversionRecord): string {
    return this.idCodec.encode(r.day, r.index * SEQ_SLOTS + r.seq);
  }

  /** The older integer id: day, index and seq packed (below 2⁵³ for any real day number). */
  networkConversionId(r: ConversionRecord): number {
    return (r.day * 2 ** 21 + r.index) * SEQ_SLOTS + r.seq;
  }

  /** (day, index, seq) of either kind of id, or undefined. */
  decodeId(id: string): { day: number; index: number; seq: number } | undefined {
    const d = this.idCodec.decode(id);
    if (d) return { day: d.day, index: Math.floor(d.index / SEQ_SLOTS), seq: d.index % SEQ_SLOTS };
    if (!/^\d{1,16}$/.test(id)) return undefined;
    const n = Number(id);
    const seq = n % SEQ_SLOTS;
    const rest = Math.floor(n / SEQ_SLOTS);
    return { day: Math.floor(rest / 2 ** 21), index: rest % 2 ** 21, seq };
  }
}

function matches(r: ConversionRecord, filters: readonly Clause[]): boolean {
  for (const c of filters) if (!c.allowed[r.cols[COLUMN_INDEX.get(c.column)!]]) return false;
  return true;
}

/** The click row's fields a conversion repeats, without the knobs that reshape click rows. */
function clickFields(source: ClickSource, r: ConversionRecord, n: number, knobs: Knobs): WireRow {
  return buildRow(source, r.day, r.index, n, { ...knobs, unknownFields: 'none', omitEmptyKeys: false, carrierCodeAs: 'number' });
}

type Obj = Record<string, unknown>;

/** The wire row for one record, shaped by the conversion knobs (id style, status field, hostile text). */
export function buildConversionRow(conv: ConversionSource, r: ConversionRecord, n: number, knobs: Knobs): WireRow {
  const source = conv.clicks;
  const click = clickFields(source, r, n, knobs);
  const rel = click.relationship as Obj;
  const offer = rel.offer as Obj;
  const geo = rel.geolocation as Obj;
  const dev = rel.device_information as Obj;
  const ck = knobs.conversions;
  const rng = new Rng(source.seed, r.day, r.index, r.seq, 0xc1);
  let orderId = r.event === '' || rng.chance(0.5) ? `ORD-${(hash32(r.day, r.index, r.seq) % 9_000_000) + 1_000_000}` : '';
  let coupon = String(click.coupon_code ?? '');
  let userAgent = `Mozilla/5.0 (${String(dev.platform_name)} ${String(dev.os_version)}; ${String(dev.brand) || 'Generic'}) ${String(dev.browser_name)}/${String(dev.browser_version)}`;
  if (ck.hostile && r.hostile > 0) {
    const pick = (): string => HOSTILE_SHORT[rng.int(HOSTILE_SHORT.length)];
    orderId = r.hostile === 2 ? XSS_BREAKOUT : pick();
    coupon = r.hostile === 2 ? XSS_FLAG_IMG : pick();
    userAgent = r.hostile === 2 ? LONG_HOSTILE.slice(0, 2000) : `${userAgent} ${pick()}`;
  }
  const row: WireRow = {};
  if (ck.idStyle === 'network') row.network_conversion_id = conv.networkConversionId(r);
  else row.conversion_id = conv.conversionId(r);
  if (ck.status === 'present') row.conversion_status = r.status;
  Object.assign(row, {
    transaction_id: click.transaction_id,
    conversion_unix_timestamp: r.ts,
    click_unix_timestamp: r.clickTs,
    revenue: r.revenue,
    sale_amount: r.saleAmount,
    currency_id: click.currency_id,
    event: r.event,
    is_event: r.event !== '',
    source_id: click.source_id,
    revenue_type: click.revenue_type,
    sub1: click.sub1,
    sub2: click.sub2,
    sub3: click.sub3,
    sub4: click.sub4,
    sub5: click.sub5,
    adv1: '',
    adv2: '',
    adv3: '',
    adv4: '',
    adv5: '',
    session_user_ip: click.user_ip,
    conversion_user_ip: rng.chance(0.8) ? click.user_ip : `198.51.100.${1 + rng.int(254)}`,
    country: geo.country_name,
    region: geo.region_name,
    city: geo.city_name,
    dma: geo.dma,
    carrier: geo.carrier_name,
    isp: geo.isp_name,
    platform: dev.platform_name,
    os_version: dev.os_version,
    device_type: dev.device_type,
    brand: dev.brand,
    browser: dev.browser_name,
    language: dev.language,
    http_user_agent: userAgent,
    referer: click.referer,
    app_id: '',
    idfa: click.idfa,
    idfa_md5: click.idfa_md5,
    idfa_sha1: click.idfa_sha1,
    google_ad_id: click.google_ad_id,
    google_ad_id_md5: click.google_ad_id_md5,
    google_ad_id_sha1: click.google_ad_id_sha1,
    android_id: click.android_id,
    android_id_md5: click.android_id_md5,
    android_id_sha1: click.android_id_sha1,
    is_view_through: false,
    order_id: orderId,
    coupon_code: coupon,
    relationship: {
      offer: { network_offer_id: offer.network_offer_id, network_id: offer.network_id, network_tracking_domain_id: offer.network_tracking_domain_id, name: offer.name, offer_status: offer.offer_status },
      events_count: r.event === '' ? r.eventCount : 0,
    },
  });
  // `omitEmptyKeys` drops '' / 0 / false here too: a base conversion then has no `event` or `is_event`.
  const shaped = knobs.omitEmptyKeys ? (dropEmpty(row) as WireRow) : row;
  return addUnknownFields(shaped, knobs.unknownFields, r.day, r.index * SEQ_SLOTS + r.seq);
}

