import { formatMoney } from '../format';
import type { GridTable } from '../gridTable';

// Conversion rate (CVR: converted clicks / clicks) and earnings per click (EPC: conversion revenue /
// clicks) over the rows the grid shows, overall (the status bar) and per value of a column (Group by).
// Read from the table's conversion columns (columns.ts), so they follow every filter and search.

export interface ConversionRates {
  clicks: number;
  /** Clicks with at least one base conversion or event. */
  converted: number;
  revenue: number;
  /** The one currency of the revenue; undefined when none yet; null when several (no EPC then). */
  currency: string | null | undefined;
}

interface Cols {
  converted: number;
  revenue: number;
}

function colsOf(t: GridTable): Cols | undefined {
  const converted = t.col('conversion.converted');
  const revenue = t.col('conversion.revenue');
  return converted < 0 || revenue < 0 ? undefined : { converted, revenue };
}

function add(rates: ConversionRates, t: GridTable, cols: Cols, r: number): void {
  rates.clicks++;
  if (t.raw(cols.converted, r) !== true) return;
  rates.converted++;
  const v = t.raw(cols.revenue, r);
  if (typeof v !== 'number') {
    // "$10.00 + €6.00": a click paid in several currencies.
    rates.currency = null;
    return;
  }
  rates.revenue += v;
  const cur = t.currencyOf(cols.revenue, r).trim().toUpperCase();
  if (rates.currency === undefined) rates.currency = cur;
  else if (rates.currency !== cur) rates.currency = null;
}

const empty = (): ConversionRates => ({ clicks: 0, converted: 0, revenue: 0, currency: undefined });

/** Rates over `rows`; undefined when the table has no conversions added. */
export function conversionRates(t: GridTable, rows: readonly number[]): ConversionRates | undefined {
  const cols = colsOf(t);
  if (!cols) return undefined;
  const out = empty();
  for (const r of rows) add(out, t, cols, r);
  return out;
}

/** Rates per cell text of `column` over `rows` (the groups of Group by); undefined without conversions. */
export function groupRates(t: GridTable, column: string, rows: readonly number[]): Map<string, ConversionRates> | undefined {
  const cols = colsOf(t);
  const c = t.col(column);
  if (!cols || c < 0) return undefined;
  const out = new Map<string, ConversionRates>();
  for (const r of rows) {
    const key = t.text(c, r);
    let g = out.get(key);
    if (!g) out.set(key, (g = empty()));
    add(g, t, cols, r);
  }
  return out;
}

export function cvrText(r: ConversionRates): string {
  if (r.clicks === 0) return 'CVR —';
  const p = (r.converted / r.clicks) * 100;
  return `CVR ${p.toFixed(p > 0 && p < 10 ? 2 : 1)}%`;
}

export function epcText(r: ConversionRates): string {
  if (r.clicks === 0) return 'EPC —';
  if (r.currency === null) return 'EPC — (several currencies)';
  const epc = r.revenue / r.clicks;
  return `EPC ${formatMoney(epc, r.currency ?? '')}`;
}

/** "CVR 3.20% · EPC $0.41", for the status bar and each group. */
export function ratesText(r: ConversionRates): string {
  return `${cvrText(r)} · ${epcText(r)}`;
}
