// The shapes the conversions feature agrees on (issue #15): Everflow's affiliate conversion report as
// loosely as its three documentation generations describe it, and the one normalised conversion row the
// join, the hover, the trace and the grid read. Facts: ../shared/everflow-api.md, section "Conversions".

import type { ApiExchange, QueryFilter } from '../types';

/** The body of `POST /v1/affiliates/reporting/conversions` (paging goes in the query string and the body). */
export interface ConversionRequest {
  /** `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`, wall-clock time in the zone of `timezone_id`. */
  from: string;
  /** Inclusive, same forms as `from`. */
  to: string;
  timezone_id: number;
  /** Base conversions; Everflow's default is true. */
  show_conversions?: boolean;
  /** Post-conversion events; Everflow's default is false. */
  show_events?: boolean;
  query?: { filters?: QueryFilter[] };
}

/** One conversion or post-conversion event, normalised: every field present with one type. */
export interface Conversion {
  /** `conversion_id` (string) or the older integer `network_conversion_id`, as a string. */
  conversion_id: string;
  /** The click's transaction ID: the join key. Empty when Everflow sent none. */
  transaction_id: string;
  /** Epoch seconds, UTC. */
  conversion_unix_timestamp: number;
  /** Epoch seconds, UTC; 0 when absent. */
  click_unix_timestamp: number;
  /** The affiliate's earning, full currency units. */
  revenue: number;
  sale_amount: number;
  currency_id: string;
  /** Event name; empty for a base conversion. */
  event: string;
  /** True for a post-conversion event (from `is_event`, or a non-empty `event` when `is_event` is absent). */
  is_event: boolean;
  /** `conversion_status` when Everflow sent one (older drafts, webhooks): approved, pending, rejected, invalid…; else ''. */
  status: string;
  revenue_type: string;
  source_id: string;
  sub1: string;
  sub2: string;
  sub3: string;
  sub4: string;
  sub5: string;
  order_id: string;
  coupon_code: string;
  country: string;
  platform: string;
  device_type: string;
  offer_id: number;
  offer_name: string;
  /** Every other field as sent (attacker-controlled text included; keys are data, never prototypes). */
  other: Record<string, unknown>;
}

export interface ConversionResult {
  rows: Conversion[];
  /** `paging.total_count` of the last page read (base conversions and events as Everflow counts them). */
  totalCount: number;
  pages: number;
  /** True when Cancel stopped the paging: `rows` are the pages that arrived. */
  partial: boolean;
  /** True when the caller's page limit (`maxPages`) stopped the paging before `totalCount` rows arrived. */
  capped?: boolean;
  exchanges?: ApiExchange[];
  durationMs: number;
}
