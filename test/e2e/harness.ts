// End-to-end harness: the real workbench (code-server) with the extension installed and the Everflow sandbox
// running, driven from the keyboard in headless Chromium as a person would, with helpers for the command
// palette, input boxes, notifications, hovers, the editor and screenshots.
//
// Use it from node:test files (test/e2e/*.test.ts, run by `npm run test:e2e`):
//   const wb = await startWorkbench({ label: 'lookup' });
//   await wb.runCommand('Everflow: Look Up Click by Transaction ID'); …
//   await wb.close();
import fs from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/server';
import { installToolProbe } from './toolProbe';

// The launch code is shared with scripts/run-integration.mjs. Those are ES modules and this file compiles
// as CommonJS, so they are loaded with import().
const loadLib = async () => {
  const [paths, workbench] = await Promise.all([import('../../scripts/lib/paths.mjs'), import('../../scripts/lib/workbench.mjs')]);
  return { ...paths, ...workbench };
};

export interface WorkbenchOptions {
  /** Names the logs folder and prefixes screenshots; keep it unique per test file. */
  label: string;
  /** User settings on top of the harness's (which already point `everflow.baseUrl` at the sandbox). */
  settings?: Record<string, unknown>;
  /** Extra workspace files, by relative path. The workspace always has `sample.log`. */
  files?: Record<string, string>;
  sandbox?: SandboxOptions;
  /**
   * Workspace trust on, with the folder left untrusted (Restricted Mode, no startup prompt). Off by default:
   * the harness passes --disable-workspace-trust.
   */
  restrictedMode?: boolean;
  /**
   * More folders, by name, each with its files: the window opens a multi-root workspace (a
   * `.code-workspace` file) of the usual folder, named "workspace", and these, in this order.
   */
  moreFolders?: Record<string, Record<string, string>>;
  /** Installs the test-only chat tool probe (toolProbe.ts), so the test can call the chat tools. */
  chatToolProbe?: boolean;
}

export interface QuickInputState {
  title: string;
  value: string;
  placeholder: string;
  message: string;
  password: boolean;
}

const DEFAULT_WAIT = 20_000;
/** F1 opens the palette at once when the keyboard is in the workbench; past this, runCommand recovers focus. */
const FIRST_PALETTE_WAIT = 5_000;

export class Workbench {
  /** The chat tool probe's folder, when the workbench was started with `chatToolProbe`. */
  toolProbeDir: string | undefined;
  /** The profile's VS Code user data (settings, logs). */
  userDataDir: string | undefined;

  private constructor(
    readonly page: Page,
    readonly sandbox: Sandbox,
    /** Transaction ids the sandbox knows; also in `sample.log` (line n + 2 holds sampleIds[n]). */
    readonly sampleIds: string[],
    readonly workspaceDir: string,
    readonly label: string,
    private readonly screenshotsDir: string,
    private readonly teardown: () => Promise<void>,
  ) {}

  static async start(opts: WorkbenchOptions): Promise<Workbench> {
    const cleanups: (() => Promise<void> | void)[] = [];
    const teardown = async (): Promise<void> => {
      for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch((e: unknown) => console.error(`e2e clean-up: ${String(e)}`));
      cleanups.length = 0;
    };
    try {
      const { collectVscodeLogs, ensureLogsDir, extensionUnderTest, openWorkbench, prepareProfile, screenshotsDir, startCodeServer } =
        await loadLib();
      const sandbox = await startSandbox(opts.sandbox ?? {});
      cleanups.push(() => sandbox.close());
      const sampleIds = sandbox.sampleIds(5);
      const profile = prepareProfile({
        label: `e2e-${opts.label}`,
        // Results open as JSON documents unless a test asks for the grid (`settings`), as the grid's test does.
        settings: { 'everflow.baseUrl': sandbox.url, 'everflow.results.openIn': 'json', ...opts.settings },
        extensions: [extensionUnderTest()],
        files: { 'sample.log': sampleLog(sampleIds), ...opts.files },
      });
      if (opts.restrictedMode) {
        const file = path.join(profile.userDataDir, 'User', 'settings.json');
        const trust = { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' };
        fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), ...trust }, null, 2));
      }
      cleanups.push(() => profile.remove());
      const probeDir = opts.chatToolProbe ? await installToolProbe(profile.extensionsDir) : undefined;
      const logs = ensureLogsDir(path.join('e2e', opts.label));
      cleanups.push(() => collectVscodeLogs(profile, path.join(logs, 'vscode')));
      const server = await startCodeServer({ profile, logFile: path.join(logs, 'code-server.log'), workspaceTrust: opts.restrictedMode === true });
      cleanups.push(() => server.stop());
      const wb = await openWorkbench({ url: server.url, folder: profile.workspaceDir, workspace: multiRoot(profile, opts.moreFolders), browserLog: path.join(logs, 'browser.log') });
      cleanups.push(() => wb.close());
      const workbench = new Workbench(wb.page, sandbox, sampleIds, profile.workspaceDir, opts.label, screenshotsDir, teardown);
      workbench.toolProbeDir = probeDir;
      workbench.userDataDir = profile.userDataDir;
      await workbench.waitForExtensions();
      return workbench;
    } catch (e) {
      await teardown();
      throw e;
    }
  }

  /**
   * Waits until the extension host has registered the extension (its activity-bar container shows) and
   * the extension is active (its account item shows in the status bar): in a window with no log open it
   * activates once the window has started (`onStartupFinished`), a moment after the workbench shows.
   */
  async waitForExtensions(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.activitybar [aria-label^="Everflow"]').first().waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.locator('.statusbar-item', { hasText: 'Everflow' }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** The events that activated the extension, one per extension host this window has had, in order (from their logs). */
  async activationEvents(): Promise<string[]> {
    const { activationEvents, extensionUnderTest } = await loadLib();
    return this.userDataDir ? activationEvents(path.join(this.userDataDir, 'logs'), extensionUnderTest().id) : [];
  }

  /** Everflow: Set API Key from the palette: the account name (the prefilled one unless given), then the key. */
  async enterApiKey(key: string, account?: string): Promise<void> {
    await this.runCommand('Everflow: Set API Key');
    await this.waitForQuickInput({ password: false });
    if (account !== undefined) await this.quickInputType(account);
    await this.quickInputAccept();
    await this.waitForQuickInput({ password: true });
    await this.quickInputType(key);
    await this.quickInputAccept();
  }

  /**
   * Answers VS Code's own save dialog (a quick input) with `file`, which must sit in the folder the
   * dialog suggests. The dialog opens with the suggested name selected (without its extension), so
   * typing replaces just the name; typing a whole path would walk its folders instead.
   */
  async answerSaveDialog(title: RegExp, file: string): Promise<void> {
    await this.waitForQuickInput({ title });
    const dir = path.dirname(file);
    await this.waitUntil(async () => {
      const value = (await this.quickInputState())?.value ?? '';
      return path.dirname(value) === dir && path.extname(value) === path.extname(file);
    }, `the save dialog to suggest a name in ${dir}`);
    await new Promise((r) => setTimeout(r, 300));
    await this.page.keyboard.type(path.basename(file, path.extname(file)));
    let typed = '';
    await this.waitUntil(async () => (typed = (await this.quickInputState())?.value ?? '') === file, () => `the typed path (the dialog shows ${typed})`);
    for (let i = 0; i < 3 && (await this.quickInputState()); i++) {
      await this.page.keyboard.press('Enter');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** enterApiKey, then the "saved" toast (not a loose /saved/: "The key was not saved" matches that). */
  async setApiKey(key: string = this.sandbox.keys.valid, account?: string): Promise<void> {
    await this.enterApiKey(key, account);
    await this.waitForNotification(/API key saved for account/, 30_000);
  }

  /**
   * F1, types `title`, waits until the highlighted entry is that command, then Enter. When F1 does not
   * open the palette within a few seconds (the keyboard is stuck in a webview or a closed dialog), focus
   * goes back to the editor area and it is tried once more, with the usual wait.
   */
  async runCommand(title: string): Promise<void> {
    await this.blurActiveElement();
    try {
      await this.runCommandOnce(title, FIRST_PALETTE_WAIT);
    } catch (e) {
      console.log(`[e2e] runCommand(${JSON.stringify(title)}): first try failed (${String(e).split('\n')[0].slice(0, 300)}); retrying`);
      await this.page.keyboard.press('Escape');
      await this.page.locator('.part.editor').first().click({ position: { x: 20, y: 60 }, timeout: 5_000 }).catch(() => undefined);
      await this.blurActiveElement();
      await this.runCommandOnce(title, DEFAULT_WAIT);
    }
  }

  private async blurActiveElement(): Promise<void> {
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()).catch(() => undefined);
  }

  private async runCommandOnce(title: string, paletteWaitMs: number): Promise<void> {
    await this.dismissQuickInput();
    await this.page.keyboard.press('F1');
    const input = this.quickInputBox();
    await input.waitFor({ state: 'visible', timeout: paletteWaitMs });
    await this.page.keyboard.type(title);
    const want = title.toLowerCase();
    let offered: string[] = [];
    await this.waitUntil(
      async () => {
        offered = await this.quickPickLabels();
        return ((await this.focusedQuickPickLabel()) ?? '').toLowerCase() === want;
      },
      () => `the command palette to offer "${title}" (it offers ${JSON.stringify(offered)})`,
    );
    const typed = await this.quickInputBox().inputValue();
    await this.page.keyboard.press('Enter');
    // The command's own input box may reuse the palette's widget: wait until the palette is gone from it.
    await this.waitUntil(async () => (await this.quickInputState())?.value !== typed, `the command palette to close after running "${title}"`);
  }

  /** Waits for an input box or quick pick to be open (optionally a password box, or one whose title matches). */
  async waitForQuickInput(opts: { password?: boolean; title?: RegExp } = {}): Promise<QuickInputState> {
    let last: QuickInputState | undefined;
    await this.waitUntil(
      async () => {
        last = await this.quickInputState();
        if (!last) return false;
        if (opts.password !== undefined && last.password !== opts.password) return false;
        if (opts.title && !opts.title.test(last.title)) return false;
        return true;
      },
      `an input box${opts.password ? ' (password)' : ''}${opts.title ? ` titled ${opts.title}` : ''} (now: ${JSON.stringify(last)})`,
    );
    return last!;
  }

  /** The open quick input's title, value, placeholder and message, or undefined when none is open. */
  async quickInputState(): Promise<QuickInputState | undefined> {
    const widget = this.page.locator('.quick-input-widget').first();
    if (!(await widget.isVisible())) return undefined;
    const input = this.quickInputBox();
    return {
      title: ((await widget.locator('.quick-input-title').first().textContent().catch(() => '')) ?? '').trim(),
      value: await input.inputValue().catch(() => ''),
      placeholder: (await input.getAttribute('placeholder').catch(() => '')) ?? '',
      message: ((await widget.locator('.quick-input-message').first().textContent().catch(() => '')) ?? '').trim(),
      password: (await input.getAttribute('type').catch(() => '')) === 'password',
    };
  }

  /** Replaces the text of the open input box with `text`, typed key by key. */
  async quickInputType(text: string): Promise<void> {
    const input = this.quickInputBox();
    await input.waitFor({ state: 'visible', timeout: DEFAULT_WAIT });
    await input.focus();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Backspace');
    await this.page.keyboard.type(text);
  }

  /** Enter in the open input box. */
  async quickInputAccept(): Promise<void> {
    await this.quickInputBox().waitFor({ state: 'visible', timeout: DEFAULT_WAIT });
    await this.page.keyboard.press('Enter');
  }

  /**
   * Chooses a colour theme in the theme picker and waits until the workbench has it for good. Typing in
   * the picker only previews the focused theme (a preview reverts when the picker closes otherwise), so
   * Enter waits for the named theme's row to be the focused one, and the wait ends with the picker closed.
   */
  async setColorTheme(name: string): Promise<void> {
    // The palette's first match for "Color Theme" is the Marketplace entry: pick the command's row itself.
    await this.page.keyboard.press('F1');
    await this.page.locator('.quick-input-widget input').first().waitFor({ state: 'visible' });
    await this.page.keyboard.type('Preferences: Color Theme');
    const command = this.page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]');
    await command.first().click();
    await this.waitUntil(async () => (await command.count()) === 0, 'the theme picker');
    await this.quickInputType(name);
    let focused: string | undefined;
    await this.waitUntil(async () => (focused = await this.focusedQuickPickLabel()) === name, () => `the ${name} theme focused in the picker (focused: ${focused})`);
    await this.quickInputAccept();
    await this.page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: DEFAULT_WAIT });
    const kind = /high contrast/i.test(name) ? (/light/i.test(name) ? 'hc-light' : 'hc-black') : /light/i.test(name) ? 'vs' : 'vs-dark';
    await this.waitUntil(async () => ((await this.page.locator('.monaco-workbench').first().getAttribute('class')) ?? '').split(/\s+/).includes(kind), `the workbench in the ${name} theme`);
  }

  /** The visible notification toasts' messages, newest last. */
  async readNotifications(): Promise<string[]> {
    const items = this.page.locator('.notifications-toasts .notification-list-item-message');
    return (await items.allTextContents()).map((t) => t.trim()).filter(Boolean);
  }

  /**
   * Every notification of this window: the toasts and the notification centre, where a toast goes once
   * it hides (after a while, or on Escape). Opens the centre to read it, then closes it again.
   */
  async readAllNotifications(): Promise<string[]> {
    const toasts = await this.readNotifications();
    await this.runCommand('Notifications: Show Notifications');
    const center = this.page.locator('.notifications-center');
    await center.first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
    const listed = (await center.locator('.notification-list-item-message').allTextContents()).map((t) => t.trim()).filter(Boolean);
    await this.runCommand('Notifications: Hide Notifications').catch(() => undefined);
    return [...new Set([...toasts, ...listed])];
  }

  /** Waits for a toast whose message matches `pattern`; returns its text. */
  async waitForNotification(pattern: RegExp, timeoutMs = DEFAULT_WAIT): Promise<string> {
    let found: string | undefined;
    let seen: string[] = [];
    await this.waitUntil(
      async () => {
        seen = await this.readNotifications();
        found = seen.find((m) => pattern.test(m));
        return found !== undefined;
      },
      () => `a notification matching ${pattern} (seen: ${JSON.stringify(seen)})`,
      timeoutMs,
    );
    return found!;
  }

  /** Saves a PNG of the page as test-results/screenshots/<label>-<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(this.screenshotsDir, { recursive: true });
    const file = path.join(this.screenshotsDir, `${this.label}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Quick Open (Ctrl+P): types a workspace-relative path and opens the file. */
  async openFile(relativePath: string): Promise<void> {
    const base = path.basename(relativePath).toLowerCase();
    // Quick Open lists files from a search it may have cached before the file was written: when it
    // does not offer the file, close it and ask again (a new Quick Open searches anew).
    for (let attempt = 1; ; attempt++) {
      await this.dismissQuickInput();
      await this.page.keyboard.press('ControlOrMeta+P');
      await this.quickInputBox().waitFor({ state: 'visible', timeout: DEFAULT_WAIT });
      await this.page.keyboard.type(relativePath);
      try {
        await this.waitUntil(
          async () => ((await this.focusedQuickPickLabel()) ?? '').toLowerCase().includes(base),
          `Quick Open to offer ${relativePath}`,
          attempt === 1 ? 10_000 : DEFAULT_WAIT,
        );
        break;
      } catch (e) {
        if (attempt >= 2) throw e;
        console.log(`[e2e] openFile(${relativePath}): Quick Open did not offer it; asking again`);
      }
    }
    await this.page.keyboard.press('Enter');
    await this.waitUntil(
      async () => ((await this.activeTabTitle()) ?? '').toLowerCase().includes(base) && (await this.activeEditorText()).trim() !== '',
      `${relativePath} to open in the editor`,
    );
  }

  /** Go to Line/Column (Ctrl+G) in the active editor; both 1-based. */
  async goto(line: number, column = 1): Promise<void> {
    await this.dismissQuickInput();
    await this.page.keyboard.press('Control+G');
    await this.quickInputBox().waitFor({ state: 'visible', timeout: DEFAULT_WAIT });
    await this.page.keyboard.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    let at: string | undefined;
    await this.waitUntil(
      async () => ((at = await this.cursorPosition()) ?? '').includes(`Ln ${line}, Col ${column}`),
      () => `the cursor to reach Ln ${line}, Col ${column} (the status bar shows ${JSON.stringify(at)})`,
    );
  }

  /** "Show or Focus Hover" from the palette, at the cursor; returns the hover's text. */
  async showHover(timeoutMs = DEFAULT_WAIT): Promise<string> {
    await this.runCommand('Show or Focus Hover');
    const loading = /\(?loading\.\.\.\)?/gi;
    let text = '';
    await this.waitUntil(
      async () => (text = (await this.hoverText()).replace(loading, '').trim()).length > 0,
      'a hover to show',
      timeoutMs,
    );
    // Other hover providers may still be "(loading...)": give them a moment, then take what is there.
    await this.waitUntil(async () => !/loading\.\.\./i.test(await this.hoverText()), 'hover providers to finish', 3000).catch(() => {});
    return (await this.hoverText()).replace(loading, '').trim() || text;
  }

  /** Text of the visible `.monaco-hover` elements ('' when none shows). */
  async hoverText(): Promise<string> {
    return this.page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.monaco-hover'))
        .filter((e) => e.offsetParent !== null && e.innerText.trim() !== '')
        .map((e) => e.innerText.trim())
        .join('\n'),
    );
  }

  /**
   * The rendered lines of the active editor, top to bottom. Monaco renders only what is on screen, so this
   * is the visible part of a long document.
   */
  async activeEditorText(): Promise<string> {
    return this.page.evaluate(() => {
      const editor =
        document.querySelector('.editor-group-container.active .monaco-editor') ?? document.querySelector('.monaco-editor');
      if (!editor) return '';
      const lines = Array.from(editor.querySelectorAll<HTMLElement>('.view-lines .view-line'));
      return lines
        .map((l) => ({ top: parseFloat(l.style.top) || 0, text: l.innerText }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text.replace(/\u00a0/g, ' '))
        .join('\n');
    });
  }

  /** Waits until the active editor shows text matching `pattern`; returns that text. */
  async waitForEditorText(pattern: RegExp, timeoutMs = DEFAULT_WAIT): Promise<string> {
    let text = '';
    await this.waitUntil(
      async () => pattern.test((text = await this.activeEditorText())),
      () => `the active editor to show ${pattern} (it shows ${JSON.stringify(text.slice(0, 300))})`,
      timeoutMs,
    );
    return text;
  }

  /** The active editor tab's label. */
  async activeTabTitle(): Promise<string | undefined> {
    const tab = this.page.locator('.editor-group-container.active .tab.active').first();
    if (!(await tab.count())) return undefined;
    return (await tab.getAttribute('aria-label')) ?? (await tab.textContent()) ?? undefined;
  }

  /** Closes an open quick input (Escape), if any. */
  async dismissQuickInput(): Promise<void> {
    if (await this.page.locator('.quick-input-widget').first().isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    }
  }

  /** Stops Chromium, code-server and the sandbox, saving a last screenshot and VS Code's logs first. */
  /**
   * Runs a saved query from the keyboard: its tree row selected, then Ctrl+Enter. The key only reaches
   * the view once the row is selected and focused, so this waits for that; a press that still got lost
   * (no run toast, where a sandbox run takes under a second) is pressed once more. Returns the toast.
   */
  async runQueryFromTree(row: ReturnType<Page['locator']>, name: string): Promise<string> {
    const ranToast = new RegExp(`"${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}": [\\d,]+ clicks in`);
    let done = '';
    for (let attempt = 1; attempt <= 2 && !done; attempt++) {
      await row.click();
      for (let i = 0; i < 50 && !/\bselected\b/.test((await row.getAttribute('class')) ?? ''); i++) await new Promise((r) => setTimeout(r, 100));
      await this.page.keyboard.press('Control+Enter');
      done = await this.waitForNotification(ranToast, attempt === 1 ? 20_000 : 60_000).catch((e: unknown) => {
        if (attempt === 2) throw e;
        return '';
      });
    }
    return done;
  }

  /** Developer: Reload Window, then waits for the workbench and the extensions to be back. */
  async reloadWindow(): Promise<void> {
    // Not runCommand: it waits for the palette to close, and the page it waits on goes away.
    await this.dismissQuickInput();
    await this.page.keyboard.press('F1');
    await this.quickInputBox().waitFor({ state: 'visible', timeout: DEFAULT_WAIT });
    await this.page.keyboard.type('Developer: Reload Window');
    await this.waitUntil(
      async () => ((await this.focusedQuickPickLabel()) ?? '').toLowerCase() === 'developer: reload window',
      'the command palette to offer Developer: Reload Window',
    );
    const reloaded = this.page.waitForEvent('framenavigated', { predicate: (f) => f === this.page.mainFrame(), timeout: 60_000 });
    await this.page.keyboard.press('Enter');
    await reloaded;
    await this.page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: 90_000 });
    await this.waitForExtensions();
  }

  async close(): Promise<void> {
    await this.screenshot('zz-final').catch(() => {});
    await this.teardown();
  }

  private quickInputBox() {
    return this.page.locator('.quick-input-widget .quick-input-box input').first();
  }

  private async focusedQuickPickLabel(): Promise<string | undefined> {
    const row = this.page.locator('.quick-input-list .monaco-list-row.focused').first();
    if (!(await row.count())) return undefined;
    const label = await row.locator('.label-name').first().textContent().catch(() => null);
    return (label ?? (await row.getAttribute('aria-label')) ?? '').replace(/\u00a0/g, ' ').trim();
  }

  private async quickPickLabels(): Promise<string[]> {
    const labels = await this.page.locator('.quick-input-list .monaco-list-row .label-name').allTextContents();
    return labels.slice(0, 5).map((l) => l.replace(/\u00a0/g, ' ').trim());
  }

  private async cursorPosition(): Promise<string | undefined> {
    const item = this.page.locator('#status\\.editor\\.selection').first();
    return (await item.count()) ? ((await item.textContent()) ?? undefined) : undefined;
  }

  private async waitUntil(check: () => Promise<boolean>, what: string | (() => string), timeoutMs = DEFAULT_WAIT): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${typeof what === 'function' ? what() : what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Starts the sandbox, code-server and Chromium, and returns a workbench to drive. */
export function startWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  return Workbench.start(opts);
}

/** A log file with a transaction id on lines 2 … n + 1, the kind a person hovers over. */
function sampleLog(ids: string[]): string {
  const lines = [
    '2024-05-01 12:00:00.120 INFO  tracker started',
    ...ids.map((id, i) => `2024-05-01 12:00:0${i + 1}.250 INFO  postback received transaction_id=${id} offer=${100 + i}`),
    '2024-05-01 12:00:09.999 WARN  postback without transaction id',
  ];
  return lines.join('\n') + '\n';
}

/** Writes the folders and a `.code-workspace` file naming them; undefined without `moreFolders`. */
function multiRoot(profile: { root: string; workspaceDir: string }, more: WorkbenchOptions['moreFolders']): string | undefined {
  if (!more) return undefined;
  const folders = [{ path: profile.workspaceDir, name: 'workspace' }];
  for (const [name, files] of Object.entries(more)) {
    const dir = path.join(profile.root, 'folders', name);
    for (const [rel, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    fs.mkdirSync(dir, { recursive: true });
    folders.push({ path: dir, name });
  }
  const file = path.join(profile.root, 'multi.code-workspace');
  fs.writeFileSync(file, JSON.stringify({ folders, settings: {} }, null, 2));
  return file;
}

/** The newest webview's document (a results grid, a query form): code-server nests it in two iframes. */
export function gridFrame(w: Workbench): FrameLocator {
  return w.page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
}

/** Polls `check` (a throw counts as not yet) until it holds; the error names what never came. */
export async function waitUntil(what: string | (() => string), check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await Promise.resolve().then(check).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
