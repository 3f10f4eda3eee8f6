import * as vscode from 'vscode';
import { parseFilterText } from '../core/filterText';
import { describeLogic } from '../core/logic';
import { PRESET_LABELS, WINDOW_PRESETS, resolvePreset, type WindowPreset } from '../core/timeWindow';
import { UTC_TIMEZONE_ID } from '../core/timezones';
import type { StreamRequest } from '../core/types';
import { validateStreamRequest } from '../core/validation';
import type { Services } from '../services';
import { withCancellableProgress } from './progress';

interface ZonePick extends vscode.QuickPickItem {
  id: number;
  zone: string;
}

async function pickZone(services: Services): Promise<ZonePick | undefined> {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = await withCancellableProgress('Loading Everflow timezones…', (signal) => services.timezones.all(signal));
  const items: ZonePick[] = zones.map((z) => ({ label: z.timezone, description: `id ${z.timezone_id}`, id: z.timezone_id, zone: z.timezone }));
  const rank = (p: ZonePick) => (p.id === UTC_TIMEZONE_ID ? 0 : p.zone === local ? 1 : 2);
  items.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
  for (const item of items) if (item.zone === local) item.detail = 'Your local timezone';
  return vscode.window.showQuickPick(items, { title: 'Run Click Stream (2/4): timezone', placeHolder: 'Dates are read as wall-clock time in this zone', matchOnDescription: true });
}

async function pickWindow(zone: string): Promise<{ from: string; to: string } | undefined> {
  type Item = vscode.QuickPickItem & { preset?: WindowPreset };
  const items: Item[] = WINDOW_PRESETS.map((p) => {
    const w = resolvePreset(p, zone);
    return { label: PRESET_LABELS[p], description: `${w.from} → ${w.to}`, preset: p };
  });
  items.push({ label: 'Custom range…', description: 'from and to, YYYY-MM-DD HH:MM:SS' });
  const pick = await vscode.window.showQuickPick(items, { title: `Run Click Stream (3/4): time window in ${zone}` });
  if (!pick) return undefined;
  if (pick.preset) return resolvePreset(pick.preset, zone);
  const now = resolvePreset('lastHour', zone);
  const text = await vscode.window.showInputBox({
    title: 'Run Click Stream (3/4): custom window',
    prompt: `from → to in ${zone}, each YYYY-MM-DD HH:MM:SS; at most 14 days; "to" is inclusive`,
    value: `${now.from} → ${now.to}`,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const [from = '', to = ''] = v.split(/\s*(?:→|->)\s*/);
      const problems = validateStreamRequest({ from: from.trim(), to: to.trim(), timezone_id: UTC_TIMEZONE_ID });
      return problems.length ? problems.map((p) => p.message).join(' ') : undefined;
    },
  });
  if (text === undefined) return undefined;
  const [from = '', to = ''] = text.split(/\s*(?:→|->)\s*/);
  return { from: from.trim(), to: to.trim() };
}

async function askFilters(): Promise<Pick<StreamRequest, 'query'> | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Run Click Stream (4/4): filters (optional)',
    prompt: 'type=value items separated by ";" — same type is OR, different types AND, "!" excludes. Leave empty for all clicks.',
    placeHolder: 'offer=883; offer=518; country=United States; !sub1=internal',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const parsed = parseFilterText(v);
      const problems = [
        ...parsed.problems,
        ...validateStreamRequest({ from: '2000-01-01 00:00:00', to: '2000-01-01 00:00:01', timezone_id: UTC_TIMEZONE_ID, query: parsed }).map((p) => p.message),
      ];
      if (problems.length) return problems.join(' ');
      return { message: `Logic: ${describeLogic(parsed)}`, severity: vscode.InputBoxValidationSeverity.Info };
    },
  });
  if (text === undefined) return undefined;
  const parsed = parseFilterText(text);
  return { query: { filters: parsed.filters, exclusions: parsed.exclusions } };
}

/**
 * Run Click Stream: timezone → window → filters, then one stream request with progress and Cancel,
 * opened as a JSON document. A `StreamRequest` argument skips the prompts.
 */
export async function runClickStream(services: Services, arg?: unknown): Promise<boolean> {
  let request: StreamRequest;
  if (arg && typeof arg === 'object') {
    request = arg as StreamRequest;
  } else {
    const zone = await pickZone(services);
    if (!zone) return false;
    const window = await pickWindow(zone.zone);
    if (!window) return false;
    const query = await askFilters();
    if (!query) return false;
    request = { ...window, timezone_id: zone.id, ...query };
  }
  const { client, accounts, results, timezones } = services;
  const account = await accounts.active();
  const result = await withCancellableProgress('Running click stream…', (signal) => client.streamClicks(request, { signal }));
  const rows = result.rows.length;
  const seconds = (result.durationMs / 1000).toFixed(1);
  const zoneName = timezones.nameFor(request.timezone_id);
  await results.show({
    title: `clicks ${request.from} to ${request.to}`,
    request: {
      kind: 'stream',
      account: account?.name,
      from: request.from,
      to: request.to,
      timezone_id: request.timezone_id,
      timezone: zoneName,
      filters: request.query?.filters ?? [],
      exclusions: request.query?.exclusions ?? [],
      logic: describeLogic(request.query),
      fetched_at: new Date().toISOString(),
      duration_ms: Math.round(result.durationMs),
      rows,
      truncated: result.truncated,
      cap: result.cap,
    },
    rows: result.rows,
  });
  if (result.truncated) {
    void vscode.window.showWarningMessage(
      `${rows.toLocaleString('en-US')} clicks in ${seconds} s: the response reached Everflow's ${result.cap.toLocaleString('en-US')}-row cap, so more clicks match than were returned. Narrow the window or add filters.`,
    );
  } else {
    void vscode.window.showInformationMessage(`${rows.toLocaleString('en-US')} clicks in ${seconds} s.`);
  }
  return true;
}
