import { CONVERSION_ROW_COLUMNS, type ColumnDef } from '../core/columns';
import type { Conversion } from '../core/conversions/types';
import type { Click } from '../core/types';
import type { ResultConversions, ResultSet } from './resultSet';

// A conversions result: the conversions whose click is not in a result ("N without their click in this
// result"), opened as a results grid of their own. It is an ordinary ResultSet (kept, restored, exported
// like any other) whose request kind is 'conversions', whose clicks are none and whose conversions hold
// the rows the grid shows. The grid's table machinery reads rows through column getters, so the
// conversions travel in the rows' place and CONVERSION_ROW_COLUMNS read them as conversions.

export function isConversionsResult(result: ResultSet): boolean {
  return result.request.kind === 'conversions';
}

/** The rows the result's grid shows: its clicks, or a conversions result's conversions. */
export function gridRows(result: ResultSet): Click[] {
  return isConversionsResult(result) ? ((result.conversions?.rows ?? []) as unknown as Click[]) : result.rows;
}

/** The rows picked from `gridRows` as the conversions they are (a conversions result only). */
export function asConversions(rows: readonly Click[]): Conversion[] {
  return rows as unknown as Conversion[];
}

/** The columns of a conversions result's grid and exports. */
export function conversionsResultColumns(): ColumnDef[] {
  return [...CONVERSION_ROW_COLUMNS];
}

/** The result of the conversions of `parent`'s report whose click is not in `parent`. */
export function unmatchedConversionsResult(parent: ResultSet, unmatched: readonly Conversion[]): ResultSet | undefined {
  const conv: ResultConversions | undefined = parent.conversions;
  if (!conv) return undefined;
  return {
    title: `${parent.title} · conversions without their click`,
    request: {
      kind: 'conversions',
      ...(parent.request.account ? { account: parent.request.account } : {}),
      from: conv.from,
      to: conv.to,
      timezone_id: conv.timezone_id,
      ...(parent.request.timezone ? { timezone: parent.request.timezone } : {}),
      fetched_at: conv.fetched_at,
      rows: unmatched.length,
      ...(conv.partial ? { partial: true } : {}),
    },
    rows: [],
    conversions: { ...conv, rows: [...unmatched] },
  };
}
