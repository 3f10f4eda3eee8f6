import { fetchClick } from '../clickLookup';
import { compactClick } from '../core/clickDigest';
import { isEverflowError } from '../core/errors';
import type { Click } from '../core/types';
import { isTransactionId } from '../core/validation';
import { isValidZone } from '../core/wallClock';
import * as config from '../config';
import { accountLine, applyAccount, planAccount } from './accountChoice';
import { confirmation, defineTool, guarded, quote, signalOf, toolResult, ToolError } from './toolKit';

// everflow_lookUpClicks: one to 50 clicks by transaction ID, through the cache every look-up shares (so
// an ID seen in a hover costs nothing), confirmed first because each other ID is one request.

export const MAX_LOOKUP_IDS = 50;

export interface LookUpClicksInput {
  transactionIds: string[];
  account?: string;
}

/** The distinct IDs of the input, lower-cased, or a ToolError naming the ones that are not IDs. */
export function idsOf(input: LookUpClicksInput): string[] {
  const raw: unknown = input?.transactionIds;
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list) || list.length === 0) throw new ToolError('Give transactionIds: a list of 1 to 50 Everflow transaction IDs (32 hexadecimal characters each).');
  const ids = [...new Set(list.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : String(v))))];
  const bad = ids.filter((id) => !isTransactionId(id));
  if (bad.length) {
    throw new ToolError(`Not a transaction ID (an Everflow transaction ID is 32 hexadecimal characters): ${bad.slice(0, 5).map((b) => quote(b)).join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}. Nothing was sent.`);
  }
  if (ids.length > MAX_LOOKUP_IDS) throw new ToolError(`${ids.length} IDs: look up at most ${MAX_LOOKUP_IDS} at a time. Nothing was sent.`);
  return ids;
}

/** The zone times are shown in: the hover setting's, else UTC. */
function displayZone(): string {
  const z = config.hoverTimezone();
  return z && isValidZone(z) ? z : 'UTC';
}

export const lookUpClicksTool = defineTool<LookUpClicksInput>({
  name: 'everflow_lookUpClicks',
  create: (services) => ({
    prepareInvocation: (options, token) =>
      guarded(services, token, async () => {
        const ids = idsOf(options.input);
        const plan = await planAccount(services, options.input.account);
        return confirmation(services, 'Look up Everflow clicks?', [
          `Look up ${ids.length} click${ids.length === 1 ? '' : 's'} by transaction ID with the user's API key.`,
          await accountLine(services, plan),
          `IDs: ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ` and ${ids.length - 10} more` : ''}.`,
          `At most ${ids.length} request${ids.length === 1 ? '' : 's'} to Everflow (IDs looked up recently are answered from the cache), from the account's shared budget of 5 requests a second.`,
        ]);
      }),
    invoke: (options, token) =>
      guarded(services, token, async () => {
        const ids = idsOf(options.input);
        const plan = await planAccount(services, options.input.account);
        await applyAccount(services, plan);
        const cancel = signalOf(token);
        const found: Click[] = [];
        const notFound: string[] = [];
        try {
          // In order, one at a time: the limiter paces them anyway, and Cancel stops at the next one.
          for (const id of ids) {
            try {
              found.push(await fetchClick(services, id, { signal: cancel.signal }));
            } catch (e) {
              if (isEverflowError(e) && e.reason === 'notFound') notFound.push(id);
              else throw e;
            }
          }
        } finally {
          cancel.dispose();
        }
        const zone = displayZone();
        const words = [
          `Looked up ${ids.length} transaction ID(s) on the account ${quote(plan.account.name)}: ${found.length} found, ${notFound.length} not found.`,
          notFound.length ? `Not found (unknown, or older than Everflow's 3-month raw-click retention; clicks that converted are kept): ${notFound.join(', ')}.` : '',
          found.length ? `Times are wall-clock in ${zone}. Long values are cut and say so; the full clicks open with "Everflow: Look Up Click by Transaction ID".` : '',
        ].filter(Boolean);
        return toolResult(services, words.join('\n'), found.length ? { what: 'The clicks', value: found.map((c) => compactClick(c, zone)) } : undefined);
      }),
  }),
});
