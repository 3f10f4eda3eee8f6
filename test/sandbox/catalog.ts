// The fixed vocabulary the generator draws from: offers, places, devices, sub ids and so on.
// Values are plausible rather than real; domains use reserved test TLDs (.test, .example) so nothing
// in the data points at a real site. Weights shape the mix (most traffic US, mostly mobile, …).

export interface Offer {
  id: number;
  name: string;
  status: 'active' | 'paused';
  trackingDomainId: number;
  revenueType: 'CPA' | 'CPC';
  /** Payout in full currency units: per conversion for CPA, per unique click for CPC. */
  amount: number;
  currency: 'USD' | 'EUR' | 'GBP';
  /** Country codes the offer is targeted at; empty = worldwide. */
  geos: string[];
  creatives: number[];
  urls: number[];
  slug: string;
  weight: number;
}

export const OFFERS: readonly Offer[] = [
  { id: 882, name: 'Summer Fashion Sale - US', status: 'active', trackingDomainId: 1, revenueType: 'CPA', amount: 12.5, currency: 'USD', geos: ['US', 'CA'], creatives: [4101, 4102, 4103], urls: [0, 21], slug: 'summer-fashion', weight: 24 },
  { id: 883, name: 'Puzzle Quest - Mobile Install', status: 'active', trackingDomainId: 1, revenueType: 'CPA', amount: 2.1, currency: 'USD', geos: [], creatives: [4110, 4111], urls: [0, 22, 23], slug: 'puzzle-quest', weight: 22 },
  { id: 518, name: 'SecureNet VPN Free Trial', status: 'active', trackingDomainId: 2, revenueType: 'CPA', amount: 18, currency: 'USD', geos: [], creatives: [3050, 3051], urls: [0], slug: 'securenet-vpn', weight: 16 },
  { id: 1204, name: 'Credit Score Check (CPC)', status: 'active', trackingDomainId: 1, revenueType: 'CPC', amount: 0.35, currency: 'USD', geos: ['US'], creatives: [5200], urls: [0, 31], slug: 'credit-check', weight: 14 },
  { id: 1311, name: 'Energy Switch Comparison UK', status: 'active', trackingDomainId: 3, revenueType: 'CPA', amount: 9, currency: 'GBP', geos: ['GB'], creatives: [5310, 5311], urls: [0], slug: 'energy-switch', weight: 8 },
  { id: 1422, name: 'Sportwetten Willkommensbonus', status: 'active', trackingDomainId: 3, revenueType: 'CPA', amount: 35, currency: 'EUR', geos: ['DE', 'FR', 'ES'], creatives: [5420], urls: [0, 41], slug: 'sportwetten', weight: 7 },
  { id: 1500, name: 'Meal Kit Starter Box', status: 'active', trackingDomainId: 2, revenueType: 'CPA', amount: 22, currency: 'USD', geos: ['US', 'CA', 'AU'], creatives: [5500, 5501], urls: [0], slug: 'meal-kit', weight: 6 },
  { id: 77, name: 'Legacy Newsletter Signup', status: 'paused', trackingDomainId: 1, revenueType: 'CPC', amount: 0.05, currency: 'USD', geos: [], creatives: [700], urls: [0], slug: 'newsletter', weight: 3 },
];

export const TRACKING_DOMAINS: Record<number, string> = { 1: 'trk.sandbox-tracking.test', 2: 'go.sandbox-offers.test', 3: 'clk.eu-sandbox.test' };

/** Affiliate-side campaign ids (hidden: filterable but not part of the row). */
export const CAMPAIGNS: readonly number[] = [101, 102, 103, 240, 241, 305];

export interface City {
  regionCode: string;
  region: string;
  city: string;
  postal: string;
  dma: number;
  dmaName: string;
  timezone: string;
}

export interface Country {
  code: string;
  name: string;
  weight: number;
  languages: Array<[string, string, number]>; // [language, accept-language header, weight]
  cities: City[];
  carriers: Array<[string, number]>; // [name, MCC-MNC code]
  isps: string[];
}

const c = (regionCode: string, region: string, city: string, postal: string, timezone: string, dma = 0, dmaName = ''): City => ({ regionCode, region, city, postal, dma, dmaName, timezone });

export const COUNTRIES: readonly Country[] = [
  {
    code: 'US', name: 'United States', weight: 40,
    languages: [['en', 'en-US,en;q=0.9', 88], ['es', 'es-US,es;q=0.9,en;q=0.8', 12]],
    cities: [
      c('CA', 'California', 'Burbank', '91502', 'America/Los_Angeles', 803, 'Los Angeles, CA'),
      c('NY', 'New York', 'New York', '10001', 'America/New_York', 501, 'New York, NY'),
      c('TX', 'Texas', 'Austin', '78701', 'America/Chicago', 635, 'Austin, TX'),
      c('IL', 'Illinois', 'Chicago', '60601', 'America/Chicago', 602, 'Chicago, IL'),
      c('FL', 'Florida', 'Miami', '33101', 'America/New_York', 528, 'Miami-Ft. Lauderdale, FL'),
      c('WA', 'Washington', 'Seattle', '98101', 'America/Los_Angeles', 819, 'Seattle-Tacoma, WA'),
      c('CO', 'Colorado', 'Denver', '80202', 'America/Denver', 751, 'Denver, CO'),
    ],
    carriers: [['T-Mobile USA', 310260], ['Verizon Wireless', 311480], ['AT&T Wireless', 310410]],
    isps: ['Comcast Cable', 'Charter Communications', 'Verizon Fios', 'Cox Communications'],
  },
  {
    code: 'CA', name: 'Canada', weight: 8,
    languages: [['en', 'en-CA,en;q=0.9', 75], ['fr', 'fr-CA,fr;q=0.9,en;q=0.8', 25]],
    cities: [c('ON', 'Ontario', 'Toronto', 'M5H', 'America/Toronto'), c('QC', 'Quebec', 'Montréal', 'H2X', 'America/Toronto'), c('BC', 'British Columbia', 'Vancouver', 'V6B', 'America/Vancouver')],
    carriers: [['Rogers Wireless', 302720], ['Bell Mobility', 302610]],
    isps: ['Rogers Cable', 'Bell Canada', 'Shaw Communications'],
  },
  {
    code: 'GB', name: 'United Kingdom', weight: 10,
    languages: [['en', 'en-GB,en;q=0.9', 100]],
    cities: [c('ENG', 'England', 'London', 'EC1A', 'Europe/London'), c('ENG', 'England', 'Manchester', 'M1', 'Europe/London'), c('SCT', 'Scotland', 'Edinburgh', 'EH1', 'Europe/London')],
    carriers: [['EE', 23430], ['Vodafone UK', 23415]],
    isps: ['British Telecommunications', 'Virgin Media', 'Sky Broadband'],
  },
  {
    code: 'DE', name: 'Germany', weight: 8,
    languages: [['de', 'de-DE,de;q=0.9,en;q=0.7', 92], ['en', 'en-DE,en;q=0.9', 8]],
    cities: [c('BE', 'Berlin', 'Berlin', '10115', 'Europe/Berlin'), c('BY', 'Bavaria', 'München', '80331', 'Europe/Berlin'), c('HH', 'Hamburg', 'Hamburg', '20095', 'Europe/Berlin')],
    carriers: [['Telekom.de', 26201], ['Vodafone.de', 26202]],
    isps: ['Deutsche Telekom AG', 'Vodafone GmbH', '1&1 Versatel'],
  },
  {
    code: 'FR', name: 'France', weight: 6,
    languages: [['fr', 'fr-FR,fr;q=0.9', 100]],
    cities: [c('IDF', 'Île-de-France', 'Paris', '75001', 'Europe/Paris'), c('ARA', 'Auvergne-Rhône-Alpes', 'Lyon', '69001', 'Europe/Paris')],
    carriers: [['Orange F', 20801], ['SFR', 20810]],
    isps: ['Orange S.A.', 'Free SAS', 'Bouygues Telecom'],
  },
  {
    code: 'BR', name: 'Brazil', weight: 6,
    languages: [['pt', 'pt-BR,pt;q=0.9', 100]],
    cities: [c('SP', 'São Paulo', 'São Paulo', '01000-000', 'America/Sao_Paulo'), c('RJ', 'Rio de Janeiro', 'Rio de Janeiro', '20000-000', 'America/Sao_Paulo')],
    carriers: [['Vivo', 72406], ['Claro BR', 72405]],
    isps: ['Telefonica Brasil', 'Claro NXT'],
  },
  {
    code: 'IN', name: 'India', weight: 8,
    languages: [['en', 'en-IN,en;q=0.9', 60], ['hi', 'hi-IN,hi;q=0.9,en;q=0.8', 40]],
    cities: [c('MH', 'Maharashtra', 'Mumbai', '400001', 'Asia/Kolkata'), c('KA', 'Karnataka', 'Bengaluru', '560001', 'Asia/Kolkata'), c('DL', 'Delhi', 'New Delhi', '110001', 'Asia/Kolkata')],
    carriers: [['Reliance Jio', 405857], ['Airtel', 40410]],
    isps: ['Reliance Jio Infocomm', 'Bharti Airtel'],
  },
  {
    code: 'JP', name: 'Japan', weight: 4,
    languages: [['ja', 'ja-JP,ja;q=0.9', 100]],
    cities: [c('13', 'Tokyo', 'Tokyo', '100-0001', 'Asia/Tokyo'), c('27', 'Osaka', 'Osaka', '530-0001', 'Asia/Tokyo')],
    carriers: [['NTT DOCOMO', 44010]],
    isps: ['NTT Communications', 'KDDI Corporation'],
  },
  {
    code: 'AU', name: 'Australia', weight: 4,
    languages: [['en', 'en-AU,en;q=0.9', 100]],
    cities: [c('NSW', 'New South Wales', 'Sydney', '2000', 'Australia/Sydney'), c('VIC', 'Victoria', 'Melbourne', '3000', 'Australia/Melbourne')],
    carriers: [['Telstra', 50501]],
    isps: ['Telstra Internet', 'TPG Internet'],
  },
  {
    code: 'MX', name: 'Mexico', weight: 3,
    languages: [['es', 'es-MX,es;q=0.9', 100]],
    cities: [c('CMX', 'Ciudad de México', 'Mexico City', '06000', 'America/Mexico_City')],
    carriers: [['Telcel', 334020]],
    isps: ['Telmex'],
  },
  {
    code: 'ES', name: 'Spain', weight: 3,
    languages: [['es', 'es-ES,es;q=0.9', 100]],
    cities: [c('MD', 'Madrid', 'Madrid', '28001', 'Europe/Madrid')],
    carriers: [['Movistar', 21407]],
    isps: ['Telefonica de Espana'],
  },
];

export interface DeviceProfile {
  platform: string;
  osVersions: string[];
  brand: string;
  model: string;
  deviceType: string;
  isMobile: boolean;
  isTablet: boolean;
  isRobot: boolean;
  /** Indexes into BROWSERS with weights. */
  browsers: Array<[number, number]>;
  /** Which advertising id the device family carries. */
  adId: 'idfa' | 'google' | 'none';
  weight: number;
}

export const BROWSERS: ReadonlyArray<[name: string, versions: string[]]> = [
  ['Safari', ['17.4', '17.5', '16.6']],
  ['Chrome', ['124.0.6367', '125.0.6422', '123.0.6312']],
  ['Firefox', ['125.0', '126.0']],
  ['Edge', ['124.0.2478']],
  ['Samsung Internet', ['24.0', '25.0']],
  ['Facebook', ['460.0']],
  ['Googlebot', ['2.1']],
];

export const DEVICES: readonly DeviceProfile[] = [
  { platform: 'iOS', osVersions: ['17.5', '17.4.1', '16.7'], brand: 'Apple', model: 'iPhone', deviceType: 'Mobile', isMobile: true, isTablet: false, isRobot: false, browsers: [[0, 75], [1, 15], [5, 10]], adId: 'idfa', weight: 30 },
  { platform: 'iOS', osVersions: ['17.5', '16.7'], brand: 'Apple', model: 'iPad', deviceType: 'Tablet', isMobile: true, isTablet: true, isRobot: false, browsers: [[0, 85], [1, 15]], adId: 'idfa', weight: 5 },
  { platform: 'Android', osVersions: ['14', '13'], brand: 'Samsung', model: 'SM-S911B', deviceType: 'Mobile', isMobile: true, isTablet: false, isRobot: false, browsers: [[1, 55], [4, 35], [5, 10]], adId: 'google', weight: 14 },
  { platform: 'Android', osVersions: ['14'], brand: 'Google', model: 'Pixel 8', deviceType: 'Mobile', isMobile: true, isTablet: false, isRobot: false, browsers: [[1, 90], [5, 10]], adId: 'google', weight: 6 },
  { platform: 'Android', osVersions: ['13', '12'], brand: 'Xiaomi', model: 'Redmi Note 12', deviceType: 'Mobile', isMobile: true, isTablet: false, isRobot: false, browsers: [[1, 100]], adId: 'google', weight: 6 },
  { platform: 'Windows', osVersions: ['10', '11'], brand: '', model: '', deviceType: 'PC', isMobile: false, isTablet: false, isRobot: false, browsers: [[1, 65], [3, 25], [2, 10]], adId: 'none', weight: 24 },
  { platform: 'macOS', osVersions: ['14.4', '13.6'], brand: 'Apple', model: 'Macintosh', deviceType: 'PC', isMobile: false, isTablet: false, isRobot: false, browsers: [[0, 55], [1, 35], [2, 10]], adId: 'none', weight: 10 },
  { platform: 'Linux', osVersions: [''], brand: '', model: '', deviceType: 'PC', isMobile: false, isTablet: false, isRobot: false, browsers: [[2, 60], [1, 40]], adId: 'none', weight: 3 },
  { platform: 'Linux', osVersions: [''], brand: '', model: '', deviceType: 'Robot', isMobile: false, isTablet: false, isRobot: true, browsers: [[6, 100]], adId: 'none', weight: 1 },
];

export const CONNECTION_TYPES: readonly string[] = ['Cable/DSL', 'Cellular', 'Corporate', 'Satellite'];

// Sub-id pools. The empty string comes first and most often: most clicks carry no sub ids.
export const SUB_POOLS: readonly (readonly string[])[] = [
  ['', 'facebook', 'google', 'internal', 'tiktok', 'newsletter', 'test', 'bing', 'snapchat'],
  ['', 'adset_101', 'adset_102', 'adset_207', 'spring_promo', 'retargeting', 'lookalike_3pct'],
  ['', 'test', 'facebook', 'video', 'banner', 'carousel'],
  ['', 'v1', 'v2', 'control', 'variant_b'],
  ['', '{click_id}', 'ext-48213', 'ext-99120', 'partner-a'],
];
export const SUB_WEIGHTS: readonly (readonly number[])[] = [
  [20, 25, 18, 8, 10, 6, 3, 5, 5],
  [45, 15, 12, 8, 8, 7, 5],
  [70, 8, 8, 6, 4, 4],
  [70, 10, 10, 5, 5],
  [75, 5, 8, 7, 5],
];

export const SOURCE_IDS: readonly string[] = ['', 'ig_feed', 'yt_preroll', 'partner-7', '10023', 'fb_stories'];
export const SOURCE_WEIGHTS: readonly number[] = [60, 10, 8, 8, 7, 7];

export const COUPONS: readonly string[] = ['', 'SUMMER', 'WELCOME10', 'BF2026', 'FREESHIP'];
export const COUPON_WEIGHTS: readonly number[] = [80, 7, 6, 4, 3];

export const REFERERS: readonly string[] = [
  '', 'https://www.facebook.com/', 'https://www.google.com/', 'https://t.co/', 'https://www.tiktok.com/',
  'android-app://com.google.android.gm/', 'https://news.example.com/articles/best-deals-2026',
];

/** Everflow click error codes (see shared/everflow-api.md) with the message the row carries. */
export const ERRORS: ReadonlyArray<[number, string, number]> = [
  [0, 'N/A', 940],
  [21, 'Duplicate click', 18],
  [9, 'Country is not allowed', 8],
  [14, 'Blocked traffic', 6],
  [23, 'Proxy detected', 5],
  [1, 'Offer expired', 4],
  [2, 'Over offer cap', 4],
  [4, 'Platform is not allowed', 3],
  [28, 'Traffic optimized', 3],
  // As Everflow sends it: an error code whose message is the "N/A" placeholder.
  [101, 'N/A', 3],
  [13, 'IP range is blocked', 2],
  [27, 'Already converted', 2],
  [5, 'Device type is not allowed', 2],
];
