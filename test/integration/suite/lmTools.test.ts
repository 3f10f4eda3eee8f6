import * as assert from 'assert';
import * as vscode from 'vscode';
import { extensionApi } from './helpers';

suite('Chat tools (language model tools)', () => {
  suiteSetup(async () => {
    await extensionApi();
  });

  test('the tools are registered and invokeTool reaches them', async () => {
    const names = vscode.lm.tools.map((t) => t.name).filter((n) => n.startsWith('everflow_')).sort();
    assert.deepStrictEqual(names, ['everflow_listSavedQueries', 'everflow_lookUpClicks', 'everflow_runClickStream', 'everflow_runSavedQuery', 'everflow_summarizeGrid']);
    const result = await vscode.lm.invokeTool('everflow_listSavedQueries', { input: {}, toolInvocationToken: undefined });
    const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.ok(text.length > 0, 'empty result');
  });
});
