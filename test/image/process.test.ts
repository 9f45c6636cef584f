import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/domain/errors.js';
import { ImageRejectedError } from '../../src/services/pipeline/image/errors.js';
import { ANALYSIS_MAX_BYTES, prepareForAnalysis, processImage, sha256Hex } from '../../src/services/pipeline/image/process.js';
import { withIrot } from './heif-boxes.js';
import { noise, noisy, quadrants, sampleHeic, solid } from './images.js';

const process = (bytes: Buffer, maxPixels = 100_000_000) => processImage(bytes, { maxPixels });

async function pixelAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}
const close = (actual: number[], expected: number[], tolerance = 40) => actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);

describe('processImage: sizes and formats', () => {
  it('makes a 512×512 WebP thumbnail of a 4000×3000 JPEG and keeps the analysis image at full size', async () => {
    const jpeg = await solid(4000, 3000).jpeg({ quality: 80 }).toBuffer();
    const out = await process(jpeg);
    expect([out.width, out.height]).toEqual([4000, 3000]);
    expect(await sharp(out.thumbnail).metadata()).toMatchObject({ format: 'webp', width: 512, height: 512 });
    expect(out.analysisImage.mimeType).toBe('image/jpeg');
    expect(await sharp(out.analysisImage.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 4000, height: 3000 });
    expect(out.facts).toEqual({ format: 'jpeg', width: 4000, height: 3000, captured_at: null, gps: null, camera: null });
  });

  it('caps the analysis image at 4096 px on the long edge', async () => {
    const out = await process(await solid(6000, 1500).jpeg().toBuffer());
    expect(await sharp(out.analysisImage.bytes).metadata()).toMatchObject({ width: 4096, height: 1024 });
    expect([out.width, out.height]).toEqual([6000, 1500]);
  });

  it('never enlarges a tiny image', async () => {
    const out = await process(await solid(10, 10).png().toBuffer());
    expect(await sharp(out.thumbnail).metadata()).toMatchObject({ format: 'webp', width: 10, height: 10 });
    expect(await sharp(out.analysisImage.bytes).metadata()).toMatchObject({ width: 10, height: 10 });
  });

  it('sends PNG to the model for screenshots and transparency, JPEG for photos', async () => {
    const screenshot = await process(await solid(300, 200).png().toBuffer());
    expect(screenshot.analysisImage.mimeType).toBe('image/png');

    const rgba = sharp(noise(64, 64, 4), { raw: { width: 64, height: 64, channels: 4 } });
    const transparentWebp = await process(await rgba.webp().toBuffer());
    expect(transparentWebp.analysisImage.mimeType).toBe('image/png');
    expect((await sharp(transparentWebp.analysisImage.bytes).metadata()).hasAlpha).toBe(true);
    expect((await sharp(transparentWebp.thumbnail).metadata()).hasAlpha).toBe(true);

    const gif = await process(await solid(50, 30).gif().toBuffer());
    expect(gif.analysisImage.mimeType).toBe('image/png');
    expect(gif.facts.format).toBe('gif');

    const photoWebp = await process(await noisy(120, 80).webp().toBuffer());
    expect(photoWebp.analysisImage.mimeType).toBe('image/jpeg');
    expect(photoWebp.facts.format).toBe('webp');
  });

  it('falls back to JPEG when a lossless PNG would be too big for providers', async () => {
    const out = await process(await noisy(2000, 1500).png({ compressionLevel: 1 }).toBuffer());
    expect(out.analysisImage.mimeType).toBe('image/jpeg');
    expect(out.analysisImage.bytes.length).toBeLessThanOrEqual(ANALYSIS_MAX_BYTES);
  });

  it('shrinks a photo whose JPEG would still be too big (pure noise: ~10 MB at 12 MP)', async () => {
    const out = await process(await noisy(4000, 3000).jpeg({ quality: 90 }).toBuffer());
    expect(out.analysisImage.mimeType).toBe('image/jpeg');
    expect(out.analysisImage.bytes.length).toBeLessThanOrEqual(ANALYSIS_MAX_BYTES);
    const { width, height } = await sharp(out.analysisImage.bytes).metadata();
    expect(Math.max(width, height)).toBeLessThan(4000);
    expect([out.width, out.height]).toEqual([4000, 3000]); // the item's size is the original's
  });

  it('hashes the original bytes', async () => {
    const png = await solid(8, 8).png().toBuffer();
    const expected = createHash('sha256').update(png).digest('hex');
    expect(sha256Hex(png)).toBe(expected);
    expect((await process(png)).sha256).toBe(expected);
  });
});

describe('prepareForAnalysis', () => {
  it('gives the analyze step what processImage gives, without making a thumbnail, and rejects what is no image', async () => {
    const jpeg = await quadrants(40, 20).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const full = await process(jpeg);
    const prepared = await prepareForAnalysis(jpeg, { maxPixels: 100_000_000 });
    expect(Object.keys(prepared).sort()).toEqual(['analysisImage', 'facts']);
    expect(prepared.facts).toEqual(full.facts);
    expect(prepared.analysisImage.mimeType).toBe(full.analysisImage.mimeType);
    expect(await sharp(prepared.analysisImage.bytes).metadata()).toMatchObject({ width: 20, height: 40 });
    await expect(prepareForAnalysis(Buffer.from('not an image'), { maxPixels: 1000 })).rejects.toBeInstanceOf(ImageRejectedError);
  });
});

describe('processImage: the thumbnail shows the content', () => {
  /** Share of an image's pixels of which `test` holds. */
  async function share(image: Buffer, test: (r: number, g: number, b: number) => boolean): Promise<number> {
    const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    let n = 0;
    for (let i = 0; i < data.length; i += info.channels) if (test(data[i]!, data[i + 1]!, data[i + 2]!)) n++;
    return n / (info.width * info.height);
  }
  const reddish = (r: number, _g: number, b: number) => r > b + 40;
  const bluish = (r: number, _g: number, b: number) => b > r + 40;

  it('crops a phone screenshot to its content, not its status bar or the centre', async () => {
    // 1170×2532, white: a busy, saturated status bar on top (what draws the eye most), and the
    // post's photo low on the screen. A centre crop would show mostly white; the bar must not show.
    const [width, height] = [1170, 2532];
    const bar = await sharp(noise(width, 110), { raw: { width, height: 110, channels: 3 } })
      .tint('#ff0000')
      .png()
      .toBuffer();
    const photo = await sharp(noise(900, 500, 3, 7), { raw: { width: 900, height: 500, channels: 3 } })
      .tint('#0000ff')
      .png()
      .toBuffer();
    const screenshot = await solid(width, height, '#ffffff')
      .composite([
        { input: bar, left: 0, top: 0 },
        { input: photo, left: 135, top: 1700 },
      ])
      .png()
      .toBuffer();
    const out = await process(screenshot);
    expect(await sharp(out.thumbnail).metadata()).toMatchObject({ width: 512, height: 512 });
    // The test image itself: the bar is red, the photo blue.
    expect(await share(await sharp(screenshot).extract({ left: 0, top: 0, width, height: 110 }).toBuffer(), reddish)).toBeGreaterThan(0.3);
    expect(await share(out.thumbnail, bluish)).toBeGreaterThan(0.2);
    expect(await share(out.thumbnail, reddish)).toBe(0);
  });
});

describe('processImage: orientation', () => {
  it('turns an EXIF orientation 6 JPEG upright: width and height swap everywhere', async () => {
    // 40×20 stored, "rotate 90° clockwise to view" → 20×40 as seen.
    const jpeg = await quadrants(40, 20).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const out = await process(jpeg);
    expect([out.width, out.height]).toEqual([20, 40]);
    expect([out.facts.width, out.facts.height]).toEqual([20, 40]);
    expect(await sharp(out.thumbnail).metadata()).toMatchObject({ width: 20, height: 40 });
    const analysis = await sharp(out.analysisImage.bytes).metadata();
    expect([analysis.width, analysis.height, analysis.orientation]).toEqual([20, 40, undefined]);
    // Clockwise turn: the stored bottom-left (blue) is now top-left.
    expect(close(await pixelAt(out.analysisImage.bytes, 2, 2), [0, 0, 255])).toBe(true);
  });
});

describe('processImage: EXIF facts', () => {
  it('reads capture time, GPS and camera that sharp wrote', async () => {
    const jpeg = await solid(32, 24)
      .jpeg()
      .withExif({
        IFD0: { Make: 'Canon', Model: 'Canon EOS R5' },
        IFD2: { DateTimeOriginal: '2023:07:14 10:22:33', OffsetTimeOriginal: '+02:00' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '48/1 51/1 2964/100',
          GPSLongitudeRef: 'W',
          GPSLongitude: '2/1 17/1 4020/100',
        },
      })
      .toBuffer();
    const { facts } = await process(jpeg);
    expect(facts.captured_at).toBe('2023-07-14T08:22:33.000Z');
    expect(facts.gps?.latitude).toBeCloseTo(48.858233, 5);
    expect(facts.gps?.longitude).toBeCloseTo(-2.2945, 5);
    expect(facts.camera).toBe('Canon EOS R5');
  });

  it('keeps the wall-clock time as UTC when the camera wrote no offset, and falls back to CreateDate', async () => {
    const withOriginal = await solid(8, 8)
      .jpeg()
      .withExif({ IFD2: { DateTimeOriginal: '2020:02:29 23:59:58' } })
      .toBuffer();
    expect((await process(withOriginal)).facts.captured_at).toBe('2020-02-29T23:59:58.000Z');
    const digitizedOnly = await solid(8, 8)
      .jpeg()
      .withExif({ IFD2: { DateTimeDigitized: '2019:12:31 08:00:00' } })
      .toBuffer();
    expect((await process(digitizedOnly)).facts.captured_at).toBe('2019-12-31T08:00:00.000Z');
  });

  it('treats blank or impossible dates as unknown', async () => {
    for (const value of ['0000:00:00 00:00:00', '2021:02:31 10:00:00', 'yesterday']) {
      const jpeg = await solid(8, 8)
        .jpeg()
        .withExif({ IFD2: { DateTimeOriginal: value } })
        .toBuffer();
      expect((await process(jpeg)).facts.captured_at).toBeNull();
    }
  });

  it('reads EXIF from PNG and WebP too', async () => {
    const exif = { IFD0: { Make: 'Google', Model: 'Pixel 8' }, IFD2: { DateTimeOriginal: '2024:01:02 03:04:05' } };
    for (const bytes of [await solid(8, 8).png().withExif(exif).toBuffer(), await solid(8, 8).webp().withExif(exif).toBuffer()]) {
      const { facts } = await process(bytes);
      expect([facts.camera, facts.captured_at]).toEqual(['Google Pixel 8', '2024-01-02T03:04:05.000Z']);
    }
  });
});

describe('processImage: HEIC', () => {
  it('decodes HEVC HEIC through heic-decode and reads its EXIF', async () => {
    const out = await process(sampleHeic());
    expect([out.width, out.height]).toEqual([60, 40]);
    expect(out.facts).toMatchObject({
      format: 'heic',
      width: 60,
      height: 40,
      captured_at: '2024-05-06T07:08:09.000Z',
      camera: 'Apple iPhone 15',
    });
    expect(out.facts.gps?.latitude).toBeCloseTo(-33.8599, 4);
    expect(out.facts.gps?.longitude).toBeCloseTo(151.21133, 4);
    expect(await sharp(out.thumbnail).metadata()).toMatchObject({ format: 'webp', width: 60, height: 40, hasAlpha: false });
    expect(out.analysisImage.mimeType).toBe('image/jpeg');
    expect(close(await pixelAt(out.analysisImage.bytes, 5, 5), [220, 200, 90])).toBe(true);
    expect(close(await pixelAt(out.analysisImage.bytes, 55, 35), [20, 30, 90])).toBe(true);
  });

  it('applies the container rotation (irot), as on iPhone portrait photos', async () => {
    // irot 1 = 90° anticlockwise: stored top-left ends up bottom-left, top-right ends up top-left.
    const out = await process(withIrot(sampleHeic(), 1));
    expect([out.width, out.height]).toEqual([40, 60]);
    expect(await sharp(out.thumbnail).metadata()).toMatchObject({ width: 40, height: 60 });
    expect(close(await pixelAt(out.analysisImage.bytes, 5, 55), [220, 200, 90])).toBe(true);
    expect(close(await pixelAt(out.analysisImage.bytes, 5, 5), [20, 200, 90])).toBe(true);
  });
});

describe('processImage: refusals are permanent', () => {
  it.each([
    ['an empty file', () => Promise.resolve(Buffer.alloc(0)), 'empty_file'],
    ['text', () => Promise.resolve(Buffer.from('not an image')), 'unsupported_media_type'],
    [
      'a truncated JPEG',
      async () => {
        const jpeg = await noisy(200, 150).jpeg().toBuffer();
        return jpeg.subarray(0, jpeg.length >> 1);
      },
      'invalid_image',
    ],
  ])('%s → ImageRejectedError (a PermanentError, so not retried)', async (_name, make, code) => {
    const err = await process(await make()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageRejectedError);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as ImageRejectedError).code).toBe(code);
  });

  it('refuses an image over maxPixels', async () => {
    const err = await process(await solid(100, 100).png().toBuffer(), 5_000).catch((e: unknown) => e);
    expect((err as ImageRejectedError).code).toBe('image_too_large');
  });
});
