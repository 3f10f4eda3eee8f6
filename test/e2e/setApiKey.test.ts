// A person's first minutes: set the sandbox's API key from the Command Palette, then look up a click by its
// transaction id and see it as JSON. Screenshots of every step land in test-results/screenshots/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWorkbench, type Workbench } from './harness';

let wb: Workbench | undefined;

before(async () => {
  wb = await startWorkbench({ label: 'set-api-key' });
}, { timeout: 180_000 });

after(async () => {
  await wb?.close();
});

test('Set API Key saves the key, and Look Up Click shows the click as JSON', { timeout: 180_000 }, async () => {
  const w = wb!;
  await w.screenshot('01-workbench');

  await w.runCommand('Everflow: Set API Key');
  const nameBox = await w.waitForQuickInput({ password: false });
  assert.equal(nameBox.value, 'Default', 'the account name box is prefilled with "Default"');
  await w.screenshot('02-account-name');
  await w.quickInputAccept();

  await w.waitForQuickInput({ password: true });
  await w.quickInputType(w.sandbox.keys.valid);
  await w.screenshot('03-api-key');
  await w.quickInputAccept();

  const saved = await w.waitForNotification(/saved/i, 30_000);
  assert.match(saved, /saved/i);
  await w.screenshot('04-key-saved');

  const id = w.sampleIds[0];
  await w.runCommand('Everflow: Look Up Click by Transaction ID');
  await w.waitForQuickInput({ title: /Look Up Click/i });
  await w.quickInputType(id);
  await w.screenshot('05-transaction-id');
  await w.quickInputAccept();

  const text = await w.waitForEditorText(new RegExp(`"transaction_id"\\s*:\\s*"${id}"`), 30_000);
  assert.match(text, new RegExp(id));
  await w.screenshot('06-click-json');
});
