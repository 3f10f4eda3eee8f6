import * as vscode from 'vscode';
import { showWarning } from '../notifications';
import { NOT_FOUND_EXPLANATION, configuredDetector, fetchClick } from '../clickLookup';
import { CommandIds } from '../host/commandIds';
import { currentRateLimitWait, rateLimitHoverText } from '../host/progress';
import * as config from '../config';
import { describeError, isEverflowError } from '../core/errors';
import type { IdKind } from '../core/idDetection';
import type { Click } from '../core/types';
import { isTransactionId } from '../core/validation';
import type { Services } from '../services';
import { hoverConversionLine } from '../conversions/hoverLine';
import { clickCardMarkdown, isValidTimeZone, statusCardMarkdown, type CardLink } from './clickCard';

// The hover over a transaction id in a log. It must answer fast and never cost more than one
// request per id: cached answers come at once; an uncached id is fetched through the shared cache
// within a short time budget, and if the answer is late the card says so while the request runs
// on, so the next hover over the same id is complete. With no key nothing is sent at all.

/**
 * The only commands a hover card may run. VS Code enforces this list for `command:` links in the
 * markdown (a trusted-commands allow-list), so even a link smuggled past the escaping could not
 * run anything else.
 */
export const HOVER_COMMANDS: readonly string[] = [
  CommandIds.openClickAsJson,
  CommandIds.openClickInGrid,
  CommandIds.copyTransactionId,
  CommandIds.copyClickJson,
  CommandIds.lookUpClick,
  CommandIds.setApiKey,
  CommandIds.traceClick,
];

const LOADING = 'Looking up… hover again in a moment.';
const NO_KEY = 'Connect an Everflow account to see this click. Nothing is sent until you do.';

function links(id: string): Record<'json' | 'grid' | 'copyId' | 'copyRow' | 'lookUp' | 'setKey' | 'trace', CardLink> {
  return {
    trace: { label: 'Trace', command: CommandIds.traceClick, args: [id], tooltip: 'Trace the click: its conversions and events in time order, and whether it converted' },
    json: { label: 'Open as JSON', command: CommandIds.openClickAsJson, args: [id], tooltip: 'Open the whole click as a JSON document' },
    grid: { label: 'Open in Grid', command: CommandIds.openClickInGrid, args: [id], tooltip: 'Open the click in the results grid' },
    copyId: { label: 'Copy ID', command: CommandIds.copyTransactionId, args: [id], tooltip: 'Copy the transaction ID' },
    copyRow: { label: 'Copy Row as JSON', command: CommandIds.copyClickJson, args: [id], tooltip: 'Copy the click row as JSON' },
    lookUp: { label: 'Look up now', command: CommandIds.lookUpClick, args: [id], tooltip: 'Wait for the look-up and open the click' },
    setKey: { label: 'Set API Key', command: CommandIds.setApiKey, tooltip: 'Connect an Everflow account' },
  };
}

type Settled = { kind: 'value'; value: Click } | { kind: 'error'; error: unknown } | { kind: 'late' } | { kind: 'cancelled' };

/**
 * How `promise` ends within `budgetMs`, or that it did not, or that the hover went away first.
 * Handlers are attached at once, so a late rejection is never unhandled.
 */
function settleWithin(promise: Promise<Click>, budgetMs: number, token: vscode.CancellationToken): Promise<Settled> {
  return new Promise<Settled>((resolve) => {
    const timer = setTimeout(() => finish({ kind: 'late' }), budgetMs);
    const cancel = token.onCancellationRequested(() => finish({ kind: 'cancelled' }));
    function finish(outcome: Settled): void {
      clearTimeout(timer);
      cancel.dispose();
      resolve(outcome);
    }
    promise.then(
      (value) => finish({ kind: 'value', value }),
      (error: unknown) => finish({ kind: 'error', error }),
    );
  });
}

export class ClickHoverProvider implements vscode.HoverProvider {
  private warnedZone: string | undefined;

  constructor(private readonly services: Services) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!config.hoverEnabled() || position.line >= document.lineCount) return undefined;
    // The document's lines, so a CSV header on line 0 or a `"name"` just above counts (idAtInDocument
    // reads a bounded number of them, whatever the document's size).
    const lines = { lineCount: document.lineCount, lineAt: (n: number) => document.lineAt(n).text };
    const found = configuredDetector().idAtInDocument(lines, position.line, position.character);
    // idAt also takes the caret just after an id; a pointer there is over the next character.
    if (!found || position.character >= found.end || !isTransactionId(found.id)) return undefined;
    const markdown = await this.cardFor(found.id, token, found.kind);
    if (markdown === undefined || token.isCancellationRequested) return undefined;
    return new vscode.Hover(trustedMarkdown(markdown), new vscode.Range(position.line, found.start, position.line, found.end));
  }

  /**
   * The card's markdown for `id`; undefined when the hover went away meanwhile. A 'candidate' (a
   * 32-hex value nothing names a click id) is looked up the same way but gets a card only when
   * Everflow knows the click, or to say the key is missing or wrong: no "not found" or "looking up"
   * card over a checksum.
   */
  async cardFor(id: string, token: vscode.CancellationToken, kind: IdKind = 'click'): Promise<string | undefined> {
    // The conversion line gets what the click's look-up leaves of the budget.
    const deadline = performance.now() + config.hoverTimeBudgetMs();
    const link = links(id);
    const candidate = kind === 'candidate';
    const cached = this.services.clickCache.get(id);
    if (cached.state === 'hit') return this.foundCard(cached.value, deadline, token);
    if (cached.state === 'notFound') return candidate ? undefined : statusCardMarkdown(id, `No click: ${NOT_FOUND_EXPLANATION}.`, [link.copyId]);
    if (!(await this.services.accounts.activeKey())) return statusCardMarkdown(id, NO_KEY, [link.setKey]);
    if (token.isCancellationRequested) return undefined;
    // No signal: the request outlives this hover, so the next one over the same id is complete.
    // LookupCache shares it with every other caller asking for this id meanwhile.
    const request = fetchClick(this.services, id);
    // The account's rate-limit bucket is empty for longer than a hover can wait: say so at once.
    // The look-up stays queued, so a hover after the wait has the click.
    const wait = currentRateLimitWait();
    if (wait && wait.remainingMs > config.hoverTimeBudgetMs()) {
      request.catch(() => undefined);
      return candidate ? undefined : statusCardMarkdown(id, rateLimitHoverText(wait.remainingMs), [link.lookUp]);
    }
    const outcome = await settleWithin(request, config.hoverTimeBudgetMs(), token);
    switch (outcome.kind) {
      case 'cancelled':
        return undefined;
      case 'late': {
        const late = currentRateLimitWait();
        return candidate ? undefined : statusCardMarkdown(id, late ? rateLimitHoverText(late.remainingMs) : LOADING, [link.lookUp]);
      }
      case 'value':
        return this.foundCard(outcome.value, deadline, token);
      case 'error':
        if (candidate && isEverflowError(outcome.error) && outcome.error.reason === 'notFound') return undefined;
        return this.errorCard(id, outcome.error);
    }
  }

  private async foundCard(click: Click, deadline: number, token: vscode.CancellationToken): Promise<string> {
    const link = links(click.transaction_id);
    const conversions = await hoverConversionLine(this.services.conversions, click, Math.floor(deadline - performance.now()), token);
    return clickCardMarkdown(click, { timeZone: this.timeZone(), links: [link.json, link.grid, link.trace, link.copyId, link.copyRow], conversions });
  }

  private errorCard(id: string, error: unknown): string {
    const link = links(id);
    if (isEverflowError(error) && error.reason === 'notFound') return statusCardMarkdown(id, `No click: ${NOT_FOUND_EXPLANATION}.`, [link.copyId]);
    const message = this.services.logger.redact(describeError(error));
    this.services.logger.debug(`Hover look-up of ${id} failed: ${message}`);
    const keyProblem = isEverflowError(error) && (error.reason === 'unauthorized' || error.reason === 'forbidden');
    return statusCardMarkdown(id, message, [keyProblem ? link.setKey : link.lookUp]);
  }

  /** The configured zone; an unknown name falls back to the machine's zone, with one warning. */
  private timeZone(): string | undefined {
    const zone = config.hoverTimezone();
    if (zone === undefined || isValidTimeZone(zone)) return zone;
    if (this.warnedZone !== zone) {
      this.warnedZone = zone;
      void showWarning(
        `"${zone}" in the everflow.hover.timezone setting is not a time zone name such as Europe/Berlin; hovers show your machine's local time instead.`,
      );
    }
    return undefined;
  }
}

/** Markdown that may run this extension's hover commands and nothing else, and renders no HTML. */
export function trustedMarkdown(markdown: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(markdown);
  md.supportHtml = false;
  md.supportThemeIcons = false;
  md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
  return md;
}
