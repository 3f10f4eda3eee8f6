import * as vscode from 'vscode';
import { sameZone, type QueryWindow } from '../core/savedQuery';
import { PRESET_LABELS, WINDOW_PRESETS, resolvePreset } from '../core/timeWindow';
import { UTC_TIMEZONE_ID } from '../core/timezones';
import { validateStreamRequest } from '../core/validation';
import { chunkNotice, planWindow } from '../core/windowNotices';
import type { Services } from '../services';
import { withCancellableProgress } from '../host/progress';

// The pickers shared by "Run Click Stream" and "New Saved Query": a timezone from Everflow's list
// (by IANA name) and a time window (a relative preset or a custom from → to).

export interface ZonePick extends vscode.QuickPickItem {
  id: number;
  zone: string;
}

/** Everflow's zones, the preferred one first, then UTC and the machine's own. */
export async function pickZone(services: Services, title: string, preferred?: string): Promise<ZonePick | undefined> {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = await withCancellableProgress('Loading Everflow timezones…', (signal) => services.timezones.all(signal));
  const items: ZonePick[] = zones.map((z) => ({ label: z.timezone, description: `id ${z.timezone_id}`, id: z.timezone_id, zone: z.timezone }));
  const rank = (p: ZonePick) => (preferred && sameZone(p.zone, preferred) ? 0 : p.id === UTC_TIMEZONE_ID ? 1 : p.zone === local ? 2 : 3);
  items.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
  for (const item of items) {
    if (preferred && sameZone(item.zone, preferred)) item.detail = 'Default (everflow.queries.defaultTimezone)';
    else if (item.zone === local) item.detail = 'Your local timezone';
  }
  return vscode.window.showQuickPick(items, { title, placeHolder: 'Dates are read as wall-clock time in this zone', matchOnDescription: true, ignoreFocusOut: true });
}

const ARROW_RE = /\s*(?:→|->)\s*/;

function splitRange(v: string): { from: string; to: string } {
  const [from = '', to = ''] = v.split(ARROW_RE);
  return { from: from.trim(), to: to.trim() };
}

/**
 * A relative preset (each shown with what it covers now in `zone`) or a custom from → to. Returns the
 * window as chosen: callers that run at once resolve it, saved queries keep the preset.
 */
export async function pickWindow(zone: string, title: string, current?: QueryWindow): Promise<QueryWindow | undefined> {
  type Item = vscode.QuickPickItem & { window?: QueryWindow };
  const items: Item[] = WINDOW_PRESETS.map((p) => {
    const w = resolvePreset(p, zone);
    return { label: PRESET_LABELS[p], description: `${w.from} → ${w.to}`, window: { preset: p }, picked: current && 'preset' in current && current.preset === p };
  });
  items.push({ label: 'Custom range…', description: 'from and to, YYYY-MM-DD HH:MM:SS' });
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: `Times are in ${zone}`, ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.window) return pick.window;
  const start = current && 'from' in current ? current : resolvePreset('lastHour', zone);
  const text = await vscode.window.showInputBox({
    title: `${title}: custom window`,
    prompt: `from → to in ${zone}, each YYYY-MM-DD HH:MM:SS; "to" is inclusive; over 14 days runs as several requests`,
    value: `${start.from} → ${start.to}`,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const range = splitRange(v);
      // A window over 14 days is fine: it runs in ≤ 14-day pieces (streamWindow), and the box says so,
      // with where the first piece ends.
      const problems = validateStreamRequest({ ...range, timezone_id: UTC_TIMEZONE_ID }, { splitLongWindows: true });
      if (!problems.length) {
        const plan = planWindow(range, zone);
        const notice = chunkNotice(plan);
        return notice ? { message: `${notice} The first request ends at ${plan.chunks[0].to}.`, severity: vscode.InputBoxValidationSeverity.Info } : undefined;
      }
      return problems.map((p) => p.message).join(' ');
    },
  });
  return text === undefined ? undefined : splitRange(text);
}
