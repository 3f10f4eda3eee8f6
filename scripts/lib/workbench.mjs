// Starts the real VS Code workbench the integration and end-to-end tests run in: the local Everflow sandbox,
// code-server (VS Code's server build) with a fresh profile, and Debian's Chromium driven by playwright-core.
// code-server only starts an extension host when a browser connects, so the browser is part of the
// harness even for the integration tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, onCleanup, spawnGroup, tail, trackDir, trackGroup, untrackDir, untrackGroup, waitForHttp, withTimeout } from './proc.mjs';
import { chromiumPath, logsDir, repoRoot } from './paths.mjs';
import { codeServerEntry, node24 } from './testhost.mjs';

/** User settings every test profile starts with: no welcome pages, tips, update checks or telemetry. */
export const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'window.restoreWindows': 'none',
  'files.autoSave': 'off',
};

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** The extension under test, read from the repository's package.json. */
export function extensionUnderTest() {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  return {
    id: `${pkg.publisher}.${pkg.name}`,
    folderName: `${pkg.publisher}.${pkg.name}-${pkg.version}`,
    dir: repoRoot,
    manifest: pkg,
  };
}

/** Starts the Everflow sandbox (test/sandbox/server.ts) in this process, through tsx. */
export async function startSandbox(opts = {}) {
  const file = path.join(repoRoot, 'test', 'sandbox', 'server.ts');
  if (!fs.existsSync(file)) throw new Error(`the sandbox is missing: ${path.relative(repoRoot, file)} does not exist`);
  const { tsImport } = await import('tsx/esm/api');
  const mod = await tsImport(pathToFileURL(file).href, import.meta.url);
  if (typeof mod.startSandbox !== 'function') throw new Error(`${file} does not export startSandbox()`);
  const sandbox = await mod.startSandbox(opts);
  onCleanup(() => sandbox.close());
  return sandbox;
}

/**
 * Creates a throw-away profile: user data dir with User/settings.json, an extensions dir holding the
 * given extensions (symlinked, or copied when `copy` is set), and a workspace folder with `files`.
 */
export function prepareProfile({ label = 'vscode', settings = {}, extensions = [], files = {} } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `everflow-${label}-`));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  const workspaceDir = path.join(root, 'workspace');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(workspaceDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...baseSettings, ...settings }, null, 2));
  for (const ext of extensions) {
    const target = path.join(extensionsDir, ext.folderName);
    if (ext.copy) fs.cpSync(ext.dir, target, { recursive: true });
    else fs.symlinkSync(ext.dir, target, 'dir');
  }
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(workspaceDir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  trackDir(root);
  const remove = () => {
    fs.rmSync(root, { recursive: true, force: true });
    untrackDir(root);
  };
  return { root, userDataDir, extensionsDir, workspaceDir, remove };
}

/**
 * Starts code-server on a free loopback port for `profile`; resolves once it answers HTTP. Workspace trust
 * is off (`--disable-workspace-trust`) unless `workspaceTrust` is set, for tests of Restricted Mode.
 */
export async function startCodeServer({ profile, logFile, timeoutMs = 60_000, workspaceTrust = false }) {
  if (!fs.existsSync(codeServerEntry) || !fs.existsSync(node24)) {
    throw new Error('code-server is not installed: run `npm run setup:testhost` first');
  }
  const port = await freePort();
  const configFile = path.join(profile.root, 'code-server.yaml');
  fs.writeFileSync(configFile, ''); // keeps code-server from writing ~/.config/code-server/config.yaml
  const args = [
    codeServerEntry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    profile.workspaceDir,
  ];
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|VSCODE_|ELECTRON_)/i.test(k)) env[k] = v;
  const proc = spawnGroup(node24, args, { logFile, env, cwd: profile.root });
  trackGroup(proc.child.pid, 'code-server');
  const unregister = onCleanup(
    () => proc.stop().then(() => untrackGroup(proc.child.pid)),
    () => proc.killSync(),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, { timeoutMs, proc, what: 'code-server' });
  } catch (e) {
    await proc.stop();
    untrackGroup(proc.child.pid);
    unregister();
    throw new Error(`${e.message}\n--- code-server log (${logFile}) ---\n${logFile ? tail(logFile) : ''}`);
  }
  return {
    url,
    port,
    pid: proc.child.pid,
    proc,
    async stop() {
      await proc.stop();
      untrackGroup(proc.child.pid);
      unregister();
    },
  };
}

/**
 * Opens the workbench for `folder` (or for the `.code-workspace` file `workspace`, a multi-root
 * workspace) in headless Chromium. Resolves when the workbench's DOM is there; `browserLog` collects
 * the page's console errors and crashes.
 */
export async function openWorkbench({ url, folder, workspace, browserLog, viewport = { width: 1280, height: 800 }, timeoutMs = 90_000 }) {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: run \`npm run setup:testhost\` (it installs Debian's chromium when run as root)`);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs, timeout: 60_000 });
  // Playwright starts Chromium as our child in its own process group, whose id is the browser's pid.
  const browserPid = childPids(chromiumPath).at(-1);
  trackGroup(browserPid, 'chromium');
  const closeBrowser = async () => {
    await withTimeout(browser.close(), 10_000, 'browser.close() timed out').catch(() => {});
    untrackGroup(browserPid);
  };
  const unregister = onCleanup(closeBrowser);
  const log = (line) => {
    if (browserLog) fs.appendFileSync(browserLog, `${new Date().toISOString()} ${line}\n`);
  };
  try {
    // Clipboard access as a person's browser would grant it (commands pre-fill inputs from the clipboard).
    const context = await browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    // Includes what the extension host logs to its console (VS Code forwards it to the page).
    page.on('console', (m) => log(`[console.${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => log(`[pageerror] ${e.message}`));
    page.on('crash', () => log('[crash] the page crashed'));
    const target = workspace ? `${url}/?workspace=${encodeURIComponent(workspace)}` : `${url}/?folder=${encodeURIComponent(folder)}`;
    await page.goto(target, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: timeoutMs });
    return {
      browser,
      context,
      page,
      async close() {
        await closeBrowser();
        unregister();
      },
    };
  } catch (e) {
    await closeBrowser();
    unregister();
    throw e;
  }
}

/** Pids of this process's children running `exe` (oldest first). */
function childPids(exe) {
  const pids = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      // /usr/bin/chromium is a shell script that execs /usr/lib/chromium/chromium (or runs it under /bin/sh).
      const argv = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (argv[0] === exe || argv[1] === exe || path.basename(argv[0]) === path.basename(exe)) pids.push(Number(name));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids.sort((a, b) => a - b);
}

/**
 * The events that activated extension `id`, one per extension host (so one per window load, in order),
 * from the extension hosts' logs under `logDir` (a profile's `user-data/logs`, or a copy of it).
 */
export function activationEvents(logDir, id) {
  const events = [];
  const re = new RegExp(`^(\\S+ \\S+) \\[info\\] ExtensionService#_doActivateExtension ${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, startup: \\w+, activationEvent: '([^']+)'`, 'gm');
  const walk = (dir) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost\.log$/.test(e.name)) for (const m of fs.readFileSync(p, 'utf8').matchAll(re)) events.push({ at: m[1], event: m[2] });
    }
  };
  walk(logDir);
  return events.sort((a, b) => a.at.localeCompare(b.at)).map((e) => e.event);
}

/** Copies the extension host and server logs of a profile to `dest` (for a failed run's post-mortem). */
export function collectVscodeLogs(profile, dest) {
  const src = path.join(profile.userDataDir, 'logs');
  if (!fs.existsSync(src)) return;
  fs.mkdirSync(dest, { recursive: true });
  fs.cpSync(src, dest, { recursive: true });
}

export function ensureLogsDir(sub) {
  const dir = sub ? path.join(logsDir, sub) : logsDir;
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
