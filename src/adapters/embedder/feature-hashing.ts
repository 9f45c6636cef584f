/**
 * Signed feature hashing ("the hashing trick"): each feature name picks slots and signs from
 * its hash, so no vocabulary is stored and any text maps to a fixed-size vector. The sign makes
 * collisions cancel out on average instead of piling up.
 *
 * With only a few hundred slots, two words landing in the same slot is common, and for a
 * one-word query such a collision can swing the cosine by ±0.5. Spreading each feature over a
 * few slots (each with 1/√k of the value) keeps the vector's length and the average noise the
 * same, but makes any single collision k times smaller.
 */

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, then murmur3's finaliser so every output bit is well mixed. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/**
 * Adds `value` for the feature into `vector`, spread over `slotsPerFeature` slots. Each slot
 * comes from the low bits of a derived hash (via modulo) and its sign from the top bit, so slot
 * and sign are independent.
 */
export function addHashedFeature(vector: Float64Array, name: string, value: number, slotsPerFeature = 1): void {
  const base = hash32(name);
  const share = value / Math.sqrt(slotsPerFeature);
  for (let k = 0; k < slotsPerFeature; k++) {
    // Golden-ratio steps give each derived hash an unrelated starting point.
    const h = k === 0 ? base : fmix32((base + Math.imul(k, 0x9e3779b9)) >>> 0);
    vector[h % vector.length]! += h & 0x80000000 ? -share : share;
  }
}
