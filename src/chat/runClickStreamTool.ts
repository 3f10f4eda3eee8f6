import type * as vscode from 'vscode';
import { isWindowPreset, resolveQueryWindow } from '../core/savedQuery';
import type { QueryFilter, StreamRequest } from '../core/types';
import { normalizeRequest, validateStreamRequest } from '../core/validation';
import { isValidZone } from '../core/wallClock';
import type { Services } from '../services';
import { planAccount } from './accountChoice';
import { DEFAULT_ROW_BUDGET, MAX_ROW_BUDGET, runStreamJob, streamConfirmationLines, streamReport, type StreamJob } from './streamJob';
import { confirmation, defineTool, guarded, signalOf, ToolError } from './toolKit';

// everflow_runClickStream: an ad-hoc window with filters, as "Everflow: Run Click Stream…" runs it,
// confirmed first because it spends the account's shared rate budget.

export interface FilterInput {
  type: string;
  value: string;
}

export interface ClickStreamInput {
  preset?: string;
  from?: string;
  to?: string;
  timezone?: string;
  filters?: FilterInput[];
  exclusions?: FilterInput[];
  fetchAll?: boolean;
  rowBudget?: number;
  openInGrid?: boolean;
  account?: string;
}

function filterList(list: FilterInput[] | undefined, field: string): QueryFilter[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new ToolError(`"${field}" must be a list of { "type", "value" } items.`);
  return list.map((f, i) => {
    if (typeof f !== 'object' || f === null || typeof f.type !== 'string') throw new ToolError(`${field}[${i}] needs a "type" (such as "offer" or "sub1") and a "value".`);
    return { resource_type: f.type, filter_id_value: String(f.value ?? '') };
  });
}

/** The row budget of an input: the default, or the given whole number within 1 … MAX_ROW_BUDGET. */
export function rowBudgetOf(value: unknown): number {
  if (value === undefined) return DEFAULT_ROW_BUDGET;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_ROW_BUDGET) {
    throw new ToolError(`rowBudget must be a whole number from 1 to ${MAX_ROW_BUDGET.toLocaleString('en-US')}.`);
  }
  return value;
}

/** The job an input describes, or a ToolError naming every problem with it. Resolves the zone's id (one request, cached). */
async function jobOf(services: Services, input: ClickStreamInput, signal?: AbortSignal): Promise<StreamJob> {
  const zone = (input.timezone ?? 'UTC').trim();
  if (!isValidZone(zone)) throw new ToolError(`"${zone}" is not an IANA timezone name; use a name such as "UTC", "Europe/London" or "America/New_York".`);
  const hasRange = input.from !== undefined || input.to !== undefined;
  if (input.preset !== undefined && hasRange) throw new ToolError('Give either a preset window or from and to, not both.');
  let window;
  if (input.preset !== undefined) {
    if (!isWindowPreset(input.preset)) throw new ToolError(`"${input.preset}" is not a window preset; use one of last15Minutes, lastHour, last24Hours, today, yesterday, last7Days, last14Days, thisWeek, lastWeek.`);
    window = resolveQueryWindow({ window: { preset: input.preset }, timezone: zone });
  } else if (hasRange) {
    if (typeof input.from !== 'string' || typeof input.to !== 'string') throw new ToolError("Give both from and to, as 'YYYY-MM-DD HH:MM:SS'.");
    window = { from: input.from.trim(), to: input.to.trim() };
  } else {
    throw new ToolError("Give a window: a preset (such as 'yesterday' or 'last24Hours'), or from and to as 'YYYY-MM-DD HH:MM:SS'.");
  }
  const account = await planAccount(services, input.account);
  const draft: StreamRequest = { ...window, timezone_id: 67, query: { filters: filterList(input.filters, 'filters'), exclusions: filterList(input.exclusions, 'exclusions') } };
  // Checked before the zone's id is looked up, so bad input sends nothing.
  const problems = validateStreamRequest(draft);
  if (problems.length) throw new ToolError(`The click stream was not sent: ${problems.map((p) => p.message).join(' ')}`);
  const id = await services.timezones.idFor(zone, signal);
  if (id === undefined) throw new ToolError(`Everflow does not list the timezone "${zone}"; use another IANA zone name.`);
  return {
    label: 'Click stream',
    request: normalizeRequest({ ...draft, timezone_id: id }),
    zone,
    fetchAll: input.fetchAll === true,
    rowBudget: rowBudgetOf(input.rowBudget),
    openInGrid: input.openInGrid !== false,
    account,
  };
}

export const runClickStreamTool = defineTool<ClickStreamInput>({
  name: 'everflow_runClickStream',
  create: (services) => ({
    async prepareInvocation(options, token) {
      return guarded(services, token, async () => {
        const cancel = signalOf(token);
        try {
          const job = await jobOf(services, options.input, cancel.signal);
          return confirmation(services, 'Run an Everflow click stream?', await streamConfirmationLines(services, job));
        } finally {
          cancel.dispose();
        }
      });
    },
    async invoke(options, token: vscode.CancellationToken) {
      return guarded(services, token, async () => {
        const cancel = signalOf(token);
        let job;
        try {
          job = await jobOf(services, options.input, cancel.signal);
        } finally {
          cancel.dispose();
        }
        return streamReport(services, job, await runStreamJob(services, job, token));
      });
    },
  }),
});
