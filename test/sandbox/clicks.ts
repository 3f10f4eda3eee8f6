// Deterministic click generation, one UTC day at a time.
//
// Every click is a pure function of (account seed, UTC day, index within the day, clicks that day):
// that is what lets a transaction id decode to one click without generating anything else. For
// filtering, a day is materialised as compact typed-array columns (a 100,000-click day is a few MB and
// builds in tens of milliseconds) and kept in a small LRU; full JSON rows are built only for the rows a
// response actually returns.

import { CAMPAIGNS, COUNTRIES, COUPONS, COUPON_WEIGHTS, DEVICES, ERRORS, OFFERS, SOURCE_WEIGHTS, SUB_POOLS, SUB_WEIGHTS } from './catalog';
import { FULL_HOSTILE_COUPON, FULL_HOSTILE_SUBS, HOSTILE_SHORT } from './hostile';
import { Rng, Weighted, hash32 } from './rng';
import { TxIdCodec } from './txid';

export const DAY_SECONDS = 86_400;

/** Traffic by UTC hour: quiet at night, peaking late afternoon and evening (relative weights). */
const HOURLY = [30, 22, 16, 12, 10, 10, 14, 22, 34, 46, 56, 64, 72, 80, 88, 96, 100, 100, 96, 90, 80, 66, 52, 40];
const HOUR_CDF = (() => {
  const total = HOURLY.reduce((s, w) => s + w, 0);
  const cdf = [0];
  for (const w of HOURLY) cdf.push(cdf[cdf.length - 1] + w / total);
  cdf[24] = 1;
  return cdf;
})();

/** Second of the day at quantile u of the daily curve (inverse CDF, piecewise linear per hour). */
function secondAtQuantile(u: number): number {
  let h = 0;
  while (h < 23 && u >= HOUR_CDF[h + 1]) h++;
  const frac = (u - HOUR_CDF[h]) / (HOUR_CDF[h + 1] - HOUR_CDF[h]);
  return Math.min(DAY_SECONDS - 1, Math.floor((h + Math.min(frac, 0.999999)) * 3600));
}

// Flattened lookup tables, so a click stores small integers only.
export const CITIES = COUNTRIES.flatMap((country, ci) => country.cities.map((city) => ({ ...city, countryIndex: ci })));
/** Index 0 is "no carrier" (not on a cellular connection). */
export const CARRIERS: Array<{ name: string; code: number; countryIndex: number }> = [{ name: '', code: 0, countryIndex: -1 }];
COUNTRIES.forEach((country, ci) => country.carriers.forEach(([name, code]) => CARRIERS.push({ name, code, countryIndex: ci })));
export const LANGUAGES = [...new Set(COUNTRIES.flatMap((c) => c.languages.map((l) => l[0])))];
export const CREATIVES = OFFERS.flatMap((o) => o.creatives);
export const OFFER_URLS = [...new Set(OFFERS.flatMap((o) => o.urls))];
const dedupe = (xs: readonly string[]): string[] => [...new Set(xs)];
/** Sub id pools extended with hostile values, so hostile rows can be filtered on like any other. */
export const SUB_FILTER_POOLS = SUB_POOLS.map((pool, k) => dedupe([...pool, ...HOSTILE_SHORT, FULL_HOSTILE_SUBS[k]]));
export const COUPON_POOL = dedupe([...COUPONS, ...HOSTILE_SHORT]);

const OFFER_W = new Weighted(OFFERS.map((o) => o.weight));
const COUNTRY_W = new Weighted(COUNTRIES.map((c) => c.weight));
const LANGUAGE_W = COUNTRIES.map((c) => new Weighted(c.languages.map((l) => l[2])));
const DEVICE_W = new Weighted(DEVICES.map((d) => d.weight));
const BROWSER_W = DEVICES.map((d) => new Weighted(d.browsers.map((b) => b[1])));
const SUB_W = SUB_WEIGHTS.map((w) => new Weighted(w));
const SOURCE_W = new Weighted(SOURCE_WEIGHTS);
const COUPON_W = new Weighted(COUPON_WEIGHTS);
const ERROR_W = new Weighted(ERRORS.map((e) => e[2]));
const countryIndexByCode = new Map(COUNTRIES.map((c, i) => [c.code, i]));
const firstCity = COUNTRIES.map((_, ci) => CITIES.findIndex((c) => c.countryIndex === ci));
const firstCarrier = COUNTRIES.map((_, ci) => CARRIERS.findIndex((c) => c.countryIndex === ci));
const DUPLICATE_ERROR = ERRORS.findIndex((e) => e[0] === 21);
const HOSTILE_SUB_INDEX = SUB_FILTER_POOLS.map((pool) => HOSTILE_SHORT.map((h) => pool.indexOf(h)));
const FULL_SUB_INDEX = SUB_FILTER_POOLS.map((pool, k) => pool.indexOf(FULL_HOSTILE_SUBS[k]));
const HOSTILE_COUPON_INDEX = HOSTILE_SHORT.map((h) => COUPON_POOL.indexOf(h));
const FULL_COUPON_INDEX = COUPON_POOL.indexOf(FULL_HOSTILE_COUPON);

/** The filterable (and hidden) attributes of one click, as small integers into the tables above. */
export interface ClickAttrs {
  ts: number;
  offer: number;
  creative: number;
  campaign: number;
  offerUrl: number;
  country: number;
  city: number;
  language: number;
  /** Index into the country's own language list (for the Accept-Language header). */
  languageLocal: number;
  device: number;
  browser: number;
  connection: number;
  carrier: number;
  source: number;
  subs: [number, number, number, number, number];
  coupon: number;
  error: number;
  unique: boolean;
  /** Hidden: led to a conversion, so it survives the 3-month retention. Never sent on the wire. */
  converted: boolean;
  proxy: boolean;
  /** 0 = ordinary, 1 = a few hostile fields, 2 = the day's all-hostile row. */
  hostile: 0 | 1 | 2;
}

export function newAttrs(): ClickAttrs {
  return { ts: 0, offer: 0, creative: 0, campaign: 0, offerUrl: 0, country: 0, city: 0, language: 0, languageLocal: 0, device: 0, browser: 0, connection: 0, carrier: 0, source: 0, subs: [0, 0, 0, 0, 0], coupon: 0, error: 0, unique: true, converted: false, proxy: false, hostile: 0 };
}

/** The filter columns a materialised day keeps; names match the ClickAttrs they come from. */
export const COLUMN_NAMES = ['offer', 'creative', 'campaign', 'offerUrl', 'country', 'carrier', 'device', 'browser', 'language', 'connection', 'source', 's1', 's2', 's3', 's4', 's5', 'coupon'] as const;
export type ColumnName = (typeof COLUMN_NAMES)[number];

export interface DayColumns {
  day: number;
  n: number;
  /** Unix seconds, ascending with the index. */
  ts: Uint32Array;
  converted: Uint8Array;
  cols: Record<ColumnName, Uint16Array>;
}

const LRU_DAYS = 24;

/** All the clicks of one account (the two sandbox accounts differ only in seed and network id). */
export class ClickSource {
  readonly codec: TxIdCodec;
  private readonly rng = new Rng(0);
  private readonly cache = new Map<string, DayColumns>();

  constructor(
    readonly seed: number,
    readonly networkId: number,
    readonly affiliateId: number,
  ) {
    this.codec = new TxIdCodec(seed);
  }

  /** The index of the day's all-hostile click (or -1 for an empty day). */
  hostileIndex(day: number, n: number): number {
    return n > 0 ? hash32(this.seed, day, 0x4057) % n : -1;
  }

  /**
   * Fills `a` with click (day, i) of a day holding n clicks and returns the click's generator, which
   * the caller may keep drawing from for the cosmetic fields (IPs, device ids …) of the same click.
   */
  draw(day: number, i: number, n: number, a: ClickAttrs): Rng {
    const rng = this.rng.reseed(this.seed, day, i);
    // Stratified sampling of the daily curve: click i sits in quantile slice [i/n, (i+1)/n), so
    // timestamps come out sorted by index without sorting and any one click's time is O(1).
    a.ts = day * DAY_SECONDS + secondAtQuantile((i + rng.next()) / n);
    a.offer = OFFER_W.pick(rng);
    const offer = OFFERS[a.offer];
    a.creative = CREATIVES.indexOf(offer.creatives[rng.int(offer.creatives.length)]);
    a.offerUrl = OFFER_URLS.indexOf(offer.urls[rng.int(offer.urls.length)]);
    a.campaign = rng.int(CAMPAIGNS.length);
    // Geo-targeted offers get most of their traffic from their own countries.
    const targeted = offer.geos.length > 0 && rng.chance(0.9);
    a.country = targeted ? countryIndexByCode.get(rng.pick(offer.geos))! : COUNTRY_W.pick(rng);
    const country = COUNTRIES[a.country];
    a.city = firstCity[a.country] + rng.int(country.cities.length);
    a.languageLocal = LANGUAGE_W[a.country].pick(rng);
    a.language = LANGUAGES.indexOf(country.languages[a.languageLocal][0]);
    a.device = DEVICE_W.pick(rng);
    const device = DEVICES[a.device];
    a.browser = device.browsers[BROWSER_W[a.device].pick(rng)][0];
    const u = rng.next();
    a.connection = device.isMobile ? (u < 0.6 ? 1 : 0) : u < 0.85 ? 0 : u < 0.97 ? 2 : 3;
    a.carrier = a.connection === 1 ? firstCarrier[a.country] + rng.int(country.carriers.length) : 0;
    a.source = SOURCE_W.pick(rng);
    for (let k = 0; k < 5; k++) a.subs[k] = SUB_W[k].pick(rng);
    a.coupon = COUPON_W.pick(rng);
    a.error = ERROR_W.pick(rng);
    a.unique = a.error !== DUPLICATE_ERROR && rng.chance(0.85);
    // About 1 click in 200 converts (conversions.ts); converted clicks are the only ones older than 3
    // months. A hash of the click decides, so conversions.ts can find a day's converters without
    // drawing every click; the draw is still taken so the fields after it stay as they were.
    rng.next();
    a.converted = a.error === 0 && isConverterCandidate(this.seed, day, i);
    a.proxy = rng.chance(0.02);
    const randomHostile = rng.chance(1 / 200);
    if (i === this.hostileIndex(day, n)) {
      a.hostile = 2;
      for (let k = 0; k < 5; k++) a.subs[k] = FULL_SUB_INDEX[k];
      a.coupon = FULL_COUPON_INDEX;
    } else if (randomHostile) {
      a.hostile = 1;
      for (let k = 0; k < 5; k++) if (rng.chance(0.4)) a.subs[k] = rng.pick(HOSTILE_SUB_INDEX[k]);
      if (rng.chance(0.2)) a.coupon = rng.pick(HOSTILE_COUPON_INDEX);
    } else {
      a.hostile = 0;
    }
    return rng;
  }

  /** The day's filter columns, from the LRU or built now. */
  columns(day: number, n: number): DayColumns {
    const key = `${day}:${n}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const cols = {} as Record<ColumnName, Uint16Array>;
    for (const name of COLUMN_NAMES) cols[name] = new Uint16Array(n);
    const ts = new Uint32Array(n);
    const converted = new Uint8Array(n);
    const a = newAttrs();
    for (let i = 0; i < n; i++) {
      this.draw(day, i, n, a);
      ts[i] = a.ts;
      converted[i] = a.converted ? 1 : 0;
      cols.offer[i] = a.offer;
      cols.creative[i] = a.creative;
      cols.campaign[i] = a.campaign;
      cols.offerUrl[i] = a.offerUrl;
      cols.country[i] = a.country;
      cols.carrier[i] = a.carrier;
      cols.device[i] = a.device;
      cols.browser[i] = a.browser;
      cols.language[i] = a.language;
      cols.connection[i] = a.connection;
      cols.source[i] = a.source;
      cols.s1[i] = a.subs[0];
      cols.s2[i] = a.subs[1];
      cols.s3[i] = a.subs[2];
      cols.s4[i] = a.subs[3];
      cols.s5[i] = a.subs[4];
      cols.coupon[i] = a.coupon;
    }
    const built: DayColumns = { day, n, ts, converted, cols };
    this.cache.set(key, built);
    while (this.cache.size > LRU_DAYS) this.cache.delete(this.cache.keys().next().value!);
    return built;
  }

  clearCache(): void {
    this.cache.clear();
  }
}

/** One click in this many is a conversion candidate (it converts unless the click was rejected). */
export const CONVERSION_ONE_IN = 200;

/** Whether click (day, i) converts when it was not rejected: a pure hash, O(1) per click. */
export function isConverterCandidate(seed: number, day: number, i: number): boolean {
  return hash32(seed, day, i, 0xc0417) % CONVERSION_ONE_IN === 0;
}

/** `YYYY-MM-DD` of a UTC day number (the key `dayVolumes` uses). */
export function isoDay(day: number): string {
  return new Date(day * DAY_SECONDS * 1000).toISOString().slice(0, 10);
}

/** Whether a click is still served at `nowSec`: not in the future, and within retention unless converted. */
export function isServed(ts: number, converted: boolean, nowSec: number, retentionDays: number): boolean {
  if (ts > nowSec) return false;
  return converted || ts >= nowSec - retentionDays * DAY_SECONDS;
}
