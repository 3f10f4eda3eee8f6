import type { Click } from '../core/types';
import type { ResultDocuments } from './resultDocuments';

/** What produced a result, recorded beside its rows in every view and export. Never the key. */
export interface ResultRequestMeta {
  kind: 'stream' | 'click' | 'bulk';
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
}

export interface ResultSet {
  /** Shown as the editor or panel title, e.g. "Yesterday US · 14:02". */
  title: string;
  request: ResultRequestMeta;
  rows: Click[];
}

/**
 * Where results open. Every command that produces clicks calls this, so the choice between the grid
 * and a JSON document (the `everflow.results.openIn` setting, added with the grid) lives in one place.
 */
export class ResultPresenter {
  constructor(private readonly documents: ResultDocuments) {}

  async show(result: ResultSet): Promise<void> {
    await this.showJson(result);
  }

  /** The results grid; until the grid panel lands (issue #4) this opens the JSON document. */
  async showGrid(result: ResultSet): Promise<void> {
    await this.showJson(result);
  }

  async showJson(result: ResultSet): Promise<void> {
    const body = result.request.kind === 'click' && result.rows.length === 1 ? { request: result.request, click: result.rows[0] } : { request: result.request, clicks: result.rows };
    await this.documents.open(result.title, body);
  }
}
