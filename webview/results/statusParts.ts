import { formatMoney, formatTimestamp } from '../../src/core/format';
import type { SelectionStats, Summary } from '../../src/core/gridStats';
import { retentionWarning } from '../../src/core/windowNotices';
import type { ResultsInit } from '../../src/protocol/results';
import { el } from '../dom';

// The plain-text parts around the grid: the banners above it (the cap and "Fetch all", how a fetch
// past the cap ended, the retention warning, IDs a bulk look-up did not find) and the summary bar
// below it (rows shown, unique clicks, revenue, time span, and the selection's count/sum/average).
// Also the page of a grid restored without its rows.

const n = (v: number): string => v.toLocaleString('en-US');

interface Banner {
  kind: 'warning' | 'info';
  text: string;
  action?: { label: string; run: () => void; disabled?: boolean };
}

/** What the banners' buttons do. */
export interface BannerActions {
  fetchAll(): void;
  /** Puts text on the clipboard (through the host). */
  copyText(text: string): void;
}

function banners(init: ResultsInit, fetching: boolean, actions: BannerActions): Banner[] {
  const fetchAll = () => actions.fetchAll();
  const r = init.request;
  const out: Banner[] = [];
  const cap = n(r.cap ?? 5000);
  const fetchButton = init.canFetchAll ? { label: fetching ? 'Fetching…' : 'Fetch all', run: fetchAll, disabled: fetching } : undefined;
  const fa = r.fetch_all;
  if (fa) {
    if (fa.stopped_by === 'cancelled') {
      out.push({ kind: 'warning', text: `Partial: fetching all was cancelled after ${n(r.rows)} clicks — more clicks match.`, action: fetchButton });
    } else if (fa.stopped_by === 'maxRows') {
      out.push({ kind: 'warning', text: `Stopped at ${n(r.rows)} clicks, the everflow.results.maxRows limit (${n(fa.max_rows)}) — more clicks match.` });
    } else if (fa.capped_pieces) {
      out.push({ kind: 'warning', text: `${n(r.rows)} clicks in ${n(fa.requests)} requests, but ${n(fa.capped_pieces)} one-second piece(s) still reached the ${cap}-row cap: the clicks beyond it cannot be fetched.` });
    } else {
      out.push({ kind: 'info', text: `Every click of the window: ${n(r.rows)} clicks, fetched in ${n(fa.requests)} request${fa.requests === 1 ? '' : 's'} past the ${cap}-row cap.` });
    }
  } else if (r.truncated) {
    const text =
      (r.chunks ?? 1) > 1
        ? `${n(r.rows)} rows: a request reached Everflow's ${cap}-row cap — more clicks match`
        : `${n(r.rows)} rows: Everflow's cap — more clicks match`;
    out.push({ kind: 'warning', text, action: fetchButton });
  } else if (r.partial) {
    out.push({ kind: 'warning', text: 'Partial: the look-up was cancelled or some IDs failed, so rows may be missing.' });
  }
  if ((r.chunks ?? 1) > 1) {
    out.push({ kind: 'info', text: `The window is longer than Everflow's 14 days, so it ran as ${n(r.chunks!)} requests of at most 14 days each.` });
  }
  if (r.from && r.to) {
    const warning = retentionWarning({ from: r.from, to: r.to }, init.zone, Date.parse(r.fetched_at) || Date.now());
    if (warning) out.push({ kind: 'warning', text: warning });
  }
  if (r.not_found?.length) {
    const missing = r.not_found;
    const shown = missing.slice(0, 5).join(', ');
    const all = missing.length === 1 ? 'Copy the ID' : `Copy all ${n(missing.length)} IDs`;
    out.push({
      kind: 'info',
      text: `${n(missing.length)} ID(s) not found (or older than the 3-month retention): ${shown}${missing.length > 5 ? ', …' : ''}`,
      // The whole list, one ID a line, for a ticket or another look-up.
      action: { label: all, run: () => actions.copyText(missing.join('\n')) },
    });
  }
  return out;
}

/** Fills `root` with the result's banners. */
export function renderBanners(root: HTMLElement, init: ResultsInit, fetching: boolean, actions: BannerActions): void {
  root.replaceChildren(
    ...banners(init, fetching, actions).map((b) => {
      const div = el('div', { class: `banner banner-${b.kind}`, role: b.kind === 'warning' ? 'alert' : 'status' });
      div.append(el('span', { class: 'banner-text' }, b.text));
      if (b.action) {
        const button = el('vscode-button', { class: 'banner-action', disabled: b.action.disabled }, b.action.label);
        button.addEventListener('click', () => b.action!.run());
        div.append(button);
      }
      return div;
    }),
  );
}

function revenueText(s: Summary): string {
  // Currencies that only ever earned nothing add noise ("+ €0.00"); all-zero revenue still shows once.
  const earned = s.revenue.filter((r) => r.sum !== 0);
  const shown = earned.length ? earned : s.revenue.slice(0, 1);
  if (shown.length === 0) return '';
  const parts = shown.slice(0, 3).map((r) => formatMoney(r.sum, r.currency));
  return `Revenue ${parts.join(' + ')}${shown.length > 3 ? ' + …' : ''}`;
}

function spanText(s: Summary, zone: string): string {
  if (s.first === undefined || s.last === undefined) return '';
  const a = formatTimestamp(s.first, zone);
  const b = formatTimestamp(s.last, zone);
  if (a === b) return `${a} (${zone})`;
  // Same day: the end shows only its time.
  return `${a} → ${a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b} (${zone})`;
}

export function summaryText(s: Summary, zone: string): string[] {
  const rows = s.shown === s.total ? `${n(s.total)} row${s.total === 1 ? '' : 's'}` : `${n(s.shown)} of ${n(s.total)} rows`;
  return [rows, `${n(s.unique)} unique`, revenueText(s), spanText(s, zone)].filter(Boolean);
}

export function selectionText(s: SelectionStats): string {
  if (s.cells <= 1) return '';
  const parts = [`${n(s.cells)} cells selected`];
  if (s.mixedCurrencies) parts.push('several currencies: no sum');
  else if (s.numeric > 0 && s.sum !== undefined && s.average !== undefined) {
    const money = (v: number) => (s.currency ? formatMoney(v, s.currency) : v.toLocaleString('en-US', { maximumFractionDigits: 2 }));
    parts.push(`count ${n(s.numeric)}`, `sum ${money(s.sum)}`, `average ${money(s.average)}`);
  }
  return parts.join(' · ');
}

/** The page of a grid restored without its rows: what happened, and "Run again" when it can be. */
export function missingPage(title: string, runAgain: (() => void) | undefined): HTMLElement {
  const page = el('div', { class: 'missing', role: 'alert' });
  page.append(
    el('h2', {}, title),
    el('p', {}, 'The rows of this result are no longer kept: results are stored for a limited number of grids, and this one was closed, cleared or pushed out. Nothing is fetched again unless you ask.'),
  );
  if (runAgain) {
    const again = el('vscode-button', {}, 'Run again');
    again.addEventListener('click', runAgain);
    page.append(again);
  }
  return page;
}

/** A table the page could not read: what happened, as text (a column name in it came from Everflow). */
export function unreadableNotice(title: unknown, reason: string): HTMLElement {
  const page = el('div', { class: 'missing unreadable', role: 'alert' });
  page.append(
    el('h2', {}, `These rows could not be shown${typeof title === 'string' && title ? `: ${title}` : ''}`),
    el('p', {}, `The grid could not read the table it was sent. ${reason.slice(0, 300)}`),
    el('p', {}, 'The result itself is unchanged: run the query again to get a fresh table.'),
  );
  return page;
}

/** Why a grid has no rows at all, in words about what was asked. */
export function emptyText(init: ResultsInit): string {
  const r = init.request;
  if (r.kind === 'bulk') {
    const asked = r.not_found?.length ?? 0;
    return asked > 0 ? `None of the ${n(asked)} ID${asked === 1 ? ' was' : 's were'} found: not found, or older than the 3-month raw-data retention.` : 'No IDs were looked up.';
  }
  if (r.kind === 'click') return 'The click was not found.';
  return 'No clicks matched this query.';
}
