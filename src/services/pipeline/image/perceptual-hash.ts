import type { ImageSource } from './source.js';

/**
 * A difference hash (dHash): the image shrunk to 9×8 grey pixels, one bit per pair of
 * neighbours in a row (left brighter than right). 64 bits as a '0'/'1' string, the form
 * Postgres reads as `bit(64)`. Re-encoding, resizing and small brightness changes move a few
 * bits; a different picture moves about half.
 */
export async function differenceHash(source: ImageSource): Promise<string> {
  const grey = await source.pipeline().resize(9, 8, { fit: 'fill' }).greyscale().raw().toBuffer();
  let bits = '';
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) bits += grey[y * 9 + x]! > grey[y * 9 + x + 1]! ? '1' : '0';
  return bits;
}

/** How many of two hashes' bits differ. */
export function hammingDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) d++;
  return d;
}

/**
 * At most this many differing bits make two images near duplicates. Measured on the 55 golden
 * screenshots: unrelated pairs differ by 11 bits or more (1 % of pairs by ≤ 15); the same
 * screenshot re-encoded at half size, 10 % brighter, or cropped by 3 % top and bottom, by 0–10
 * (95 % ≤ 8). Pairs at 3–7 were the same video scrolled a little: near duplicates to a person too.
 */
export const NEAR_DUPLICATE_MAX_DISTANCE = 9;

/**
 * How many bits a hash needs set (and clear) to take part. A mostly one-tone image (a blank
 * page, a solid colour, a white screen with a few words) hashes to nearly all zeros, and all
 * such images would be "near duplicates" of each other. The 55 golden screenshots set 19–39.
 */
export const MIN_HASH_FEATURES = 12;

/** Whether a hash carries too little of the picture to compare (see MIN_HASH_FEATURES). */
export function isFeatureless(phash: string): boolean {
  const ones = [...phash].filter((b) => b === '1').length;
  return ones < MIN_HASH_FEATURES || phash.length - ones < MIN_HASH_FEATURES;
}
