import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isQueryScope, isWorkspaceScope, scopeLabel, workspaceScopes } from '../../../src/core/queryScope';

test('one folder is "workspace"; in a multi-root workspace each folder is named, duplicates numbered', () => {
  assert.deepEqual(workspaceScopes([]), []);
  assert.deepEqual(workspaceScopes(['api']), ['workspace']);
  assert.deepEqual(workspaceScopes(['api', 'web', 'api', ' ']), ['workspace:api', 'workspace:web', 'workspace:api (2)', 'workspace:folder']);
});

test('labels read as the tree shows them', () => {
  assert.equal(scopeLabel('user'), 'User');
  assert.equal(scopeLabel('workspace'), 'Workspace');
  assert.equal(scopeLabel('workspace:api (2)'), 'Workspace · api (2)');
});

test('scopes from arguments are checked before use', () => {
  for (const ok of ['user', 'workspace', 'workspace:api']) assert.ok(isQueryScope(ok), ok);
  for (const bad of ['workspace:', 'User', 'global', '', undefined, 3, { scope: 'user' }]) assert.ok(!isQueryScope(bad), String(bad));
  assert.ok(isWorkspaceScope('workspace:api') && isWorkspaceScope('workspace') && !isWorkspaceScope('user'));
});
