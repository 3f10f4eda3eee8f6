import type { SavedQuery } from './savedQuery';

// The queries file's shape, apart from its parser (src/core/queriesFile.ts): what the stores and the
// tree hold from activation on, without loading the parser (jsonc-parser and the query validation)
// before the first read.

export const QUERIES_FILE_VERSION = 1;

export interface QueriesFile {
  version: typeof QUERIES_FILE_VERSION;
  /** Kept when present, for editors outside VS Code. */
  $schema?: string;
  /** Folders that exist even with no query in them; folders of queries exist implicitly. */
  folders: string[];
  queries: SavedQuery[];
}

export interface FileProblem {
  message: string;
  /** Offset and length in the text (UTF-16 code units, as VS Code counts). */
  offset: number;
  length: number;
  /** 0-based, for a vscode.Range; add 1 to show to a person. */
  line: number;
  character: number;
  end: { line: number; character: number };
}

export type ParsedQueriesFile = { ok: true; file: QueriesFile } | { ok: false; problems: FileProblem[] };

/** A file with nothing in it (what a scope holds before its first read, and a new file). */
export function emptyQueriesFile(): QueriesFile {
  return { version: QUERIES_FILE_VERSION, folders: [], queries: [] };
}
