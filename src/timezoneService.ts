import type { EverflowClient } from './core/client';
import { FALLBACK_TIMEZONES, timezoneIdFor, zoneNameFor } from './core/timezones';
import type { Timezone } from './core/types';

/**
 * Everflow's timezone list, fetched once per API host and kept for the session. Until it arrives (or
 * when it cannot be fetched) the documented ids stand in, so a window can still be shown.
 */
export class TimezoneService {
  private cache: { host: string; zones: Timezone[] } | undefined;
  private pending: Promise<Timezone[]> | undefined;

  constructor(
    private readonly client: EverflowClient,
    private readonly host: () => string,
  ) {}

  async all(signal?: AbortSignal): Promise<readonly Pick<Timezone, 'timezone_id' | 'timezone'>[]> {
    const host = this.host();
    if (this.cache?.host === host) return this.cache.zones;
    const pending = (this.pending ??= this.client.listTimezones({ signal }).finally(() => (this.pending = undefined)));
    const zones = await pending;
    this.cache = { host, zones };
    return zones;
  }

  /** Known zones without a request: the fetched list if any, else the documented fallback. */
  known(): readonly Pick<Timezone, 'timezone_id' | 'timezone'>[] {
    return this.cache?.host === this.host() ? this.cache.zones : FALLBACK_TIMEZONES;
  }

  async idFor(zone: string, signal?: AbortSignal): Promise<number | undefined> {
    return timezoneIdFor(zone, await this.all(signal));
  }

  nameFor(id: number): string | undefined {
    return zoneNameFor(id, this.known());
  }

  /** The IANA zone of a request's timezone id: the caller's `known` one, else the list (fetched once), else nothing. */
  async zoneOf(timezoneId: number, known?: string, signal?: AbortSignal): Promise<string | undefined> {
    if (known) return known;
    const cached = this.nameFor(timezoneId);
    if (cached) return cached;
    const zones = await this.all(signal).catch(() => []);
    return zones.find((z) => z.timezone_id === timezoneId)?.timezone;
  }
}
