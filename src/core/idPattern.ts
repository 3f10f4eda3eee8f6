// The transaction-ID pattern: a user's regular expression, matched as a whole token, or the default.

/** The default pattern (a regular-expression source); users may configure another in settings. */
export const DEFAULT_ID_PATTERN = '[0-9a-fA-F]{32}';

/**
 * Token edges are enforced inside the regular expression, so a 40- or 64-hex run fails at its first
 * character instead of yielding 32-character slices. A `%XX` escape right before counts as an edge,
 * because `…%3D<id>` in an encoded URL would otherwise be glued to the `D`.
 */
const TOKEN_START = '(?:(?<![0-9A-Za-z_])|(?<=%[0-9A-Fa-f]{2}))';
const TOKEN_END = '(?![0-9A-Za-z_])';

export interface Compiled {
  regex: RegExp;
  error?: string;
}

function wrap(source: string): RegExp {
  // Wrapped in a non-capturing group so a user's `a|b` stays inside the token edges.
  return new RegExp(`${TOKEN_START}(?:${source})${TOKEN_END}`, 'g');
}

export function compilePattern(pattern: string | undefined): Compiled {
  if (pattern === undefined || pattern === DEFAULT_ID_PATTERN) return { regex: wrap(DEFAULT_ID_PATTERN) };
  const fallback = (why: string): Compiled => ({
    regex: wrap(DEFAULT_ID_PATTERN),
    error: `The transaction ID pattern ${JSON.stringify(pattern)} ${why}; the default pattern ${DEFAULT_ID_PATTERN} is used instead.`,
  });
  if (pattern.trim() === '') return fallback('is empty');
  try {
    // Compiled bare first so the error quotes the user's text, not the wrapper; a pattern that
    // compiles bare has balanced groups and cannot break out of the wrapper.
    new RegExp(pattern);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return fallback(`is not a valid regular expression (${detail})`);
  }
  if (matchesEmpty(pattern)) return fallback('can match empty text, which would mark every position as an ID');
  return { regex: wrap(pattern) };
}

/** A pattern like `x*` or `(?:)` matches nothing useful and, unguarded, everything at once. */
function matchesEmpty(pattern: string): boolean {
  const bare = new RegExp(`(?:${pattern})`, 'g');
  const probes = ['', ' ', 'a', '0', '=', `transaction_id=${'0'.repeat(32)}`];
  for (const probe of probes) {
    bare.lastIndex = 0;
    for (let m = bare.exec(probe); m !== null; m = bare.exec(probe)) {
      if (m[0].length === 0) return true;
    }
  }
  return false;
}
