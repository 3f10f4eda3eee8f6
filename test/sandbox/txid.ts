// Transaction ids that look random but decode back to (day, index).
//
// Look-ups must be O(1): the sandbox cannot search every generated day for an id. So an id is a
// keyed, reversible scramble of a 128-bit block holding the UTC day number, the click's index within
// that day, and a 64-bit keyed checksum. Decoding unscrambles the block and recomputes the checksum;
// a random 32-hex string (or another account's id) fails the check with probability 1 − 2⁻⁶⁴ and
// becomes a 404, just as an unknown id does on Everflow.

import { hash32, mix32 } from './rng';

const ROUNDS = 6;

/** Encodes and decodes ids for one account (the account's seed keys both the scramble and the checksum). */
export class TxIdCodec {
  private readonly roundKeys: Uint32Array;
  private readonly checkKeys: [number, number];

  constructor(accountSeed: number) {
    this.roundKeys = new Uint32Array(ROUNDS * 2);
    for (let i = 0; i < this.roundKeys.length; i++) this.roundKeys[i] = hash32(accountSeed, 0x7e1d, i);
    this.checkKeys = [hash32(accountSeed, 0xc0de, 1), hash32(accountSeed, 0xc0de, 2)];
  }

  encode(day: number, index: number): string {
    const [c, d] = this.checksum(day, index);
    let w0 = day >>> 0;
    let w1 = index >>> 0;
    let w2 = c;
    let w3 = d;
    // Feistel network over two 64-bit halves (each kept as two uint32 words).
    for (let r = 0; r < ROUNDS; r++) {
      const [f0, f1] = this.round(w2, w3, r);
      const n0 = (w0 ^ f0) >>> 0;
      const n1 = (w1 ^ f1) >>> 0;
      w0 = w2;
      w1 = w3;
      w2 = n0;
      w3 = n1;
    }
    return hex8(w0) + hex8(w1) + hex8(w2) + hex8(w3);
  }

  /** Returns (day, index) for an id this codec made, or undefined for anything else. */
  decode(id: string): { day: number; index: number } | undefined {
    if (!/^[0-9a-f]{32}$/i.test(id)) return undefined;
    const s = id.toLowerCase();
    let w0 = parseInt(s.slice(0, 8), 16) >>> 0;
    let w1 = parseInt(s.slice(8, 16), 16) >>> 0;
    let w2 = parseInt(s.slice(16, 24), 16) >>> 0;
    let w3 = parseInt(s.slice(24, 32), 16) >>> 0;
    for (let r = ROUNDS - 1; r >= 0; r--) {
      const [f0, f1] = this.round(w0, w1, r);
      const p2 = w0;
      const p3 = w1;
      w0 = (w2 ^ f0) >>> 0;
      w1 = (w3 ^ f1) >>> 0;
      w2 = p2;
      w3 = p3;
    }
    const [c, d] = this.checksum(w0, w1);
    if (c !== w2 || d !== w3) return undefined;
    return { day: w0, index: w1 };
  }

  private checksum(day: number, index: number): [number, number] {
    const a = mix32((day ^ this.checkKeys[0]) + mix32(index ^ 0x5bd1e995));
    const b = mix32((index ^ this.checkKeys[1]) + mix32(day ^ 0x27d4eb2f) + a);
    return [a, b];
  }

  private round(x: number, y: number, r: number): [number, number] {
    const k0 = this.roundKeys[r * 2];
    const k1 = this.roundKeys[r * 2 + 1];
    const a = mix32((x ^ k0) >>> 0);
    const b = mix32(((y ^ k1) + a) >>> 0);
    return [mix32((a + b + r) >>> 0), b];
  }
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
