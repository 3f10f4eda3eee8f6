// Waits, with a bounded timeout, while another apt or dpkg process holds Debian's package locks, instead of
// failing at once with "Could not get lock /var/lib/dpkg/lock-frontend". The holders are read from
// /proc/locks (apt and dpkg take POSIX fcntl locks on these files), matched by device and inode.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const APT_LOCK_FILES = ['/var/lib/dpkg/lock-frontend', '/var/lib/dpkg/lock', '/var/lib/apt/lists/lock', '/var/cache/apt/archives/lock'];

/** The processes holding any of `files` locked now: [{ file, pid, command }]. */
export function aptLockHolders(files = APT_LOCK_FILES, procLocks = '/proc/locks') {
  let table;
  try {
    table = fs.readFileSync(procLocks, 'utf8');
  } catch {
    return []; // not Linux, or no /proc: nothing to wait for that we can see
  }
  const byInode = new Map();
  for (const file of files) {
    try {
      const st = fs.statSync(file);
      byInode.set(`${devId(st.dev)}:${st.ino}`, file);
    } catch {
      /* a lock file that does not exist is not held */
    }
  }
  const holders = [];
  for (const line of table.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 7394 fe:00:2147377 0 EOF" (a "->" marks a waiter, not a holder)
    const m = /^\d+:\s+(?:POSIX|OFDLCK|FLOCK)\s+\S+\s+\S+\s+(-?\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/i.exec(line);
    if (!m) continue;
    const file = byInode.get(`${parseInt(m[2], 16)}:${parseInt(m[3], 16)}:${m[4]}`);
    if (file) holders.push({ file, pid: Number(m[1]), command: commandOf(Number(m[1])) });
  }
  return holders;
}

/** "major:minor" of a stat dev number, as /proc/locks writes it (in hex there, in decimal here). */
function devId(dev) {
  const major = Number((BigInt(dev) >> 8n) & 0xfffn);
  const minor = Number((BigInt(dev) & 0xffn) | ((BigInt(dev) >> 12n) & 0xfff00n));
  return `${major}:${minor}`;
}

function commandOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

/**
 * Resolves once no apt/dpkg lock is held, saying (once, then every 30 s) that it waits and for whom;
 * throws after `timeoutMs`.
 */
export async function waitForAptLocks({ log, timeoutMs = 10 * 60_000, pollMs = 1000, files = APT_LOCK_FILES, procLocks } = {}) {
  const t0 = Date.now();
  let lastSaid = 0;
  for (;;) {
    const holders = aptLockHolders(files, procLocks);
    if (holders.length === 0) {
      if (lastSaid) log(`the package locks are free after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      return;
    }
    const who = [...new Set(holders.map((h) => `${h.command} (pid ${h.pid}) holds ${h.file}`))].join('; ');
    if (Date.now() - t0 > timeoutMs) throw new Error(`another package manager still holds Debian's package locks after ${Math.round(timeoutMs / 60_000)} minutes: ${who}`);
    if (Date.now() - lastSaid >= 30_000) {
      log(`waiting for another package manager to finish (up to ${Math.round(timeoutMs / 60_000)} minutes): ${who}`);
      lastSaid = Date.now();
    }
    await sleep(pollMs);
  }
}
