import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inspectUpload } from '../../src/services/pipeline/image/inspect.js';
import { NEAR_DUPLICATE_MAX_DISTANCE, hammingDistance, isFeatureless } from '../../src/services/pipeline/image/perceptual-hash.js';
import { processImage } from '../../src/services/pipeline/image/process.js';
import { screenshotPng, solidImage, texturedImage } from '../helpers/images.js';

const MAX_PIXELS = 50_000_000;
const hashOf = async (bytes: Buffer) => (await inspectUpload(bytes, { maxPixels: MAX_PIXELS })).phash;

describe('perceptual hash (dHash)', () => {
  it('is 64 bits, the same from the upload check and from process_image', async () => {
    const bytes = await texturedImage(5);
    const fromUpload = await hashOf(bytes);
    expect(fromUpload).toMatch(/^[01]{64}$/);
    expect((await processImage(bytes, { maxPixels: MAX_PIXELS })).phash).toBe(fromUpload);
  });

  it('stays within the near-duplicate distance through re-encoding, resizing, brightness and EXIF rotation', async () => {
    const bytes = await texturedImage(6);
    const base = await hashOf(bytes);
    const variants = [
      await sharp(bytes).jpeg({ quality: 55 }).toBuffer(),
      await sharp(bytes).resize(200).png().toBuffer(),
      await sharp(bytes).modulate({ brightness: 1.1 }).webp().toBuffer(),
      // Stored sideways with an EXIF orientation that turns it upright again: the hash is of the upright image.
      await sharp(bytes).rotate(270).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
    ];
    for (const v of variants) expect(hammingDistance(base, await hashOf(v))).toBeLessThanOrEqual(NEAR_DUPLICATE_MAX_DISTANCE);
  });

  it('tells different pictures apart', async () => {
    const hashes = await Promise.all([1, 2, 3, 4].map(async (s) => hashOf(await texturedImage(s))));
    for (let i = 0; i < hashes.length; i++) {
      for (let j = i + 1; j < hashes.length; j++)
        expect(hammingDistance(hashes[i]!, hashes[j]!)).toBeGreaterThan(NEAR_DUPLICATE_MAX_DISTANCE);
    }
  });

  it('calls a one-tone image featureless (it takes no part in warnings)', async () => {
    expect(isFeatureless(await hashOf(await solidImage('png', 3)))).toBe(true);
    expect(isFeatureless(await hashOf(await screenshotPng(['Cursor', 'The AI code editor'])))).toBe(true);
    expect(isFeatureless(await hashOf(await texturedImage(7)))).toBe(false);
  });
});
