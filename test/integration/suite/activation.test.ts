import * as assert from 'assert';
import * as vscode from 'vscode';
import { testConfig } from './env';

interface Manifest {
  contributes?: { commands?: { command: string }[]; views?: Record<string, { id: string }[]> };
}

suite('Activation', () => {
  test('the extension under test is installed', () => {
    const ext = vscode.extensions.getExtension(testConfig().extensionId);
    assert.ok(ext, `${testConfig().extensionId} is not among the installed extensions`);
  });

  test('it activates', async () => {
    const ext = vscode.extensions.getExtension(testConfig().extensionId);
    assert.ok(ext);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  test('every command in package.json is registered, and no other everflow.* command', async () => {
    const ext = vscode.extensions.getExtension(testConfig().extensionId);
    assert.ok(ext);
    await ext.activate();
    const declared = ((ext.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command).sort();
    assert.ok(declared.length > 0, 'package.json declares no commands');
    // VS Code itself registers `<viewId>.focus`, `<viewId>.resetViewLocation` … for each contributed view.
    const viewIds = Object.values((ext.packageJSON as Manifest).contributes?.views ?? {})
      .flat()
      .map((v) => v.id);
    const registered = (await vscode.commands.getCommands(true))
      .filter((c) => c.startsWith('everflow.') && !viewIds.some((v) => c.startsWith(`${v}.`)))
      .sort();
    const missing = declared.filter((c) => !registered.includes(c));
    const undeclared = registered.filter((c) => !declared.includes(c));
    assert.deepStrictEqual(missing, [], `declared in package.json but not registered: ${missing.join(', ')}`);
    assert.deepStrictEqual(undeclared, [], `registered but not declared in package.json: ${undeclared.join(', ')}`);
  });
});
