import * as vscode from 'vscode';
import { parseFilterText } from '../core/filterText';
import { describeLogic } from '../core/logic';
import { resolveQueryWindow } from '../core/savedQuery';
import { UTC_TIMEZONE_ID } from '../core/timezones';
import type { StreamRequest } from '../core/types';
import { validateStreamRequest } from '../core/validation';
import type { Services } from '../services';
import { pickWindow, pickZone } from './streamPickers';
import { executeStream } from './streamRun';

async function askFilters(): Promise<Pick<StreamRequest, 'query'> | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Run Click Stream (3/3): filters (optional)',
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
 * opened where results open (everflow.results.openIn). A `StreamRequest` argument skips the prompts.
 */
export async function runClickStream(services: Services, arg?: unknown): Promise<boolean> {
  let request: StreamRequest;
  if (arg && typeof arg === 'object') {
    request = arg as StreamRequest;
  } else {
    const zone = await pickZone(services, 'Run Click Stream (1/3): timezone');
    if (!zone) return false;
    const chosen = await pickWindow(zone.zone, 'Run Click Stream (2/3): time window');
    if (!chosen) return false;
    // Resolved now: an ad-hoc run covers the window as it is at the moment it was picked.
    const window = resolveQueryWindow({ window: chosen, timezone: zone.zone });
    const query = await askFilters();
    if (!query) return false;
    request = { ...window, timezone_id: zone.id, ...query };
  }
  await executeStream(services, request, { label: 'click stream' });
  return true;
}
