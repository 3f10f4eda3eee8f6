// The host part of a click's referer, for the summary's "Referer host" breakdown. The referer is
// whatever the visitor's browser (or a bot) sent: any length, any characters, often not a URL at all.
// This reads it by hand, not with `new URL()` (which throws on some inputs, rewrites others, and
// differs between runtimes), and accepts only a plain host name or IP address: anything else is
// grouped as "(not a URL)", so a label made from it is never markup, a link or an odd direction change.

export const NO_REFERER = '(no referer)';
export const NOT_A_URL = '(not a URL)';

/** Longest host name DNS allows. */
const MAX_HOST = 253;

// Letters of any script, digits, hyphen, underscore and dots: what host names (also IDN ones) hold.
const HOST_RE = /^[\p{L}\p{M}\p{N}_-]+(?:\.[\p{L}\p{M}\p{N}_-]+)*$/u;
const IPV6_RE = /^\[[0-9a-f:.]+\]$/;
// A scheme, then `//`: `https://`, `android-app://`. Or a bare `//host`.
const AUTHORITY_RE = /^(?:[a-z][a-z0-9+.-]{0,30}:)?\/\//i;
// Bare `host/path` or `host:port/…` without a scheme, as some apps send.
const BARE_RE = /^[\p{L}\p{M}\p{N}_-]+(?:\.[\p{L}\p{M}\p{N}_-]+)+(?::\d{1,5})?(?:[/?#]|$)/u;

/**
 * The lower-cased host of a referer: `https://User@Shop.Example:8443/a?b` → `shop.example`;
 * NO_REFERER for an empty one, NOT_A_URL for one without a plain host.
 */
export function refererHost(referer: unknown): string {
  if (typeof referer !== 'string') return NO_REFERER;
  // Only the start matters; a megabyte of referer is not scanned.
  const s = referer.slice(0, 2048).trim();
  if (!s) return NO_REFERER;
  let rest: string;
  const auth = AUTHORITY_RE.exec(s);
  if (auth) rest = s.slice(auth[0].length);
  else if (BARE_RE.test(s)) rest = s;
  else return NOT_A_URL;
  // The authority ends at the first / ? # or backslash (browsers read `\` as `/`).
  let end = rest.length;
  for (let k = 0; k < rest.length; k++) {
    const ch = rest.charCodeAt(k);
    if (ch === 0x2f || ch === 0x3f || ch === 0x23 || ch === 0x5c) {
      end = k;
      break;
    }
  }
  let host = rest.slice(0, end);
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return NOT_A_URL;
    const port = host.slice(close + 1);
    if (port && !/^:\d{0,5}$/.test(port)) return NOT_A_URL;
    host = host.slice(0, close + 1).toLowerCase();
    return IPV6_RE.test(host) ? host : NOT_A_URL;
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    if (!/^\d{0,5}$/.test(host.slice(colon + 1))) return NOT_A_URL;
    host = host.slice(0, colon);
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  host = host.toLowerCase();
  if (!host || host.length > MAX_HOST || !HOST_RE.test(host)) return NOT_A_URL;
  return host;
}
