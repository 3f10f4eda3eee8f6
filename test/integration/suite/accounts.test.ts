import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { resetSandbox, sandboxState, testConfig } from './env';
import { activeResultText, closeAllEditors, extensionApi, removeAllAccounts } from './helpers';

suite('Accounts and API keys', () => {
  suiteSetup(async () => {
    await resetSandbox();
    await removeAllAccounts();
  });
  teardown(closeAllEditors);

  test('with no key, a look-up sends nothing', async () => {
    const before = (await sandboxState()).requestCount;
    const result = await vscode.commands.executeCommand('everflow.lookUpClick', testConfig().sampleIds[0]);
    assert.notStrictEqual(result, true);
    assert.strictEqual((await sandboxState()).requestCount, before, 'a request went out without a key');
  });

  test('a wrong key is checked against Everflow and not saved', async () => {
    const api = await extensionApi();
    const saved = await vscode.commands.executeCommand('everflow.setApiKey', { account: 'Wrong', key: 'not-a-real-key-000000' });
    assert.strictEqual(saved, false);
    assert.deepStrictEqual(await api.accountNames(), []);
  });

  test('a key of the wrong kind (403) is not saved either', async () => {
    const api = await extensionApi();
    const saved = await vscode.commands.executeCommand('everflow.setApiKey', { account: 'Network', key: testConfig().keys.forbidden });
    assert.strictEqual(saved, false);
    assert.deepStrictEqual(await api.accountNames(), []);
  });

  test('a valid key is saved and becomes the active account', async () => {
    const api = await extensionApi();
    const saved = await vscode.commands.executeCommand('everflow.setApiKey', { account: 'Main', key: testConfig().keys.valid });
    assert.strictEqual(saved, true);
    assert.deepStrictEqual(await api.accountNames(), ['Main']);
    assert.strictEqual(await api.activeAccountName(), 'Main');
  });

  test('the key is in no setting and no file of the workspace or user settings', async () => {
    const key = testConfig().keys.valid;
    const settings = JSON.stringify(vscode.workspace.getConfiguration('everflow'));
    assert.ok(!settings.includes(key), 'the key is in the everflow settings');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (entry.isFile() && fs.statSync(p).size < 5_000_000) files.push(p);
      }
    };
    walk(testConfig().workspaceFolder);
    for (const f of files) assert.ok(!fs.readFileSync(f, 'utf8').includes(key), `the key is in ${f}`);
  });

  test('a second account can be added, switched to and removed', async () => {
    const api = await extensionApi();
    assert.strictEqual(await vscode.commands.executeCommand('everflow.setApiKey', { account: 'Second', key: testConfig().keys.second }), true);
    assert.strictEqual(await api.activeAccountName(), 'Second');
    assert.strictEqual(await vscode.commands.executeCommand('everflow.switchAccount', { account: 'Main' }), true);
    assert.strictEqual(await api.activeAccountName(), 'Main');
    assert.strictEqual(await vscode.commands.executeCommand('everflow.removeAccount', { account: 'Second', confirm: false }), true);
    assert.deepStrictEqual(await api.accountNames(), ['Main']);
  });

  test('look-ups use the active account: an id of one account is not found with the other', async () => {
    const id = testConfig().sampleIds[0];
    assert.strictEqual(await vscode.commands.executeCommand('everflow.lookUpClick', id), true);
    const doc = JSON.parse(activeResultText());
    assert.strictEqual(doc.click.transaction_id, id);
    assert.strictEqual(doc.request.account, 'Main');
    assert.ok(!activeResultText().includes(testConfig().keys.valid), 'the key is in the result document');

    await vscode.commands.executeCommand('everflow.setApiKey', { account: 'Second', key: testConfig().keys.second });
    await closeAllEditors();
    assert.strictEqual(await vscode.commands.executeCommand('everflow.lookUpClick', id), false, 'found with the other account');
    await vscode.commands.executeCommand('everflow.switchAccount', { account: 'Main' });
  });

  test('clearing the last key leaves no account, and look-ups send nothing again', async () => {
    await removeAllAccounts();
    const api = await extensionApi();
    assert.deepStrictEqual(await api.accountNames(), []);
    const before = (await sandboxState()).requestCount;
    await vscode.commands.executeCommand('everflow.lookUpClick', testConfig().sampleIds[1]);
    assert.strictEqual((await sandboxState()).requestCount, before);
  });
});
