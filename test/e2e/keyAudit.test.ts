// Issue #7, the key, in the real workbench. A session of a person's work (set the key in the password box,
// look up, stream, open the grid, a server that echoes the key, a mistyped key) while every notification
// is collected as it shows and every message posted between the workbench and its webviews is searched
// in the frame that receives it. At the end the text of every frame, the collected notifications, the
// profile and the workspace on disk are searched for every key. Also: a user setting that points the base
// URL at a host that is not Everflow's asks first (Cancel sends nothing), and plain http to another host
// is refused with a message that says why.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { filesUnder, findInFile } from '../support/securityReport';
import { startWorkbench, type Workbench } from './harness';
import { clearNotifications, frameText, lookUp, record, runStream, setKey, setSettingInUi, waitUntil } from './securityProbe';

const MISTYPED = 'sbxMistypedKeyNeverSaved42';

let wb: Workbench | undefined;
let keys: string[] = [];
const notifications = new Set<string>();
let collector: ReturnType<typeof setInterval> | undefined;
const leaks: string[] = [];
let checks = 0;
let echoFaults = 0;
const webviewMessages = new Map<unknown, number>();
const messageHits = new Set<string>();

/**
 * Every frame (the workbench, each webview's outer and inner frame) counts the messages it receives and
 * notes any that holds a key. VS Code's webviews talk over MessagePorts after their first message, so
 * the ports' `onmessage` and `addEventListener('message')` are wrapped as well as the window's.
 */
function messageAudit(auditKeys: string[]): string {
  return `(() => {
    const keys = ${JSON.stringify(auditKeys)};
    const audit = { messages: 0, hits: [] };
    Object.defineProperty(window, '__everflowAudit', { value: audit });
    const inspect = (e) => {
      let text = '';
      try { text = typeof e.data === 'string' ? e.data : JSON.stringify(e.data); } catch { return; }
      audit.messages++;
      if (!text) return;
      for (let i = 0; i < keys.length; i++) if (text.includes(keys[i])) audit.hits.push('key #' + i + ' in a message to ' + location.origin);
    };
    window.addEventListener('message', inspect, true);
    const desc = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
    Object.defineProperty(MessagePort.prototype, 'onmessage', {
      configurable: true,
      get() { return desc.get.call(this); },
      set(fn) { desc.set.call(this, typeof fn === 'function' ? function (e) { inspect(e); return fn.call(this, e); } : fn); },
    });
    const add = MessagePort.prototype.addEventListener;
    MessagePort.prototype.addEventListener = function (type, listener, options) {
      if (type === 'message') add.call(this, 'message', inspect, options);
      return add.call(this, type, listener, options);
    };
  })();`;
}

before(
  async () => {
    wb = await startWorkbench({ label: 'key-audit', settings: { 'everflow.results.openIn': 'grid' } });
    const k = wb.sandbox.keys;
    keys = [k.valid, k.second, k.forbidden, MISTYPED];
    // Applies to every frame attached from now on: each webview (outer and inner frame) of this session.
    await wb.page.context().addInitScript({ content: messageAudit(keys) });
    // Toasts go away and webviews close: what they showed and received is collected as it happens.
    collector = setInterval(() => {
      void wb?.readNotifications().then((all) => all.forEach((n) => notifications.add(n)), () => undefined);
      for (const frame of wb?.page.frames() ?? []) {
        void frame
          .evaluate(() => (window as unknown as { __everflowAudit?: { messages: number; hits: string[] } }).__everflowAudit)
          .then((audit) => {
            if (!audit) return;
            webviewMessages.set(frame, Math.max(webviewMessages.get(frame) ?? 0, audit.messages));
            audit.hits.forEach((h) => messageHits.add(h));
          }, () => undefined);
      }
    }, 300);
  },
  { timeout: 180_000 },
);

after(async () => {
  if (collector) clearInterval(collector);
  record('keyAudit', {
    payloadsTried: 0,
    faultsInjected: echoFaults,
    leaksFound: leaks.length,
    checks,
    details: { keysSearchedFor: keys.length, notificationsRead: notifications.size, webviewMessagesSearched: [...webviewMessages.values()].reduce((a, b) => a + b, 0), leaks },
  });
  await wb?.close();
});

test('a working session with the key typed into the password box', { timeout: 180_000 }, async () => {
  const w = wb!;
  await setKey(w, w.sandbox.keys.valid, 'Audit');
  await w.waitForNotification(/API key saved for account/, 30_000);
  await lookUp(w, w.sampleIds[0]);
  await waitUntil('the click in the grid', async () => (await w.page.locator('iframe.webview.ready').count()) > 0, 30_000);
  await runStream(w, 'Last hour');
  await w.waitForNotification(/clicks in [\d.]+ s/, 60_000);
  await w.screenshot('01-session');
});

test('a server that echoes the key in a JSON error and in an HTML page: the toasts say [redacted]', { timeout: 120_000 }, async () => {
  const w = wb!;
  await clearNotifications(w);
  const before = w.sandbox.requestLog.length;
  w.sandbox.setKnobs({ errorText: 'API key {apiKey} is not allowed', fault: { kind: '500', count: -1, path: 'click' } });
  await lookUp(w, w.sampleIds[1]);
  const json = await w.waitForNotification(/server error/i, 60_000);
  assert.match(json, /API key \[redacted\] is not allowed/);
  w.sandbox.setKnobs({ errorText: '<b>Forwarded for key {apiKey}</b>', fault: { kind: 'html-error', count: -1, path: 'click' } });
  await lookUp(w, w.sampleIds[2]);
  const html = await w.waitForNotification(/Forwarded for key/, 60_000);
  assert.match(html, /Forwarded for key \[redacted\]/);
  echoFaults += w.sandbox.requestLog.length - before;
  w.sandbox.setKnobs({ errorText: null, fault: null });
  await w.screenshot('02-echo-redacted');
});

test('a mistyped key, repeated back by the server: refused, and written nowhere', { timeout: 120_000 }, async () => {
  const w = wb!;
  w.sandbox.setKnobs({ errorText: 'Invalid API key {apiKey}' });
  const before = w.sandbox.requestLog.length;
  await setKey(w, MISTYPED, 'Typo');
  const message = await w.waitForNotification(/did not accept this API key/i, 30_000);
  assert.match(message, /not saved/);
  assert.equal(w.sandbox.requestLog.length, before + 1, 'the check sent more or less than one request');
  w.sandbox.setKnobs({ errorText: null });
});

test('a user setting that points at a host that is not Everflow\'s: a dialog asks first; Cancel sends nothing', { timeout: 180_000 }, async () => {
  const w = wb!;
  await clearNotifications(w);
  await setSettingInUi(w, 'everflow.baseUrl', 'https://everflow-proxy.example');
  const before = w.sandbox.requestLog.length;
  await lookUp(w, w.sampleIds[3]);
  const dialog = w.page.locator('.monaco-dialog-box').first();
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  const text = ((await dialog.textContent()) ?? '').replace(/\s+/g, ' ');
  await w.screenshot('03-confirm-host');
  // Answered before anything is asserted: a dialog left open would block every later test.
  await dialog.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
  assert.match(text, /everflow-proxy\.example, which is not an Everflow API host/);
  assert.match(text, /Send your Everflow API key to everflow-proxy\.example\?/);
  assert.match(text, /api\.eflow\.team and api-eu\.eflow\.team/);
  const refused = await w.waitForNotification(/Nothing was sent/i, 30_000);
  assert.match(refused, /not confirmed/);
  // Nothing reached the sandbox, and nothing else could have: the key is read only after the answer.
  assert.deepEqual(w.sandbox.requestLog.slice(before), []);
});

test('plain http to another host is refused with a message that says why; loopback still works', { timeout: 180_000 }, async () => {
  const w = wb!;
  await clearNotifications(w);
  await setSettingInUi(w, 'everflow.baseUrl', 'http://evil.example');
  const before = w.sandbox.requestLog.length;
  await lookUp(w, w.sampleIds[4]);
  const message = await w.waitForNotification(/plain http/i, 30_000);
  assert.match(message, /evil\.example, which would send your API key unencrypted; use https:\/\//);
  await w.screenshot('04-plain-http');
  assert.deepEqual(w.sandbox.requestLog.slice(before), []);
  await setSettingInUi(w, 'everflow.baseUrl', w.sandbox.url);
  await lookUp(w, w.sampleIds[4]);
  await waitUntil('the look-up to reach the sandbox', async () => w.sandbox.requestLog.length > before, 30_000);
});

test('no key in any notification, frame, webview message, or file of the profile and workspace', { timeout: 120_000 }, async () => {
  const w = wb!;
  await new Promise((r) => setTimeout(r, 500));
  const found: string[] = [];
  for (const n of notifications) {
    checks++;
    const i = keys.findIndex((k) => n.includes(k));
    if (i >= 0) found.push(`notification "${n.slice(0, 80)}" (key #${i})`);
  }
  for (const frame of w.page.frames()) {
    checks++;
    const text = await frameText(frame);
    // The quick input keeps what was last typed in its (hidden) password box until it is reused; that is
    // VS Code's widget, not anything the extension wrote, so password boxes are left out.
    const i = keys.findIndex((k) => text.includes(k));
    if (i >= 0) {
      const withoutPassword = await frame
        .evaluate((ks: string[]) => {
          const clone = document.documentElement.innerText;
          return ks.findIndex((k) => clone.includes(k));
        }, keys)
        .catch(() => -1);
      const inputs = await frame
        .evaluate((ks: string[]) => Array.from(document.querySelectorAll('input')).filter((el) => el.type !== 'password' && ks.some((k) => el.value.includes(k) || el.getAttribute('value')?.includes(k))).length, keys)
        .catch(() => 0);
      if (withoutPassword >= 0 || inputs > 0) found.push(`frame ${frame.url().slice(0, 80)} (key #${i})`);
    }
  }
  const messages = [...webviewMessages.values()].reduce((a, b) => a + b, 0);
  checks += messages;
  found.push(...messageHits);
  const root = path.dirname(w.workspaceDir);
  const files = filesUnder(root, (p) => p === path.join(root, 'extensions'));
  checks += files.length;
  for (const f of files) found.push(...findInFile(f, keys).map((h) => `file ${h}`));
  leaks.push(...found);
  assert.ok(notifications.size >= 5, `only ${notifications.size} notifications were read`);
  assert.ok(messages > 0, 'no webview message was seen (is the audit hook in the webviews?)');
  assert.ok(files.some((f) => f.endsWith(path.join('User', 'settings.json'))) && files.some((f) => /Everflow\.log$/.test(f)), 'the settings file or the log was not searched');
  assert.ok(fs.existsSync(w.workspaceDir));
  assert.deepEqual(found, []);
});
