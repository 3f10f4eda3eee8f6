import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyQueriesFile, fieldPath, parseQueriesFile, positionAt, serializeQueriesFile, type QueriesFile } from '../../../src/core/queriesFile';
import {
  childFolders,
  folderPaths,
  mergeQueries,
  queriesInFolder,
  uniqueName,
  withFolder,
  withFolderRenamed,
  withoutFolder,
  withoutQuery,
  withQuery,
} from '../../../src/core/queryCollection';
import type { SavedQuery } from '../../../src/core/savedQuery';

const q = (id: string, name: string, folder?: string): SavedQuery => ({
  id,
  name,
  window: { preset: 'lastHour' },
  timezone: 'UTC',
  filters: [{ resource_type: 'offer', filter_id_value: id }],
  exclusions: [],
  ...(folder ? { folder } : {}),
});

const sample: QueriesFile = {
  version: 1,
  folders: ['Empty'],
  queries: [q('a', 'Alpha', 'Daily'), q('b', 'beta'), q('c', 'Gamma', 'Daily/US')],
};

test('serialise then parse gives the same file', () => {
  const text = serializeQueriesFile(sample);
  const parsed = parseQueriesFile(text);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.file, sample);
  assert.equal(serializeQueriesFile(parsed.file), text, 'a second round trip changes nothing');
  assert.match(text, /^\{\n {2}"version": 1,\n {2}"folders"/);
});

test('an empty or whitespace file is an empty queries file', () => {
  assert.deepEqual(parseQueriesFile(''), { ok: true, file: emptyQueriesFile() });
  assert.deepEqual(parseQueriesFile(' \n'), { ok: true, file: emptyQueriesFile() });
  assert.equal(serializeQueriesFile(emptyQueriesFile()), '{\n  "version": 1,\n  "queries": []\n}\n');
});

test('a syntax error is reported at its exact line and column', () => {
  const text = '{\n  "version": 1,\n  "queries": [\n    { "id": "a" "name": "x" }\n  ]\n}\n';
  const parsed = parseQueriesFile(text);
  assert.equal(parsed.ok, false);
  if (parsed.ok) return;
  const first = parsed.problems[0];
  assert.equal(first.line, 3);
  assert.equal(first.character, text.split('\n')[3].indexOf('"name"'));
  assert.match(first.message, /comma is missing/);
});

test('comments and trailing commas are refused, with their places', () => {
  const comment = parseQueriesFile('{\n  // team queries\n  "version": 1, "queries": []\n}');
  assert.equal(comment.ok, false);
  if (!comment.ok) {
    assert.equal(comment.problems[0].line, 1);
    assert.match(comment.problems[0].message, /Comments are not allowed/);
  }
  const trailing = parseQueriesFile('{ "version": 1, "queries": [], }');
  assert.equal(trailing.ok, false);
  const truncated = parseQueriesFile('{ "version": 1, "queries": [');
  assert.equal(truncated.ok, false);
});

test('invalid queries are reported at the field, not just "invalid file"', () => {
  const text = JSON.stringify(
    { version: 1, queries: [q('a', 'Fine'), { ...q('b', 'Bad'), window: { preset: 'lastMonth' }, filters: [{ resource_type: 'ofer', filter_id_value: '1' }] }] },
    null,
    2,
  );
  const parsed = parseQueriesFile(text);
  assert.equal(parsed.ok, false);
  if (parsed.ok) return;
  assert.equal(parsed.problems.length, 2);
  const lines = text.split('\n');
  const [preset, type] = parsed.problems;
  assert.match(lines[preset.line], /"preset": "lastMonth"/);
  assert.equal(text.slice(preset.offset, preset.offset + preset.length), '"lastMonth"');
  assert.equal(text.slice(type.offset, type.offset + type.length), '"ofer"');
});

test('a missing field points at the query that lacks it; an unknown key at the key', () => {
  const text = '{"version":1,"queries":[{"id":"a","window":{"preset":"today"},"timezone":"UTC"}],"extra":true}';
  const parsed = parseQueriesFile(text);
  assert.equal(parsed.ok, false);
  if (parsed.ok) return;
  const spans = parsed.problems.map((p) => text.slice(p.offset, p.offset + p.length));
  assert.deepEqual(spans.sort(), ['"extra"', '{'].sort());
});

test('version, duplicate ids and wrong shapes are problems', () => {
  const newer = parseQueriesFile('{"version":2,"queries":[]}');
  assert.equal(newer.ok, false);
  if (!newer.ok) assert.match(newer.problems[0].message, /newer Everflow Clicks/);
  assert.equal(parseQueriesFile('{"queries":[]}').ok, false);
  assert.equal(parseQueriesFile('[]').ok, false);
  assert.equal(parseQueriesFile('{"version":1}').ok, false);
  const dup = parseQueriesFile(JSON.stringify({ version: 1, queries: [q('a', 'One'), q('a', 'Two')] }));
  assert.equal(dup.ok, false);
  if (!dup.ok) assert.match(dup.problems[0].message, /already used by query 1/);
});

test('$schema is kept; numeric filter values become strings', () => {
  const text = JSON.stringify({ $schema: './schema.json', version: 1, queries: [{ ...q('a', 'A'), filters: [{ resource_type: 'offer', filter_id_value: 883 }] }] });
  const parsed = parseQueriesFile(text);
  assert.ok(parsed.ok);
  assert.equal(parsed.file.$schema, './schema.json');
  assert.equal(parsed.file.queries[0].filters[0].filter_id_value, '883');
});

test('positionAt and fieldPath', () => {
  assert.deepEqual(positionAt('ab\ncd\nef', 4), { line: 1, character: 1 });
  assert.deepEqual(fieldPath('filters[1].resource_type'), ['filters', 1, 'resource_type']);
  assert.deepEqual(fieldPath('window.from'), ['window', 'from']);
  assert.deepEqual(fieldPath(''), []);
});

test('folders: declared, implied by queries and their ancestors', () => {
  assert.deepEqual(folderPaths(sample), ['Daily', 'Daily/US', 'Empty']);
  assert.deepEqual(childFolders(sample), ['Daily', 'Empty']);
  assert.deepEqual(childFolders(sample, 'Daily'), ['Daily/US']);
  assert.deepEqual(queriesInFolder(sample).map((x) => x.id), ['b']);
  assert.deepEqual(queriesInFolder(sample, 'Daily').map((x) => x.id), ['a']);
});

test('edits: add, replace, remove, folders renamed and removed with their queries', () => {
  let f = withQuery(sample, q('d', 'Delta'));
  assert.equal(f.queries.length, 4);
  f = withQuery(f, { ...q('d', 'Delta 2') });
  assert.equal(f.queries.length, 4);
  assert.equal(f.queries[3].name, 'Delta 2');
  f = withoutQuery(f, 'd');
  assert.deepEqual(f, sample);
  assert.equal(withFolder(sample, 'Daily'), sample, 'an existing folder changes nothing');
  assert.deepEqual(withFolder(sample, 'New').folders, ['Empty', 'New']);
  const renamed = withFolderRenamed(sample, 'Daily', 'Team/Daily');
  assert.deepEqual(renamed.queries.map((x) => x.folder), ['Team/Daily', undefined, 'Team/Daily/US']);
  const removed = withoutFolder(sample, 'Daily');
  assert.deepEqual(removed.queries.map((x) => x.id), ['b']);
  assert.equal(uniqueName(sample, 'Alpha'), 'Alpha (copy)');
  assert.equal(uniqueName(withQuery(sample, q('e', 'Alpha (copy)')), 'Alpha'), 'Alpha (copy 2)');
  assert.equal(uniqueName(sample, 'New'), 'New');
});

test('import merges: identical queries skipped, taken ids renewed, nothing replaced', () => {
  const incoming: QueriesFile = { version: 1, folders: ['Imported'], queries: [q('a', 'Alpha', 'Daily'), { ...q('b', 'Other') }, q('z', 'Zed')] };
  let n = 0;
  const result = mergeQueries(sample, incoming, () => `new${++n}`);
  assert.equal(result.unchanged, 1);
  assert.deepEqual(result.added.map((x) => x.id), ['new1', 'z']);
  assert.equal(result.file.queries.find((x) => x.id === 'b')!.name, 'beta', 'the existing query is untouched');
  assert.ok(result.file.folders.includes('Imported'));
});
