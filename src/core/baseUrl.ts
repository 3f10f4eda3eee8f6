// The API key goes to whatever host this setting names, so it is checked on every request, not only
// when the setting changes: https everywhere, plain http only to this machine (a local sandbox).

export type BaseUrlCheck = { ok: true; url: string } | { ok: false; message: string };

const KNOWN_HOSTS: ReadonlySet<string> = new Set(['api.eflow.team', 'api-eu.eflow.team']);

/** 127.0.0.0/8, ::1 and localhost. WHATWG URL parsing has already canonicalised `127.1` and `[::1]`. */
function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h === '[::1]') return true;
  const octets = h.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

export function checkBaseUrl(url: string): BaseUrlCheck {
  const raw = typeof url === 'string' ? url.trim() : '';
  if (raw === '') return { ok: false, message: 'The Everflow base URL is empty; set everflow.baseUrl to https://api.eflow.team.' };
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    // Not echoed: a mistyped URL may still hold credentials.
    return { ok: false, message: 'The Everflow base URL is not a valid URL; use https://api.eflow.team or https://api-eu.eflow.team.' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    return { ok: false, message: `The Everflow base URL must start with https://; "${u.protocol}" is not supported.` };
  }
  if (u.protocol === 'http:' && !isLoopback(u.hostname)) {
    return {
      ok: false,
      message: `The Everflow base URL uses plain http:// to ${u.hostname}, which would send your API key unencrypted; use https:// (plain http is only allowed for localhost or 127.0.0.1).`,
    };
  }
  if (u.username !== '' || u.password !== '') {
    // Not echoed: the part before @ may be a password.
    return { ok: false, message: 'The Everflow base URL contains a user name or password; remove the part before "@".' };
  }
  if (u.search !== '' || u.hash !== '' || raw.includes('?') || raw.includes('#')) {
    return { ok: false, message: 'The Everflow base URL must not contain a query (?…) or fragment (#…); use just the host, e.g. https://api.eflow.team.' };
  }
  const path = u.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${u.protocol}//${u.host}${path}` };
}

/**
 * Where an API key sent to `url` would go, the one rule for which host may receive a key: Everflow's own
 * API over https, this machine (a local sandbox), another host (the user confirms it first, HostGuard), or
 * nowhere (a URL checkBaseUrl refuses; the client says why and sends nothing).
 */
export type KeyDestination = 'everflow' | 'loopback' | 'other' | 'refused';

export function keyDestination(url: string): KeyDestination {
  const checked = checkBaseUrl(url);
  if (!checked.ok) return 'refused';
  const u = new URL(checked.url);
  if (u.protocol === 'https:' && u.port === '' && KNOWN_HOSTS.has(u.hostname.toLowerCase())) return 'everflow';
  return isLoopback(u.hostname) ? 'loopback' : 'other';
}

/** True for Everflow's own API hosts; the UI asks for confirmation before sending a key elsewhere. */
export function isKnownEverflowHost(url: string): boolean {
  return keyDestination(url) === 'everflow';
}
