import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { QUERY_FIELDS, folderProblem, normalizeSavedQuery, validateSavedQuery, type QueryValidationOptions, type SavedQuery } from './savedQuery';
import { QUERIES_FILE_VERSION, emptyQueriesFile, type FileProblem, type ParsedQueriesFile, type QueriesFile } from './queriesFileShape';

// The queries file: `.vscode/everflow-queries.json` in a workspace (committed, shared by a team), the
// same text in the user's synced storage, and the format of exported files. Parsing reports every
// problem with its exact place in the text, so a hand edit that breaks the file is shown where it
// is; a file with problems is never rewritten (the caller refuses to write until it parses).

export { QUERIES_FILE_VERSION, emptyQueriesFile, type FileProblem, type ParsedQueriesFile, type QueriesFile } from './queriesFileShape';

const TOP_LEVEL_KEYS = ['$schema', 'version', 'folders', 'queries'];

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Unexpected character; this is not valid JSON here.',
  InvalidNumberFormat: 'This number is not valid JSON.',
  PropertyNameExpected: 'A property name in double quotes is expected here (is there a trailing comma before "}"?).',
  ValueExpected: 'A value is expected here (is there a trailing comma before "]"?).',
  ColonExpected: 'A colon (":") is expected after the property name.',
  CommaExpected: 'A comma is missing between two items.',
  CloseBraceExpected: 'A closing "}" is missing.',
  CloseBracketExpected: 'A closing "]" is missing.',
  EndOfFileExpected: 'Unexpected text after the end of the JSON value.',
  InvalidCommentToken: 'Comments are not allowed: this file is plain JSON.',
  UnexpectedEndOfComment: 'Comments are not allowed: this file is plain JSON.',
  UnexpectedEndOfString: 'A string is not closed: a double quote is missing.',
  UnexpectedEndOfNumber: 'A number is cut short.',
  InvalidUnicode: 'An invalid \\u escape sequence.',
  InvalidEscapeCharacter: 'An invalid escape sequence in a string.',
  InvalidCharacter: 'A control character in a string; write line breaks as \\n and tabs as \\t.',
};


/** 0-based line and character of `offset` in `text`. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: end - lineStart };
}

/** `filters[1].resource_type` → `['filters', 1, 'resource_type']`. */
export function fieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of field.split('.').filter(Boolean)) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/**
 * Reads a queries file. Empty text is an empty file (a file just created by hand). Comments and
 * trailing commas are refused: the file is plain JSON, which every tool a team uses can read.
 */
export function parseQueriesFile(text: string, opts: QueryValidationOptions = {}): ParsedQueriesFile {
  if (text.trim() === '') return { ok: true, file: emptyQueriesFile() };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const problem = (message: string, offset: number, length: number): FileProblem => ({
    message,
    offset,
    length,
    ...positionAt(text, offset),
    end: positionAt(text, offset + length),
  });
  if (errors.length > 0 || !root) {
    const problems = errors.map((e) => problem(SYNTAX_MESSAGES[printParseErrorCode(e.error)] ?? 'This is not valid JSON.', e.offset, Math.max(1, e.length)));
    return { ok: false, problems: problems.length ? problems : [problem('This is not valid JSON.', 0, 1)] };
  }
  const at = (path: (string | number)[], message: string, onKey = false): FileProblem => {
    const where = nearestSpan(root, path, onKey);
    return problem(message, where.offset, where.length);
  };
  if (root.type !== 'object') {
    return { ok: false, problems: [at([], 'The queries file must be a JSON object: { "version": 1, "queries": [ … ] }.')] };
  }
  const value = getNodeValue(root) as Record<string, unknown>;
  const problems: FileProblem[] = [];
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL_KEYS.includes(key)) problems.push(at([key], `"${key}" is not part of a queries file; it holds version, folders and queries.`, true));
  }
  if (value.version === undefined) {
    problems.push(at([], `The file has no "version"; add "version": ${QUERIES_FILE_VERSION}.`));
  } else if (value.version !== QUERIES_FILE_VERSION) {
    const newer = typeof value.version === 'number' && value.version > QUERIES_FILE_VERSION;
    problems.push(
      at(
        ['version'],
        newer
          ? `This file is version ${value.version}, written by a newer Everflow Clicks; update the extension to read it.`
          : `"version" must be ${QUERIES_FILE_VERSION}.`,
      ),
    );
  }
  if (value.$schema !== undefined && typeof value.$schema !== 'string') problems.push(at(['$schema'], '"$schema" must be a URL string.'));
  const folders: string[] = [];
  if (value.folders !== undefined) {
    if (!Array.isArray(value.folders)) {
      problems.push(at(['folders'], '"folders" must be a list of folder paths such as "Daily" or "Team/Daily".'));
    } else {
      value.folders.forEach((f: unknown, i: number) => {
        const issue = folderProblem(f);
        if (issue) problems.push(at(['folders', i], issue));
        else if (!folders.includes(f as string)) folders.push(f as string);
      });
    }
  }
  const queries: SavedQuery[] = [];
  if (!Array.isArray(value.queries)) {
    problems.push(at(value.queries === undefined ? [] : ['queries'], '"queries" must be a list of saved queries (it may be empty: []).'));
  } else {
    const ids = new Map<string, number>();
    value.queries.forEach((q: unknown, i: number) => {
      const found = validateSavedQuery(q, opts);
      for (const p of found) {
        const segments = fieldPath(p.field);
        problems.push(at(['queries', i, ...segments], p.message, isUnknownKey(segments)));
      }
      if (found.length > 0) return;
      const query = normalizeSavedQuery(q as SavedQuery);
      const first = ids.get(query.id);
      if (first !== undefined) {
        problems.push(at(['queries', i, 'id'], `The id "${query.id}" is already used by query ${first + 1}; ids must be unique in the file.`));
        return;
      }
      ids.set(query.id, i);
      queries.push(query);
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const file: QueriesFile = { version: QUERIES_FILE_VERSION, folders, queries };
  if (typeof value.$schema === 'string') file.$schema = value.$schema;
  return { ok: true, file };
}

/**
 * Where `path` is in the text, or its nearest existing ancestor. For an object or array the property
 * name (or the opening bracket) is marked, so a diagnostic covers one line rather than a whole block.
 */
function nearestSpan(root: Node, path: (string | number)[], onKey: boolean): { offset: number; length: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (!node) continue;
    if (onKey && n === path.length && node.parent?.type === 'property' && node.parent.children?.[0]) return node.parent.children[0];
    if (n < path.length && typeof path[n] === 'string' && node.type === 'object') {
      // An unknown key is a property that exists: point at its name.
      const prop = node.children?.find((c) => c.type === 'property' && c.children?.[0]?.value === path[n]);
      if (prop?.children?.[0]) return prop.children[0];
    }
    if (node.type === 'object' || node.type === 'array') {
      const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      return key ?? { offset: node.offset, length: 1 };
    }
    return node;
  }
  return { offset: root.offset, length: 1 };
}

/** A query field (or window part) the format does not have: the problem is its name, not its value. */
function isUnknownKey(segments: (string | number)[]): boolean {
  const [first, second] = segments;
  if (segments.length === 1) return typeof first === 'string' && !(QUERY_FIELDS as readonly string[]).includes(first);
  return segments.length === 2 && first === 'window' && typeof second === 'string' && !['preset', 'from', 'to'].includes(second);
}

/** The file's text: fixed key order and 2-space indent, so that diffs in a team's repository stay small. */
export function serializeQueriesFile(file: QueriesFile): string {
  const out: Record<string, unknown> = {};
  if (file.$schema) out.$schema = file.$schema;
  out.version = QUERIES_FILE_VERSION;
  if (file.folders.length > 0) out.folders = file.folders;
  out.queries = file.queries.map(normalizeSavedQuery);
  return JSON.stringify(out, null, 2) + '\n';
}
