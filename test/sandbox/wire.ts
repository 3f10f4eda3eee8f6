// Builds the JSON row Everflow sends for one click, in the loose wire format: the field order of the
// seed's example, with the type drift (is_unique 0/1 vs boolean, carrier_code number vs string, empty
// keys dropped) selected by knobs so clients can be tested against every documented variant.

import { createHash } from 'node:crypto';
import { BROWSERS, CAMPAIGNS, CONNECTION_TYPES, COUNTRIES, DEVICES, ERRORS, OFFERS, REFERERS, SOURCE_IDS, TRACKING_DOMAINS } from './catalog';
import { CARRIERS, CITIES, COUPON_POOL, ClickAttrs, ClickSource, SUB_FILTER_POOLS, newAttrs } from './clicks';
import { HostileText, fullHostileText, partialHostileText } from './hostile';
import { Knobs } from './knobs';
import { addUnknownFields } from './unknownFields';
import { Rng } from './rng';

/** A wire row: deliberately untyped beyond "JSON object", as clients receive it. */
export type WireRow = Record<string, unknown>;

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

function uuid(rng: Rng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Raw id plus its hashes. Some clicks carry only the md5 (hashed pass-through), some nothing. */
function adIds(rng: Rng, raw: string): [string, string, string] {
  const u = rng.next();
  if (u < 0.4) return [raw, md5(raw), sha1(raw)];
  if (u < 0.6) return ['', md5(raw), ''];
  return ['', '', ''];
}

function ip(rng: Rng): string {
  if (rng.chance(0.05)) return `2001:db8:${rng.hex(4)}:${rng.hex(4)}::${rng.hex(4)}`;
  return `${[23, 45, 66, 71, 82, 98, 104, 151, 172, 185, 203][rng.int(11)]}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
}

/** Builds the wire row for click (day, i) of a day with n clicks, shaped by the current knobs. */
export function buildRow(source: ClickSource, day: number, i: number, n: number, knobs: Knobs, a: ClickAttrs = newAttrs()): WireRow {
  const rng = source.draw(day, i, n, a);
  const offer = OFFERS[a.offer];
  const country = COUNTRIES[a.country];
  const city = CITIES[a.city];
  const device = DEVICES[a.device];
  const [browserName, browserVersions] = BROWSERS[a.browser];
  const carrier = CARRIERS[a.carrier];
  const subs = a.subs.map((s, k) => SUB_FILTER_POOLS[k][s]);
  const coupon = COUPON_POOL[a.coupon];
  const [errorCode, errorMessage] = ERRORS[a.error];
  const cellular = CONNECTION_TYPES[a.connection] === 'Cellular';

  const adId = device.adId;
  const [idfa, idfaMd5, idfaSha1] = adId === 'idfa' ? adIds(rng, uuid(rng).toUpperCase()) : ['', '', ''];
  const [gaid, gaidMd5, gaidSha1] = adId === 'google' ? adIds(rng, uuid(rng)) : ['', '', ''];
  const [aid, aidMd5, aidSha1] = adId === 'google' && rng.chance(0.3) ? adIds(rng, rng.hex(16)) : ['', '', ''];
  const isp = cellular ? carrier.name : rng.pick(country.isps);

  let text: HostileText = {
    referer: rng.chance(0.5) ? '' : rng.pick(REFERERS),
    trackingUrl: `https://${TRACKING_DOMAINS[offer.trackingDomainId]}/${offer.slug}?oid=${offer.id}&affid=${source.affiliateId}${subs[0] ? `&sub1=${encodeURIComponent(subs[0])}` : ''}`,
    offerName: offer.name,
    cityName: city.city,
    queryParameters: {},
  };
  const hasQuery = rng.chance(0.6);
  if (hasQuery) {
    text.queryParameters.utm_source = subs[0] || 'direct';
    text.queryParameters.utm_medium = rng.pick(['cpc', 'social', 'email', 'display']);
    text.queryParameters.utm_campaign = `cmp_${CAMPAIGNS[a.campaign]}`;
    if (coupon) text.queryParameters.__cc = coupon;
  }
  if (a.hostile === 2) text = fullHostileText();
  else if (a.hostile === 1) text = partialHostileText(() => rng.next(), text);
  const queryParameters = a.hostile > 0 || hasQuery ? text.queryParameters : null;

  let revenue = 0;
  if (errorCode === 0) {
    if (offer.revenueType === 'CPC' && a.unique) revenue = offer.amount;
    if (offer.revenueType === 'CPA' && a.converted) revenue = offer.amount;
  }

  const row: WireRow = {
    transaction_id: source.codec.encode(day, i),
    is_unique: knobs.isUniqueAs === 'boolean' ? a.unique : a.unique ? 1 : 0,
    unix_timestamp: a.ts,
    tracking_url: text.trackingUrl,
    source_id: SOURCE_IDS[a.source],
    sub1: subs[0],
    sub2: subs[1],
    sub3: subs[2],
    sub4: subs[3],
    sub5: subs[4],
    revenue_type: offer.revenueType,
    revenue,
    referer: text.referer,
    error_code: errorCode,
    user_ip: ip(rng),
    error_message: errorMessage,
    idfa,
    idfa_md5: idfaMd5,
    idfa_sha1: idfaSha1,
    google_ad_id: gaid,
    google_ad_id_md5: gaidMd5,
    google_ad_id_sha1: gaidSha1,
    android_id: aid,
    android_id_md5: aidMd5,
    android_id_sha1: aidSha1,
    relationship: {
      offer: {
        network_offer_id: offer.id,
        network_id: source.networkId,
        name: text.offerName,
        offer_status: offer.status,
        network_tracking_domain_id: offer.trackingDomainId,
      },
      geolocation: {
        country_code: country.code,
        country_name: country.name,
        region_code: city.regionCode,
        region_name: city.region,
        city_name: text.cityName,
        dma: city.dma,
        dma_name: city.dmaName,
        timezone: city.timezone,
        carrier_name: carrier.name,
        carrier_code: knobs.carrierCodeAs === 'string' ? String(carrier.code) : carrier.code,
        organization: cellular ? '' : isp,
        isp_name: isp,
        is_mobile: cellular,
        is_proxy: a.proxy,
        postal_code: city.postal,
      },
      device_information: {
        is_mobile: device.isMobile,
        platform_name: device.platform,
        os_version: rng.pick(device.osVersions),
        brand: device.brand,
        model: device.model,
        is_tablet: device.isTablet,
        browser_name: browserName,
        browser_version: rng.pick(browserVersions),
        device_type: device.deviceType,
        language: country.languages[a.languageLocal][0],
        http_accept_language: country.languages[a.languageLocal][1],
        is_robot: device.isRobot,
        is_filter: errorCode !== 0,
      },
      query_parameters: queryParameters,
    },
    currency_id: offer.currency,
    coupon_code: coupon,
  };
  const shaped = knobs.omitEmptyKeys ? (dropEmpty(row) as WireRow) : row;
  return addUnknownFields(shaped, knobs.unknownFields, day, i);
}

/** Removes '' / 0 / false values at every depth (null stays: it is a value some generations send). */
export function dropEmpty(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === '' || x === 0 || x === false) continue;
    out[k] = dropEmpty(x);
  }
  return out;
}
