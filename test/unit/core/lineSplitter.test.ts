// The line splitter under "Look Up All" on files read from disk: lines come out whole and in order
// whatever the chunk boundaries, and no line (nor any id in it) grows or breaks past the limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter } from '../../../src/core/lineSplitter';

function split(chunks: string[], maxLine?: number): string[] {
  const out: string[] = [];
  const s = new LineSplitter((l) => out.push(l), maxLine);
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

/** Every way of cutting `text` into two chunks, plus one chunk per character. */
function everyCut(text: string): string[][] {
  const cuts: string[][] = [text.split('')];
  for (let i = 0; i <= text.length; i++) cuts.push([text.slice(0, i), text.slice(i)]);
  return cuts;
}

describe('LineSplitter', () => {
  it('splits \\n, \\r\\n and a lone \\r the same whatever the chunk boundaries', () => {
    const text = 'a=1\r\nb=2\nc=3\rd=4\r\n\r\ne=5';
    for (const chunks of everyCut(text)) {
      assert.deepEqual(split(chunks), ['a=1', 'b=2', 'c=3', 'd=4', '', 'e=5'], JSON.stringify(chunks));
    }
  });

  it('passes on a last line without a newline, and nothing for a trailing newline', () => {
    assert.deepEqual(split(['x\ny']), ['x', 'y']);
    assert.deepEqual(split(['x\n']), ['x']);
    assert.deepEqual(split(['x\r']), ['x']);
    assert.deepEqual(split(['']), []);
  });

  it('cuts an overlong line between tokens, never inside a 32-character id', () => {
    const id = '0123456789abcdef0123456789abcdef';
    const line = Array.from({ length: 50 }, (_, i) => `k${i}=${id}`).join(' ');
    for (const chunks of [[line], line.match(/.{1,7}/g)!]) {
      const out = split(chunks, 100);
      assert.ok(out.length > 1, 'the line was cut');
      for (const piece of out) assert.ok(piece.length <= 100, `a piece of ${piece.length}`);
      assert.equal(out.join(''), line, 'nothing lost or repeated');
      const ids = out.flatMap((p) => p.match(/[0-9a-f]{32}/g) ?? []);
      assert.equal(ids.length, 50, 'every id whole in one piece');
    }
  });

  it('cuts at the limit when a line has no place between tokens', () => {
    const out = split(['x'.repeat(250)], 100);
    assert.deepEqual(out.map((p) => p.length), [100, 100, 50]);
  });
});
