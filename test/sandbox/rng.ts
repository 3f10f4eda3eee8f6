// Small, fast, seedable randomness. The sandbox must produce the same clicks for the same seed on
// every run and every machine, and must be able to rebuild any single click from (day, index) alone,
// so everything here is a pure function of its inputs: no Math.random, no global state.

/** A 32-bit integer mixer (the murmur3 finaliser): spreads every input bit over every output bit. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Hashes a few 32-bit numbers into one; order matters. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) h = mix32(h ^ mix32((p >>> 0) + 0x7f4a7c15));
  return h;
}

/** Hashes a string (for seeding from request bodies and names). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/**
 * sfc32: a tiny generator with a 128-bit state, good enough for test data and far faster than
 * anything cryptographic. One instance is reseeded per click so a click never depends on another.
 */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(...seed: number[]) {
    this.reseed(...seed);
  }

  reseed(...seed: number[]): this {
    const h = hash32(...seed);
    this.a = h;
    this.b = mix32(h ^ 0x6a09e667);
    this.c = mix32(h ^ 0xbb67ae85);
    this.d = 1;
    // A few warm-up rounds so nearby seeds diverge immediately.
    for (let i = 0; i < 8; i++) this.u32();
    return this;
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  hex(chars: number): string {
    let s = '';
    while (s.length < chars) s += this.u32().toString(16).padStart(8, '0');
    return s.slice(0, chars);
  }
}

/**
 * A weighted choice table built once: `pick(rng)` returns an index with probability proportional to
 * its weight. Lists here are short (≤ 40), so a linear scan beats anything cleverer.
 */
export class Weighted {
  private readonly cumulative: Float64Array;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
    for (let i = 0; i < weights.length; i++) this.cumulative[i] /= sum;
  }

  pick(rng: Rng): number {
    const u = rng.next();
    const c = this.cumulative;
    for (let i = 0; i < c.length; i++) if (u < c[i]) return i;
    return c.length - 1;
  }
}
