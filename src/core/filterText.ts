import type { QueryFilter } from './types';

// A one-line way to type filters in an input box: `offer=883; offer=518; country=United States;
// !sub1=internal`. `;` separates items (values keep their spaces and commas), a leading `!` makes an
// exclusion. Types and values are checked later by the request validation, which names problems.

export interface ParsedFilterText {
  filters: QueryFilter[];
  exclusions: QueryFilter[];
  problems: string[];
}

export function parseFilterText(text: string): ParsedFilterText {
  const out: ParsedFilterText = { filters: [], exclusions: [], problems: [] };
  const items = text.split(';').map((s) => s.trim()).filter(Boolean);
  items.forEach((item, i) => {
    const exclude = item.startsWith('!');
    const body = exclude ? item.slice(1).trim() : item;
    const eq = body.indexOf('=');
    if (eq <= 0) {
      out.problems.push(`Item ${i + 1} ("${item}") needs the form type=value, e.g. country=United States.`);
      return;
    }
    const filter = { resource_type: body.slice(0, eq).trim().toLowerCase(), filter_id_value: body.slice(eq + 1).trim() };
    (exclude ? out.exclusions : out.filters).push(filter);
  });
  return out;
}

export function formatFilterText(filters: readonly QueryFilter[] = [], exclusions: readonly QueryFilter[] = []): string {
  return [
    ...filters.map((f) => `${f.resource_type}=${f.filter_id_value}`),
    ...exclusions.map((f) => `!${f.resource_type}=${f.filter_id_value}`),
  ].join('; ');
}
