import { showInfo, showWarning } from '../notifications';
import type { StreamRequest, StreamResult } from '../core/types';
import { chunkNotice, planWindow, retentionWarning } from '../core/windowNotices';
import type { Services } from '../services';

// Every click stream runs through here (streamRun.ts calls it), so two things hold wherever a stream
// starts: a window longer than Everflow's 14 days runs as consecutive ≤ 14-day requests, with a
// notice, instead of being refused; and a window reaching back past the 3-month raw-data retention
// gets a warning that only converted clicks are left there.

export interface WindowedStreamResult extends StreamResult {
  /** Requests the window ran as (1 unless it was longer than 14 days). */
  chunks: number;
}

export async function streamWindow(services: Pick<Services, 'client' | 'logger'>, request: StreamRequest, zone: string | undefined, signal: AbortSignal): Promise<WindowedStreamResult> {
  const { client } = services;
  if (!zone) return { ...(await client.streamClicks(request, { signal })), chunks: 1 };
  let plan;
  try {
    plan = planWindow(request, zone);
  } catch {
    // An unreadable window: the client's validation explains what is wrong with it.
    return { ...(await client.streamClicks(request, { signal })), chunks: 1 };
  }
  const warning = retentionWarning(request, zone);
  if (warning) void showWarning(warning);
  const notice = chunkNotice(plan);
  if (!notice) return { ...(await client.streamClicks(request, { signal })), chunks: 1 };
  void showInfo(notice);
  services.logger.info(`Stream: ${notice}`);
  const started = performance.now();
  const seen = new Set<string>();
  const merged: WindowedStreamResult = { rows: [], truncated: false, cap: 0, durationMs: 0, chunks: plan.chunks.length, exchanges: [] };
  for (const chunk of plan.chunks) {
    const res = await client.streamClicks({ ...request, from: chunk.from, to: chunk.to }, { signal });
    for (const row of res.rows) {
      if (seen.has(row.transaction_id)) continue;
      seen.add(row.transaction_id);
      merged.rows.push(row);
    }
    merged.exchanges!.push(...(res.exchanges ?? []));
    merged.truncated ||= res.truncated;
    merged.cap = res.cap;
  }
  merged.durationMs = Math.round(performance.now() - started);
  return merged;
}
