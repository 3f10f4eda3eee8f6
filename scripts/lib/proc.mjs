// Small process helpers: free ports, child processes in their own process group (so a whole tree —
// code-server, its extension host, its pty host — can be killed at once), HTTP readiness polling, and a
// clean-up registry that runs on normal exit, on errors and on SIGINT/SIGTERM.
/* global fetch, AbortSignal */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `cmd` in a new process group with stdout/stderr appended to `logFile`. Returns the child and a
 * `stop()` that sends SIGTERM to the group, then SIGKILL after `graceMs`.
 */
export function spawnGroup(cmd, args, { logFile, env, cwd, graceMs = 3000 } = {}) {
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', out, out] });
  if (typeof out === 'number') fs.closeSync(out);
  let exited = child.exitCode !== null;
  const exitPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      exited = true;
      resolve({ code: null, signal: null, error });
    });
  });
  const pgid = child.pid;
  const killGroupSync = (signal) => {
    if (!pgid) return;
    try {
      process.kill(-pgid, signal);
    } catch {
      /* already gone */
    }
  };
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      killGroupSync('SIGTERM');
      const done = await Promise.race([exitPromise.then(() => true), sleep(graceMs).then(() => false)]);
      // Children of the group (the extension host) may outlive the leader: always finish with SIGKILL.
      killGroupSync('SIGKILL');
      if (!done) await Promise.race([exitPromise, sleep(2000)]);
    })());
  return { child, exit: exitPromise, stop, killSync: () => killGroupSync('SIGKILL'), get exited() { return exited; } };
}

/** Polls `url` until it answers with a status below 500, the process exits, or `timeoutMs` passes. */
export async function waitForHttp(url, { timeoutMs = 60_000, proc, what = url } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (proc?.exited) throw new Error(`${what} exited before it answered on ${url}`);
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer().catch(() => {});
      if (res.status < 500) return;
      lastError = `HTTP ${res.status}`;
    } catch (e) {
      lastError = e?.cause?.code ?? e?.message ?? String(e);
    }
    await sleep(250);
  }
  throw new Error(`${what} did not answer on ${url} within ${timeoutMs / 1000}s (last: ${lastError})`);
}

const cleanups = new Set();
const syncCleanups = new Set();
let hooked = false;

/**
 * Registers an async clean-up (run by `runCleanups()`, and on SIGINT/SIGTERM) and optionally a synchronous
 * last resort run at process exit (for when the async one never got a chance). Returns an unregister function.
 */
export function onCleanup(fn, syncFn) {
  hook();
  cleanups.add(fn);
  if (syncFn) syncCleanups.add(syncFn);
  return () => {
    cleanups.delete(fn);
    if (syncFn) syncCleanups.delete(syncFn);
  };
}

export async function runCleanups() {
  const fns = [...cleanups].reverse();
  cleanups.clear();
  for (const fn of fns) {
    try {
      await fn();
    } catch (e) {
      console.error(`clean-up failed: ${e?.message ?? e}`);
    }
  }
  for (const fn of syncCleanups) fn();
  syncCleanups.clear();
}

function hook() {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const fn of syncCleanups) {
      try {
        fn();
      } catch {
        /* best effort */
      }
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      console.error(`\nreceived ${sig}; stopping test processes`);
      const force = globalThis.setTimeout(() => process.exit(130), 8000);
      force.unref?.();
      runCleanups().finally(() => process.exit(130));
    });
  }
}

/** Rejects with `message` after `ms` unless `promise` settles first. */
export async function withTimeout(promise, ms, message) {
  let timer;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = globalThis.setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    globalThis.clearTimeout(timer);
  }
}

/** The last `maxLines` lines of a text file (for failure messages). */
export function tail(file, maxLines = 40) {
  try {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    return lines.slice(-maxLines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

// Process groups that outlive a test process killed by a timeout would keep ports and memory: a test
// process records the groups it starts in $EVERFLOW_PID_DIR (set by the runner), and the runner kills
// whatever is still recorded there when it finishes.
const PID_DIR_ENV = 'EVERFLOW_PID_DIR';

export function trackGroup(pgid, what) {
  const dir = process.env[PID_DIR_ENV];
  if (!dir || !pgid) return;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/${pgid}`, what);
  } catch {
    /* best effort */
  }
}

export function untrackGroup(pgid) {
  const dir = process.env[PID_DIR_ENV];
  if (!dir || !pgid) return;
  fs.rmSync(`${dir}/${pgid}`, { force: true });
}

/** Records a temp folder for the runner to delete if this process dies before it does. */
export function trackDir(dirPath) {
  const dir = process.env[PID_DIR_ENV];
  if (!dir) return;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/dir-${path.basename(dirPath)}`, dirPath);
  } catch {
    /* best effort */
  }
}

export function untrackDir(dirPath) {
  const dir = process.env[PID_DIR_ENV];
  if (dir) fs.rmSync(`${dir}/dir-${path.basename(dirPath)}`, { force: true });
}

/** Runner side: creates a fresh pid dir and returns the env var that points children at it. */
export function pidDirEnv(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return { [PID_DIR_ENV]: dir };
}

/** Runner side: SIGKILLs every process group still recorded in `dir` and deletes recorded temp folders; returns what it killed. */
export function killTrackedGroups(dir) {
  const killed = [];
  let entries = [];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return killed;
  }
  for (const name of entries) {
    if (name.startsWith('dir-')) {
      const leftover = fs.readFileSync(`${dir}/${name}`, 'utf8');
      // Only ever the harness's own temp profiles.
      if (path.dirname(leftover) === os.tmpdir() && path.basename(leftover).startsWith('everflow-')) {
        fs.rmSync(leftover, { recursive: true, force: true });
      }
      fs.rmSync(`${dir}/${name}`, { force: true });
      continue;
    }
    const pgid = Number(name);
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    const what = fs.readFileSync(`${dir}/${name}`, 'utf8');
    try {
      process.kill(-pgid, 'SIGKILL');
      killed.push(`${what} (group ${pgid})`);
    } catch {
      /* already gone */
    }
    fs.rmSync(`${dir}/${name}`, { force: true });
  }
  return killed;
}
