// The windows issue #17 sets Fetch all's goals on, around the bench's fixed DAY (sandboxDay.ts):
// one busy day; a busy day then a quiet one; 14 days of the sandbox's daily curve.

import type { StreamRequest } from '../../src/core/types';
import { UTC_TIMEZONE_ID } from '../../src/core/timezones';
import { DAY } from './sandboxDay';

export interface FetchScenario {
  name: string;
  req: StreamRequest;
  knobs: { clicksPerDay?: number; dayVolumes?: Record<string, number> };
}

const dayBefore = (iso: string, n: number): string => new Date(Date.parse(`${iso}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

export const FETCH_SCENARIOS: FetchScenario[] = [
  { name: 'busy day', req: { from: `${DAY} 00:00:00`, to: `${DAY} 23:59:59`, timezone_id: UTC_TIMEZONE_ID }, knobs: { dayVolumes: { [DAY]: 100_000 } } },
  {
    name: 'busy + quiet day',
    req: { from: `${dayBefore(DAY, 1)} 00:00:00`, to: `${DAY} 23:59:59`, timezone_id: UTC_TIMEZONE_ID },
    knobs: { dayVolumes: { [dayBefore(DAY, 1)]: 100_000, [DAY]: 12_000 } },
  },
  { name: '14 days', req: { from: `${dayBefore(DAY, 13)} 00:00:00`, to: `${DAY} 23:59:59`, timezone_id: UTC_TIMEZONE_ID }, knobs: { clicksPerDay: 20_000 } },
];
