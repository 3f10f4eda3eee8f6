import type { Conversion } from '../core/conversions/types';
import type { ApiExchange, Click } from '../core/types';

// The shape of a result, shared by the host (presenter, panels, exports, storage) and the results
// webview (through src/protocol/results.ts). Types only: no vscode, no DOM.

/** How a fetch past the cap went (set once "Fetch all" has run on a result). */
export interface FetchAllMeta {
  /** Stream requests sent. */
  requests: number;
  /** Pieces the window was split into. */
  pieces: number;
  /** Every piece came back under the cap and nothing stopped the fetch. */
  complete: boolean;
  stopped_by?: 'cancelled' | 'maxRows';
  /** The `everflow.results.maxRows` limit in force. */
  max_rows: number;
  /** One-second pieces that still reached the cap (their extra clicks cannot be fetched). */
  capped_pieces?: number;
}

/** What produced a result, recorded beside its rows in every view and export. Never the key. */
export interface ResultRequestMeta {
  /** 'conversions': a grid of conversions whose click is not in the result they were added to (conversionsResult.ts). */
  kind: 'stream' | 'click' | 'bulk' | 'conversions';
  account?: string;
  from?: string;
  to?: string;
  timezone_id?: number;
  timezone?: string;
  filters?: { resource_type: string; filter_id_value: string }[];
  exclusions?: { resource_type: string; filter_id_value: string }[];
  logic?: string;
  transaction_id?: string;
  fetched_at: string;
  duration_ms?: number;
  rows: number;
  truncated?: boolean;
  cap?: number;
  /** Set when the user cancelled or a limit stopped a multi-request fetch. */
  partial?: boolean;
  /** For bulk look-ups: the IDs Everflow did not find. */
  not_found?: string[];
  /** Requests a window longer than 14 days ran as. */
  chunks?: number;
  fetch_all?: FetchAllMeta;
}

/** The conversions added to a result ("Add Conversions", issue #15): what was asked and what came back. */
export interface ResultConversions {
  /** The conversion report's window (the result's, its end extended by the attribution window, capped at now). */
  from: string;
  to: string;
  timezone_id: number;
  attribution_days: number;
  fetched_at: string;
  /** Pages read and `paging.total_count` as Everflow last gave it. */
  pages: number;
  total_count: number;
  /** True when Cancel stopped the paging: `rows` are the pages that arrived. */
  partial: boolean;
  /** The rows as normalised (src/core/conversions/types.ts); the join is recomputed from them. */
  rows: Conversion[];
  /** The conversion report's requests and responses, for "Open as JSON". */
  exchanges?: ApiExchange[];
}

export interface ResultSet {
  /** Shown as the editor or panel title, e.g. "Yesterday US · 14:02". */
  title: string;
  request: ResultRequestMeta;
  rows: Click[];
  /**
   * The requests sent and the responses received (texts within the budget of src/core/asSent.ts),
   * for "Open as JSON". Undefined for look-ups, whose clicks carry theirs (src/results/exchanges.ts),
   * and for results kept by an older version.
   */
  exchanges?: ApiExchange[];
  /** The run-history entry this result came from, so what Fetch all adds is recorded there too. */
  historyId?: string;
  /** Set once conversions were added to this result. */
  conversions?: ResultConversions;
}
