// The one day of traffic every section works on: a fixed clock, so the sandbox generates the same
// clicks on every run and results stay comparable between runs and machines.

import type { StreamRequest } from '../../src/core/types';
import { UTC_TIMEZONE_ID } from '../../src/core/timezones';

export const NOW = new Date('2026-03-15T12:00:00Z');
export const DAY = '2026-03-14';

/** The whole of DAY in UTC, as a stream request. */
export function dayRequest(): StreamRequest {
  return { from: `${DAY} 00:00:00`, to: `${DAY} 23:59:59`, timezone_id: UTC_TIMEZONE_ID };
}
