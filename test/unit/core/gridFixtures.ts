import type { Click } from '../../../src/core/types';

// Clicks for the grid's unit tests: one complete click, and variations of it by a few fields.

type Over = Partial<Omit<Click, 'relationship'>> & {
  offer?: Partial<Click['relationship']['offer']>;
  geo?: Partial<Click['relationship']['geolocation']>;
  device?: Partial<Click['relationship']['device_information']>;
  query_parameters?: Record<string, string> | null;
};

let counter = 0;

export function click(over: Over = {}): Click {
  const { offer, geo, device, query_parameters, ...top } = over;
  const n = ++counter;
  return {
    transaction_id: n.toString(16).padStart(32, 'a'),
    is_unique: true,
    unix_timestamp: 1_773_446_400 + n, // 2026-03-14 00:00:00 UTC + n s
    tracking_url: 'https://trk.example/o?oid=1',
    source_id: '',
    sub1: '',
    sub2: '',
    sub3: '',
    sub4: '',
    sub5: '',
    revenue_type: 'CPC',
    revenue: 0,
    referer: '',
    error_code: 0,
    error_message: '',
    user_ip: '203.0.113.9',
    currency_id: 'USD',
    coupon_code: '',
    idfa: '',
    idfa_md5: '',
    idfa_sha1: '',
    google_ad_id: '',
    google_ad_id_md5: '',
    google_ad_id_sha1: '',
    android_id: '',
    android_id_md5: '',
    android_id_sha1: '',
    ...top,
    relationship: {
      offer: { network_offer_id: 883, network_id: 1, network_tracking_domain_id: 2, name: 'Summer Sale', offer_status: 'active', ...offer },
      geolocation: {
        country_code: 'US',
        country_name: 'United States',
        region_code: 'NY',
        region_name: 'New York',
        city_name: 'New York',
        dma: 501,
        dma_name: 'New York',
        timezone: 'America/New_York',
        carrier_name: '',
        carrier_code: '',
        organization: '',
        isp_name: 'Example ISP',
        is_mobile: false,
        is_proxy: false,
        postal_code: '10001',
        ...geo,
      },
      device_information: {
        is_mobile: false,
        platform_name: 'Windows',
        os_version: '11',
        brand: '',
        model: '',
        is_tablet: false,
        browser_name: 'Chrome',
        browser_version: '120',
        device_type: 'Desktop',
        language: 'en',
        http_accept_language: 'en-US',
        is_robot: false,
        is_filter: false,
        ...device,
      },
      query_parameters: query_parameters === undefined ? null : query_parameters,
    },
  };
}
