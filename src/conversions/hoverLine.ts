import type * as vscode from 'vscode';
import { conversionLine } from '../core/conversions/conversionLine';
import type { Click } from '../core/types';
import type { ClickConversions, ConversionLookups } from './conversionLookups';

// The hover card's conversion line, within what is left of the hover's time budget: a cached answer
// at once; otherwise the bucket's fetch starts (or is joined) and the card waits for it only as long
// as the budget allows, then says it is looking. The fetch goes on, so the next hover has the answer.
// Undefined when conversions cannot be read: the line is left out (ConversionLookups tells the user once).

export const LOOKING_UP_CONVERSIONS = 'Looking up conversions…';

export async function hoverConversionLine(lookups: ConversionLookups, click: Click, budgetMs: number, token: vscode.CancellationToken): Promise<string | undefined> {
  const known = lookups.peek(click);
  if (known.state === 'unreadable') return undefined;
  if (known.state === 'ready') return lineOf(click, known.value);
  const request = lookups.forClick(click, { priority: 'interactive' });
  // Handled here at once: a late failure is ConversionLookups' to report, never an unhandled rejection.
  request.catch(() => undefined);
  if (budgetMs <= 0 || token.isCancellationRequested) return LOOKING_UP_CONVERSIONS;
  const outcome = await new Promise<{ value?: ClickConversions; failed?: boolean; late?: boolean }>((resolve) => {
    const timer = setTimeout(() => finish({ late: true }), budgetMs);
    const cancel = token.onCancellationRequested(() => finish({ late: true }));
    function finish(o: { value?: ClickConversions; failed?: boolean; late?: boolean }): void {
      clearTimeout(timer);
      cancel.dispose();
      resolve(o);
    }
    request.then(
      (value) => finish({ value }),
      () => finish({ failed: true }),
    );
  });
  if (outcome.value) return lineOf(click, outcome.value);
  return outcome.failed ? undefined : LOOKING_UP_CONVERSIONS;
}

function lineOf(click: Click, found: ClickConversions): string {
  return conversionLine(found.conversions, click.unix_timestamp, found.days, found.window);
}
