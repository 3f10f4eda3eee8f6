import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { QUERY_FIELDS } from '../../../src/core/savedQuery';
import { WINDOW_PRESETS } from '../../../src/core/timeWindow';
import { RESOURCE_TYPES } from '../../../src/core/types';

// The JSON Schema gives completion and errors when the file is edited by hand; it must agree with the
// validation the extension applies, or a file the editor accepts would be refused (or the reverse).

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../media/schemas/everflow-queries.schema.json'), 'utf8'));
const query = schema.properties.queries.items;

test('the schema lists every resource type (both sub spellings) and every window preset', () => {
  assert.deepEqual(query.properties.filters.items.properties.resource_type.enum, [...RESOURCE_TYPES, 'sub1', 'sub2', 'sub3', 'sub4', 'sub5']);
  assert.deepEqual(query.properties.exclusions.items, query.properties.filters.items);
  assert.deepEqual(query.properties.window.oneOf[0].properties.preset.enum, [...WINDOW_PRESETS]);
  assert.equal(query.properties.window.oneOf[0].properties.preset.enumDescriptions.length, WINDOW_PRESETS.length);
});

test('the schema has exactly the query fields the model has, and no room for a key', () => {
  assert.deepEqual(Object.keys(query.properties).sort(), [...QUERY_FIELDS].sort());
  assert.equal(query.additionalProperties, false);
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.required, ['version', 'queries']);
});

test('the folder pattern accepts paths and refuses empty parts and edge spaces', () => {
  const re = new RegExp(query.properties.folder.pattern);
  for (const ok of ['Daily', 'Team/Daily', 'a b/c d', 'a/b/c/d/e']) assert.ok(re.test(ok), ok);
  for (const bad of ['', '/a', 'a/', 'a//b', ' a', 'a ', 'a/b/c/d/e/f']) assert.ok(!re.test(bad), bad);
});
