// Time windows in a named IANA zone. Everflow reads `from`/`to` as wall-clock time in the zone of
// `timezone_id`, so windows are computed as wall-clock strings in that zone, with the zone's own
// daylight-saving rules (wallClock.ts) rather than a fixed offset.

import { formatEverflowDate as formatWall, fromWallSeconds, instantOf, MAX_WINDOW_SECONDS, wallSeconds, wallTimeAt, type WallTime } from './wallClock';

export const WINDOW_PRESETS = [
  'last15Minutes',
  'lastHour',
  'last24Hours',
  'today',
  'yesterday',
  'last7Days',
  'last14Days',
  'thisWeek',
  'lastWeek',
] as const;

export type WindowPreset = (typeof WINDOW_PRESETS)[number];

export const PRESET_LABELS: Record<WindowPreset, string> = {
  last15Minutes: 'Last 15 minutes',
  lastHour: 'Last hour',
  last24Hours: 'Last 24 hours',
  today: 'Today',
  yesterday: 'Yesterday',
  last7Days: 'Last 7 days',
  last14Days: 'Last 14 days',
  thisWeek: 'This week (from Monday)',
  lastWeek: 'Last week (Monday to Sunday)',
};

/** Calendar arithmetic on a wall date (time of day kept). */
function addDays(w: WallTime, days: number): WallTime {
  const t = new Date(Date.UTC(w.y, w.mo - 1, w.d + days));
  return { ...w, y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function startOfDay(w: WallTime): WallTime {
  return { ...w, h: 0, mi: 0, s: 0 };
}

function endOfDay(w: WallTime): WallTime {
  return { ...w, h: 23, mi: 59, s: 59 };
}

/** 0 = Monday … 6 = Sunday. */
function weekday(w: WallTime): number {
  return (new Date(Date.UTC(w.y, w.mo - 1, w.d)).getUTCDay() + 6) % 7;
}

export interface ResolvedWindow {
  from: string;
  to: string;
}

/**
 * Resolves a relative preset at `nowMs` in `zone`. Durations ("last 24 hours") are measured in real
 * time; calendar presets ("yesterday") follow the zone's calendar, so a 23- or 25-hour day is whole.
 */
export function resolvePreset(preset: WindowPreset, zone: string, nowMs: number = Date.now()): ResolvedWindow {
  const now = wallTimeAt(nowMs, zone);
  const back = (ms: number) => formatWall(wallTimeAt(nowMs - ms, zone));
  switch (preset) {
    case 'last15Minutes':
      return { from: back(15 * 60_000), to: formatWall(now) };
    case 'lastHour':
      return { from: back(3_600_000), to: formatWall(now) };
    case 'last24Hours':
      return { from: back(86_400_000), to: formatWall(now) };
    case 'last7Days':
      return { from: back(7 * 86_400_000), to: formatWall(now) };
    case 'last14Days':
      return { from: fourteenDaysBack(now, nowMs, zone), to: formatWall(now) };
    case 'today':
      return { from: formatWall(startOfDay(now)), to: formatWall(endOfDay(now)) };
    case 'yesterday': {
      const y = addDays(now, -1);
      return { from: formatWall(startOfDay(y)), to: formatWall(endOfDay(y)) };
    }
    case 'thisWeek':
      return { from: formatWall(startOfDay(addDays(now, -weekday(now)))), to: formatWall(endOfDay(now)) };
    case 'lastWeek': {
      const monday = addDays(now, -weekday(now) - 7);
      return { from: formatWall(startOfDay(monday)), to: formatWall(endOfDay(addDays(monday, 6))) };
    }
  }
}

/**
 * The earliest `from` that keeps the window within Everflow's limit whether the server measures it
 * in wall-clock time or in real time (they differ by an hour across a daylight-saving change).
 */
function fourteenDaysBack(now: WallTime, nowMs: number, zone: string): string {
  const byWall = addDays(now, -14);
  byWall.s += 1;
  const wallStart = instantOf(fromWallSeconds(wallSeconds(byWall)), zone);
  const realStart = nowMs - MAX_WINDOW_SECONDS * 1000;
  return formatWall(wallTimeAt(Math.max(wallStart, realStart), zone));
}
