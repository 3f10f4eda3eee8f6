// Everflow's timezone ids and wall-clock ↔ UTC conversion.
//
// On purpose, this is the sandbox's own implementation, written apart from the extension's
// src/core/wallClock.ts: the sandbox is the oracle the client is tested against, so a daylight-saving
// mistake in one shows up as a disagreement with the other instead of being shared by both.
//
// Stream windows are written as wall-clock time in the zone named by `timezone_id`, so the sandbox
// has to convert them the way a real server would, daylight saving included. Node ships full ICU,
// so Intl gives correct offsets for any IANA zone without a timezone library.

export interface SandboxTimezone {
  timezone_id: number;
  timezone: string;
  /** Display label without the offset; the offset prefix is added for the current date. */
  label: string;
}

// The ids Everflow documents (1, 16, 67, 80, 85, 87, 99, and 90 inferred from the seed's examples)
// plus common zones on ids chosen so they do not clash. Half- and quarter-hour zones (Kolkata,
// Kathmandu, Adelaide, St John's) are here on purpose: clients that assume whole hours break on them.
export const TIMEZONES: readonly SandboxTimezone[] = [
  { timezone_id: 1, timezone: 'Pacific/Kiritimati', label: 'Line Islands' },
  { timezone_id: 4, timezone: 'Pacific/Auckland', label: 'Auckland, Wellington' },
  { timezone_id: 9, timezone: 'Australia/Sydney', label: 'Canberra, Melbourne, Sydney' },
  { timezone_id: 11, timezone: 'Australia/Brisbane', label: 'Brisbane' },
  { timezone_id: 13, timezone: 'Australia/Adelaide', label: 'Adelaide' },
  { timezone_id: 16, timezone: 'Asia/Tokyo', label: 'Osaka, Sapporo, Tokyo' },
  { timezone_id: 18, timezone: 'Asia/Seoul', label: 'Seoul' },
  { timezone_id: 20, timezone: 'Asia/Shanghai', label: 'Beijing, Chongqing, Hong Kong' },
  { timezone_id: 22, timezone: 'Asia/Singapore', label: 'Kuala Lumpur, Singapore' },
  { timezone_id: 25, timezone: 'Asia/Bangkok', label: 'Bangkok, Hanoi, Jakarta' },
  { timezone_id: 28, timezone: 'Asia/Kathmandu', label: 'Kathmandu' },
  { timezone_id: 30, timezone: 'Asia/Kolkata', label: 'Chennai, Kolkata, Mumbai, New Delhi' },
  { timezone_id: 33, timezone: 'Asia/Dubai', label: 'Abu Dhabi, Muscat' },
  { timezone_id: 38, timezone: 'Europe/Moscow', label: 'Moscow, St. Petersburg' },
  { timezone_id: 40, timezone: 'Europe/Istanbul', label: 'Istanbul' },
  { timezone_id: 44, timezone: 'Africa/Johannesburg', label: 'Harare, Pretoria' },
  { timezone_id: 47, timezone: 'Europe/Athens', label: 'Athens, Bucharest' },
  { timezone_id: 50, timezone: 'Europe/Berlin', label: 'Amsterdam, Berlin, Rome, Vienna' },
  { timezone_id: 52, timezone: 'Europe/Paris', label: 'Brussels, Copenhagen, Madrid, Paris' },
  { timezone_id: 60, timezone: 'Europe/London', label: 'Dublin, Edinburgh, Lisbon, London' },
  { timezone_id: 64, timezone: 'Atlantic/Reykjavik', label: 'Monrovia, Reykjavik' },
  { timezone_id: 67, timezone: 'UTC', label: 'Coordinated Universal Time' },
  { timezone_id: 70, timezone: 'Atlantic/Azores', label: 'Azores' },
  { timezone_id: 72, timezone: 'America/Sao_Paulo', label: 'Brasilia' },
  { timezone_id: 74, timezone: 'America/Argentina/Buenos_Aires', label: 'Buenos Aires' },
  { timezone_id: 76, timezone: 'America/St_Johns', label: 'Newfoundland' },
  { timezone_id: 78, timezone: 'America/Halifax', label: 'Atlantic Time (Canada)' },
  { timezone_id: 80, timezone: 'America/New_York', label: 'Eastern Time (US & Canada)' },
  { timezone_id: 85, timezone: 'America/Chicago', label: 'Central Time (US & Canada)' },
  { timezone_id: 86, timezone: 'America/Mexico_City', label: 'Guadalajara, Mexico City, Monterrey' },
  { timezone_id: 87, timezone: 'America/Denver', label: 'Mountain Time (US & Canada)' },
  { timezone_id: 88, timezone: 'America/Phoenix', label: 'Arizona' },
  { timezone_id: 90, timezone: 'America/Los_Angeles', label: 'Pacific Time (US & Canada)' },
  { timezone_id: 92, timezone: 'America/Anchorage', label: 'Alaska' },
  { timezone_id: 95, timezone: 'Pacific/Honolulu', label: 'Hawaii' },
  { timezone_id: 99, timezone: 'Pacific/Pago_Pago', label: 'Midway Island, Samoa' },
];

const byId = new Map(TIMEZONES.map((t) => [t.timezone_id, t]));

export function timezoneById(id: number): SandboxTimezone | undefined {
  return byId.get(id);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC in milliseconds at the instant `utcMs` (positive east of Greenwich). */
export function offsetAt(zone: string, utcMs: number): number {
  const parts = formatterFor(zone).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  // Intl drops sub-second precision, so compare against the instant truncated to whole seconds.
  return local - Math.floor(utcMs / 1000) * 1000;
}

/**
 * Converts a wall-clock time in `zone` (given as if it were UTC milliseconds) to a real instant.
 * Ambiguous times (the repeated hour when clocks go back) resolve to the earlier instant; times that
 * do not exist (the skipped hour when clocks go forward) move forward by the gap. This matches the
 * "compatible" rule most servers and the Temporal proposal use.
 */
export function wallClockToUtc(zone: string, wallMs: number): number {
  const DAY = 86_400_000;
  const before = offsetAt(zone, wallMs - DAY);
  const after = offsetAt(zone, wallMs + DAY);
  const valid: number[] = [];
  for (const o of before === after ? [before] : [before, after]) {
    const t = wallMs - o;
    if (offsetAt(zone, t) === o) valid.push(t);
  }
  if (valid.length > 0) return Math.min(...valid);
  return wallMs - before;
}

/** `+05:30` style offset text for an offset in milliseconds. */
export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
}

/** The `/v1/meta/timezones` list, with offsets (and so display names) as they are at `now`. */
export function timezoneList(now: number): Array<{ timezone_id: number; timezone_name: string; timezone: string; utc_offset: string }> {
  return TIMEZONES.map((t) => {
    const utc_offset = formatOffset(offsetAt(t.timezone, now));
    const timezone_name = t.timezone === 'UTC' ? `(UTC) ${t.label}` : `(UTC${utc_offset}) ${t.label}`;
    return { timezone_id: t.timezone_id, timezone_name, timezone: t.timezone, utc_offset };
  });
}
