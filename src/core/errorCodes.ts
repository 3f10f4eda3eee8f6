// Everflow's click `error_code` values, as its developer documentation lists them. A click row
// carries the code and sometimes an `error_message`; the message is often empty, so the hover and
// the result views explain the code themselves.

const DESCRIPTIONS: ReadonlyMap<number, string> = new Map([
  [1, 'Offer expired'],
  [2, 'Over the offer cap'],
  [3, 'Over the offer-group cap'],
  [4, 'Platform not allowed'],
  [5, 'Device type not allowed'],
  [6, 'Browser not allowed'],
  [7, 'OS version not allowed'],
  [8, 'Browser language not allowed'],
  [9, 'Country not allowed'],
  [10, 'Region not allowed'],
  [11, 'City not allowed'],
  [12, 'DMA not allowed'],
  [13, 'IP range not allowed'],
  [14, 'Blocked traffic'],
  [15, 'Blocked IP range'],
  [16, 'ISP not allowed'],
  [17, 'Outside day parting'],
  [18, 'Connection type not allowed'],
  [19, 'Carrier not allowed'],
  [20, 'Smart link had no matching offer'],
  [21, 'Duplicate click'],
  [23, 'Proxy'],
  [24, 'Blocked by traffic controls'],
  [25, 'Blocked by traffic controls'],
  [26, 'Blocked by traffic controls'],
  [27, 'Already converted'],
  [28, 'Traffic optimised'],
  [29, 'Forwarded by rule'],
  [30, 'Brand not allowed'],
  [101, 'Sub1 value filtered'],
  [102, 'Sub2 value filtered'],
  [103, 'Sub3 value filtered'],
  [104, 'Sub4 value filtered'],
  [105, 'Sub5 value filtered'],
]);

/**
 * A short description of a click's `error_code`, or undefined for 0 (no error) and for codes
 * Everflow does not document (22 is skipped in its own list), so callers can show the bare number.
 */
export function describeErrorCode(code: number): string | undefined {
  return DESCRIPTIONS.get(code);
}

/**
 * Everflow fills `error_message` with a placeholder ("N/A", "none", "-", an empty string) where it has
 * nothing to say, also on clicks that do carry an error code: such a message is never quoted as a reason.
 */
export function isPlaceholderMessage(message: unknown): boolean {
  return typeof message !== 'string' || /^\s*(?:n\/?a|none|null|undefined|unknown|-+|0)?\s*$/i.test(message);
}

/**
 * A click's error as words: "101 · Sub1 value filtered", with Everflow's own message after it when it
 * says something more ("21 · Duplicate click · “seen 3 times”"); "" for a click without an error.
 * Plain text: the message comes from Everflow and is for display as text only.
 */
export function describeClickError(code: unknown, message: unknown): string {
  const n = typeof code === 'number' ? code : typeof code === 'string' && /^\d+$/.test(code.trim()) ? Number(code) : 0;
  if (!Number.isFinite(n) || n === 0) return '';
  const meaning = describeErrorCode(n) ?? 'undocumented code';
  const said = typeof message === 'string' ? message.trim() : '';
  const extra = !isPlaceholderMessage(said) && said.toLowerCase() !== meaning.toLowerCase() ? ` · “${said}”` : '';
  return `${n} · ${meaning}${extra}`;
}
