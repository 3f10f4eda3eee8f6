// The test host's wait for Debian's package locks (scripts/lib/apt-lock.mjs), fed a /proc/locks table that
// names a lock file of the test's own by its device and inode.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';

function lockTable(file: string, pid: number): string {
  const st = fs.statSync(file);
  const dev = BigInt(st.dev);
  const major = (dev >> 8n) & 0xfffn;
  const minor = (dev & 0xffn) | ((dev >> 12n) & 0xfff00n);
  const hex = (n: bigint): string => n.toString(16).padStart(2, '0');
  return `1: POSIX  ADVISORY  WRITE 99999 00:00:1 0 EOF\n2: POSIX  ADVISORY  WRITE ${pid} ${hex(major)}:${hex(minor)}:${st.ino} 0 EOF\n`;
}

// scripts/lib is ES modules and these tests compile as CommonJS, so the module is loaded with import().
const load = () => import('../../../scripts/lib/apt-lock.mjs');
let lib: Awaited<ReturnType<typeof load>>;
before(async () => {
  lib = await load();
});

describe('waiting for the package locks', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apt-lock-'));
  const lock = path.join(dir, 'lock-frontend');
  fs.writeFileSync(lock, '');
  const table = path.join(dir, 'locks');

  test('finds the holder of a lock file by device and inode, and ignores other locks', () => {
    fs.writeFileSync(table, lockTable(lock, process.pid));
    assert.deepEqual(lib.aptLockHolders([lock, path.join(dir, 'absent')], table), [{ file: lock, pid: process.pid, command: fs.readFileSync('/proc/self/comm', 'utf8').trim() }]);
  });

  test('says that it waits, and goes on when the lock is released', async () => {
    fs.writeFileSync(table, lockTable(lock, process.pid));
    const said: string[] = [];
    const waiting = lib.waitForAptLocks({ log: (m: string) => said.push(m), files: [lock], procLocks: table, pollMs: 10 });
    await new Promise((r) => setImmediate(r));
    assert.match(said[0] ?? '', /waiting for another package manager to finish \(up to 10 minutes\): .+ \(pid \d+\) holds .*lock-frontend/);
    fs.writeFileSync(table, '');
    await waiting;
    assert.match(said[said.length - 1], /the package locks are free after \d+ s/);
  });

  test('gives up with the holder named after its timeout', async () => {
    fs.writeFileSync(table, lockTable(lock, process.pid));
    await assert.rejects(lib.waitForAptLocks({ log: () => undefined, files: [lock], procLocks: table, pollMs: 5, timeoutMs: 30 }), /still holds Debian's package locks .*lock-frontend/);
  });
});
