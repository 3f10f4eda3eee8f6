// Reading a log from disk for "Look Up All": every distinct id once, in order of first sighting, a
// click once any sighting says so, progress in bytes, and Cancel ends the read at once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { scanFileForIds, type LineScanner } from '../../../src/host/fileIdScan';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ef-scan-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A scanner with one rule, enough to test the reader: `tid=` marks a click, any other 32-hex is a candidate. */
const simpleScanner = (): LineScanner & { lines: number } => {
  const s = {
    lines: 0,
    line(text: string) {
      s.lines++;
      return [...text.matchAll(/(tid=)?\b([0-9a-f]{32})\b/g)].map((m) => ({ id: m[2], kind: m[1] ? ('click' as const) : ('candidate' as const) }));
    },
  };
  return s;
};

const hex = (n: number): string => n.toString(16).padStart(32, '0');

describe('scanFileForIds', () => {
  it('collects each id once, in order, and promotes a candidate seen later with a click key', async () => {
    const file = path.join(dir, 'small.log');
    fs.writeFileSync(file, [`a ${hex(1)}`, `tid=${hex(2)}`, `tid=${hex(1)} again`, `b ${hex(3)}`, `tid=${hex(2)}`, `no newline ${hex(4)}`].join('\r\n'));
    const progress: number[] = [];
    const r = await scanFileForIds(file, simpleScanner(), { onProgress: (p) => progress.push(p.bytesRead), chunkBytes: 7 });
    assert.deepEqual(r.clickIds, [hex(1), hex(2)]);
    assert.deepEqual(r.candidateIds, [hex(3), hex(4)]);
    assert.equal(r.lines, 6);
    assert.equal(r.cancelled, false);
    assert.equal(r.bytesRead, fs.statSync(file).size);
    assert.equal(progress.at(-1), r.totalBytes, 'the last progress says everything was read');
  });

  it('stops reading when cancelled, keeping what was found', async () => {
    const file = path.join(dir, 'big.log');
    const line = (i: number): string => `2026-03-01T00:00:00Z GET /c?tid=${hex(i)} 200\n`;
    fs.writeFileSync(file, Array.from({ length: 200_000 }, (_, i) => line(i)).join(''));
    const controller = new AbortController();
    const scanner = simpleScanner();
    const r = await scanFileForIds(file, scanner, {
      signal: controller.signal,
      chunkBytes: 64 * 1024,
      progressEveryMs: 0,
      onProgress: (p) => {
        if (p.bytesRead >= 1024 * 1024) controller.abort();
      },
    });
    assert.equal(r.cancelled, true);
    assert.ok(r.bytesRead < r.totalBytes / 2, `read ${r.bytesRead} of ${r.totalBytes} bytes after Cancel`);
    assert.ok(r.clickIds.length > 10_000 && r.clickIds.length < 200_000, `${r.clickIds.length} ids kept`);
    assert.equal(scanner.lines, r.lines);
  });

  it('reports a missing file as an error, not as an empty result', async () => {
    await assert.rejects(scanFileForIds(path.join(dir, 'nope.log'), simpleScanner()), /ENOENT/);
  });
});
