/** Small vector helpers shared by embedders, search and tests. */

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new Error(`vector length mismatch: ${a.length} vs ${b.length}`);
  }
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export function norm(a: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * a[i]!;
  return Math.sqrt(sum);
}

/**
 * Cosine of the angle between two vectors, in [-1, 1]. A zero vector has no direction, so its
 * similarity to anything is 0 rather than NaN (NaN would poison sorting and averages).
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const denominator = norm(a) * norm(b);
  if (denominator === 0) return 0;
  // Rounding can push the ratio a hair past ±1; clamp so callers can rely on the range.
  return Math.max(-1, Math.min(1, dot(a, b) / denominator));
}

/** Scales the vector to unit length in place and returns it; a zero vector stays zero. */
export function l2NormalizeInPlace<T extends { [i: number]: number; length: number }>(v: T): T {
  const length = norm(v);
  if (length === 0) return v;
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / length;
  return v;
}
