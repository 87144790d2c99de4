/**
 * A seeded pseudo-random generator (sfc32) so that a failing fuzz or fault run can be replayed exactly:
 * every test prints its seed, and `RELIABILITY_SEED=<n>` replays it. Not for cryptography.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 16; i += 1) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i += 1) out[i] = this.int(0, 256);
    return out;
  }

  /** A derived generator, so that one part of a test does not shift the sequence of another. */
  fork(label: string): Prng {
    let h = this.seed >>> 0;
    for (const char of label) h = Math.imul(h ^ char.charCodeAt(0), 0x01000193) >>> 0;
    return new Prng(h);
  }
}

/** The run's seed: RELIABILITY_SEED when set (to replay a run), else a fresh one. */
export function runSeed(): number {
  const fixed = process.env['RELIABILITY_SEED'];
  if (fixed !== undefined && fixed !== '') return Number(fixed) >>> 0;
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}
