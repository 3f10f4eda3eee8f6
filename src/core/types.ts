// The shapes every layer agrees on: the Everflow wire format (as loosely as Everflow documents it)
// and the one normalised click row the rest of the extension uses.

/** The 20 resource types the seed names, plus the `sub1`…`sub5` spelling other Everflow pages use. */
export const RESOURCE_TYPES = [
  'offer',
  'creative',
  'country',
  'carrier',
  'device_platform',
  'device_type',
  'device_make',
  'browser',
  'language',
  'connection_type',
  'campaign',
  'source_id',
  'offer_url',
  'device_model',
  's1',
  's2',
  's3',
  's4',
  's5',
  'coupon_code',
] as const;

export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** One filter or exclusion. `filter_id_value` is always a string on the wire, even for numeric ids. */
export interface QueryFilter {
  resource_type: ResourceType | `sub${1 | 2 | 3 | 4 | 5}` | string;
  filter_id_value: string;
}

/** The body of `POST /v1/affiliates/reporting/clicks/stream`. */
export interface StreamRequest {
  /** `YYYY-MM-DD HH:MM:SS`, wall-clock time in the zone named by `timezone_id`. */
  from: string;
  /** `YYYY-MM-DD HH:MM:SS`, inclusive. */
  to: string;
  timezone_id: number;
  query?: {
    filters?: QueryFilter[];
    exclusions?: QueryFilter[];
  };
}

export interface Timezone {
  timezone_id: number;
  /** Display name; changes with daylight saving, so never used to resolve ids. */
  timezone_name: string;
  /** IANA name, e.g. `America/New_York`. */
  timezone: string;
  utc_offset: string;
}

/** The normalised click: every documented field present, with one type each. */
export interface Click {
  transaction_id: string;
  is_unique: boolean;
  /** Epoch seconds, UTC. */
  unix_timestamp: number;
  tracking_url: string;
  source_id: string;
  sub1: string;
  sub2: string;
  sub3: string;
  sub4: string;
  sub5: string;
  revenue_type: string;
  /** Full currency units. */
  revenue: number;
  referer: string;
  error_code: number;
  error_message: string;
  user_ip: string;
  currency_id: string;
  coupon_code: string;
  idfa: string;
  idfa_md5: string;
  idfa_sha1: string;
  google_ad_id: string;
  google_ad_id_md5: string;
  google_ad_id_sha1: string;
  android_id: string;
  android_id_md5: string;
  android_id_sha1: string;
  relationship: {
    offer: {
      network_offer_id: number;
      network_id: number;
      network_tracking_domain_id: number;
      name: string;
      offer_status: string;
    };
    geolocation: {
      country_code: string;
      country_name: string;
      region_code: string;
      region_name: string;
      city_name: string;
      dma: number;
      dma_name: string;
      timezone: string;
      carrier_name: string;
      /** Everflow sends a string or a number; normalised to a string. */
      carrier_code: string;
      organization: string;
      isp_name: string;
      is_mobile: boolean;
      is_proxy: boolean;
      postal_code: string;
    };
    device_information: {
      is_mobile: boolean;
      platform_name: string;
      os_version: string;
      brand: string;
      model: string;
      is_tablet: boolean;
      browser_name: string;
      browser_version: string;
      device_type: string;
      language: string;
      http_accept_language: string;
      is_robot: boolean;
      is_filter: boolean;
    };
    /** Free-form, attacker-controlled; `null` when absent. */
    query_parameters: Record<string, string> | null;
  };
  /**
   * Fields Everflow sent that this list does not name, as sent (src/core/extras.ts); undefined when
   * there were none, which is the common case.
   */
  extra?: ClickExtras;
}

/**
 * What a click row carried beyond the fields above, kept so that nothing Everflow adds is dropped.
 * Keys are attacker-controlled text (`__proto__` included): both maps have no prototype, or are
 * JSON-parsed, so a key is always an own data property.
 */
export interface ClickExtras {
  /** Unknown top-level keys and their values. */
  top?: Record<string, unknown>;
  /**
   * Under a known object's name (`offer`, `geolocation`, `device_information`): only its unknown
   * keys. Under any other name: the whole value of that `relationship` entry.
   */
  relationship?: Record<string, unknown>;
}

/**
 * One HTTP exchange with Everflow as it happened, kept so that "Open as JSON" can show what Everflow
 * sent. Never the key or any header.
 */
export interface ApiExchange {
  method: string;
  /** Path only, as sent (no host). */
  path: string;
  /** The JSON body sent, when there was one. */
  body?: unknown;
  status?: number;
  /** The response body exactly as received; absent when it was not kept (see `not_kept`). */
  response?: string;
  /** Why the response text is absent (over the memory budget for kept responses). */
  not_kept?: string;
}

export interface StreamResult {
  rows: Click[];
  /** The request(s) and response(s) behind the rows, as sent and received. */
  exchanges?: ApiExchange[];
  /** True when the response reached the cap, so more clicks may match than were returned. */
  truncated: boolean;
  /** The cap this response was judged against (5,000 for affiliate keys). */
  cap: number;
  durationMs: number;
}

/** Why a request failed: one reason per failure, chosen at the API boundary. */
export type ErrorReason =
  | 'invalidRequest'
  | 'badRequest'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'rateLimited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'invalidResponse';

/** One problem found in a request before it is sent. */
export interface ValidationProblem {
  /** Which part: `from`, `to`, `window`, `timezone_id`, `filters[2].resource_type`, … */
  field: string;
  /** A sentence a user understands. */
  message: string;
}

/** One line of the request log; never holds the key or headers. */
export interface RequestLogEntry {
  method: string;
  /** Path only, no host, no query string secrets. */
  path: string;
  status?: number;
  durationMs: number;
  rows?: number;
  attempt: number;
  /** Set when the attempt failed. */
  reason?: ErrorReason;
  message?: string;
}
