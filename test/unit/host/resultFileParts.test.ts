// The splitter of a kept result's bytes into the parts its reader takes (src/results/resultFileParts.ts),
// which runs on the host's thread or in the reader thread: whatever the chunks the bytes arrive in, the
// same parts come out, rows grouped into JSON arrays, and a file of the one-line form is one part.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUP_BYTES, PartSplitter, type FilePart } from '../../../src/results/resultFileParts';

function split(bytes: Buffer, sizes: (i: number) => number): FilePart[] {
  const s = new PartSplitter();
  const out: FilePart[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes(i));
    out.push(...s.push(bytes.subarray(at, at + n)));
    at += n;
  }
  out.push(...s.end());
  return out;
}

const rows = Array.from({ length: 400 }, (_, i) => ({ transaction_id: `t${i}`, sub1: i % 7 === 0 ? 'é ]} \u2028 '.repeat(i % 50) : `s${i}`, big: i === 123 ? 'x'.repeat(GROUP_BYTES + 5000) : undefined }));
const file = [`{"title":"t","request":{},"rows":[`, ...rows.map((r, i) => (i > 0 ? ',' : '') + JSON.stringify(r)), '],"exchanges":[', '{"method":"GET"}', ']}', ''].join('\n');

describe('PartSplitter', () => {
  it('gives the same parts whatever the chunks, and the rows read back in order', () => {
    const bytes = Buffer.from(file, 'utf8');
    const whole = split(bytes, () => bytes.length);
    assert.deepEqual(whole.map((p) => p.kind), ['head', ...whole.slice(1, -3).map(() => 'rows'), 'mark', 'rows', 'mark']);
    for (const sizes of [() => 1, (i: number) => (i * 7919) % 13, (i: number) => 1 + ((i * 104729) % 70_000)]) assert.deepEqual(split(bytes, sizes), whole);
    const read = whole.filter((p) => p.kind === 'rows').slice(0, -1).flatMap((p) => JSON.parse(p.text) as unknown[]);
    assert.deepEqual(read, JSON.parse(JSON.stringify(rows)));
    // Grouped, not a part per row: 400 small rows and one past GROUP_BYTES.
    assert.ok(whole.length < 20, `${whole.length} parts`);
  });
  it('gives a file of the older one-line form as one part, whole', () => {
    const old = JSON.stringify({ title: 't', request: {}, rows });
    const parts = split(Buffer.from(old), (i) => 1 + (i % 4096));
    assert.deepEqual(parts, [{ kind: 'whole', text: old }]);
  });
});
