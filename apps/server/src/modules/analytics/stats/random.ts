/**
 * Seeded random numbers for the Monte-Carlo statistics: the same counts must always give the
 * same probability to be best, so the console never shows a figure that wobbles on refresh.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, from PractRand): 128 bits of
 * state, passes BigCrush, and is cheap in 32-bit JavaScript integer arithmetic.
 */
export function sfc32(seed: number): Random {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const step = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The first outputs still carry the seed's structure; discard them as the author recommends.
  for (let i = 0; i < 15; i++) step();
  return { next: () => step() / 4294967296 };
}

/** Standard normal by Marsaglia's polar method; the spare deviate is kept for the next call. */
export function normalSampler(random: Random): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    for (;;) {
      const u = random.next() * 2 - 1;
      const v = random.next() * 2 - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        spare = v * m;
        return u * m;
      }
    }
  };
}

/**
 * Gamma(shape, 1) by Marsaglia and Tsang (2000), "A simple method for generating gamma
 * variables". Shapes below 1 use the boost Gamma(a) = Gamma(a + 1) · U^(1/a).
 */
export function gammaSampler(random: Random): (shape: number) => number {
  const normal = normalSampler(random);
  const sample = (shape: number): number => {
    if (shape < 1) return sample(shape + 1) * Math.pow(1 - random.next(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - random.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  };
  return sample;
}

/** Beta(alpha, beta) as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta). */
export function betaSampler(random: Random): (alpha: number, beta: number) => number {
  const gamma = gammaSampler(random);
  return (alpha, beta) => {
    const x = gamma(alpha);
    const y = gamma(beta);
    return x / (x + y);
  };
}
