import type { Timezone } from './types';

// Everflow's documented timezone ids, for display before the first `/v1/meta/timezones` answer.
// Ids are always resolved by IANA name, never by display name, which changes with daylight saving.
// 90 is inferred (the seed's examples), not documented.
export const FALLBACK_TIMEZONES: readonly Pick<Timezone, 'timezone_id' | 'timezone'>[] = [
  { timezone_id: 1, timezone: 'Pacific/Kiritimati' },
  { timezone_id: 16, timezone: 'Asia/Tokyo' },
  { timezone_id: 67, timezone: 'UTC' },
  { timezone_id: 80, timezone: 'America/New_York' },
  { timezone_id: 85, timezone: 'America/Chicago' },
  { timezone_id: 87, timezone: 'America/Denver' },
  { timezone_id: 90, timezone: 'America/Los_Angeles' },
  { timezone_id: 99, timezone: 'Pacific/Pago_Pago' },
];

export const UTC_TIMEZONE_ID = 67;

/** The id Everflow uses for the IANA zone `name`, or undefined. `Etc/UTC` and `GMT` count as UTC. */
export function timezoneIdFor(name: string, zones: readonly Pick<Timezone, 'timezone_id' | 'timezone'>[]): number | undefined {
  const wanted = canonicalZone(name);
  return zones.find((z) => canonicalZone(z.timezone) === wanted)?.timezone_id;
}

/** The IANA zone for an Everflow id, or undefined. */
export function zoneNameFor(id: number, zones: readonly Pick<Timezone, 'timezone_id' | 'timezone'>[]): string | undefined {
  return zones.find((z) => z.timezone_id === id)?.timezone;
}

function canonicalZone(name: string): string {
  const n = name.trim();
  return /^(Etc\/)?(UTC|UCT|GMT|Zulu|Universal)$/i.test(n) ? 'UTC' : n;
}
